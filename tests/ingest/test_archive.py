"""The development archive: scraped-page fixtures from many sites go through ingest without losing text.

Each file of tests/data/archive reproduces, in our own words, how real
document and government sites wrap a report (chrome inside sentences,
page markers, glosses, placeholders, traditional script, GBK/Big5, HTML).
What must hold for every file, now and later: it is processed without an
exception, none of its report sentences is lost, and passage offsets point
at the passage text. The quality measures (title, region, figures ...) are
printed by bench/eval_ingest.py.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from ingest.load import load
from ingest.pipeline import process_file

ROOT = Path(__file__).resolve().parents[2]
ARCHIVE = ROOT / "tests" / "data" / "archive"
TRUTH = json.loads((ARCHIVE / "truth.json").read_text("utf-8"))

_spec = importlib.util.spec_from_file_location("eval_ingest", ROOT / "bench" / "eval_ingest.py")
eval_ingest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_ingest)
fold = eval_ingest.fold

# Files whose must_survive spans are lost today, with the defect that loses them.
# Remove an entry when the defect is fixed (the xfail is not strict, so the
# fixed case reports XPASS until then).
LOSSES: dict[str, str] = {}


def _cases(known: dict[str, str]):
    for entry in TRUTH:
        marks = [pytest.mark.xfail(reason=known[entry["file"]], strict=False)] if entry["file"] in known else []
        yield pytest.param(entry, id=entry["file"], marks=marks)


@pytest.fixture(scope="module")
def processed():
    cache: dict[str, list] = {}

    def get(name: str):
        if name not in cache:
            cache[name] = process_file(ARCHIVE / name)
        return cache[name]

    return get


def test_the_archive_is_large_and_varied():
    names = [e["file"] for e in TRUTH]
    assert len(names) >= 30
    assert sum(n.endswith(".html") for n in names) >= 2
    assert sum(len(e["reports"]) > 1 for e in TRUTH) >= 3
    assert sorted(names) == sorted(p.name for p in ARCHIVE.iterdir() if p.name != "truth.json")
    encodings = {load(ARCHIVE / n, n).encoding for n in names}
    assert {"big5"} & encodings and {"gb18030", "gbk"} & encodings


@pytest.mark.parametrize("entry", _cases({}))
def test_truth_spans_are_in_the_file(entry):
    """A truth span that is not in its file would make a measure meaningless."""
    raw = fold(eval_ingest.page_text(ARCHIVE / entry["file"]))
    spans = [c for c in entry.get("chrome", [])]
    for rep in entry["reports"]:
        spans += [f["raw"] for f in rep.get("figures", [])] + rep.get("placeholders", []) + rep.get("not_figures", [])
        assert all(len(fold(s)) >= 12 for s in rep["must_survive"]), "must_survive spans are at least 12 characters"
    assert [s for s in spans if fold(s) not in raw] == []


@pytest.mark.parametrize("entry", _cases({}))
def test_every_file_is_processed(entry, processed):
    docs = processed(entry["file"])
    assert docs, f"{entry['file']}: no report"


@pytest.mark.parametrize("entry", _cases(LOSSES))
def test_no_report_sentence_is_lost(entry, processed):
    """Cleaning may drop chrome around and inside a sentence, never the sentence."""
    text = fold("\n".join(d.text for d in processed(entry["file"])))
    spans = [s for rep in entry["reports"] for s in rep["must_survive"]]
    assert [s for s in spans if fold(s) not in text] == []


@pytest.mark.parametrize("entry", _cases({}))
def test_passage_offsets_point_at_the_passage_text(entry, processed):
    for doc in processed(entry["file"]):
        assert doc.passages
        for p in doc.passages:
            assert doc.text[p.char_start : p.char_end] == p.text
