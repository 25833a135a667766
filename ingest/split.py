"""Split a compilation (`…范文(一)` … `(五)`, `【篇一】`, `第二篇`) into reports.

A boundary is a short line carrying an ordinal; lines of one family must
count 1, 2, 3 … in order and there must be at least two of them, so a
stray `(二)` heading never splits a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.clean import is_content
from ingest.patterns import CN_NUM, cn_to_int
from ingest.types import Line

_ORD = rf"[{CN_NUM}]{{1,3}}|\d{{1,2}}"
_FAMILIES = [
    # 2020精选教育局工作报告范文(一) / …总结【篇二】 / 范文1 / 范文之一
    re.compile(rf"^(?P<base>.{{2,60}}?)\s*(?:[(（【\[]\s*(?:篇|第)?\s*(?P<n>{_ORD})\s*篇?\s*[)）】\]]|之(?P<n2>{_ORD})|(?<=范文)(?P<n3>{_ORD}))$"),
    # 【篇一】标题 / 篇一：标题 / 范文一：标题 / 材料二
    re.compile(rf"^【?(?P<base>篇|范文|材料|文章|精选)\s*(?P<n>{_ORD})】?\s*(?:[:：]\s*)?(?P<title>.{{0,60}})$"),
    # 第一篇 标题
    re.compile(rf"^(?P<base>)第(?P<n>{_ORD})篇\s*(?:[:：]\s*)?(?P<title>.{{0,60}})$"),
]
_TITLE_WORD = re.compile(r"范文|篇|报告|总结|要点|计划|方案|汇报|讲话|材料|通报|文章")


@dataclass(frozen=True)
class Part:
    """One report of a file: its boundary title (if any) and its lines."""

    title: str
    lines: list[Line]


def _boundary(line: str) -> tuple[int, str, str] | None:
    if len(line) > 70:
        return None
    for fam, pattern in enumerate(_FAMILIES):
        m = pattern.match(line)
        if not m:
            continue
        groups = m.groupdict()
        token = groups.get("n") or groups.get("n2") or groups.get("n3")
        base = groups["base"]
        if fam == 0 and not _TITLE_WORD.search(base):
            continue
        n = cn_to_int(token) if token else 0
        if n:
            return n, f"{fam}:{base}", (groups.get("title") or "").strip()
    return None


def split_reports(lines: list[Line]) -> list[Part]:
    """Cut `lines` at compilation boundaries; a file without them is one part."""
    found = [(i, *b) for i, ln in enumerate(lines) if (b := _boundary(ln.text))]
    families: dict[str, list[tuple[int, int]]] = {}
    for i, n, key, _ in found:
        families.setdefault(key, []).append((i, n))
    cuts: list[int] = []
    for members in families.values():
        numbers = [n for _, n in members]
        if len(members) >= 2 and numbers == list(range(1, len(members) + 1)):
            cuts = [i for i, _ in members]
            break
    if not cuts:
        return [Part("", lines)]
    parts = []
    bounds = cuts + [len(lines)]
    for start, end in zip(bounds, bounds[1:]):
        chunk = lines[start:end]
        if any(is_content(ln.text) for ln in chunk):
            parts.append(Part(chunk[0].text, chunk))
    return parts
