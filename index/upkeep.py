"""Index upkeep: keep the retrievers in step with the catalog, or build them again.

`sync` indexes passages added to the catalog since the last run and drops
removed ones; `rebuild` builds new indexes beside the old ones (with the
encoder and keyword retriever passed in) and swaps them in only when done,
so a failed or interrupted rebuild leaves the working index in place.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from index.backends import KeywordRetriever, keyword_retriever
from index.dense import DenseRetriever
from index.errors import IndexFileError, damaged
from index.store import Store

KEYWORD_BATCH = 50_000
EMBED_BATCH = 32
CHECKPOINT = 16  # batches between saves: an interrupted run keeps what it embedded
RECORD_NAME = "record.json"  # inside the index folder: what built it, and each file's size and checksum



class Meter(Protocol):
    """What a progress bar must offer (tqdm does): count `n` more passages, then close."""

    def update(self, n: int) -> object: ...

    def close(self) -> None: ...


# Called with the number of passages to embed, before the first batch; counting
# passages rather than batches lets the bar show passages/s and a true ETA.
Progress = Callable[[int], Meter]


def record(store: Store, keyword: KeywordRetriever, dense: DenseRetriever, encoder: str,
           generation: int | None = None) -> None:
    """Write the config entry naming what built the indexes; with `generation`, that they match the store.

    A complete record (with `generation`) is also written into the index
    folder itself, with the size and checksum of every index file: `check`
    verifies the files against it, and a folder swapped in by a rebuild
    carries its own record, so a crash before config.json is updated cannot
    leave config naming the old encoder (`adopt` reads it back).
    """
    entry = _entry(keyword, dense, encoder)
    if generation is not None:
        write_record(dense.folder, entry, generation)
    store.update_config(**entry, indexed_generation=generation)


def _entry(keyword: KeywordRetriever, dense: DenseRetriever, encoder: str) -> dict:
    return {"encoder": {"name": encoder, "dim": dense.dim, "kind": dense.kind}, "keyword": keyword.name}


def _index_files(folder: Path) -> list[Path]:
    """The files of an index folder that carry data (no lock files, no half-written temporaries, no record)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and ".tmp" not in p.name and p.name != RECORD_NAME)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_record(folder: Path) -> dict | None:
    """The index folder's own record, or None when it is missing or unreadable."""
    try:
        found = json.loads((folder / RECORD_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def write_record(folder: Path, entry: dict, generation: int) -> None:
    """Record what built the folder's indexes and each file's size and checksum (written atomically).

    A file whose size and modification time are those of the last record
    keeps its checksum: tantivy's segment files never change once written,
    so only what a sync wrote is read again.
    """
    previous = (read_record(folder) or {}).get("files", {})
    files = {}
    for path in _index_files(folder):
        rel, st = path.relative_to(folder).as_posix(), path.stat()
        old = previous.get(rel) if isinstance(previous, dict) else None
        same = isinstance(old, dict) and old.get("size") == st.st_size and old.get("mtime_ns") == st.st_mtime_ns
        files[rel] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns,
                      "sha256": old["sha256"] if same else _sha256(path)}
    tmp = folder / (RECORD_NAME + ".tmp")
    tmp.write_text(json.dumps({**entry, "indexed_generation": generation, "files": files},
                              ensure_ascii=False, indent=1), "utf-8")
    tmp.replace(folder / RECORD_NAME)


def verify(folder: Path) -> list[str]:
    """Index files that are missing or differ from the folder's record (size, then checksum)."""
    found = read_record(folder)
    if found is None:
        return []
    problems = []
    for rel, want in sorted(found.get("files", {}).items()):
        path = folder / rel
        if not path.is_file():
            problems.append(f"{rel} 不存在")
        elif path.stat().st_size != want.get("size"):
            problems.append(f"{rel} 大小为 {path.stat().st_size} 字节，记录为 {want.get('size')} 字节")
        elif _sha256(path) != want.get("sha256"):
            problems.append(f"{rel} 的校验和与记录不符")
    return problems


def check_sizes(store: Store, folder: Path) -> None:
    """Refuse index files whose size is not the one recorded with the last complete sync (a cheap check on open).

    Only a complete record is compared (its generation is the one config.json
    names): during or after an interrupted sync the files are ahead of it.
    A file of the recorded size whose modification time changed since (written
    over in place, as a bad copy or a stray tool does) has its checksum
    compared here too, so a garbled file is refused instead of silently
    changing results; files untouched since the record are not read.
    `edureports check` compares every checksum.
    """
    found = read_record(folder)
    indexed = store.config().get("indexed_generation")
    if found is None or indexed is None or found.get("indexed_generation") != indexed:
        return
    for rel, want in found.get("files", {}).items():
        path = folder / rel
        if not path.is_file():
            raise damaged("索引文件", path, "文件不存在")
        if not isinstance(want, dict):
            continue
        st = path.stat()
        if st.st_size != want.get("size"):
            raise damaged("索引文件", path, f"大小为 {st.st_size} 字节，记录为 {want.get('size')} 字节")
        if st.st_mtime_ns != want.get("mtime_ns") and _sha256(path) != want.get("sha256"):
            raise damaged("索引文件", path, "内容与记录的校验和不符，文件在建立索引后被改写")


def adopt(store: Store, folder: Path) -> bool:
    """Bring config.json to the index folder's own record when they name different builders; True if changed.

    They differ only when a rebuild swapped its folder in and stopped before
    updating config.json (or config.json lost its entry): the folder is what
    search will read, so its record is the truth.
    """
    found = read_record(folder)
    if found is None or not isinstance(found.get("encoder"), dict) or not found.get("keyword"):
        return False
    config = store.config()
    if config.get("encoder") == found["encoder"] and config.get("keyword") == found["keyword"]:
        return False
    store.update_config(encoder=found["encoder"], keyword=found["keyword"],
                        indexed_generation=found.get("indexed_generation"))
    return True


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
    write_record(fresh, _entry(keyword, dense, embedder.name), generation)  # travels with the folder
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


def open_settled(open_indexes: Callable[[], object], forget: Callable[[], None],
                 attempts: int = 50, pause: float = 0.1) -> None:
    """Open the indexes while another process writes them, again if a save was caught half-written.

    A writer replaces the vector file and then its id list; a reader
    between the two sees them disagree (IndexFileError). The writer's next
    step completes the pair within milliseconds, so a short wait and a new
    read give the last consistent state. After `attempts` the error stands.
    """
    for attempt in range(attempts):
        try:
            open_indexes()
            return
        except IndexFileError:
            forget()
            if attempt == attempts - 1:
                raise
            time.sleep(pause)
