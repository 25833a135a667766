"""Index upkeep: keep the retrievers in step with the catalog, or build them again.

`sync` indexes passages added to the catalog since the last run and drops
removed ones; `rebuild` builds new indexes beside the old ones (with the
encoder and keyword retriever passed in) and swaps them in only when done,
so a failed or interrupted rebuild leaves the working index in place.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from index.backends import KeywordRetriever, keyword_retriever
from index.dense import DenseRetriever
from index.store import Store

KEYWORD_BATCH = 50_000
EMBED_BATCH = 32
CHECKPOINT = 16  # batches between saves: an interrupted run keeps what it embedded



class Meter(Protocol):
    """What a progress bar must offer (tqdm does): count `n` more passages, then close."""

    def update(self, n: int) -> object: ...

    def close(self) -> None: ...


# Called with the number of passages to embed, before the first batch; counting
# passages rather than batches lets the bar show passages/s and a true ETA.
Progress = Callable[[int], Meter]


def record(store: Store, keyword: KeywordRetriever, dense: DenseRetriever, encoder: str,
           generation: int | None = None) -> None:
    """Write the config entry naming what built the indexes; with `generation`, that they match the store."""
    store.update_config(encoder={"name": encoder, "dim": dense.dim, "kind": dense.kind}, keyword=keyword.name,
                        indexed_generation=generation)


def stale(store: Store, dense: DenseRetriever) -> tuple[int, int]:
    """(passages not indexed yet, indexed passages no longer stored)."""
    stored, indexed = store.passage_ids(), dense.ids()
    return int((~np.isin(stored, indexed)).sum()), int((~np.isin(indexed, stored)).sum())


def sync(store: Store, keyword: KeywordRetriever, dense: DenseRetriever,
         progress: Progress | None = None, checkpoint: Callable[[int | None], None] | None = None) -> tuple[int, int]:
    """Bring both retrievers to the store's passages; (passages embedded, passages dropped).

    `progress(total)` gets the number of passages to embed and is updated
    by each batch's size. `checkpoint(generation)` is called after each
    CHECKPOINT batches (None), on an interrupt (None, so the finished batches
    stay and the next sync embeds only the rest) and at the end (the store's
    generation when the sync began).
    """
    generation = store.generation()
    stored = store.passage_ids()
    kw_ids = keyword.ids()
    keyword.remove(kw_ids[~np.isin(kw_ids, stored)])
    new = stored[~np.isin(stored, keyword.ids())]
    for start in range(0, len(new), KEYWORD_BATCH):  # one segment a batch bounds memory
        keyword.add(store.passages(new[start : start + KEYWORD_BATCH]))
    keyword.save()
    indexed = dense.ids()
    removed = dense.remove(indexed[~np.isin(indexed, stored)])
    missing = stored[~np.isin(stored, dense.ids())]
    meter = progress(len(missing)) if progress and len(missing) else None
    try:
        for n, start in enumerate(range(0, len(missing), EMBED_BATCH), 1):
            batch = missing[start : start + EMBED_BATCH]
            dense.add(store.passages(batch))
            if meter:
                meter.update(len(batch))
            if n % CHECKPOINT == 0 and checkpoint:
                checkpoint(None)
    except KeyboardInterrupt:
        if checkpoint:  # keep every finished batch: a plain sync later embeds only the rest
            checkpoint(None)
        raise
    finally:
        if meter:
            meter.close()
    if checkpoint:
        checkpoint(generation)
    return len(missing), removed


def rebuild(store: Store, index_dir: Path, embedder, keyword_name: str,
            progress: Progress | None = None) -> tuple[KeywordRetriever, DenseRetriever, tuple[int, int]]:
    """Build both indexes afresh beside `index_dir`, then swap them in; the old ones stay until then."""
    fresh = index_dir.with_name(index_dir.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    keyword = keyword_retriever(keyword_name, fresh)
    dense = DenseRetriever(fresh, lambda: embedder, expected=store.counts()["passages"])
    generation = store.generation()
    counts = sync(store, keyword, dense, progress, checkpoint=lambda _: dense.save())
    old = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if index_dir.exists():
        index_dir.rename(old)
    fresh.rename(index_dir)
    shutil.rmtree(old, ignore_errors=True)
    keyword = keyword_retriever(keyword_name, index_dir)
    dense = DenseRetriever(index_dir, lambda: embedder, dense.dim, dense.kind)
    record(store, keyword, dense, embedder.name, generation)
    return keyword, dense, counts
