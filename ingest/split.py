"""Split a compilation (`…范文(一)` … `(五)`, `【篇一】`, `第二篇`) into reports.

A boundary is a short line carrying an ordinal; lines of one family must
count 1, 2, 3 … in order and there must be at least two of them, so a
stray `(二)` heading never splits a report. Sites often leave the first
separator out (the page title lists `【篇一】【篇二】`, or announces
`【范例4篇】`): a family counting 2, 3 … then splits too, when a report
stands before its first member and the page's count, if it gives one, agrees.
Separators glued into running text by a page that lost its line breaks are
put on lines of their own first; separators listed as contents at the top
are skipped; a numbered table of contents without any separators splits
at the listed titles when all are found in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.clean import is_content
from ingest.patterns import CN_NUM, cn_to_int, looks_like_title
from ingest.types import Line

_ORD = rf"[{CN_NUM}]{{1,3}}|\d{{1,2}}"
_TITLE_WORDS = r"范文|范例|篇|报告|总结|要点|计划|方案|汇报|讲话|材料|通报|文章|发言|规划"
_FAMILIES = [
    # 2020精选教育局工作报告范文(一) / …总结【篇二】 / …（第三篇） / 范文之一
    re.compile(rf"^(?P<base>.{{2,60}}?)\s*(?:[(（【\[]\s*(?:篇|(?P<di>第))?\s*(?P<n>{_ORD})\s*(?P<count>篇)?\s*[)）】\]]|之(?P<n2>{_ORD}))$"),
    # 教育局工作总结篇1 / 范文3 / 幼儿园工作总结2 / 教育局季度工作总结一
    re.compile(rf"^(?P<base>.{{2,60}}?(?:{_TITLE_WORDS}))\s*(?P<n>{_ORD})$"),
    # 【篇一】标题 / 篇一：标题 / 范文一：标题 / 材料二
    re.compile(rf"^【?(?P<base>篇|范文|范例|材料|文章|精选)\s*(?P<n>{_ORD})】?\s*(?:[:：]\s*)?(?P<title>.{{0,60}})$"),
    # 第一篇 标题 / 第2篇：标题 / 【第1篇】标题
    re.compile(rf"^【?(?P<base>)第(?P<n>{_ORD})篇】?\s*(?:[:：]\s*)?(?P<title>.{{0,60}})$"),
]
_TITLE_WORD = re.compile(_TITLE_WORDS)
_BARE = re.compile(rf"^【?(?:篇|范文|范例|第)\s*(?:{_ORD})\s*篇?】?$")
# 【范例4篇】 / （通用3篇） / 精选(九篇) / 汇总五篇: how many reports the page says it holds.
_COUNT = re.compile(rf"[(（【\[]?\s*(?:通用|精选|范例|范文|汇总|合集)?\s*(?P<n>{_ORD})\s*篇\s*[)）】\]]?\s*$")


@dataclass(frozen=True)
class Part:
    """One report of a file: its boundary line (if any), its lines, and its own title line."""

    title: str
    lines: list[Line]
    own_title: str = ""


def _boundary(line: str) -> tuple[int, str, str] | None:
    """(ordinal, family key, title) of a separator line, or None."""
    if len(line) > 70:
        return None
    for fam, pattern in enumerate(_FAMILIES):
        m = pattern.match(line)
        if not m:
            continue
        groups = m.groupdict()
        if groups.get("count") and not groups.get("di"):
            continue  # '(九篇)' counts the reports, it does not number one
        token = groups.get("n") or groups.get("n2")
        base = groups["base"]
        if fam == 0 and not _TITLE_WORD.search(base):
            continue
        n = cn_to_int(token) if token else 0
        if n:
            return n, f"{fam}:{base}", (groups.get("title") or "").strip()
    return None


def is_separator(line: str) -> bool:
    """Does `line` look like a compilation separator ('…范文(二)', '【篇三】', '第2篇 …')?

    >>> is_separator("县教育局工作总结(二)"), is_separator("二、主要工作")
    (True, False)
    """
    return _boundary(line) is not None


def announced_count(lines: list[Line], head: int = 8) -> int:
    """How many reports the page says it holds ('【范例4篇】', '(通用3篇)'), or 0.

    >>> announced_count([Line("教育局工作总结【范例4篇】", 0, 0)])
    4
    """
    for ln in lines[:head]:
        if len(ln.text) <= 70 and (m := _COUNT.search(ln.text)):
            return cn_to_int(m.group("n"))
    return 0


# A separator glued into running text when a page lost its line breaks:
# '…仅供参考。教育督导工作总结1今年上半年，…', '…如下。【篇二】…'.
_INLINE = re.compile(
    rf"(?:^|(?<=[。！？!?]))(?:(?P<base>[^。！？!?，,；;：:\s]{{2,30}}?(?:{_TITLE_WORDS}))\s*(?:篇\s*)?(?P<n>\d{{1,2}})"
    rf"|(?P<bbase>【篇|第)(?P<bn>{_ORD})(?:篇|】))(?=[\u4e00-\u9fff“《（(])"
)
INLINE_MIN = 12  # a separator and the start of its text


def _unglue(lines: list[Line]) -> list[Line]:
    """Put separators glued into long lines on lines of their own.

    Only a run counting 1, 2, 3 … (at least two) under one name counts, so
    '工作总结1' inside a sentence never cuts a line. The pieces keep the raw
    line numbers of the line they come from.
    """
    found: dict[str, list[tuple[int, int, int, int]]] = {}
    for i, ln in enumerate(lines):
        if len(ln.text) < INLINE_MIN:
            continue
        for m in _INLINE.finditer(ln.text):
            key = m.group("base") or m.group("bbase")
            n = cn_to_int(m.group("n") or m.group("bn"))
            found.setdefault(key, []).append((i, m.start(), m.end(), n))
    best: list[tuple[int, int, int, int]] = []
    for members in found.values():
        if len(members) >= 2 and [n for *_, n in members] == list(range(1, len(members) + 1)) and len(members) > len(best):
            best = members
    if not best:
        return lines
    cuts: dict[int, list[tuple[int, int]]] = {}
    for i, start, end, _ in best:
        cuts.setdefault(i, []).append((start, end))
    out: list[Line] = []
    for i, ln in enumerate(lines):
        if i not in cuts:
            out.append(ln)
            continue
        pos = 0
        for start, end in cuts[i]:
            if ln.text[pos:start].strip():
                out.append(Line(ln.text[pos:start], ln.first, ln.last, ln.after_blank))
            out.append(Line(ln.text[start:end], ln.first, ln.last, True))
            pos = end
        if ln.text[pos:].strip():
            out.append(Line(ln.text[pos:], ln.first, ln.last, False))
    return out


_TOC = re.compile(r"^(?P<n>\d{1,2})\s*[.、．]\s*(?P<title>.{4,60}?)[\s.·…]*(?P<page>\d{1,3})?$")


def _squeeze(s: str) -> str:
    return "".join(s.split())


def _toc_cuts(lines: list[Line], head: int = 40) -> list[int]:
    """Where the reports listed in a table of contents ('1.某县…工作总结 2') begin.

    A compilation without separators often opens with its contents; each
    listed title then heads its report further down. All must be found, in order.
    """
    entries: list[str] = []
    end = 0
    for i, ln in enumerate(lines[:head]):
        m = _TOC.match(ln.text)
        if m and int(m.group("n")) == len(entries) + 1 and looks_like_title(m.group("title")):
            entries.append(_squeeze(m.group("title")))
            end = i + 1
        elif entries:
            break
    if len(entries) < 2:
        return []
    cuts: list[int] = []
    i = end
    for title in entries:
        while i < len(lines) and not (len(lines[i].text) <= 70 and _squeeze(lines[i].text) == title):
            i += 1
        if i == len(lines):
            return []
        cuts.append(i)
        i += 1
    return cuts


def _cuts(lines: list[Line]) -> list[int]:
    """Line indexes where reports begin, or [] for a single report."""
    content = [0]  # content[i]: lines of running text before line i
    for ln in lines:
        content.append(content[-1] + is_content(ln.text))
    families: dict[str, list[tuple[int, int]]] = {}
    for i, ln in enumerate(lines):
        if b := _boundary(ln.text):
            families.setdefault(b[1], []).append((i, b[0]))
    for key, members in families.items():
        # A separator with no text before the next one lists the reports (a
        # table of contents at the top), it does not head one.
        ends = [i for i, _ in members[1:]] + [len(lines)]
        families[key] = [(i, n) for (i, n), end in zip(members, ends) if content[end] > content[i + 1]]
    count = announced_count(lines)
    first_content = next((i for i in range(len(lines)) if content[i + 1] > content[i]), len(lines))
    best: list[int] = []
    for members in families.values():
        if not members:
            continue
        numbers = [n for _, n in members]
        if len(members) >= 2 and numbers == list(range(1, len(members) + 1)):
            cuts = [i for i, _ in members]
        elif numbers == list(range(2, len(members) + 2)) and count in (0, len(members) + 1):
            # The first report has no separator: it must stand before the second's,
            # and a lone '2' counts only as a bare separator line or with the page's count.
            first = members[0][0]
            if len(members) == 1 and count != 2 and not _BARE.match(lines[first].text):
                continue
            if first_content >= first:
                continue
            cuts = [0] + [i for i, _ in members]
        else:
            continue
        if count and len(cuts) != count and len(best) == count:
            continue
        if len(cuts) > len(best) or (count and len(cuts) == count and len(best) != count):
            best = cuts
    return best


def _part(chunk: list[Line]) -> Part:
    """A report's lines without its boundary line, which becomes `Part.title`.

    A separator is the compilation's, not the report's: kept in the text it
    would be searched, shown and read as a heading. A title written on the
    separator line ('第1篇 某县…工作总结') stays as the report's first line.
    """
    b = _boundary(chunk[0].text)
    label = chunk[0].text if b else ""
    own = b[2] if b and b[2] else ""
    if b:
        first = chunk[0]
        chunk = [Line(own, first.first, first.last, first.after_blank), *chunk[1:]] if own else chunk[1:]
    if not own:
        # The report's own title line right after its separator (or first).
        for ln in chunk[:2]:
            if looks_like_title(ln.text) and not _boundary(ln.text):
                own = ln.text
                break
    return Part(label, chunk, own)


def _lone_separator(lines: list[Line]) -> int:
    """Index of a separator heading a file that holds one report of a compilation, or -1.

    A page may show only the first of its reports ('第1篇 某县…总结', '【篇一】'
    and its title, then the text). Only the forms that name a compilation
    member outright count ('第1篇', '篇一', '范文一', '…范文(一)'), and only
    before the first line of running text, so '二、工作总结(二)' never does.
    """
    for i, ln in enumerate(lines[:8]):
        if is_content(ln.text):
            return -1
        b = _boundary(ln.text)
        if b and b[0] == 1 and (b[1][0] in "23" or re.search(r"范文|范例|篇", b[1])):
            return i
    return -1


def split_reports(lines: list[Line]) -> list[Part]:
    """Cut `lines` at compilation boundaries; a file without them is one part.

    Each part's lines start after its separator line, which is kept as the
    part's `title` (a title written on that line stays as the first line).
    """
    lines = _unglue(lines)
    cuts = _cuts(lines)
    if not cuts:
        cuts = _toc_cuts(lines)
    if not cuts:
        k = _lone_separator(lines)
        if k < 0:
            return [Part("", lines)]
        part = _part(lines[k:])
        return [Part(part.title, lines[:k] + part.lines, part.own_title)]
    parts = []
    bounds = cuts + [len(lines)]
    for start, end in zip(bounds, bounds[1:]):
        chunk = lines[start:end]
        if any(is_content(ln.text) for ln in chunk):
            parts.append(_part(chunk))
    return parts
