"""Segment a cleaned report into sections (heading tree) and passages.

Headings follow the hierarchy 一、 > （一） > 1. > （1）, plus unmarked short
title lines and `#` headings from .docx/.html. A marker only counts as a
heading when it continues a numbering sequence that is open (or starts one
at 1), which rejects stray numbers and copes with reports that reuse 一、
for a nested list. Headings are found on their own lines, run into their
body, glued to the title, and inline after a sentence end, whether the
report kept its line breaks, lost them all, or was wrapped by a PDF export
at any width (measured from the text). Preview page numbers (`2、` that
continues a word), contents lists, numbered sentences and numbers that
count on (一、二年级) are text, not headings.

Passages never cross a section boundary; long bodies are cut at sentence
ends or before inline enumerations (一是…二是…) into balanced pieces. Every
step is linear in the text: each paragraph and marker is visited a bounded
number of times, and the numbering stack has a bounded depth.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from ingest.patterns import (
    ANY_MARKER,
    CN_NUM,
    ITEM_MARKERS,
    LINE_END_OK,
    MARKER_RANK,
    Marker,
    SENTENCE_END,
    cn_to_int,
    heading_marker,
    looks_like_title,
)
from ingest.split import is_separator
from ingest.types import Passage, Section

MIN_CHARS = 150
MAX_CHARS = 500
HEADING_MAX = 60  # a whole line up to this long may be a heading
COLLAPSED_MIN = 300  # a paragraph this long with inline headings lost its breaks
INLINE_TITLE_MAX = 30  # an inline heading inside a paragraph that kept its breaks is short

_BOUNDARY_BEFORE = SENTENCE_END + "：: "
# A marker right after a sentence end: where an inline heading may start.
_INLINE_AT = re.compile(
    rf"(?<=[{_BOUNDARY_BEFORE}])(?:{ANY_MARKER.pattern})"
    # The first heading glued to a title repeated at the head of the body:
    # '…工作总结与2023年工作计划打算一、2022年亮点工作(一)…'.
    rf"|(?<=总结|计划|打算|要点|报告|汇报|思路|方案|安排)(?:一、|第一部分)"
)
_PAGE_MARK = re.compile(r"\d{1,3}、\s*")
_END_PUNCT = re.compile(r"[。！？；：]")
_SENTENCE = re.compile(r"[，。；！？]")
# How the first sentence of a body glued to its heading opens: a date, the
# speaker (我局, 我校), a time phrase with its comma, an enumeration (一是).
_GLUED_START = re.compile(
    rf"\d{{1,2}}月\d{{1,2}}日|\d{{4}}年(?:\d|以来|[上下]半年[，,]|[，,])"
    rf"|(?:xx|XX|我|全)?(?:县|区|市|省)(?:委|政府|人民政府|教育|教体)|我(?:局|校|园|县|区|市|镇|们)|针对|根据|按照|为进一步"
    rf"|(?:今年|去年|一年来|半年来|近年来|近几年|本年度|本学期)(?:以来)?[，,]|截至(?:目前|今年|去年|年底|\d)|目前[，,]"
    rf"|[{CN_NUM}]是"
)
# A heading that names the plans part ends with that name when its body follows without a break:
# '二、明年工作计划继续推进…', '三、2024年工作打算全面落实…'.
# So does a heading naming a state of affairs: '（一）重点项目推进情况截至目前，…'.
_PLAN_HEADING_END = re.compile(
    r"(?:(?:工作|下一步)(?:计划|打算|安排|思路|要点)|(?:基本|推进|完成|落实|建设|进展|开展|工作|主要|总体|办学|发展)情况)"
    r"(?=[\u4e00-\u9fff“])(?![和及与的暨介分汇报说通统调表如])"
)
_SENT_SPLIT = re.compile(rf"(?<=[{SENTENCE_END}])[”’」』)）]*")
_ENUM_SPLIT = re.compile(rf"(?<=[，。；：,;:\s])(?=[{CN_NUM}]{{1,3}}是)")


@dataclass
class _Heading:
    start: int  # offset of the marker
    body: int  # offset where the section's own text begins
    style: Marker
    n: int
    marker: str
    title: str
    level: int = 0


@dataclass
class _Open:
    style: Marker
    last: int
    section: int


# After a marker, another number that goes on counting ('一、二年级', '3、4月份',
# '一、二、三等奖') makes the marker part of a sentence, not a heading.
_COUNTING_ON = re.compile(rf"(?:[{CN_NUM}]+|\d+)(?:、|年级|等奖|月份?|日|号)")


# A number in square brackets opening a line ('【三】加强教师队伍建设'): some sites
# write their headings so. Read as 三、 first and as （三） where that does not fit.
_BRACKETED = re.compile(rf"【\s*([{CN_NUM}]{{1,3}})\s*】\s*")


def _marker(text: str, pos: int) -> tuple[Marker, int, int] | None:
    """The heading marker at `pos` (see `heading_marker`), unless the text counts on after it."""
    hm = heading_marker(text, pos)
    if hm is None and (m := _BRACKETED.match(text, pos)) and (n := cn_to_int(m.group(1))):
        hm = (Marker.CN, n, m.end())
    if hm and _COUNTING_ON.match(text, hm[2]):
        return None
    return hm


def _clip_title(text: str) -> str:
    """The words of a heading, without the punctuation scraped text leaves around them ('二、，办学…')."""
    title = text.strip().strip("。；：，、:;, *").strip()
    if title.endswith("】") and "【" not in title:  # '【三、保障措施】' lost its opening bracket to the marker
        title = title[:-1].rstrip("。；：，:;, ")
    return title


def _prep_boundary(text: str, start: int, limit: int) -> int | None:
    """Offset of a preposition that starts a sentence glued to a heading."""
    from ingest.words import tagged

    pos, prev = start, ""
    for word, flag in tagged(text[start:limit], hmm=False):
        if flag == "p" and pos - start >= 4 and prev[:1] in ("n", "v", "j", "l") and prev != "v":
            return pos
        prev = flag
        pos += len(word)
    return None


def _heading_end(text: str, start: int, stop: int, whole_line: bool) -> tuple[int, int]:
    """(end of heading title, start of body) for a heading whose text starts at `start`."""
    if whole_line:
        m = _PLAN_HEADING_END.search(text, start, stop)
        if m and m.start() - start <= INLINE_TITLE_MAX and _SENTENCE.search(text, m.end(), stop):
            return m.end(), m.end()  # '二、明年工作计划继续推进…，…。' on one line
        return stop, stop
    window = text[start : min(stop, start + HEADING_MAX)]
    ends = []
    if m := _END_PUNCT.search(window):
        ends.append((m.start(), m.end()))
    for m in _GLUED_START.finditer(window):
        if m.start() >= 4:
            ends.append((m.start(), m.start()))
            break
    if m := _PLAN_HEADING_END.search(window):
        ends.append((m.end(), m.end()))
    for m in ANY_MARKER.finditer(text, start + 2, start + len(window)):
        if _marker(text, m.start()):
            ends.append((m.start() - start, m.start() - start))
            break
    nearest = min([e for e, _ in ends] + [len(window)])
    if nearest > 4 and (not (m := _END_PUNCT.search(window)) or m.start() > INLINE_TITLE_MAX):
        # Nothing marks where a short heading stops: a preposition opening
        # the first sentence of the body does ('指导思想以习近平…'). Only the
        # words before the nearest other end are tagged.
        if (p := _prep_boundary(text, start, start + nearest)) is not None:
            ends.append((p - start, p - start))
    if ends:
        end, body = min(ends)
        return start + end, start + body
    m = _END_PUNCT.search(text, start, min(stop, start + 100))
    if m:
        return m.start(), m.end()
    if stop - start <= HEADING_MAX:
        return stop, stop
    cut = text.rfind("，", start, start + 30)
    end = cut if cut > start else start + 30
    return end, end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


class _Cand(NamedTuple):
    """A heading marker found in the text, before the numbering checks."""

    pos: int
    style: Marker
    n: int  # the number; for Marker.MD the depth
    end: int  # end of the marker
    line_start: bool
    strict: bool = False  # only continues an open numbering, never starts one
    short: bool = False  # inline in a paragraph with its breaks: a short title only


def _wrap_width(text: str, paras: list[tuple[int, int]]) -> int:
    """The width a PDF export wrapped its lines at, or 0 when it did not.

    Wrapped text has many lines of one length (or one less, where a
    full-width mark did not fit); ordinary paragraphs vary in length.
    Measured, not configured, because every export wraps at its own width.
    """
    # Lines that open with a marker are headings, whose lengths may agree by chance.
    counts = Counter(b - a for a, b in paras if b - a >= 12 and not heading_marker(text, a))
    total = sum(counts.values())
    if total < 8:
        return 0
    width, share = max(((w, counts[w] + counts.get(w - 1, 0)) for w in counts), key=lambda x: (x[1], x[0]))
    return width if width >= 16 and share >= max(8, 0.3 * total) else 0


def _cut(text: str, a: int, b: int, wrap: int) -> bool:
    """The paragraph [a, b) is a wrapped line that continues on the next line."""
    return wrap > 0 and b - a >= wrap - 2 and text[b - 1] not in LINE_END_OK


def _page_continuation(text: str, pos: int, prev: tuple[int, int] | None) -> bool:
    """A `N、` at `pos` that numbers a preview page, not a heading.

    Document sites cut a report into pages and prefix each with `N、`, often
    in the middle of a word: the page before runs on without a sentence end.
    """
    if prev is None or not _PAGE_MARK.match(text, pos):
        return False
    a, b = prev
    return b - a > HEADING_MAX and text[b - 1] not in LINE_END_OK


def _candidates(text: str, a: int, b: int, title_end: int, prev: tuple[int, int] | None, wrap: int) -> list[_Cand]:
    """Heading markers in paragraph [a, b), in order."""
    out: list[_Cand] = []
    first = max(a, title_end)
    while first < b and text[first] in " 【*":  # '【三、保障措施】', '**一、指导思想**'
        first += 1
    if first > a and text[first - 1] != " " and not heading_marker(text, first):
        first = max(a, title_end)
    para = text[a:b]
    if para.startswith("#"):
        depth = len(para) - len(para.lstrip("#"))
        return [_Cand(a, Marker.MD, depth, a + depth, True)]
    lead = _marker(text, first)
    if lead and _page_continuation(text, first, prev):
        lead = None
    if lead and (inner := _marker(text, lead[2])) and MARKER_RANK[inner[0]] < MARKER_RANK[lead[0]]:
        # '3、（四）…': a page number before a real heading.
        first, lead = lead[2], inner
    if lead:
        # After a wrapped line cut mid-sentence a marker may be a number the
        # sentence goes on with; it then has to continue an open numbering.
        after_cut = prev is not None and _cut(text, *prev, wrap)
        out.append(_Cand(first, lead[0], lead[1], lead[2], True, after_cut))
    inline = []
    for m in _INLINE_AT.finditer(text, first + 1, b):
        hm = _marker(text, m.start())
        if hm and not text.startswith(("是", "点"), hm[2]):
            inline.append(_Cand(m.start(), hm[0], hm[1], hm[2], False))
    if len(inline) >= 2 and not _SENTENCE.search(text, first, b):
        return out  # markers without a sentence between them: a table of contents
    if b - a >= COLLAPSED_MIN and sum(1 for c in inline if c.style in (Marker.CN, Marker.PCN)) >= 2:
        # A report whose line breaks were lost: its headings run inline.
        return out + inline
    # Elsewhere an inline marker continues an open numbering, or starts one
    # at 1 after a sentence end when its 2 follows in the same paragraph.
    seen = {(c.style, c.n) for c in out + inline}
    for c in inline:
        opens = c.n == 1 and (c.style, 2) in seen and text[c.pos - 1] in SENTENCE_END
        out.append(c._replace(strict=not opens, short=True))
    return out


SENTENCE_COMMAS = 2  # a heading may hold two clauses ('坚持…，落实…'); more commas make a sentence


def _runs_on(text: str, start: int, b: int, nxt: tuple[int, int]) -> bool:
    """A numbered sentence wrapped onto the next line, once the wrap width is gone.

    Cleaning joins wrapped body lines but never a marked line to the next, so
    a marked line of PDF text ('（四）深化…工作，课后服务覆盖率保持在100%，学生参与率' /
    '达到95%以上。') reaches here unjoined and with no width to measure. It
    holds a sentence's commas, stops without a sentence end, and the next line,
    shorter than it, only ends that sentence; only its first clause titles it.
    """
    na, nb = nxt
    return (
        text.count("，", start, b) >= SENTENCE_COMMAS
        and text[b - 1] not in SENTENCE_END
        and _marker(text, na) is None
        and nb - na < b - start  # the rest of a wrapped line is shorter than a whole one
        and text[nb - 1] in SENTENCE_END
        and not any(ch in SENTENCE_END for ch in text[na : nb - 1])  # the end of one sentence, not a paragraph
    )


def _wrapped_on(text: str, name: str, nxt: tuple[int, int], after: tuple[int, int]) -> bool:
    """A heading of clauses ('深化党建引领，全面加强学校') whose last clause goes on in the next line.

    Editors wrap a long heading wherever the width ends, often with no comma
    at the break ('…全面加强学校' / '党的建设和思想政治工作'). Only a heading
    written in clauses is taken to run on, and only into a short line with no
    punctuation and no marker that stands right before running text; a
    one-phrase heading over an unmarked subheading keeps both apart.
    """
    na, nb = nxt
    rest = text[na:nb].strip()
    return (
        "，" in name
        and 2 <= len(rest) <= HEADING_MAX - len(name)
        and not re.search(r"[，。；！？：:,;!?、（）()【】]", rest)
        and _marker(text, na) is None
        and not looks_like_title(rest)
        and bool(_SENTENCE.search(text, *after))
        and _marker(text, after[0]) is None
    )


def _plain_heading(line: str) -> bool:
    """A short unmarked line that titles what follows, e.g. '2020年工作总结'."""
    return (
        2 <= len(line) <= 30
        and line[-1] not in SENTENCE_END + "：:，,"
        and not re.search(r"[，。；]", line)
        and heading_marker(line) is None
    )


def _squeeze(s: str) -> str:
    return "".join(s.split())


def _title_end(text: str, title: str, paras: list[tuple[int, int]], wrap: int = 0) -> int:
    """Offset after a leading document title, or 0.

    The title may fill the first line (repeated on the next, as PDF exports
    do), follow a page number, or run on into the first heading or the body
    when the line breaks were lost ('…工作打算一、2022年亮点工作…').
    """
    if not paras:
        return 0
    # The title line may sit below an issuer or a document number.
    end = skip = 0
    for k, (a, b) in enumerate(paras[:8]):
        line = text[a:b]
        if looks_like_title(line) or (title and _squeeze(line) == _squeeze(title)):
            end, skip, paras = b, 0, paras[k:]
            break
        mark = m.end() if (m := _PAGE_MARK.match(line)) else 0
        if k and len(title) >= 6 and line.startswith(title, mark):
            # '1、<title>目录…': the title after a page number, glued to what follows.
            end, skip, paras = a + mark + len(title), mark, paras[k:]
            break
        if (hm := heading_marker(line)) and hm[0] in (Marker.CN, Marker.PCN):
            break
    if not end:
        a, b = paras[0]
        first = text[a:b]
        skip = m.end() if (m := _PAGE_MARK.match(first)) else 0
        if len(title) >= 6 and first.startswith(title, skip):
            end = a + skip + len(title)
        else:
            # A title glued to the first heading: '2021年教育督导工作要点一、指导思想…'
            for pos in range(skip + 4, min(len(first), skip + 60)):
                hm = heading_marker(first, pos)
                if hm and hm[0] in (Marker.CN, Marker.PART) and looks_like_title(first[skip:pos].strip()):
                    return a + pos
            return 0
    a = paras[0][0]
    rest = paras[1:3]
    if rest and end == paras[0][1] and (_cut(text, *paras[0], wrap) or (title and _squeeze(title).startswith(_squeeze(text[a:end])))):
        # A title wrapped onto a second line.
        pa, pb = rest[0]
        whole = _squeeze(text[a + skip : pb])
        if pb - pa < HEADING_MAX and not heading_marker(text, pa) and not _SENTENCE.search(text, pa, pb):
            if not title or _squeeze(title) == whole or _cut(text, *paras[0], wrap):
                end, rest = pb, paras[2:4]
    # The same title again right below, e.g. with spaces around its numbers;
    # or the report's own title below a compilation's separator line.
    shown = _squeeze(text[a + skip : end])
    for pa, pb in rest:
        line = text[pa:pb]
        if _squeeze(line) != shown and not (is_separator(text[a:end]) and looks_like_title(line)):
            break
        end, shown = pb, _squeeze(line)
    return end


def outline(text: str, title: str = "") -> tuple[list[_Heading], int]:
    """Accepted headings of `text` in order, and the end offset of its title."""
    paras = _paragraphs(text)
    wrap = _wrap_width(text, paras)
    t_end = _title_end(text, title, paras, wrap)
    headings: list[_Heading] = []
    stack: list[_Open] = []
    prev: tuple[int, int] | None = None
    taken = t_end  # text before this offset is already a title or a heading
    for k, (a, b) in enumerate(paras):
        if b <= taken:
            continue
        cands = _candidates(text, a, b, t_end, prev, wrap)
        after_sentence = prev is None or text[prev[1] - 1] in LINE_END_OK or (
            bool(headings) and headings[-1].body >= prev[1]
        ) or prev[1] <= t_end
        prev = (a, b)
        if (
            not cands
            and _plain_heading(text[a:b])
            and a >= t_end
            and b - a < 31
            and after_sentence
            and not (wrap and b - a >= wrap - 2)
            # Inside an open numbering only a line naming a report ('2021年工作要点') starts a new part.
            and (not any(o.style in (Marker.CN, Marker.PCN, Marker.PART) for o in stack) or looks_like_title(text[a:b]))
        ):
            headings.append(_Heading(a, b, Marker.PLAIN, 1, "", text[a:b].strip(), 0))
            stack = [_Open(Marker.PLAIN, 1, len(headings) - 1)]
            continue
        i = 0
        injected = None
        while injected or i < len(cands):
            if injected:
                c, injected = injected, None
            else:
                c = cands[i]
                i += 1
            if headings and c.pos < headings[-1].body:
                continue
            trial = [_Open(o.style, o.last, o.section) for o in stack]  # committed once accepted
            level = _accept(trial, c.style, c.n, exact=c.strict)
            if level is None and _BRACKETED.match(text, c.pos):
                level = _accept(trial, Marker.PCN, c.n, exact=c.strict)
                c = c._replace(style=Marker.PCN)
            if level is None:
                continue
            while i < len(cands) and cands[i].pos <= c.pos:
                i += 1
            stop = cands[i].pos if i < len(cands) else b
            if c.end >= b and k + 1 < len(paras):
                # A marker alone on its line ('一、' / '加强党的建设'): the next line is its title.
                na, nb = paras[k + 1]
                if nb - na <= HEADING_MAX and not _END_PUNCT.search(text, na, nb - 1) and not _marker(text, na):
                    stack[:] = trial
                    headings.append(_Heading(c.pos, nb, c.style, c.n, text[c.pos : b].strip(), _clip_title(text[na:nb]), level))
                    stack[-1].section = len(headings) - 1
                    taken = nb
                    prev = (na, nb)
                    break
            own_line = c.line_start and stop == b and b - c.end <= HEADING_MAX and not _END_PUNCT.search(text, c.end, b - 1)
            cut = own_line and (_cut(text, a, b, wrap) or (k + 1 < len(paras) and _runs_on(text, c.end, b, paras[k + 1])))
            t_stop, body = _heading_end(text, c.end, stop, own_line and not cut)
            if cut and not _END_PUNCT.search(text, c.end, b):
                # A wrapped item: its first clause is what titles it.
                comma = text.find("，", c.end + 2, b)
                t_stop = body = comma if comma > 0 else b
            if c.short and (t_stop - c.end > INLINE_TITLE_MAX or "，" in text[c.end : t_stop] or text.startswith(("；", ";", "，"), t_stop)):
                continue  # an item of a list or a numbered sentence inside a paragraph
            if (
                c.line_start
                and c.style in ITEM_MARKERS
                and stop == b
                and b - c.end > INLINE_TITLE_MAX
                and text[b - 1] in SENTENCE_END
                and not _END_PUNCT.search(text, c.end, b - 1)
            ):
                continue  # a numbered sentence on its own line: an item of a list
            if c.style in ITEM_MARKERS and text.startswith(("；", ";"), t_stop):
                continue  # '1.加强领导；2.完善制度。': items of a list, wherever they start
            name = _clip_title(text[c.end : t_stop])
            if own_line and not cut and t_stop == b and k + 2 < len(paras) and _wrapped_on(text, name, paras[k + 1], paras[k + 2]):
                # The heading's last clause runs on to the next line: its rest joins the title.
                na, nb = paras[k + 1]
                name += _clip_title(text[na:nb])
                body = taken = nb
                prev = (na, nb)
            stack[:] = trial
            h = _Heading(c.pos, body, c.style, c.n, text[c.pos : c.end].strip(), name, level)
            headings.append(h)
            stack[-1].section = len(headings) - 1
            if body < b and (hm := _marker(text, body)) and not (i < len(cands) and cands[i].pos == body):
                injected = _Cand(body, hm[0], hm[1], hm[2], False)
    return _drop_empty_leaves(text, headings), t_end


def _accept(stack: list[_Open], style: Marker, n: int, exact: bool = False) -> int | None:
    """Fit a marker into the open numbering sequences; its depth, or None.

    With `exact`, the marker must be the next number of an open sequence.
    A `#` heading (Marker.MD, n = its depth) closes what is not a shallower `#`.
    """
    if style is Marker.MD:
        while stack and not (stack[-1].style is Marker.MD and stack[-1].last < n):
            if stack[-1].style is Marker.PLAIN:
                break
            stack.pop()
        stack.append(_Open(style, n, -1))
        return len(stack) - 1
    for depth in range(len(stack) - 1, -1, -1):
        op = stack[depth]
        if op.style == style and (op.last + 1 == n if exact else op.last < n <= op.last + 2):
            del stack[depth + 1 :]
            op.last = n
            return depth
    if n != 1 or exact:
        return None
    # A new sequence nests under the innermost open one of equal or higher
    # rank (a reused 一、 nests under 一、); lower-ranked ones are closed.
    rank = MARKER_RANK[style]
    while stack and MARKER_RANK.get(stack[-1].style, -1) > rank:
        stack.pop()
    # Nest a reuse once: a third open 一、 sequence replaces the second, so
    # the depth stays bounded (a file of many reports each opening with 一、
    # would otherwise nest ever deeper and make every lookup slower).
    same = [d for d, op in enumerate(stack) if op.style == style]
    if len(same) >= 2:
        del stack[same[1] :]
    stack.append(_Open(style, 1, -1))
    return len(stack) - 1


def _drop_empty_leaves(text: str, headings: list[_Heading]) -> list[_Heading]:
    """Turn list items and signatures that head no text back into text.

    A low-level marker (1. / (1) / ①) or an unmarked line that is followed
    directly by another heading, and has no sub-headings, is an item of a
    list, not a section; keeping it as a heading would hide it from search.
    """
    keep = []
    dropped: tuple[str, int] | None = None  # (style, level) of the last item turned back into text
    for i, h in enumerate(headings):
        nxt = headings[i + 1] if i + 1 < len(headings) else None
        end = nxt.start if nxt else len(text)
        has_child = nxt is not None and nxt.level > h.level
        body = text[h.body : end].strip()
        # A （一） item that is a whole sentence (clauses, or long) and heads nothing is a list item too,
        # and so is the last of such a list when only a signature or a date follows it.
        sentence = "，" in h.title or len(h.title) > INLINE_TITLE_MAX
        item = h.style in ITEM_MARKERS or h.style is Marker.PLAIN or (h.style is Marker.PCN and sentence)
        last_of_list = dropped == (h.style, h.level) and len(body) <= 30 and not _SENTENCE.search(body)
        if item and not has_child and (not body or last_of_list):
            dropped = (h.style, h.level)
            continue
        dropped = None
        keep.append(h)
    return keep


def _units(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Sentence-ish units of [a, b): cut after sentence ends and before 二是/三是."""
    cuts = {a, b}
    for m in _SENT_SPLIT.finditer(text, a, b):
        cuts.add(m.end())
    for m in _ENUM_SPLIT.finditer(text, a, b):
        cuts.add(m.start())
    points = sorted(c for c in cuts if a <= c <= b)
    units = []
    for s, e in zip(points, points[1:]):
        while e - s > MAX_CHARS:
            cut = text.rfind("，", s + MIN_CHARS, s + MAX_CHARS)
            cut = cut + 1 if cut > 0 else s + MAX_CHARS
            units.append((s, cut))
            s = cut
        if e > s:
            units.append((s, e))
    return units


def _balanced(units: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Group consecutive units into about-equal chunks of at most MAX_CHARS."""
    total = units[-1][1] - units[0][0]
    k = max(1, math.ceil(total / MAX_CHARS))
    while True:
        target = total / k
        chunks: list[tuple[int, int]] = []
        cur_start, cur_end = units[0]
        for s, e in units[1:]:
            over = e - cur_start > MAX_CHARS
            closer = (e - cur_start) - target > target - (cur_end - cur_start)
            if over or (closer and len(chunks) < k - 1):
                chunks.append((cur_start, cur_end))
                cur_start = s
            cur_end = e
        chunks.append((cur_start, cur_end))
        if all(e - s <= MAX_CHARS for s, e in chunks) or k >= len(units):
            return chunks
        k += 1


def _chunk(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Passages for the text blocks of one section body."""
    pieces: list[tuple[int, int]] = []
    for a, b in blocks:
        if b - a > MAX_CHARS:
            pieces.extend(_balanced(_units(text, a, b)))
        else:
            pieces.append((a, b))
    merged: list[tuple[int, int]] = []
    for a, b in pieces:
        if merged and (b - merged[-1][0] <= MAX_CHARS) and (
            merged[-1][1] - merged[-1][0] < MIN_CHARS or b - a < MIN_CHARS
        ):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def segment(text: str, doc_id: str, title: str = "") -> tuple[list[Section], list[Passage]]:
    """Sections and passages of one cleaned report.

    Each passage keeps the heading path above it and its offsets into `text`.
    """
    headings, t_end = outline(text, title)
    sections: list[Section] = []
    parents: list[int] = []
    ends = [len(text)] * len(headings)
    for i, h in enumerate(headings):
        # A section runs to the next heading at its level or above.
        while parents and headings[parents[-1]].level >= h.level:
            ends[parents.pop()] = h.start
        parents.append(i)
    parents = []
    for i, h in enumerate(headings):
        while parents and headings[parents[-1]].level >= h.level:
            parents.pop()
        parent = parents[-1] if parents else -1
        sections.append(Section(i, h.level, h.marker, h.title, h.start, ends[i], parent))
        parents.append(i)

    def path(i: int) -> tuple[str, ...]:
        out = []
        while i >= 0:
            h = headings[i]
            out.append(h.title if h.style in (Marker.PLAIN, Marker.MD) else f"{h.marker}{h.title}")
            i = sections[i].parent
        return tuple(reversed(out))

    # The body of each section is the text between its heading and the next heading.
    spans = [(-1, t_end, headings[0].start if headings else len(text))]
    for i, h in enumerate(headings):
        nxt = headings[i + 1].start if i + 1 < len(headings) else len(text)
        spans.append((i, h.body, nxt))
    paras = _paragraphs(text)
    passages: list[Passage] = []
    first = 0  # paragraphs before this one end before the current span
    for sec, a, b in spans:
        blocks = []
        while first < len(paras) and paras[first][1] <= a:
            first += 1
        k = first
        while k < len(paras) and paras[k][0] < b:
            s, e = _strip(text, max(paras[k][0], a), min(paras[k][1], b))
            if e > s:
                blocks.append((s, e))
            k += 1
        heading = path(sec) if sec >= 0 else ()
        for s, e in _chunk(text, blocks):
            k = len(passages)
            passages.append(Passage(f"{doc_id}.p{k:03d}", k, heading, s, e, text[s:e], sec))
    return sections, passages
