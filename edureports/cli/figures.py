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
