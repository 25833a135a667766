"""Chinese administrative divisions, from the adcode table packaged with `cpca`.

Only the table is used (reading it does not import cpca, which would pull in
pandas); matching is done here with pyahocorasick, because a report needs
every mention of every place with its position and context, not a single
address parse.
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


def _table_path() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("行政区划表需要 cpca 包；请安装：pip install cpca")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


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
        names = {code[:6]: name for code, name in rows}
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
    with _table_path().open(encoding="utf-8") as fh:
        rows = [(r["adcode"], r["name"]) for r in csv.DictReader(fh)]
    return Gazetteer(rows)
