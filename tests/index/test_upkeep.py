"""Index upkeep: embedding progress counted in passages, and an interrupted sync resumed, not redone."""

from __future__ import annotations

import pytest

from conftest import Recorder

from index import upkeep
from index.build import ingest_paths
from index.search import Engine
from index.store import Store

# Four sections of our own wording: four passages.
REPORT = (
    "2024年县教育工作要点\n"
    "一、办好家门口的学校\n"
    "改扩建乡镇中心学校5所，寄宿制学校床位新增1200张。\n"
    "二、提升课堂教学质量\n"
    "建立教研员联系学校制度，全年组织送教下乡80场次。\n"
    "三、关爱特殊群体学生\n"
    "资助家庭经济困难学生4300人次，随班就读覆盖全部残疾儿童。\n"
    "四、加强教育督导\n"
    "完成对全县中小学的办学水平督导评估，督导结果向社会公开。\n"
)


@pytest.fixture
def stored(tmp_path, monkeypatch):
    """A data dir holding the report, not yet indexed; batches of two passages."""
    monkeypatch.setattr(upkeep, "EMBED_BATCH", 2)
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    data = tmp_path / "data"
    store = Store(data)
    ingest_paths(store, [str(tmp_path / "r.txt")])
    assert store.counts()["passages"] == 4
    store.close()
    return data


def test_progress_counts_passages_not_batches(stored):
    engine = Engine(stored)
    recorder = Recorder()
    assert engine.sync(progress=recorder) == (4, 0)
    assert recorder.totals == [4] and recorder.updates == [2, 2] and recorder.closed == 1
    assert engine.sync(progress=recorder) == (0, 0)
    assert recorder.totals == [4]  # nothing to embed: no bar at all
    engine.close()


def test_an_interrupted_sync_keeps_its_batches_and_the_next_embeds_the_rest(stored, monkeypatch):
    engine = Engine(stored)
    done = []
    original = upkeep.DenseRetriever.add

    def add(self, passages):
        if done:
            raise KeyboardInterrupt
        original(self, passages)
        done.append(len(passages))

    recorder = Recorder()
    with monkeypatch.context() as m:
        m.setattr(upkeep.DenseRetriever, "add", add)
        with pytest.raises(KeyboardInterrupt):
            engine.sync(progress=recorder)
    assert recorder.updates == [2] and recorder.closed == 1
    engine.close()

    engine = Engine(stored)  # a new process: only what was saved counts
    assert engine.stale() == (2, 0)
    assert engine.sync() == (2, 0)
    assert len(engine.dense.ids()) == 4
    hits = engine.search("送教下乡", mode="dense")
    assert "送教下乡" in hits[0].text
    engine.close()
