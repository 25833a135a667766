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
