"""Errors of the index side; the command line and the app show their message as one line."""

from __future__ import annotations


class SearchError(Exception):
    """A search cannot be run as asked; the message says how to fix it."""


class EncoderMismatch(SearchError):
    """The vectors were built by another encoder than the one asked for."""


class IndexFileError(SearchError):
    """An index file is missing, damaged or of another format; `edureports reindex` rebuilds it."""


REINDEX = "请运行 edureports reindex 重建索引"


def damaged(what: str, path, detail: object = "") -> IndexFileError:
    """The one-line error for an index file that cannot be read."""
    reason = f"（{detail}）" if detail else ""
    return IndexFileError(f"{what} {path} 无法读取{reason}；{REINDEX}")
