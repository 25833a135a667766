"""`edureports app` as a service manager runs it, and `streamlit run app.py` in the project folder: local only, our upload cap, stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, free_port, healthy


def _listening(port: int) -> set[str]:
    """Local addresses listening on `port`, read from /proc/net/tcp and tcp6 (hex, as the kernel writes them)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as fh:
                rows = fh.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def _children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (read from /proc, Linux only)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads child processes from /proc (Linux)")
def test_app_listens_locally_with_our_upload_cap_and_stops_on_sigterm(tmp_path):
    port = free_port()
    env = {**os.environ, "EDUREPORTS_MAX_FILE_MB": "7"}
    cli = subprocess.Popen([sys.executable, "-m", "edureports.cli", "app", "--port", str(port),
                            "--data", str(tmp_path / "data")],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        if not healthy(port):
            pytest.fail("the app did not start")
        (server,) = _children(cli.pid)
        with open(f"/proc/{server}/cmdline") as fh:
            argv = fh.read().split("\0")
        assert argv[argv.index("--server.address") + 1] == "127.0.0.1"
        assert argv[argv.index("--server.maxUploadSize") + 1] == "7"
        # started in the project folder, so .streamlit/config.toml (no Deploy button, no tracebacks) applies
        assert os.path.samefile(os.readlink(f"/proc/{server}/cwd"), ROOT)
        assert (ROOT / ".streamlit" / "config.toml").is_file()
        cli.send_signal(signal.SIGTERM)
        cli.wait(timeout=30)  # edureports app itself ends (TimeoutExpired fails the test)
        deadline = time.time() + 20
        while _alive(server) and time.time() < deadline:
            time.sleep(0.2)
        assert not _alive(server), "Streamlit kept serving after edureports app was stopped"
    finally:
        if cli.poll() is None:
            cli.kill()


@pytest.mark.skipif(not os.path.isdir("/proc/net"), reason="reads listening sockets from /proc/net (Linux)")
def test_streamlit_run_in_the_project_folder_listens_on_loopback_only(tmp_path):
    """.streamlit/config.toml binds a plain `streamlit run app.py` to 127.0.0.1, as `edureports app` does."""
    port = free_port()
    env = {**os.environ, "EDUREPORTS_DATA": str(tmp_path / "data")}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not healthy(port):
            pytest.fail("the app did not start")
        assert _listening(port) == {"0100007F"}  # 127.0.0.1 only: not 0.0.0.0, not ::
    finally:
        server.kill()
        server.wait(timeout=30)
