"""The seams hold: SQL only in the store, protocols met, backends chosen by name."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from index.backends import BackendError, Catalog, catalog, keyword_name

SQL = re.compile(
    r"\b(SELECT\s+(DISTINCT\s+)?[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(TABLE|INDEX|VIEW)|ALTER\s+TABLE|DROP\s+TABLE|PRAGMA\s+\w|BEGIN\s+IMMEDIATE)|"
    r"\.execute(many|script)?\("
)


def _sources():
    yield ROOT / "app.py"
    for folder in ("index", "edureports"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def test_no_sql_outside_the_store():
    offenders = []
    for path in _sources():
        if path == ROOT / "index" / "store.py":
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if SQL.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_the_grep_would_catch_sql():
    assert SQL.search('rows = db.execute("SELECT id FROM passages")')
    assert SQL.search("DELETE FROM files WHERE path = ?")
    assert not SQL.search("select the best passages")


def test_the_store_is_a_catalog(data_dir):
    store = catalog(data_dir)
    assert isinstance(store, Catalog)
    store.close()


def test_unknown_backends_name_the_known_ones(data_dir, monkeypatch):
    with pytest.raises(BackendError) as err:
        keyword_name("lucene")
    assert str(err.value) == "未知的关键词检索器 'lucene'；可选：segments、tantivy"
    monkeypatch.setenv("EDUREPORTS_KEYWORD", "Tantivy")
    assert keyword_name() == "tantivy"
    with pytest.raises(BackendError, match="^未知的目录存储 'postgres'；可选：sqlite$"):
        catalog(data_dir, "postgres")
