"""Repairs on cleaned lines: page markers, broken lines, conversion damage.

Preview pages of document sites cut a report into pages and prefix each with
`N、`, often in the middle of a word (`…人民政府教` / `3、育督导委员会…`); text
exported from PDFs or scraped from narrow columns breaks lines mid-sentence.
Both are undone here, without ever gluing a heading to its paragraph.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from ingest.patterns import CN_NUM, LINE_END_OK, heading_marker, looks_like_title
from ingest.types import Line

_PAGE = re.compile(r"^(\d{1,3})、")
PAGE_MIN = 150  # a preview page holds at least this many characters


def join_page_markers(lines: list[Line]) -> list[Line]:
    """Strip `N、` page markers from runs of preview pages and join the pages.

    A run is two or more long lines numbered 1, 2, 3 … in order; a page is
    joined to the one before it without a break, since pages end mid-word.
    """
    numbered = [(i, int(m.group(1))) for i, ln in enumerate(lines) if (m := _PAGE.match(ln.text))]
    runs: list[list[tuple[int, int]]] = []
    for i, n in numbered:
        # The last page of a preview may be short, when the page before it stops mid-sentence.
        prev = lines[runs[-1][-1][0]].text if runs else ""
        if runs and n == runs[-1][-1][1] + 1 and len(prev) >= PAGE_MIN and (
            len(lines[i].text) >= PAGE_MIN or prev[-1] not in LINE_END_OK
        ):
            runs[-1].append((i, n))
        elif len(lines[i].text) >= PAGE_MIN:
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
_BIG_HEADING = re.compile(rf"^(?:第[{CN_NUM}\d]{{1,3}}(?:部分|章|篇)|[{CN_NUM}]{{1,3}}、|[（(][{CN_NUM}]{{1,3}}[)）])")
JOIN_MIN = 30  # shorter lines without end punctuation are titles or headings
WRAP_SLACK = 4  # a wrapped line may fall this many columns short of the wrap width
WRAP_MIN_LINES = 4


# East Asian wide and full-width ranges (Unicode EastAsianWidth W and F), as one
# class so that measuring a line runs in C rather than per character.
_WIDE = re.compile(
    "[\u1100-\u115f\u231a\u231b\u2329\u232a\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60"
    "\uffe0-\uffe6\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0003fffd]"
)


def width(text: str) -> int:
    """Display width in columns: a Chinese character or full-width form counts 2."""
    return len(text) + len(_WIDE.findall(text))


def wrap_width(lines: list[Line]) -> int:
    """The width at which a PDF or a narrow page wrapped its text, or 0 when it did not.

    Wrapped text has many lines of (nearly) one width, whatever that width is
    (20 to 40 characters in PDFs and previews); text with one paragraph per
    line has widths spread over hundreds of columns.
    """
    # Lines of hundreds of characters are paragraphs, never wrapped: count them as wide.
    widths = [width(ln.text) if len(ln.text) < 200 else 400 for ln in lines if len(ln.text) >= 8]
    if len(widths) < WRAP_MIN_LINES:
        return 0
    counts = Counter(widths)
    ordered = sorted(widths)
    best, best_n = 0, 0
    for w in counts:
        if w < 24:  # 12 Chinese characters: narrower is a list, not wrapped prose
            continue
        if len(ordered) - bisect.bisect_right(ordered, w + 2) > 0.1 * len(ordered):
            continue  # many lines run past it: paragraphs on one line each, not a wrap
        n = sum(counts.get(v, 0) for v in range(w - WRAP_SLACK, w + 2))
        if n > best_n or (n == best_n and w > best):
            best, best_n = w, n
    # Most full lines must be prose cut short, not a list of short items.
    return best if best_n >= WRAP_MIN_LINES and best_n >= 0.3 * len(widths) else 0


def _ends_open(text: str) -> bool:
    return text[-1] not in LINE_END_OK


def _glue(parts: list[str], total: int, ln: Line, wrap: int, quoted: int = 0, quote_run: bool = False) -> bool:
    """Does `ln` continue the line made of `parts` (`total` characters long)?"""
    first, last = parts[0], parts[-1]
    if _CONTINUES.match(ln.text):
        return True
    if quoted > 0 and total <= 2000 and not _BIG_HEADING.match(ln.text) and not ln.after_blank:
        return True  # a quotation left open: '…除了参加“' / '素质提升工程”' / '培训的费用…'
    if quote_run and _ends_open(last) and heading_marker(ln.text) is None and not ln.after_blank:
        return True  # the sentence a broken quotation sits in goes on after it closes
    if first.startswith("#") or ln.text.startswith("#") or " | " in last or " | " in ln.text:
        return False
    if not _ends_open(last):
        return False
    if _heading_goes_on(first, last, total, ln):
        return True
    # A line opening with a section marker ('一、强化理论武装，把稳政治方向') may be a
    # heading that happens to come near the wrap width: it goes on only when it fills it.
    slack = 0 if len(parts) == 1 and _BIG_HEADING.match(first) else WRAP_SLACK
    if wrap and width(last) >= wrap - slack and not _BIG_HEADING.match(ln.text):
        # A full line of wrapped text that stops mid-sentence goes on in the
        # next line, even across a page break, unless a new part begins there.
        return not ln.after_blank or "\u4e00" <= last[-1] <= "\u9fff"
    if ln.after_blank:
        return False
    # Only a short line can be a title or a heading: join those few pieces.
    prev = "".join(parts) if total <= 60 else ""
    return (
        (total >= JOIN_MIN or "，" in last or "，" in first or last[-1] in "、“《（(")
        and not looks_like_title(prev)
        and heading_marker(ln.text) is None
        and not looks_like_title(ln.text)
        and not (heading_marker(first) and total <= 60)
    )


HEADING_TAIL_MAX = 30  # the wrapped rest of a heading is a short phrase
_CLAUSE_PUNCT = re.compile(r"[，。；！？：]")


def _heading_goes_on(first: str, last: str, total: int, ln: Line) -> bool:
    """A heading broken after a comma ('一、坚持立德树人，推动育人方式改革，' / '全面提升学生综合素质').

    A heading never ends on a comma or an enumeration mark, so the short
    phrase without punctuation on the next line is the rest of its title,
    not its paragraph.
    """
    return (
        heading_marker(first) is not None
        and total <= 60
        and last[-1] in "，、"
        and not ln.after_blank
        and len(ln.text) <= HEADING_TAIL_MAX
        and not _CLAUSE_PUNCT.search(ln.text)
        and heading_marker(ln.text) is None
    )


def _open_after(quoted: int, text: str) -> int:
    """Open quotations after `text`; ASCII '"' toggles (it opens and closes alike)."""
    curly = quoted + text.count("“") - text.count("”")
    if '"' in text:
        curly = (curly + text.count('"')) % 2 if curly >= 0 else curly
    return max(curly, 0)


def rejoin_broken(lines: list[Line]) -> list[Line]:
    """Join lines broken in the middle of a sentence.

    A line is continued when the next one starts with punctuation that cannot
    open a sentence; in wrapped text (PDF, narrow previews) when it fills the
    wrap width and stops mid-sentence; otherwise when it is long, ends without
    sentence punctuation and the next line is neither a heading nor a title.
    A blank line in between is a paragraph break, except inside wrapped text
    cut mid-word. A heading is never glued to its paragraph.
    """
    wrap = wrap_width(lines)
    out: list[Line] = []
    parts: list[str] = []  # the pieces of the line being built, joined once: linear time
    total = 0
    start: Line | None = None
    quoted = 0  # quotation marks the line being built leaves open
    quote_run = False  # the line being built was continued inside a quotation
    for ln in lines:
        if start is not None and _glue(parts, total, ln, wrap, quoted, quote_run):
            quote_run = quote_run or quoted > 0
            parts.append(ln.text)
            total += len(ln.text)
            quoted = _open_after(quoted, ln.text)
            start = Line("", start.first, ln.last, start.after_blank)
            continue
        if start is not None:
            out.append(Line("".join(parts), start.first, start.last, start.after_blank))
        start, parts, total = ln, [ln.text], len(ln.text)
        quoted, quote_run = _open_after(0, ln.text), False
    if start is not None:
        out.append(Line("".join(parts), start.first, start.last, start.after_blank))
    return out
