"""Figures written as a Chinese report writes them: 310万平方米, 1.3亿元, 近2万个, 90%以上, 较上年 +1.3个百分点.

One formatter for the command line, the app, CSV and Word, so a figure reads
the same everywhere. The house rules, after GB/T 15835-2011 (出版物上数字用法)
and the way work reports write figures:

- 1万 and more: 万 or 亿 when that is exact to two decimals (58600 -> 5.86万,
  3.1e6 -> 310万, 1.3e8 -> 1.3亿); otherwise the whole number grouped by
  thousands (12,345). Reports write 34.48万元, never 344800元.
- below 1万: plain digits, no separator (3200人, 96.65%): GB/T 15835 leaves
  numbers of four digits ungrouped and reports never group them.
- ratios and scores (%, ‰, 个百分点, 倍, 分, 岁 …) never take 万 or 亿.
- never scientific notation, never None, NaN or "?": a figure without a
  value is shown as written (its raw span), or as "—".
- qualifiers in their natural place: 近2万个, 约3000人, 2万余人, 90%以上.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from ingest.types import Role

MASKED = "（遮盖）"
NO_VALUE = "—"
RANGE_SEP = "～"  # GB/T 15835 writes a range of values with the wave dash: 2～3岁, 3万～5万人

# Units that are ratios, scores or ages: 1.2万% is never a way to write a figure.
_NO_MULTIPLIER = {"%", "‰", "个百分点", "百分点", "倍", "分", "岁", "周岁", "年", "个月", "月", "日", "天", "G"}
# Qualifiers written after the number, before the unit (2万余人, 300多所) ...
_BETWEEN = {"余", "多"}
# ... after the unit (90%以上, 1000人左右); all others go before the number (近2万个, 约3000人).
_AFTER = {"以上", "以下", "以内", "左右", "上下", "之多"}

ROLE_LABELS = {Role.NONE.value: "", Role.FROM.value: "原值", Role.TO.value: "现值", Role.CHANGE.value: "变化量"}
DIRECTION_LABELS = {1: "增加", -1: "减少", 0: ""}
FLAG_LABELS = {"masked": "遮盖", "suspect": "存疑"}

# What a change is measured against, read from the words before it in its sentence.
_BASELINE = re.compile(r"(较|比|与)(上年|去年|上一年|上年度|上一年度|上学年|同期|(?:19|20)\d{2}年)|同比|环比")


def role_label(role: str) -> str:
    """The Chinese name of a figure's role: 'from' -> 原值, 'to' -> 现值, 'change' -> 变化量, '' -> ''.

    >>> role_label("change"), role_label(""), role_label("未知")
    ('变化量', '', '未知')
    """
    return ROLE_LABELS.get(str(role or ""), str(role))


def _digits(value: float, places: int) -> str:
    """`value` with at most `places` decimals, trailing zeros dropped, never in e-notation."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _exact(value: float, scale: float, places: int = 2) -> bool:
    scaled = value / scale
    return math.isclose(round(scaled, places), scaled, rel_tol=1e-9, abs_tol=1e-9)


def number(value: float, unit: str = "") -> str:
    """A number as a report writes it (without unit or qualifier).

    >>> number(3.1e6), number(1.3e8), number(58600), number(12345), number(3200), number(96.65)
    ('310万', '1.3亿', '5.86万', '12,345', '3200', '96.65')
    >>> number(123456789), number(0.5), number(2.5e12), number(15000, "%")
    ('1.23亿', '0.5', '2.5万亿', '15000')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return NO_VALUE
    value = float(value)
    sign, size = ("-" if value < 0 else ""), abs(value)
    if unit in _NO_MULTIPLIER or size < 1e4:
        return sign + _digits(size, 2 if size >= 1 or size == 0 else 4)
    if size >= 1e12:  # beyond any education budget: 万亿 keeps it readable and exact enough
        return sign + _digits(size / 1e12, 2) + "万亿"
    if size >= 1e8:
        if _exact(size, 1e8) or not _exact(size, 1e4):
            return sign + _digits(size / 1e8, 2) + "亿"
        return sign + _digits(size / 1e4, 2) + "万"  # 12345万 is exact where 1.23亿 is not
    if _exact(size, 1e4):
        return sign + _digits(size / 1e4, 2) + "万"
    grouped = f"{round(size):,}" if _exact(size, 1, 0) else f"{size:,.2f}".rstrip("0").rstrip(".")
    return sign + grouped


def quantity(value: float | None, unit: str = "", qualifier: str = "") -> str:
    """A figure with its unit and qualifier, each in its natural place.

    >>> quantity(3.1e6, "平方米"), quantity(1.3e8, "元"), quantity(58600, "人次")
    ('310万平方米', '1.3亿元', '5.86万人次')
    >>> quantity(2e4, "个", "近"), quantity(3000, "人", "约"), quantity(90, "%", "以上"), quantity(2e4, "人", "余")
    ('近2万个', '约3000人', '90%以上', '2万余人')
    >>> quantity(None, "所"), quantity(float("nan"), "元")
    ('—', '—')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return NO_VALUE
    text = number(value, unit)
    qualifier = qualifier or ""
    if qualifier in _BETWEEN:
        return f"{text}{qualifier}{unit}"
    if qualifier in _AFTER:
        return f"{text}{unit}{qualifier}"
    return f"{qualifier}{text}{unit}"


def span(low: float, high: float, unit: str = "", qualifier: str = "") -> str:
    """A range: both ends with their multiplier, the unit once (3万～5万人, 2～3岁).

    >>> span(2, 3, "岁"), span(3e4, 5e4, "人", "约")
    ('2～3岁', '约3万～5万人')
    """
    return quantity(high, unit, qualifier).replace(
        number(high, unit), f"{number(low, unit)}{RANGE_SEP}{number(high, unit)}", 1)


def _get(m, key: str, default=None):
    return m.get(key, default) if isinstance(m, Mapping) else getattr(m, key, default)


def baseline(sentence: str, raw: str = "") -> str:
    """What a change is measured against, from the words before it: 较上年, 较2016年, 同比, or ''.

    >>> baseline("社会满意度达96.65%，较上年提高1.3个百分点。", "1.3个百分点")
    '较上年'
    >>> baseline("民办学位占比下降到23.8%。", "23.8%")
    ''
    """
    before = sentence[: sentence.find(raw)] if raw and raw in sentence else sentence
    found = list(_BASELINE.finditer(before))
    if not found:
        return ""
    m = found[-1]
    return "较" + m.group(2) if m.group(2) else m.group(0)


def figure_text(m) -> str:
    """The value of one figure as a reader should see it (a MetricRow, or its dict).

    Masked figures are their placeholder with （遮盖）; ranges have both ends;
    a change is a change, signed and against what it is measured
    (较上年 +1.3个百分点), never a level of 1.3; a figure without a value is
    shown as written.

    >>> from index.records import MetricRow
    >>> row = MetricRow("d", "s", "t", "r", (2016,), "p", "社会满意度", 1.3, "个百分点", "", "1.3个百分点",
    ...                 "社会满意度达96.65%，较上年提高1.3个百分点。", False, False, "change", 1, 0, 0)
    >>> figure_text(row)
    '较上年 +1.3个百分点'
    >>> figure_text(row.to_dict() | {"masked": True, "value": None, "raw": "xx.x个百分点"})
    'xx.x个百分点（遮盖）'
    """
    value, unit, qualifier = _get(m, "value"), _get(m, "unit", "") or "", _get(m, "qualifier", "") or ""
    raw = (_get(m, "raw", "") or "").strip()
    if _get(m, "masked", False):
        return f"{raw or NO_VALUE}{MASKED}"
    low, high = _get(m, "low"), _get(m, "high")
    if value is None and low is not None and high is not None:
        return span(low, high, unit, qualifier)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return raw or NO_VALUE
    if str(_get(m, "role", "") or "") != Role.CHANGE.value:
        return quantity(value, unit, qualifier)
    direction = _get(m, "direction", 0) or 0
    if direction == 0 and value < 0:
        direction, value = -1, -value
    text = quantity(abs(value), unit, qualifier)  # the sign is the direction's
    against = baseline(_get(m, "sentence", "") or "", raw)
    if against:
        sign = "+" if direction > 0 else "-" if direction < 0 else ""
        return f"{against} {sign}{text}"
    return f"{DIRECTION_LABELS.get(direction) or '变化'} {text}"


def figure_line(m) -> str:
    """The figure with what it measures: '社会满意度 较上年 +1.3个百分点', '新增学位 近2万个'."""
    indicator = _get(m, "indicator", "") or ""
    text = figure_text(m)
    return f"{indicator} {text}" if indicator else text


def flags(m) -> str:
    """The marks a table shows beside a figure: 遮盖, 存疑 (joined by 、), or ''."""
    return "、".join(label for key, label in FLAG_LABELS.items() if _get(m, key, False))


def years_text(years, suffix: str = "") -> str:
    """A report's years as one string everywhere (app, command line, CSV, Excel, Word).

    Two years are listed (a 总结 of one year and the 计划 of the next), three or
    more in a row make a range, anything else is listed; no years is 年份不详.
    `suffix` is 年 where the years stand in running text.

    >>> years_text([2016, 2017]), years_text([2021, 2019, 2020], "年"), years_text([2019, 2021, 2023]), years_text([])
    ('2016、2017', '2019—2021年', '2019、2021、2023', '年份不详')
    """
    ordered = sorted(set(years or ()))
    if not ordered:
        return "年份不详"
    if len(ordered) >= 3 and ordered[-1] - ordered[0] == len(ordered) - 1:
        return f"{ordered[0]}—{ordered[-1]}{suffix}"
    return "、".join(map(str, ordered)) + suffix
