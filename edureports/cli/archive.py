"""Commands that fill and read the archive: ingest, reingest, reindex, docs, show."""

from __future__ import annotations

import os
import shlex
from contextlib import contextmanager
import sqlite3
import sys
from pathlib import Path

import click

from ingest.files import shown

from edureports.settings import DEFAULT_DATA

from edureports.cli import (  # noqa: F401 - the group and the shared helpers
    CLIError,
    DERIVED,
    _engine,
    _open_store,
    _outdated_notice,
    _print_json,
    _years,
    data_option,
    json_option,
    main,
    model_option,
)


def _tqdm():
    """tqdm without its monitor thread: a running thread makes ingest start its workers by forkserver, each reloading jieba."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0
    return tqdm


def _embed_bar(total: int):
    """The embedding progress bar on stderr: passages, so that tqdm shows 段/s and the time left."""
    tqdm = _tqdm()
    return tqdm(total=total, desc="嵌入", unit="段", file=sys.stderr, disable=None)


def _files_bar(desc: str):
    """A progress bar over a list of files on stderr; the list's length gives tqdm its total and ETA."""
    tqdm = _tqdm()
    return lambda files: tqdm(files, desc=desc, unit="个文件", file=sys.stderr, disable=None)


def _resume_hint(command: str) -> str:
    """The line printed when embedding is interrupted: what is kept and which command finishes the job."""
    return (f"已中断：已嵌入的段落都已保存；重新运行 {command} 只嵌入余下的段落，即可完成"
            "（只有更换编码模型时才需要 edureports reindex）")


@contextmanager
def _readable(store):
    """A damaged page met while reading becomes one line naming `check` and `recover` (and the store is closed)."""
    from index.store import DB_NAME, unreadable

    try:
        yield
    except sqlite3.DatabaseError as exc:
        store.close()
        raise CLIError(str(unreadable(store.dir / DB_NAME, exc))) from None


def _say_waiting(engine) -> None:
    """Tell the user, once, when another ingest holds the data dir and this one waits for it."""
    engine.lock.on_wait = lambda message: click.echo(message, err=True)


def _command(words: list[str], data: Path) -> str:
    """A command line to show the user, quoted for the shell, naming --data unless it is the default."""
    return shlex.join(words + (["--data", str(data)] if data != Path(DEFAULT_DATA) else []))


def _sync(engine, resume: str, rebuild: bool = False, model: str | None = None, keyword: str | None = None) -> None:
    """Bring the indexes in step (or build them again) and say what changed; closes the engine.

    `resume` is the command that finishes an interrupted sync (a plain sync
    embeds only what is missing, so it is the same command the user ran).
    """
    from index.embed import EmbedderError
    from index.search import SearchError

    try:
        if rebuild:
            added, removed = engine.rebuild(model, keyword, progress=_embed_bar)
        else:
            added, removed = engine.sync(progress=_embed_bar)
        outgrown = engine.outgrown()
    except (EmbedderError, SearchError) as exc:
        raise CLIError(str(exc)) from None
    except (OSError, RuntimeError, ValueError) as exc:  # disk full, faiss, a tantivy writer lock held elsewhere
        raise CLIError(f"索引写入失败（{exc}）；处理后重新运行 {resume}") from None
    except KeyboardInterrupt:
        # A rebuild works beside the old index and starts afresh: the old one is untouched.
        click.echo(f"已中断：原索引未改动，仍可检索；重新运行 {resume} 重建" if rebuild
                   else _resume_hint(resume), err=True)
        sys.exit(130)
    finally:
        engine.close()
    click.echo(f"索引：新增 {added} 个段落，删除 {removed} 个", err=True)
    if outgrown:
        click.echo("数据量已超出精确向量检索的范围；运行 edureports reindex 可切换到 IVF 索引", err=True)



@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--prune", is_flag=True, help="同时清除文件已不存在的报告。")
@click.option("--no-index", is_flag=True, help="只入库不建索引；之后用 edureports reindex 建索引。")
@click.option("--jobs", type=int, default=None, envvar="EDUREPORTS_JOBS",
              help="并行处理文件的进程数（默认：本进程可用的 CPU 核数；或 $EDUREPORTS_JOBS）。")
@model_option
@data_option
def ingest(paths: tuple[str, ...], prune: bool, no_index: bool, jobs: int | None, model: str | None,
           data: Path) -> None:
    """把报告文件和文件夹（含子文件夹）导入数据库。

    读取 .txt/.md（常见中文编码）、.html、.docx 和 .pdf。未变的文件跳过，
    改过的文件替换旧报告，重复内容只存一份；文件夹里有坏文件时，导入其余
    文件并列出坏文件及原因。

    \b
    示例：
      edureports ingest corpus/ ~/archive/2021 --prune
      edureports ingest ~/archive --jobs 2
    """
    from edureports.settings import cores

    if jobs is not None and jobs < 1:
        raise CLIError(f"--jobs 应为正整数，而不是 {jobs}；例如 --jobs {cores()}（本机可用 {cores()} 核）")
    missing = [p for p in paths if not os.path.lexists(p)]  # a link loop is listed by the walk with its reason
    if missing:
        raise CLIError(f"没有这个文件或文件夹：{missing[0]}")
    import index.build  # noqa: F401 - the ingest code (and its version) is loaded before any wait for the lock

    engine = _engine(data, model)
    _say_waiting(engine)
    with engine.lock:  # a second ingest of the same data dir waits until this one has stored and indexed
        _ingest(engine, paths, prune, no_index, model, data, jobs or cores())


def _ingest(engine, paths: tuple[str, ...], prune: bool, no_index: bool, model: str | None, data: Path,
            jobs: int) -> None:
    from index.build import STATUS_LABELS

    def progress(files):
        bar = _files_bar("导入")(files)
        for path, source in bar:
            bar.set_postfix_str(Path(source).name[-30:], refresh=False)
            yield path, source

    try:
        summary = engine.ingest(paths, prune=prune, index=False, progress=progress, jobs=jobs)
    except KeyboardInterrupt:
        engine.close()
        click.echo("已中断：已导入的文件都已保存，正在处理的文件未写入", err=True)
        sys.exit(130)
    except sqlite3.Error as exc:
        engine.close()
        raise CLIError(f"数据目录 {data} 中的数据库无法写入（{exc}）；是否有另一个导入正在运行？") from None
    for result in summary.results:
        if result.reason:
            click.echo(f"  {STATUS_LABELS[result.status]}：{shown(result.reason)}", err=True)
    for source in summary.pruned:
        click.echo(f"  已清除：{shown(source)}", err=True)
    click.echo(summary.line(), err=True)
    single = len(paths) == 1 and not Path(paths[0]).is_dir()
    if single and summary.results and summary.results[0].status == "skipped":
        engine.close()
        sys.exit(2)
    if no_index:
        engine.close()
    else:
        again = ["edureports", "ingest", *paths] + (["--prune"] if prune else []) + (["--model", model] if model else [])
        _sync(engine, _command(again, data))


@main.command()
@json_option
@data_option
def docs(as_json: bool, data: Path) -> None:
    """列出已导入的报告。

    \b
    示例：
      edureports docs --json
    """
    store = _open_store(data)
    with _readable(store):
        rows = store.documents()
        _outdated_notice(store)
    store.close()
    if as_json:
        _print_json([r.to_dict() for r in rows])
        return
    if not rows:
        click.echo("还没有报告；用 edureports ingest 路径 导入", err=True)
        return
    from edureports.cli.tables import Align, render
    from index.numbers import years_text

    click.echo(render(
        ["编号", "年份", "文种", "段落数", "地区", "标题"],
        [[r.doc_id, years_text(r.years), r.doc_type, r.n_passages, r.region or "地区不详",
          r.title + (DERIVED if r.title_derived else "")] for r in rows],
        [Align.LEFT, Align.LEFT, Align.LEFT, Align.RIGHT], shrink=[5, 4]))


@main.command()
@click.argument("doc_id")
@json_option
@data_option
def show(doc_id: str, as_json: bool, data: Path) -> None:
    """显示一篇报告：基本信息、目录和全部段落。

    DOC_ID 可以只写能唯一确定报告的前几位。

    \b
    示例：
      edureports show 06606381c23e-2 --json
    """
    store = _open_store(data)
    with _readable(store):
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
    click.echo(f"  来源  {shown(doc['source'])}")
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
        listed = [m for m in doc["metrics"] if not m["masked"]][:12]
        from index.numbers import figure_line  # as reports write them; a range (1～2所) has no single value

        figures = "；".join(figure_line(m) for m in listed)
        masked = sum(m["masked"] for m in doc["metrics"])
        click.echo(f"  数据  {len(doc['metrics'])} 条（{masked} 条遮盖）：{figures}"
                   + (" …" if len(doc["metrics"]) - masked > len(listed) else ""))
    click.echo("\n段落")
    for p in doc["passages"]:
        click.echo(f"\n[{p['passage_id']}] {p['heading'] or '（无标题）'}  @{p['char_start']}-{p['char_end']}")
        click.echo(p["text"])


@main.command()
@model_option
@click.option("--keyword", default=None, envvar="EDUREPORTS_KEYWORD",
              help="关键词检索器：tantivy（默认）或 segments（或 $EDUREPORTS_KEYWORD）。")
@data_option
def reindex(model, keyword, data) -> None:
    """按数据库重建关键词索引和向量索引。

    更换编码模型（--model）或关键词检索器（--keyword）后、`ingest --no-index`
    之后，或索引损坏、落后于数据库时使用；新索引建好后才替换旧索引。

    \b
    示例：
      edureports reindex
      edureports reindex --model BAAI/bge-small-zh-v1.5
      edureports reindex --keyword segments
    """
    from index.search import Engine, SearchError

    from index.store import DB_NAME, RECOVER, DamagedConfig, Store, StoreError, set_config_aside

    try:
        store = Store(data)
    except DamagedConfig as exc:  # what reindex repairs: config.json is written again from the database
        moved = set_config_aside(data)
        click.echo(f"{str(exc).split('；')[0]}：已移到 {moved}，按数据库重写并重建索引", err=True)
        store = _open_store(data)
    except StoreError as exc:
        raise CLIError(str(exc)) from None
    problems = store.integrity(quick=True)  # indexes built from a damaged database would lose passages unseen
    if problems:
        store.close()
        raise CLIError(f"数据库 {data / DB_NAME} 完整性检查未通过（{' '.join(problems[0].split())}），"
                       f"不能据此重建索引；{RECOVER}")
    try:
        engine = Engine(data, store=store)  # the new encoder and retriever are rebuild's parameters
    except SearchError:  # a damaged index record is what reindex repairs
        store.update_config(encoder=None, keyword=None, indexed_generation=None)
        engine = Engine(data, store=store)
    _say_waiting(engine)
    again = ["edureports", "reindex"] + (["--model", model] if model else []) + (["--keyword", keyword] if keyword else [])
    _sync(engine, _command(again, data), rebuild=True, model=model, keyword=keyword)


@main.command()
@data_option
def reingest(data) -> None:
    """按保存的原文重建旧版本导入的报告，再更新索引。

    不需要原文件：数据库保存了每个文件读入时的文本。`docs` 和 `search`
    会提示何时需要运行。

    \b
    示例：
      edureports reingest
    """
    from index.build import STATUS_LABELS
    from index.build import reingest as run

    engine = _engine(data)
    _say_waiting(engine)
    try:
        with engine.lock:
            summary = run(engine.store, progress=_files_bar("重建"))
    except KeyboardInterrupt:
        engine.close()
        click.echo("已中断：已重建的文件都已保存；再次运行 edureports reingest 继续", err=True)
        sys.exit(130)
    for result in summary.results:
        if result.reason:
            click.echo(f"  {STATUS_LABELS[result.status]}：{shown(result.reason)}", err=True)
    click.echo(f"重建了 {summary.count('updated')} 个文件：{summary.reports} 篇报告，{summary.passages} 个段落", err=True)
    _sync(engine, _command(["edureports", "reingest"], data))


@main.command()
@json_option
@data_option
def check(as_json: bool, data: Path) -> None:
    """检查数据库和索引是否完好，并说明如何修复。

    运行 SQLite 的完整性检查，按记录核对每个索引文件的大小和校验和，
    再核对索引与数据库是否一致。发现问题时退出码为 2，最后一行说明
    先运行哪条命令（edureports recover、reindex 或重新导入）。

    \b
    示例：
      edureports check
      edureports check --json
    """
    from index.health import check as run, verdict

    findings = run(data)
    if as_json:
        _print_json([f.to_dict() for f in findings])
    else:
        for finding in findings:
            click.echo(("正常  " if finding.ok else "问题  ") + finding.line())
    click.echo(verdict(findings), err=as_json)
    if not all(f.ok for f in findings):
        sys.exit(2)


@main.command()
@click.option("--force", is_flag=True, help="数据库检查完好时也重建。")
@model_option
@data_option
def recover(force: bool, model: str | None, data: Path) -> None:
    """从损坏的数据库中读出保存的原文，重建数据库和索引。

    损坏的数据库文件改名留在数据目录中（不删除）；能读出原文的文件按原文
    重新处理，原文读不出的文件若仍在原处则重新读取，都读不到的列出来，
    需要重新导入。数据库完好时不做任何事（除非 --force）。

    \b
    示例：
      edureports check
      edureports recover
    """
    from index.build import STATUS_LABELS
    from index.build import recover as run
    from index.health import Fix, check as run_check
    from index.lock import IngestLock
    from index.search import Engine

    findings = run_check(data)
    if not force and not any(f.fix is Fix.RECOVER for f in findings):
        click.echo("数据库完好，不需要恢复；索引问题用 edureports reindex 修复（确需重建请加 --force）", err=True)
        return
    lock = IngestLock(data, on_wait=lambda message: click.echo(message, err=True))
    with lock:
        try:
            result = run(data, progress=_files_bar("恢复"))
        except KeyboardInterrupt:
            click.echo("已中断：损坏的数据库仍在原处旁边；再次运行 edureports recover --force 继续", err=True)
            sys.exit(130)
        for item in result.summary.results:
            if item.reason:
                click.echo(f"  {STATUS_LABELS[item.status]}：{shown(item.reason)}", err=True)
        if result.moved_to is None:
            click.echo("数据目录中没有数据库可恢复：已清除没有数据库的旧索引；请重新导入报告文件", err=True)
            return
        click.echo(f"损坏的数据库已移到 {result.moved_to}", err=True)
        click.echo(f"恢复了 {result.summary.count('added', 'updated')} 个文件：{result.summary.reports} 篇报告、"
                   f"{result.summary.passages} 个段落" + (f"；{result.unreadable} 行记录无法读出" if result.unreadable
                                                        else ""), err=True)
        for source in result.lost:
            click.echo(f"  未能恢复（原文和文件都已读不到，请重新导入）：{shown(source)}", err=True)
        if not result.summary.results and result.unreadable:
            click.echo("损坏的数据库中连文件清单都读不出：请用 edureports ingest 重新导入报告所在的文件夹", err=True)
        engine = Engine(data, model=model or result.model)
        engine.lock = lock
        _sync(engine, _command(["edureports", "recover", "--force"], data), rebuild=True, model=model or result.model)
