"""Practice maps and district profiles as Excel workbooks with Chinese headers (command line and app alike)."""

from __future__ import annotations

from index.districts import DistrictProfile
from index.export import headed, workbook_bytes
from index.numbers import years_text
from index.practices import PracticeMap

PRACTICE_HEADERS = ["编号", "做法", "关键词", "代表句", "代表句段落ID", "地区数", "段落数"]
PASSAGE_HEADERS = ["做法编号", "做法", "地区或报告", "报告标题", "年份", "章节", "段落ID", "段落"]


def _years(years) -> str:
    return years_text(years) if years else ""


def _book():
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def _sheet(book, title: str, headers: list[str], rows: list[list]):
    sheet = book.create_sheet(title)
    headed(sheet, headers)
    for row in rows:
        sheet.append(row)
    return sheet


def practice_xlsx(m: PracticeMap) -> bytes:
    """Three sheets: 做法 (one row a practice), 地区×做法 (each cell the passage ids), 段落 (every passage)."""
    book = _book()
    _sheet(book, "做法", PRACTICE_HEADERS, [
        [n, g.label, "、".join(g.terms), g.sentence, g.sentence_passage_id, len(g.districts), len(g.passages)]
        for n, g in enumerate(m.groups, 1)])
    matrix = []
    for d in m.districts:
        row = [d]
        for n in range(len(m.groups)):
            cell = m.cell(d, n)
            row.append("、".join(cell.passage_ids) if cell else "")
        matrix.append(row)
    _sheet(book, "地区×做法", ["地区或报告", *(f"{n}. {g.label}" for n, g in enumerate(m.groups, 1))], matrix)
    _sheet(book, "段落", PASSAGE_HEADERS, [
        [n, g.label, p.district, p.title, _years(p.years), p.heading, p.passage_id, p.text]
        for n, g in enumerate(m.groups, 1) for p in g.passages])
    return workbook_bytes(book)


def district_xlsx(p: DistrictProfile) -> bytes:
    """Three sheets: 报告, 主题 (by year), 数字 (every key figure by year; 推算 marks derived previous-year values)."""
    from index.numbers import quantity

    book = _book()
    _sheet(book, "报告", ["报告ID", "标题", "文种", "年份", "段落数"],
           [[r.doc_id, r.title, r.doc_type, _years(r.years), r.n_passages] for r in p.reports])
    _sheet(book, "主题", ["年份", "主题", "段落数"], [[y, t, n] for y, t, n in p.theme_years])
    _sheet(book, "数字", ["类别", "年份", "指标", "数据（报告写法）", "数值", "单位", "推算", "段落ID", "所在句子"], [
        [f.kind, f.year or "", f.indicator, quantity(f.value, f.unit), f.value, f.unit, "推算" if f.derived else "",
         f.passage_id, f.sentence] for f in p.timeline])
    return workbook_bytes(book)
