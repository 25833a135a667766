"""Traditional script: detected, analysed in simplified characters, original kept."""

from __future__ import annotations

import hashlib

import pytest
from conftest import SEEDS

from ingest.pipeline import process_text
from ingest.script import TRADITIONAL_SHARE, analysable, to_simplified, traditional_share
from ingest.types import Format, RawText

# A county report written in traditional characters (our own wording).
TRADITIONAL_REPORT = (
    "隆德縣教育局2022年工作總結\n"
    "一、基本情況\n"
    "2022年，全縣共有各級各類學校一百二十所，在校學生一萬二千人，教職工一千五百人。"
    "我們堅持立德樹人，紮實推進義務教育優質均衡發展，辦學條件持續改善。\n"
    "二、主要工作\n"
    "（一）落實“雙減”政策。全縣課後服務覆蓋率達到100%，"
    "家長對學校工作的滿意度達到96.5%，校外培訓機構由32家壓減到5家。\n"
)


def _process(text: str, name: str = "report.txt"):
    raw = RawText(name, text, Format.TXT, hashlib.sha256(text.encode()).hexdigest())
    return process_text(raw, name.rsplit(".", 1)[0])


def test_a_traditional_report_is_analysed_in_simplified_and_keeps_its_original():
    [doc] = _process(TRADITIONAL_REPORT)
    assert doc.script == "繁体"
    assert doc.title == "隆德县教育局2022年工作总结"
    assert doc.region.display == "宁夏回族自治区固原市隆德县"
    assert doc.years == (2022,)
    assert doc.doc_type == "工作总结"
    assert "扎实推进义务教育优质均衡发展" in doc.text
    assert "縣" not in doc.text and "學" not in doc.text
    # The original is what the file says, in its own script.
    assert doc.raw_text == TRADITIONAL_REPORT.rstrip("\n")
    assert "紮實推進義務教育優質均衡發展" in doc.raw_text
    # Headings and themes come from the simplified text.
    assert [s.title for s in doc.sections][:2] == ["基本情况", "主要工作"]
    assert any(t.theme == "课后服务" for p in doc.passages for t in p.themes)


def test_big5_ten_thousands_are_read_after_conversion():
    [doc] = _process(TRADITIONAL_REPORT)
    students = [m for m in doc.metrics if m.raw == "一万二千人"]
    assert [m.value for m in students] == [12000]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_simplified_seeds_are_never_altered_by_detection(seed):
    text = seed.read_text("utf-8")
    assert analysable(text) == (text, "简体")
    assert traditional_share(text) < TRADITIONAL_SHARE / 10


def test_a_few_traditional_names_in_a_simplified_report_change_nothing():
    text = "本区与台湾的学校开展交流，参观了“國立”大学附属中学，全年共接待来访师生三百余人次，交流活动取得圆满成功。" * 3
    assert analysable(text) == (text, "简体")


def test_queries_convert_both_ways_to_the_same_form():
    assert to_simplified("課後服務") == "课后服务" == to_simplified("课后服务")
    assert to_simplified("") == ""
    # Line breaks survive conversion, so cleaned lines still index the original.
    assert to_simplified("第一行\n第二行\r\n學校").count("\n") == 2
