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


# --- Patterns of the wider archive, each in a small fixture of our own wording ---

_BODY = {
    "a": "全县新建公办幼儿园六所，普惠性幼儿园覆盖率明显提高，入园难问题基本缓解。",
    "b": "组织城乡学校结对帮扶，送教下乡活动覆盖全部乡镇，课堂教学效率稳步提高。",
    "c": "全年新招聘教师一百二十名，乡村教师周转宿舍建成投用，队伍结构更加合理。",
    "d": "城区学位依然偏紧，部分学校班额偏大，乡村学校音体美教师仍然短缺。",
    "e": "力争新增学位三千个，推动集团化办学覆盖全部城区学校，提升群众满意度。",
}
_TITLE = "某县教育局2022年工作总结及2023年工作打算"
# (marker, title, body) in reading order; the outline a reader sees.
_REPORT = [
    ("一、", "2022年主要成绩", ""),
    ("（一）", "学前教育普惠扩容", _BODY["a"]),
    ("（二）", "教学质量稳步提升", _BODY["b"]),
    ("1.", "课堂改革深入推进", _BODY["b"]),
    ("2.", "教研体系更加完善", _BODY["b"]),
    ("（1）", "城区学校全部参与", _BODY["c"]),
    ("（2）", "乡村学校结对帮扶", _BODY["c"]),
    ("（三）", "教师队伍持续优化", _BODY["c"]),
    ("二、", "存在的问题", "一是" + _BODY["d"]),
    ("三、", "2023年工作打算", ""),
    ("（一）", "扩充优质学位", _BODY["e"]),
    ("（二）", "深化教育改革", _BODY["e"]),
]
_OUTLINE = [
    (0, "2022年主要成绩"), (1, "学前教育普惠扩容"), (1, "教学质量稳步提升"), (2, "课堂改革深入推进"),
    (2, "教研体系更加完善"), (3, "城区学校全部参与"), (3, "乡村学校结对帮扶"), (1, "教师队伍持续优化"),
    (0, "存在的问题"), (0, "2023年工作打算"), (1, "扩充优质学位"), (1, "深化教育改革"),
]


def _write(layout: str) -> str:
    """The fixture report in one of the layouts archives serve."""
    if layout == "breaks lost":  # one paragraph; headings glued to the title and to their bodies
        return _TITLE + "".join(f"{m}{t}{'。' if b and not b.startswith('一是') else ''}{b}" for m, t, b in _REPORT)
    if layout == "heading lines":  # each heading on its own line
        return _TITLE + "\n" + "\n".join(f"{m}{t}" + (f"\n{b}" if b else "") for m, t, b in _REPORT)
    if layout == "run-in headings":  # heading and body share a line, headings end with 。
        return _TITLE + "\n" + "\n".join(f"{m}{t}。{b}" if b else f"{m}{t}" for m, t, b in _REPORT)
    raise ValueError(layout)


def _wrap(text: str, width: int) -> str:
    """Text as a PDF export wraps it: every line cut at `width` characters."""
    out = []
    for line in text.split("\n"):
        out.extend(line[i : i + width] for i in range(0, len(line), width))
    return "\n".join(out)


def _outline(text: str, title: str = "") -> list[tuple[int, str]]:
    sections, passages = segment(text, "t", title)
    _assert_exact_and_inside(text, sections, passages)
    return [(s.level, s.title) for s in sections]


def _assert_exact_and_inside(text, sections, passages):
    starts = [s.char_start for s in sections]
    for p in passages:
        assert text[p.char_start : p.char_end] == p.text
        assert not any(p.char_start < s < p.char_end for s in starts), f"passage crosses a heading: {p.text[:30]}"
        if p.section >= 0:
            sec = sections[p.section]
            assert sec.char_start <= p.char_start and p.char_end <= sec.char_end


@pytest.mark.parametrize("layout", ["breaks lost", "heading lines", "run-in headings"])
def test_all_four_levels_are_found_whatever_the_layout(layout):
    assert _outline(_write(layout)) == _OUTLINE


def test_headings_glued_to_the_title_and_to_their_bodies_get_their_own_text():
    text = _write("breaks lost")
    sections, passages = segment(text, "t")
    problems = next(p for p in passages if p.text.startswith("一是城区学位"))
    assert problems.heading == ("二、存在的问题",)
    first = next(p for p in passages if "普惠性幼儿园" in p.text)
    assert first.heading == ("一、2022年主要成绩", "（一）学前教育普惠扩容") and first.text.startswith("全县新建")


@pytest.mark.parametrize("width", [18, 24, 33, 41])
def test_a_pdf_wrapped_at_any_width_keeps_the_outline(width):
    """Headings on their own lines, bodies wrapped: a wrapped body line is never a heading."""
    text = _wrap(_write("heading lines"), width)
    assert _outline(text) == _OUTLINE


@pytest.mark.parametrize("width", [26, 35])
def test_a_wrapped_run_in_heading_is_titled_by_its_own_words(width):
    text = _wrap(_write("run-in headings"), width)
    assert _outline(text) == _OUTLINE


def test_inline_headings_in_a_short_paragraph_that_kept_its_breaks():
    text = (
        "一、主要工作\n（一）学前教育普惠扩容。" + _BODY["a"] + "（二）教学质量稳步提升。" + _BODY["b"] + "\n"
        "二、下一步打算\n" + _BODY["e"]
    )
    assert _outline(text) == [(0, "主要工作"), (1, "学前教育普惠扩容"), (1, "教学质量稳步提升"), (0, "下一步打算")]


def test_numbers_inside_sentences_are_never_headings():
    text = (
        "一、主要成绩\n"
        "全县参训教师达到1.5万人次，中考成绩位列全市第1名。2.3万名学生参加了研学活动，比上年提高2.5个百分点。"
        "今年新增学位3、4千个不等，其中1、2年级学位最为紧张。\n"
        "二、存在问题\n" + _BODY["d"]
    )
    assert _outline(text) == [(0, "主要成绩"), (0, "存在问题")]


def test_numbered_sentences_and_lists_inside_a_paragraph_stay_text():
    text = (
        "一、主要做法\n创新宣传方式。1.在全县开展教师大走访活动，走访家庭三千余户。"
        "2.通过家长会、公开信等形式宣传资助政策，群众知晓率明显提高。主要措施有：1.加强领导；2.完善制度；3.强化督查。\n"
        "二、存在问题\n" + _BODY["d"]
    )
    assert _outline(text) == [(0, "主要做法"), (0, "存在问题")]


def test_preview_page_numbers_are_never_headings():
    """Pages of a preview start with `N、`, often in the middle of a word."""
    page1 = "1、" + _TITLE + "\n一、主要成绩\n（一）学前教育普惠扩容。" + _BODY["a"] * 3 + "全县召开教育工作会议，县人民政府教"
    page2 = "2、育督导委员会对全县学校开展了专项督导，" + _BODY["b"] * 3
    page3 = "3、（二）教师队伍持续优化。" + _BODY["c"]
    text = "\n".join([page1, page2, page3])
    outline = _outline(text, _TITLE)
    assert outline == [(0, "主要成绩"), (1, "学前教育普惠扩容"), (1, "教师队伍持续优化")]
    assert not any(t.startswith("育督导") for _, t in outline)


def test_a_stray_marker_does_not_open_a_sequence_and_a_reused_one_nests():
    text = (
        "一、主要工作\n" + _BODY["a"] + "\n（三）这一行的编号没有前文\n" + _BODY["b"] + "\n"
        "二、具体措施\n一、强化领导\n" + _BODY["c"] + "\n二、完善机制\n" + _BODY["c"] + "\n三、严格考核\n" + _BODY["c"] + "\n"
        "三、保障措施\n" + _BODY["e"]
    )
    assert _outline(text) == [
        (0, "主要工作"), (0, "具体措施"), (1, "强化领导"), (1, "完善机制"), (1, "严格考核"), (0, "保障措施")
    ]


def test_many_reports_restarting_at_one_nest_at_most_once():
    """A file of reports that each open with 一、 keeps a shallow outline (and a bounded stack)."""
    one = "一、主要成绩\n" + _BODY["a"] + "\n二、存在问题\n" + _BODY["d"] + "\n"
    levels = [level for level, _ in _outline(one * 40)]
    assert max(levels) <= 1


def test_the_title_below_an_issuer_and_a_document_number_is_not_a_heading():
    text = (
        "某市人民政府教育督导委员会办公室\n某教督办〔2022〕8号\n关于某县2021年度履行教育职责情况的督导评估报告\n"
        "某县人民政府：\n根据省里的评价办法，督导组采取听取汇报、查阅资料和实地查看等方式开展了督导评估。现将情况报告如下。\n"
        "一、主要成绩\n" + _BODY["a"] + "\n二、存在问题\n" + _BODY["d"]
    )
    assert _outline(text, "关于某县2021年度履行教育职责情况的督导评估报告") == [(0, "主要成绩"), (0, "存在问题")]


def test_a_title_repeated_with_spaces_is_part_of_the_title():
    text = "某县教育局2022年工作总结\n某县教育局 2022 年工作总结\n" + _BODY["a"] + "\n一、主要成绩\n" + _BODY["b"]
    assert _outline(text) == [(0, "主要成绩")]


def test_one_long_line_without_punctuation_is_cut_into_bounded_passages():
    text = "教育督导工作扎实推进学校管理规范有序" * 20000
    sections, passages = segment(text, "t")
    assert sections == [] and all(0 < len(p.text) <= MAX_CHARS for p in passages)
    assert "".join(p.text for p in passages) == text


def test_a_table_of_contents_glued_to_the_title_is_not_an_outline():
    text = (
        "1、某市教育局2023年教育工作要点目录一、总体要求1二、重点任务2（一）加强党的领导2（二）扩优提质4三、保障措施6\n"
        "一、总体要求\n" + _BODY["e"] + "\n二、重点任务\n（一）加强党的领导\n" + _BODY["a"] + "\n（二）扩优提质\n" + _BODY["b"] + "\n"
        "三、保障措施\n" + _BODY["c"]
    )
    assert _outline(text, "某市教育局2023年教育工作要点") == [
        (0, "总体要求"), (0, "重点任务"), (1, "加强党的领导"), (1, "扩优提质"), (0, "保障措施")
    ]


def test_numbered_sentences_on_their_own_lines_are_items_not_headings():
    text = (
        "一、存在问题\n" + _BODY["d"] + "\n二、督导意见\n"
        "1. 各学校要对照问题清单，在规定时间内完成整改，并将整改报告报送督导室。\n"
        "2. 相关科室要加强对新建学校周边交通的协调，会同有关部门制定错峰放学方案。\n"
        "某区人民政府教育督导室"
    )
    assert _outline(text) == [(0, "存在问题"), (0, "督导意见")]


def test_the_title_after_site_notices_is_not_a_section():
    text = (
        "文档内容仅供研究参考，付费前请自行鉴别。\n4、如文档侵犯您的权益，请联系我们处理，我们将在核实后删除。\n"
        "某县教育局2023年工作计划\n" + _BODY["e"] + "\n一、工作目标\n" + _BODY["a"] + "\n二、重点工作\n" + _BODY["b"]
    )
    assert _outline(text, "某县教育局2023年工作计划") == [(0, "工作目标"), (0, "重点工作")]


def test_a_line_broken_at_a_quote_does_not_break_the_numbering():
    text = "一、基本情况\n近三年通过“\n特岗计划”\n补充教师四百余名。\n二、主要问题\n" + _BODY["d"]
    assert _outline(text) == [(0, "基本情况"), (0, "主要问题")]


def test_a_number_that_counts_on_is_part_of_a_sentence():
    text = (
        "一、主要成绩\n" + _BODY["a"] + "。一、二年级学生全部参加了课后服务。3、4月份开展了教学视导。\n"
        "二、存在问题\n" + _BODY["d"]
    )
    assert _outline(text) == [(0, "主要成绩"), (0, "存在问题")]


def test_a_title_glued_to_its_first_sentence_and_markers_glued_to_headings():
    text = (
        "某市教育局2022年工作总结和2023年工作计划2022年，我局认真贯彻上级部署，紧紧围绕年度目标推进各项工作，取得明显成效。"
        "一、2022年工作总结（一）党的建设全面加强。" + _BODY["a"] * 2 + "（二）全面深化素质教育1.加强和改进德育工作。" + _BODY["b"]
        + "2.推进课堂改革。" + _BODY["b"] + "二、2023年工作计划（一）扩充优质学位。" + _BODY["e"]
    )
    assert _outline(text) == [
        (0, "2022年工作总结"), (1, "党的建设全面加强"), (1, "全面深化素质教育"), (2, "加强和改进德育工作"),
        (2, "推进课堂改革"), (0, "2023年工作计划"), (1, "扩充优质学位"),
    ]


def test_a_heading_longer_than_the_wrap_width_keeps_its_first_clause():
    lines = ["某县教育局2023年工作计划", "一、重点任务"]
    lines += _wrap("（一）坚持党建引领，全面加强党对教育工作的全面领导。" + _BODY["a"] * 3, 20).split("\n")
    lines += ["（二）扩充优质学位"] + _wrap(_BODY["e"] * 3, 20).split("\n")
    lines += ["二、保障措施"] + _wrap(_BODY["c"] * 3, 20).split("\n")
    outline = _outline("\n".join(lines))
    assert outline == [(0, "重点任务"), (1, "坚持党建引领"), (1, "扩充优质学位"), (0, "保障措施")]


def test_a_marker_alone_on_its_line_takes_the_next_line_as_title():
    text = "一、\n主要成绩\n" + _BODY["a"] + "\n（一）\n学前教育普惠扩容\n" + _BODY["b"] + "\n二、\n存在问题\n" + _BODY["d"]
    assert _outline(text) == [(0, "主要成绩"), (1, "学前教育普惠扩容"), (0, "存在问题")]


def test_a_list_of_one_sentence_items_is_text_under_its_heading():
    """（一）… items that are whole sentences and head nothing read as a list, signature after the last."""
    text = (
        "一、存在问题\n" + _BODY["d"] + "\n二、督导意见\n"
        "（一）加大学前教育投入，逐步配齐幼儿园保教人员。\n（二）制定大班额消除计划，加快新校建设进度。\n"
        "（三）配齐专职督学，保障督导工作经费。\n某市人民政府教育督导室\n"
    )
    sections, passages = segment(text, "t")
    assert [(s.level, s.title) for s in sections] == [(0, "存在问题"), (0, "督导意见")]
    advice = next(p for p in passages if "配齐专职督学" in p.text)
    assert advice.heading == ("二、督导意见",) and "（一）加大学前教育投入" in advice.text


def test_a_compilation_part_keeps_its_own_title_out_of_the_outline():
    text = "县教育局工作总结(二)\n某县教育局2020年上半年工作总结\n" + _BODY["a"] + "\n一、主要成绩\n" + _BODY["b"] + "\n二、存在问题\n" + _BODY["d"]
    assert _outline(text, "县教育局工作总结(二)") == [(0, "主要成绩"), (0, "存在问题")]


def test_headings_in_brackets_or_bold_marks():
    text = (
        "【一、主要成绩】\n" + _BODY["a"] + "\n**二、存在问题**\n" + _BODY["d"] + "\n【某县的做法】\n" + _BODY["b"]
    )
    assert _outline(text) == [(0, "主要成绩"), (0, "存在问题")]


def test_a_list_starting_its_own_line_stays_text():
    text = "一、主要措施\n主要措施有：\n1.加强领导；2.完善制度；3.强化督查。\n" + _BODY["c"] + "\n二、存在问题\n" + _BODY["d"]
    assert _outline(text) == [(0, "主要措施"), (0, "存在问题")]


def test_hash_headings_nest_by_depth_and_show_without_their_marks():
    """'#' headings (Word heading styles, HTML h1-h6) nest by their depth; a shallower one closes deeper ones."""
    text = "# 主要成绩\n## 学前教育\n" + _BODY["a"] + "\n## 义务教育\n" + _BODY["b"] + "\n# 存在问题\n" + _BODY["d"]
    assert _outline(text) == [(0, "主要成绩"), (1, "学前教育"), (1, "义务教育"), (0, "存在问题")]
    _, passages = segment(text, "t")
    assert next(p for p in passages if p.text == _BODY["b"]).heading == ("主要成绩", "义务教育")


def test_marker_styles_are_a_closed_choice_that_reads_as_plain_strings():
    from ingest.patterns import MARKER_RANK, Marker, heading_marker

    style, n, end = heading_marker("（三）加强师资")
    assert style is Marker.PCN and (n, end) == (3, 3)
    # Members hash and compare as their values, so lookups by either agree.
    assert style == "pcn" and MARKER_RANK["pcn"] == MARKER_RANK[Marker.PCN]
    assert [m.value for m in MARKER_RANK] == ["part", "cn", "pcn", "num", "pnum", "circ"]


def test_a_plans_heading_run_into_its_body_ends_with_its_name():
    text = "一、主要成绩\n" + _BODY["a"] + "\n二、明年工作计划继续推进学前教育普惠发展，计划完成11处园所改扩建任务。"
    assert _outline(text) == [(0, "主要成绩"), (0, "明年工作计划")]
    # '工作计划和…' goes on naming the heading.
    assert _outline("一、主要成绩\n" + _BODY["a"] + "\n二、工作计划和保障措施\n" + _BODY["b"])[1] == (0, "工作计划和保障措施")


def test_a_state_of_affairs_heading_run_into_its_body_ends_with_its_name():
    body = "全县新建幼儿园4所，新增学位1200个，城区大班额比例下降到1.5%，家长满意度达到97.2%。"
    text = ("一、着力加快学校项目建设（一）重点建设项目推进情况截至目前，完成了某路小学加固工程。" + body
            + "（二）公办幼儿园建设情况新建公办幼儿园3所，" + body)
    assert _outline(text) == [(0, "着力加快学校项目建设"), (1, "重点建设项目推进情况"), (1, "公办幼儿园建设情况")]


def _section_titles(page: str) -> list[str]:
    """Section titles of one page, cleaned and segmented as ingest does it."""
    from ingest.clean import clean

    text = "\n".join(ln.text for ln in clean(page).lines)
    sections, _ = segment(text, "t")
    return [s.title for s in sections]


def test_a_heading_wrapped_after_a_comma_keeps_its_whole_title():
    page = (
        "某县教育局2021年工作总结\n2021年，全县教育系统扎实推进各项工作，教育事业取得明显成效。\n"
        "一、巩固拓展教育脱贫成果，\n有效衔接乡村振兴\n全年发放各类资助资金5460万元，惠及学生2万人次。\n"
        "二、推进优质均衡发展，\n提升学校办学水平\n全年新建改扩建学校11所，多媒体教室覆盖率达到100%。\n"
    )
    assert _section_titles(page)[:2] == ["巩固拓展教育脱贫成果，有效衔接乡村振兴", "推进优质均衡发展，提升学校办学水平"]


def test_a_heading_near_the_wrap_width_of_a_pdf_is_not_glued_to_its_paragraph():
    body = "全年主持局党组理论学习中心组集中学习十四次，专题研讨五次，带动系统内各级党组织开展集中学习一百六十余场。"
    wrapped = "\n".join(body[i : i + 18] for i in range(0, len(body), 18))
    page = (
        "县教育局局长2024年度述职报告\n"
        + "\n".join(("在县委县政府的坚强领导下，我始终坚持结合实际谋划教育工作，团结带领全县教育系统干部职工攻坚克难。" * 2)[i : i + 18] for i in range(0, 96, 18))
        + "\n一、强化理论武装，坚定把稳政治方向\n" + wrapped + "\n二、聚焦主责主业，全力推动教育发展\n" + wrapped + "\n"
    )
    assert _section_titles(page)[:2] == ["强化理论武装，坚定把稳政治方向", "聚焦主责主业，全力推动教育发展"]


def test_headings_glued_to_a_title_repeated_at_the_head_of_the_body_are_found():
    body = (
        "某区教育局2022年度工作总结与2023年工作打算一、2022年重点工作（一）教育质量稳步提升。全区中考平均分比上年提高5分，"
        "高考本科上线率达到61%，各学段质量监测成绩均居全市前列，群众对教育的满意度持续提高。（二）办学条件持续改善。"
        "新建改扩建中小学6所、幼儿园8所，增加学位5000余个，城区学校大班额全面消除，农村学校寄宿条件明显改善。"
        "（三）教师队伍不断加强。招聘新教师454名，组织全员培训，评选区级骨干教师120名，城乡教师交流轮岗比例达到18%。"
        "（四）教育改革深入推进。深化区管校聘改革，全区三千多名教师全员竞聘上岗，集团化办学覆盖全部义务教育学校。"
        "二、2023年工作打算（一）推进学前教育普及普惠。新建公办幼儿园3所，公办园在园幼儿占比提高到六成以上。"
    )
    assert len(body) >= 300  # a page that lost its line breaks
    titles = _section_titles("某区教育局2022年工作总结与2023年工作打算\n" + body + "\n")
    assert titles[:4] == ["2022年重点工作", "教育质量稳步提升", "办学条件持续改善", "教师队伍不断加强"]


def test_a_heading_of_clauses_wrapped_with_no_comma_at_the_break_keeps_its_whole_title():
    text = (
        "某县2023年教育工作要点\n"
        "一、坚持立德树人，全面加强学校\n"
        "思想政治教育和心理健康工作\n"
        "全县中小学配齐专职思政课教师，每校至少配备一名心理健康教师。\n"
        "二、优化资源配置，推进\n"
        "城乡学校结对帮扶\n"
        "全年新增城乡结对学校20对，选派骨干教师80名到农村学校支教。\n"
    )
    assert _outline(text) == [
        (0, "坚持立德树人，全面加强学校思想政治教育和心理健康工作"),
        (0, "优化资源配置，推进城乡学校结对帮扶"),
    ]


def test_a_one_phrase_heading_over_an_unmarked_subheading_keeps_both_apart():
    text = (
        "某县2023年教育工作要点\n"
        "一、学前教育\n"
        "普惠性幼儿园建设\n"
        "全年新建公办幼儿园3所，新增学位900个，普惠性幼儿园覆盖率达到92%。\n"
    )
    assert [t for _, t in _outline(text)][0] == "学前教育"


def test_a_number_in_square_brackets_opens_a_heading_at_the_level_that_fits():
    top = (
        "某县2023年教育工作要点\n"
        "一、办好学前教育\n全年新建公办幼儿园3所，新增学位900个。\n"
        "二、推进义务教育均衡\n新建改扩建中小学6所，消除城区大班额。\n"
        "【三】加强教师队伍建设\n招聘特岗教师150名，培训校长和骨干教师2800人次。\n"
    )
    assert _outline(top) == [(0, "办好学前教育"), (0, "推进义务教育均衡"), (0, "加强教师队伍建设")]
    under = (
        "某县2023年教育工作要点\n"
        "一、办好各类教育\n"
        "【一】学前教育\n全年新建公办幼儿园3所，新增学位900个。\n"
        "【二】义务教育\n新建改扩建中小学6所，消除城区大班额。\n"
    )
    assert _outline(under) == [(0, "办好各类教育"), (1, "学前教育"), (1, "义务教育")]


def test_a_numbered_sentence_wrapped_onto_the_next_line_is_titled_by_its_first_clause():
    text = (
        "某县2023年教育工作计划\n"
        "一、主要任务\n"
        "（一）落实课后服务，服务覆盖率保持在100%，学生自愿参与率\n"
        "达到90%以上。\n"
        "（二）坚持立德树人，推动育人方式改革，全面提升学生素质\n"
        "全县中小学开齐开足体育、美育和劳动教育课程，建成县级劳动实践基地6处，覆盖全部学校。\n"
    )
    sections, passages = segment(text, "t")
    assert [s.title for s in sections] == ["主要任务", "落实课后服务", "坚持立德树人，推动育人方式改革，全面提升学生素质"]
    assert any("100%" in p.text and "达到90%以上。" in p.text for p in passages)
