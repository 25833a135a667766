"""Repairs on cleaned lines: page markers, broken lines, conversion damage.

Preview pages of document sites cut a report into pages and prefix each with
`N、`, often in the middle of a word (`…人民政府教` / `3、育督导委员会…`); text
exported from PDFs or scraped from narrow columns breaks lines mid-sentence.
Both are undone here, without ever gluing a heading to its paragraph.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ingest.patterns import LINE_END_OK, heading_marker, looks_like_title
from ingest.types import Line

_PAGE = re.compile(r"^(\d{1,3})、")
PAGE_MIN = 150  # a preview page holds at least this many characters


def join_page_markers(lines: list[Line]) -> list[Line]:
    """Strip `N、` page markers from runs of preview pages and join the pages.

    A run is two or more long lines numbered 1, 2, 3 … in order; a page is
    joined to the one before it without a break, since pages end mid-word.
    """
    numbered = [
        (i, int(m.group(1)))
        for i, ln in enumerate(lines)
        if (m := _PAGE.match(ln.text)) and len(ln.text) >= PAGE_MIN
    ]
    runs: list[list[int]] = []
    for i, n in numbered:
        if runs and n == runs[-1][-1][1] + 1:
            runs[-1].append((i, n))
        else:
            runs.append([(i, n)])
    pages = {i for run in runs if len(run) >= 2 for i, _ in run}
    if not pages:
        return lines
    out: list[Line] = []
    for i, ln in enumerate(lines):
        if i not in pages:
            out.append(ln)
            continue
        text = _PAGE.sub("", ln.text, count=1)
        prev_is_page = bool(out) and (i - 1) in pages
        if prev_is_page:
            last = out.pop()
            out.append(Line(last.text + text, last.first, ln.last, last.after_blank))
        else:
            out.append(Line(text, ln.first, ln.last, ln.after_blank))
    return out


@lru_cache(maxsize=1)
def damage_table() -> tuple[tuple[str, str], ...]:
    """The reviewed (damaged, repaired) pairs, longest first."""
    text = resources.files("ingest").joinpath("data/repairs.tsv").read_text("utf-8")
    pairs = []
    for row in text.splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        cols = row.split("\t")
        if len(cols) >= 2 and cols[0] and cols[1]:
            pairs.append((cols[0], cols[1]))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def _damage_re() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(bad) for bad, _ in damage_table()))


def repair_damage(text: str) -> str:
    """Replace known conversion damage: '原那么' -> '原则', '根底上' -> '基础上'."""
    table = dict(damage_table())
    return _damage_re().sub(lambda m: table[m.group(0)], text)


_CONTINUES = re.compile(r"^[，。；、：！？）)”’》%]")
JOIN_MIN = 30  # shorter lines without end punctuation are titles or headings


def _ends_open(text: str) -> bool:
    return text[-1] not in LINE_END_OK


def rejoin_broken(lines: list[Line]) -> list[Line]:
    """Join lines broken in the middle of a sentence.

    A line is continued when the next one starts with punctuation that cannot
    open a sentence, or when it is long, ends without sentence punctuation and
    the next line is neither a heading nor a title. A blank line in between
    is a paragraph break unless the next line starts with such punctuation.
    """
    out: list[Line] = []
    for ln in lines:
        if out:
            prev = out[-1]
            glue = bool(_CONTINUES.match(ln.text))
            if not glue and not ln.after_blank:
                glue = (
                    (len(prev.text) >= JOIN_MIN or "，" in prev.text or prev.text[-1] in "、“《（(")
                    and not looks_like_title(prev.text)
                    and _ends_open(prev.text)
                    and not prev.text.startswith("#")
                    and " | " not in prev.text
                    and " | " not in ln.text
                    and not ln.text.startswith("#")
                    and heading_marker(ln.text) is None
                    and not looks_like_title(ln.text)
                    and not (heading_marker(prev.text) and len(prev.text) <= 60)
                )
            if glue:
                out[-1] = Line(prev.text + ln.text, prev.first, ln.last, prev.after_blank)
                continue
        out.append(ln)
    return out
