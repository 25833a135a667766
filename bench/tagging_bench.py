"""CPU time of the figures and themes stages on the sample archive scaled up to a few megabytes.

The passages of corpus/ are repeated until the text reaches --mb megabytes
(each copy opens with its own short line, so no two passages are the same
text and no cache can answer a copy from the one before). Then, report by
report as the ingest does, every passage is tagged with themes and the
figures of every passage are extracted; the CPU seconds of each stage are
printed. With --peer DIR the
same measurement runs, in a child process, on another checkout of the
project (for instance the commit before a change), and the ratio is printed.

    python bench/tagging_bench.py --mb 8 --peer /tmp/before
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _reports(mb: float) -> list[list[tuple[str, tuple[str, ...]]]]:
    """The passages (text, headings) of each report, copies of the sample's reports up to `mb` megabytes."""
    from ingest.pipeline import process_file

    seed = [[(p.text, p.heading) for p in d.passages] for f in sorted((ROOT / "corpus").glob("*.txt"))
            for d in process_file(f)]
    out, size, copy = [], 0, 0
    while size < mb * 2**20:
        copy += 1
        for report in seed:
            out.append([(f"第{copy}份第{i}段。{text}", heading) for i, (text, heading) in enumerate(report)])
            size += sum(len(t.encode("utf-8")) for t, _ in out[-1])
    return out


def measure(mb: float) -> dict:
    """CPU seconds of themes and figures over the scaled-up passages, in this process."""
    reports = _reports(mb)
    from ingest.metrics import figures
    from ingest.themes import tagger

    themer = tagger()
    figures("校园足球特色学校12所。")  # load jieba and cn2an before the clock starts
    themer.tag("推进集团化办学", ())
    themes_s = figures_s = 0.0
    n_themes = n_figures = 0
    for passages in reports:
        t0 = time.process_time()
        n_themes += sum(len(themer.tag(text, heading)) for text, heading in passages)
        t1 = time.process_time()
        n_figures += sum(len(figures(text)) for text, _ in passages)
        t2 = time.process_time()
        themes_s += t1 - t0
        figures_s += t2 - t1
    passages = [p for r in reports for p in r]
    return {"passages": len(passages), "mb": sum(len(t.encode("utf-8")) for t, _ in passages) / 2**20,
            "themes_s": themes_s, "figures_s": figures_s, "themes": n_themes, "figures": n_figures}


def _line(name: str, r: dict) -> str:
    total = r["themes_s"] + r["figures_s"]
    return (f"{name:<10} themes {r['themes_s']:6.1f} s  figures {r['figures_s']:6.1f} s  total {total:6.1f} s CPU  "
            f"({r['passages']} passages, {r['mb']:.1f} MB, {r['themes']} theme tags, {r['figures']} figures)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=8.0, help="megabytes of passage text (default 8)")
    parser.add_argument("--peer", help="another checkout of the project, measured in the same run")
    parser.add_argument("--json", action="store_true", help="print this checkout's figures as JSON only")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.mb)))
        return
    rows = [("this", measure(args.mb))]
    if args.peer:
        env = {**os.environ, "PYTHONPATH": str(Path(args.peer).resolve())}
        out = subprocess.run([sys.executable, __file__, "--json", "--mb", str(args.mb)], env=env, cwd=args.peer,
                             capture_output=True, text=True, check=True).stdout
        rows.append(("peer", json.loads(out)))
    for name, r in rows:
        print(_line(name, r))
    if args.peer:
        this, peer = rows[0][1], rows[1][1]
        ratio = (peer["themes_s"] + peer["figures_s"]) / max(1e-9, this["themes_s"] + this["figures_s"])
        print(f"peer / this: themes {peer['themes_s'] / max(1e-9, this['themes_s']):.1f}x, "
              f"figures {peer['figures_s'] / max(1e-9, this['figures_s']):.1f}x, total {ratio:.1f}x")


if __name__ == "__main__":
    main()
