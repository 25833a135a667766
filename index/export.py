"""Figures and comparisons as files for people: CSV, Excel and Word with Chinese headers.

The command line and the app export through these, so a column added here
appears in both. Every table carries the figure as a report writes it
(index.numbers: 5.86万人次, 较上年 +1.3个百分点, xx所（遮盖）); Excel keeps the
value a number in its base unit, with a number format, so it can be summed.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence

from index.compare import aligned, column_titles, excerpt, source_label
from index.numbers import figure_text, flags, role_label, years_text
from index.records import Comparison, MetricRow

COLUMNS = [
    ("region", "地区"), ("years", "年份"), ("title", "报告标题"), ("indicator", "指标"), ("text", "数据（报告写法）"),
    ("value", "数值"), ("unit", "单位"), ("qualifier", "限定词"), ("role", "角色"), ("flags", "标记"),
    ("raw", "原文"), ("sentence", "所在句子"), ("themes", "主题"), ("source", "来源文件"), ("doc_id", "报告ID"),
    ("passage_id", "段落ID"),
]
HEADERS = [label for _, label in COLUMNS]
# Excel number formats: a percentage stays 96.65 (as written), shown with its sign; counts grouped by thousands.
PERCENT_FORMAT = '0.00"%"'
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
BODY_FONT = "宋体"


def plain(value) -> str:
    """A number as CSV text: digits and a point, never e-notation; '' for none.

    >>> plain(3.1e6), plain(96.65), plain(1e16), plain(None), plain(float("nan"))
    ('3100000', '96.65', '10000000000000000', '', '')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _number(value):
    """A value for an Excel cell: int when whole, float otherwise, None (an empty cell) when there is none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


def number_format(value, unit: str) -> str:
    """The Excel number format of a value: '0.00"%"' for a percentage (96.65 stays 96.65), '#,##0' for a count.

    >>> number_format(96.65, "%"), number_format(31, "%"), number_format(29200, "名"), number_format(2.5, "岁")
    ('0.00"%"', '0"%"', '#,##0', '#,##0.00')
    """
    whole = value is not None and float(value).is_integer()
    if unit in ("%", "％"):
        return '0"%"' if whole else PERCENT_FORMAT
    return INTEGER_FORMAT if whole else DECIMAL_FORMAT


def cell(row: Mapping, key: str):
    """A value as a person reads it; `value` stays a number (None when there is none)."""
    if key == "text":
        return figure_text(row)
    if key == "flags":
        return flags(row)
    value = row.get(key)
    if key == "years":
        return _years(value)
    if key == "themes":
        return "、".join(str(v) for v in value or ())
    if key == "role":
        return role_label(value)
    if key == "value":
        return _number(value)
    return "" if value is None else value


def _years(years) -> str:
    return years_text(years)


def _rows(rows: Sequence) -> list[Mapping]:
    return [r.to_dict() if isinstance(r, MetricRow) else r for r in rows]


def table(rows: Sequence) -> list[list]:
    """Metric rows (MetricRow or their dicts) as table lines in the order of HEADERS."""
    return [[cell(r, k) for k, _ in COLUMNS] for r in _rows(rows)]


def to_csv(rows: Sequence) -> bytes:
    """UTF-8 with BOM, so that Excel opens the Chinese correctly; 数值 as plain digits, empty when none."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    at = HEADERS.index("数值")
    for line in table(rows):
        line[at] = plain(line[at])
        writer.writerow(line)
    return out.getvalue().encode("utf-8-sig")


def headed(sheet, headers: list[str], widths: Sequence[int] = ()) -> None:
    """A sheet's bold header row, frozen, with column widths: every workbook the project writes starts so."""
    from openpyxl.styles import Font

    sheet.append(headers)
    for c in sheet[1]:
        c.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = width


def _metric_sheet(sheet, rows: Sequence) -> None:
    headed(sheet, HEADERS, [20, 10, 30, 18, 20, 12, 8, 8, 8, 10, 16, 50, 20, 24, 16, 20])
    at = HEADERS.index("数值") + 1
    for r, line in zip(_rows(rows), table(rows)):
        sheet.append(line)
        if line[at - 1] is not None:
            sheet.cell(sheet.max_row, at).number_format = number_format(line[at - 1], r.get("unit", ""))


def workbook_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_xlsx(rows: Sequence) -> bytes:
    """One sheet 指标: the figures with Chinese headers; 数值 a number with a number format."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "指标"
    _metric_sheet(sheet, rows)
    return workbook_bytes(book)


# -- comparisons -----------------------------------------------------------------


def _passages(columns: Sequence[Comparison]) -> list[list[str]]:
    titles = column_titles(columns)
    out = []
    for title, c in zip(titles, columns):
        years = _years(c.years)
        if not c.passages:
            out.append([title, c.title, years, "", "（没有相关段落）", ""])
        for p in c.passages:
            text, _ = excerpt(p.text, p.spans, focus=getattr(p, "sentence", None))
            out.append([title, c.title, years, p.heading, text, source_label(p)])
    return out


PASSAGE_HEADERS = ["地区或报告", "报告标题", "年份", "章节", "段落", "出处"]


def comparison_xlsx(query: str, columns: Sequence[Comparison],
                    figures: Mapping[str, Sequence[MetricRow]] | None = None) -> bytes:
    """A comparison as a workbook: 段落 (each column's passages with their sources), 数据对照 (one row per
    indicator, one column per report, as written) and 数据明细 (every figure, values as numbers).

    `figures` maps passage_id to its figures (index.compare.figures_of); without it only 段落 is written.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    sheet = book.active
    sheet.title = "段落"
    headed(sheet, PASSAGE_HEADERS, [22, 30, 10, 24, 80, 40])
    for line in _passages(columns):
        sheet.append(line)
        sheet.cell(sheet.max_row, 5).alignment = Alignment(wrap_text=True, vertical="top")
    if figures is not None:
        titles = column_titles(columns)
        grid = book.create_sheet("数据对照")
        headed(grid, ["指标", *titles], [22, *[24] * len(titles)])
        for row in aligned(columns, figures):
            grid.append([row.label, *row.texts()])
        detail = book.create_sheet("数据明细")
        _metric_sheet(detail, [m for c in columns for p in c.passages for m in figures.get(p.passage_id, ())])
    book.properties.title = f"对比：{query}"
    return workbook_bytes(book)


def comparison_docx(query: str, columns: Sequence[Comparison],
                    figures: Mapping[str, Sequence[MetricRow]] | None = None) -> bytes:
    """A comparison as a Word document for a briefing: per column its passages with their sources,
    then the figures as one table (one row per indicator, one column per report)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    # Word picks a Latin font for CJK text unless the East Asian font is named: 宋体, as briefings are set.
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    doc.add_heading(f"对比：{query}", level=1)
    titles = column_titles(columns)
    doc.add_paragraph(f"共 {len(columns)} 个地区或报告：{'、'.join(titles)}")
    for title, c in zip(titles, columns):
        doc.add_heading(title, level=2)
        years = years_text(c.years) if c.years else ""
        doc.add_paragraph(f"{c.title}{'（' + years + '）' if years else ''}")
        if not c.passages:
            doc.add_paragraph("没有相关段落。")
        for p in c.passages:
            text, _ = excerpt(p.text, p.spans, focus=getattr(p, "sentence", None))
            doc.add_paragraph(text)
            source = doc.add_paragraph(f"出处：{source_label(p)}")
            for run in source.runs:
                run.italic = True
                run.font.size = Pt(9)
    rows = aligned(columns, figures) if figures else []
    if rows:
        doc.add_heading("数据对照", level=2)
        grid = doc.add_table(rows=1, cols=len(titles) + 1)
        grid.style = "Table Grid"
        for i, head in enumerate(["指标", *titles]):
            grid.rows[0].cells[i].text = head
        for row in rows:
            cells = grid.add_row().cells
            for i, text in enumerate([row.label, *row.texts()]):
                cells[i].text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
