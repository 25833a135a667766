"""Parallel ingest: `edureports ingest --no-index --jobs N` against --jobs 1 on the corpus repeated, in one run.

Each copy of a corpus file carries its copy number after every sentence,
so every copy is processed and stored as its own report (identical bytes
or passages would be skipped as duplicates). The runs alternate between job counts, each in a
fresh data dir and a fresh process (worker start-up is part of the cost a
user pays), and the median wall time of each is reported with the ratio.
The machine's load average is printed because other work on a shared
machine takes cores from the workers: where the kernel shares CPU between
sessions (Linux autogroup), a busy machine gives one ingest and all its
workers one session's share, and two jobs cannot finish sooner than one.

    python bench/parallel_ingest_bench.py [--copies 8] [--jobs 1 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(folder: Path, copies: int) -> int:
    """Write `copies` variants of every corpus file; the number of files written."""
    n = 0
    for k in range(copies):
        for seed in sorted((ROOT / "corpus").glob("*.txt")):
            text = seed.read_text("utf-8")
            # Every passage changes (a copy number after each sentence end): no copy is a duplicate report.
            (folder / f"{seed.stem}_{k:03d}.txt").write_text(text.replace("。", f"（{k + 1}）。"), "utf-8")
            n += 1
    return n


def run(folder: Path, jobs: int) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the command and its workers, its summary line)."""
    data = Path(tempfile.mkdtemp(prefix="bench-data-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "edureports.cli", "ingest", str(folder), "--no-index",
                           "--jobs", str(jobs), "--data", str(data)], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    shutil.rmtree(data, ignore_errors=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return elapsed, cpu, done.stderr.strip().splitlines()[-1]


def split(folder: Path, jobs: int) -> tuple[float, float]:
    """(CPU seconds of the parent, of its workers) for one in-process ingest with `jobs` workers.

    Where the machine is shared, wall time says little; the split says how
    the work divides. On an idle machine with `jobs` free cores the run can
    take no less than the larger of the parent's part and a worker's share.
    """
    sys.path.insert(0, str(ROOT))
    from index.build import ingest_paths
    from index.store import Store

    data = Path(tempfile.mkdtemp(prefix="bench-data-"))
    store = Store(data)
    self0, kids0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    ingest_paths(store, [str(folder)], jobs=jobs)
    self1, kids1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    store.close()
    shutil.rmtree(data, ignore_errors=True)
    cpu = lambda a, b: (b.ru_utime - a.ru_utime) + (b.ru_stime - a.ru_stime)  # noqa: E731
    return cpu(self0, self1), cpu(kids0, kids1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-in-"))
    try:
        n = build(folder, args.copies)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"{n} files ({args.copies} copies of corpus/), {cores} cores, load average before "
              f"{os.getloadavg()[0]:.1f}")
        times: dict[int, list[float]] = {j: [] for j in args.jobs}
        cpus: dict[int, list[float]] = {j: [] for j in args.jobs}
        for r in range(args.rounds):
            for jobs in args.jobs:
                elapsed, cpu, line = run(folder, jobs)
                times[jobs].append(elapsed)
                cpus[jobs].append(cpu)
                print(f"  round {r + 1} --jobs {jobs}: {elapsed:6.1f} s wall, {cpu:6.1f} s CPU, "
                      f"load {os.getloadavg()[0]:.1f}  ({line})")
        base = statistics.median(times[args.jobs[0]])
        print(f"{'jobs':>4} {'median s':>9} {'CPU s':>7} {'files/s':>8} {'speed-up':>9}")
        for jobs in args.jobs:
            med = statistics.median(times[jobs])
            print(f"{jobs:>4} {med:9.1f} {statistics.median(cpus[jobs]):7.1f} {n / med:8.2f} {base / med:8.2f}x")
        print("CPU s is the command's and its workers' user+system time: the work done, however the cores were shared.")
        if max(args.jobs) > 1:
            jobs = max(args.jobs)
            sys.path.insert(0, str(ROOT))
            from ingest.pipeline import warm

            warm()  # the dictionaries load once here, outside both measurements
            parent, workers = split(folder, jobs)
            serial, _ = split(folder, 1)
            bound = max(parent, workers / jobs)
            print(f"CPU split with --jobs {jobs} (in process, after warm-up): parent {parent:.1f} s (read, hash, store), "
                  f"workers {workers:.1f} s; one job {serial:.1f} s. On an idle machine with {jobs} free cores: "
                  f"at best {serial / bound:.2f}x one job's speed (one job's CPU / the larger of the parent's part "
                  f"and a worker's share).")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
