"""The 导入 page: uploads stored under safe names and ingested, with a truthful account of each file."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import streamlit as st

from edureports.views import links
from edureports.views.text import inert, no_paths
from index.search import Engine
from ingest.errors import BadSetting
from ingest.files import MB, Limits, over_limit, shown

UPLOAD_TYPES = ["txt", "md", "docx", "pdf", "html", "htm"]
MAX_UPLOAD_FILES = 50  # files per upload; raised by EDUREPORTS_MAX_UPLOAD_FILES
MAX_UPLOAD_FILES_ENV = "EDUREPORTS_MAX_UPLOAD_FILES"


def safe_name(name: str) -> str:
    """A file name that stays inside the upload folder: no path parts, no odd characters."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", stem).strip("._") or "upload"
    return f"{stem[:80]}{suffix}"


def upload_limit() -> int:
    """How many files one upload may hold: MAX_UPLOAD_FILES, or EDUREPORTS_MAX_UPLOAD_FILES when set."""
    raw = os.environ.get(MAX_UPLOAD_FILES_ENV, "").strip()
    if not raw:
        return MAX_UPLOAD_FILES
    if not raw.isdigit() or int(raw) < 1:
        raise BadSetting(f"环境变量 {MAX_UPLOAD_FILES_ENV} 的值 '{raw}' 不是正整数；"
                         f"请设为正整数（默认 {MAX_UPLOAD_FILES}），或删除该变量")
    return int(raw)


def stored_name(name: str, data: bytes) -> str:
    """The cleaned name plus a short content hash: two uploads share a stored name only if they share bytes.

    Cleaning alone let 报告?.txt and 报告*.txt (or 工作总结.txt from two folders) land on one
    file, so the second upload replaced the first one's report.
    """
    clean = Path(safe_name(name))
    return f"{clean.stem}_{hashlib.sha256(data).hexdigest()[:8]}{clean.suffix}"


def save_uploads(root: Path, files, limits: Limits) -> tuple[list[Path], list[str], int, int]:
    """Store each upload under its own name; returns (paths, notices, files refused, repeats in this upload)."""
    folder = (root / "uploads").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    notices: list[str] = []
    refused = repeats = 0
    for f in files:
        data = f.getvalue()
        name = shown(Path(f.name.replace("\\", "/")).name)
        if len(data) > limits.file_mb * MB:
            notices.append(str(over_limit(name, "文件大小", len(data) / MB, limits.file_mb, "MB",
                                          Limits.ENV["file_mb"])))
            refused += 1
            continue
        path = (folder / stored_name(f.name, data)).resolve()
        if folder not in path.parents:  # pragma: no cover - safe_name leaves no path parts
            refused += 1
            continue
        if path in saved:
            notices.append(f"{name}：本次已上传过同名同内容的文件，只保存一份")
            repeats += 1
            continue
        if path.exists():
            notices.append(f"{name}：此前已上传过同名同内容的文件，只保存一份")
        else:
            clean = Path(safe_name(f.name))
            pattern = re.compile(re.escape(clean.stem) + r"_[0-9a-f]{8}" + re.escape(clean.suffix))
            if any(pattern.fullmatch(other.name) for other in folder.iterdir()):
                notices.append(f"{name}：已有同名（{clean.name}）但内容不同的文件，另存为 {path.name}")
            path.write_bytes(data)
        saved.append(path)
    return saved, notices, refused, repeats


WAITING = "另一个导入正在写入数据，等它完成后自动继续…"


def run_ingest(eng: Engine, paths: list[str], received: int | None = None, notices: tuple[str, ...] = (),
               refused: int = 0, repeats: int = 0) -> None:
    """Ingest files and say truthfully what became of each: counts that add up to what was received."""
    bar = st.progress(0.0, text="导入中…")

    def progress(items):
        items = list(items)
        for i, item in enumerate(items, 1):
            bar.progress(i / max(1, len(items)), text=f"导入 {Path(item[1]).name}（{i}/{len(items)}）")
            yield item

    lock = getattr(eng, "lock", None)
    if lock is not None:  # another session or a command-line ingest holds the data dir: say so while waiting
        lock.on_wait = lambda _message: bar.progress(0.0, text=WAITING)
    summary = eng.ingest(paths, index=False, progress=progress) if paths else None
    bar.progress(1.0, text="建立索引…")
    if summary is not None:
        eng.sync()
    bar.empty()
    results = summary.results if summary is not None else []
    changed = sum(1 for r in results if r.status in ("added", "updated"))
    known = sum(1 for r in results if r.status in ("unchanged", "duplicate")) + repeats
    skipped = sum(1 for r in results if r.status == "skipped") + refused
    received_text = f"收到 {received} 个文件，" if received is not None else ""
    st.success(f"导入完成：{received_text}新增或更新 {changed} 个，已在库中 {known} 个，未导入 {skipped} 个；"
               f"写入 {summary.reports if summary else 0} 篇报告、{summary.passages if summary else 0} 个段落")
    for notice in notices:
        st.warning(inert(notice))
    for r in results:  # the reader gets file names, never where the server keeps them
        if r.reason:
            reason = r.reason[len(r.source):].lstrip("：: ") if r.reason.startswith(r.source) else r.reason
            st.warning(inert(f"{Path(r.source).name}：{no_paths(reason)}"))


def page(eng: Engine, root: Path) -> None:
    st.header("导入")
    links.write("导入")
    try:
        limits, most = Limits.from_env(), upload_limit()
    except BadSetting as exc:
        st.error(inert(str(exc)))
        return
    files = st.file_uploader(f"上传报告（.txt .md .docx .pdf .html；每次至多 {most} 个文件，每个不超过 "
                             f"{limits.file_mb:g} MB）", type=UPLOAD_TYPES, accept_multiple_files=True, key="upload")
    if files and st.button("导入上传的文件", key="do_upload", type="primary"):
        if len(files) > most:
            st.error(inert(str(over_limit("本次上传", "文件数", len(files), most, "个", MAX_UPLOAD_FILES_ENV))))
            return
        paths, notices, refused, repeats = save_uploads(root, files, limits)
        run_ingest(eng, [str(p) for p in paths], len(files), tuple(notices), refused, repeats)


def first_start(eng: Engine, corpus: Path) -> None:
    n = sum(1 for f in corpus.rglob("*") if f.is_file() and f.suffix.lower().lstrip(".") in UPLOAD_TYPES)
    st.info(f"数据目录里还没有报告。可以先导入项目自带的示例语料（{n} 个文件），或到“导入”页上传自己的报告。")
    if st.button("导入示例语料", key="load_corpus", type="primary"):
        run_ingest(eng, [str(corpus)])
        st.rerun()
