"""Figures as a Chinese report writes them, in every table the analyst sees."""

from __future__ import annotations

import pytest

from index.numbers import figure_line, figure_text, flags, number, quantity, role_label, span
from index.records import MetricRow


def row(**kw) -> MetricRow:
    base = dict(doc_id="d", source="s.txt", title="t", region="广东省东莞市", years=(2016,), passage_id="d.p001",
                indicator="新增学位", value=2e4, unit="个", qualifier="近", raw="近2万个",
                sentence="新增学位近2万个。", masked=False, suspect=False, role="", direction=0,
                char_start=0, char_end=5)
    base.update(kw)
    return MetricRow(**base)


@pytest.mark.parametrize(
    "value,unit,qualifier,text",
    [
        (3.1e6, "平方米", "", "310万平方米"),
        (1.3e8, "元", "", "1.3亿元"),
        (58600, "人次", "", "5.86万人次"),
        (344800, "元", "", "34.48万元"),
        (35000, "个", "", "3.5万个"),
        (12345, "人", "", "12,345人"),  # not exact in 万 to two places: grouped digits, never rounded away
        (123450000, "元", "", "12345万元"),
        (3200, "人", "", "3200人"),  # four digits stay ungrouped
        (96.65, "%", "", "96.65%"),
        (1.3, "个百分点", "", "1.3个百分点"),
        (2e4, "个", "近", "近2万个"),
        (3000, "人", "约", "约3000人"),
        (90, "%", "以上", "90%以上"),
        (95, "%", "不低于", "不低于95%"),
        (2e4, "人", "余", "2万余人"),
        (300, "所", "多", "300多所"),
        (1000, "人", "左右", "1000人左右"),
        (0.68e4, "人", "", "6800人"),
        (15000, "%", "", "15000%"),  # a ratio never takes 万
        (-25, "人", "", "-25人"),
        (None, "所", "", "—"),
        (float("nan"), "元", "", "—"),
    ],
)
def test_quantities_read_as_a_report_writes_them(value, unit, qualifier, text):
    out = quantity(value, unit, qualifier)
    assert out == text
    assert "e+" not in out and "None" not in out and "nan" not in out.lower() and "?" not in out


def test_no_scientific_notation_anywhere_on_a_wide_range():
    for exp in range(-6, 16):
        for mantissa in (1, 1.5, 3.14159, 9.99):
            text = number(mantissa * 10 ** exp)
            assert "e" not in text.lower() and text not in ("", "None")


def test_a_change_is_a_change_against_its_baseline():
    change = row(indicator="社会满意度", value=1.3, unit="个百分点", qualifier="", raw="1.3个百分点",
                 sentence="社会满意度达96.65%，较上年提高1.3个百分点。", role="change", direction=1)
    assert figure_text(change) == "较上年 +1.3个百分点"
    assert figure_line(change) == "社会满意度 较上年 +1.3个百分点"
    down = row(indicator="人数", value=15, unit="%", qualifier="", raw="15%", sentence="人数同比下降15%。",
               role="change", direction=-1)
    assert figure_text(down) == "同比 -15%"
    bare = row(indicator="公益普惠性幼儿园", value=44, unit="所", qualifier="", raw="44所",
               sentence="新增公益普惠性幼儿园44所。", role="change", direction=1)
    assert figure_text(bare) == "增加 44所"
    year = row(value=3200, unit="人", qualifier="", raw="3200人", sentence="一年级新生较2015年增加3200人。",
               role="change", direction=1)
    assert figure_text(year) == "较2015年 +3200人"
    signed = row(value=-15, unit="%", qualifier="", raw="-15%", sentence="较上年-15%。", role="change", direction=-1)
    assert figure_text(signed) == "较上年 -15%"  # one sign, never --15%
    unsigned = row(value=-3, unit="所", qualifier="", raw="-3所", sentence="学校数量变化-3所。", role="change")
    assert figure_text(unsigned) == "减少 3所"


def test_masked_ranges_and_empty_values_never_show_none():
    masked = row(value=None, unit="%", qualifier="达", raw="达xx.x%", masked=True)
    assert figure_text(masked) == "达xx.x%（遮盖）" and flags(masked) == "遮盖"
    ranged = row(value=None, unit="所", qualifier="", raw="1-2所", low=1.0, high=2.0)
    assert figure_text(ranged) == "1～2所"
    assert span(3e4, 5e4, "人", "约") == "约3万～5万人"
    blank = row(value=None, raw="若干所", qualifier="")
    assert figure_text(blank) == "若干所"
    assert figure_text(row(value=None, raw="", qualifier="")) == "—"
    assert flags(row(suspect=True, masked=True)) == "遮盖、存疑"


def test_a_dict_row_reads_like_the_record():
    r = row(value=3.1e6, unit="平方米", qualifier="", raw="310万平方米", indicator="校舍面积")
    assert figure_text(r.to_dict()) == figure_text(r) == "310万平方米"


def test_roles_have_chinese_labels():
    assert [role_label(r) for r in ("", "from", "to", "change")] == ["", "原值", "现值", "变化量"]
