"""The ingest facade: one file in, its reports out as `Document`s."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from ingest.clean import clean, split_raw
from ingest.errors import NoReport
from ingest.files import iter_files  # noqa: F401 - re-exported: the walk lives in ingest/files.py
from ingest.load import SUFFIXES, load
from ingest.meta import choose_title, extract
from ingest.metrics import Figure, figures
from ingest.normalize import printable
from ingest.script import analysable, to_simplified
from ingest.segment import segment
from ingest.split import split_reports
from ingest.themes import ThemeTag, tagger
from ingest.types import Document, Metric, RawText, Script
from ingest.words import tagging
from ingest.version import INGEST_VERSION  # noqa: F401 - part of the ingest API

SUPPORTED_SUFFIXES = tuple(sorted(SUFFIXES))
T = TypeVar("T")


def _content_hash(text: str, passages) -> str:
    """Hash of what a report says, not of its title line or chrome.

    Two copies of one report from different sites, or twice in one
    compilation under different ordinals, hash the same.
    """
    body = "\n".join(p.text for p in passages) or text
    return hashlib.sha256("".join(body.split()).encode("utf-8")).hexdigest()


def process_file(path: str | Path, source: str | None = None, jobs: int | None = None) -> list[Document]:
    """Load, clean, split, describe and segment one file.

    >>> [d.region.display for d in process_file("corpus/000_d7ed74de268168c1.txt")]
    ['山东省济南市市中区']
    """
    path = Path(path)
    return process_text(load(path, source or str(path)), path.stem, jobs)


def process_bytes(path: str | Path, source: str, data: bytes, jobs: int | None = None
                  ) -> tuple[RawText, list[Document]]:
    """Decode and process bytes already read from `path`: the CPU-bound work a worker process runs.

    The caller reads the file (and hashes those same bytes), so what is
    stored always matches the hash it is stored under.
    """
    raw = load(Path(path), source, data=data)
    return raw, process_text(raw, Path(source).stem, jobs)


_WARM_SAMPLE = (  # our own words: one short report touching every stage (region, years, headings, figures, themes)
    "山东省某县教育局2022年工作总结\n"
    "一、落实“双减”政策\n"
    "全县课后服务覆盖率达100%，校外培训机构由120家压减到35家，家长满意度达到96.5%。\n"
    "二、推进集团化办学\n"
    "组建教育集团12个，新增优质学位3000个，城乡学校结对帮扶实现全覆盖。\n"
)


def warm() -> None:
    """Process a small sample once, so the dictionaries and tables every stage loads on first use are in memory.

    Worker processes forked afterwards share them; a worker started
    otherwise calls this first, so its first real file is not the slow one.
    """
    try:
        process_bytes("sample.txt", "sample.txt", _WARM_SAMPLE.encode("utf-8"))
    except Exception:  # noqa: BLE001 - warming is an optimisation; the real files report their own errors
        pass


def _tag_passages(items: list[tuple[str, tuple[str, ...]]]) -> list[tuple[tuple[ThemeTag, ...], list[Figure]]]:
    """Themes and figures of (text, headings) passages, each passage cut once for both.

    The tagging is shared by the two stages and then dropped (the words
    cache is bounded, so a book-length report would otherwise be cut twice).
    """
    themer = tagger()
    out = []
    for text, heading in items:
        tg = tagging(text)
        out.append((tuple(themer.tag(text, heading, words=tg)), figures(text, words=tg)))
    return out


# Passages of one report from which its themes and figures are worked out in worker processes: about
# 1 MB of text, several seconds of one core, against the ~0.1 s it costs to fork the workers. A folder
# of ordinary reports is shared out file by file (ingest --jobs); this is for the one huge file.
PARALLEL_PASSAGES = 2000
CHUNK = 250  # passages a worker takes at a time: small enough to keep the cores even at the end


def _jobs(jobs: int | None) -> int:
    """Worker processes for one report: `jobs`, else the core count in a main process (a worker is alone)."""
    import multiprocessing

    from edureports.settings import cores  # settings imports nothing of ingest or index

    if jobs is not None:
        return max(1, jobs)
    return cores() if multiprocessing.parent_process() is None else 1


def _tag_all(items: list[tuple[str, tuple[str, ...]]], jobs: int | None, meanwhile: Callable[[], T]
             ) -> tuple[list, T]:
    """`_tag_passages` of every passage, and what `meanwhile()` returns, run while workers tag a huge report.

    Workers forked from this process start with its dictionaries and tables;
    fork is used only while this process runs no other thread (a lock another
    thread held would stay held in the child). Otherwise (a progress bar's
    monitor thread, say) they come from a clean forkserver and warm
    themselves first. The order is kept, so the result is what one process gives.
    """
    n = _jobs(jobs)
    if n < 2 or len(items) < PARALLEL_PASSAGES:
        return _tag_passages(items), meanwhile()
    from concurrent.futures.process import BrokenProcessPool

    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    try:
        with _workers(n) as pool:
            pending = pool.map(_tag_passages, chunks)  # submitted now, collected below
            other = meanwhile()
            return [r for part in pending for r in part], other
    except BrokenProcessPool:  # a worker could not start or died: this process does the work
        return _tag_passages(items), meanwhile()


def _workers(n: int):
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from ingest.words import prepare_bulk

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        prepare_bulk()  # before the fork, so that every worker shares the bulk cutter instead of building its own
        return ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"))
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(n, mp_context=context, initializer=_start_worker)


def _start_worker() -> None:
    warm()
    from ingest.words import prepare_bulk

    prepare_bulk()


def process_text(raw: RawText, stem: str = "", jobs: int | None = None) -> list[Document]:
    """Clean, split, describe and segment the text a loader read.

    Traditional text is analysed in simplified characters; each Document's
    `raw_text` keeps the original script and `script` names it. The themes
    and figures of a huge report are worked out in `jobs` worker processes
    (default: the core count, or none inside a worker process).
    """
    source = raw.source
    original = raw.text
    analysed, script = analysable(original)
    stem = printable(stem)
    hint = printable(raw.title_hint)
    if script is Script.TRADITIONAL:
        stem, hint = to_simplified(stem), to_simplified(hint)
    raw = replace(raw, text=analysed, title_hint=hint)
    cleaned = clean(raw.text)
    if not cleaned.lines:
        raise NoReport(f"{source}：没有找到报告正文（只有网站的导航、版权、下载提示等页面内容或零散短行）；请确认文件是报告全文而不是预览页")
    raw_lines = split_raw(original)
    parts = split_reports(cleaned.lines)
    cut = []
    for k, part in enumerate(parts, 1):
        text = "\n".join(line.text for line in part.lines)
        # The report's own title line, or "" (meta.extract then derives one); never the file name.
        head = [part.own_title, *(ln.text for ln in part.lines[:4])]
        title = choose_title(part.title, head, [*cleaned.title_hints, raw.title_hint])
        doc_id = raw.sha256[:12] + (f"-{k}" if len(parts) > 1 else "")
        cut.append((text, title, doc_id, *segment(text, doc_id, title)))
    # Every report's passages at once (a compilation of many short reports is as big as one long one);
    # the metadata is read meanwhile, while workers (if any) tag the passages.
    items = [(p.text, p.heading) for *_, passages in cut for p in passages]
    tagged, metas = _tag_all(items, jobs, lambda: [extract(title, text, [s.title for s in sections if s.level <= 1])
                                                   for text, title, _, sections, _ in cut])
    tagged = iter(tagged)
    docs = []
    for k, (part, (text, title, doc_id, sections, passages), meta) in enumerate(zip(parts, cut, metas), 1):
        themed, found = [], []
        for p, (tags, figs) in zip(passages, tagged):
            themed.append(replace(p, themes=tags))
            found.extend(
                Metric(p.passage_id, f.value, f.unit, f.qualifier, f.indicator, f.raw, f.sentence,
                       p.char_start + f.start, p.char_start + f.end, f.masked, f.suspect, f.role, f.direction,
                       f.low, f.high)
                for f in figs
            )
        passages = themed
        raw_text = "\n".join(raw_lines[part.lines[0].first : part.lines[-1].last + 1])
        docs.append(
            Document(
                doc_id=doc_id,
                source=source,
                file_sha256=raw.sha256,
                part=k,
                title=meta.title,
                title_derived=meta.title_derived,
                doc_type=meta.doc_type,
                doc_types=meta.doc_types,
                years=meta.years,
                region=meta.region,
                issuer=meta.issuer,
                level=meta.level,
                text=text,
                raw_text=raw_text,
                text_sha256=_content_hash(text, passages),
                sections=tuple(sections),
                passages=tuple(passages),
                metrics=tuple(found),
                script=script.value,
            )
        )
    return docs
