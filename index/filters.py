"""Search and figure filters, parsed once: the one grammar the command line, the app and the store share.

Messages name the value and the form it takes, never a command-line flag:
the app shows the same text beside its input boxes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# A year (2021, 2021年, 2021年度, 2021学年), or a range joined by any dash, tilde, 至 or 到 (ASCII and
# full-width forms); a range may end in two digits as reports write it (2019-21, 2020-21学年).
_SUFFIX = r"\s*(?:年度|学年|年)?"
_YEARS = re.compile(rf"\s*(\d{{4}}){_SUFFIX}\s*(?:(?:[-－‐‑‒–—―~～〜]+|至|到)\s*(\d{{4}}|\d{{2}}){_SUFFIX})?\s*")
CLOSEST = 3


class FilterError(ValueError):
    """A filter value cannot be read; the message names the value and the form it takes."""


def parse_years(value: str) -> tuple[int, int] | None:
    """'2021' -> (2021, 2021), '2019年至2021年' -> (2019, 2021), '' -> None.

    >>> parse_years("2021年"), parse_years("2019—2021"), parse_years("2019～2021"), parse_years(" ")
    ((2021, 2021), (2019, 2021), (2019, 2021), None)
    >>> parse_years("2021-2019")
    Traceback (most recent call last):
    ...
    index.filters.FilterError: 年份范围 2021-2019 起止颠倒，请写成 2019-2021
    """
    if not value or not value.strip():
        return None
    m = _YEARS.fullmatch(value)
    if not m:
        raise FilterError(f"无法识别年份 {value.strip()!r}：请写成 2021、2021年 或 2019-2021 这样的范围")
    lo = int(m.group(1))
    end = m.group(2) or m.group(1)
    hi = int(end) if len(end) == 4 else lo // 100 * 100 + int(end)
    if hi < lo:
        raise FilterError(f"年份范围 {lo}-{hi} 起止颠倒，请写成 {hi}-{lo}")
    return lo, hi


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with % _ and the escape character taken literally.

    Use with `LIKE ? ESCAPE '\\'`.

    >>> like_pattern("100%_达标")
    '%100\\\\%\\\\_达标%'
    """
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _grams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or set(text)


def closest(name: str, known: Sequence[str] | Mapping[str, str], n: int = CLOSEST) -> list[str]:
    """The known names nearest to `name`, best first.

    `known` may map each name to its description (the taxonomy's): a name
    whose description holds the word (扶贫 in 教育扶贫、对口帮扶 …) is near.
    A name shares at least a character with `name` (in itself or its
    description) or it is not offered: a list of unrelated names helps no one.

    >>> closest("扶贫", {"学生资助": "家庭经济困难学生资助", "教育帮扶与支教": "教育扶贫、对口帮扶"})
    ['教育帮扶与支教']
    >>> closest("学生资", ["学生资助", "教育公平"])
    ['学生资助']
    """
    descriptions = known if isinstance(known, Mapping) else {}
    grams = _grams(name)

    def score(k: str) -> float:
        desc = descriptions.get(k, "") or ""
        if not set(name) & set(k + desc):
            return 0.0
        if name and (name in k or k in name):
            return 0.95
        if name and name in desc:
            return 0.85
        shared = grams & (_grams(k) | _grams(desc)) if len(name) > 1 else set()
        if shared:
            return 0.5 + 0.3 * len(shared) / len(grams)
        return 0.6 * difflib.SequenceMatcher(None, name, k).ratio()

    scored = sorted(((score(k), i, k) for i, k in enumerate(known)), key=lambda t: (-t[0], t[1]))
    strong = [k for s, _, k in scored if s >= 0.5]  # a shared word; else names sharing a character
    return (strong or [k for s, _, k in scored if s >= 0.1])[:n]


def check_theme(theme: str, known: Sequence[str] | Mapping[str, str]) -> None:
    """Refuse a theme the taxonomy does not have, naming the closest ones (by name and description)."""
    if not theme or theme in known:
        return
    near = closest(theme, known)
    hint = f"相近的主题：{'、'.join(near)}" if near else f"现有主题共 {len(known)} 个"
    raise FilterError(f"没有名为“{theme}”的主题；{hint}")


def check_doc_type(doc_type: str, known: list[str]) -> None:
    """Refuse a report kind no report has and the list of kinds does not name."""
    if not doc_type or doc_type in known:
        return
    near = closest(doc_type, known)
    raise FilterError(f"没有“{doc_type}”这一文种；可选：{'、'.join(near or known)}")


def check_region(region: str, known: Sequence[str]) -> None:
    """Refuse a region no report's region contains (a filter matching nothing would read as "no hits").

    >>> check_region("北京", ["山东省济南市", "广东省东莞市"])
    Traceback (most recent call last):
    ...
    index.filters.FilterError: 没有地区包含“北京”的报告
    >>> check_region("济南", ["山东省济南市", "广东省东莞市"])
    """
    if not region or any(region in k for k in known):
        return
    near = closest(region, known)
    raise FilterError(f"没有地区包含“{region}”的报告" + (f"；相近的地区：{'、'.join(near)}" if near else ""))


@dataclass(frozen=True)
class Filters:
    """What a search or figure listing is narrowed to; empty fields narrow nothing.

    `region` matches as a substring of the report's region, `years` overlap
    the report's years, `doc_type` is one of the report's kinds, `theme`
    the passage's theme or a child of it.
    """

    theme: str = ""
    region: str = ""
    years: tuple[int, int] | None = None
    doc_type: str = ""

    def __bool__(self) -> bool:
        return bool(self.theme or self.region or self.years or self.doc_type)

    @classmethod
    def parse(cls, theme: str = "", region: str = "", year: str = "", doc_type: str = "") -> "Filters":
        """Filters from what a person typed; a value that cannot be read raises FilterError.

        Whether a theme or report kind exists is the catalog's to say (it
        knows the taxonomy); see `check_theme` and `check_doc_type`.

        >>> Filters.parse(region=" 东莞 ", year="2019至2021")
        Filters(theme='', region='东莞', years=(2019, 2021), doc_type='')
        """
        return cls((theme or "").strip(), (region or "").strip(), parse_years(year or ""), (doc_type or "").strip())
