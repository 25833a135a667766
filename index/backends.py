"""The two seams of the index side, and the factory that picks their implementations from settings.

A **Catalog** holds reports, passages, figures and themes and is the only
code that speaks its storage language (SQL for the embedded SQLite store).
A **Retriever** holds one kind of index over the catalog's passages, keyed
by the passages' integer ids: add, remove, search under a set of allowed
ids. The embedded default is `sqlite` + `tantivy` (BM25 in Rust, in
process) + `faiss`; `segments` (BM25 in numpy segments) is the other keyword
retriever. A server engine
(OpenSearch/Elasticsearch with a Chinese analyzer and k-NN) implements the
same protocols and registers its names here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from index.errors import SearchError
from index.filters import Filters
from index.query import Query
from index.records import DocSummary, FileRow, MetricRow, Original, PassageRow, Report, ThemeCell, ThemeCount

KEYWORD_ENV = "EDUREPORTS_KEYWORD"
CATALOG_ENV = "EDUREPORTS_CATALOG"
# tantivy won the comparison (bench/eval_search.py, bench/search_bench.py): equal or better recall and MRR,
# faster queries, a sixth of the disk, and a maintained engine with atomic commits instead of our own segments.
# Archives built before keep the retriever their config.json names.
DEFAULT_KEYWORD = "tantivy"
DEFAULT_CATALOG = "sqlite"


class BackendError(SearchError):
    """A backend name no implementation is registered for."""


@runtime_checkable
class Catalog(Protocol):
    """Reports, passages, figures and themes of one archive."""

    def documents(self) -> list[DocSummary]: ...

    def document(self, doc_id: str, with_text: bool = True) -> Report | None: ...

    def summaries(self, doc_ids: Iterable[str]) -> dict[str, DocSummary]: ...

    def passage_ids(self) -> np.ndarray: ...

    def passages(self, ids: Iterable[int] | None = None, themes: bool = False) -> list[PassageRow]: ...

    def passage(self, passage_id: str) -> PassageRow | None: ...

    def headings(self, ids: Iterable[int]) -> dict[int, str]: ...

    def allowed_ids(self, filters: Filters) -> np.ndarray | None: ...

    def metrics(self, doc_id: str = "", indicator: str = "", filters: Filters = Filters(),
                passage_id: str = "", passage_ids: Iterable[str] | None = None) -> list[MetricRow]: ...

    def theme_names(self) -> list[str]: ...

    def theme_counts(self) -> list[ThemeCount]: ...

    def theme_matrix(self) -> list[ThemeCell]: ...

    def unit_metrics(self, units: Sequence[str], doc_ids: Iterable[str] | None = None,
                     brief: bool = False) -> list[MetricRow]: ...

    def generation(self) -> int: ...

    # Housekeeping the index upkeep needs: the archive's own settings record and size.
    def config(self) -> dict: ...

    def update_config(self, **values) -> None: ...

    def counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...

    # Reading aids for the command line and the app.
    def resolve_doc_id(self, doc_id: str) -> str | None: ...

    def doc_types(self) -> list[str]: ...

    def untagged_texts(self) -> list[str]: ...

    # The write side of ingest: files, their stored originals and their reports, swapped atomically.
    def files(self) -> list[FileRow]: ...

    def file(self, path: str) -> FileRow | None: ...

    def outdated(self, version: str) -> list[FileRow]: ...

    def originals(self, paths: Iterable[str]) -> list[Original]: ...

    def same_content(self, sha256: str, path: str) -> str | None: ...

    def report_with_text(self, text_sha256: str, path: str) -> dict | None: ...

    def put_file(self, path: str, source: str, sha256: str, size: int, mtime: float, version: int | str,
                 docs: list, original: tuple[str, str, str] | None = None, status: str = "ok",
                 detail: str = "") -> None: ...

    def remove_file(self, path: str) -> None: ...

    def has_taxonomy(self) -> bool: ...

    def set_taxonomy(self, themes, tags: list[tuple[str, str, float, list[str]]] | None = None) -> None: ...


@runtime_checkable
class Retriever(Protocol):
    """One index over the catalog's passages, addressed by their integer ids."""

    name: str

    def ids(self) -> np.ndarray: ...

    def add(self, passages: Sequence[PassageRow]) -> None: ...

    def remove(self, ids: Iterable[int]) -> int: ...

    def search(self, query: Query, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]: ...

    def save(self) -> None: ...


@runtime_checkable
class KeywordRetriever(Retriever, Protocol):
    """A keyword retriever also says how specific a term is (the heading boost and `similar` weigh by it)."""

    def idf(self, term: str) -> float | None: ...


def _segments(folder: Path) -> KeywordRetriever:
    from index.keyword import SegmentRetriever

    return SegmentRetriever(folder / SegmentRetriever.FOLDER)


def _tantivy(folder: Path) -> KeywordRetriever:
    from index.tantivy_keyword import TantivyRetriever

    return TantivyRetriever(folder / TantivyRetriever.FOLDER)


KEYWORD_RETRIEVERS = {"segments": _segments, "tantivy": _tantivy}


def _sqlite(data_dir: Path) -> Catalog:
    from index.store import Store

    return Store(data_dir)


CATALOGS = {"sqlite": _sqlite}


def _choose(kind: str, registry: dict, value: str | None, env: str, default: str) -> str:
    name = (value or os.environ.get(env) or default).strip().lower()
    if name not in registry:
        raise BackendError(f"未知的{kind} {name!r}；可选：{'、'.join(registry)}")
    return name


def keyword_name(value: str | None = None) -> str:
    """The keyword retriever to build: an explicit value, else $EDUREPORTS_KEYWORD, else tantivy."""
    return _choose("关键词检索器", KEYWORD_RETRIEVERS, value, KEYWORD_ENV, DEFAULT_KEYWORD)


def keyword_retriever(name: str, index_dir: str | Path) -> KeywordRetriever:
    """The keyword retriever `name`, opened on (or created in) the index folder."""
    return KEYWORD_RETRIEVERS[keyword_name(name)](Path(index_dir))


def catalog(data_dir: str | Path, name: str | None = None) -> Catalog:
    """The catalog of a data dir: $EDUREPORTS_CATALOG, else the embedded SQLite store."""
    return CATALOGS[_choose("目录存储", CATALOGS, name, CATALOG_ENV, DEFAULT_CATALOG)](Path(data_dir))
