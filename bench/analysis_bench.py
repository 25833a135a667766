"""Districts, peers, practice maps and plan vs outcome: answer times, and the practice map's grouping quality.

    python bench/analysis_bench.py --ari                 # adjusted Rand index, tune and test apart
    python bench/analysis_bench.py --data DIR            # answer times over an ingested archive
    python bench/analysis_bench.py --synthetic 100000    # answer times over a synthetic catalog of that size

The ARI is measured on tests/data/practices/labelled.tsv: the tune split
chooses the distance threshold (`--sweep` prints the sweep), the test split
(other queries, other practices) is measured with the chosen one only.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LABELLED = ROOT / "tests" / "data" / "practices" / "labelled.tsv"


def labelled(path: Path = LABELLED) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """{split: {query: [(hand group, text), ...]}}"""
    out: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    lines = [line for line in path.read_text("utf-8").splitlines() if line and not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        out[row["split"]][row["query"]].append((row["group"], row["text"]))
    return out


def embed(texts: list[str], embedder) -> np.ndarray:
    """As the index embeds a passage: its sentence windows, averaged and normalised."""
    from index.dense import vector_chunks

    out = []
    for t in texts:
        v = embedder.passages(vector_chunks((), t)).mean(axis=0)
        out.append(v / (np.linalg.norm(v) or 1.0))
    return np.vstack(out)


def ari(split: dict[str, list[tuple[str, str]]], vectors: dict[str, np.ndarray], threshold: float) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score

    from index.practices import cluster

    return {q: adjusted_rand_score([g for g, _ in rows], cluster(vectors[q], threshold))
            for q, rows in split.items()}


def run_ari(model: str | None, sweep: bool) -> None:
    from index.embed import make_embedder
    from index.practices import THRESHOLD

    embedder = make_embedder(model)
    data = labelled()
    vectors = {s: {q: embed([t for _, t in rows], embedder) for q, rows in qs.items()} for s, qs in data.items()}
    if sweep:
        # The threshold is chosen on the tune split only: the best mean ARI over its +-0.04 neighbourhood.
        grid = [round(t, 2) for t in np.arange(0.80, 1.41, 0.02)]
        tune = {t: statistics.mean(ari(data["tune"], vectors["tune"], t).values()) for t in grid}
        smooth = {t: statistics.mean(v for u, v in tune.items() if abs(u - t) <= 0.041) for t in grid}
        print("threshold  tune-ARI  neighbourhood-mean")
        for t in grid:
            print(f"{t:.2f}       {tune[t]:.3f}     {smooth[t]:.3f}")
        print(f"chosen on tune: {max(grid, key=lambda t: (smooth[t], -t)):.2f}")
    for split in ("tune", "test"):
        scores = ari(data[split], vectors[split], THRESHOLD)
        detail = "  ".join(f"{q} {v:.3f}" for q, v in scores.items())
        n = sum(len(r) for r in data[split].values())
        print(f"{split}: ARI {statistics.mean(scores.values()):.3f} over {len(scores)} queries, {n} passages "
              f"(threshold {THRESHOLD}, encoder {embedder.name})  [{detail}]")


def run_coverage() -> None:
    """The share of an item's words that says "this item is there" (index/plans.py FOUND), chosen on tune.

    Each passage plays a planned item; the others of its query play the
    summary: the best coverage among its own practice should reach the
    threshold, the best among the query's other practices should not.
    """
    from index.plans import FOUND
    from index.practices import content_words

    data = labelled()
    grid = [round(t, 2) for t in np.arange(0.05, 0.61, 0.05)]
    for split in ("tune", "test"):
        pos, neg = [], []
        for rows in data[split].values():
            bags = [(g, set(content_words(t))) for g, t in rows]
            for i, (g, words) in enumerate(bags):
                same = [len(words & w) / len(words) for j, (h, w) in enumerate(bags) if j != i and h == g]
                other = [len(words & w) / len(words) for h, w in bags if h != g]
                pos.append(max(same))
                neg.append(max(other))
        pos_, neg_ = np.array(pos), np.array(neg)
        acc = {t: ((pos_ >= t).mean() + (neg_ < t).mean()) / 2 for t in grid}
        if split == "tune":
            print("coverage  tune balanced accuracy: " + "  ".join(f"{t:.2f}:{a:.2f}" for t, a in acc.items()))
            print(f"chosen on tune: {max(grid, key=lambda t: (acc[t], -t)):.2f}")
        print(f"{split}: balanced accuracy {((pos_ >= FOUND).mean() + (neg_ < FOUND).mean()) / 2:.3f} "
              f"at FOUND={FOUND} ({len(pos)} items)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ari", action="store_true")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--coverage", action="store_true")
    parser.add_argument("--model", default=None)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--synthetic", type=int, default=0)
    args = parser.parse_args()
    if args.ari:
        run_ari(args.model, args.sweep)
    if args.coverage:
        run_coverage()


if __name__ == "__main__":
    main()
