"""Segmentation: heading tree, passage sizes and bounds, nothing of a report lost."""

from __future__ import annotations

import re

import pytest
from conftest import SEEDS

from ingest.normalize import normalize_line
from ingest.repair import repair_damage
from ingest.segment import MAX_CHARS, segment

# Phrases that mark a raw seed line as site chrome rather than report text.
CHROME_LINE = re.compile(r"好范文网|本站|本文档|下载|第壹文秘|范文网|侵犯|版权|会员|QQ")
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]")


def _cjk(text: str) -> str:
    return _NOT_CJK.sub("", text)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_no_sentence_of_a_report_is_lost(seed_docs, seed):
    """Every sentence visible in the file is in a passage or a heading."""
    docs = seed_docs[seed.name]
    kept = ""
    for d in docs:  # title, headings and passages in reading order
        pieces = [(s.char_start, s.marker + s.title) for s in d.sections] + [(p.char_start, p.text) for p in d.passages]
        kept += _cjk(d.title + "".join(text for _, text in sorted(pieces)))
    raw_lines = [normalize_line(line) for line in seed.read_text("utf-8").splitlines()]
    body = [line for line in raw_lines if len(line) >= 40 and "，" in line and not CHROME_LINE.search(line)]
    lost = []
    # Fragments end at sentence punctuation and line ends (a page end cuts a
    # sentence into two fragments, each of which must survive).
    for sentence in re.split(r"[。！？；：\n]", repair_damage("\n".join(body))):
        words = _cjk(sentence)
        if len(words) >= 6 and words not in kept:
            lost.append(sentence)
    assert not lost, f"{len(lost)} sentence(s) lost, e.g. {lost[:2]}"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_passages_are_exact_bounded_slices_inside_their_section(seed_docs, seed):
    for doc in seed_docs[seed.name]:
        starts = [s.char_start for s in doc.sections]
        for p in doc.passages:
            assert p.text == doc.text[p.char_start : p.char_end]
            assert 0 < len(p.text) <= MAX_CHARS
            if p.section >= 0:
                sec = doc.sections[p.section]
                assert sec.char_start <= p.char_start and p.char_end <= sec.char_end
            assert not any(p.char_start < s < p.char_end for s in starts), "a passage crosses a heading"


def test_passage_sizes_aim_at_150_to_500(seed_docs):
    sizes = [len(p.text) for docs in seed_docs.values() for d in docs for p in d.passages]
    assert max(sizes) <= 500
    assert sum(150 <= s for s in sizes) / len(sizes) >= 0.7


def test_heading_paths_follow_the_hierarchy(seed_docs):
    doc = seed_docs["002_cb78348201e86ec4.txt"][0]
    shuang = next(p for p in doc.passages if "四不一监管" in p.text)
    assert shuang.heading == ("一、上半年工作总结", "(二)重点工作落实情况")
    plan = next(p for p in doc.passages if "疫情常态化防控" in p.text)
    assert plan.heading == ("二、下半年工作思路", "(三)大力提升教育治理能力")


def test_inline_headings_of_a_collapsed_layout_are_found(seed_docs):
    doc = seed_docs["001_f75cf3d12588e79c.txt"][0]
    titles = [f"{s.marker}{s.title}" for s in doc.sections]
    for expected in ["一、指导思想", "二、主要工作", "(一)深化改革，完善管理体制", "1.制定区域具体实施方案", "三、主要工作安排"]:
        assert expected in titles
    first = doc.passages[0]
    assert first.heading == ("一、指导思想",) and first.text.startswith("以习近平新时代中国特色社会主义思想为指导")


def test_a_reused_numbering_nests_instead_of_breaking_the_outline(seed_docs):
    doc = seed_docs["003_2cb70922c35a3e1f.txt"][0]
    top = [s.title for s in doc.sections if s.level == 0]
    assert len(top) == 6 and top[1] == "把握关键时期，全面开展有偿补课治理专项督导"
    nested = [s for s in doc.sections if s.level == 1]
    assert [s.title for s in nested] == ["队伍规模更加壮大", "年龄结构更加优化", "人员组合更加科学"]
    assert all(doc.sections[s.parent].title.startswith("抓住改革契机") for s in nested)


def test_long_paragraphs_split_at_sentence_ends_or_enumerations():
    para = "".join(
        f"{n}是推进第{n}项重点工作，完善制度机制，强化督导检查，层层压实责任，加强统筹协调，确保各项任务按时保质完成到位。"
        for n in "一二三四五六七八九十"
    )
    assert len(para) > MAX_CHARS
    text = "一、主要工作\n" + para
    _, passages = segment(text, "t")
    assert len(passages) >= 2
    for p in passages:
        assert p.text[-1] in "。；" and len(p.text) <= MAX_CHARS
    assert passages[1].text[1] == "是"


def test_short_paragraphs_merge_within_a_section_but_never_across():
    text = "一、甲\n第一段内容较短。\n第二段内容也短。\n二、乙\n第三段内容。"
    _, passages = segment(text, "t")
    assert [p.text for p in passages] == ["第一段内容较短。\n第二段内容也短。", "第三段内容。"]
    assert [p.heading for p in passages] == [("一、甲",), ("二、乙",)]
