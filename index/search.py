"""The facade the command line and the app use: ingest, search, similar, compare over one data dir.

`Engine` opens the catalog and, on first use, the keyword and dense
retrievers the index folder records; `ingest` stores files and brings the
indexes in step; `search` parses the query, runs the retrievers (the query
vector is computed while the keyword side works), orders the candidates by
calibrated relevance, hides those below the floor unless asked, keeps at
most a few per report, then loads the hits from the catalog. Upkeep,
ranking, sentence windows, chunking and comparison live in their own
modules (upkeep, ranking, sentences, dense, compare).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from index import upkeep
from index.backends import KeywordRetriever, catalog, keyword_name, keyword_retriever
from index.dense import CHUNK_SLOTS, DenseRetriever, embed_text, vector_chunks  # noqa: F401 - public names
from index.embed import Embedder, canonical_name, make_embedder
from index.errors import EncoderMismatch, IndexFileError, SearchError  # noqa: F401 - public names
from index.filters import FilterError, Filters
from index.lock import IngestLock
from index.query import Query, parse, spans
from index.ranking import Fusion, Mode, Ranked, calibration, choice, rank, salient_terms
from index.records import Comparison, Grade, Hit
from index.store import Store


INDEX_DIR = "index"
MODES = tuple(m.value for m in Mode)
FUSIONS = tuple(f.value for f in Fusion)
PER_REPORT = 3  # hits of one report shown by default, so one long report does not fill the page


@lru_cache(maxsize=1)
def _simplify() -> Callable[[str], str]:
    try:  # traditional-script queries find simplified reports (ingest analyses simplified text)
        from ingest.script import to_simplified
    except ImportError:
        return lambda text: text
    return to_simplified


class Engine:
    """Search over one data dir. Heavy parts (encoder, indexes) load on first use.

    `embedder` may be passed in to share one loaded encoder between engines
    (the app's sessions each open their own engine and store connection).
    """

    def __init__(self, data_dir: str | Path, model: str | None = None, store: Store | None = None,
                 embedder: Embedder | None = None, keyword: str | None = None):
        self.store = store or catalog(data_dir)  # the catalog the settings name ($EDUREPORTS_CATALOG)
        self.dir = self.store.dir / INDEX_DIR
        # Writers (ingest, sync, rebuild) take turns on this lock; `lock.on_wait` may say so to the user.
        self.lock = IngestLock(self.store.dir)
        upkeep.adopt(self.store, self.dir)  # a rebuild that stopped after its swap left config.json behind
        config = self.store.config()
        built = config.get("encoder")
        if built and (not isinstance(built, dict) or not {"name", "dim"} <= built.keys()):
            raise IndexFileError("config.json 中的索引记录已损坏；请运行 edureports reindex 重建索引")
        if built and model and canonical_name(model) != built["name"]:
            raise EncoderMismatch(
                f"索引由 {built['name']} 建立，不是 {canonical_name(model)}；"
                f"请用 edureports reindex --model {model} 重建"
            )
        self.model = built["name"] if built else model
        built_keyword = config.get("keyword", "segments" if built else None)
        if built_keyword and keyword and keyword_name(keyword) != built_keyword:
            raise SearchError(f"索引的关键词检索器是 {built_keyword}，不是 {keyword_name(keyword)}；"
                              f"请用 edureports reindex --keyword {keyword} 重建")
        self.keyword_name = built_keyword or keyword_name(keyword)
        self._embedder = embedder
        self._keyword: KeywordRetriever | None = None
        self._dense: DenseRetriever | None = None
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._seen = config.get("indexed_generation")

    def close(self) -> None:
        self._pool.shutdown(wait=False)
        self.store.close()

    # -- components ----------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.model)
        return self._embedder

    @embedder.setter
    def embedder(self, value: Embedder) -> None:
        """Use an already loaded encoder (it must be the one the index was built with)."""
        if self.model and canonical_name(value.name) != self.model:
            raise EncoderMismatch(f"索引由 {self.model} 建立，不是 {value.name}")
        self._embedder = value

    @property
    def keyword(self) -> KeywordRetriever:
        if self._keyword is None:
            self._keyword = keyword_retriever(self.keyword_name, self.dir)
        return self._keyword

    @property
    def dense(self) -> DenseRetriever:
        if self._dense is None:
            built = self.store.config().get("encoder")
            if built:
                self._dense = DenseRetriever(self.dir, lambda: self.embedder, built["dim"], built.get("kind", "flat"))
            else:
                self._dense = DenseRetriever(self.dir, lambda: self.embedder, expected=self.store.counts()["passages"])
        return self._dense

    # -- keeping the indexes in step with the store --------------------------

    def _record(self, generation: int | None) -> None:
        self.dense.save()
        upkeep.record(self.store, self.keyword, self.dense, self._encoder_name(), generation)

    def _encoder_name(self) -> str:
        built = self.store.config().get("encoder")
        return self._embedder.name if self._embedder else (built["name"] if built else self.embedder.name)

    def stale(self) -> tuple[int, int]:
        """(passages not indexed yet, indexed passages no longer stored)."""
        return upkeep.stale(self.store, self.dense)

    def sync(self, progress: upkeep.Progress | None = None) -> tuple[int, int]:
        """Index passages added to the store and drop removed ones; (added, removed)."""
        with self.lock:
            if self.store.config().get("indexed_generation") != self._seen:
                # Another process wrote the indexes (or built the first one) since they were read: read them again.
                self._keyword = self._dense = None
            built = self.store.config().get("encoder")
            if not self.store.counts()["passages"] and not built:
                return 0, 0
            if built and isinstance(built, dict) and "name" in built:
                self.model = built["name"]
                self.keyword_name = self.store.config().get("keyword", self.keyword_name)
            counts = upkeep.sync(self.store, self.keyword, self.dense, progress, self._record)
            self._seen = self.store.config().get("indexed_generation")
            return counts

    def rebuild(self, model: str | None = None, keyword: str | None = None,
                progress: upkeep.Progress | None = None) -> tuple[int, int]:
        """Build both indexes again from the store, with `model` and `keyword` (default: as built)."""
        embedder = make_embedder(model or self.model)  # fails here, before any index file is touched
        with self.lock:
            self._keyword, self._dense, counts = upkeep.rebuild(
                self.store, self.dir, embedder, keyword_name(keyword) if keyword else self.keyword_name, progress)
            self._embedder, self.model, self.keyword_name = embedder, embedder.name, self._keyword.name
            self._seen = self.store.config().get("indexed_generation")
        return counts

    def outgrown(self) -> bool:
        """True when the store has outgrown an exact (flat) vector index: reindex to switch to IVF."""
        return bool(self.store.config().get("encoder")) and self.dense.outgrown(self.store.counts()["passages"])

    def ingest(self, paths: Iterable[str], prune: bool = False, index: bool = True,
               progress: upkeep.Progress | None = None, embed_progress: upkeep.Progress | None = None,
               jobs: int = 1):
        """Store files and folders, then bring the indexes in step (unless `index` is False).

        `jobs` worker processes decode and process the files (the store is written here, in order).
        """
        from index.build import ingest_paths

        with self.lock:  # a second ingest waits here, then finds this one's files unchanged
            summary = ingest_paths(self.store, paths, prune_missing=prune, progress=progress, jobs=jobs)
            if index:
                self.sync(embed_progress)
        return summary

    # -- queries -------------------------------------------------------------

    def _allowed(self, filters: Filters) -> np.ndarray | None:
        try:
            return self.store.allowed_ids(filters)
        except FilterError as exc:
            raise SearchError(str(exc)) from None

    def _check_fresh(self) -> None:
        indexed = self.store.config().get("indexed_generation")
        if indexed != self._seen:  # another process (or this one) synced: read the indexes again
            self._keyword = self._dense = None
            self._seen = indexed
        if self._keyword is None and self._dense is None and not self.lock.busy():
            try:  # a file cut short or grown since the last sync is refused
                upkeep.check_sizes(self.store, self.dir)
            except IndexFileError:
                try:  # a loader that fails names the damage in its own words first
                    self.keyword, self.dense  # noqa: B018
                except IndexFileError:
                    raise
                except (KeyboardInterrupt, SystemExit):
                    raise
                except BaseException:  # noqa: BLE001 - tantivy panics (a BaseException) on a garbled segment: the checksum line says it
                    pass
                raise
        if indexed is not None and indexed == self.store.generation():
            return  # the cheap check: nothing changed since the last sync
        if self.lock.busy():
            # Another process is ingesting: answer from the indexes as its last save left them
            # (passages it has not indexed yet are not found; removed ones are dropped by _hits).
            # A save caught half-written is read again once it is complete.
            upkeep.open_settled(lambda: (self.keyword, self.dense),
                                lambda: self.__dict__.update(_keyword=None, _dense=None))
            return
        added, removed = self.stale()
        if added or removed:
            raise SearchError(
                f"检索索引落后于数据库（{added} 个段落未建索引，{removed} 个已删除）；请运行 edureports reindex 更新"
            )

    def _hits(self, ranked: list[Ranked], query: Query | None, mode: Mode = Mode.HYBRID) -> list[Hit]:
        if not ranked:
            return []
        rows = {p.id: p for p in self.store.passages([r.id for r in ranked], themes=True)}
        docs = self.store.summaries(p.doc_id for p in rows.values())
        model = calibration()
        hits = []
        for r in ranked:
            p = rows.get(r.id)
            if p is None:
                continue
            d = docs[p.doc_id]
            hits.append(Hit(
                p.passage_id, p.doc_id, d.source, d.title, d.region, d.years, d.doc_type, d.doc_types,
                p.heading, p.text, round(r.score, 6), p.themes, p.char_start, p.char_end,
                tuple(spans(p.text, query)) if query else (), r.keyword_rank, r.dense_rank,
                round(r.relevance, 4), model.grade(mode, r.relevance) if query and query.text else Grade.LOW,
                r.sentence,
            ))
        return hits

    def search(self, text: str, top_k: int = 10, filters: Filters = Filters(), mode: Mode | str = "hybrid",
               per_report: int | None = PER_REPORT, include_low: bool = False,
               expand: bool = True, fusion: Fusion | str = "calibrated") -> list[Hit]:
        """The best passages for a query, best first, each with a calibrated relevance and grade.

        Hits graded 低 (below the relevance floor) are left out unless
        `include_low`; then they follow the others, so a caller can draw a
        line between them. At most `per_report` hits come from one report
        (None or 0: no cap).
        """
        if not text.strip():
            raise SearchError("检索词为空")
        if top_k < 1:
            raise SearchError(f"显示条数至少为 1，而不是 {top_k}")
        if per_report is not None and per_report < 0:
            raise SearchError(f"每篇报告的段落数不能为负数（{per_report}）；0 表示不限")
        mode, fusion = choice(Mode, mode), choice(Fusion, fusion)
        self._check_fresh()
        text = _simplify()(text)
        # The query vector is computed while the keyword side works (both release the GIL).
        pending = self._pool.submit(self.embedder.query, text) if mode is not Mode.KEYWORD else None
        query = replace(parse(text, expand=expand), vector=pending)
        ranked = rank(query, self.keyword, self.dense, top_k, self._allowed(filters), mode, fusion,
                      self.store.passages, encoder=self.model)
        model = calibration()
        floor = model.floor[mode.value]
        kept, seen = [], {}
        for r in ranked:
            if per_report and seen.get(r.doc_id, 0) >= per_report:
                continue
            seen[r.doc_id] = seen.get(r.doc_id, 0) + 1
            kept.append(r)
        above = [r for r in kept if r.relevance >= floor]
        below = [r for r in kept if r.relevance < floor] if include_low else []
        return self._hits((above + below)[:top_k], query, mode)

    def similar(self, passage_id: str, top_k: int = 10, filters: Filters = Filters()) -> list[Hit]:
        """Passages like this one, in other reports."""
        row = self.store.passage(passage_id)
        if row is None:
            raise SearchError(f"没有编号为 {passage_id!r} 的段落；段落编号见检索结果或报告正文")
        self._check_fresh()
        vector = self.dense.passage_vector(row.id)
        if vector is None:
            vector = self.embedder.passages([embed_text(row.heading_path, row.text)])[0]
        query = Query("", salient_terms(row.text, self.keyword.idf), (), vector)
        ranked = rank(query, self.keyword, self.dense, top_k, self._allowed(filters), Mode.HYBRID, Fusion.RRF)
        doc_of = {p.id: p.doc_id for p in self.store.passages([r.id for r in ranked])}
        return self._hits([r for r in ranked if doc_of.get(r.id) != row.doc_id][:top_k], query)

    def compare(self, text: str, per_report: int = 3, reports: int = 10, filters: Filters = Filters(),
                mode: Mode | str = "hybrid", doc_ids: Iterable[str] = (),
                regions: Iterable[str] = ()) -> list[Comparison]:
        """The best passages of each report for a practice or theme, report by report.

        `doc_ids` and `regions` (a region contains one of them) choose the
        reports to compare; by default every report that has it. Each chosen
        region is searched on its own, so a report with weaker passages is not
        crowded out by the others, and a chosen report with nothing on the
        subject is kept as a column without passages.
        """
        from index.compare import chosen, compare as compare_hits  # only 对比 needs them
        from index.filters import closest

        theme = text.strip() if text.strip() in self.store.theme_names() else ""
        if theme and not filters.theme:
            filters = replace(filters, theme=theme)
        doc_ids = tuple(dict.fromkeys(doc_ids))
        regions = [r.strip() for r in regions if r and r.strip()]
        wanted = self.store.summaries(doc_ids) if doc_ids else {}
        for doc_id in doc_ids:
            if doc_id not in wanted:
                raise SearchError(f"没有编号为 {doc_id!r} 的报告；用 edureports docs 查看编号")
        in_region: dict[str, list] = {}
        if regions:
            reports_ = self.store.documents()
            known = sorted({d.region for d in reports_ if d.region})
            for region in regions:
                in_region[region] = [d for d in reports_ if region in d.region]
                if not in_region[region]:
                    near = closest(region, known)
                    raise SearchError(f"没有地区包含“{region}”的报告" + (f"；相近的地区：{'、'.join(near)}" if near else ""))
        scopes = [filters]
        if doc_ids or regions:
            scopes = [replace(filters, region=r) for r in dict.fromkeys([*regions, *(d.region for d in wanted.values())])]
        hits: dict[str, Hit] = {}
        for scope in scopes:
            for hit in self.search(text, top_k=max(60, per_report * reports * 4), filters=scope, mode=mode,
                                   per_report=None, include_low=bool(theme)):
                hits.setdefault(hit.passage_id, hit)
        found = chosen(sorted(hits.values(), key=lambda h: -h.score), doc_ids, regions)
        issuers = {d: s.issuer for d, s in self.store.summaries({h.doc_id for h in found}).items()}
        columns = compare_hits(found, per_report, max(reports, len(doc_ids)), issuers)
        # A chosen report, or every report of a chosen region, with nothing on the subject: an empty column says so.
        empty = list(wanted.values())
        for region, docs in in_region.items():
            if not any(region in c.region for c in columns):
                empty += docs
        shown = {c.doc_id for c in columns}
        for d in empty:
            if d.doc_id not in shown:
                shown.add(d.doc_id)
                columns.append(Comparison(d.region, d.doc_id, d.title, d.years, d.source, 0.0, (), d.issuer))
        return columns
