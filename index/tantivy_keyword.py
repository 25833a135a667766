"""A second keyword retriever: tantivy (Rust, in process) over the same jieba words and character bigrams.

Passages are tokenised here exactly as for the segment retriever (jieba
search-mode words plus `~`-marked bigrams) and stored space-joined in a
field tantivy splits on whitespace only, so both retrievers see the same
terms. A weighted query is a boolean OR of boosted term queries; the
allowed ids of a filter are a zero-scoring MUST clause. tantivy scores with
BM25 (k1=1.2, b=0.75; the segments use k1=1.5).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from index.errors import REINDEX, IndexFileError, damaged
from index.query import Query, passage_tokens
from index.records import PassageRow

HEAP = 200_000_000  # bytes of indexing buffer for the writer
FORMAT = 1


def _tantivy():
    try:
        import tantivy
    except ImportError:
        raise IndexFileError("关键词检索器 tantivy 需要安装：pip install tantivy") from None
    return tantivy


class TantivyRetriever:
    """BM25 keyword search in a tantivy index folder, addressed by integer passage ids."""

    name = "tantivy"
    FOLDER = "tantivy"

    def __init__(self, folder: str | Path):
        tantivy = _tantivy()
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=False, indexed=True, fast=True)
        builder.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
        self.schema = builder.build()
        meta = self.folder / "edureports.json"
        try:
            found = json.loads(meta.read_text("utf-8")).get("format") if meta.exists() else FORMAT
            if found != FORMAT:
                raise IndexFileError(f"关键词索引 {self.folder} 的格式为 {found}，本版本读取格式 {FORMAT}；{REINDEX}")
            self.index = tantivy.Index(self.schema, path=str(self.folder))
            self._ids = self._load_ids()
        except (OSError, ValueError, AttributeError, TypeError) as exc:  # AttributeError/TypeError: a record that is not an object
            raise damaged("关键词索引", self.folder, type(exc).__name__) from None
        self._writer = None
        self._searcher = None
        self._df: dict[str, int] = {}  # document frequencies read from the current searcher
        self._n = 0  # its number of documents

    def _load_ids(self) -> np.ndarray:
        """The live ids: the side file when it agrees with the index, else read from the index."""
        path = self.folder / "ids.npy"
        self.index.reload()
        n = self.index.searcher().num_docs
        if path.exists():
            ids = np.load(path)
            if len(ids) == n:
                return ids
        if not n:
            return np.zeros(0, dtype=np.int64)
        searcher = self.index.searcher()
        hits = searcher.search(_tantivy().Query.all_query(), n).hits
        return np.sort(np.asarray(searcher.fast_field_values("id", [a for _, a in hits]), dtype=np.int64))

    @property
    def searcher(self):
        if self._searcher is None:
            self.index.reload()
            self._searcher = self.index.searcher()
            self._df, self._n = {}, self._searcher.num_docs
        return self._searcher

    def _doc_freq(self, term: str) -> int:
        """A term's document frequency, asked of tantivy once per searcher (a query asks it twice: search, idf)."""
        searcher = self.searcher
        df = self._df.get(term)
        if df is None:
            df = self._df[term] = searcher.doc_freq("body", term)
        return df

    @property
    def writer(self):
        if self._writer is None:
            self._writer = self.index.writer(heap_size=HEAP, num_threads=1)
        return self._writer

    def ids(self) -> np.ndarray:
        return self._ids

    def add(self, passages: Sequence[PassageRow]) -> None:
        tantivy = _tantivy()
        ids = np.asarray([p.id for p in passages], dtype=np.int64)
        self.remove(ids[np.isin(ids, self._ids)])
        for p in passages:
            self.writer.add_document(tantivy.Document(id=p.id, body=" ".join(passage_tokens(p.heading_path, p.text))))
        self._ids = np.union1d(self._ids, ids)

    def remove(self, ids: Iterable[int]) -> int:
        gone = np.intersect1d(np.asarray(list(ids), dtype=np.int64), self._ids)
        for pid in gone.tolist():
            self.writer.delete_documents_by_term("id", int(pid))
        self._ids = np.setdiff1d(self._ids, gone)
        return len(gone)

    def save(self) -> None:
        """Commit, then write the id list; the index folder is tantivy's own, crash-safe by commit."""
        if self._writer is not None:
            # The side id list goes first: a crash between the commit and the new
            # list must make the next open read the ids from the index itself.
            (self.folder / "ids.npy").unlink(missing_ok=True)
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
        self._searcher = None
        tmp = self.folder / "ids.tmp.npy"
        np.save(tmp, self._ids)
        tmp.replace(self.folder / "ids.npy")
        (self.folder / "edureports.json").write_text(json.dumps({"format": FORMAT}), "utf-8")

    def search(self, query: Query, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The k best (ids, scores), best first; `allowed` restricts the ids."""
        tantivy = _tantivy()
        empty = np.zeros(0, np.int64), np.zeros(0, np.float32)
        if allowed is not None and not len(allowed):
            return empty
        searcher = self.searcher
        clauses = [
            (tantivy.Occur.Should,
             tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, "body", term), float(weight)))
            for term, weight in query.terms.items() if weight > 0 and self._doc_freq(term)
        ]
        if not clauses or not self._n:
            return empty
        if allowed is not None:
            ids = tantivy.Query.term_set_query(self.schema, "id", [int(i) for i in allowed])
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(ids, 0.0)))
        hits = searcher.search(tantivy.Query.boolean_query(clauses), k).hits
        if not hits:
            return empty
        found = searcher.fast_field_values("id", [a for _, a in hits])
        return np.asarray(found, dtype=np.int64), np.asarray([s for s, _ in hits], dtype=np.float32)

    def idf(self, term: str) -> float | None:
        """Lucene's BM25 idf of a term, None when no passage has it."""
        df = self._doc_freq(term)
        if not df:
            return None
        n = max(1, self._n)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))
