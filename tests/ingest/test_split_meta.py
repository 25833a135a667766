"""Compilations split into reports, each with its own title, type, years and region."""

from __future__ import annotations

import pytest
from conftest import REPORTS_PER_SEED, SEEDS

from ingest.clean import clean
from ingest.meta import resolve_region, subject_years
from ingest.split import split_reports
from ingest.types import Level

# (seed, part) -> (region, years, doc types it must carry, level)
EXPECTED = {
    ("000", 1): ("山东省济南市市中区", (2020, 2021), {"工作总结", "工作要点"}, Level.COUNTY),
    ("001", 1): ("", (2021,), {"工作要点"}, Level.COUNTY),
    ("002", 1): ("", (2021,), {"工作总结", "工作计划"}, Level.COUNTY),
    ("003", 1): ("", (2023,), {"工作总结"}, Level.COUNTY),
    ("004", 1): ("山东省青岛市", (2017, 2018), {"工作报告", "工作总结", "工作计划"}, Level.CITY),
    ("004", 2): ("广东省东莞市", (2016, 2017), {"工作报告", "工作总结", "工作计划"}, Level.CITY),
    ("004", 3): ("安徽省滁州市", (), {"工作报告"}, Level.CITY),
    ("004", 4): ("上海市金山区", (), {"工作报告"}, Level.COUNTY),
    ("004", 5): ("河南省三门峡市", (2015,), {"工作报告"}, Level.CITY),
}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_number_of_reports_per_file(seed_docs, seed):
    assert len(seed_docs[seed.name]) == REPORTS_PER_SEED[seed.name]


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: f"{k[0]}-{k[1]}")
def test_report_metadata(seed_docs, key):
    name = next(p.name for p in SEEDS if p.name.startswith(key[0]))
    doc = seed_docs[name][key[1] - 1]
    region, years, types, level = EXPECTED[key]
    assert doc.region.display == region
    assert doc.years == years
    assert types <= set(doc.doc_types)
    assert doc.level is level


def test_compilation_parts_have_their_own_titles_and_ids(seed_docs):
    docs = seed_docs["004_151cab1d8e703d3d.txt"]
    assert [d.title for d in docs] == [f"2020精选教育局工作报告({n})" for n in "一二三四五"]
    assert len({d.doc_id for d in docs}) == 5
    assert docs[1].text.startswith("各位领导，同志们：")  # the separator names the part; it is not report text
    assert "(三)" not in docs[1].text[-200:]


def test_titles_come_from_the_page_not_the_site(seed_docs):
    assert seed_docs["001_f75cf3d12588e79c.txt"][0].title == "2021年教育督导工作要点"
    assert seed_docs["002_cb78348201e86ec4.txt"][0].title == "教育局关于2021年上半年工作总结和下半年工作计划"
    assert seed_docs["003_2cb70922c35a3e1f.txt"][0].title == "2023年县教育督导8月份工作总结"


def test_region_fields_and_issuer(seed_docs):
    doc = seed_docs["000_d7ed74de268168c1.txt"][0]
    assert (doc.region.province, doc.region.city, doc.region.county) == ("山东省", "济南市", "市中区")
    assert doc.region.adcode == "370103"
    assert seed_docs["004_151cab1d8e703d3d.txt"][1].issuer == "东莞市教育局"
    assert seed_docs["004_151cab1d8e703d3d.txt"][3].issuer == "金山区教育局"


def test_sequenced_boundaries_split_and_stray_ordinals_do_not():
    text = (
        "2021年学校工作总结【篇一】\n一、基本情况\n" + "我校认真落实各项工作，成效明显，师生满意度持续提升，办学质量稳步提高。" * 2 + "\n"
        "2021年学校工作总结【篇二】\n一、主要做法\n" + "全校教师积极参与课堂教学改革，教研活动扎实开展，课堂效率明显提升。" * 2 + "\n"
    )
    assert len(split_reports(clean(text).lines)) == 2
    single = "一、工作总结(二)\n" + "我校认真落实各项工作，成效明显，师生满意度持续提升，办学质量稳步提高。" * 2
    assert len(split_reports(clean(single).lines)) == 1


def test_placeholders_never_become_a_region():
    text = "xx区教育局2021年工作总结。一年来，我区教育系统在xx区委、区政府领导下，XX县各项工作稳步推进，全区教育质量持续提升。"
    assert resolve_region(text, "xx区2021年工作总结").display == ""


def test_aid_destinations_do_not_outweigh_the_home_region():
    text = (
        "济南市市中区教育和体育局认真落实教育扶贫任务。选派骨干教师赴龙山县支教，为龙山县培训教师267人，"
        "向龙山县捐赠物资。全区教育工作稳步推进，我区教育质量持续提升。"
    )
    assert resolve_region(text).display == "山东省济南市市中区"


def test_subject_years_skip_compilation_and_cited_years():
    assert subject_years("2020精选教育局工作报告(一)", ["一、2017年工作情况", "二、2018年工作打算"], "") == (2017, 2018)
    assert subject_years("", [], "根据《2019年教育工作要点》要求，2015年7月17日至8月16日开展巡察。") == (2015,)
    assert subject_years("2020-2021学年第一学期工作总结", [], "") == (2020, 2021)


def test_a_report_that_names_no_office_has_an_empty_issuer():
    from ingest.meta import extract

    meta = extract("2021年工作总结", "山东省青岛市今年新建学校15所，新增学位1.2万个，全市教学质量稳步提升。", [])
    assert meta.issuer == "" and meta.region.display == "山东省青岛市"
