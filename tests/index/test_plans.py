"""Plan vs outcome on a written 要点/总结 pair: done, mentioned and dropped items, with their evidence."""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.errors import SearchError
from index.plans import Status, items, match, pair, plan_vs_outcome, status
from index.records import DocSummary, PassageRow


@pytest.fixture(scope="module")
def check(district_data):
    from index.search import Engine

    engine = Engine(district_data)
    yield plan_vs_outcome(engine, "吴兴区")
    engine.close()


def test_each_planned_item_gets_its_status(check):
    assert (check.region, check.year) == ("浙江省湖州市吴兴区", 2022)
    assert check.plan.doc_type == "工作要点" and check.summary.doc_type == "工作总结"
    got = [(item.text[:8], item.status) for item in check.items]
    assert got == [
        ("建立全区作业公示", "已完成"), ("义务教育学校课后", "已完成"), ("（三）新建改建学", "已完成"),
        ("（四）推进集团化", "有提及"), ("（五）推进教师交", "已完成"), ("（六）建设智慧教", "未找到"),
        ("（七）开展防溺水", "已完成"), ("（八）推进研学实", "未找到"),
    ]
    assert check.counts() == {"已完成": 5, "有提及": 1, "未找到": 2}


def test_evidence_is_the_summary_sentence(check):
    rotation = check.items[4]
    assert rotation.evidence == "全年共有126名教师参加县域交流轮岗，占符合条件教师的16%，其中骨干教师48名交流到农村学校任教。"
    assert rotation.passage_id.startswith(check.summary.doc_id)
    assert check.items[3].evidence.startswith("集团化办学工作仍在推进之中")
    assert check.items[5].evidence == "" and check.items[5].passage_id == ""


def test_items_start_at_numbered_points():
    p = PassageRow(0, "a.p0", "a", 0, ("二、资源",), "（三）新建学校。开工两所。（四）集团化办学。组建集团。1.结对帮扶。", 0, 0)
    assert [t for _, t in items([p])] == ["（三）新建学校。开工两所。", "（四）集团化办学。组建集团。", "1.结对帮扶。"]
    assert items([PassageRow(0, "a.p1", "a", 1, (), "落实双减政策。控制作业总量。", 0, 0)]) == [("", "落实双减政策。控制作业总量。")]


def test_status_reads_what_the_evidence_reports():
    assert status(0.5, "新增学位2150个。") is Status.DONE
    assert status(0.5, "集团化办学仍在推进之中，下一步将启动结对。") is Status.MENTIONED
    assert status(0.5, "重视集团化办学。") is Status.MENTIONED
    assert status(0.05, "新增学位2150个。") is Status.NOT_FOUND


def test_match_needs_the_items_words_not_only_a_close_vector():
    plan = [("", "建设智慧教育平台，建成大数据中心。")]
    window = PassageRow(7, "s.p0", "s", 0, (), "全年开展校园安全隐患排查12次。", 0, 0)
    # the vectors say "same" (cosine 1), the words do not: not found
    got = match(plan, np.array([[1.0, 0.0]]), [(window, window.text)], np.array([[1.0, 0.0]]))
    assert got[0].status == "未找到" and got[0].similarity == 1.0
    window = PassageRow(8, "s.p1", "s", 1, (), "智慧教育平台建成投入使用，大数据中心接入全区学校。", 0, 0)
    got = match(plan, np.array([[1.0, 0.0]]), [(window, window.text)], np.array([[1.0, 0.0]]))
    assert got[0].status == "已完成" and got[0].passage_id == "s.p1"


def _doc(doc_id: str, types: tuple[str, ...], years: tuple[int, ...]) -> DocSummary:
    return DocSummary(doc_id, "s", "t", types[0], types, "某省某市某区", "某省", "某市", "某区", "", "区县级", "", years, 3)


def test_a_report_that_is_both_is_not_checked_against_itself():
    both = _doc("a", ("工作总结", "工作计划"), (2021,))  # 上半年工作总结和下半年工作计划
    with pytest.raises(SearchError) as err:
        pair([both], "某省某市某区")
    assert str(err.value) == ("某省某市某区 没有同一年的工作要点（计划）和工作总结；"
                              "已有要点 1 篇、总结 1 篇（其中 1 篇兼有两者，不能自相对照）")
    summary = _doc("b", ("工作总结",), (2021,))
    assert pair([both, summary], "某省某市某区")[1:] == (both, summary)


def test_a_district_without_a_pair_is_told_what_it_has(district_data):
    from index.store import Store

    store = Store(district_data)
    docs = store.documents()
    store.close()
    with pytest.raises(SearchError) as err:
        pair(docs, "浙江省湖州市吴兴区", 2021)
    assert str(err.value) == "浙江省湖州市吴兴区 没有 2021 年的工作要点（计划）可对照；要点和总结都有的年份：2022"
    with pytest.raises(SearchError) as err:
        pair(docs, "江苏省苏州市吴江区")
    assert str(err.value) == "江苏省苏州市吴江区 没有同一年的工作要点（计划）和工作总结；已有要点 0 篇、总结 1 篇"


def test_cli_plan(cli, district_data):
    out = cli("plan", "吴兴区", "--data", str(district_data))
    assert out.exit_code == 0
    lines = out.stdout.splitlines()
    assert lines[0] == "浙江省湖州市吴兴区 2022 年：已完成 5 项，有提及 1 项，未找到 2 项"
    assert " 6. 【未找到】（六）建设智慧教育平台。建成区级教育大数据中心，统一全区学校的学籍、人事和资产管理系统。" in lines
    doc = json.loads(cli("plan", "吴兴区", "--year", "2022", "--json", "--data", str(district_data)).stdout)
    assert [i["status"] for i in doc["items"]].count("未找到") == 2
    bad = cli("plan", "吴江区", "--data", str(district_data))
    assert bad.exit_code == 2
    assert bad.stderr == "错误：江苏省苏州市吴江区 没有同一年的工作要点（计划）和工作总结；已有要点 0 篇、总结 1 篇\n"
