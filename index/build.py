"""Ingest files into the store: skip unchanged files, replace changed ones.

Each file is processed completely before anything is written, then its
reports are swapped in one transaction; a bad file is reported and skipped
and never touches what is already stored.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.files import read_bytes, walk
from ingest.pipeline import process_bytes, process_text
from ingest.themes import tagger
from index.store import Store
from ingest.version import INGEST_VERSION


STATUS_LABELS = {"added": "新增", "updated": "更新", "unchanged": "未变", "duplicate": "重复", "skipped": "跳过"}


@dataclass
class FileResult:
    source: str
    status: str  # added | updated | unchanged | duplicate | skipped
    reports: int = 0
    passages: int = 0
    reason: str = ""


@dataclass
class Summary:
    results: list[FileResult] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.results if r.status in statuses)

    @property
    def reports(self) -> int:
        return sum(r.reports for r in self.results)

    @property
    def passages(self) -> int:
        return sum(r.passages for r in self.results)

    @property
    def skipped(self) -> list[FileResult]:
        return [r for r in self.results if r.status in ("skipped", "duplicate")]

    def line(self) -> str:
        return (
            f"{len(self.results)} 个文件：新增 {self.count('added')}，更新 {self.count('updated')}，"
            f"未变 {self.count('unchanged')}，跳过 {len(self.skipped)}；"
            f"写入 {self.reports} 篇报告、{self.passages} 个段落"
            + (f"；清除 {len(self.pruned)} 个" if self.pruned else "")
        )


@dataclass
class _Read:
    """One file read and hashed, with the verdict when no processing is needed."""

    path: Path
    source: str
    resolved: str = ""
    data: bytes = b""
    size: int = 0
    mtime: float = 0.0
    sha: str = ""
    known: bool = False
    result: FileResult | None = None


def _read(store: Store, path: Path, source: str) -> _Read:
    """Read and hash a file; the verdict is set when it cannot be read or is unchanged."""
    out = _Read(path, source)
    try:
        out.data = read_bytes(path, source)  # stat first: never opens a FIFO or device, stops at the size limit
        stat = path.stat()
        out.resolved = str(path.resolve())
    except IngestError as exc:
        out.result = FileResult(source, "skipped", reason=str(exc))
        return out
    except (OSError, RuntimeError) as exc:  # RuntimeError: Path.resolve() on a link loop before Python 3.13
        out.result = FileResult(source, "skipped", reason=f"{source}：无法读取（{getattr(exc, 'strerror', None) or exc}）")
        return out
    out.size, out.mtime, out.sha = stat.st_size, stat.st_mtime, hashlib.sha256(out.data).hexdigest()
    known = store.file(out.resolved)
    out.known = known is not None
    if known and known.sha256 == out.sha and known.ingest_version == INGEST_VERSION and known.status == "ok":
        out.result = FileResult(source, "unchanged")
    return out


def _duplicate(store: Store, read: _Read) -> FileResult | None:
    """Record a file whose bytes another stored file already has (its reports are stored once)."""
    other = store.same_content(read.sha, read.resolved)
    if not other:
        return None
    store.put_file(read.resolved, read.source, read.sha, read.size, read.mtime, INGEST_VERSION, [],
                   status="duplicate", detail=other)
    return FileResult(read.source, "duplicate", reason=f"{read.source}：与 {other} 内容相同，只保存一份")


def process(path: str, source: str, data: bytes) -> tuple:
    """Decode and process a file's bytes: ("ok", RawText, Documents) or ("skipped", reason, None).

    The part of an ingest that needs no store, run in worker processes by
    `ingest --jobs`; it returns a reason instead of raising, because any
    exception must reach the parent as something it can pickle and show.
    """
    try:
        raw, docs = process_bytes(path, source, data)
    except IngestError as exc:
        return "skipped", str(exc), None
    except Exception as exc:  # a defect must not stop a folder ingest; name it and go on
        return "skipped", f"{source}：处理失败（{type(exc).__name__}: {exc}）", None
    return "ok", raw, docs


def _finish(store: Store, read: _Read, processed: tuple) -> FileResult:
    kind, raw, docs = processed
    if kind != "ok":
        return FileResult(read.source, "skipped", reason=raw)
    return store_docs(store, read.resolved, read.source, read.sha, read.size, read.mtime, raw, docs,
                      "updated" if read.known else "added")


def ingest_file(store: Store, path: Path, source: str) -> FileResult:
    """Bring one file's reports up to date in the store."""
    read = _read(store, path, source)
    if read.result:
        return read.result
    return _duplicate(store, read) or _finish(store, read, process(str(path), source, read.data))


def store_raw(store: Store, resolved: str, source: str, sha: str, size: int, mtime: float, raw,
              status: str) -> FileResult:
    """Process a decoded file and store its reports, each report once across the archive."""
    try:
        docs = process_text(raw, Path(source).stem)
    except IngestError as exc:
        return FileResult(source, "skipped", reason=str(exc))
    except Exception as exc:  # a defect must not stop a folder ingest; name it and go on
        return FileResult(source, "skipped", reason=f"{source}：处理失败（{type(exc).__name__}: {exc}）")
    return store_docs(store, resolved, source, sha, size, mtime, raw, docs, status)


def store_docs(store: Store, resolved: str, source: str, sha: str, size: int, mtime: float, raw, docs,
               status: str) -> FileResult:
    """Store a processed file's reports in one transaction, leaving out those another file already holds."""
    kept, dropped, seen = [], [], {}
    for doc in docs:
        twin = store.report_with_text(doc.text_sha256, resolved)
        if twin is None and doc.text_sha256 in seen:  # the same report twice in one compilation
            twin = {"doc_id": seen[doc.text_sha256], "source": source}
        (dropped if twin else kept).append((doc, twin))
        seen.setdefault(doc.text_sha256, doc.doc_id)
    reason = "；".join(f"第 {d.part} 篇与 {t['source']} 中的报告 {t['doc_id']} 相同" for d, t in dropped)
    if not kept:
        store.put_file(resolved, source, sha, size, mtime, INGEST_VERSION, [], status="duplicate", detail=reason)
        return FileResult(source, "duplicate", reason=f"{source}：{reason}")
    store.put_file(resolved, source, sha, size, mtime, INGEST_VERSION, [d for d, _ in kept],
                   original=(raw.fmt.value, raw.encoding, raw.text), detail=reason)  # prune reads the twins here
    return FileResult(source, status, len(kept), sum(len(d.passages) for d, _ in kept),
                      reason=f"{source}：{reason}" if reason else "")


def _pool(jobs: int):
    """Worker processes for the CPU stages, started with the ingest code already warm.

    This process loads every stage's dictionaries once (`warm`) and, while
    it runs no other thread, forks the workers, which share them; otherwise
    (forking a process with threads can copy a held lock) the workers come
    from a clean forkserver or spawn and each warms itself.
    """
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from ingest.pipeline import warm

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        warm()
        return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["ingest.pipeline"])
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(INGEST_VERSION,))


def _start_worker(version: str) -> None:
    """A worker that imported the ingest code afresh must run the same code as its parent, or none at all."""
    from ingest.pipeline import warm
    from ingest.version import INGEST_VERSION as mine

    if mine != version:  # the code changed on disk since the parent loaded it: the parent does the work
        raise RuntimeError(f"ingest code {mine} differs from the parent's {version}")
    warm()


def _ingest_parallel(store: Store, files: list[tuple[Path, str]], jobs: int,
                     progress: Callable[[Iterable], Iterable] | None) -> list[FileResult]:
    """Process files in worker processes, `jobs` * 2 ahead of the one being stored; store them in order.

    Each file is read and hashed here (so the bytes stored are the bytes
    hashed) and judged again when its turn comes: a file whose bytes an
    earlier file of this run stored becomes a duplicate then, exactly as in
    a serial run, and its processed result is dropped.
    """
    from concurrent.futures.process import BrokenProcessPool

    results: list[FileResult] = []
    broken: list[bool] = []
    ahead: deque = deque()
    queue = iter(files)
    with _pool(jobs) as pool:

        def submit() -> None:
            for path, source in queue:
                read = _read(store, path, source)
                work = None
                if read.result is None and not store.same_content(read.sha, read.resolved) and not broken:
                    work = pool.submit(process, str(path), source, read.data)
                ahead.append((read, work))
                return

        for _ in range(jobs * 2):
            submit()
        for _ in (progress(files) if progress else files):
            read, work = ahead.popleft()
            submit()
            if read.result is not None:
                results.append(read.result)
                continue
            duplicate = _duplicate(store, read)
            if duplicate:
                if work is not None:
                    work.cancel()
                results.append(duplicate)
                continue
            try:
                processed = work.result() if work else None
            except BrokenProcessPool:  # a worker could not start or died: this process does the rest
                broken.append(True)
                processed = None
            if processed is None:
                processed = process(str(read.path), read.source, read.data)
            results.append(_finish(store, read, processed))
    return results


def prune(store: Store) -> tuple[list[str], list[FileResult]]:
    """Remove the reports of files that no longer exist; (sources removed, files judged again).

    A report is stored once, under the first file it was read from; other
    files holding it are recorded as duplicates of that one (or, in a
    compilation, with the part left out). When the file a report was stored
    under goes, each file that named it is judged again, so a report with a
    copy still on disk stays in the archive.
    """
    gone = [row for row in store.files() if not Path(row.path).exists()]
    for row in gone:
        store.remove_file(row.path)
    names = [row.source for row in gone]
    again = []
    for row in store.files() if gone else []:
        if not row.detail or not any(name in row.detail for name in names):
            continue
        if row.status == "duplicate":
            again.append(ingest_file(store, Path(row.path), row.source))
            continue
        original = next(iter(store.originals([row.path])), None)
        if original is not None:
            from ingest.types import Format, RawText

            raw = RawText(row.source, original.text, Format(original.format), row.sha256, original.encoding)
            again.append(store_raw(store, row.path, row.source, row.sha256, row.size, row.mtime, raw, "updated"))
    return names, again


def ingest_paths(
    store: Store,
    paths: Iterable[str],
    prune_missing: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
    jobs: int = 1,
) -> Summary:
    """Ingest files and folders (recursively); `progress` wraps the file list.

    With `jobs` > 1 the files are decoded and processed in that many worker
    processes while this one reads, judges and stores them in order: the
    result is the same as with one job, file by file.
    """
    entries = list(walk(paths))
    files = [(e.path, e.source) for e in entries if e.problem is None]
    summary = Summary([FileResult(e.source, "skipped", reason=e.reason) for e in entries if e.problem is not None])
    if not store.has_taxonomy():
        store.set_taxonomy(tagger().themes)
    if jobs > 1 and len(files) > 1:
        summary.results += _ingest_parallel(store, files, jobs, progress)
    else:
        for path, source in (progress(files) if progress else files):
            summary.results.append(ingest_file(store, path, source))
    if prune_missing:
        summary.pruned, kept = prune(store)
        place = {r.source: i for i, r in enumerate(summary.results)}
        for result in kept:  # the later verdict on a file judged earlier in this run stands
            if result.source in place:
                summary.results[place[result.source]] = result
            else:
                summary.results.append(result)
    return summary


def retag(store: Store, taxonomy: str | None = None, encoder=None, batch: int = 64) -> tuple[int, int]:
    """Re-apply a (possibly edited) taxonomy to every stored passage; (passages, tags).

    Nothing is re-ingested or re-embedded: only the theme tables change. With
    an `encoder` (a sentence-transformers embedder), passage-to-description
    similarity adds to the term evidence.
    """
    from ingest.themes import Tagger, load_taxonomy

    themer = Tagger(load_taxonomy(taxonomy), encoder)
    tags = []
    rows = store.passages()
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        results = themer.tag_many([(r.text, r.heading_path) for r in chunk])
        for row, found in zip(chunk, results):
            tags += [(row.passage_id, tag.theme, tag.score, list(tag.evidence)) for tag in found]
    store.set_taxonomy(themer.themes, tags)
    return len(rows), len(tags)


def reingest(store: Store, progress: Callable[[Iterable], Iterable] | None = None) -> Summary:
    """Process again, from the stored originals, every file an older ingest version wrote.

    The files themselves are not needed: the originals table keeps each
    file's decoded text with its format and encoding. A file stored only as
    a duplicate has no original of its own and is re-read from disk.
    """
    from ingest.types import Format, RawText

    summary = Summary()
    outdated = store.outdated(INGEST_VERSION)
    originals = {o.path: o for o in store.originals(f.path for f in outdated)}
    for row in (progress(outdated) if progress else outdated):
        original = originals.get(row.path)
        if original is None:
            path = Path(row.path)
            if path.exists():
                store.remove_file(row.path)  # forget the old verdict, then judge the file again
                summary.results.append(ingest_file(store, path, row.source))
            else:
                summary.results.append(FileResult(row.source, "skipped", reason=f"{row.source}：原文件已不存在"))
            continue
        raw = RawText(original.source, original.text, Format(original.format), original.sha256, original.encoding)
        summary.results.append(store_raw(store, row.path, row.source, row.sha256, row.size, row.mtime, raw, "updated"))
    return summary


@dataclass
class Recovery:
    """What `recover` did: where the damaged database went, what came back, what must be ingested again."""

    moved_to: Path | None
    summary: Summary
    lost: list[str] = field(default_factory=list)  # sources whose text could not be read from anywhere
    unreadable: int = 0  # database rows that could not be read back
    model: str | None = None  # the encoder the old index was built with (rebuild with it)


RECOVERED_FOLDER = "recovered"


def recover(data_dir: str | Path, progress: Callable[[Iterable], Iterable] | None = None) -> Recovery:
    """Rebuild a data dir's store from the originals its damaged database still yields; the caller holds the lock.

    The damaged file (with its WAL) is moved aside, never deleted. Each file
    record whose original can be read is ingested again from that original;
    a file whose original is lost, or that was stored as a duplicate, is read
    again from disk when it is still there. An original whose file record
    is lost is written to `recovered/` in the data dir (UTF-8 text) and
    ingested from there, so nothing readable is dropped. The indexes are
    keyed by the old database's passage numbers: they are removed, and the
    caller builds them again (with the encoder returned in `model`).
    """
    from ingest.types import Format, RawText
    from index.store import CONFIG_NAME, DB_NAME, INDEX_FOLDER, Salvage, salvage

    data = Path(data_dir)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    moved_to = None
    if (data / DB_NAME).exists():
        moved_to = data / f"{DB_NAME}.damaged-{stamp}"
        for suffix in ("", "-wal", "-shm"):
            if (data / (DB_NAME + suffix)).exists():
                (data / (DB_NAME + suffix)).rename(data / (moved_to.name + suffix))
    model = None
    try:
        config = json.loads((data / CONFIG_NAME).read_text("utf-8"))
        model = config["encoder"]["name"]
    except (OSError, ValueError, KeyError, TypeError):
        config = None
    shutil.rmtree(data / INDEX_FOLDER, ignore_errors=True)
    shutil.rmtree(data / (INDEX_FOLDER + ".new"), ignore_errors=True)
    if isinstance(config, dict):  # keep the archive's settings, drop the record of the removed indexes
        kept = {k: v for k, v in config.items() if k not in ("encoder", "keyword", "indexed_generation")}
        (data / CONFIG_NAME).write_text(json.dumps(kept, ensure_ascii=False, indent=2) + "\n", "utf-8")
    found = salvage(moved_to) if moved_to else Salvage((), {}, 0)
    store = Store(data)
    try:
        store.set_taxonomy(tagger().themes)
        summary, lost = Summary(), []
        recorded = {f.sha256 for f in found.files}
        first = [f for f in found.files if f.status == "ok" and f.sha256 in found.originals]
        rest = [f for f in found.files if f not in first]
        orphans = sorted(sha for sha in found.originals if sha not in recorded)
        work = [("file", f) for f in first + rest] + [("orphan", sha) for sha in orphans]
        for kind, item in (progress(work) if progress else work):
            if kind == "orphan":
                fmt, encoding, text = found.originals[item]
                folder = data / RECOVERED_FOLDER
                folder.mkdir(exist_ok=True)
                path = folder / f"{item[:12]}.txt"
                path.write_text(text, "utf-8")
                raw = RawText(str(path), text, Format(fmt), item, encoding)
                st = path.stat()
                summary.results.append(store_raw(store, str(path.resolve()), str(path), item, st.st_size,
                                                 st.st_mtime, raw, "added"))
            elif item.status == "ok" and item.sha256 in found.originals:
                fmt, encoding, text = found.originals[item.sha256]
                raw = RawText(item.source, text, Format(fmt), item.sha256, encoding)
                summary.results.append(store_raw(store, item.path, item.source, item.sha256, item.size,
                                                 item.mtime, raw, "added"))
            elif Path(item.path).is_file():
                summary.results.append(ingest_file(store, Path(item.path), item.source))
            else:
                lost.append(item.source)
    finally:
        store.close()
    return Recovery(moved_to, summary, lost, found.unreadable, model)
