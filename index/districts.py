"""District profiles: each region's reports, theme mix, years and key figures, from catalog rows.

A district is a region as the reports name it (山东省青岛市); a report whose
region is unknown is its own profile, keyed by its id, so nothing stored is
left out. Key figures are the catalog's extracted figures sorted into five
kinds (students, schools, teachers, funding, rates) by unit and indicator
words: the kinds every education report states, whatever its wording.
"""

from __future__ import annotations

import gc
import statistics
from functools import lru_cache
from collections import Counter, defaultdict
from dataclasses import dataclass
from enum import Enum

from index.errors import SearchError
from index.records import DocSummary, MetricRow, ThemeCell, _Row
from index.series import DerivedFigure, derive


class DistrictError(SearchError):
    """A region no stored report belongs to."""


class FigureKind(str, Enum):
    """The key figures a profile shows and peers compare on."""

    STUDENTS = "学生"
    SCHOOLS = "学校"
    TEACHERS = "教师"
    FUNDING = "经费"
    RATE = "比率"

    __str__ = str.__str__


# Indicator words of each kind of headcount; checked in this order (教师 before 学生: 学生教师比 is rare, 教师 is not).
_TEACHER_WORDS = ("教师", "老师", "教职工", "校长", "督学", "教研员", "班主任", "园长")
_STUDENT_WORDS = ("学生", "在校生", "幼儿", "儿童", "新生", "招生", "毕业生", "子女", "学龄", "受助", "少年")
_SCHOOL_WORDS = ("学校", "幼儿园", "中学", "小学", "高中", "学院", "校区", "园所", "校")
_PEOPLE = {"人", "名", "位"}
_PLACES = {"所", "个", "家", "座"}

LEVELS = {"省级": "省", "地市级": "市", "区县级": "区县", "国家": "国家", "乡镇": "乡镇", "学校": "学校"}
UNKNOWN_LEVEL = "不详"


@lru_cache(maxsize=65536)  # indicators repeat across an archive; profiles classify every figure
def figure_kind(indicator: str, unit: str) -> FigureKind | None:
    """The kind of a figure, or None for figures no profile compares (活动 30场, 课题 672项).

    >>> figure_kind("在校生", "名"), figure_kind("安排", "元"), figure_kind("社会满意度", "%")
    (<FigureKind.STUDENTS: '学生'>, <FigureKind.FUNDING: '经费'>, <FigureKind.RATE: '比率'>)
    >>> figure_kind("中小学生", "人次") is None  # attendances, not headcount
    True
    """
    if unit == "元":
        return FigureKind.FUNDING
    if unit == "%":
        return FigureKind.RATE
    if unit in _PEOPLE:
        if any(w in indicator for w in _TEACHER_WORDS):
            return FigureKind.TEACHERS
        if any(w in indicator for w in _STUDENT_WORDS):
            return FigureKind.STUDENTS
        return None
    if unit == "所" or (unit in _PLACES and any(w in indicator for w in _SCHOOL_WORDS)):
        return FigureKind.SCHOOLS
    return None


@dataclass(frozen=True)
class KeyFigure(_Row):
    """One figure of a profile: a written one, or a derived previous-year value (`derived`)."""

    kind: str
    indicator: str
    value: float
    unit: str
    raw: str
    year: int | None
    doc_id: str
    passage_id: str
    sentence: str
    derived: bool = False


@dataclass(frozen=True)
class ReportRef(_Row):
    doc_id: str
    title: str
    doc_type: str
    years: tuple[int, ...]
    n_passages: int


@dataclass(frozen=True)
class ThemeShare(_Row):
    theme: str
    n_passages: int
    share: float  # of the district's passages


@dataclass(frozen=True)
class DistrictProfile(_Row):
    """Everything stored about one district, summed over its reports."""

    key: str                       # the region, or the report id when the region is unknown
    region: str
    name: str                      # what to show: the region, or the report's title
    level: str                     # 省 / 市 / 区县 / 不详
    years: tuple[int, ...]
    n_docs: int
    n_passages: int
    themes: tuple[ThemeShare, ...]  # most passages first
    figures: tuple[KeyFigure, ...]  # the headline figure of each kind (largest count, median rate)
    reports: tuple[ReportRef, ...]
    timeline: tuple[KeyFigure, ...] = ()               # every key figure, by year, derived ones included
    theme_years: tuple[tuple[int, str, int], ...] = ()  # (year, theme, passages)

    def figure(self, kind: FigureKind | str) -> KeyFigure | None:
        return next((f for f in self.figures if f.kind == str(kind)), None)


def level_of(doc: DocSummary) -> str:
    """省 / 市 / 区县 from the region's own parts, else from the issuing body's level."""
    city = doc.city if doc.city not in ("市辖区", "县", "省直辖县级行政区划") else ""
    if doc.county:
        return "区县"
    if city:
        return "市"
    if doc.province:
        return "省"
    return LEVELS.get(doc.level, UNKNOWN_LEVEL)


def district_key(doc: DocSummary) -> str:
    return doc.region or doc.doc_id


def _figure(row: MetricRow, kind: FigureKind) -> KeyFigure:
    return KeyFigure(str(kind), row.indicator, float(row.value), row.unit, row.raw,
                     max(row.years) if row.years else None, row.doc_id, row.passage_id, row.sentence)


def _derived(d: DerivedFigure) -> KeyFigure | None:
    kind = figure_kind(d.indicator, d.unit)
    if kind is None:
        return None
    return KeyFigure(str(kind), d.indicator, d.value, d.unit, f"{d.level_raw}（{d.change_raw}）", d.year, d.doc_id,
                     d.passage_id, d.sentence, derived=True)


def headline(figures: list[KeyFigure]) -> tuple[KeyFigure, ...]:
    """The figure each kind is compared on: the largest written count (the total a report states beside
    its parts), and for rates the written one nearest the median (a typical rate, not an outlier)."""
    out = []
    for kind in FigureKind:
        mine = [f for f in figures if f.kind == kind.value and not f.derived]
        if not mine:
            continue
        if kind is FigureKind.RATE:
            mid = statistics.median(f.value for f in mine)
            out.append(min(mine, key=lambda f: (abs(f.value - mid), f.doc_id, f.passage_id)))
        else:
            out.append(max(mine, key=lambda f: (f.value, f.doc_id, f.passage_id)))
    return tuple(out)


def _level_rows(rows: list[MetricRow]):
    """(row, kind) of the written levels among figure rows: not changes, not from-ends, not suspect."""
    for r in rows:
        if r.value is None or r.masked or r.suspect or r.role in ("change", "from"):
            continue
        kind = figure_kind(r.indicator, r.unit)
        if kind is not None:
            yield r, kind


def key_figures(rows: list[MetricRow]) -> list[KeyFigure]:
    """Written figures of the five kinds plus derived previous-year values."""
    out = [_figure(r, kind) for r, kind in _level_rows(rows)]
    out += [f for f in map(_derived, derive(rows)) if f is not None]
    return out


def _headline_rows(rows: list[MetricRow]) -> tuple[KeyFigure, ...]:
    """`headline` without building a KeyFigure per row: a listing of a large archive reads every figure."""
    best: dict[FigureKind, MetricRow] = {}
    rates: list[MetricRow] = []
    for r, kind in _level_rows(rows):
        if kind is FigureKind.RATE:
            rates.append(r)
        elif kind not in best or (r.value, r.doc_id, r.passage_id) > (best[kind].value, best[kind].doc_id,
                                                                        best[kind].passage_id):
            best[kind] = r
    if rates:
        mid = statistics.median(r.value for r in rates)
        best[FigureKind.RATE] = min(rates, key=lambda r: (abs(r.value - mid), r.doc_id, r.passage_id))
    return tuple(_figure(best[k], k) for k in FigureKind if k in best)


def build_profiles(docs: list[DocSummary], cells: list[ThemeCell], metrics: list[MetricRow],
                   detail: bool = False) -> list[DistrictProfile]:
    """Profiles from the catalog's reports, theme x report counts and figures (pure: no storage here).

    With `detail`, each profile also carries its timeline (every key figure,
    derived ones included) and its themes by year; a listing leaves them out.
    """
    by_key: dict[str, list[DocSummary]] = defaultdict(list)
    for d in docs:
        by_key[district_key(d)].append(d)
    key_of = {d.doc_id: district_key(d) for d in docs}
    years_of = {d.doc_id: d.years for d in docs}
    themes: dict[str, Counter] = defaultdict(Counter)
    theme_years: dict[str, Counter] = defaultdict(Counter)
    for c in cells:
        k = key_of.get(c.doc_id)
        if k is None:
            continue
        themes[k][c.theme] += c.n
        if detail:
            for y in years_of[c.doc_id][-1:]:
                theme_years[k][(y, c.theme)] += c.n
    rows_of: dict[str, list[MetricRow]] = defaultdict(list)
    for m in metrics:
        k = key_of.get(m.doc_id)
        if k is not None:
            rows_of[k].append(m)
    out = []
    for key, mine in by_key.items():
        mine.sort(key=lambda d: (d.years[-1:] or (0,), d.doc_id))
        n_passages = sum(d.n_passages for d in mine)
        first = mine[0]
        figures = key_figures(rows_of[key]) if detail else []
        out.append(DistrictProfile(
            key=key, region=first.region, name=first.region or first.title,
            level=Counter(level_of(d) for d in mine).most_common(1)[0][0],
            years=tuple(sorted({y for d in mine for y in d.years})), n_docs=len(mine), n_passages=n_passages,
            themes=tuple(ThemeShare(t, n, round(n / n_passages, 4) if n_passages else 0.0)
                         for t, n in sorted(themes[key].items(), key=lambda kv: (-kv[1], kv[0]))),
            figures=headline(figures) if detail else _headline_rows(rows_of[key]),
            reports=tuple(ReportRef(d.doc_id, d.title, d.doc_type, d.years, d.n_passages) for d in mine),
            timeline=tuple(sorted(figures, key=lambda f: (f.kind, f.year or 0, f.derived, -f.value))),
            theme_years=tuple(sorted((y, t, n) for (y, t), n in theme_years[key].items())),
        ))
    return sorted(out, key=lambda p: (p.region == "", p.region or p.name, p.key))


# Units a key figure or the change beside it can be written in (the rest are never compared).
UNITS = ("元", "%", "个百分点", *sorted(_PEOPLE), *sorted(_PLACES))


def profiles(catalog) -> list[DistrictProfile]:
    """Every district of an archive (any Catalog), with headline figures (no timelines: see `district`)."""
    # A large archive makes a row object per figure; the cyclic collector would walk them all again and again
    # while they are made (a third of the time at 100k passages), and none of them can form a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return build_profiles(catalog.documents(), catalog.theme_matrix(), catalog.unit_metrics(UNITS, brief=True))
    finally:
        if enabled:
            gc.enable()


def district(catalog, region: str, listing: list[DistrictProfile] | None = None) -> DistrictProfile:
    """One district in full: its reports, themes by year and every key figure by year (derived ones marked).

    Reads only this district's reports (their passages' themes and their
    figures), so it costs the same in a small archive and a large one.
    """
    docs = catalog.documents()
    key = find(listing if listing is not None else build_profiles(docs, [], []), region).key  # names only
    docs = [d for d in docs if district_key(d) == key]
    cells = []
    for d in docs:
        report = catalog.document(d.doc_id, with_text=False)
        counts = Counter(t for p in report.passages for t in p.themes)
        cells += [ThemeCell(t, d.doc_id, d.title, d.region, d.years, n) for t, n in counts.items()]
    return build_profiles(docs, cells, catalog.unit_metrics(UNITS, [d.doc_id for d in docs]), detail=True)[0]


def find(profiles_: list[DistrictProfile], region: str) -> DistrictProfile:
    """The profile a user means: the exact region or report id, else the one region containing the text.

    Raises DistrictError naming the candidates when the text matches none or several.
    """
    text = region.strip()
    if not text:
        raise DistrictError("地区为空；请给出地区名称，如 青岛市（edureports districts 列出全部地区）")
    exact = [p for p in profiles_ if text in (p.key, p.region)]
    if exact:
        return exact[0]
    partial = ([p for p in profiles_ if p.region and text in p.region]
               or [p for p in profiles_ if p.key.startswith(text)])
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = "、".join(p.name for p in partial[:6])
        raise DistrictError(f"“{text}”对应 {len(partial)} 个地区：{names}；请写得更完整")
    raise DistrictError(f"没有地区“{text}”的报告；edureports districts 列出全部地区")
