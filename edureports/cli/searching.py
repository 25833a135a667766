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
    data_option,
    filter_options,
    json_option,
    main,
    model_option,
)


NO_RESULT = "没有找到相关内容"
HIDDEN = "另有 {n} 个相关度较低的段落未显示；加 --all 查看"


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
                                          include_low=show_all or not as_json, expand=not no_expand), data)
    finally:
        engine.close()
    # Without --all the low hits were fetched only to be counted: what the floor held back is said, so a
    # weakly answered query does not look like an empty archive.
    shown = hits if show_all or as_json else [h for h in hits if h.grade != "低"]
    _print_hits(shown, as_json, empty=NO_RESULT)
    if len(shown) < len(hits):
        click.echo(HIDDEN.format(n=len(hits) - len(shown)), err=True)


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
        hits = _run(lambda: engine.similar(passage_id, top_k, filters), data)
    finally:
        engine.close()
    _print_hits(hits, as_json)


def _split(values) -> list[str]:
    """Region choices as typed: repeated options, or one option with names split by ，,、 or spaces."""
    import re

    return [v for value in values for v in re.split(r"[,，、\s]+", value) if v]


@main.command()
@click.argument("query_or_theme")
@click.option("--per-report", default=3, show_default=True, type=int, help="每篇报告显示的段落数。")
@click.option("--reports", default=10, show_default=True, type=int, help="最多对比多少篇报告。")
@click.option("--regions", "chosen_regions", multiple=True,
              help="只对比这些地区（逗号或顿号分隔，如 东莞,青岛）；某地区没有相关段落时也列出，并注明。")
@click.option("--doc", "doc_ids", multiple=True, help="只对比这些报告（编号可只写前几位；可多次给出）。")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="同时写出到这个 Excel 文件（段落、数据对照、数据明细）。")
@click.option("--docx", "docx_path", type=click.Path(dir_okay=False), help="同时写出到这个 Word 文件（段落及出处、数据对照表）。")
@filter_options
@model_option
@json_option
@data_option
def compare(query_or_theme, per_report, reports, chosen_regions, doc_ids, xlsx_path, docx_path,
            theme, region, year, doc_type, model, as_json, data) -> None:
    """并排对比各报告（各地区）对某一做法或主题的处理，数据按指标对齐。

    默认对比所有涉及该主题或做法的报告；--regions、--doc 指定参与对比的地区或报告。

    \b
    示例：
      edureports compare 学生资助 --per-report 2
      edureports compare 学生资助 --regions 东莞,青岛 --docx 学生资助对比.docx
      edureports compare 集团化办学 --xlsx 集团化办学.xlsx --json
    """
    from pathlib import Path

    from edureports.cli import CLIError
    from edureports.cli.tables import render
    from index.numbers import years_text
    from index.compare import aligned, column_titles, excerpt, figures_of, source_label
    from index.export import comparison_docx, comparison_xlsx

    for name, value in (("每篇报告的段落数（--per-report）", per_report), ("对比的报告数（--reports）", reports)):
        if value < 1:
            raise CLIError(f"{name}至少为 1，而不是 {value}")
    filters = _filters(theme, region, year, doc_type)
    engine = _engine(data, model)
    try:
        full = []
        for d in doc_ids:
            found = engine.store.resolve_doc_id(d)
            if not found:
                raise CLIError(f"没有编号为 {d!r} 的报告（或前几位不止对应一篇）；用 edureports docs 查看编号")
            full.append(found)
        rows = _run(lambda: engine.compare(query_or_theme, per_report, reports, filters,
                                           doc_ids=full, regions=_split(chosen_regions)), data)
        figures = figures_of(engine.store.metrics, rows)
    finally:
        engine.close()
    for path, write in ((xlsx_path, comparison_xlsx), (docx_path, comparison_docx)):
        if path and rows:
            try:
                Path(path).write_bytes(write(query_or_theme, rows, figures))
            except OSError as exc:
                raise CLIError(f"无法写出 {path}（{exc.strerror or exc}）；换一个可写的路径") from None
            click.echo(f"已写出 {len(rows)} 个地区或报告的对比到 {path}", err=True)
    if as_json:
        _print_json([r.to_dict() for r in rows])
        return
    if not rows:
        click.echo("没有匹配的报告" + ("，未写出文件" if xlsx_path or docx_path else ""), err=True)
        return
    titles = column_titles(rows)
    click.echo(click.style(f"对比：{query_or_theme}（{len(rows)} 个地区或报告）", bold=True))
    for title, row in zip(titles, rows):
        click.echo("")
        named = "" if row.title in title else f"{row.title} · "  # a column named by issuer · title says it once
        click.echo(click.style(f"【{title}】", bold=True) + f" {named}{years_text(row.years)}")
        if not row.passages:
            click.echo("  （没有相关段落）")
        for p in row.passages:
            text, spans = excerpt(p.text, p.spans, focus=getattr(p, "sentence", None))
            click.echo("  · " + _highlight(text, list(spans)).replace("\n", "\n    "))
            click.echo(f"    出处：{source_label(p)}")
    table = aligned(rows, figures)
    if table:
        click.echo("")
        click.echo(click.style("数据对照", bold=True))
        click.echo(render(["指标", *titles], [[r.label, *r.texts()] for r in table],
                          limits=[28, *[24] * len(titles)]))
