"""Ingest quality on a labelled folder of scraped pages: title, years, type, region, chrome, figures, headings.

The folder holds the pages and a `truth.json` (one entry per file, see
tests/data/archive/truth.json). Every file goes through
`ingest.pipeline.process_file`, as `edureports ingest` would, and each
measure of issue 9 is counted against the truth:

- title, years, doc type, region right (x/N reports); a derived title passes
  when the truth says `title_derived` and the title is neither the file name
  nor a chrome string;
- chrome strings left in any report's text or title (count and which);
- placeholders (x, **, ×, 某 ...) found as masked rows (x/N), and the number
  that got a value (must be 0);
- figures: value recall (a row with the truth value and unit at the truth
  span) and indicator accuracy (share of truth figures found with the truth
  indicator; one contains the other, at most 16 characters, as
  bench/eval_metrics.py counts);
- false rows: rows over a `not_figures` span (九台, 十九届, 【范例4篇】);
- must_survive spans lost from the cleaned text, headings found, and the
  number of reports per file.

The truth is checked against the schema first (closed doc types, regions the
gazetteer can display, sorted years, numeric figures); problems go to stderr.
Texts are compared with whitespace removed, traditional script folded to
simplified (OpenCC), full-width and ASCII punctuation taken as one and doubled
quotation marks as one, so a line break, a conversion to simplified or a
repaired comma is not a loss. A truth report is paired with the report of the file that holds most
of its must_survive spans, so a wrong split costs only what it breaks.

    python bench/eval_ingest.py                    # the development archive
    python bench/eval_ingest.py --dir DIR -v       # another labelled folder, failures per file
    python bench/eval_ingest.py --json             # the measures as JSON

Entries may carry "split": "test" (default "tune"); when a folder has both,
the two parts are also printed side by side, so that fixes tuned on one part
are measured on the other.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
ARCHIVE = ROOT / "tests" / "data" / "archive"
TRUTH = "truth.json"
_TRAILING = "。：:；;，,、 "


def load_truth(folder: Path | str = ARCHIVE) -> list[dict]:
    """The truth entries of a folder, each checked for the fields the measures read."""
    folder = Path(folder)
    path = folder / TRUTH
    if not path.is_file():
        raise SystemExit(f"{path}: no truth file; a labelled folder holds its pages and a {TRUTH}")
    entries = json.loads(path.read_text("utf-8"))
    # Further truth files (truth-<name>.json) let fixtures be added in groups
    # without everyone editing one list; together they are one labelled set.
    for extra in sorted(folder.glob("truth-*.json")):
        entries += json.loads(extra.read_text("utf-8"))
    seen = Counter(entry["file"] for entry in entries)
    if doubled := sorted(name for name, n in seen.items() if n > 1):
        raise SystemExit(f"{folder}: file {doubled[0]!r} is labelled more than once")
    for entry in entries:
        if not (folder / entry["file"]).is_file():
            raise SystemExit(f"{path}: file {entry['file']!r} is listed but not in {folder}")
        if not entry.get("reports"):
            raise SystemExit(f"{path}: {entry['file']!r} lists no reports")
    return entries


# The closed list of doc types of the truth schema.
DOC_TYPES = ("工作总结", "工作要点", "工作计划", "工作报告", "工作汇报", "督导报告", "自查报告", "自评报告",
             "述职报告", "调研报告", "通报", "方案", "讲话", "意见", "其他")


@lru_cache(maxsize=1)
def region_displays() -> frozenset[str]:
    """Every region display string the gazetteer can produce (province + city + county)."""
    from ingest.gazetteer import gazetteer
    from ingest.types import Region

    g = gazetteer()
    out = set()
    for code in g.places:
        names = {p.level: p.name for p in g.ancestors(code)}
        out.add(Region(names.get("province", ""), names.get("city", ""), names.get("county", "")).display)
    return frozenset(out)


def check_truth(entries: list[dict]) -> list[str]:
    """Labels that break the truth schema: unknown type or region, unsorted years, a title that
    contradicts title_derived, figures without a number or unit. A wrong label is a wrong measure."""
    problems = []
    for entry in entries:
        for k, rep in enumerate(entry["reports"], 1):
            at = f"{entry['file']} report {k}"
            if rep.get("doc_type") not in DOC_TYPES:
                problems.append(f"{at}: doc_type {rep.get('doc_type')!r} is not one of {', '.join(DOC_TYPES)}")
            if rep.get("region") and rep["region"] not in region_displays():
                problems.append(f"{at}: region {rep['region']!r} is no display string of the gazetteer")
            years = rep.get("years")
            if not isinstance(years, list) or years != sorted(set(years)) or not all(isinstance(y, int) for y in years):
                problems.append(f"{at}: years {years!r} must be a sorted list of distinct ints")
            if bool(rep.get("title_derived")) == bool(rep.get("title")):
                problems.append(f"{at}: title {rep.get('title')!r} and title_derived {rep.get('title_derived')} disagree")
            if not rep.get("must_survive"):
                problems.append(f"{at}: no must_survive span")
            for f in rep.get("figures", []):
                if not isinstance(f.get("value"), (int, float)) or not f.get("unit") or not f.get("raw") or not f.get("indicator"):
                    problems.append(f"{at}: figure {f!r} needs raw, indicator, a numeric value and a unit")
    return problems


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


# Width and form of punctuation are not content: cleaning may turn ASCII ',' beside
# Chinese into '，' or back; both sides of every comparison are folded alike.
_PUNCT = str.maketrans("，；：！？（）［］", ",;:!?()[]")


@lru_cache(maxsize=4096)
def folded(text: str) -> tuple[str, tuple[int, ...]]:
    """Text without whitespace, traditional folded to simplified, punctuation, letters and digits to one width, and the original offset of each char.

    OpenCC converts phrase by phrase; where a phrase changes length the
    characters are converted one by one so that offsets stay exact.
    """
    conv = _t2s().convert(text)
    if len(conv) != len(text):
        conv = "".join(c if len(c2 := _t2s().convert(c)) != 1 else c2 for c in text)
    out, index = [], []
    for i, ch in enumerate(conv):
        if ch.isspace():
            continue
        ch = ch.translate(_PUNCT)
        if "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ":  # full-width letters and digits, as cleaning writes them
            ch = chr(ord(ch) - 0xFEE0)
        if ch in "“”\"" and out and out[-1] == ch:  # a doubled quotation mark is one mark
            continue
        out.append(ch)
        index.append(i)
    return "".join(out), tuple(index)


def page_text(path: Path | str) -> str:
    """The text of a file as a reader of the page sees it: decoded, and for HTML without tags.

    Used to check that every truth span is in its file; an HTML loader that
    keeps only the main content must not make chrome spans look absent.
    """
    import html
    import re

    from ingest.load import decode, load

    path = Path(path)
    if path.suffix.lower() in (".html", ".htm"):
        text = decode(path.read_bytes(), path.name)[0]
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        return html.unescape(re.sub(r"<[^>]+>", "\n", text))
    return load(path, path.name).text


def fold(text: str) -> str:
    return folded(text)[0]


def spans_of(needle: str, text: str) -> list[tuple[int, int]]:
    """Original (start, end) offsets in `text` of every occurrence of `needle`, compared folded."""
    key = fold(needle)
    hay, index = folded(text)
    out, at = [], hay.find(key) if key else -1
    while at >= 0:
        out.append((index[at], index[at + len(key) - 1] + 1))
        at = hay.find(key, at + 1)
    return out


def _overlaps(metric, spans: list[tuple[int, int]]) -> bool:
    return any(metric.char_start < end and start < metric.char_end for start, end in spans)


def _indicator_ok(truth: str, found: str) -> bool:
    truth, found = fold(truth), fold(found or "")
    return bool(found) and len(found) <= 16 and (truth in found or found in truth)


def _same_value(value, unit, metric) -> bool:
    if metric.masked or metric.value is None or metric.unit != unit:
        return False
    return math.isclose(float(value), float(metric.value), rel_tol=1e-6, abs_tol=1e-9)


def _pair(reports: list[dict], docs: list) -> list:
    """For each truth report the document holding most of its must_survive spans (or None)."""
    texts = [fold(d.text) for d in docs]
    out = []
    for i, rep in enumerate(reports):
        keys = [fold(s) for s in rep.get("must_survive", [])]
        scores = [sum(k in t for k in keys) for t in texts]
        if not docs:
            out.append(None)
            continue
        best = max(scores)
        if best == 0:
            out.append(docs[i] if i < len(docs) else None)
        else:
            pick = i if i < len(docs) and scores[i] == best else scores.index(best)
            out.append(docs[pick])
    return out


def _title_ok(rep: dict, doc, path: Path, chrome: list[str]) -> bool:
    got = fold(doc.title)
    if rep.get("title_derived"):
        bad = {fold(path.stem), fold(path.name), ""} | {fold(c) for c in chrome}
        return got not in bad and not any(fold(c) in got for c in chrome if len(fold(c)) >= 4)
    wanted = {fold(rep["title"]), *(fold(t) for t in rep.get("titles_ok", []))}
    return got in wanted


def _heading_found(heading: str, doc) -> bool:
    key = fold(heading).rstrip(_TRAILING)
    return any(fold(s.title).rstrip(_TRAILING) == key for s in doc.sections)


@lru_cache(maxsize=None)
def _process(path: str) -> list:
    """process_file once per file and run, so that a folder measured by parts is processed once."""
    from ingest.pipeline import process_file

    return process_file(path)


def measure_file(path: Path, entry: dict) -> dict:
    """Every check of one file: a dict of counts and a list of failure messages."""
    c: Counter = Counter()
    fails: list[str] = []
    by_type: dict[str, Counter] = defaultdict(Counter)
    reports = entry["reports"]
    chrome = entry.get("chrome", [])
    try:
        docs = _process(str(path))
    except Exception as exc:  # a failure to process is a measured outcome, not a crash of the bench
        docs = []
        fails.append(f"exception: {type(exc).__name__}: {exc}")
        c["exceptions"] += 1
    c["files"] += 1
    c["reports"] += len(reports)
    c["n_reports_right"] += len(docs) == len(reports)
    if len(docs) != len(reports):
        fails.append(f"reports: {len(docs)} found, {len(reports)} in truth")
    all_text = fold("\n".join(d.text for d in docs))
    all_titles = [fold(d.title) for d in docs]
    for s in chrome:
        key = fold(s)
        if key in all_text or any(key in t for t in all_titles):
            c["chrome_left"] += 1
            fails.append(f"chrome left: {s!r}")
    c["chrome"] += len(chrome)

    for rep, doc in zip(reports, _pair(reports, docs)):
        label = rep.get("title") or "(no title line)"
        for s in rep.get("must_survive", []):
            c["must_survive"] += 1
            if fold(s) not in all_text:
                c["lost"] += 1
                fails.append(f"lost: {s!r}")
        kind = rep["doc_type"]
        by_type[kind]["n"] += 1
        c["figures"] += len(rep.get("figures", []))
        c["placeholders"] += len(rep.get("placeholders", []))
        c["headings"] += len(rep.get("headings", []))
        if doc is None:
            fails.append(f"{label}: no report found for it")
            continue
        if _title_ok(rep, doc, path, chrome):
            c["title"] += 1
        else:
            fails.append(f"title: {doc.title!r}, truth {rep['title']!r}" + (" (derived)" if rep.get("title_derived") else ""))
        if sorted(doc.years) == sorted(rep["years"]):
            c["years"] += 1
        else:
            fails.append(f"years: {list(doc.years)}, truth {rep['years']} ({label})")
        if doc.doc_type == kind:
            c["doc_type"] += 1
            by_type[kind]["right"] += 1
        else:
            fails.append(f"doc type: {doc.doc_type!r}, truth {kind!r} ({label})")
        if doc.region.display == rep["region"]:
            c["region"] += 1
        else:
            fails.append(f"region: {doc.region.display!r}, truth {rep['region']!r} ({label})")
        for h in rep.get("headings", []):
            if _heading_found(h, doc):
                c["headings_found"] += 1
            else:
                fails.append(f"heading not found: {h!r}")
        for f in rep.get("figures", []):
            spans = spans_of(f["raw"], doc.text)
            rows = [m for m in doc.metrics if _same_value(f["value"], f["unit"], m) and (not spans or _overlaps(m, spans))]
            if not rows:
                fails.append(f"figure not found: {f['raw']!r} = {f['value']} {f['unit']}")
                continue
            c["figures_found"] += 1
            if any(_indicator_ok(f["indicator"], m.indicator) for m in rows):
                c["indicator_right"] += 1
            else:
                fails.append(f"indicator: {f['raw']!r} -> {rows[0].indicator!r}, truth {f['indicator']!r}")
        for p in rep.get("placeholders", []):
            spans = spans_of(p, doc.text)
            rows = [m for m in doc.metrics if _overlaps(m, spans)]
            if any(m.value is not None for m in rows):
                c["placeholders_valued"] += 1
                fails.append(f"placeholder valued: {p!r} -> {[m.value for m in rows]}")
            elif any(m.masked for m in rows):
                c["placeholders_masked"] += 1
            else:
                fails.append(f"placeholder not masked: {p!r}")
        for s in rep.get("not_figures", []):
            rows = [m for m in doc.metrics if _overlaps(m, spans_of(s, doc.text))]
            if rows:
                c["false_rows"] += len(rows)
                fails.append(f"false row: {s!r} -> {rows[0].raw!r} {rows[0].value} {rows[0].unit}")
    return {"counts": c, "fails": fails, "by_type": by_type}


def measure(folder: Path | str = ARCHIVE, split: str | None = None) -> dict:
    """All measures over a labelled folder: totals, per doc type, and failures per file.

    `split` keeps only the entries of one part ("tune" or "test"; an entry
    without a "split" field belongs to "tune"), so a part held back from
    tuning can be reported on its own.
    """
    folder = Path(folder)
    totals: Counter = Counter()
    by_type: dict[str, Counter] = defaultdict(Counter)
    failures: dict[str, list[str]] = {}
    chrome_left: list[str] = []
    for entry in load_truth(folder):
        if split and entry.get("split", "tune") != split:
            continue
        result = measure_file(folder / entry["file"], entry)
        totals.update(result["counts"])
        for kind, cnt in result["by_type"].items():
            by_type[kind].update(cnt)
        if result["fails"]:
            failures[entry["file"]] = result["fails"]
        chrome_left += [f"{entry['file']}: {m[len('chrome left: '):]}" for m in result["fails"] if m.startswith("chrome left")]
    n_fig = totals["figures"]
    return {
        "folder": str(folder) + (f" [{split}]" if split else ""),
        "totals": dict(totals),
        "value_recall": totals["figures_found"] / n_fig if n_fig else 1.0,
        "indicator_accuracy": totals["indicator_right"] / n_fig if n_fig else 1.0,
        "by_type": {k: dict(v) for k, v in sorted(by_type.items())},
        "chrome_left": chrome_left,
        "failures": failures,
    }


def report(result: dict, verbose: bool = False) -> str:
    t = Counter(result["totals"])
    n = t["reports"]
    lines = [
        f"{result['folder']}: {t['files']} files, {n} reports",
        f"title right          {t['title']}/{n}",
        f"years right          {t['years']}/{n}",
        f"doc type right       {t['doc_type']}/{n}",
        f"region right         {t['region']}/{n}",
        f"chrome strings left  {t['chrome_left']} of {t['chrome']}",
        f"placeholders masked  {t['placeholders_masked']}/{t['placeholders']}, valued {t['placeholders_valued']} (must be 0)",
        f"figures              value recall {result['value_recall']:.2f} ({t['figures_found']}/{t['figures']}), "
        f"indicator accuracy {result['indicator_accuracy']:.2f} ({t['indicator_right']}/{t['figures']})",
        f"false rows           {t['false_rows']}",
        f"must_survive lost    {t['lost']} of {t['must_survive']}",
        f"headings found       {t['headings_found']}/{t['headings']}",
        f"reports per file     {t['n_reports_right']}/{t['files']} right",
        f"exceptions           {t['exceptions']}",
        "per doc type (right/n): " + ", ".join(f"{k} {v.get('right', 0)}/{v['n']}" for k, v in result["by_type"].items()),
    ]
    if result["chrome_left"]:
        lines.append("chrome left:")
        lines += [f"  {s}" for s in result["chrome_left"]]
    if verbose:
        for name, fails in result["failures"].items():
            lines.append(f"{name}:")
            lines += [f"  {f}" for f in fails]
    return "\n".join(lines)


def summary(result: dict) -> str:
    """One line of the headline measures, to set parts of a folder side by side."""
    t = Counter(result["totals"])
    n = t["reports"]
    return (f"{result['folder']}: {t['files']} files, title {t['title']}/{n}, years {t['years']}/{n}, "
            f"type {t['doc_type']}/{n}, region {t['region']}/{n}, chrome left {t['chrome_left']}/{t['chrome']}, "
            f"masked {t['placeholders_masked']}/{t['placeholders']} (valued {t['placeholders_valued']}), "
            f"indicator {result['indicator_accuracy']:.2f}, recall {result['value_recall']:.2f}, "
            f"false rows {t['false_rows']}, lost {t['lost']}/{t['must_survive']}, "
            f"headings {t['headings_found']}/{t['headings']}, reports/file {t['n_reports_right']}/{t['files']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=str(ARCHIVE), help="folder holding the pages and truth.json")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the failures of every file")
    parser.add_argument("--json", action="store_true", help="print the measures as JSON")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    entries = load_truth(args.dir)
    for problem in check_truth(entries):
        print(f"truth: {problem}", file=sys.stderr)
    _process(str(Path(args.dir) / entries[0]["file"]))  # loads the pipeline's dictionaries and tables
    loaded = time.perf_counter()
    result = measure(args.dir)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(report(result, args.verbose))
    splits = {e.get("split", "tune") for e in entries}
    if len(splits) > 1:
        print("by part (files marked split=test are held back from tuning):")
        for part in sorted(splits, reverse=True):
            print("  " + summary(measure(args.dir, part)))
    print(f"({time.perf_counter() - loaded:.1f} s for {len(entries)} files, after {loaded - start:.1f} s loading the pipeline)")


if __name__ == "__main__":
    main()
