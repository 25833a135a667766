"""Segmentation, compilation splitting and metadata time against input size.

Builds synthetic reports from the sample archive's cleaned text repeated to
each size, once with its line breaks and once with every break removed (a
report whose layout was lost), plus one line of that size without any
punctuation, and prints seconds, MB/s and the time per MB relative to the
smallest size (1.0 everywhere means linear), and the seconds of
`meta.extract` (title, years, region) on the same text with the headings
found. The tokenizer and the gazetteer are loaded before timing.

    python bench/segment_bench.py --sizes 1 4 16
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ingest.clean import clean
from ingest.meta import extract
from ingest.segment import segment
from ingest.split import split_reports
from ingest.types import Line
from ingest.words import tagged

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _seed_text() -> str:
    return "\n".join(
        "\n".join(line.text for line in clean(p.read_text("utf-8")).lines) for p in sorted(CORPUS.glob("*.txt"))
    )


def _sized(base: str, mb: float) -> str:
    size = int(mb * 1_000_000)
    return (base * (size // len(base) + 1))[:size]


def _time(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 16], help="sizes in MB (default 1 4 16)")
    args = parser.parse_args()
    tagged("预热分词器")
    extract("", "预热地名表：济南市市中区教育局", [])
    base = _seed_text()
    no_punct = "教育督导工作扎实推进学校管理规范有序"
    layouts = {
        "with line breaks": lambda mb: _sized(base, mb),
        "breaks lost": lambda mb: _sized(base.replace("\n", ""), mb),
        "one line, no punctuation": lambda mb: _sized(no_punct, mb),
    }
    print(f"{'layout':<26} {'MB':>5} {'segment s':>10} {'MB/s':>6} {'s/MB vs first':>14} "
          f"{'split s':>8} {'meta s':>7} {'sections':>9} {'passages':>9}")
    for name, build in layouts.items():
        first = None
        for mb in args.sizes:
            text = build(mb)
            seconds, (sections, passages) = _time(lambda: segment(text, "bench"))
            lines = [Line(t, i, i) for i, t in enumerate(text.split("\n"))]
            split_s, _ = _time(lambda: split_reports(lines))
            meta_s, _ = _time(lambda: extract("", text, [s.title for s in sections if s.level <= 1]))
            per_mb = seconds / mb
            first = first or per_mb
            print(f"{name:<26} {mb:>5g} {seconds:>10.2f} {mb / seconds:>6.2f} {per_mb / first:>14.2f} "
                  f"{split_s:>8.2f} {meta_s:>7.2f} {len(sections):>9} {len(passages):>9}")


if __name__ == "__main__":
    main()
