"""The ingest lock: one writer per data dir at a time, the others wait their turn.

Ingest, sync, rebuild and recover change the store and the index files
together; two processes doing it at once would each embed every new passage
and race for the keyword index's writer (tantivy refuses a second writer).
An exclusive `flock` on `ingest.lock` in the data dir makes them take turns:
the second waits, then finds the work done and embeds only what is left.
Searches never take the lock. The operating system drops the lock when its
holder dies, so a killed ingest never leaves the archive locked.

The lock is re-entrant within a process (an ingest that syncs takes it
twice), because flock on a second descriptor of the same file would wait
for the first forever.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

LOCK_NAME = "ingest.lock"
POLL = 0.2  # seconds between attempts while another process holds the lock


class LockTimeout(Exception):
    """Another process held the ingest lock for longer than the caller would wait."""


try:  # POSIX; on Windows msvcrt locks a byte range the same way
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


class IngestLock:
    """The exclusive writer lock of one data dir (re-entrant in this process).

    >>> import tempfile
    >>> lock = IngestLock(tempfile.mkdtemp())
    >>> with lock:
    ...     with lock:
    ...         lock.held
    True
    >>> lock.held
    False
    """

    def __init__(self, data_dir: str | Path, on_wait: Callable[[str], None] | None = None,
                 timeout: float | None = None):
        self.path = Path(data_dir) / LOCK_NAME
        self.on_wait = on_wait
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0
        self._mutex = threading.RLock()  # app sessions share a process: their threads take turns too

    @property
    def held(self) -> bool:
        return self._depth > 0

    def holder(self) -> str:
        """The process id written by the current holder ('' when unknown)."""
        try:
            return self.path.read_text("utf-8").strip()
        except OSError:
            return ""

    def busy(self) -> bool:
        """True when another process holds the lock now (this process's own hold does not count)."""
        if self.held:
            return False
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return False
        try:
            if _try_lock(fd):
                _unlock(fd)
                return False
            return True
        finally:
            os.close(fd)

    def acquire(self) -> None:
        self._mutex.acquire()
        if self._depth:
            self._depth += 1
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            start, told = time.monotonic(), False
            while not _try_lock(fd):
                if not told and self.on_wait:
                    pid = self.holder()
                    self.on_wait(f"另一个导入正在写入数据目录 {self.path.parent}"
                                 + (f"（进程 {pid}）" if pid else "") + "；等它完成后继续")
                    told = True
                if self.timeout is not None and time.monotonic() - start > self.timeout:
                    os.close(fd)
                    raise LockTimeout(
                        f"另一个导入占用数据目录 {self.path.parent} 已超过 {self.timeout:g} 秒；请等它完成后重试")
                time.sleep(POLL)
        except BaseException:
            self._mutex.release()
            raise
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd, self._depth = fd, 1

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if not self._depth and self._fd is not None:
            os.ftruncate(self._fd, 0)
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None
        self._mutex.release()

    def __enter__(self) -> "IngestLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

