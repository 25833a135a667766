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


class _Text(str, Enum):
    """A closed choice stored and printed as its Chinese value ('工作总结', not 'DocType.SUMMARY')."""

    __str__ = str.__str__
    __format__ = str.__format__


class DocType(_Text):
    """The kind of report; one list for ingest, store, CLI and app (values as in the truth files)."""

    SUMMARY = "工作总结"
    KEY_POINTS = "工作要点"
    PLAN = "工作计划"
    REPORT = "工作报告"
    BRIEFING = "工作汇报"
    INSPECTION = "督导报告"
    SELF_CHECK = "自查报告"
    SELF_EVALUATION = "自评报告"
    DUTY = "述职报告"
    RESEARCH = "调研报告"
    CIRCULAR = "通报"
    SCHEME = "方案"
    SPEECH = "讲话"
    OPINION = "意见"
    OTHER = "其他"


class Role(_Text):
    """What a figure is in a comparison: 由25人增加到29人 gives FROM and TO, 较上年提高1.3个百分点 a CHANGE."""

    NONE = ""
    FROM = "from"
    TO = "to"
    CHANGE = "change"


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
    role: str = ""  # a Role value
    direction: int = 0
    low: float | None = None  # a range (1-2所, 2-3岁): value is None, low and high hold its ends
    high: float | None = None


@dataclass(frozen=True)
class Document:
    """One report: metadata, cleaned text, outline and passages."""

    doc_id: str
    source: str
    file_sha256: str
    part: int
    title: str
    doc_type: str  # a DocType value
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
    title_derived: bool = False  # no title line in the file: the title is built from region, years and type
