"""Walking folders and reading files on real FIFOs, devices, sockets and link loops the tests build."""

from __future__ import annotations

import errno
import os
import socket

import pytest
from conftest import REPORT_TEXT, bounded

from ingest.errors import BadSetting, NotRegularFile, TooLarge, Unreadable
from ingest.files import Limits, iter_files, read_bytes, walk
from ingest.load import load
from ingest.pipeline import iter_files as pipeline_iter_files

FIFO_REASON = "：是命名管道（FIFO），不是普通文件，已跳过（读取它可能永远等待或没有尽头）；如是报告，请复制为普通文件后再导入"


def _bounded(fn, *args, timeout: float = 20):
    return bounded(fn, *args, timeout=timeout)


@pytest.fixture
def hostile(tmp_path):
    """A folder holding two good reports around every kind of entry that must not be read."""
    top = tmp_path / "archive"
    sub = top / "sub"
    sub.mkdir(parents=True)
    (top / "a_good.txt").write_text(REPORT_TEXT, encoding="utf-8")
    os.mkfifo(top / "fifo.txt")
    os.symlink("/dev/zero", top / "zero.txt")
    os.symlink("me.txt", top / "me.txt")  # a link that points at itself
    os.symlink("nowhere.txt", top / "broken.txt")
    os.symlink(".", top / "loop")  # a folder linked into itself
    os.symlink("..", sub / "up")  # a link to its own parent
    os.symlink(str(sub), top / "elsewhere")  # a linked folder that is no loop
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(top / "sock.txt"))
    (sub / "z_later.txt").write_text(REPORT_TEXT.replace("2022", "2023"), encoding="utf-8")
    yield top
    server.close()


def test_walk_lists_every_unreadable_entry_with_one_line_and_goes_on(hostile):
    entries = _bounded(lambda: list(walk([str(hostile)])))
    got = [(os.path.relpath(e.source, hostile), e.reason.replace(str(hostile), "T")) for e in entries]
    assert got == [
        ("a_good.txt", ""),
        ("broken.txt", "T/broken.txt（链接到 nowhere.txt）：链接的目标不存在，已跳过；请改正这个链接"),
        ("elsewhere", "T/elsewhere（链接到 T/sub）：指向文件夹的符号链接，不跟随；如需导入，请直接给出该文件夹 T/sub"),
        ("fifo.txt", "T/fifo.txt" + FIFO_REASON),
        ("loop", "T/loop（链接到 .）：符号链接循环（指向自身所在的文件夹或其上级），已跳过"),
        ("me.txt", "T/me.txt：符号链接循环（链接最终指回自身），已跳过；请删除或改正这个链接"),
        ("sock.txt", "T/sock.txt：是套接字，不是普通文件，已跳过（读取它可能永远等待或没有尽头）；如是报告，请复制为普通文件后再导入"),
        ("zero.txt", "T/zero.txt（链接到 /dev/zero）：是字符设备，不是普通文件，已跳过（读取它可能永远等待或没有尽头）；"
                     "如是报告，请复制为普通文件后再导入"),
        ("sub/up", "T/sub/up（链接到 ..）：符号链接循环（指向自身所在的文件夹或其上级），已跳过"),
        ("sub/z_later.txt", ""),
    ]
    assert all("\n" not in e.reason and isinstance(e.problem, (NotRegularFile, type(None))) for e in entries)


def test_iter_files_yields_only_the_readable_files(hostile):
    found = _bounded(lambda: list(iter_files([str(hostile)])))
    assert [os.path.relpath(source, hostile) for _, source in found] == ["a_good.txt", "sub/z_later.txt"]
    assert pipeline_iter_files is iter_files  # the facade re-exports the one walk


def test_paths_given_explicitly_are_judged_as_in_a_folder(hostile):
    given = [str(hostile / name) for name in ("fifo.txt", "zero.txt", "me.txt", "a_good.txt", "loop")]
    entries = _bounded(lambda: list(walk(given)))
    in_folder = {e.source: e.reason for e in walk([str(hostile)])}
    assert [e.reason for e in entries[:3]] == [in_folder[source] for source in given[:3]]
    assert entries[3].problem is None
    # A folder given through a link to itself is walked once: the link inside is the loop.
    assert [os.path.relpath(e.source, hostile) for e in entries[4:] if e.problem is None] == [
        "loop/a_good.txt", "loop/sub/z_later.txt"]


@pytest.mark.parametrize("name", ["fifo.txt", "zero.txt", "me.txt", "sock.txt", "broken.txt"])
def test_load_refuses_what_is_not_a_regular_file_without_opening_it(hostile, name):
    with pytest.raises(NotRegularFile) as err:
        _bounded(load, hostile / name)
    assert str(err.value) == next(e.reason for e in walk([str(hostile)]) if e.source.endswith(name))


def test_a_fifo_is_never_opened(hostile):
    # Had load() opened the FIFO for reading, a writer opening it non-blocking
    # would now succeed; with no reader it fails with ENXIO.
    with pytest.raises(NotRegularFile):
        _bounded(load, hostile / "fifo.txt")
    with pytest.raises(OSError) as err:
        os.open(hostile / "fifo.txt", os.O_WRONLY | os.O_NONBLOCK)
    assert err.value.errno == 6  # ENXIO: no reader holds it open


def test_file_size_limit_names_size_limit_and_setting(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (3 * 1024 * 1024 // 2))
    monkeypatch.setenv("EDUREPORTS_MAX_FILE_MB", "1")
    with pytest.raises(TooLarge) as err:
        read_bytes(path, "big.txt")
    assert str(err.value) == "big.txt：文件大小 1.5 MB 超过上限 1 MB；如确需导入，请设置环境变量 EDUREPORTS_MAX_FILE_MB=2"
    with pytest.raises(TooLarge):
        load(path)
    monkeypatch.setenv("EDUREPORTS_MAX_FILE_MB", "2")
    assert len(read_bytes(path)) == 3 * 1024 * 1024 // 2


def test_a_bad_setting_is_named(monkeypatch):
    monkeypatch.setenv("EDUREPORTS_MAX_FILE_MB", "很多")
    with pytest.raises(BadSetting) as err:
        Limits.from_env()
    assert str(err.value) == "环境变量 EDUREPORTS_MAX_FILE_MB 的值 '很多' 不是正数；请设为正数（默认 50），或删除该变量"
    monkeypatch.setenv("EDUREPORTS_MAX_FILE_MB", "-3")
    with pytest.raises(BadSetting):
        Limits.from_env()


def test_a_newline_in_a_file_name_stays_out_of_every_message(tmp_path):
    os.mkfifo(tmp_path / "报告\n第二行.txt")
    (entry,) = walk([str(tmp_path)])
    assert "\n" not in entry.reason and entry.reason.startswith(f"{tmp_path}/报告\\n第二行.txt：是命名管道")



def test_a_file_without_read_permission_is_named(tmp_path, monkeypatch):
    # Tests run as root here, where chmod 000 still reads; the refusal the system gives is simulated.
    path = tmp_path / "locked.txt"
    path.write_text(REPORT_TEXT, encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(Unreadable) as err:
        read_bytes(path, "locked.txt")
    assert str(err.value) == "locked.txt：无法打开文件（没有读取权限）；请检查文件权限"
