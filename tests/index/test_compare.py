"""对比: columns an analyst can put in a briefing — named, chosen, cut at sentences, figures aligned."""

from __future__ import annotations

import pytest

from index.compare import aligned, column_titles, excerpt, figures_of, source_label
from index.records import Comparison, Hit, MetricRow
from index.search import SearchError

UNKNOWN_REGION_DOC = "0749d752dd64"  # the county supervision summary: no region, issuer 县督导室


def hit(pid: str, doc: str, text: str = "段落。", region: str = "") -> Hit:
    return Hit(pid, doc, "archive/东莞_2016.txt", "2016年工作总结", region, (2016,), "工作总结", ("工作总结",),
               "一、工作回顾", text, 1.0, (), 0, len(text))


def metric(pid: str, indicator: str, value: float, unit: str, role: str = "", masked: bool = False) -> MetricRow:
    raw = f"xx{unit}" if value is None else f"{value:g}{unit}"
    return MetricRow("d", "s", "t", "", (2016,), pid, indicator, value, unit, "", raw,
                     f"{indicator}较上年增加{raw}。", masked, False, role, 1 if role else 0, 0, 0)


def test_an_excerpt_is_whole_sentences_with_ellipses_where_cut():
    text = "甲" * 200 + "。" + "乙" * 150 + "，落实助学政策。" + "丙" * 200 + "。"
    at = text.index("落实助学")
    cut, spans = excerpt(text, [(at, at + 4)], limit=300)
    assert cut == "…" + "乙" * 150 + "，落实助学政策。" + "…"  # the sentence of the highlight, both cuts marked
    assert cut[spans[0][0]:spans[0][1]] == "落实助学"
    long = "这是一个很长的句子，" * 40 + "。"
    short, _ = excerpt(long, limit=300)
    assert short.endswith("，…") and len(short) <= 301  # one sentence over the limit: cut at a clause mark
    assert excerpt("短句。", limit=300) == ("短句。", ())


def test_columns_are_named_by_region_or_by_issuer_and_title():
    a = Comparison("广东省东莞市", "d1", "2016年工作报告", (2016,), "a.txt", 1.0, ())
    b = Comparison("", "d2", "2023年县教育督导8月份工作总结", (2023,), "b.txt", 1.0, (), "县督导室")
    c = Comparison("", "d3", "工作要点", (), "c.txt", 1.0, ())
    assert column_titles([a, b, c]) == ["广东省东莞市", "县督导室 · 2023年县教育督导8月份工作总结", "工作要点"]
    twins = [Comparison("广东省东莞市", "d1", "甲", (2016,), "a", 1.0, ()),
             Comparison("广东省东莞市", "d2", "乙", (2017,), "b", 1.0, ())]
    assert column_titles(twins) == ["广东省东莞市（2016）", "广东省东莞市（2017）"]


def test_the_same_indicator_is_one_row_across_columns_and_changes_are_apart():
    cols = [Comparison("山东省青岛市", "q", "t", (2017,), "s", 1.0, (hit("q.p001", "q"),)),
            Comparison("广东省东莞市", "g", "t", (2016,), "s", 1.0, (hit("g.p002", "g"),))]
    figures = {
        "q.p001": [metric("q.p001", "新增学位", 2e4, "个"), metric("q.p001", "投入", 1.3e8, "元")],
        "g.p002": [metric("g.p002", "新增学位", 3.5e4, "个"), metric("g.p002", "新增学位", 23.8, "%", "change"),
                   metric("g.p002", "教师", None, "名", masked=True)],
    }
    figures["q.p001"] += [metric("q.p001", "专职督学", 25, "人", "from"), metric("q.p001", "专职督学", 29, "人", "to")]
    rows = aligned(cols, figures)
    assert [(r.label, r.texts()) for r in rows] == [
        ("新增学位（个）", ["2万个", "3.5万个"]),
        ("投入", ["1.3亿元", "—"]),
        ("专职督学", ["由25人到29人", "—"]),
        ("新增学位（%）（变化）", ["—", "较上年 +23.8%"]),
    ]


def test_a_source_is_cited_as_file_section_and_paragraph():
    assert source_label(hit("g.p002", "g")) == "东莞_2016.txt · 一、工作回顾 · 第3段"


def test_compare_chooses_regions_and_reports(engine):
    every = engine.compare("学生资助", per_report=2, reports=20)
    assert len({c.region for c in every if c.region}) >= 2
    two = engine.compare("学生资助", per_report=2, regions=["青岛", "济南"])
    assert {c.region for c in two} == {"山东省青岛市", "山东省济南市市中区"}
    # A chosen report with nothing on the subject is still a column, without passages.
    picked = engine.compare("学生资助", doc_ids=[UNKNOWN_REGION_DOC, two[0].doc_id])
    by_id = {c.doc_id: c for c in picked}
    assert set(by_id) == {UNKNOWN_REGION_DOC, two[0].doc_id} and by_id[two[0].doc_id].passages
    assert column_titles([by_id[UNKNOWN_REGION_DOC]]) == ["县督导室 · 2023年县教育督导8月份工作总结"]
    figures = figures_of(engine.store.metrics, two)
    assert any("1.3亿元" in r.texts() for r in aligned(two, figures))


def test_compare_refuses_a_region_or_report_the_archive_does_not_have(engine):
    with pytest.raises(SearchError) as err:
        engine.compare("学生资助", regions=["北京"])
    assert str(err.value) == "没有地区包含“北京”的报告"
    with pytest.raises(SearchError) as err:
        engine.compare("学生资助", regions=["青岛市南"])
    assert str(err.value).startswith("没有地区包含“青岛市南”的报告；相近的地区：山东省青岛市")
    with pytest.raises(SearchError) as err:
        engine.compare("学生资助", doc_ids=["nope"])
    assert str(err.value) == "没有编号为 'nope' 的报告；用 edureports docs 查看编号"
