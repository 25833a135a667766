"""District profiles and derived previous-year figures, on the corpus and on written reports."""

from __future__ import annotations

import json

import pytest

from index.districts import DistrictError, FigureKind, district, figure_kind, find
from index.records import MetricRow
from index.series import derive, previous_value


def test_figures_are_sorted_into_the_five_kinds():
    assert figure_kind("在校生", "名") is FigureKind.STUDENTS
    assert figure_kind("专任教师", "名") is FigureKind.TEACHERS
    assert figure_kind("幼儿园", "所") is FigureKind.SCHOOLS
    assert figure_kind("教育经费", "元") is FigureKind.FUNDING
    assert figure_kind("义务教育巩固率", "%") is FigureKind.RATE
    assert figure_kind("资助困难学生", "人次") is None  # attendances are not a headcount
    assert figure_kind("立项课题", "项") is None


def test_a_profile_sums_its_reports(district_profiles):
    wujiang = find(district_profiles, "吴江")
    assert (wujiang.region, wujiang.level, wujiang.years, wujiang.n_docs) == ("江苏省苏州市吴江区", "区县", (2022,), 1)
    assert {"学生资助", "双减"} <= {t.theme for t in wujiang.themes}
    heads = {f.kind: (f.value, f.raw) for f in wujiang.figures}
    assert heads["学生"] == (125000.0, "12.5万名")
    assert heads["教师"] == (9800.0, "9800名")
    assert heads["经费"] == (320000000.0, "3.2亿元")
    chengdu = find(district_profiles, "成都")
    assert chengdu.level == "市" and chengdu.figure("学校").value == 3200


def test_a_report_without_a_region_is_its_own_profile(district_profiles):
    unknown = [p for p in district_profiles if not p.region]
    assert unknown  # the corpus holds reports that name no place
    assert all(p.n_docs == 1 and p.key == p.reports[0].doc_id and p.name == p.reports[0].title for p in unknown)


def test_two_reports_of_one_region_make_one_profile(district_profiles):
    wuxing = find(district_profiles, "吴兴区")
    assert wuxing.n_docs == 2
    assert sorted(r.doc_type for r in wuxing.reports) == ["工作总结", "工作要点"]


@pytest.fixture(scope="module")
def store(district_data):
    from index.store import Store

    s = Store(district_data)
    yield s
    s.close()


def test_a_change_with_its_level_gives_the_previous_year_derived(store):
    shizhong = district(store, "市中区")
    derived = [f for f in shizhong.timeline if f.derived]
    assert [(f.indicator, f.value, f.year) for f in derived] == [("社会满意度", 95.35, 2020)]
    wujiang = district(store, "吴江")
    assert [(f.kind, f.value, f.year) for f in wujiang.timeline if f.derived] == [("经费", 290000000.0, 2021)]


def test_the_full_profile_agrees_with_the_listing(store, district_profiles):
    for region in ("广东省东莞市", "江苏省苏州市吴江区", "安徽省滁州市"):
        full, listed = district(store, region), find(district_profiles, region)
        same = lambda fs: [(f.kind, f.value, f.raw, f.passage_id) for f in fs]  # noqa: E731 - a listing omits sentences
        assert same(full.figures) == same(listed.figures) and full.themes == listed.themes
        assert listed.timeline == () and len(full.timeline) >= len(full.figures)
        assert {f.kind for f in full.timeline} == {f.kind for f in full.figures}


def _row(raw, value, unit, role="", direction=0, at=0, sentence="", years=(2022,)):
    start = sentence.index(raw)
    return MetricRow("d", "s", "t", "r", years, "d.p0", "在校生", value, unit, "", raw, sentence, False, False,
                     role, direction, at + start, at + start + len(raw))


def test_previous_values():
    assert previous_value(96.65, "%", 1.3, "个百分点", 1) == 95.35
    assert previous_value(3500, "人", 94, "%", 1) == 1804.0
    assert previous_value(5000, "名", 200, "人", -1) == 5200.0
    assert previous_value(90, "%", 5, "%", 1) is None


def test_derive_pairs_a_change_only_with_the_clause_it_continues():
    s = "全区在校生达到5000人，比上年增加200人。"
    got = derive([_row("5000人", 5000, "人", sentence=s), _row("200人", 200, "人", "change", 1, sentence=s)])
    assert [(d.value, d.year, d.derived) for d in got] == [(4800.0, 2021, True)]
    s = "认定548所普惠性幼儿园，全市公益幼儿园比上年增加44所。"  # the change has its own subject
    assert derive([_row("548所", 548, "所", sentence=s), _row("44所", 44, "所", "change", 1, sentence=s)]) == []
    s = "在校生5000人，比2019年增加300人。"
    assert [d.year for d in derive([_row("5000人", 5000, "人", sentence=s),
                                    _row("300人", 300, "人", "change", 1, sentence=s)])] == [2019]


def test_find_names_the_problem(district_profiles):
    with pytest.raises(DistrictError) as err:
        find(district_profiles, "火星")
    assert str(err.value) == "没有地区“火星”的报告；edureports districts 列出全部地区"
    with pytest.raises(DistrictError) as err:
        find(district_profiles, "江苏省")
    assert str(err.value) == "“江苏省”对应 2 个地区：江苏省无锡市惠山区、江苏省苏州市吴江区；请写得更完整"


def test_cli_districts_and_district(cli, district_data):
    rows = json.loads(cli("districts", "--json", "--data", str(district_data)).stdout)
    dongguan = next(r for r in rows if r["region"] == "广东省东莞市")
    assert {"region", "level", "years", "n_docs", "themes"} <= dongguan.keys()
    assert dongguan["level"] == "市" and dongguan["n_docs"] == 1 and dongguan["years"] == [2016, 2017]
    text = cli("district", "吴江", "--data", str(district_data)).stdout
    assert "江苏省苏州市吴江区  区县  2022  1 篇报告" in text
    assert "经费  2021  教育经费投入 2.9亿元（推算）" in text
    bad = cli("district", "火星", "--data", str(district_data))
    assert bad.exit_code == 2
    assert bad.stderr == "错误：没有地区“火星”的报告；edureports districts 列出全部地区\n"


def test_a_district_exports_to_excel(cli, district_data, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "吴江.xlsx"
    assert cli("district", "吴江", "--xlsx", str(path), "--data", str(district_data)).exit_code == 0
    figures = load_workbook(path)["数字"]
    rows = [[c.value for c in row] for row in figures.iter_rows(min_row=2)]
    derived = [r for r in rows if r[6] == "推算"]
    assert [(r[0], r[1], r[3], r[4]) for r in derived] == [("经费", 2021, "2.9亿元", 290000000)]
    bad = cli("district", "吴江", "--xlsx", str(tmp_path / "无此目录" / "x.xlsx"), "--data", str(district_data))
    assert bad.exit_code == 2 and bad.stderr.startswith(f"错误：无法写入 {tmp_path / '无此目录' / 'x.xlsx'}：")
