"""Metric rows as tables for people: Chinese headers, CSV and Excel bytes.

The command line and the app export through these, so a column added here
appears in both.
"""

from __future__ import annotations

import csv
import io

from ingest.types import Role

COLUMNS = [
    ("doc_id", "报告ID"), ("source", "来源文件"), ("title", "报告标题"), ("region", "地区"), ("years", "年份"),
    ("indicator", "指标"), ("value", "数值"), ("unit", "单位"), ("qualifier", "限定词"), ("raw", "原文"),
    ("role", "角色"), ("masked", "已遮盖"), ("suspect", "存疑"), ("sentence", "所在句子"), ("passage_id", "段落ID"),
    ("themes", "主题"),
]
HEADERS = [label for _, label in COLUMNS]
# What a figure is in a comparison (ingest.types.Role values), as a reader says it.
ROLE_LABELS = {Role.NONE: "", Role.FROM: "原值", Role.TO: "现值", Role.CHANGE: "变化量"}


def cell(row: dict, key: str):
    """A value as a person reads it; numbers stay numbers."""
    value = row[key]
    if key in ("years", "themes"):
        return "、".join(str(v) for v in value)
    if key in ("masked", "suspect"):
        return "是" if value else ""
    if key == "role":
        return ROLE_LABELS.get(value, value)
    return value


def table(rows: list[dict]) -> list[list]:
    return [[cell(r, k) for k, _ in COLUMNS] for r in rows]


def to_csv(rows: list[dict]) -> bytes:
    """UTF-8 with BOM, so that Excel opens the Chinese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(table(rows))
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(HEADERS)
    for line in table(rows):
        sheet.append(line)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
