"""Aligned text tables for the terminal: Chinese headers, columns padded by display width (CJK counts two).

Python's str.ljust pads by characters, so a column of Chinese text ends up
twice as wide as a column of digits; wcwidth gives each character the cells a
terminal gives it.
"""

from __future__ import annotations

import re
import shutil
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
           limits: Sequence[int | None] = (), total: int | None = None) -> str:
    """A table: a header row, a rule, then the rows; every column padded to its widest cell.

    `limits` caps a column's width (None: no cap); when the table is wider
    than `total` (default: the terminal), the widest capped-less text
    column (the last one) is cut to fit, never below 10 cells.

    >>> print(render(["地区", "数值"], [["东莞", "5.86万人次"], ["山东省青岛市", "1.3亿元"]], [Align.LEFT, Align.RIGHT]))
    地区          数值
    ------------  ----------
    东莞          5.86万人次
    山东省青岛市     1.3亿元
    """
    texts = [[clip("" if v is None else str(v), (limits[i] if i < len(limits) else None) or 10**6)
              for i, v in enumerate(row)] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in texts if i < len(r)]) for i, h in enumerate(headers)]
    total = total or shutil.get_terminal_size((160, 24)).columns
    over = sum(widths) + len(GAP) * (len(widths) - 1) - total
    if over > 0 and widths:
        last = len(widths) - 1
        widths[last] = max(10, widths[last] - over)
        texts = [r[:last] + [clip(r[last], widths[last])] if len(r) > last else r for r in texts]
    aligns = [align[i] if i < len(align) else Align.LEFT for i in range(len(headers))]
    lines = [GAP.join(pad(h, w) for h, w in zip(headers, widths)).rstrip(),
             GAP.join("-" * w for w in widths)]
    for r in texts:
        lines.append(GAP.join(pad(v, w, a) for v, w, a in zip(r, widths, aligns)).rstrip())
    return "\n".join(lines)


def years_text(years: Sequence[int]) -> str:
    """Report years for a table cell: 2016, 2016、2017, 2019—2021 (three or more in a row), 年份不详.

    >>> years_text([2016]), years_text([2016, 2017]), years_text([2019, 2020, 2021]), years_text([])
    ('2016', '2016、2017', '2019—2021', '年份不详')
    """
    years = sorted(set(years))
    if not years:
        return "年份不详"
    if len(years) >= 3 and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}—{years[-1]}"
    return "、".join(map(str, years))
