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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.filters import Filters, check_doc_type, check_theme, like_pattern
from ingest.types import Document

FORMAT_VERSION = 3
DB_NAME = "edureports.sqlite"
CONFIG_NAME = "config.json"

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


class Store:
    """Reports and passages in SQLite; one instance per process and data dir."""

    def __init__(self, data_dir: str | Path):
        self.dir = Path(data_dir)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data dir {self.dir}: {exc.strerror or exc}") from None
        self._check_config()
        # The app answers reruns from several threads; SQLite serialises access itself.
        self.db = sqlite3.connect(self.dir / DB_NAME, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(_SCHEMA)

    def _check_config(self) -> None:
        path = self.dir / CONFIG_NAME
        if path.exists():
            try:
                config = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise StoreError(f"{path} is not valid JSON ({exc}); move it away and ingest again") from None
            found = config.get("format_version")
            if found != FORMAT_VERSION:
                raise StoreError(
                    f"the data dir {self.dir} has store format {found}, this version reads {FORMAT_VERSION}; "
                    "ingest into a new --data dir"
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

    # -- files ---------------------------------------------------------------

    def file(self, path: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM files WHERE path = ?", (path,)).fetchone()

    def same_content(self, sha256: str, path: str) -> str | None:
        """The source of another ingested file with these bytes, if any."""
        row = self.db.execute(
            "SELECT source FROM files WHERE sha256 = ? AND path != ? AND status = 'ok'", (sha256, path)
        ).fetchone()
        return row["source"] if row else None

    def report_with_text(self, text_sha256: str, path: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT doc_id, source FROM documents WHERE text_sha256 = ? AND file_path != ?", (text_sha256, path)
        ).fetchone()

    def files(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM files ORDER BY source").fetchall()

    def put_file(
        self,
        path: str,
        source: str,
        sha256: str,
        size: int,
        mtime: float,
        version: int,
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
                (path, source, sha256, size, mtime, version, status, detail, now),
            )
            if original:
                db.execute("INSERT OR IGNORE INTO originals VALUES (?,?,?,?)", (sha256, *original))
            for d in docs:
                db.execute(
                    "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        d.doc_id, path, source, d.file_sha256, d.part, d.title, d.doc_type,
                        _json(list(d.doc_types)), _json(list(d.years)), d.region.display,
                        d.region.province, d.region.city, d.region.county, d.region.adcode,
                        d.level.value, d.issuer, d.text, d.raw_text, d.text_sha256, len(d.passages),
                    ),
                )
                db.executemany(
                    "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?)",
                    [(d.doc_id, s.ord, s.level, s.marker, s.title, s.char_start, s.char_end, s.parent)
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
                    "char_start, char_end, masked, suspect, role, direction) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [(d.doc_id, m.passage_id, m.value, m.unit, m.qualifier, m.indicator, m.raw, m.sentence,
                      m.char_start, m.char_end, int(m.masked), int(m.suspect), m.role, m.direction)
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

    def set_taxonomy(self, themes, tags: list[tuple[str, str, float, list[str]]] | None = None) -> None:
        """Record the taxonomy; with `tags` (passage_id, theme, score, evidence), replace every tag."""
        with self.transaction() as db:
            db.execute("DELETE FROM themes")
            db.executemany("INSERT INTO themes VALUES (?,?,?)", [(t.name, t.parent, t.description) for t in themes])
            if tags is not None:
                db.execute("DELETE FROM passage_themes")
                db.executemany("INSERT INTO passage_themes VALUES (?,?,?,?)",
                               [(pid, theme, score, _json(ev)) for pid, theme, score, ev in tags])

    def check_filters(self, filters: Filters) -> None:
        """Refuse a theme or report kind the archive does not know (FilterError naming the closest)."""
        if filters.theme:
            check_theme(filters.theme, self.theme_names())
        if filters.doc_type:
            check_doc_type(filters.doc_type, self.doc_types())

    def theme_names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM themes ORDER BY rowid")]

    def doc_types(self) -> list[str]:
        """Every report kind: the closed list of ingest, then any other a stored report carries."""
        try:
            from ingest.types import DocType

            known = [t.value for t in DocType]
        except ImportError:  # an ingest without the list: the stored kinds alone
            known = []
        stored = [r[0] for r in self.db.execute("SELECT DISTINCT j.value FROM documents, json_each(doc_types) j")]
        return list(dict.fromkeys(known + sorted(stored)))

    def metrics(self, doc_id: str = "", indicator: str = "", filters: Filters = Filters(),
                passage_id: str = "") -> list[dict]:
        """Figure rows with their report's source, region, years and the passage's themes."""
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
        rows = self.db.execute(
            "SELECT m.*, d.source, d.region, d.years, d.title FROM metrics m JOIN documents d USING (doc_id)"
            + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY d.source, d.part, m.char_start",
            args,
        ).fetchall()
        themes = self._themes(list(dict.fromkeys(r["passage_id"] for r in rows)))
        return [
            {
                "doc_id": r["doc_id"], "source": r["source"], "title": r["title"], "region": r["region"],
                "years": json.loads(r["years"]), "passage_id": r["passage_id"], "indicator": r["indicator"],
                "value": r["value"], "unit": r["unit"], "qualifier": r["qualifier"], "raw": r["raw"],
                "sentence": r["sentence"], "masked": bool(r["masked"]), "suspect": bool(r["suspect"]),
                "role": r["role"], "direction": r["direction"], "char_start": r["char_start"],
                "char_end": r["char_end"], "themes": themes.get(r["passage_id"], []),
            }
            for r in rows
        ]

    def theme_counts(self) -> list[dict]:
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
        return [{"theme": r["name"], "parent": r["parent"], "description": r["description"],
                 "n_passages": r["n_passages"], "n_docs": r["n_docs"]} for r in rows]

    @staticmethod
    def _bump(db: sqlite3.Connection) -> None:
        db.execute("UPDATE state SET value = value + 1 WHERE key = 'generation'")

    def generation(self) -> int:
        """A counter that changes whenever passages are added or removed."""
        return self.db.execute("SELECT value FROM state WHERE key = 'generation'").fetchone()[0]

    @staticmethod
    def _drop_orphan_originals(db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM originals WHERE sha256 NOT IN (SELECT sha256 FROM files)")

    # -- reading -------------------------------------------------------------

    def _themes(self, passage_ids: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {pid: [] for pid in passage_ids}
        for chunk in range(0, len(passage_ids), 500):
            ids = passage_ids[chunk : chunk + 500]
            rows = self.db.execute(
                f"SELECT passage_id, theme FROM passage_themes WHERE passage_id IN ({','.join('?' * len(ids))}) "
                "ORDER BY score DESC",
                ids,
            )
            for row in rows:
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

    @staticmethod
    def _doc_fields(row: sqlite3.Row) -> dict:
        return {
            "doc_id": row["doc_id"],
            "source": row["source"],
            "title": row["title"],
            "doc_type": row["doc_type"],
            "doc_types": json.loads(row["doc_types"]),
            "region": row["region"],
            "province": row["province"],
            "city": row["city"],
            "county": row["county"],
            "adcode": row["adcode"],
            "level": row["level"],
            "issuer": row["issuer"],
            "years": json.loads(row["years"]),
            "n_passages": row["n_passages"],
        }

    def documents(self) -> list[dict]:
        """Every report, ordered by source file and part."""
        themes = self._doc_themes()
        rows = self.db.execute(
            "SELECT doc_id, source, title, doc_type, doc_types, region, province, city, county, adcode, level, "
            "issuer, years, n_passages FROM documents ORDER BY source, part"
        ).fetchall()
        return [{**self._doc_fields(r), "themes": themes.get(r["doc_id"], [])} for r in rows]

    def resolve_doc_id(self, doc_id: str) -> str | None:
        """The full id of a report from its id or a unique prefix of it."""
        row = self.db.execute("SELECT doc_id FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row:
            return row["doc_id"]
        rows = self.db.execute(
            "SELECT doc_id FROM documents WHERE doc_id LIKE ? ESCAPE '\\' LIMIT 2",
            (doc_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",),
        ).fetchall()
        return rows[0]["doc_id"] if len(rows) == 1 else None

    def document(self, doc_id: str, with_text: bool = True) -> dict | None:
        """One report with its outline and passages (and texts when asked)."""
        row = self.db.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        doc = self._doc_fields(row)
        sections = self.db.execute(
            "SELECT ord, level, marker, title, char_start, char_end, parent FROM sections WHERE doc_id = ? ORDER BY ord",
            (doc_id,),
        ).fetchall()
        passages = self.db.execute(
            "SELECT passage_id, ord, section, heading, char_start, char_end, text FROM passages "
            "WHERE doc_id = ? ORDER BY ord",
            (doc_id,),
        ).fetchall()
        themes = self._themes([p["passage_id"] for p in passages])
        doc["themes"] = self._doc_themes(doc_id).get(doc_id, [])
        doc["outline"] = [dict(s) for s in sections]
        doc["passages"] = [
            {
                "passage_id": p["passage_id"],
                "ord": p["ord"],
                "heading": " > ".join(json.loads(p["heading"])),
                "heading_path": json.loads(p["heading"]),
                "text": p["text"],
                "char_start": p["char_start"],
                "char_end": p["char_end"],
                "themes": themes[p["passage_id"]],
            }
            for p in passages
        ]
        doc["metrics"] = [
            {k: m[k] for k in ("passage_id", "indicator", "value", "unit", "qualifier", "raw", "masked", "suspect", "role")}
            for m in self.metrics(doc_id=doc_id)
        ]
        if with_text:
            doc["text"] = row["text"]
            doc["raw_text"] = row["raw_text"]
        return doc

    def original(self, sha256: str) -> str | None:
        row = self.db.execute("SELECT text FROM originals WHERE sha256 = ?", (sha256,)).fetchone()
        return row["text"] if row else None

    def counts(self) -> dict[str, int]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "files": one("SELECT COUNT(*) FROM files WHERE status = 'ok'"),
            "documents": one("SELECT COUNT(*) FROM documents"),
            "passages": one("SELECT COUNT(*) FROM passages"),
        }
