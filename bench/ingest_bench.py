"""Ingest throughput on a synthetic scale-up of the sample archive.

Copies the corpus N times with a per-copy edit (so no copy is a duplicate),
ingests the folder into a fresh store, then ingests it again (all unchanged),
and prints files/s, reports/s, passages/s, store size and peak RSS.

    python bench/ingest_bench.py --copies 100
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from index.build import ingest_paths
from index.store import Store

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="copies of the five seed files (default 100)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "archive"
        folder.mkdir()
        seeds = sorted(CORPUS.glob("*.txt"))
        for i in range(args.copies):
            for seed in seeds:
                text = seed.read_text("utf-8").replace("教育", f"教育{i}")
                (folder / f"{i:05d}_{seed.name}").write_text(text, "utf-8")
        store = Store(Path(tmp) / "data")
        t0 = time.perf_counter()
        first = ingest_paths(store, [str(folder)])
        t1 = time.perf_counter()
        again = ingest_paths(store, [str(folder)])
        t2 = time.perf_counter()
        store.close()
        size = sum(p.stat().st_size for p in (Path(tmp) / "data").iterdir()) / 2**20
    n = len(first.results)
    print(f"files            {n}  ({first.count('added')} added, {len(first.skipped)} skipped)")
    print(f"reports          {first.reports}")
    print(f"passages         {first.passages}")
    print(f"first ingest     {t1 - t0:.1f} s  = {n / (t1 - t0):.1f} files/s, {first.passages / (t1 - t0):.0f} passages/s")
    print(f"re-ingest        {t2 - t1:.2f} s  ({again.count('unchanged')} unchanged)")
    print(f"store size       {size:.1f} MiB")
    print(f"peak RSS         {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
