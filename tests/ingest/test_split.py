"""Compilations of several reports in one file: each separator form splits, strays never do."""

from __future__ import annotations

import pytest

from ingest.split import announced_count, split_reports
from ingest.types import Line

_BODY = "全县教育系统围绕年度目标扎实推进各项工作，学位供给持续扩大，教育质量稳步提升，群众满意度明显提高。"


def _lines(*texts: str) -> list[Line]:
    return [Line(t, i, i) for i, t in enumerate(texts)]


def _report(title: str) -> list[str]:
    return [title, "一、主要成绩", _BODY, "二、下一步打算", _BODY]


def _titles(lines: list[Line]) -> list[str]:
    return [p.own_title for p in split_reports(lines)]


A, B, C = "甲县教育局2021年工作总结", "乙区教育局2022年工作总结", "丙市教育局2023年工作要点"


@pytest.mark.parametrize(
    "separators",
    [
        ["某地教育局工作总结范文(一)", "某地教育局工作总结范文(二)", "某地教育局工作总结范文(三)"],
        ["【篇一】", "【篇二】", "【篇三】"],
        ["第一篇", "第二篇", "第三篇"],
        ["第1篇", "第2篇", "第3篇"],
        ["范文1", "范文2", "范文3"],
        ["教育局年度工作总结篇1", "教育局年度工作总结篇2", "教育局年度工作总结篇3"],
        ["幼儿园工作总结1", "幼儿园工作总结2", "幼儿园工作总结3"],
        ["教育局季度工作总结一", "教育局季度工作总结二", "教育局季度工作总结三"],
        ["工作总结（第一篇）", "工作总结（第二篇）", "工作总结（第三篇）"],
        ["学校工会工作总结 篇一", "学校工会工作总结 篇二", "学校工会工作总结 篇三"],
    ],
)
def test_each_separator_form_splits_into_one_report_each(separators):
    lines = _lines("教育工作总结合集", *separators[:1], *_report(A), *separators[1:2], *_report(B), *separators[2:], *_report(C))
    parts = split_reports(lines)
    assert [p.own_title for p in parts] == [A, B, C]
    assert [p.title for p in parts] == separators
    # The separator is the compilation's: it names the part, it is not in the report's text.
    assert [p.lines[0].text for p in parts] == [A, B, C]
    assert not any(ln.text in separators for p in parts for ln in p.lines)


def test_a_separator_line_carrying_the_title():
    lines = _lines(f"篇一：{A}", *_report(A)[1:], f"篇二：{B}", *_report(B)[1:])
    assert _titles(lines) == [A, B]


def test_the_first_report_without_its_separator_is_cut_before_the_second():
    """The page title lists 【篇一】【篇二】; the body only marks the second report."""
    lines = _lines("幼儿园年度工作总结【篇一】【篇二】", *_report(A), "【篇二】", *_report(B))
    parts = split_reports(lines)
    assert [p.own_title for p in parts] == [A, B]
    assert [p.lines[0].text for p in parts] == [A, B]


@pytest.mark.parametrize("header", ["教育局工作总结【范例3篇】", "教育工作要点精选(三篇)", "教育局年终工作总结范文(通用3篇)"])
def test_an_announced_count_is_read_and_never_splits(header):
    lines = _lines(header, "范文1", *_report(A), "范文2", *_report(B), "范文3", *_report(C))
    assert announced_count(lines) == 3
    assert _titles(lines) == [A, B, C]


def test_a_count_header_alone_splits_nothing():
    lines = _lines("教育局工作总结【范例4篇】", *_report(A))
    assert len(split_reports(lines)) == 1


def test_stray_ordinals_never_split_a_report():
    lines = _lines(
        A, "一、主要成绩", "（二）加强队伍建设", _BODY, "二、工作总结(二)", _BODY, "材料二", _BODY, "第二篇章", _BODY,
        "工作计划2", _BODY,
    )
    assert len(split_reports(lines)) == 1


def test_ordinals_out_of_order_do_not_split():
    lines = _lines("范文2", *_report(A), "范文1", *_report(B), "范文3", *_report(C))
    assert len(split_reports(lines)) == 1


def test_splitting_keeps_every_report_line_in_order():
    lines = _lines("合集", "【篇一】", *_report(A), "【篇二】", *_report(B))
    parts = split_reports(lines)
    assert [ln for p in parts for ln in p.lines] == lines[2:7] + lines[8:]


def test_separators_glued_into_a_page_that_lost_its_breaks():
    """A preview page in one line: '…仅供参考。督导工作总结1今年上半年，…。督导工作总结2…'."""
    intro = "以下内容整理了几篇督导工作总结，仅供参考。"
    one = "督导工作总结1今年上半年，" + _BODY * 3
    two = "督导工作总结2本学期以来，" + _BODY * 3
    three = "督导工作总结3一年来，" + _BODY * 3
    parts = split_reports(_lines("督导工作总结（精选3篇）", intro + one + two + three))
    assert [p.title for p in parts] == ["督导工作总结1", "督导工作总结2", "督导工作总结3"]
    assert parts[1].lines[0].text == "本学期以来，" + _BODY * 3
    assert {ln.first for p in parts for ln in p.lines} == {1}


def test_a_numbered_name_inside_one_report_does_not_cut_it():
    text = "根据工作计划1号文件的要求，" + _BODY * 4 + "这是工作总结1。" + _BODY * 3
    assert len(split_reports(_lines(A, text))) == 1


def test_a_numbered_table_of_contents_splits_a_compilation_without_separators():
    lines = _lines("2022年工作总结汇编", f"1.{A}2", f"2.{B} 6", *_report(A), *_report(B))
    parts = split_reports(lines)
    assert [p.own_title for p in parts] == [A, B]
    assert parts[1].lines[0].text == B


def test_a_contents_list_whose_titles_are_not_found_splits_nothing():
    lines = _lines(f"1.{A}2", f"2.{B} 6", *_report(A))
    assert len(split_reports(lines)) == 1


def test_a_separator_opening_the_line_of_its_report():
    """'学校工作计划 篇1为贯彻…': each report's first line starts with its separator."""
    lines = _lines("学校工作计划8篇", "学校工作计划 篇1为贯彻上级文件精神，" + _BODY * 3, *_report(A)[1:],
                   "学校工作计划 篇2新学期开始了，" + _BODY * 3, *_report(B)[1:])
    parts = split_reports(lines)
    assert [p.title for p in parts] == ["学校工作计划 篇1", "学校工作计划 篇2"]
    assert parts[1].lines[0].text.startswith("新学期开始了")


def test_separators_listed_as_contents_before_the_reports():
    """'第1篇 …', '第2篇 …' at the top list the reports; the same separators then head them."""
    lines = _lines(f"第1篇 {A}", f"第2篇 {B}", f"【第1篇】{A}", *_report(A)[1:], f"【第2篇】{B}", *_report(B)[1:])
    parts = split_reports(lines)
    assert [p.own_title for p in parts] == [A, B]
    assert parts[0].title == f"【第1篇】{A}"
    assert parts[0].lines[0].text == A  # the title on the separator line stays, the ordinal goes
    assert parts[0].lines[0].first == 2


def test_a_contents_list_without_page_numbers():
    lines = _lines("汇编", f"1.{A}", f"2.{B}", *_report(A), *_report(B))
    assert _titles(lines) == [A, B]


def test_separators_with_no_report_after_them_leave_the_file_whole():
    lines = _lines(f"第1篇 {A}", f"第2篇 {B}", "第3篇", _BODY)
    assert len(split_reports(lines)) == 1


@pytest.mark.parametrize("separator", ["第1篇 " + A, "【篇一】", "范文一：" + A])
def test_a_page_showing_only_the_first_report_loses_its_ordinal(separator):
    """A site may show only the first of a compilation ('县教育工作总结（通用10篇）' / '第1篇 …')."""
    lines = _lines("县教育工作总结（通用10篇）", separator, *( _report(A)[1:] if separator.endswith(A) else _report(A)))
    (part,) = split_reports(lines)
    assert part.title == separator and part.own_title == A
    assert [ln.text for ln in part.lines[:2]] == ["县教育工作总结（通用10篇）", A]


def test_a_numbered_heading_with_an_ordinal_is_not_a_lone_separator():
    lines = _lines(A, "二、工作总结(二)", _BODY, "第二篇章", _BODY)
    assert split_reports(lines)[0].lines == lines
