"""Compare: a practice or theme, report by report, from hits; columns, excerpts and aligned figures (no storage code here)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from index.numbers import figure_text, years_text
from index.records import Comparison, Hit, MetricRow
from ingest.files import shown

EXCERPT = 300  # characters of a passage a column shows before it is cut at a sentence end
UNKNOWN_REGION = "地区不详"
UNNAMED = "未识别指标"
# A sentence: up to and including its end mark (and a closing quote or bracket after it), or a line.
_SENTENCE = re.compile(r"[^。！？；!?\n]+(?:[。！？；!?]+[”’」』）)]*)?|\n+")
_CLAUSE_END = "，、：,:"
_ORDINAL = re.compile(r"\.p(\d+)$")


def compare(hits: list[Hit], per_report: int = 3, reports: int = 10,
            issuers: Mapping[str, str] | None = None) -> list[Comparison]:
    """The best `per_report` hits of each report, reports in order of their best hit.

    `issuers` (doc_id -> issuing body) names a column whose region is unknown.

    >>> compare([])
    []
    """
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        group = groups.setdefault(hit.doc_id, [])
        if len(group) < per_report:
            group.append(hit)
    out = []
    for doc_id, group in list(groups.items())[:reports]:
        first = group[0]
        out.append(Comparison(first.region, doc_id, first.title, first.years, first.source, first.score,
                              tuple(group), (issuers or {}).get(doc_id, "")))
    return out


def chosen(hits: Iterable[Hit], doc_ids: Sequence[str] = (), regions: Sequence[str] = ()) -> list[Hit]:
    """The hits of the reports an analyst picked: by id, or by a region containing one of `regions`."""
    if not doc_ids and not regions:
        return list(hits)
    ids = set(doc_ids)
    return [h for h in hits if h.doc_id in ids or any(r and r in h.region for r in regions)]


def column_title(c: Comparison) -> str:
    """A column's heading: its region, or the issuer and title when the region is unknown.

    >>> column_title(Comparison("", "d1", "2016年教育工作总结", (2016,), "a.txt", 1.0, (), "某县教育局"))
    '某县教育局 · 2016年教育工作总结'
    """
    if c.region:
        return c.region
    return " · ".join(x for x in (c.issuer, c.title) if x) or UNKNOWN_REGION


def column_titles(columns: Sequence[Comparison]) -> list[str]:
    """Column headings, one per report; two reports of one region are told apart by years, then title."""
    base = [column_title(c) for c in columns]
    titles = list(base)
    for i, c in enumerate(columns):
        if base.count(base[i]) > 1:
            years = years_text(c.years) if c.years else ""
            titles[i] = f"{base[i]}（{years or c.title}）"
    for i, c in enumerate(columns):
        if titles.count(titles[i]) > 1:
            titles[i] = f"{titles[i][:-1]} · {c.title}）" if titles[i].endswith("）") else f"{titles[i]}（{c.title}）"
    return titles


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line break run of `text`, covering it end to end."""
    return [m.span() for m in _SENTENCE.finditer(text)]


def excerpt(text: str, spans: Sequence[tuple[int, int]] = (), limit: int = EXCERPT,
            focus: tuple[int, int] | None = None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Whole sentences of `text` around `focus` (or the first highlight), about `limit` characters, "…" where cut.

    The spans that stay inside are returned shifted to the excerpt. A single
    sentence longer than the limit is cut at its last clause mark (，、：)
    before the limit, so a cut never falls inside a phrase without saying so.

    >>> excerpt("第一句。第二句很长很长。第三句。", limit=8)
    ('第一句。…', ())
    >>> excerpt("第一句。第二句。第三句讲双减。", [(12, 14)], limit=8)
    ('…第三句讲双减。', ((5, 7),))
    >>> excerpt("短。")
    ('短。', ())
    """
    spans = tuple((int(a), int(b)) for a, b in spans)
    if len(text) <= limit:
        return text, spans
    anchor = focus[0] if focus and focus != (0, 0) else (spans[0][0] if spans else 0)
    parts = sentences(text) or [(0, len(text))]
    i = next((k for k, (a, b) in enumerate(parts) if a <= anchor < b), 0)
    start, end = parts[i]
    if end - start > limit:
        cut = max((start + k + 1 for k, ch in enumerate(text[start:start + limit]) if ch in _CLAUSE_END),
                  default=start + limit)
        end = cut if cut - start >= limit // 3 else start + limit
    else:
        j = i
        while j + 1 < len(parts) and parts[j + 1][1] - start <= limit:
            j += 1
        end = parts[j][1]
        while i > 0 and end - parts[i - 1][0] <= limit:
            i -= 1
        start = parts[i][0]
    body = text[start:end].strip("\n")
    lead = len(text[start:end]) - len(text[start:end].lstrip("\n"))
    prefix = "…" if text[:start].strip() else ""
    suffix = "…" if text[end:].strip() else ""
    shift = start + lead - len(prefix)
    kept = tuple((a - shift, b - shift) for a, b in spans if a >= start + lead and b <= start + lead + len(body))
    return prefix + body + suffix, kept


def source_label(hit: Hit) -> str:
    """Where a passage comes from, as a reader cites it: 文件名 · 章节 · 第N段.

    >>> h = Hit("abc.p002", "abc", "corpus/东莞_2016.txt", "t", "", (), "", (), "一、工作回顾", "x", 0.0, (), 0, 1)
    >>> source_label(h)
    '东莞_2016.txt · 一、工作回顾 · 第3段'
    """
    m = _ORDINAL.search(hit.passage_id)
    parts = (shown(PurePath(hit.source).name), hit.heading, f"第{int(m.group(1)) + 1}段" if m else "")
    return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class FigureRow:
    """One indicator across the comparison: the figures each column gives for it (empty where it gives none)."""

    label: str
    indicator: str
    unit: str
    change: bool
    cells: tuple[tuple[MetricRow, ...], ...]

    def texts(self) -> list[str]:
        """The cells as a reader sees them: figures joined by ；, "—" where a column has none.

        A starting value and the value it became read as one change
        (由25人到29人), as the report wrote them.
        """
        return [_cell_text(cell) or "—" for cell in self.cells]


def _cell_text(cell: Sequence[MetricRow]) -> str:
    parts: list[str] = []
    for m in cell:
        text = figure_text(m) + ("（存疑）" if m.suspect else "")
        if m.role == "from":
            text = "由" + text
        elif m.role == "to":
            text = "到" + text
            if parts and parts[-1].startswith("由"):
                parts[-1] += text
                continue
        parts.append(text)
    return "；".join(parts)


def aligned(columns: Sequence[Comparison], figures: Mapping[str, Sequence[MetricRow]]) -> list[FigureRow]:
    """The figures of the compared passages, one row per indicator (and unit), one cell per column.

    Levels and changes of one indicator are separate rows (a change is never
    read as a level); masked template figures are left out (they are not
    data). Rows found in most columns come first.
    """
    rows: dict[tuple[str, str, bool], list[list[MetricRow]]] = {}
    for col, c in enumerate(columns):
        for p in c.passages:
            for m in figures.get(p.passage_id, ()):
                if m.masked:
                    continue
                key = (m.indicator or UNNAMED, m.unit, m.role == "change")
                cells = rows.setdefault(key, [[] for _ in columns])
                if m not in cells[col]:
                    cells[col].append(m)
    units: dict[str, set[str]] = {}
    for name, unit, _ in rows:
        units.setdefault(name, set()).add(unit)
    out = []
    for (name, unit, change), cells in rows.items():
        label = name + (f"（{unit}）" if len(units[name]) > 1 and unit else "") + ("（变化）" if change else "")
        out.append(FigureRow(label, name, unit, change, tuple(tuple(c) for c in cells)))
    order = {id(r): i for i, r in enumerate(out)}
    return sorted(out, key=lambda r: (-sum(1 for c in r.cells if c), order[id(r)]))


def figures_of(metrics: Callable[..., list[MetricRow]], columns: Sequence[Comparison]) -> dict[str, list[MetricRow]]:
    """The figures of the compared passages, loaded in one call of the catalog's `metrics`."""
    ids = [p.passage_id for c in columns for p in c.passages]
    out: dict[str, list[MetricRow]] = {pid: [] for pid in ids}
    for m in metrics(passage_ids=ids) if ids else ():
        out.setdefault(m.passage_id, []).append(m)
    return out
