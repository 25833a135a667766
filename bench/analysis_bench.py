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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ari", action="store_true")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--model", default=None)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--synthetic", type=int, default=0)
    args = parser.parse_args()
    if args.ari:
        run_ari(args.model, args.sweep)


if __name__ == "__main__":
    main()
