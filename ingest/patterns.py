"""Patterns shared by several stages: heading markers, sentence ends, doc types."""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

CN_NUM = "一二三四五六七八九十百零〇两"
SENTENCE_END = "。！？；"
# Characters after which a line may end without the sentence being cut.
LINE_END_OK = SENTENCE_END + "：:!?…"



class Marker(str, Enum):
    """How a heading is marked: a closed choice, outermost numbered style first.

    A `str` Enum, so a member hashes and compares as its value ('cn') and
    dict lookups by either agree. Styles stay inside segmentation (a Section
    keeps the marker text, not its style), so nothing stored depends on them.
    """

    PART = "part"  # 第一部分 / 第二章 / 第3篇
    CN = "cn"  # 一、
    PCN = "pcn"  # （一）
    NUM = "num"  # 1. / 1、
    PNUM = "pnum"  # （1）
    CIRC = "circ"  # ①
    PLAIN = "plain"  # an unmarked short line that titles what follows
    MD = "md"  # '#' headings from .docx/.html; the number is the depth


# Numbered marker styles, outermost first. Each has a group `n` with the number.
MARKERS: dict[Marker, re.Pattern[str]] = {
    Marker.PART: re.compile(rf"第(?P<n>[{CN_NUM}]{{1,3}}|\d{{1,2}})(?:部分|章|篇)\s*"),
    Marker.CN: re.compile(rf"(?P<n>[{CN_NUM}]{{1,3}})\s*(?:、|[．.](?!\d))\s*"),
    Marker.PCN: re.compile(rf"[（(]\s*(?P<n>[{CN_NUM}]{{1,3}})\s*[)）]\s*[、．.]?\s*"),
    Marker.NUM: re.compile(r"(?P<n>\d{1,2})\s*(?:、|[.．](?![\d%]))\s*"),
    Marker.PNUM: re.compile(r"[（(]\s*(?P<n>\d{1,2})\s*[)）]\s*"),
    Marker.CIRC: re.compile(r"(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*"),
}
# Item markers: list entries more often than section headings.
ITEM_MARKERS = frozenset({Marker.NUM, Marker.PNUM, Marker.CIRC})
MARKER_RANK: dict[Marker, int] = {style: i for i, style in enumerate(MARKERS)}
ANY_MARKER = re.compile("|".join(f"(?:{p.pattern})".replace("?P<n>", "") for p in MARKERS.values()))

# 一是 / 二是 …: an inline enumeration inside a paragraph, not a heading.
INLINE_ENUM = re.compile(rf"(?:[{CN_NUM}]{{1,3}}是|第[{CN_NUM}]{{1,3}}[，,、]|其[一二三四五六七八九十][，,、]|[①②③④⑤⑥⑦⑧⑨⑩])")

DOC_TYPE_WORDS = (
    "工作总结|工作要点|工作计划|工作报告|工作方案|实施方案|督导报告|评估报告|自评报告|述职报告|"
    "调研报告|工作汇报|通报|总结|要点|计划|报告|方案|汇报|意见|通知|规划|讲话|发言|情况|"
    "致辞|欢迎辞|欢迎词|主持词|答谢词|开幕词|闭幕词"
)
DOC_TYPE_RE = re.compile(DOC_TYPE_WORDS)

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@lru_cache(maxsize=4096)
def cn_to_int(token: str) -> int:
    """Number of a marker token: '三' -> 3, '十二' -> 12, '12' -> 12, '③' -> 3."""
    if token.isdigit():
        return int(token)
    if token in _CIRCLED:
        return _CIRCLED.index(token) + 1
    import cn2an

    try:
        return int(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError):
        return 0


def heading_marker(text: str, pos: int = 0) -> tuple[Marker, int, int] | None:
    """The marker at `text[pos:]` as (style, number, end), or None."""
    for style, pattern in MARKERS.items():
        m = pattern.match(text, pos)
        if m:
            n = cn_to_int(m.group("n"))
            if n:
                return style, n, m.end()
    return None


def looks_like_title(line: str) -> bool:
    """A short line naming a report, e.g. '2021年教育督导工作要点'."""
    return (
        4 <= len(line) <= 60
        and bool(DOC_TYPE_RE.search(line))
        and line[-1] not in SENTENCE_END + "，"
        and heading_marker(line) is None
    )
