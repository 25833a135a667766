"""Figure extraction quality on the gold set: value recall, indicator accuracy, precision.

A gold figure is found when a figure of its passage has the same value (or
is masked, for masked gold) and unit; its indicator is right when one
contains the other (at most 16 characters). Every gold passage is labelled
completely, so figures found there that match no gold row are false
positives. jionlp's extractor (money only) runs on the same passages as a
baseline when jionlp is installed.

    python bench/eval_metrics.py
"""

from __future__ import annotations

import contextlib
import io
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from any folder, as bench/eval_ingest.py is
GOLD = ROOT / "tests" / "data" / "metrics_gold.tsv"


def load_gold(path: Path = GOLD) -> dict[str, list[tuple[float | None, str, str]]]:
    gold: dict[str, list] = defaultdict(list)
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, value, unit, indicator = line.split("\t")
            gold[key].append((None if value == "-" else float(value), unit, indicator))
    return dict(gold)


def passages_of(keys) -> dict[str, str]:
    from ingest.pipeline import process_file

    texts = [p.text for f in sorted((ROOT / "corpus").glob("*")) for d in process_file(f) for p in d.passages]
    out = {}
    for key in keys:
        match = [t for t in texts if t.startswith(key)]
        if len(match) != 1:
            raise SystemExit(f"gold key {key!r} matches {len(match)} passages")
        out[key] = match[0]
    return out


def _same(value, unit, f_value, f_unit) -> bool:
    if unit != f_unit:
        return False
    if value is None or f_value is None:
        return value is None and f_value is None
    return math.isclose(value, f_value, rel_tol=1e-6)


def evaluate(extract) -> dict:
    """extract(text) -> [(value, unit, indicator)]; recall, indicator accuracy, precision."""
    gold = load_gold()
    texts = passages_of(gold)
    n_gold = found = right = predicted = matched = 0
    misses = []
    for key, rows in gold.items():
        preds = list(extract(texts[key]))
        predicted += len(preds)
        used = set()
        for value, unit, indicator in rows:
            n_gold += 1
            hit = next((i for i, p in enumerate(preds) if i not in used and _same(value, unit, p[0], p[1])), None)
            if hit is None:
                misses.append((key, value, unit, indicator, "not found"))
                continue
            used.add(hit)
            found += 1
            pred_ind = preds[hit][2] or ""
            ok = bool(pred_ind) and len(pred_ind) <= 16 and (indicator in pred_ind or pred_ind in indicator)
            right += ok
            if not ok:
                misses.append((key, value, unit, indicator, f"indicator {pred_ind!r}"))
        matched += len(used)
    return {
        "gold": n_gold, "recall": found / n_gold, "indicator": right / max(1, found),
        "precision": matched / max(1, predicted), "predicted": predicted, "misses": misses,
    }


def ours(text: str):
    from ingest.metrics import figures

    return [(f.value, f.unit, f.indicator) for f in figures(text)]


def jionlp_money(text: str):
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp

        found = jionlp.ner.extract_money(text, with_parsing=True)
    out = []
    for item in found:
        try:
            out.append((float(item["detail"]["num"]), "元", ""))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def main() -> None:
    result = evaluate(ours)
    print(f"gold figures: {result['gold']} in {len(load_gold())} fully labelled passages")
    print(f"edureports  value recall {result['recall']:.3f}  indicator accuracy {result['indicator']:.3f}  "
          f"precision {result['precision']:.3f}  ({result['predicted']} figures found)")
    try:
        base = evaluate(jionlp_money)
        print(f"jionlp      value recall {base['recall']:.3f}  indicator accuracy   n/a  "
              f"precision {base['precision']:.3f}  ({base['predicted']} figures found; money only)")
    except ImportError:
        print("jionlp      not installed (pip install jionlp) - baseline skipped")
    for miss in result["misses"]:
        print("  miss:", *miss)


if __name__ == "__main__":
    main()
