"""Commands that search: search, similar, compare."""

from __future__ import annotations

import click

from edureports.cli import (  # noqa: F401 - the group and the shared helpers
    MODES,
    _engine,
    _filters,
    _outdated_notice,
    _print_hits,
    _print_json,
    _run,
    _highlight,
    _years,
    data_option,
    filter_options,
    json_option,
    main,
    model_option,
)


NO_RESULT = "没有找到相关内容"


@main.command()
@click.argument("query")
@click.option("--top-k", default=10, show_default=True, type=int, help="显示多少个段落。")
@filter_options
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True,
              help="关键词（BM25）、语义（向量）或两者融合。")
@click.option("--no-expand", is_flag=True, help="关键词检索不加同义词扩展。")
@click.option("--all", "show_all", is_flag=True, help="也显示相关度较低的段落（排在“以下相关度较低”之后）。")
@click.option("--per-report", default=3, show_default=True, type=click.IntRange(min=0),
              help="每篇报告最多显示几个段落（0 为不限）。")
@model_option
@json_option
@data_option
def search(query, top_k, theme, region, year, doc_type, mode, no_expand, show_all, per_report, model, as_json,
           data) -> None:
    """按主题、做法或意思检索段落（关键词 + 语义混合检索）。

    只显示相关度在下限以上的段落，每段标明相关度（高、中）；--all 也显示相关度低的段落。

    \b
    示例：
      edureports search 减少孩子课外补习 --top-k 5
      edureports search 集团化办学 --region 广东 --year 2016-2017 --json
      edureports search 课后服务 --per-report 0 --all
    """
    filters = _filters(theme, region, year, doc_type)
    engine = _engine(data, model)
    _outdated_notice(engine.store)
    try:
        hits = _run(lambda: engine.search(query, top_k, filters, mode, per_report=per_report or None,
                                          include_low=show_all, expand=not no_expand))
    finally:
        engine.close()
    _print_hits(hits, as_json, empty=NO_RESULT)


@main.command()
@click.argument("passage_id")
@click.option("--top-k", default=10, show_default=True, type=int, help="显示多少个段落。")
@filter_options
@model_option
@json_option
@data_option
def similar(passage_id, top_k, theme, region, year, doc_type, model, as_json, data) -> None:
    """其他报告中与 PASSAGE_ID 相似的段落：别处怎样做同一件事。

    \b
    示例：
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
@click.option("--per-report", default=3, show_default=True, type=int, help="每篇报告显示的段落数。")
@click.option("--reports", default=10, show_default=True, type=int, help="最多对比多少篇报告。")
@filter_options
@model_option
@json_option
@data_option
def compare(query_or_theme, per_report, reports, theme, region, year, doc_type, model, as_json, data) -> None:
    """并排对比各报告（各地区）对某一做法或主题的处理。

    \b
    示例：
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
