"""Find the files to ingest below folders, and read one file within size limits.

A folder can hold things that look like files but must never be read: a FIFO
named `x.txt` blocks its reader forever, a link to /dev/zero never ends, a
link to its own parent folder makes a walk go round. Every such entry is
told apart by `stat` alone, before anything is opened, and comes back with a
one-line reason so that the caller can list it and go on with the next file.
"""

from __future__ import annotations

import errno
import math
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import BadSetting, IngestError, NotRegularFile, TooLarge, Unreadable

MB = 1024 * 1024


def _env_number(env: str, default: float, environ) -> float:
    raw = environ.get(env, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not value > 0 or math.isinf(value):
        raise BadSetting(f"环境变量 {env} 的值 '{raw}' 不是正数；请设为正数（默认 {_num(default)}），或删除该变量")
    return value


@dataclass(frozen=True)
class Limits:
    """What one file may cost to read; each bound is raised by its environment variable.

    The defaults sit far above real reports (a long report is well under
    1 MB of text, its .docx XML a few MB, a PDF a few hundred pages) and
    below what stalls a run: 150 MB of XML in one .docx part took minutes to
    parse; 10 MB of XML (about 140,000 paragraphs) is read in about 15 s
    (bench/load_bench.py).
    """

    file_mb: float = 50
    docx_part_mb: float = 10
    docx_ratio: float = 100
    pdf_pages: float = 2000

    ENV = {
        "file_mb": "EDUREPORTS_MAX_FILE_MB",
        "docx_part_mb": "EDUREPORTS_MAX_DOCX_PART_MB",
        "docx_ratio": "EDUREPORTS_MAX_DOCX_RATIO",
        "pdf_pages": "EDUREPORTS_MAX_PDF_PAGES",
    }

    @classmethod
    def from_env(cls, environ=None) -> Limits:
        """The defaults, each replaced by its environment variable when set.

        >>> Limits.from_env({"EDUREPORTS_MAX_FILE_MB": "200"}).file_mb
        200.0
        """
        environ = os.environ if environ is None else environ
        return cls(**{field: _env_number(env, getattr(cls, field), environ) for field, env in cls.ENV.items()})


def _num(value: float) -> str:
    """A figure as a message shows it: whole from 100, one decimal from 1, two significant digits below.

    >>> [_num(v) for v in (150.4, 1.5, 50.0, 0.0123)]
    ['150', '1.5', '50', '0.012']
    """
    if value >= 100:
        return str(round(value))
    text = f"{value:.1f}" if value >= 1 else f"{value:.2g}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _suggest(value: float) -> str:
    """The next round figure (1, 2, 5 x 10^k) at or above `value`: what to set a limit to."""
    scale = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    for step in (1, 2, 5, 10):
        if step * scale >= value:
            return _num(step * scale)
    return _num(value)  # pragma: no cover


def over_limit(name: str, what: str, value: float, limit: float, unit: str, env: str) -> TooLarge:
    """The error for a value over a limit: names the value, the limit and the setting that raises it.

    >>> str(over_limit("x.txt", "文件大小", 120, 50, "MB", "EDUREPORTS_MAX_FILE_MB"))
    'x.txt：文件大小 120 MB 超过上限 50 MB；如确需导入，请设置环境变量 EDUREPORTS_MAX_FILE_MB=200'
    """
    return TooLarge(
        f"{name}：{what} {_num(value)} {unit} 超过上限 {_num(limit)} {unit}；"
        f"如确需导入，请设置环境变量 {env}={_suggest(value)}"
    )


def shown(name: str) -> str:
    r"""A path as a one-line message shows it: control characters (a newline in a file name) escaped.

    >>> shown("a\nb.txt")
    'a\\nb.txt'
    """
    if not any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return name
    return "".join(ch.encode("unicode_escape").decode("ascii") if ord(ch) < 32 or ord(ch) == 127 else ch
                   for ch in name)


_KINDS = (
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISDIR, "文件夹"),
)


def _kind(mode: int) -> str:
    return next((kind for test, kind in _KINDS if test(mode)), "特殊文件")


_OS_REASONS = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.EIO: "磁盘读写错误"}


def _os_reason(exc: OSError) -> str:
    return _OS_REASONS.get(exc.errno, exc.strerror or str(exc))


def _link_note(path: Path) -> str:
    try:
        return f"（链接到 {shown(os.readlink(path))}）" if path.is_symlink() else ""
    except OSError:
        return ""


def check(path: str | Path, source: str | None = None) -> os.stat_result:
    """The `stat` of a regular file; a FIFO, device, socket, folder or link loop is a NotRegularFile.

    Never opens the file: opening a FIFO for reading blocks until a writer comes.
    """
    path = Path(path)
    name = shown(source or str(path))
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotRegularFile(f"{name}：符号链接循环（链接最终指回自身），已跳过；请删除或改正这个链接") from None
        if exc.errno == errno.ENOENT and path.is_symlink():
            raise NotRegularFile(f"{name}{_link_note(path)}：链接的目标不存在，已跳过；请改正这个链接") from None
        if exc.errno == errno.ENOENT:
            raise NotRegularFile(f"{name}：文件不存在（可能已被移走或删除）") from None
        raise Unreadable(f"{name}：无法读取文件信息（{_os_reason(exc)}）") from None
    if not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise NotRegularFile(f"{name}{_link_note(path)}：是文件夹，不是文件；请把文件夹作为导入路径给出")
        raise NotRegularFile(
            f"{name}{_link_note(path)}：是{_kind(st.st_mode)}，不是普通文件，已跳过（读取它可能永远等待或没有尽头）；"
            "如是报告，请复制为普通文件后再导入"
        )
    return st


def read_bytes(path: str | Path, source: str | None = None, limits: Limits | None = None) -> bytes:
    """The bytes of a regular file within the size limit; anything else is an IngestError.

    The file is checked by `stat` first and opened non-blocking, then checked
    again on the open descriptor, so that a file swapped for a FIFO or device
    in between is still refused rather than read; at most the limit is read.
    """
    path = Path(path)
    name = shown(source or str(path))
    limits = limits or Limits.from_env()
    st = check(path, source)
    if st.st_size > limits.file_mb * MB:
        raise over_limit(name, "文件大小", st.st_size / MB, limits.file_mb, "MB", Limits.ENV["file_mb"])
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Unreadable(f"{name}：无法打开文件（{_os_reason(exc)}）；请检查文件权限") from None
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(f"{name}：是{_kind(st.st_mode)}，不是普通文件，已跳过；如是报告，请复制为普通文件后再导入")
        cap = int(limits.file_mb * MB)
        try:
            data = handle.read(cap + 1)
        except OSError as exc:
            raise Unreadable(f"{name}：读取失败（{_os_reason(exc)}）") from None
    if len(data) > cap:
        raise over_limit(name, "文件大小", len(data) / MB, limits.file_mb, "MB", Limits.ENV["file_mb"])
    return data


@dataclass(frozen=True)
class FileEntry:
    """A file given or found below a folder; `problem` says why it cannot be read (None when it can)."""

    path: Path
    source: str
    problem: IngestError | None = None

    @property
    def reason(self) -> str:
        return str(self.problem) if self.problem else ""


def _entry(path: Path, source: str) -> FileEntry:
    try:
        check(path, source)
    except IngestError as exc:
        return FileEntry(path, source, exc)
    return FileEntry(path, source)


def _walk_folder(top: Path, top_source: str) -> Iterator[FileEntry]:
    """Entries below one real folder: each folder's files in name order, then its subfolders.

    Linked folders are not followed, so the walk cannot go round; each is
    listed with a reason instead (a loop, or where to point the ingest). An
    explicit stack instead of recursion: any depth of nesting is walked.
    """
    stack = [(top, top_source)]
    while stack:
        folder, source = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError as exc:
            reason = f"{shown(source)}：无法读取文件夹（{_os_reason(exc)}），已跳过"
            yield FileEntry(folder, source, Unreadable(reason))
            continue
        subfolders = []
        for entry in entries:
            path, child = Path(entry.path), os.path.join(source, entry.name)
            try:
                is_link, is_dir = entry.is_symlink(), entry.is_dir(follow_symlinks=True)
            except OSError:
                is_link, is_dir = True, False
            if is_dir and not is_link:
                subfolders.append((path, child))
            elif is_dir:
                yield FileEntry(path, child, NotRegularFile(_linked_folder(folder, path, child)))
            else:
                yield _entry(path, child)
        stack.extend(reversed(subfolders))


def _linked_folder(folder: Path, path: Path, child: str) -> str:
    here, there = os.path.realpath(folder), os.path.realpath(path)
    if os.path.commonpath([here, there]) == there:
        return f"{shown(child)}{_link_note(path)}：符号链接循环（指向自身所在的文件夹或其上级），已跳过"
    return f"{shown(child)}{_link_note(path)}：指向文件夹的符号链接，不跟随；如需导入，请直接给出该文件夹 {shown(there)}"


def walk(paths: Iterable[str]) -> Iterator[FileEntry]:
    """Every file given or found below a folder, in order, each with its problem if any.

    `source` keeps the path as the user wrote it; hidden files and folders are
    passed over. A path given explicitly is judged as one found in a folder.
    Only what must never be opened is judged here (by `stat`); size limits
    and content are judged when the file is read (`read_bytes`, `load`).
    """
    for given in paths:
        path = Path(given)
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk_folder(path, str(given))
        else:
            yield _entry(path, str(given))


def iter_files(paths: Iterable[str]) -> Iterator[tuple[Path, str]]:
    """(path, source) for each readable file given or found below a folder, in order.

    Entries that must never be opened (FIFOs, devices, sockets, link loops)
    are left out here; `walk` yields them with their reasons.
    """
    for entry in walk(paths):
        if entry.problem is None:
            yield entry.path, entry.source
