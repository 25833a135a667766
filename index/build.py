"""Ingest files into the store: skip unchanged files, replace changed ones.

Each file is processed completely before anything is written, then its
reports are swapped in one transaction; a bad file is reported and skipped
and never touches what is already stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.files import read_bytes, walk
from ingest.load import load
from ingest.pipeline import process_text
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


def ingest_file(store: Store, path: Path, source: str) -> FileResult:
    """Bring one file's reports up to date in the store."""
    try:
        data = read_bytes(path, source)  # stat first: never opens a FIFO or device, stops at the size limit
        stat = path.stat()
        resolved = str(path.resolve())
    except IngestError as exc:
        return FileResult(source, "skipped", reason=str(exc))
    except (OSError, RuntimeError) as exc:  # RuntimeError: Path.resolve() on a link loop before Python 3.13
        return FileResult(source, "skipped", reason=f"{source}：无法读取（{getattr(exc, 'strerror', None) or exc}）")
    sha = hashlib.sha256(data).hexdigest()
    known = store.file(resolved)
    if known and known.sha256 == sha and known.ingest_version == INGEST_VERSION and known.status == "ok":
        return FileResult(source, "unchanged")
    if other := store.same_content(sha, resolved):
        store.put_file(resolved, source, sha, stat.st_size, stat.st_mtime, INGEST_VERSION, [],
                       status="duplicate", detail=other)
        return FileResult(source, "duplicate", reason=f"{source}：与 {other} 内容相同，只保存一份")
    try:
        raw = load(path, source, data=data)
    except IngestError as exc:
        return FileResult(source, "skipped", reason=str(exc))
    except Exception as exc:  # a defect must not stop a folder ingest; name it and go on
        return FileResult(source, "skipped", reason=f"{source}：处理失败（{type(exc).__name__}: {exc}）")
    return store_raw(store, resolved, source, sha, stat.st_size, stat.st_mtime, raw, "updated" if known else "added")


def store_raw(store: Store, resolved: str, source: str, sha: str, size: int, mtime: float, raw,
              status: str) -> FileResult:
    """Process a decoded file and store its reports, each report once across the archive."""
    try:
        docs = process_text(raw, Path(source).stem)
    except IngestError as exc:
        return FileResult(source, "skipped", reason=str(exc))
    except Exception as exc:  # a defect must not stop a folder ingest; name it and go on
        return FileResult(source, "skipped", reason=f"{source}：处理失败（{type(exc).__name__}: {exc}）")
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
                   original=(raw.fmt.value, raw.encoding, raw.text))
    return FileResult(source, status, len(kept), sum(len(d.passages) for d, _ in kept),
                      reason=f"{source}：{reason}" if reason else "")


def prune(store: Store) -> list[str]:
    """Remove the reports of files that no longer exist."""
    gone = [row for row in store.files() if not Path(row.path).exists()]
    for row in gone:
        store.remove_file(row.path)
    return [row.source for row in gone]


def ingest_paths(
    store: Store,
    paths: Iterable[str],
    prune_missing: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> Summary:
    """Ingest files and folders (recursively); `progress` wraps the file list."""
    entries = list(walk(paths))
    files = [(e.path, e.source) for e in entries if e.problem is None]
    summary = Summary([FileResult(e.source, "skipped", reason=e.reason) for e in entries if e.problem is not None])
    if not store.has_taxonomy():
        store.set_taxonomy(tagger().themes)
    for path, source in (progress(files) if progress else files):
        summary.results.append(ingest_file(store, path, source))
    if prune_missing:
        summary.pruned = prune(store)
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
