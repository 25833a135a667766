"""Damaged copies of the seeds still give their report; what cannot is refused with one clear line.

Two kinds of damage: to the text (cut, lines shuffled or run together) and to
the bytes of the file (a legacy encoding, cut inside a character, bytes
flipped). A variant that keeps most of a report must still give a report;
among all variants, only a few may be refused, and only with an IngestError
of one line naming the file.
"""

from __future__ import annotations

import hashlib
import random

import opencc
import pytest
from conftest import REPORTS_PER_SEED, SEEDS

from ingest.errors import IngestError
from ingest.load import load
from ingest.pipeline import process_text
from ingest.types import Format, RawText

# Share of all variants of a seed that must give a report. Random cuts that
# keep only a title line or a few words are expected to be refused.
MIN_REPORT_SHARE = 0.75
# Supersets read the common characters alike; a damaged byte may tip the choice to one.
FAMILIES = {"gb18030": {"gb18030"}, "big5": {"big5", "cp950", "big5hkscs"}, "utf-8": {"utf-8"}}


def _text_variants(text: str, rng: random.Random) -> list[tuple[str, str, bool]]:
    """(name, text, must give a report) for damage to the text itself."""
    lines = text.splitlines()
    out = []
    for _ in range(6):
        cut = rng.randrange(len(text))
        out.append((f"cut at {cut}", text[:cut], cut > len(text) * 0.6))
        out.append((f"start missing to {cut}", text[cut:], cut < len(text) * 0.4))
    shuffled = lines[:]
    rng.shuffle(shuffled)
    out.append(("lines shuffled", "\n".join(shuffled), True))
    out.append(("no 教育", text.replace("教育", ""), True))
    out.append(("no line breaks", text.replace("\n", ""), True))
    out.append(("broken at every comma", text.replace("，", "\n"), True))
    return out


def _flip(data: bytes, rng: random.Random, every: int) -> bytes:
    damaged = bytearray(data)
    for i in range(0, len(damaged), every):
        damaged[i + rng.randrange(min(every, len(damaged) - i))] = rng.randrange(0x80, 0x100)
    return bytes(damaged)


def _byte_variants(text: str, rng: random.Random) -> list[tuple[str, bytes, str]]:
    """(name, file bytes, encoding to detect) for damage to the file; each keeps the report and must give it."""
    traditional = opencc.OpenCC("s2t").convert(text)
    gbk = text.encode("gbk", errors="replace")
    big5 = traditional.encode("big5", errors="replace")
    utf8 = text.encode("utf-8")
    end = text.rindex("。")  # cut inside this character: its first bytes kept, the rest lost
    return [
        ("GBK", gbk, "gb18030"),
        ("Big5", big5, "big5"),
        ("GBK cut inside a character", text[:end].encode("gbk", errors="replace") + "。".encode("gbk")[:1], "gb18030"),
        ("UTF-8 cut inside a character", text[:end].encode("utf-8") + "。".encode("utf-8")[:2], "utf-8"),
        ("GBK, one byte in 500 flipped", _flip(gbk, rng, 500), "gb18030"),
        ("Big5, one byte in 500 flipped", _flip(big5, rng, 500), "big5"),
        ("UTF-8, one byte in 500 flipped", _flip(utf8, rng, 500), "utf-8"),
    ]


def _check(docs, source: str) -> None:
    assert docs, f"{source}: no report and no error"
    for doc in docs:
        assert doc.passages, f"{source}: a report without passages"
        for p in doc.passages:
            assert doc.text[p.char_start : p.char_end] == p.text


def _refused(exc: IngestError, name: str) -> str:
    message = str(exc)
    assert "\n" not in message and message.startswith(name), message
    return message


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_damaged_text_still_gives_the_report(seed):
    rng = random.Random(seed.name)
    reports, refused = 0, []
    variants = _text_variants(seed.read_text("utf-8"), rng)
    for name, text, must in variants:
        raw = RawText("x.txt", text, Format.TXT, hashlib.sha256(text.encode()).hexdigest())
        try:
            docs = process_text(raw)
        except IngestError as exc:
            message = _refused(exc, "x.txt")
            assert not must, f"{name}: refused although most of the report is there: {message}"
            refused.append(name)
            continue
        _check(docs, name)
        reports += 1
    assert reports >= MIN_REPORT_SHARE * len(variants), f"only {reports} of {len(variants)} gave a report; refused: {refused}"


# The byte damage is the same on any text; the long compilation seed (5 reports)
# would only make the run slower, so the single-report seeds carry this test.
SINGLE_REPORT_SEEDS = [p for p in SEEDS if REPORTS_PER_SEED.get(p.name) == 1]


@pytest.mark.parametrize("seed", SINGLE_REPORT_SEEDS, ids=lambda p: p.name[:3])
def test_damaged_bytes_still_give_the_report(seed, tmp_path, seed_docs):
    rng = random.Random(seed.name)
    for k, (name, data, encoding) in enumerate(_byte_variants(seed.read_text("utf-8"), rng)):
        path = tmp_path / f"{k}.txt"
        path.write_bytes(data)
        try:
            raw = load(path, name)
            docs = process_text(raw)
        except IngestError as exc:
            pytest.fail(f"{name}: refused: {_refused(exc, name)}")
        # The right decoding, not merely some decoding: a wrong one reads as mojibake.
        assert raw.encoding in FAMILIES[encoding], name
        _check(docs, name)
        assert len(docs) == len(seed_docs[seed.name]), name
