"""Dense vectors in faiss, addressed by integer passage ids.

`flat` is exact inner product (vectors are normalised, so cosine). Past
`IVF_MIN` passages `reindex` builds `ivf` instead: an inverted file whose
lists hold the vectors in 16-bit floats, half the memory of 32-bit ones.
8-bit codes (a quarter) cost too much recall: on real e5 vectors
(bench/search_bench.py) 8-bit top-10 recall against exact search stopped at
0.955 at 100k passages however many lists were scanned (0.950 at one list
in 16), while 16-bit codes rank as exact vectors do (0.993 at one in 16). A query
scans NPROBE_SHARE of the lists (at least NPROBE_MIN). Both kinds support
adding and removing ids, so re-ingesting a file touches only its passages;
an index built with 8-bit codes keeps working as it is.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from index.errors import damaged

IVF_MIN = 50_000  # passages; exact search over their ~140k windows costs ~17 ms (bench)
NPROBE_MIN = 32
NPROBE_SHARE = 16  # top-10 recall vs exact at 100k passages: 0.993; one list in 64: 0.976 (bench)


def nprobe(nlist: int) -> int:
    """Lists scanned per query: one in NPROBE_SHARE, at least NPROBE_MIN.

    >>> nprobe(2127), nprobe(100)
    (132, 32)
    """
    return min(nlist, max(NPROBE_MIN, nlist // NPROBE_SHARE))


def _faiss():
    try:
        import faiss
    except ImportError:
        raise RuntimeError("dense search needs faiss: pip install faiss-cpu") from None
    return faiss


class VectorIndex:
    """A faiss index plus the list of ids it holds."""

    def __init__(self, dim: int, kind: str = "flat"):
        faiss = _faiss()
        self.dim, self.kind = dim, kind
        if kind == "flat":
            self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        elif kind == "ivf":
            self.index = None  # trained on first add
        else:
            raise ValueError(f"unknown vector index kind {kind!r}; known: flat, ivf")
        self._ids = np.zeros(0, dtype=np.int64)
        self._pending: list[np.ndarray] = []  # ids added since the last ids() call
        self._mapped: Path | None = None  # the file an IVF index is memory-mapped from (read-only), if so

    @classmethod
    def for_size(cls, dim: int, n: int) -> "VectorIndex":
        return cls(dim, "ivf" if n >= IVF_MIN else "flat")

    def __len__(self) -> int:
        return len(self.ids())

    def ids(self) -> np.ndarray:
        if self._pending:
            self._ids = np.concatenate([self._ids, *self._pending])
            self._pending = []
        return self._ids

    def _train(self, vecs: np.ndarray) -> None:
        faiss = _faiss()
        nlist = max(8, min(int(4 * math.sqrt(len(vecs))), len(vecs) // 39))  # faiss wants 39 points a list
        quantizer = faiss.IndexFlatIP(self.dim)
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, self.dim, nlist, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
        )
        sample = vecs if len(vecs) <= 100_000 else vecs[np.random.default_rng(0).choice(len(vecs), 100_000, replace=False)]
        index.train(sample)
        index.nprobe = nprobe(nlist)
        index.set_direct_map_type(faiss.DirectMap.Hashtable)
        self.index = index

    def add(self, ids: np.ndarray, vecs: np.ndarray, replace: bool = True) -> None:
        """Add vectors; with `replace`, ids already present are replaced first."""
        ids = np.asarray(ids, dtype=np.int64)
        vecs = np.ascontiguousarray(vecs, dtype=np.float32)
        if not len(ids):
            return
        self._writable()
        if replace:
            self.remove(ids[np.isin(ids, self.ids())])
        if self.index is None:
            self._train(vecs)
        self.index.add_with_ids(vecs, ids)
        self._pending.append(ids)

    def remove(self, ids: np.ndarray) -> None:
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids) or self.index is None:
            return
        self._writable()
        faiss = _faiss()
        if self.kind == "ivf":  # the hashtable direct map removes by array only
            ids = np.ascontiguousarray(ids)
            self.index.remove_ids(faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids)))
        else:
            self.index.remove_ids(faiss.IDSelectorBatch(ids))
        self._ids = self.ids()[~np.isin(self.ids(), ids)]

    def vector(self, vid: int) -> np.ndarray | None:
        if self.index is None or not np.isin(vid, self.ids()):
            return None
        return self.index.reconstruct(int(vid))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest (ids, scores); `allowed` restricts the ids."""
        if self.index is None or not len(self.ids()):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        faiss = _faiss()
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        k = min(k, len(self.ids()))
        params = None
        if allowed is not None:
            if not len(allowed):
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            sel = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            params = (faiss.SearchParametersIVF(sel=sel, nprobe=self.index.nprobe) if self.kind == "ivf"
                      else faiss.SearchParameters(sel=sel))
        scores, ids = self.index.search(q, k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def _writable(self) -> None:
        """A memory-mapped index is read into memory before it changes (or is written: faiss would
        write a mapped one as a reference to its file, not as its vectors)."""
        if self._mapped is not None:
            faiss = _faiss()
            index = faiss.read_index(str(self._mapped))
            index.nprobe = self.index.nprobe
            self.index, self._mapped = index, None

    def save(self, path: Path) -> None:
        faiss = _faiss()
        self._writable()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        if self.index is not None:
            faiss.write_index(self.index, str(tmp))
            tmp.replace(path)
        elif path.exists():
            path.unlink()
        np.save(path.with_suffix(".ids.npy"), self.ids())

    @classmethod
    def load(cls, path: Path, dim: int, kind: str, mapped: bool = True) -> "VectorIndex":
        """Open a saved index; a missing, damaged or mismatched file is one IndexFileError naming the fix.

        An IVF index is memory-mapped (`mapped`): a query reads only the lists
        it scans, so a cold search does not copy the whole file (3 GB at 1M
        passages) into memory first; it is read in full when it is to change.
        """
        out = cls(dim, kind)
        ids_path = path.with_suffix(".ids.npy")
        if not path.exists() and not ids_path.exists():
            return out  # nothing embedded yet
        try:
            out._ids = np.load(ids_path)
            if path.exists():
                faiss = _faiss()
                mapped = mapped and kind == "ivf"
                out.index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mapped else 0)
                out._mapped = path if mapped else None
                if kind == "ivf":
                    out.index.nprobe = nprobe(out.index.nlist)
        except Exception as exc:  # noqa: BLE001 - np.load parses a garbled header with ast and tokenize: anything
            raise damaged("向量索引", path, type(exc).__name__) from None
        held = 0 if out.index is None else out.index.ntotal
        if held != len(out._ids) or (out.index is not None and out.index.d != dim):
            raise damaged("向量索引", path, f"记录 {len(out._ids)} 个向量，文件中有 {held} 个")
        return out
