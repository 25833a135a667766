"""The ingest lock: writers take turns, a waiting writer says why, searches answer while another process ingests."""

from __future__ import annotations

import inspect
import os
import threading
import time

import pytest

from conftest import REPORT_TEXT

from index import upkeep
from index.build import ingest_paths
from index.errors import IndexFileError
from index.lock import IngestLock, LockTimeout
from index.search import Engine, SearchError
from index.store import Store

def _found(engine: Engine, query: str) -> list[str]:
    """Keyword hits, the weak ones too where search has a relevance floor (it must not hide the point here)."""
    low = {"include_low": True} if "include_low" in inspect.signature(engine.search).parameters else {}
    return [h.passage_id for h in engine.search(query, mode="keyword", **low)]


OTHER_TEXT = (
    "2023年县教育督导工作要点\n"
    "一、加强责任督学挂牌督导\n"
    "每名责任督学联系学校不超过5所，每月到校督导不少于2次，问题整改台账实行销号管理。\n"
)


def test_a_second_holder_waits_and_is_told_once(tmp_path):
    first, told = IngestLock(tmp_path), []
    second = IngestLock(tmp_path, on_wait=told.append)
    first.acquire()
    got, done = threading.Event(), threading.Event()

    def wait_turn():
        with second:
            got.set()
            done.wait(5)

    waiter = threading.Thread(target=wait_turn)
    waiter.start()
    time.sleep(0.6)
    assert not got.is_set() and first.held
    first.release()
    assert got.wait(5)
    assert first.busy()  # now the second holds it
    done.set()
    waiter.join()
    assert told == [f"另一个导入正在写入数据目录 {tmp_path}（进程 {os.getpid()}）；等它完成后继续"]
    assert not first.busy()


def test_a_holder_that_takes_too_long_is_named_with_the_limit(tmp_path):
    holder = IngestLock(tmp_path)
    holder.acquire()
    with pytest.raises(LockTimeout) as caught:
        IngestLock(tmp_path, timeout=0.3).acquire()
    assert str(caught.value) == f"另一个导入占用数据目录 {tmp_path} 已超过 0.3 秒；请等它完成后重试"
    holder.release()
    with IngestLock(tmp_path, timeout=0.3) as lock:  # free again: taken at once
        assert lock.held


def test_busy_sees_other_holders_not_its_own(tmp_path):
    mine, other = IngestLock(tmp_path), IngestLock(tmp_path)
    assert not mine.busy()
    with other:
        assert mine.busy()
    with mine:
        assert not mine.busy()
    assert not mine.busy()


def test_search_during_another_ingest_answers_from_the_last_indexed_state(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT_TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER_TEXT, encoding="utf-8")
    data = tmp_path / "data"
    engine = Engine(data)
    engine.ingest([str(tmp_path / "a.txt")])
    before = _found(engine, "双减")
    assert before

    other = IngestLock(data)  # another process's ingest: stored, not indexed yet
    with other:
        writer = Store(data)
        ingest_paths(writer, [str(tmp_path / "b.txt")])
        writer.close()
        assert _found(engine, "双减") == before
        assert _found(engine, "责任督学") == []  # not indexed yet: not found, no error
    with pytest.raises(SearchError, match="检索索引落后于数据库（1 个段落未建索引，0 个已删除）"):
        engine.search("双减")  # nobody is ingesting: the gap is reported with its fix
    assert engine.sync() == (1, 0)
    assert engine.search("责任督学", mode="keyword")[0].text.startswith("每名责任督学")
    engine.close()


def test_an_engine_sees_another_processes_ingest_without_reopening(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT_TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER_TEXT, encoding="utf-8")
    data = tmp_path / "data"
    reader = Engine(data)
    reader.ingest([str(tmp_path / "a.txt")])
    assert _found(reader, "责任督学") == []
    writer = Engine(data)
    writer.ingest([str(tmp_path / "b.txt")])
    writer.close()
    assert reader.search("责任督学", mode="keyword")[0].text.startswith("每名责任督学")
    # The reader's own next ingest starts from what the other wrote: nothing is embedded twice.
    assert reader.sync() == (0, 0)
    reader.close()


def test_open_settled_reads_again_until_a_save_is_complete():
    calls, forgotten = [], []

    def open_indexes():
        calls.append(1)
        if len(calls) < 3:
            raise IndexFileError("torn")

    upkeep.open_settled(open_indexes, lambda: forgotten.append(1), pause=0)
    assert len(calls) == 3 and len(forgotten) == 2
    with pytest.raises(IndexFileError):
        upkeep.open_settled(lambda: (_ for _ in ()).throw(IndexFileError("torn")), lambda: None, attempts=2, pause=0)


def test_check_during_another_ingest_checks_the_database_and_waits_for_the_indexes(tmp_path, cli):
    (tmp_path / "a.txt").write_text(REPORT_TEXT, encoding="utf-8")
    data = tmp_path / "data"
    assert cli("ingest", str(tmp_path / "a.txt"), "--no-index", "--data", str(data)).exit_code == 0
    with IngestLock(data):
        result = cli("check", "--data", str(data))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == ("正常  索引：另一个导入正在写入，索引在它完成后才与数据库一致；"
                                             "导入完成后再运行 edureports check 核对索引")
    result = cli("check", "--data", str(data))  # nobody writes: the missing index is named with its fix
    assert result.exit_code == 2
    assert result.stdout.splitlines()[1] == "问题  索引记录：还没有建立索引；运行 edureports reindex 重建索引"
