"""Read-side rows of the catalog: frozen values the command line, the app and the analyses share.

`to_dict()` gives the keys of the `--json` output (DESIGN.md's table), with
tuples as lists, so a column renamed here is renamed everywhere at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Grade(str, Enum):
    """How relevant a hit is, from its calibrated relevance: 高, 中, or 低 (below the floor, hidden by default)."""

    HIGH = "高"
    MEDIUM = "中"
    LOW = "低"


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Row:
    def to_dict(self) -> dict:
        return {k: _plain(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class DocSummary(_Row):
    """One report as the listing shows it."""

    doc_id: str
    source: str
    title: str
    doc_type: str
    doc_types: tuple[str, ...]
    region: str
    province: str
    city: str
    county: str
    adcode: str
    level: str
    issuer: str
    years: tuple[int, ...]
    n_passages: int
    themes: tuple[str, ...] = ()
    script: str = ""
    ingest_version: str = ""
    title_derived: bool = False  # no title line in the file: the title was built from region, years and type


@dataclass(frozen=True)
class SectionRow(_Row):
    ord: int
    level: int
    marker: str
    title: str
    char_start: int
    char_end: int
    parent: int


@dataclass(frozen=True)
class PassageRow(_Row):
    """A passage with its heading path and themes; `id` is the integer key of the indexes."""

    id: int
    passage_id: str
    doc_id: str
    ord: int
    heading_path: tuple[str, ...]
    text: str
    char_start: int
    char_end: int
    themes: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path)

    def to_dict(self) -> dict:
        out = super().to_dict()
        del out["id"]
        out["heading"] = self.heading
        return out


@dataclass(frozen=True)
class MetricRow(_Row):
    """A figure with its report's source, region and years and its passage's themes."""

    doc_id: str
    source: str
    title: str
    region: str
    years: tuple[int, ...]
    passage_id: str
    indicator: str
    value: float | None
    unit: str
    qualifier: str
    raw: str
    sentence: str
    masked: bool
    suspect: bool
    role: str
    direction: int
    char_start: int
    char_end: int
    themes: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Report(_Row):
    """One report for reading: its summary, outline, passages and figures (and texts when asked)."""

    summary: DocSummary
    outline: tuple[SectionRow, ...]
    passages: tuple[PassageRow, ...]
    metrics: tuple[MetricRow, ...]
    text: str | None = None
    raw_text: str | None = None

    def to_dict(self) -> dict:
        out = self.summary.to_dict()
        out["outline"] = [s.to_dict() for s in self.outline]
        out["passages"] = [p.to_dict() for p in self.passages]
        out["metrics"] = [m.to_dict() for m in self.metrics]
        if self.text is not None:
            out["text"], out["raw_text"] = self.text, self.raw_text
        return out


@dataclass(frozen=True)
class ThemeCount(_Row):
    theme: str
    parent: str
    description: str
    n_passages: int
    n_docs: int


@dataclass(frozen=True)
class ThemeCell(_Row):
    """How many passages of one report carry one theme (a cell of the theme x report matrix)."""

    theme: str
    doc_id: str
    title: str
    region: str
    years: tuple[int, ...]
    n: int


@dataclass(frozen=True)
class FileRow(_Row):
    path: str
    source: str
    sha256: str
    size: int
    mtime: float
    ingest_version: str
    status: str
    detail: str


@dataclass(frozen=True)
class Original(_Row):
    """A stored file as it was read: enough to ingest it again without the file."""

    path: str
    source: str
    sha256: str
    format: str
    encoding: str
    text: str


@dataclass(frozen=True)
class Hit(_Row):
    """A search result: the passage, its report, its score and where the query words are.

    `relevance` is a calibrated estimate (0..1) that the passage answers the
    query, `grade` its band; `sentence` gives the offsets in `text` of the
    sentence that matches best (the snippet), (0, 0) when none stands out.
    """

    passage_id: str
    doc_id: str
    source: str
    title: str
    region: str
    years: tuple[int, ...]
    doc_type: str
    doc_types: tuple[str, ...]
    heading: str
    text: str
    score: float
    themes: tuple[str, ...]
    char_start: int
    char_end: int
    spans: tuple[tuple[int, int], ...] = field(default=())
    keyword_rank: int | None = None
    dense_rank: int | None = None
    relevance: float = 0.0
    grade: Grade = Grade.LOW
    sentence: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Comparison(_Row):
    """One report's best passages for a practice or theme: a column of the side-by-side view."""

    region: str
    doc_id: str
    title: str
    years: tuple[int, ...]
    source: str
    score: float
    passages: tuple[Hit, ...]
    issuer: str = ""  # the issuing body: a column's name when the region is unknown

    def to_dict(self) -> dict:
        out = super().to_dict()
        keys = ("passage_id", "heading", "text", "score", "spans", "themes", "relevance", "grade", "sentence")
        out["passages"] = [{k: v for k, v in p.to_dict().items() if k in keys} for p in self.passages]
        return out
