"""Small value types passed between the ingest stages and to the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Format(str, Enum):
    TXT = "txt"
    MD = "md"
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"


class Script(str, Enum):
    """The script a report was written in; analysis always runs on simplified text."""

    SIMPLIFIED = "简体"
    TRADITIONAL = "繁体"


class Level(str, Enum):
    """Administrative level of the issuing body."""

    NATIONAL = "国家"
    PROVINCE = "省级"
    CITY = "地市级"
    COUNTY = "区县级"
    TOWN = "乡镇"
    SCHOOL = "学校"
    UNKNOWN = ""


@dataclass(frozen=True)
class RawText:
    """What a loader read: the decoded text of one file, before cleaning."""

    source: str
    text: str
    fmt: Format
    sha256: str
    encoding: str = ""
    title_hint: str = ""


@dataclass(frozen=True)
class Line:
    """A cleaned line of text and the 0-based raw line numbers it came from."""

    text: str
    first: int
    last: int
    after_blank: bool = False


@dataclass(frozen=True)
class Region:
    """A place resolved against the gazetteer; empty fields mean unknown."""

    province: str = ""
    city: str = ""
    county: str = ""
    adcode: str = ""

    @property
    def display(self) -> str:
        city = "" if self.city in ("市辖区", "县", "省直辖县级行政区划") else self.city
        if self.province and city == self.province:
            city = ""
        return f"{self.province}{city}{self.county}"


@dataclass(frozen=True)
class Section:
    """A heading and the span of text it governs in the cleaned report."""

    ord: int
    level: int
    marker: str
    title: str
    char_start: int
    char_end: int
    parent: int = -1


@dataclass(frozen=True)
class Passage:
    """A retrievable unit of ~150-500 characters inside one section."""

    passage_id: str
    ord: int
    heading: tuple[str, ...]
    char_start: int
    char_end: int
    text: str
    section: int = -1
    themes: tuple = ()  # ThemeTag, best first


@dataclass(frozen=True)
class Metric:
    """A figure of a passage; offsets point into the report's cleaned text."""

    passage_id: str
    value: float | None
    unit: str
    qualifier: str
    indicator: str
    raw: str
    sentence: str
    char_start: int
    char_end: int
    masked: bool = False
    suspect: bool = False
    role: str = ""
    direction: int = 0


@dataclass(frozen=True)
class Document:
    """One report: metadata, cleaned text, outline and passages."""

    doc_id: str
    source: str
    file_sha256: str
    part: int
    title: str
    doc_type: str
    doc_types: tuple[str, ...]
    years: tuple[int, ...]
    region: Region
    issuer: str
    level: Level
    text: str
    raw_text: str
    text_sha256: str
    sections: tuple[Section, ...] = field(default=())
    passages: tuple[Passage, ...] = field(default=())
    metrics: tuple[Metric, ...] = field(default=())
    script: str = "简体"  # a Script value: the script of the original (raw_text); text is simplified
