"""Shared fixtures: the shipped seeds, a tmp data dir, and file builders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = sorted(CORPUS.glob("*.txt"))

# How many reports each seed file holds.
REPORTS_PER_SEED = {
    "000_d7ed74de268168c1.txt": 1,
    "001_f75cf3d12588e79c.txt": 1,
    "002_cb78348201e86ec4.txt": 1,
    "003_2cb70922c35a3e1f.txt": 1,
    "004_151cab1d8e703d3d.txt": 5,
}


@pytest.fixture(scope="session")
def seed_docs():
    """Every seed file processed once: {file name: [Document, ...]}."""
    from ingest.pipeline import process_file

    return {p.name: process_file(p) for p in SEEDS}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def cli():
    """Run the command line in-process; returns click's Result (stdout/stderr apart)."""
    from click.testing import CliRunner

    from edureports.cli import main

    def run(*args: str, env: dict | None = None):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return run


REPORT_TEXT = (
    "2022年教育局工作总结\n"
    "一、落实“双减”政策\n"
    "今年以来，我区全面落实“双减”政策，校外培训机构由120家压减到35家，课后服务覆盖率达100%。"
    "建立作业公示制度，学生书面作业时间明显减少，家长满意度达到96.5%。\n"
    "二、推进集团化办学\n"
    "全区组建教育集团12个，覆盖中小学56所，新增优质学位3000个。名校带弱校，城乡学校结对帮扶实现全覆盖。\n"
)


# A second report of our own wording, for archives that must hold more than one.
PLAN_TEXT = (
    "2023年区教育督导工作要点\n"
    "一、完善督导评估机制\n"
    "对全区中小学开展办学水平综合督导，督导结果作为校长考核的重要依据。\n"
    "二、加强责任督学挂牌督导\n"
    "每名责任督学联系学校不超过5所，每月到校督导不少于2次，问题整改台账实行销号管理。\n"
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(port: int, timeout: float = 90) -> bool:
    """Whether Streamlit on `port` answers its health check within `timeout` seconds."""
    import time
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).status == 200:
                return True
        except OSError:
            time.sleep(0.5)
    return False

def two_reports(tmp_path: Path, cli) -> Path:
    """A data dir holding REPORT_TEXT and PLAN_TEXT, ingested and indexed by the command line."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "总结.txt").write_text(REPORT_TEXT, encoding="utf-8")
    (folder / "要点.txt").write_text(PLAN_TEXT, encoding="utf-8")
    data = tmp_path / "data"
    result = cli("ingest", str(folder), "--data", str(data))
    assert result.exit_code == 0, result.stderr
    return data

def damage_page(db: Path, table: str) -> None:
    """Overwrite the header of the first page holding `table`'s rows (the way a bad sector would)."""
    import sqlite3

    con = sqlite3.connect(db)
    page = con.execute("SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (table,)).fetchone()[0]
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with open(db, "r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xff" * 40)


def make_docx(path: Path, numbered: bool = False) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("2022年教育局工作总结", 0)
    document.add_heading("一、落实“双减”政策", 1)
    document.add_paragraph(
        "今年以来，我区全面落实“双减”政策，校外培训机构由120家压减到35家，课后服务覆盖率达100%。"
        "建立作业公示制度，学生书面作业时间明显减少，家长满意度达到96.5%。"
    )
    document.add_heading("推进集团化办学", 1)
    document.add_paragraph("全区组建教育集团12个，覆盖中小学56所，新增优质学位3000个。名校带弱校，城乡学校结对帮扶实现全覆盖。")
    if numbered:
        document.add_paragraph("加强课后服务管理，建立弹性离校制度。", style="List Number")
        document.add_paragraph("规范校外培训机构收费，建立资金监管账户。", style="List Number")
    table = document.add_table(rows=2, cols=3)
    for i, value in enumerate(["指标", "2021年", "2022年"]):
        table.cell(0, i).text = value
    for i, value in enumerate(["课后服务覆盖率", "85%", "100%"]):
        table.cell(1, i).text = value
    document.save(path)
    return path


def make_pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 11)
    y = 800
    for line in lines:
        c.drawString(40, y, line)
        y -= 18
    if not lines:
        c.rect(100, 100, 300, 500, fill=1)  # a page with only an image-like shape
    c.save()
    return path


def bounded(fn, *args, timeout: float = 30):
    """Run fn in a daemon thread; a hang or a parse that runs on fails the test instead of stalling the run."""
    import threading

    box: dict = {}

    def run():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"{getattr(fn, '__name__', fn)} did not finish within {timeout} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def indexed_corpus(tmp_path_factory) -> Path:
    """corpus/ ingested and indexed with the default offline encoder, once per session."""
    from index.build import ingest_paths
    from index.search import Engine
    from index.store import Store

    data = tmp_path_factory.mktemp("indexed") / "data"
    store = Store(data)
    ingest_paths(store, [str(CORPUS)])
    Engine(data, store=store).sync()
    store.close()
    return data


@pytest.fixture(scope="session")
def district_data(indexed_corpus, tmp_path_factory) -> Path:
    """The indexed corpus plus the written district reports and plans, once per session (only their passages are embedded)."""
    import shutil

    from index.search import Engine

    data = Path(shutil.copytree(indexed_corpus, tmp_path_factory.mktemp("districts") / "data"))
    engine = Engine(data)
    engine.ingest([str(ROOT / "tests" / "data" / "practices" / "reports"), str(ROOT / "tests" / "data" / "plans")])
    engine.close()
    return data


@pytest.fixture(scope="session")
def district_profiles(district_data):
    """Every district profile of district_data; read-only, so one listing serves every module."""
    from index.districts import profiles
    from index.store import Store

    store = Store(district_data)
    yield profiles(store)
    store.close()


@pytest.fixture
def engine(indexed_corpus):
    from index.search import Engine

    e = Engine(indexed_corpus)
    yield e
    e.close()


@pytest.fixture
def indexed_copy(indexed_corpus, tmp_path) -> Path:
    """A private copy of the indexed corpus, for tests that change it."""
    import shutil

    return Path(shutil.copytree(indexed_corpus, tmp_path / "data"))


class Recorder:
    """A progress factory that keeps the totals it was opened with and every update."""

    def __init__(self):
        self.totals, self.updates, self.closed = [], [], 0

    def __call__(self, total):
        self.totals.append(total)
        return self

    def update(self, n):
        self.updates.append(n)

    def close(self):
        self.closed += 1
