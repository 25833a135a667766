"""Commands about districts: districts, district, peers, practices, plan."""

from __future__ import annotations

import click

from edureports.cli import (  # noqa: F401 - the group and the shared helpers
    CLIError,
    _engine,
    _filters,
    _open_store,
    _print_json,
    _run,
    _years,
    data_option,
    filter_options,
    json_option,
    main,
    model_option,
)


PER_YEAR = 3  # figures of one kind and year shown in text; the JSON carries all


def _quantity(value: float, unit: str) -> str:
    from index.numbers import quantity

    return quantity(value, unit)


def _profiles(data):
    from index.districts import profiles

    store = _open_store(data)
    try:
        return profiles(store)
    finally:
        store.close()


def _find(profiles_, region: str):
    from index.districts import DistrictError, find

    try:
        return find(profiles_, region)
    except DistrictError as exc:
        raise CLIError(str(exc)) from None


def _figure(f) -> str:
    mark = "（推算）" if f.derived else ""
    return f"{f.indicator} {_quantity(f.value, f.unit)}{mark}"


def _listing(p) -> dict:
    """A listing row: DESIGN.md's keys (region, level, years, n_docs, themes) and the headline figures."""
    return {"region": p.region, "name": p.name, "key": p.key, "level": p.level, "years": list(p.years),
            "n_docs": p.n_docs, "n_passages": p.n_passages, "themes": [t.theme for t in p.themes],
            "figures": [f.to_dict() for f in p.figures]}


@main.command()
@json_option
@data_option
def districts(as_json, data) -> None:
    """列出各地区的概况：层级、年份、报告数、主要主题和关键数字。

    地区不详的报告各自单列（以标题显示）。

    \b
    示例：
      edureports districts
      edureports districts --json
    """
    rows = _profiles(data)
    if as_json:
        _print_json([_listing(p) for p in rows])
        return
    if not rows:
        click.echo("还没有导入报告；先运行 edureports ingest 文件或目录", err=True)
        return
    for p in rows:
        themes = "、".join(t.theme for t in p.themes[:4]) or "-"
        click.echo(click.style(p.name, bold=True) + f"  {p.level}  {_years(list(p.years))}  "
                   f"{p.n_docs} 篇报告、{p.n_passages} 个段落")
        click.echo(f"    主题：{themes}")
        if p.figures:
            click.echo("    数字：" + "；".join(f"{f.kind} {_figure(f)}" for f in p.figures))


def _write(path, content: bytes) -> None:
    try:
        with open(path, "wb") as out:
            out.write(content)
    except OSError as exc:
        raise CLIError(f"无法写入 {path}：{exc.strerror or exc}") from None
    click.echo(f"已写出 {path}", err=True)


def _written(result, xlsx_path, as_json: bool, workbook: str) -> bool:
    """Write --xlsx with index.analysis_export's `workbook` and print --json; True when the JSON replaces the text view.

    The exporter is imported only when a workbook is asked for: it loads numpy, which `district` otherwise never needs.
    """
    if xlsx_path:
        from index import analysis_export

        _write(xlsx_path, getattr(analysis_export, workbook)(result))
    if as_json:
        _print_json(result.to_dict())
    return as_json


XLSX = click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="同时写出到这个 Excel 文件。")


@main.command()
@click.argument("region")
@XLSX
@json_option
@data_option
def district(region, xlsx_path, as_json, data) -> None:
    """一个地区的概况：各年报告、主题变化、数字变化（推算的上年数标“推算”）。

    \b
    示例：
      edureports district 青岛市
      edureports district 东莞 --json
      edureports district 东莞 --xlsx 东莞概况.xlsx
    """
    from index.districts import DistrictError, district as full

    store = _open_store(data)
    try:
        p = full(store, region)
    except DistrictError as exc:
        raise CLIError(str(exc)) from None
    finally:
        store.close()
    if _written(p, xlsx_path, as_json, "district_xlsx"):
        return
    click.echo(click.style(p.name, bold=True) + f"  {p.level}  {_years(list(p.years))}  {p.n_docs} 篇报告")
    click.echo("报告：")
    for r in p.reports:
        click.echo(f"  {_years(list(r.years))}  {r.doc_type}  {r.title}  [{r.doc_id}]  {r.n_passages} 个段落")
    click.echo("主题：" + ("、".join(f"{t.theme}（{t.n_passages}）" for t in p.themes) or "-"))
    years = sorted({y for y, _, _ in p.theme_years})
    for y in years:
        top = sorted(((n, t) for yy, t, n in p.theme_years if yy == y), reverse=True)[:5]
        click.echo(f"  {y}：" + "、".join(f"{t}（{n}）" for n, t in top))
    if p.timeline:
        click.echo(f"数字（每类每年最大的 {PER_YEAR} 个，推算值全列；--json 给出全部）：")
        shown: dict = {}
        for f in p.timeline:
            slot = (f.kind, f.year, f.derived)
            shown[slot] = shown.get(slot, 0) + 1
            if f.derived or shown[slot] <= PER_YEAR:
                click.echo(f"  {f.kind}  {f.year or '年份不详'}  {_figure(f)}  [{f.passage_id}]")


@main.command()
@click.argument("region")
@click.option("--by", type=click.Choice(["themes", "figures", "both"]), default="both", show_default=True,
              help="按主题构成、规模数字，或两者比较。")
@click.option("--top-k", default=5, show_default=True, type=int, help="显示多少个地区。")
@json_option
@data_option
def peers(region, by, top_k, as_json, data) -> None:
    """与 REGION 可比的地区，并说明理由（共同主题、规模相近的数字）。

    \b
    示例：
      edureports peers 青岛市
      edureports peers 东莞 --by figures --top-k 3 --json
    """
    from index.peers import peers as nearest

    rows = _profiles(data)
    result = _run(lambda: nearest(rows, _find(rows, region).key, by, top_k))
    if result.note:
        click.echo(f"{result.name}：{result.note}", err=True)
    if as_json:
        _print_json([p.to_dict() for p in result.peers])
        return
    if result.peers:
        click.echo(click.style(f"与 {result.name} 可比的地区", bold=True))
    for n, p in enumerate(result.peers, 1):
        click.echo(f"{n:>2}. {p.name}  {p.level}  相似度 {p.score:.2f}")
        for reason in p.reasons:
            click.echo(f"      {reason}")


@main.command()
@click.argument("query_or_theme")
@click.option("--limit", default=200, show_default=True, type=int, help="最多取多少个段落分组。")
@filter_options
@model_option
@XLSX
@json_option
@data_option
def practices(query_or_theme, limit, theme, region, year, doc_type, model, xlsx_path, as_json, data) -> None:
    """把各地对同一主题或问题的段落归成几类做法，并列出哪个地区做了哪类。

    \b
    示例：
      edureports practices 学生资助
      edureports practices 课后服务 --json
      edureports practices 学生资助 --xlsx 资助做法.xlsx
    """
    from index.practices import practice_map

    if limit < 1:
        raise CLIError(f"段落数至少为 1，而不是 {limit}")
    filters = _filters(theme, region, year, doc_type)
    engine = _engine(data, model)
    try:
        result = _run(lambda: practice_map(engine, query_or_theme, filters, limit))
    finally:
        engine.close()
    if _written(result, xlsx_path, as_json, "practice_xlsx"):
        return
    if not result.groups:
        click.echo("没有匹配的段落", err=True)
        return
    click.echo(click.style(f"{query_or_theme}：{len(result.groups)} 类做法，{len(result.districts)} 个地区", bold=True))
    for n, g in enumerate(result.groups, 1):
        click.echo(click.style(f"{n:>2}. {g.label}", bold=True) + f"  （{len(g.passages)} 段，{len(g.districts)} 个地区）")
        click.echo(f"    关键词：{'、'.join(g.terms) or '-'}")
        click.echo(f"    代表句：{g.sentence}  [{g.sentence_passage_id}]")
        for d in g.districts:
            cell = result.cell(d, n - 1)
            click.echo(f"    · {d}：{'、'.join(cell.passage_ids) if cell else ''}")


@main.command()
@click.argument("region")
@click.option("--year", type=int, default=None, help="对照哪一年（默认：要点和总结都有的最近一年）。")
@model_option
@json_option
@data_option
def plan(region, year, model, as_json, data) -> None:
    """对照 REGION 某年的工作要点（计划）与同年工作总结：逐项标出已完成、有提及、未找到，并给出依据句。

    \b
    示例：
      edureports plan 吴兴区
      edureports plan 吴兴区 --year 2022 --json
    """
    from index.plans import plan_vs_outcome

    engine = _engine(data, model)
    try:
        result = _run(lambda: plan_vs_outcome(engine, region, year))
    finally:
        engine.close()
    if as_json:
        _print_json(result.to_dict())
        return
    counts = "，".join(f"{k} {v} 项" for k, v in result.counts().items())
    click.echo(click.style(f"{result.region} {result.year} 年：{counts}", bold=True))
    click.echo(f"要点：{result.plan.title} [{result.plan.doc_id}]")
    click.echo(f"总结：{result.summary.title} [{result.summary.doc_id}]")
    for n, item in enumerate(result.items, 1):
        click.echo(f"{n:>2}. 【{item.status}】{item.text}")
        if item.evidence:
            click.echo(f"      依据：{item.evidence}  [{item.passage_id}]")
