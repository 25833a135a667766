"""Theme tagging quality on the hand-labelled dev set: micro/macro P/R/F1 and per theme.

Both sides are compared at the most specific level: a parent theme counts
only when none of its children is present (a child implies its parent).

    python bench/eval_themes.py [--themes FILE]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "themes_dev.tsv"


def load_dev(path: Path = DEV) -> list[tuple[str, set[str]]]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, labels = line.split("\t")
            rows.append((key, set(labels.split("|"))))
    return rows


def specific(themes: set[str], parent_of: dict[str, str]) -> set[str]:
    parents = {parent_of[t] for t in themes if parent_of.get(t)}
    return {t for t in themes if t not in parents}


def evaluate(tagger, passages) -> dict:
    """passages: [(text, headings)] aligned with the dev set keys."""
    parent_of = {t.name: t.parent for t in tagger.themes}
    tp, fp, fn = Counter(), Counter(), Counter()
    for (key, gold), (text, headings) in zip(load_dev(), passages):
        pred = specific({t.theme for t in tagger.tag(text, headings)}, parent_of)
        gold = specific(gold, parent_of)
        for t in pred & gold:
            tp[t] += 1
        for t in pred - gold:
            fp[t] += 1
        for t in gold - pred:
            fn[t] += 1

    def prf(a, b, c):
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    themes = sorted(set(tp) | set(fp) | set(fn))
    per = {t: (*prf(tp[t], fp[t], fn[t]), tp[t] + fn[t]) for t in themes}
    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    labelled = [t for t in themes if per[t][3]]
    macro = tuple(sum(per[t][i] for t in labelled) / len(labelled) for i in range(3))
    return {"micro": micro, "macro": macro, "per_theme": per}


def dev_passages() -> list[tuple[str, tuple[str, ...]]]:
    """The (text, heading path) of each dev-set passage, found by its key."""
    from ingest.pipeline import process_file

    passages = [(p.text, p.heading) for f in sorted((ROOT / "corpus").glob("*")) for d in process_file(f)
                for p in d.passages]
    out = []
    for key, _ in load_dev():
        match = [p for p in passages if key in p[0][:80]]
        if len(match) != 1:
            raise SystemExit(f"dev key {key!r} matches {len(match)} passages")
        out.append(match[0])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--themes", help="taxonomy file (default: the packaged one)")
    args = parser.parse_args()
    from ingest.themes import Tagger, load_taxonomy

    tagger = Tagger(load_taxonomy(args.themes))
    result = evaluate(tagger, dev_passages())
    print(f"{len(load_dev())} passages, {len(tagger.themes)} themes in the taxonomy")
    print("micro  P {:.3f}  R {:.3f}  F1 {:.3f}".format(*result["micro"]))
    print("macro  P {:.3f}  R {:.3f}  F1 {:.3f}".format(*result["macro"]))
    print(f"{'theme':<14} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}")
    for theme, (p, r, f, n) in sorted(result["per_theme"].items(), key=lambda kv: -kv[1][3]):
        print(f"{theme:<14} {p:6.2f} {r:6.2f} {f:6.2f} {n:5d}")


if __name__ == "__main__":
    main()
