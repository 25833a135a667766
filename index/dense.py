"""Dense retrieval: sentence windows of each passage, embedded, in a faiss index.

The vector-id scheme lives here and nowhere else: window j of passage p has
id p * CHUNK_SLOTS + j, so a passage's windows are found and dropped by
integer division, and a passage scores as its best window.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from pathlib import Path

import numpy as np

from index.embed import Embedder
from index.query import Query
from index.records import PassageRow
from index.vectors import IVF_MIN, VectorIndex

CHUNK_CHARS = 120
CHUNK_SLOTS = 64  # vector id = passage id * CHUNK_SLOTS + chunk number
VECTORS_FILE = "vectors.faiss"
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?[”’）)]*")


def embed_text(heading: Sequence[str], text: str) -> str:
    """What the encoder sees: the nearest heading, then the text."""
    return f"{heading[-1]}\n{text}" if heading else text


def chunk_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentence windows of about CHUNK_CHARS that `vector_chunks` embeds."""
    out, start, end = [], 0, 0
    for m in _SENTENCE.finditer(text):
        if not m.group():
            continue
        if end > start and m.end() - start > CHUNK_CHARS:
            out.append((start, end))
            start = m.start()
        end = m.end()
    if end > start:
        out.append((start, end))
    out = out or [(0, len(text))]
    if len(out) > CHUNK_SLOTS:
        out = out[: CHUNK_SLOTS - 1] + [(out[CHUNK_SLOTS - 1][0], out[-1][1])]
    return out


def vector_chunks(heading: Sequence[str], text: str) -> list[str]:
    """Sentence windows of about CHUNK_CHARS, each behind the nearest heading.

    One vector for a 400-character passage averages several practices into
    one point; windows keep each findable, at the same embedding cost.

    >>> len(vector_chunks(["一、双减"], "甲" * 100 + "。" + "乙" * 100 + "。"))
    2
    """
    return [embed_text(heading, text[a:b]) for a, b in chunk_spans(text)]


class DenseRetriever:
    """Passages as window vectors in faiss; the encoder is loaded only when something must be embedded."""

    name = "faiss"

    def __init__(self, folder: str | Path, embedder: Callable[[], Embedder], dim: int | None = None,
                 kind: str | None = None, expected: int = 0):
        """`embedder` is a function returning the encoder (so that opening costs nothing)."""
        self.folder = Path(folder)
        self._embedder = embedder
        path = self.folder / VECTORS_FILE
        if dim is not None and kind is not None:
            self.index = VectorIndex.load(path, dim, kind)
        else:
            self.index = VectorIndex.for_size(self.embedder.dim, expected)

    @property
    def embedder(self) -> Embedder:
        return self._embedder()

    @property
    def dim(self) -> int:
        return self.index.dim

    @property
    def kind(self) -> str:
        return self.index.kind

    def ids(self) -> np.ndarray:
        """The passages that have at least one window indexed."""
        return np.unique(self.index.ids() // CHUNK_SLOTS)

    def add(self, passages: Sequence[PassageRow]) -> None:
        ids, texts = [], []
        for p in passages:
            for j, chunk in enumerate(vector_chunks(p.heading_path, p.text)):
                ids.append(p.id * CHUNK_SLOTS + j)
                texts.append(chunk)
        if ids:
            self.index.add(np.asarray(ids, dtype=np.int64), self.embedder.passages(texts), replace=False)

    def remove(self, ids: Iterable[int]) -> int:
        """Drop every window of these passages; the number of passages dropped."""
        chunk_ids = self.index.ids()
        gone = np.isin(chunk_ids // CHUNK_SLOTS, np.asarray(list(ids), dtype=np.int64))
        self.index.remove(chunk_ids[gone])
        return len(np.unique(chunk_ids[gone] // CHUNK_SLOTS))

    def search(self, query: Query, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(passage ids, scores) by their best-matching window, best first."""
        ids, scores, _ = self.search_windows(query, k, allowed)
        return ids, scores

    def search_windows(self, query: Query, k: int, allowed: np.ndarray | None = None
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(passage ids, scores, number of the best window), best first: the window is the snippet."""
        vector = query.vector.result() if isinstance(query.vector, Future) else query.vector
        if vector is None:
            return np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.int64)
        chunk_allowed = None
        if allowed is not None:
            ids = self.index.ids()
            chunk_allowed = ids[np.isin(ids // CHUNK_SLOTS, allowed)]
        chunk_ids, scores = self.index.search(vector, k * 4, chunk_allowed)
        passages = chunk_ids // CHUNK_SLOTS
        _, first = np.unique(passages, return_index=True)
        keep = np.sort(first)[:k]
        return passages[keep], scores[keep], chunk_ids[keep] % CHUNK_SLOTS

    def passage_vector(self, pid: int) -> np.ndarray | None:
        """The mean of a passage's window vectors, normalised."""
        ids = self.index.ids()
        mine = ids[ids // CHUNK_SLOTS == pid]
        vecs = [v for v in (self.index.vector(int(c)) for c in mine) if v is not None]
        if not vecs:
            return None
        mean = np.mean(vecs, axis=0)
        return mean / (np.linalg.norm(mean) or 1.0)

    def outgrown(self, n_passages: int) -> bool:
        """True when an exact (flat) index holds more passages than IVF_MIN: rebuild to switch to IVF."""
        return self.kind == "flat" and n_passages >= IVF_MIN

    def save(self) -> None:
        self.index.save(self.folder / VECTORS_FILE)
