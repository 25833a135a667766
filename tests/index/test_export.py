"""Exports read back as a user opens them: CSV in Excel, the workbook in openpyxl, the briefing in Word."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from index.export import HEADERS, comparison_docx, comparison_xlsx, to_csv, to_xlsx
from index.records import Comparison, Hit, MetricRow


def metric(pid="g.p002", indicator="校舍面积", value=3.1e6, unit="平方米", qualifier="", raw="310万平方米",
           role="", masked=False, sentence="校舍面积310万平方米。") -> MetricRow:
    return MetricRow("g", "archive/东莞.txt", "2016年工作报告", "广东省东莞市", (2016, 2017), pid, indicator, value,
                     unit, qualifier, raw, sentence, masked, False, role, 1 if role == "change" else 0, 0, 0,
                     ("学校建设与学位",))


ROWS = [
    metric(),
    metric(indicator="投入", value=1.3e8, unit="元", raw="1.3亿元"),
    metric(indicator="社会满意度", value=96.65, unit="%", qualifier="达", raw="达96.65%"),
    metric(indicator="社会满意度", value=1.3, unit="个百分点", raw="1.3个百分点", role="change",
           sentence="社会满意度达96.65%，较上年提高1.3个百分点。"),
    metric(indicator="教师", value=None, unit="名", raw="xx名", masked=True),
    metric(indicator="家长满意度", value=90, unit="%", qualifier="以上", raw="90%以上"),
]


def test_csv_carries_the_figure_as_written_and_the_value_as_plain_digits():
    lines = list(csv.reader(io.StringIO(to_csv(ROWS).decode("utf-8-sig"))))
    assert lines[0] == HEADERS
    col = {h: i for i, h in enumerate(HEADERS)}
    shown = [(r[col["数据（报告写法）"]], r[col["数值"]], r[col["角色"]], r[col["标记"]]) for r in lines[1:]]
    assert shown == [
        ("310万平方米", "3100000", "", ""),
        ("1.3亿元", "130000000", "", ""),
        ("达96.65%", "96.65", "", ""),
        ("较上年 +1.3个百分点", "1.3", "变化量", ""),
        ("xx名（遮盖）", "", "", "遮盖"),
        ("90%以上", "90", "", ""),
    ]
    text = to_csv(ROWS).decode("utf-8-sig")
    assert "e+" not in text and "None" not in text and "nan" not in text


def test_excel_keeps_numbers_as_numbers_with_a_number_format(tmp_path):
    path = tmp_path / "指标.xlsx"
    path.write_bytes(to_xlsx(ROWS))
    sheet = load_workbook(path)["指标"]
    assert [c.value for c in sheet[1]] == HEADERS
    value = HEADERS.index("数值") + 1
    cells = [sheet.cell(r, value) for r in range(2, 8)]
    assert [c.value for c in cells] == [3100000, 130000000, 96.65, 1.3, None, 90]
    assert [c.number_format for c in cells if c.value is not None] == ["#,##0", "#,##0", '0.00"%"', "#,##0.00", '0"%"']
    assert sheet.cell(2, HEADERS.index("年份") + 1).value == "2016、2017"


def _comparison():
    def hit(pid, region, doc, text):
        return Hit(pid, doc, f"archive/{doc}.txt", f"{region}2016年教育工作报告", region, (2016,), "工作报告",
                   ("工作报告",), "一、工作回顾", text, 1.0, (), 0, len(text))

    cols = [
        Comparison("广东省东莞市", "g", "东莞2016年教育工作报告", (2016,), "archive/g.txt", 1.0,
                   (hit("g.p002", "广东省东莞市", "g", "四是落实助学减免政策，共向5.86万人次学生发放助学金。"),)),
        Comparison("", "x", "2023年县教育督导工作总结", (2023,), "archive/x.txt", 0.0, (), "县督导室"),
    ]
    figures = {"g.p002": [metric(indicator="助学金", value=58600, unit="人次", qualifier="", raw="5.86万人次")]}
    return cols, figures


def test_a_comparison_workbook_has_passages_aligned_figures_and_numbers(tmp_path):
    cols, figures = _comparison()
    path = tmp_path / "对比.xlsx"
    path.write_bytes(comparison_xlsx("学生资助", cols, figures))
    book = load_workbook(path)
    assert book.sheetnames == ["段落", "数据对照", "数据明细"]
    passages = [[c.value for c in row] for row in book["段落"].iter_rows(min_row=2)]
    assert passages[0][0] == "广东省东莞市" and "5.86万人次" in passages[0][4]
    assert passages[0][5] == "g.txt · 一、工作回顾 · 第3段"
    assert passages[1][0] == "县督导室 · 2023年县教育督导工作总结" and passages[1][4] == "（没有相关段落）"
    grid = [[c.value for c in row] for row in book["数据对照"].iter_rows()]
    assert grid == [["指标", "广东省东莞市", "县督导室 · 2023年县教育督导工作总结"], ["助学金", "5.86万人次", "—"]]
    detail = book["数据明细"]
    assert detail.cell(2, HEADERS.index("数值") + 1).value == 58600


def test_a_comparison_briefing_in_word_has_sources_and_a_figure_table(tmp_path):
    from docx import Document

    cols, figures = _comparison()
    path = tmp_path / "对比.docx"
    path.write_bytes(comparison_docx("学生资助", cols, figures))
    doc = Document(str(path))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "对比：学生资助"
    assert "四是落实助学减免政策，共向5.86万人次学生发放助学金。" in text
    assert "出处：g.txt · 一、工作回顾 · 第3段" in text
    assert "没有相关段落。" in text
    from docx.oxml.ns import qn

    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    table = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert table == [["指标", "广东省东莞市", "县督导室 · 2023年县教育督导工作总结"], ["助学金", "5.86万人次", "—"]]
