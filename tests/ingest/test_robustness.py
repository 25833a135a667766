"""Damaged variants of the seeds never crash the pipeline: a report or a clear IngestError."""

from __future__ import annotations

import hashlib
import random

import pytest
from conftest import SEEDS

from ingest.errors import IngestError
from ingest.pipeline import process_text
from ingest.types import Format, RawText


def _variants(text: str, rng: random.Random) -> list[str]:
    lines = text.splitlines()
    out = []
    for _ in range(6):
        cut = rng.randrange(len(text))
        out.append(text[:cut])  # truncated anywhere
        out.append(text[cut:])  # the start missing
    shuffled = lines[:]
    rng.shuffle(shuffled)
    out.append("\n".join(shuffled))
    out.append(text.replace("教育", ""))  # no office names, no 教育局
    out.append(text.replace("\n", ""))  # every line break lost
    out.append(text.replace("，", "\n"))  # broken at every comma
    return out


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_damaged_seeds_never_crash(seed):
    rng = random.Random(seed.name)
    for text in _variants(seed.read_text("utf-8"), rng):
        raw = RawText("x.txt", text, Format.TXT, hashlib.sha256(text.encode()).hexdigest())
        try:
            docs = process_text(raw)
        except IngestError:
            continue
        for doc in docs:
            for p in doc.passages:
                assert doc.text[p.char_start : p.char_end] == p.text
