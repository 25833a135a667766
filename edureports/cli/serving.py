"""Commands around the app: app (the Streamlit server) and download-model."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from edureports.cli import (  # noqa: F401 - the group and the shared helpers
    CLIError,
    data_option,
    main,
)


@main.command()
@click.option("--port", default=8501, show_default=True, type=int, help="应用使用的端口。")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；默认只允许本机访问（0.0.0.0 会向网络开放）。")
@data_option
def app(port, host, data) -> None:
    """在数据目录上启动 Streamlit 应用（检索、报告、对比、地区、主题、指标、导入；每页的状态都在网址里，可收藏、转发）。

    \b
    示例：
      edureports app --data ./data --port 8501
    """
    import math
    import os
    import signal
    import subprocess

    from ingest.errors import IngestError
    from ingest.files import Limits

    script = Path(__file__).resolve().parent.parent.parent / "app.py"
    if not script.exists():
        raise CLIError(f"程序包旁边没有 app.py（{script}）；请从源码目录用 pip install -e . 安装")
    try:
        upload_mb = max(1, math.ceil(Limits.from_env().file_mb))  # Streamlit's own cap matches ours
    except IngestError as exc:
        raise CLIError(str(exc)) from None
    env = {**os.environ, "EDUREPORTS_DATA": str(Path(data).resolve())}
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", host, "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.maxUploadSize", str(upload_mb)]
    click.echo(f"已在 http://{host}:{port} 提供服务（Ctrl-C 停止）", err=True)
    # Streamlit reads .streamlit/config.toml from the folder it starts in: the project's (Chinese-only chrome,
    # no Deploy button, no tracebacks in the page).
    server = subprocess.Popen(command, env=env, cwd=script.parent)

    def stop(signum, _frame):  # a service manager's SIGTERM must stop Streamlit too, not orphan it
        server.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        sys.exit(server.wait())
    except KeyboardInterrupt:  # the terminal's Ctrl-C reached Streamlit as well
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        sys.exit(130)
    finally:
        signal.signal(signal.SIGTERM, previous)


@main.command("download-model")
@click.argument("name")
@data_option
def download_model(name, data) -> None:
    """下载一次 sentence-transformers 模型（唯一会联网的命令）。

    \b
    示例：
      edureports download-model BAAI/bge-small-zh-v1.5
      edureports reindex --model BAAI/bge-small-zh-v1.5
    """
    from index.embed import download_model as fetch

    try:
        fetch(name)
    except Exception as exc:  # noqa: BLE001 - network and hub errors of every kind
        raise CLIError(f"无法下载 {name!r}：{type(exc).__name__}: {exc}") from None
    click.echo(f"已下载 {name}；用 edureports reindex --model {name} 启用", err=True)
