"""The figures command: metrics with filters, pivot and CSV/Excel export."""

from __future__ import annotations

from pathlib import Path

import click

from edureports.cli import (  # noqa: F401 - the group and the shared helpers
    CLIError,
    _filters,
    _open_store,
    _print_json,
    data_option,
    json_option,
    main,
)
from edureports.cli.tables import render
from index.numbers import years_text


def _pivot(rows: list[dict]) -> list[dict]:
    """Each indicator (and unit) across regions and years: the figures each report gives, as a report writes them.

    社会满意度 and 家长满意度, or 学位 in 个 and in %, are separate lines, never
    merged. Changes, starting values and masked placeholders are left out: a
    pivot compares levels, and a change (较上年 +1.3个百分点) is not one.
    """
    from index.numbers import figure_text
    from ingest.types import Role

    cells: dict[tuple[str, str, str, str], list[str]] = {}
    for r in rows:
        if r["masked"] or r["role"] in (Role.FROM, Role.CHANGE) or (r["value"] is None and r.get("low") is None):
            continue
        key = (r["indicator"] or "未识别指标", r["unit"], r["region"] or "地区不详", years_text(r["years"]))
        cells.setdefault(key, []).append(figure_text(r))
    return [{"indicator": indicator, "unit": unit, "region": region, "years": years, "values": values}
            for (indicator, unit, region, years), values in sorted(cells.items())]


@main.command()
@click.option("--doc", "doc_id", default="", help="只看这篇报告的数据。")
@click.option("--indicator", default="", help="只看指标名包含这段文字的数据（满意度、学位 …）。")
@click.option("--theme", default="", help="只看这一主题（或其子主题）段落里的数据。")
@click.option("--region", default="", help="只看地区包含这段文字的报告。")
@click.option("--year", default="", help="只看涉及这一年份或年份范围的报告（2021、2021年、2019-2021、2019至2021）。")
@click.option("--pivot", is_flag=True, help="配合 --indicator：每个指标（及单位）按地区和年份列出，不同指标不合并。")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="同时写出到这个 CSV 文件。")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="同时写出到这个 Excel 文件。")
@json_option
@data_option
def metrics(doc_id, indicator, theme, region, year, pivot, csv_path, xlsx_path, as_json, data) -> None:
    """报告中的数据：数值、单位、指标及出处。

    数值换算为基本单位（34.48万元 -> 344800 元）；模板占位（xx名）没有数值；
    疑似转换错误的（与年份相同的数量）标为存疑。

    \b
    示例：
      edureports metrics --indicator 满意度
      edureports metrics --region 东莞 --xlsx 东莞指标.xlsx
      edureports metrics --indicator 学位 --pivot
    """
    from index.filters import FilterError
    from index.numbers import figure_text, flags, role_label

    if pivot and not indicator:
        raise CLIError("--pivot 需要同时给出 --indicator（要跨地区、年份比较的指标）")
    filters = _filters(theme, region, year)
    from edureports.cli.archive import _readable

    store = _open_store(data)
    try:
        with _readable(store):
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
            click.echo(render(["指标", "地区", "年份", "数据"],
                              [[t["indicator"], t["region"], t["years"], "；".join(t["values"])] for t in table],
                              shrink=[3, 0]))
        return
    if as_json:
        _print_json(rows)
        return
    if not rows:
        click.echo("没有匹配的数据", err=True)
        return
    click.echo(render(
        ["地区", "年份", "指标", "数据", "角色", "标记", "原文", "段落"],
        [[r["region"] or "地区不详", years_text(r["years"]), r["indicator"], figure_text(r), role_label(r["role"]),
          flags(r), r["raw"], r["passage_id"]] for r in rows],
        limits=[18, 12, 16, 24, 6, 10, 18, 24], shrink=[6, 0, 2, 1]))
