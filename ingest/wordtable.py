"""jieba's word table in an SQLite file, so a short text is cut without loading the whole dictionary.

jieba keeps its dictionary as one Python dict of about 580k words and word
prefixes, loaded whole from a marshal cache before the first cut: 0.3-1 s of
CPU, most of a cold `edureports search`. Cutting a query reads only a few
hundred entries. This module writes the table of a loaded tokenizer (jieba's
dictionary plus our domain terms, and its total) to a file once, and opens a
tokenizer that looks words up in that file as it cuts: the same table and
total, so the same words as the full tokenizer. Lookups are remembered, so a
long-running process pays each word once. Bulk cutting (ingest) keeps the
in-memory dict: millions of lookups are faster there.

The file name carries a digest of jieba's version, the domain terms and
FORMAT, so a changed term list is a new file, never a stale one.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

FORMAT = 1


def table_path(folder: Path, terms: Iterable[str]) -> Path:
    """Where the table for this jieba and these terms lives in `folder`."""
    import jieba

    digest = hashlib.sha256(f"{FORMAT}\n{jieba.__version__}\n".encode() + "\n".join(terms).encode()).hexdigest()
    return folder / f"jieba-words-{digest[:16]}.sqlite"


class WordTable(Mapping):
    """A read-only view of a saved word table with the dict methods jieba's Tokenizer calls."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.total = int(self._db.execute("SELECT total FROM meta").fetchone()[0])
        self._seen: dict[str, int | None] = {}

    def get(self, word: str, default=None):
        try:
            found = self._seen[word]
        except KeyError:
            row = self._db.execute("SELECT freq FROM words WHERE word = ?", (word,)).fetchone()
            found = self._seen[word] = row[0] if row else None
        return default if found is None else found

    def __getitem__(self, word: str) -> int:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self._db.execute("SELECT word FROM words"))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM words").fetchone()[0])


def save(tokenizer, path: Path) -> None:
    """Write an initialised tokenizer's table to `path` (atomically: a reader never sees half a file)."""
    tokenizer.check_initialized()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
        db.executemany("INSERT INTO words VALUES (?, ?)", tokenizer.FREQ.items())
        db.execute("INSERT INTO meta VALUES (?)", (tokenizer.total,))
        db.commit()
    finally:
        db.close()
    tmp.replace(path)


def open_tokenizer(path: Path):
    """A jieba Tokenizer over the saved table at `path`, or None when there is none (or it is unreadable)."""
    if not path.exists():
        return None
    import jieba

    try:
        table = WordTable(path)
    except sqlite3.Error:
        return None
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = table, table.total
    tokenizer.initialized = True  # the table is the initialised state: jieba never reads its dictionary
    return tokenizer
