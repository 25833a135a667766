"""Cleaning on the real seeds: chrome gone, pages and lines repaired, damage fixed."""

from __future__ import annotations

import re

import pytest
from conftest import SEEDS

from ingest.chrome import is_chrome
from ingest.clean import clean
from ingest.normalize import normalize_line
from ingest.repair import repair_damage

# Chrome seen around the seed reports: site names, contacts, counters, prompts.
CHROME = [
    "好范文网", "第壹文秘", "卡耐基范文网", "汇文网", "淘文库", "13057850505", "3074922707", "403074932",
    "ICP备", "版权所有", "copyright", "共有2139个字", "第7页", "全部预览完了", "展开阅读全文", "上传人",
    "文档编号", "转载请保留", "链接地址", "资源描述", "猜你喜欢", "你可能关注的文档", "温馨提示", "aaa6325462",
    "下载收益", "下载该Word", "下载文档", "当前位置", "审核编辑", "分享赚钱", "70.00 KB", "网站客服",
    "星级推荐", "最近更新", "推荐专题", ".docx", "_第1页",
]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_no_site_chrome_left_in_any_passage(seed_docs, seed):
    for doc in seed_docs[seed.name]:
        for passage in doc.passages:
            found = [c for c in CHROME if c.lower() in passage.text.lower()]
            assert not found, f"{passage.passage_id} keeps chrome {found}: {passage.text[:80]}"


def test_report_sentences_that_mention_download_are_not_chrome():
    assert not is_chrome("市教育资源公共服务平台共有优课微课资源2.9万个，下载量35.1万次；现有资源总量32万多条。")
    assert is_chrome("下载该Word文档")
    assert is_chrome("第1页 / 共4页")
    assert is_chrome("- 网站客服QQ：403074932")


def test_preview_page_markers_are_removed_and_cut_words_rejoined(seed_docs):
    text = seed_docs["001_f75cf3d12588e79c.txt"][0].text
    assert "XX市人民政府教育督导委员会办公室关于启动学前教育普及普惠督导评估工作的通知" in text
    assert "深化新时代教育督导体制机制改革的实施方案" in text
    assert "在推进区域教育现代化中的目标责任履行情况" in text
    assert not re.search(r"(^|\n)\d、", text)
    assert not text.startswith("1、")


def test_lines_broken_mid_sentence_are_rejoined(seed_docs):
    first, second = seed_docs["004_151cab1d8e703d3d.txt"][:2]
    assert "留守儿童就学“三项”保障机制" in first.text
    assert "教育“红包”。着力于幼有所育" in first.text
    assert "开展“劳模工匠进校园”活动" in first.text
    assert "累计创建“平安校园”1516所" in second.text


def test_headings_stay_on_their_own_line(seed_docs):
    first = seed_docs["004_151cab1d8e703d3d.txt"][0].text
    assert "\n一、2017年工作情况\n2017年，市教育局" in first
    assert "\n(一)在教育供给侧改革上发力，教育公平取得新进展。\n加大学校规划建设力度" in first


def test_conversion_damage_is_repaired_from_the_table(seed_docs):
    text = seed_docs["003_2cb70922c35a3e1f.txt"][0].text
    for good in ["管理原则", "在此基础上", "注意事项", "安全隐患", "检查细则"]:
        assert good in text
    for bad in ["原那么", "根底", "本卷须知", "平安隐患", "细那么"]:
        assert bad not in text
    # 平安校园 is a real term, not damage.
    assert "平安校园" in seed_docs["004_151cab1d8e703d3d.txt"][1].text
    assert repair_damage("坚持公开公平的原那么") == "坚持公开公平的原则"


def test_original_text_is_kept_untouched(seed_docs):
    raw = SEEDS[3].read_text("utf-8")
    doc = seed_docs[SEEDS[3].name][0]
    assert doc.raw_text in raw
    assert "原那么" in doc.raw_text and "第7页 共7页" in doc.raw_text


def test_width_is_normalised_and_chinese_punctuation_kept():
    assert normalize_line("　２０２０年，满意度达９６．６５％。") == "2020年，满意度达96.65%。"
    assert normalize_line("ＡＢＣ学校（一）“双减”：落实；") == "ABC学校（一）“双减”：落实；"
    assert normalize_line("2020年,市中教育督导工作") == "2020年，市中教育督导工作"
    assert normalize_line("共1,000人") == "共1,000人"


def test_a_file_of_only_chrome_yields_no_lines():
    assert clean("当前位置:首页 > 工作总结\n下载该Word文档\n网站客服QQ:12345678\n").lines == []
