"""Year-over-year figures: a level and its change against the year before give a derived previous-year value.

A report writes 社会满意度达96.65%，较上年提高了1.3个百分点 once, in the
year it covers; the value of the year before is never written, but it is
implied. Deriving it lets a district's series be charted from one report.
The derived value is marked `derived`, so a table never passes it off as a
figure somebody wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.records import MetricRow, _Row

# The change names its base: 较上年 / 同比 is the report's year minus one; 比2016年 is that year.
_BASE_YEAR = re.compile(r"(?:较|比)(\d{4})年")
_PREVIOUS = re.compile(r"较上年|比上年|同比|较去年|比去年")
# A change borrows the subject of the clause before only when its own clause has none: it opens with the
# comparison (，比上年增加0.68万人; ，分别比2016年增长3200人). 全市公益普惠性幼儿园比上年增加44所 has its own.
_BORROWS = re.compile(r"^(?:分别|并|且|均|同时|也|还)?(?:较上年|比上年|同比|较去年|比去年|较\d{4}年|比\d{4}年)")
_CLAUSE = re.compile(r"[，,；;：:]")
# Counted units a change can share with its level (人 and 名 count the same people).
_SAME_COUNT = ({"人", "名"},)
PERCENT, POINTS = "%", "个百分点"


@dataclass(frozen=True)
class DerivedFigure(_Row):
    """A previous-period value worked out from a level and its change (never written in the report)."""

    doc_id: str
    region: str
    passage_id: str
    indicator: str
    year: int | None          # the year of the derived value (None when the report has no year)
    value: float
    unit: str
    level_raw: str            # the level as written (达96.65%)
    change_raw: str           # the change as written (1.3个百分点)
    sentence: str
    derived: bool = True


def _units_match(level: str, change: str) -> bool:
    return level == change or any(level in s and change in s for s in _SAME_COUNT)


def previous_value(level: float, level_unit: str, change: float, change_unit: str, direction: int) -> float | None:
    """The value before the change, or None when the two figures cannot be combined.

    >>> previous_value(96.65, "%", 1.3, "个百分点", 1)
    95.35
    >>> previous_value(3500, "人", 94, "%", 1)
    1804.0
    >>> previous_value(182400, "人", 6800, "人", 1)
    175600.0
    >>> previous_value(50, "%", 10, "%", 1) is None  # 10% of a rate: relative or points? not guessed
    True
    """
    sign = 1 if direction >= 0 else -1
    if change_unit == POINTS:
        return float(round(level - sign * change, 4)) if level_unit == PERCENT else None
    if change_unit == PERCENT:
        if level_unit == PERCENT or 1 + sign * change / 100 <= 0:
            return None
        return float(round(level / (1 + sign * change / 100)))  # a count: whole units
    if _units_match(level_unit, change_unit):
        return float(round(level - sign * change, 4))
    return None


def base_year(sentence_before: str, years: Iterable[int]) -> int | None:
    """The year a change is measured against: the year it names, else the report's last year minus one."""
    named = _BASE_YEAR.findall(sentence_before)
    if named:
        return int(named[-1])
    years = list(years)
    return max(years) - 1 if years else None


def derive(rows: Iterable[MetricRow]) -> list[DerivedFigure]:
    """Previous-period values for every change (role change) that follows its level in the same sentence.

    The level is the nearest figure before the change in that sentence
    that is not itself a change, a from/to endpoint or a template blank.
    """
    by_sentence: dict[tuple[str, str], list[MetricRow]] = {}
    for r in rows:
        by_sentence.setdefault((r.doc_id, r.sentence), []).append(r)
    out: list[DerivedFigure] = []
    for group in by_sentence.values():
        group.sort(key=lambda r: r.char_start)
        for i, change in enumerate(group):
            if change.role != "change" or change.value is None or change.masked:
                continue
            levels = [r for r in group[:i] if r.role == "" and r.value is not None and not r.masked
                      and previous_value(r.value, r.unit, change.value, change.unit, change.direction) is not None]
            if not levels:
                continue
            level = levels[-1]
            value = previous_value(level.value, level.unit, change.value, change.unit, change.direction)
            # Offsets are into the report's text; the sentence starts where the change's raw sits minus its place.
            at = change.sentence.find(change.raw)
            if at < 0:
                continue
            origin = change.char_start - at
            before = change.sentence[:at]
            clause = _CLAUSE.split(before)[-1].strip()
            between = change.sentence[max(0, level.char_end - origin):at]
            same_clause = not _CLAUSE.search(between) and (_PREVIOUS.search(between) or _BASE_YEAR.search(between))
            if not (_BORROWS.match(clause) or same_clause):
                continue
            out.append(DerivedFigure(
                change.doc_id, change.region, change.passage_id, level.indicator,
                base_year(before, change.years), value, level.unit, level.raw, change.raw, change.sentence,
            ))
    return out
