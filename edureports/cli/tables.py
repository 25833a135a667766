"""Aligned text tables for the terminal: Chinese headers, columns padded by display width (CJK counts two).

Python's str.ljust pads by characters, so a column of Chinese text ends up
twice as wide as a column of digits; wcwidth gives each character the cells a
terminal gives it.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Sequence
from enum import Enum

from wcwidth import wcswidth, wcwidth

ELLIPSIS = "…"
GAP = "  "


class Align(str, Enum):
    LEFT = "left"
    RIGHT = "right"


def width(text: str) -> int:
    """Terminal cells `text` takes: 2 for a Chinese character, 1 for ASCII, 0 for a control or joiner.

    >>> width("东莞"), width("ab"), width("96.65%")
    (4, 2, 6)
    """
    w = wcswidth(text)
    return w if w >= 0 else sum(max(wcwidth(c), 0) for c in text)


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` cells, "…" where cut.

    >>> clip("山东省济南市市中区", 9)
    '山东省济…'
    """
    text = re.sub(r"\s*\n\s*", " ", str(text))  # one line per row; leading spaces (an indent) stay
    if width(text) <= limit:
        return text
    out, used = [], width(ELLIPSIS)
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > limit:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def pad(text: str, cells: int, align: Align = Align.LEFT) -> str:
    """`text` padded with spaces to `cells` display cells."""
    fill = " " * max(cells - width(text), 0)
    return fill + text if align is Align.RIGHT else text + fill


def render(headers: Sequence[str], rows: Sequence[Sequence], align: Sequence[Align] = (),
           limits: Sequence[int | None] = (), total: int | None = None, shrink: Sequence[int] | None = None) -> str:
    """A table: a header row, a rule, then the rows; every column padded to its widest cell.

    `limits` caps a column's width (None: no cap). When the table is wider
    than `total` cells (default: the terminal's width; no limit when the
    output is not a terminal), the widest of the `shrink` columns (default:
    all) is cut, then the next widest, never below its header or 8 cells;
    ids and figures left out of `shrink` stay whole (the terminal wraps a
    line that still does not fit).

    >>> print(render(["地区", "数值"], [["东莞", "5.86万人次"], ["山东省青岛市", "1.3亿元"]], [Align.LEFT, Align.RIGHT]))
    地区          数值
    ------------  ----------
    东莞          5.86万人次
    山东省青岛市     1.3亿元
    >>> print(render(["编号", "标题"], [["abc", "二〇二一年教育工作总结"]], total=17))
    编号  标题
    ----  -----------
    abc   二〇二一年…
    """
    texts = [[clip("" if v is None else str(v), (limits[i] if i < len(limits) else None) or 10**6)
              for i, v in enumerate(row)] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in texts if i < len(r)]) for i, h in enumerate(headers)]
    if total is None:
        total = shutil.get_terminal_size().columns if sys.stdout.isatty() else 0
    floor = [max(width(h), 8) for h in headers]
    over = sum(widths) + len(GAP) * (len(widths) - 1) - total if total else 0
    while over > 0:
        i = max(range(len(widths)) if shrink is None else shrink, key=lambda k: widths[k] - floor[k])
        if widths[i] <= floor[i]:
            break
        cut = min(over, widths[i] - floor[i], max(1, (widths[i] - floor[i]) // 2))
        widths[i] -= cut
        over -= cut
    texts = [[clip(v, widths[i]) if i < len(widths) else v for i, v in enumerate(r)] for r in texts]
    aligns = [align[i] if i < len(align) else Align.LEFT for i in range(len(headers))]
    lines = [GAP.join(pad(h, w) for h, w in zip(headers, widths)).rstrip(),
             GAP.join("-" * w for w in widths)]
    for r in texts:
        lines.append(GAP.join(pad(v, w, a) for v, w, a in zip(r, widths, aligns)).rstrip())
    return "\n".join(lines)
