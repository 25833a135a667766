"""The SQLite store: files, original texts, reports, outline and passages.

One file `edureports.sqlite` (WAL) in the data dir, beside `config.json`
which records the format version. A file's reports are replaced in one
transaction, so an interrupted ingest leaves either the old version or the
new one, never half of a report.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.filters import Filters, check_doc_type, check_region, check_theme, like_pattern
from index.records import (
    DocSummary, FileRow, MetricRow, Original, PassageRow, Report, SectionRow, ThemeCell, ThemeCount,
)
from ingest.types import Document, DocType

FORMAT_VERSION = 3
CHUNK = 500  # ids per `IN (...)`: below SQLite's variable limit on every build
# Columns added after format 3 shipped: (table, column, declaration); added in place on open.
_ADDED_COLUMNS = (
    ("documents", "script", "TEXT NOT NULL DEFAULT ''"),
    ("documents", "title_derived", "INTEGER NOT NULL DEFAULT 0"),
    ("metrics", "low", "REAL"),
    ("metrics", "high", "REAL"),
)
DB_NAME = "edureports.sqlite"
CONFIG_NAME = "config.json"
INDEX_FOLDER = "index"  # where the retrievers keep their files (index.search.INDEX_DIR)
RECOVER = "运行 edureports recover 从数据库中保存的原文重建"
REWRITE = "运行 edureports reindex 重写它并重建索引（数据库中的报告不受影响）"
PROBE_MISSES = 1000  # rowids probed past the last readable row when a damaged table hides its largest rowid

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,          -- resolved absolute path
    source TEXT NOT NULL,           -- the path as the user gave it
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    ingest_version INTEGER NOT NULL,
    status TEXT NOT NULL,           -- ok | duplicate
    detail TEXT NOT NULL DEFAULT '',
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS originals (
    sha256 TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    encoding TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    file_path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    source TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    part INTEGER NOT NULL,
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    doc_types TEXT NOT NULL,        -- JSON list
    years TEXT NOT NULL,            -- JSON list of ints
    region TEXT NOT NULL,
    province TEXT NOT NULL,
    city TEXT NOT NULL,
    county TEXT NOT NULL,
    adcode TEXT NOT NULL,
    level TEXT NOT NULL,
    issuer TEXT NOT NULL,
    text TEXT NOT NULL,             -- cleaned text; passage offsets point here
    raw_text TEXT NOT NULL,         -- the untouched lines this report came from
    text_sha256 TEXT NOT NULL UNIQUE,
    n_passages INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_file ON documents(file_path);
CREATE TABLE IF NOT EXISTS sections (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    level INTEGER NOT NULL,
    marker TEXT NOT NULL,
    title TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    parent INTEGER NOT NULL,
    PRIMARY KEY (doc_id, ord)
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the key of the vector and keyword indexes
    passage_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    section INTEGER NOT NULL,
    heading TEXT NOT NULL,          -- JSON list: the heading path
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id, ord);
CREATE TABLE IF NOT EXISTS metrics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    passage_id TEXT NOT NULL,
    value REAL,                     -- base units (34.48万元 -> 344800, 元); NULL when masked
    unit TEXT NOT NULL,
    qualifier TEXT NOT NULL,        -- 近 约 余 以上 超过 … or ''
    indicator TEXT NOT NULL,
    raw TEXT NOT NULL,              -- the span as written
    sentence TEXT NOT NULL,
    char_start INTEGER NOT NULL,    -- into documents.text
    char_end INTEGER NOT NULL,
    masked INTEGER NOT NULL,
    suspect INTEGER NOT NULL,
    role TEXT NOT NULL,             -- '' | from | to | change
    direction INTEGER NOT NULL      -- +1 / -1 for changes
);
CREATE INDEX IF NOT EXISTS metrics_doc ON metrics(doc_id);
CREATE INDEX IF NOT EXISTS metrics_indicator ON metrics(indicator);
CREATE INDEX IF NOT EXISTS metrics_passage ON metrics(passage_id);
CREATE TABLE IF NOT EXISTS state (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL          -- generation: bumped by every change to the passages
);
INSERT OR IGNORE INTO state VALUES ('generation', 0);
CREATE TABLE IF NOT EXISTS themes (
    name TEXT PRIMARY KEY,
    parent TEXT NOT NULL,
    description TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS passage_themes (
    passage_id TEXT NOT NULL REFERENCES passages(passage_id) ON DELETE CASCADE,
    theme TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (passage_id, theme)
);
"""



class StoreError(Exception):
    """The data dir cannot be used as a store."""


def unreadable(path: str | Path, exc: Exception) -> StoreError:
    """The one-line error for a database whose pages fail to read after it opened."""
    return StoreError(f"数据库 {path} 读取失败（{exc}）；运行 edureports check 查看，{RECOVER}")


class DamagedConfig(StoreError):
    """config.json cannot be read: `edureports reindex` sets it aside and writes it again from the database."""


def set_config_aside(data_dir: str | Path) -> Path:
    """Move a damaged config.json aside (never deleted); the next Store writes a fresh one. Returns where it went."""
    path = Path(data_dir) / CONFIG_NAME
    moved = path.with_name(f"{CONFIG_NAME}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(moved)
    return moved


class MissingDatabase(StoreError):
    """The data dir holds indexes (or an index record) but no database: never silently an empty archive."""


def filter_clauses(passage: str, filters: Filters) -> tuple[list[str], list]:
    """SQL conditions on a report `d` and the passage id column `passage`, with their arguments.

    Search and the figure listing filter the same way: region by substring
    (wildcards taken literally), years by overlap with a range, doc type
    among the report's types, theme as the theme itself or any child of it.
    """
    where: list[str] = []
    args: list = []
    if filters.region:
        where.append("d.region LIKE ? ESCAPE '\\'")
        args.append(like_pattern(filters.region))
    if filters.doc_type:
        where.append("EXISTS (SELECT 1 FROM json_each(d.doc_types) WHERE value = ?)")
        args.append(filters.doc_type)
    if filters.years:
        where.append("EXISTS (SELECT 1 FROM json_each(d.years) WHERE value BETWEEN ? AND ?)")
        args += list(filters.years)
    if filters.theme:
        where.append(
            f"EXISTS (SELECT 1 FROM passage_themes t WHERE t.passage_id = {passage} AND "
            "(t.theme = ? OR t.theme IN (SELECT name FROM themes WHERE parent = ?)))"
        )
        args += [filters.theme, filters.theme]
    return where, args


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


@dataclass(frozen=True)
class Salvage:
    """What could still be read from a damaged database: file records, originals, and the count lost."""

    files: tuple[FileRow, ...]
    originals: dict[str, tuple[str, str, str]]  # sha256 -> (format, encoding, text)
    unreadable: int  # rows that could not be read back


def salvage(path: str | Path) -> Salvage:
    """Read every file record and stored original that a damaged database still yields.

    A scan stops at the first damaged page, so rows are read one by one by
    rowid: each lookup walks the tree from the root, and damage loses only
    the rows it touches. The database is opened as it lies (its WAL, if any,
    beside it) and nothing is written to it but SQLite's own recovery of
    that log. A file cut short is read through a copy whose header names
    the pages it still has (see `_cut_short_copy`).
    """
    with _cut_short_copy(Path(path)) as readable:
        return _salvage(readable)


@contextmanager
def _cut_short_copy(path: Path) -> Iterator[Path]:
    """`path`, or for a file shorter than its header says, a temporary copy of the length the header names.

    SQLite trusts the page count in the header (bytes 28-31) and calls every
    query malformed, even one on the first page, when the file ends before
    it. The copy is filled up to that count with empty pages: the schema
    (whose tables may start past the cut) still reads, the pages before the
    cut read as usual, and only rows on the lost pages fail, one by one.
    The damaged file itself is never written.
    """
    import shutil
    import tempfile

    try:
        with open(path, "rb") as f:
            header = f.read(100)
        size = path.stat().st_size
    except OSError:
        yield path
        return
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        yield path
        return
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    declared, present = int.from_bytes(header[28:32], "big"), size // page
    if not present or declared <= present:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="edureports-salvage-") as tmp:
        copy = Path(tmp) / path.name
        with open(path, "rb") as src, open(copy, "wb") as dst:
            shutil.copyfileobj(src, dst)
            dst.truncate(present * page)  # a last page cut in the middle is dropped whole,
            dst.truncate(declared * page)  # then zeros (a sparse file) stand for every lost page
        for suffix in ("-wal", "-shm"):
            if Path(str(path) + suffix).exists():
                shutil.copyfile(str(path) + suffix, str(copy) + suffix)
        yield copy


def _salvage(path: Path) -> Salvage:
    db = sqlite3.connect(str(path), timeout=30)
    lost = 0

    def rows(table: str, columns: str) -> Iterator[tuple]:
        nonlocal lost
        try:
            top = db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
        except sqlite3.DatabaseError:
            top = None  # the right edge of the tree is damaged: probe rowids until a long run finds nothing
        if top == 0:
            return
        rowid, misses, failed = 0, 0, 0
        while (rowid < top) if top else misses < PROBE_MISSES:
            rowid += 1
            try:
                row = db.execute(f"SELECT {columns} FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
            except sqlite3.DatabaseError:
                row, failed = None, failed + 1
            if row is None:
                misses += 1
                continue
            lost, failed, misses = lost + failed, 0, 0
            yield row
        lost += 1 if failed and not top else failed  # rows past the last one read: at least one was lost

    try:
        files = tuple(FileRow(r[0], r[1], r[2], r[3], r[4], str(r[5]), r[6], r[7]) for r in rows(
            "files", "path, source, sha256, size, mtime, ingest_version, status, detail"))
        originals = {r[0]: (r[1], r[2], r[3]) for r in rows("originals", "sha256, format, encoding, text")}
    finally:
        db.close()
    return Salvage(files, originals, lost)


class Store:
    """The SQLite catalog of one data dir: the only code that speaks SQL.

    One connection per instance: open one per process, per app session, per
    thread of work; SQLite (WAL) lets them read while one writes.
    """

    def __init__(self, data_dir: str | Path):
        self.dir = Path(data_dir)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据目录 {self.dir}：{exc.strerror or exc}") from None
        self._check_missing()
        self._check_config()
        # Streamlit runs each rerun of a session on a new thread; the session still owns the connection alone.
        self.db = sqlite3.connect(self.dir / DB_NAME, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(_SCHEMA)
            self._add_columns()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(f"数据库 {self.dir / DB_NAME} 已损坏或不是本工具的数据库（{exc}）；{RECOVER}") from None

    def _check_missing(self) -> None:
        """A database that vanished beside its indexes is an error, not a fresh empty archive."""
        if (self.dir / DB_NAME).exists():
            return
        indexed = (self.dir / INDEX_FOLDER).is_dir() and any((self.dir / INDEX_FOLDER).iterdir())
        try:
            recorded = "encoder" in json.loads((self.dir / CONFIG_NAME).read_text("utf-8"))
        except (OSError, ValueError, TypeError):
            recorded = False
        if indexed or recorded:
            raise MissingDatabase(
                f"数据目录 {self.dir} 中没有数据库 {DB_NAME}，却有索引；若数据库被移走，请放回原处；"
                "否则运行 edureports recover 移开旧索引，再重新导入报告文件")

    def _add_columns(self) -> None:
        for table, column, decl in _ADDED_COLUMNS:
            have = {r["name"] for r in self.db.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

    def _check_config(self) -> None:
        path = self.dir / CONFIG_NAME
        if path.exists():
            try:
                config = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise DamagedConfig(f"{path} 不是有效的 JSON（{exc}）；{REWRITE}") from None
            if not isinstance(config, dict):
                raise DamagedConfig(f"{path} 应是一个 JSON 对象，而不是 {_json(config)[:40]}；{REWRITE}")
            found = config.get("format_version")
            if found != FORMAT_VERSION:
                raise StoreError(
                    f"数据目录 {self.dir} 的存储格式为 {found}，本版本读取格式 {FORMAT_VERSION}；请导入到新的数据目录"
                )
            return
        path.write_text(_json({"format_version": FORMAT_VERSION}) + "\n", "utf-8")

    def config(self) -> dict:
        return json.loads((self.dir / CONFIG_NAME).read_text("utf-8"))

    def update_config(self, **values) -> None:
        """Merge `values` into config.json (written atomically); None removes a key."""
        config = {**self.config(), **values}
        config = {k: v for k, v in config.items() if v is not None}
        tmp = self.dir / (CONFIG_NAME + ".tmp")
        tmp.write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", "utf-8")
        tmp.replace(self.dir / CONFIG_NAME)

    def close(self) -> None:
        self.db.close()

    def integrity(self, quick: bool = False) -> list[str]:
        """SQLite's integrity check plus foreign keys: the problems found ([] when the file is sound).

        `quick` runs SQLite's quick_check: every page read and its tree checked, the
        indexes not compared with their tables (linear in the file, so cheap before a rebuild).
        """
        try:
            found = [r[0] for r in self.db.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check")]
            keys = self.db.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        problems = [] if found == ["ok"] else found
        return problems + [f"{r[0]} 表有 {len(keys)} 行引用已不存在的记录" for r in keys[:1]]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; any exception, Ctrl-C included, rolls back."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _in(self, sql: str, ids: Sequence, before: Sequence = ()) -> list[sqlite3.Row]:
        """Run `sql` (holding one `{ids}` placeholder for `IN (...)`) over `ids` in chunks.

        SQLite limits the number of bound variables; every lookup by a list
        of ids goes through here.
        """
        ids = list(ids)
        rows: list[sqlite3.Row] = []
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows += self.db.execute(sql.format(ids=",".join("?" * len(chunk))), [*before, *chunk]).fetchall()
        return rows

    # -- files ---------------------------------------------------------------

    @staticmethod
    def _file(row: sqlite3.Row) -> FileRow:
        return FileRow(row["path"], row["source"], row["sha256"], row["size"], row["mtime"],
                       str(row["ingest_version"]), row["status"], row["detail"])

    def file(self, path: str) -> FileRow | None:
        row = self.db.execute("SELECT * FROM files WHERE path = ?", (path,)).fetchone()
        return self._file(row) if row else None

    def same_content(self, sha256: str, path: str) -> str | None:
        """The source of another ingested file with these bytes, if any."""
        row = self.db.execute(
            "SELECT source FROM files WHERE sha256 = ? AND path != ? AND status = 'ok'", (sha256, path)
        ).fetchone()
        return row["source"] if row else None

    def report_with_text(self, text_sha256: str, path: str) -> dict | None:
        """{doc_id, source} of a report of another file with this cleaned text."""
        row = self.db.execute(
            "SELECT doc_id, source FROM documents WHERE text_sha256 = ? AND file_path != ?", (text_sha256, path)
        ).fetchone()
        return {"doc_id": row["doc_id"], "source": row["source"]} if row else None

    def files(self) -> list[FileRow]:
        return [self._file(r) for r in self.db.execute("SELECT * FROM files ORDER BY source")]

    def outdated(self, version: str) -> list[FileRow]:
        """Files ingested by another version of the ingest code than `version`."""
        rows = self.db.execute("SELECT * FROM files WHERE CAST(ingest_version AS TEXT) != ? ORDER BY source",
                               (str(version),))
        return [self._file(r) for r in rows]

    def originals(self, paths: Iterable[str]) -> list[Original]:
        """The stored original of each file (files stored as duplicates have none)."""
        rows = self._in(
            "SELECT f.path, f.source, f.sha256, o.format, o.encoding, o.text FROM files f "
            "JOIN originals o ON o.sha256 = f.sha256 WHERE f.path IN ({ids}) ORDER BY f.source", list(paths))
        return [Original(*r) for r in rows]

    def put_file(
        self,
        path: str,
        source: str,
        sha256: str,
        size: int,
        mtime: float,
        version: int | str,
        docs: list[Document],
        original: tuple[str, str, str] | None = None,
        status: str = "ok",
        detail: str = "",
    ) -> None:
        """Replace everything stored for `path` with `docs`, atomically."""
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        with self.transaction() as db:
            db.execute("DELETE FROM documents WHERE file_path = ?", (path,))
            db.execute(
                "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?)",
                (path, source, sha256, size, mtime, str(version), status, detail, now),
            )
            if original:
                db.execute("INSERT OR REPLACE INTO originals VALUES (?,?,?,?)", (sha256, *original))
            for d in docs:
                db.execute(
                    "INSERT INTO documents (doc_id, file_path, source, file_sha256, part, title, doc_type, doc_types, "
                    "years, region, province, city, county, adcode, level, issuer, text, raw_text, text_sha256, "
                    "n_passages, script, title_derived) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        d.doc_id, path, source, d.file_sha256, d.part, d.title, str(d.doc_type),
                        _json([str(t) for t in d.doc_types]), _json(list(d.years)), d.region.display,
                        d.region.province, d.region.city, d.region.county, d.region.adcode,
                        d.level.value, d.issuer, d.text, d.raw_text, d.text_sha256, len(d.passages),
                        str(getattr(d, "script", "") or ""), int(bool(getattr(d, "title_derived", False))),
                    ),
                )
                db.executemany(
                    "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?)",
                    [(d.doc_id, s.ord, s.level, str(s.marker), s.title, s.char_start, s.char_end, s.parent)
                     for s in d.sections],
                )
                db.executemany(
                    "INSERT INTO passages (passage_id, doc_id, ord, section, heading, char_start, char_end, text) "
                    "VALUES (?,?,?,?,?,?,?,?)",
                    [(p.passage_id, d.doc_id, p.ord, p.section, _json(list(p.heading)), p.char_start,
                      p.char_end, p.text) for p in d.passages],
                )
                db.executemany(
                    "INSERT INTO metrics (doc_id, passage_id, value, unit, qualifier, indicator, raw, sentence, "
                    "char_start, char_end, masked, suspect, role, direction, low, high) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [(d.doc_id, m.passage_id, m.value, m.unit, m.qualifier, m.indicator, m.raw, m.sentence,
                      m.char_start, m.char_end, int(m.masked), int(m.suspect), str(m.role), m.direction,
                      getattr(m, "low", None), getattr(m, "high", None))
                     for m in d.metrics],
                )
                db.executemany(
                    "INSERT INTO passage_themes VALUES (?,?,?,?)",
                    [(p.passage_id, tag.theme, tag.score, _json(list(tag.evidence)))
                     for p in d.passages for tag in p.themes],
                )
            self._drop_orphan_originals(db)
            self._bump(db)

    def remove_file(self, path: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM files WHERE path = ?", (path,))
            self._drop_orphan_originals(db)
            self._bump(db)

    def has_taxonomy(self) -> bool:
        return self.db.execute("SELECT 1 FROM themes LIMIT 1").fetchone() is not None

    def set_taxonomy(self, themes, tags: list[tuple[str, str, float, list[str]]] | None = None) -> None:
        """Record the taxonomy; with `tags` (passage_id, theme, score, evidence), replace every tag."""
        with self.transaction() as db:
            db.execute("DELETE FROM themes")
            db.executemany("INSERT INTO themes VALUES (?,?,?)", [(t.name, t.parent, t.description) for t in themes])
            if tags is not None:
                db.execute("DELETE FROM passage_themes")
                db.executemany("INSERT INTO passage_themes VALUES (?,?,?,?)",
                               [(pid, theme, score, _json(ev)) for pid, theme, score, ev in tags])

    @staticmethod
    def _bump(db: sqlite3.Connection) -> None:
        db.execute("UPDATE state SET value = value + 1 WHERE key = 'generation'")

    def generation(self) -> int:
        """A counter that changes whenever passages are added or removed."""
        return self.db.execute("SELECT value FROM state WHERE key = 'generation'").fetchone()[0]

    @staticmethod
    def _drop_orphan_originals(db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM originals WHERE sha256 NOT IN (SELECT sha256 FROM files)")

    # -- filters -------------------------------------------------------------

    def check_filters(self, filters: Filters) -> None:
        """Refuse a theme, report kind or region the archive does not know (FilterError naming the closest)."""
        if filters.theme:
            check_theme(filters.theme, self.theme_names())
        if filters.doc_type:
            check_doc_type(filters.doc_type, self.doc_types())
        if filters.region:
            check_region(filters.region, self.regions())

    def regions(self) -> list[str]:
        """Every region a stored report names, in order."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT region FROM documents WHERE region != '' ORDER BY region")]

    def allowed_ids(self, filters: Filters) -> np.ndarray | None:
        """Integer ids of the passages the filters let through; None when nothing is filtered."""
        if not filters:
            return None
        self.check_filters(filters)
        where, args = filter_clauses("p.passage_id", filters)
        sql = "SELECT p.id FROM passages p JOIN documents d USING (doc_id)" + _where(where)
        return np.fromiter((r[0] for r in self.db.execute(sql, args)), dtype=np.int64)

    def theme_names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM themes ORDER BY rowid")]

    def doc_types(self) -> list[str]:
        """Every report kind: the closed list of ingest, then any other a stored report carries."""
        known = [t.value for t in DocType]
        stored = [r[0] for r in self.db.execute("SELECT DISTINCT j.value FROM documents, json_each(doc_types) j")]
        return list(dict.fromkeys(known + sorted(stored)))

    # -- passages ------------------------------------------------------------

    def passage_ids(self) -> np.ndarray:
        """Every stored passage's integer id, ascending."""
        return np.fromiter((r[0] for r in self.db.execute("SELECT id FROM passages ORDER BY id")), dtype=np.int64)

    @staticmethod
    def _passage(r: sqlite3.Row, themes: dict[str, list[str]] | None = None) -> PassageRow:
        return PassageRow(r["id"], r["passage_id"], r["doc_id"], r["ord"], tuple(json.loads(r["heading"])), r["text"],
                          r["char_start"], r["char_end"], tuple(themes.get(r["passage_id"], ())) if themes else ())

    _PASSAGE_COLUMNS = "id, passage_id, doc_id, ord, heading, text, char_start, char_end"

    def passages(self, ids: Iterable[int] | None = None, themes: bool = False) -> list[PassageRow]:
        """Passages by integer id (all when None), in id order; with their themes when asked."""
        if ids is None:
            rows = self.db.execute(f"SELECT {self._PASSAGE_COLUMNS} FROM passages ORDER BY id").fetchall()
        else:
            rows = sorted(self._in(f"SELECT {self._PASSAGE_COLUMNS} FROM passages WHERE id IN ({{ids}})",
                                   [int(i) for i in ids]), key=lambda r: r["id"])
        tags = self._themes([r["passage_id"] for r in rows]) if themes else None
        return [self._passage(r, tags) for r in rows]

    def passage(self, passage_id: str) -> PassageRow | None:
        row = self.db.execute(f"SELECT {self._PASSAGE_COLUMNS} FROM passages WHERE passage_id = ?",
                              (passage_id,)).fetchone()
        return self._passage(row, self._themes([passage_id])) if row else None

    def untagged_texts(self) -> list[str]:
        """Texts of the passages no theme covers."""
        return [r[0] for r in self.db.execute(
            "SELECT text FROM passages p WHERE NOT EXISTS "
            "(SELECT 1 FROM passage_themes t WHERE t.passage_id = p.passage_id)")]

    def headings(self, ids: Iterable[int]) -> dict[int, str]:
        """Heading paths by integer id, joined with spaces (the heading boost needs no text)."""
        return {r[0]: " ".join(json.loads(r[1]))
                for r in self._in("SELECT id, heading FROM passages WHERE id IN ({ids})", [int(i) for i in ids])}

    def counts(self) -> dict[str, int]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "files": one("SELECT COUNT(*) FROM files WHERE status = 'ok'"),
            "documents": one("SELECT COUNT(*) FROM documents"),
            "passages": one("SELECT COUNT(*) FROM passages"),
        }

    # -- themes --------------------------------------------------------------

    def _themes(self, passage_ids: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {pid: [] for pid in passage_ids}
        rows = self._in("SELECT passage_id, theme, score FROM passage_themes WHERE passage_id IN ({ids})",
                        passage_ids)
        for row in sorted(rows, key=lambda r: -r["score"]):
            out[row["passage_id"]].append(row["theme"])
        return out

    def _doc_themes(self, doc_id: str = "") -> dict[str, list[str]]:
        """Each report's themes, most passages first (of one report when `doc_id` is given)."""
        rows = self.db.execute(
            "SELECT p.doc_id, t.theme, COUNT(*) AS n FROM passage_themes t JOIN passages p USING (passage_id) "
            + ("WHERE p.doc_id = ? " if doc_id else "") + "GROUP BY p.doc_id, t.theme ORDER BY n DESC",
            (doc_id,) if doc_id else (),
        )
        out: dict[str, list[str]] = {}
        for row in rows:
            out.setdefault(row["doc_id"], []).append(row["theme"])
        return out

    def theme_counts(self) -> list[ThemeCount]:
        """Each theme of the taxonomy with its passage and report counts (a parent counts its children's)."""
        rows = self.db.execute(
            """
            WITH tagged AS (
                SELECT t.name AS theme, pt.passage_id FROM themes t
                JOIN passage_themes pt ON pt.theme = t.name OR pt.theme IN (SELECT name FROM themes WHERE parent = t.name)
            )
            SELECT th.name, th.parent, th.description,
                   COUNT(DISTINCT tagged.passage_id) AS n_passages, COUNT(DISTINCT p.doc_id) AS n_docs
            FROM themes th LEFT JOIN tagged ON tagged.theme = th.name
            LEFT JOIN passages p ON p.passage_id = tagged.passage_id
            GROUP BY th.name ORDER BY th.rowid
            """
        ).fetchall()
        return [ThemeCount(r["name"], r["parent"], r["description"], r["n_passages"], r["n_docs"]) for r in rows]

    def theme_matrix(self) -> list[ThemeCell]:
        """Passages per (theme, report), with each report's title, region and years."""
        rows = self.db.execute(
            "SELECT t.theme, d.doc_id, d.title, d.region, d.years, COUNT(*) AS n FROM passage_themes t "
            "JOIN passages p USING (passage_id) JOIN documents d ON d.doc_id = p.doc_id "
            "GROUP BY t.theme, d.doc_id ORDER BY t.theme, d.source, d.part"
        )
        return [ThemeCell(r["theme"], r["doc_id"], r["title"], r["region"], tuple(json.loads(r["years"])), r["n"])
                for r in rows]

    # -- reports -------------------------------------------------------------

    _DOC_COLUMNS = ", ".join(f"d.{c}" for c in (
        "doc_id", "source", "title", "doc_type", "doc_types", "region", "province", "city", "county", "adcode",
        "level", "issuer", "years", "n_passages", "script", "file_path", "title_derived"))

    def _summary(self, row: sqlite3.Row, themes: list[str], version: str = "") -> DocSummary:
        return DocSummary(
            row["doc_id"], row["source"], row["title"], row["doc_type"], tuple(json.loads(row["doc_types"])),
            row["region"], row["province"], row["city"], row["county"], row["adcode"], row["level"], row["issuer"],
            tuple(json.loads(row["years"])), row["n_passages"], tuple(themes), row["script"], version,
            bool(row["title_derived"]),
        )

    def documents(self) -> list[DocSummary]:
        """Every report, ordered by source file and part."""
        themes = self._doc_themes()
        rows = self.db.execute(
            f"SELECT {self._DOC_COLUMNS}, f.ingest_version FROM documents d JOIN files f ON f.path = d.file_path "
            "ORDER BY d.source, d.part"
        ).fetchall()
        return [self._summary(r, themes.get(r["doc_id"], []), str(r["ingest_version"])) for r in rows]

    def summaries(self, doc_ids: Iterable[str]) -> dict[str, DocSummary]:
        """Reports by id, without their themes (what a hit shows of its report)."""
        rows = self._in(f"SELECT {self._DOC_COLUMNS} FROM documents d WHERE d.doc_id IN ({{ids}})", list(set(doc_ids)))
        return {r["doc_id"]: self._summary(r, []) for r in rows}

    def resolve_doc_id(self, doc_id: str) -> str | None:
        """The full id of a report from its id or a unique prefix of it."""
        row = self.db.execute("SELECT doc_id FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row:
            return row["doc_id"]
        rows = self.db.execute(
            "SELECT doc_id FROM documents WHERE doc_id LIKE ? ESCAPE '\\' LIMIT 2", (like_pattern(doc_id)[1:],)
        ).fetchall()
        return rows[0]["doc_id"] if len(rows) == 1 else None

    def document(self, doc_id: str, with_text: bool = True) -> Report | None:
        """One report with its outline, passages and figures (and texts when asked)."""
        row = self.db.execute(f"SELECT {self._DOC_COLUMNS}, d.text, d.raw_text FROM documents d WHERE d.doc_id = ?",
                              (doc_id,)).fetchone()
        if row is None:
            return None
        summary = self._summary(row, self._doc_themes(doc_id).get(doc_id, []))
        sections = self.db.execute(
            "SELECT ord, level, marker, title, char_start, char_end, parent FROM sections WHERE doc_id = ? ORDER BY ord",
            (doc_id,),
        ).fetchall()
        rows = self.db.execute(f"SELECT {self._PASSAGE_COLUMNS} FROM passages WHERE doc_id = ? ORDER BY ord",
                               (doc_id,)).fetchall()
        themes = self._themes([p["passage_id"] for p in rows])
        return Report(
            summary, tuple(SectionRow(*s) for s in sections), tuple(self._passage(p, themes) for p in rows),
            tuple(self.metrics(doc_id=doc_id)),
            row["text"] if with_text else None, row["raw_text"] if with_text else None,
        )

    def original(self, sha256: str) -> str | None:
        row = self.db.execute("SELECT text FROM originals WHERE sha256 = ?", (sha256,)).fetchone()
        return row["text"] if row else None

    # -- figures -------------------------------------------------------------

    def metrics(self, doc_id: str = "", indicator: str = "", filters: Filters = Filters(),
                passage_id: str = "", passage_ids: Iterable[str] | None = None) -> list[MetricRow]:
        """Figure rows with their report's source, region, years and the passage's themes.

        `passage_ids` loads the figures of many passages (a page of hits) in one go.
        """
        self.check_filters(filters)
        where, args = filter_clauses("m.passage_id", filters)
        if passage_id:
            where.append("m.passage_id = ?")
            args.append(passage_id)
        if doc_id:
            where.append("m.doc_id = ?")
            args.append(doc_id)
        if indicator:
            where.append("m.indicator LIKE ? ESCAPE '\\'")
            args.append(like_pattern(indicator))
        sql = ("SELECT m.*, d.source, d.region, d.years, d.title, d.part FROM metrics m JOIN documents d USING (doc_id)"
               + _where(where))
        if passage_ids is not None:
            rows = self._in(sql + (" AND " if where else " WHERE ") + "m.passage_id IN ({ids})",
                            list(dict.fromkeys(passage_ids)), before=args)
        else:
            rows = self.db.execute(sql, args).fetchall()
        rows = sorted(rows, key=lambda r: (r["source"], r["part"], r["char_start"]))
        themes = self._themes(list(dict.fromkeys(r["passage_id"] for r in rows)))
        return [
            MetricRow(
                r["doc_id"], r["source"], r["title"], r["region"], tuple(json.loads(r["years"])), r["passage_id"],
                r["indicator"], r["value"], r["unit"], r["qualifier"], r["raw"], r["sentence"], bool(r["masked"]),
                bool(r["suspect"]), r["role"], r["direction"], r["char_start"], r["char_end"],
                tuple(themes.get(r["passage_id"], [])), r["low"], r["high"],
            )
            for r in rows
        ]

    # -- district profiles (index/districts.py) --------------------------------

    def unit_metrics(self, units: Sequence[str], doc_ids: Iterable[str] | None = None,
                     brief: bool = False) -> list[MetricRow]:
        """Written figures (not template blanks) in these units, of these reports (all when None), without themes.

        District profiles read every figure of an archive but only a few
        units of them, and never their themes: this skips the theme lookup
        and the other units, which `metrics()` would load for a whole archive,
        and reads plain tuples (a Row per figure costs more than the query).
        `brief` leaves source, title and sentence empty (a listing shows none).
        """
        units = list(dict.fromkeys(units))
        text = "'', '', d.region" if brief else "d.source, d.title, d.region"
        sentence = "''" if brief else "m.sentence"
        sql = (f"SELECT m.doc_id, {text}, d.years, m.passage_id, m.indicator, m.value, m.unit, "
               f"m.qualifier, m.raw, {sentence}, m.suspect, m.role, m.direction, m.char_start, m.char_end, m.low, m.high "
               "FROM metrics m JOIN documents d USING (doc_id) WHERE m.masked = 0 AND m.value IS NOT NULL "
               f"AND m.unit IN ({','.join('?' * len(units))})")
        cursor = self.db.cursor()
        cursor.row_factory = None
        if doc_ids is None:
            rows = cursor.execute(sql, units).fetchall()
        else:
            ids, rows = list(dict.fromkeys(doc_ids)), []
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                rows += cursor.execute(sql + f" AND m.doc_id IN ({','.join('?' * len(chunk))})", [*units, *chunk]).fetchall()
        years: dict[str, tuple[int, ...]] = {}
        return [
            MetricRow(doc, source, title, region, years.get(ys) or years.setdefault(ys, tuple(json.loads(ys))), pid,
                      indicator, value, unit, qualifier, raw, sentence, False, bool(suspect), role, direction, a, b,
                      (), low, high)
            for (doc, source, title, region, ys, pid, indicator, value, unit, qualifier, raw, sentence, suspect, role,
                 direction, a, b, low, high) in rows
        ]
