"""Cleaning on the real seeds: chrome gone, pages and lines repaired, damage fixed."""

from __future__ import annotations

import re

import pytest
from conftest import SEEDS

from ingest.chrome import is_chrome, strip_inline, strip_speech
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
    assert first.startswith("一、2017年工作情况\n2017年，市教育局")
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


# --- patterns of other archives, each as a small page of our own wording ----------------

def _text(page: str) -> str:
    """The cleaned report text of one page, as process_text gives it."""
    import hashlib

    from ingest.pipeline import process_text
    from ingest.types import Format, RawText

    raw = RawText("page.txt", page, Format.TXT, hashlib.sha256(page.encode()).hexdigest())
    return "\n".join(d.text for d in process_text(raw, "page"))


BODY = "全年新建幼儿园4所，新增学位1200个，城区大班额比例下降到1.5%，家长满意度达到97.2%。"


def test_reader_addressed_intro_and_outro_are_gone_and_the_report_stays():
    page = (
        "某县教育局2022年工作总结\n"
        "下面是小编为大家整理的某县教育局2022年工作总结，供大家参考。希望对大家有所帮助，喜欢就收藏一下吧！\n"
        f"一、学前教育\n{BODY}\n"
        "以上内容仅供参考，欢迎阅读。如果喜欢就下载吧！\n"
    )
    text = _text(page)
    for chrome in ["小编", "供大家参考", "喜欢就", "仅供参考", "欢迎阅读", "下载吧"]:
        assert chrome not in text
    assert text.startswith("某县教育局2022年工作总结\n一、学前教育\n")
    assert BODY in text


def test_chrome_inserted_inside_a_sentence_or_a_word_closes_up():
    page = (
        "某县教育局2022年工作总结\n"
        "一、控辍保学\n"
        "坚持动态监测，本文来源于网络，仅供参考，如有侵权请联系删除。建立三级台账，全年劝返复学学生12名。\n"
        "选派骨干教师到城区学校跟岗研本文来源于网络，仅供参考，如有侵权请联系删除修，每期三个月。\n"
        "完善教师发展中心组织架构，成---本文来源于网络，仅供参考，勿照抄，如有侵权请联系删除---立学前教育发展中心。\n"
        "全面落实资助政策，（更多精彩内容请关注本站公众号）确保不让一个学生因贫失学。\n"
    )
    text = _text(page)
    assert "来源于网络" not in text and "侵权" not in text and "本站" not in text and "---" not in text
    assert "坚持动态监测。建立三级台账，全年劝返复学学生12名。" in text
    assert "跟岗研修，每期三个月。" in text
    assert "成立学前教育发展中心。" in text
    assert "全面落实资助政策，确保不让一个学生因贫失学。" in text


def test_html_left_in_text_is_undone():
    page = (
        '<p class="ql-block">某区教育局2023年工作要点</p>\n'
        '<p class="ql-block">一、总体要求</p><p class="ql-block">&nbsp;&nbsp;坚持<b>立德树人</b>，'
        "办好人民满意的教育，新增学位&nbsp;800个，课后服务覆盖率达到100%。</p><br/>\n"
    )
    text = _text(page)
    assert "<" not in text and "&nbsp;" not in text and "ql-block" not in text
    assert "一、总体要求\n坚持立德树人，办好人民满意的教育，新增学位800个，课后服务覆盖率达到100%。" in text


def test_bylines_breadcrumbs_and_counters_are_not_report_text():
    page = (
        "首页 > 工作总结 > 教育工作总结 > 正文\n"
        "某区2023年秋季开学专项督导情况报告\n"
        "2023-11-24 11:54 某区政府教育督导室\n"
        "发布时间：2023-11-25　来源：某区教育局　作者：督导室　浏览次数：328\n"
        "2023-01-09  阅读(1286)  收藏  下载Word\n"
        f"一、基本情况\n{BODY}\n"
        "第1页 / 共3页\n"
        "- 2 -\n"
        "首页 | 工作总结 | 工作计划 | 述职报告\n"
    )
    text = _text(page)
    assert text.startswith("某区2023年秋季开学专项督导情况报告\n一、基本情况\n")
    for chrome in ["11:54", "浏览次数", "阅读(1286)", "首页", "共3页", "- 2 -"]:
        assert chrome not in text


def test_pinyin_glosses_planted_marks_and_doubled_quotes_are_removed():
    line = normalize_line("工作總結(jié)是對(duì)全年教(jiào)育工作的.回顾，推进思ꦜ政课建设💃，落实““十四五””规划。")
    assert line == "工作總結是對全年教育工作的回顾，推进思政课建设，落实“十四五”规划。"
    assert normalize_line("一、,教育投入有力,,占支出的22.8%,,比上年提高") == "一、教育投入有力，占支出的22.8%，比上年提高"
    # Real brackets, dotted headings and name dots stay.
    assert normalize_line("一.指导思想（试行）") == "一.指导思想（试行）"
    assert normalize_line("阿卜杜·热合曼老师") == "阿卜杜·热合曼老师"


def test_report_sentences_that_use_site_words_are_kept():
    kept = [
        "推荐优秀教师3名参加省级评选，推荐理由充分。",
        "市教育资源平台资源下载量35.1万次，阅读量持续增长。",
        "加强知识产权和版权保护教育，组织学生参观版权局。",
        "我们为大家办实事，希望家长积极参与学校管理。",
    ]
    text = _text("某区教育局2022年工作总结\n一、主要工作\n" + "\n".join(kept) + "\n")
    for sentence in kept:
        assert sentence in text


def _wrap(text: str, n: int) -> str:
    return "\n".join(text[i : i + n] for i in range(0, len(text), n))


PARAGRAPHS = [
    "今年以来，县教育局坚持把教育摆在优先发展的战略位置，以项目建设、队伍建设和质量提升为抓手，推动全县教育事业高质量发展，各项工作取得明显成效，群众满意度持续提升。",
    "全年投入教育资金3.2亿元，新建城北小学综合楼和城东中心幼儿园，改造农村薄弱学校18所，新增学位2400个，城区学校大班额全部消除，乡村学校办学条件显著改善。",
]


@pytest.mark.parametrize("width", [20, 27, 36])
def test_wrapped_pdf_text_is_joined_mid_word_and_headings_stay_apart(width):
    page = "县教育局2022年工作总结\n一、主要成效\n" + _wrap(PARAGRAPHS[0], width) + "\n二、办学条件\n" + _wrap(PARAGRAPHS[1], width) + "\n"
    text = _text(page)
    assert f"\n一、主要成效\n{PARAGRAPHS[0]}\n二、办学条件\n{PARAGRAPHS[1]}" in text


def test_a_line_repeating_the_title_inside_the_body_is_kept():
    title = "某县教育局2022年工作总结"
    page = f"{title}\n一、总体情况\n{BODY}\n{title}\n{PARAGRAPHS[0]}\n"
    text = _text(page)
    assert text.count(title) == 2 and PARAGRAPHS[0] in text


def test_control_characters_never_reach_the_text():
    text = _text("某县教育局\x072022年工作总结\n一、总体情况\n全年新建\u202e幼儿园4所，\x1b新增学位1200个，满意度达到97.2%。\n")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", text)
    assert "全年新建幼儿园4所，新增学位1200个" in text


def test_a_pdf_running_head_and_page_numbers_leave_the_sentence_whole():
    title = "某县教育局2022年工作总结"
    page = (
        f"{title}\n一、课后服务\n"
        "全县义务教育学校全部开展课后服务，各校结合实际开设舞蹈\n"
        "— 1 —\n"
        f"{title}\n"
        "、书法、足球等特色课程，学生按兴趣自主选择，参与率达到96.8%。\n"
        "二、队伍建设\n"
        "全年培训教师1200人次，我们坚持改革创新 2\n"
        "工作思路，教师满意度达到95.1%。\n"
        "全县新建学校 12\n"
        "所，新增学位3000个。\n"
    )
    text = _text(page)
    assert text.count(title) == 1
    assert "开设舞蹈、书法、足球等特色课程" in text
    assert "坚持改革创新工作思路" in text
    assert "12" in text and "— 1 —" not in text


def test_a_teaser_before_its_paragraph_and_a_related_list_before_the_title_go():
    page = (
        "相关推荐\n"
        "2021年某县教育局工作总结\n"
        "2020年某乡中心校工作总结\n"
        "某县教育局2022年工作总结\n"
        "2022年，我局坚持立德树人根本任务，全面推进义务教育优质均\n"
        "2022年，我局坚持立德树人根本任务，全面推进义务教育优质均衡发展，各项工作取得新成效。\n"
    )
    text = _text(page)
    assert text == "某县教育局2022年工作总结\n2022年，我局坚持立德树人根本任务，全面推进义务教育优质均衡发展，各项工作取得新成效。"


def test_site_notes_about_the_document_and_its_preview_go():
    page = (
        "某区教育局2022年工作要点\n"
        "提示：全文共6页，免费试读部分已经结束，觉得有用就下载收藏吧！\n"
        "（节选：全文2286字，本页显示1904字）\n"
        "已浏览2页，剩余3页待读  点击继续免费浏览\n"
        f"一、学前教育\n{BODY}\n"
    )
    assert _text(page) == f"某区教育局2022年工作要点\n一、学前教育\n{BODY}"


def test_words_that_only_look_like_site_notes_stay():
    kept = [
        "城区学校大班额问题尚未完全解决，部分学校教育信息化设备老化。",
        "组织教师学习交流，撰写心得体会200余篇，评选优秀案例30个。",
        "全县共有教学点12个，其中本文化站辅导点3个。",
        "学校开通家校互动平台，家长可打开手机查看学生作业完成情况。",
        "举办读书节活动，推荐阅读书目100种，喜欢就读的学生越来越多。",
        "建成数字资源文库，收录优质课件3000个，全县学校均建立电子文库。",
    ]
    text = _text("某县教育局2022年工作总结\n一、存在问题\n" + "\n".join(kept) + "\n")
    for sentence in kept:
        assert sentence in text


def test_a_site_name_glued_before_the_title_takes_only_its_clause():
    page = "某某文库/某县教育局2022年工作总结\n一、总体情况\n" + BODY + "\n"
    text = _text(page)
    assert "文库" not in text
    assert text.startswith("某县教育局2022年工作总结\n一、总体情况")


def test_brackets_of_a_removed_note_close_with_it():
    assert strip_speech("作者：佚名 字数：2146字 下载本文（需登录）") == "作者：佚名 字数：2146字"
    assert strip_speech("【某某工作总结范文(通用2篇)】相关文章") == "【某某工作总结范文】相关文章"
    assert strip_speech("（本文来源于网络，仅供学习参考，如有侵权请联系删除）") == ""


def test_a_wrapped_body_line_that_holds_the_title_is_kept():
    title = "某县教育局二〇二一年度工作总结"  # 15 characters, the wrap width below
    prefix = "全年各项工作稳步推进，各校认真落实，年底前局办公室牵头起草了"
    rest = "初稿，经局党组会议讨论修改后定稿，全年工作总体完成良好，群众满意度持续提升，各项指标均达到年初目标。"
    assert len(prefix) % len(title) == 0
    para = prefix + title + rest
    page = f"{title}\n一、总体情况\n" + _wrap(para, len(title)) + "\n"
    assert para in _text(page)


def test_lines_broken_at_quotation_marks_are_joined():
    page = (
        "某县教育局2022年调研报告\n一、存在问题\n"
        '近三年通过"\n特岗计划"\n和公开招聘补充教师412名，但同期退休教师达到365名。\n'
        "开展“劳模工匠\n进校园”活动，覆盖学生3000人。\n"
        "二、对策建议\n按学科缺口定向招聘教师。\n"
    )
    text = _text(page)
    assert '近三年通过"特岗计划"和公开招聘补充教师412名' in text
    assert "开展“劳模工匠进校园”活动" in text
    assert "\n二、对策建议\n" in text


def test_talk_about_the_genre_and_site_counters_go_but_questions_in_a_speech_stay():
    page = (
        "某某范文 人气：1.61W\n"
        "某县学生资助工作总结\n"
        "一段时间的工作结束了，好好写写工作总结，吸取经验教训吧。那么工作总结的格式，你掌握了吗？"
        "以下是小编整理的资助工作总结，欢迎大家分享。\n"
        "一、基本情况\n全年资助学生3200人次，发放资金516万元。各校要认真总结经验，难道不是吗？\n"
    )
    assert _text(page) == "某县学生资助工作总结\n一、基本情况\n全年资助学生3200人次，发放资金516万元。各校要认真总结经验，难道不是吗？"


def test_a_table_of_contents_run_into_the_title_goes():
    assert strip_speech("某市教育局2023年工作要点目录一、总体要求1二、重点任务2（一）加强党的领导2三、保障措施10") == "某市教育局2023年工作要点"
    assert strip_speech("目录中列出学校名单，共3所。") == "目录中列出学校名单，共3所。"


def test_a_posting_date_goes_and_the_reports_own_signature_date_stays():
    page = (
        "某区教育局2022年工作总结\n2023-01-09 某区教育局\n"
        f"一、总体情况\n{BODY}\n某区教育局\n2023年1月9日\n"
    )
    assert _text(page) == f"某区教育局2022年工作总结\n一、总体情况\n{BODY}\n某区教育局\n2023年1月9日"


def test_conversion_and_spinning_damage_is_repaired():
    assert repair_damage("办好人民称心的教育，家长称心度达到98%") == "办好人民满意的教育，家长满意度达到98%"


@pytest.mark.parametrize("sentence", [
    "建立班级QQ群、微信群，加强家校沟通，全年开展家访活动120余次。",
    "公布举报投诉电话，全年受理群众来信来访12件，办结率100%。",
    "吸引更多优秀青年加入我们的教师队伍，全年新招聘教师35名，其中研究生8名。",
    "学校坚持为大家提供优质服务，家长满意度达到98%。",
    "实验器材使用时请注意安全，全年未发生实验安全事故，实验开出率100%。",
    "让我们一起努力，写好教育奋进之笔，办好人民满意的教育。",
    "组织教师写写随笔，全年收集教学反思文章300余篇，汇编成册。",
    "打开学习强国APP查看学习积分，全体党员学习积分排名全县第一。",
    "建成国家智慧教育平台资源文库，收录优质课例1200节，覆盖全部学科。",
    "开展彝文ꆈꌠꁱꂷ双语教学，覆盖全县12所学校。",
])
def test_report_sentences_with_words_sites_also_use_are_kept(sentence):
    lines = clean(f"2022年教育工作总结\n一年来，全县教育工作稳步推进，各项任务全面完成。\n{sentence}\n").lines
    assert sentence in [ln.text for ln in lines]



def test_a_slogan_glued_before_the_title_goes_and_the_title_and_opening_stay():
    page = (
        "精选优质文档-----倾情为你奉上某县教育局义务教育优质均衡发展自查报告根据市教育局的通知要求，"
        "我局对照评估标准逐项开展自查，现将自查情况报告如下：\n一、基本情况\n" + BODY + "\n"
    )
    text = _text(page)
    assert text.startswith("某县教育局义务教育优质均衡发展自查报告根据市教育局的通知要求，我局对照评估标准逐项开展自查，现将自查情况报告如下")
    assert "精选" not in text and "奉上" not in text


def test_a_compilation_s_joints_are_not_report_text():
    """'（本篇完，以下为第2篇）' and a run of member labels are the compilation's, never a report's."""
    page = (
        "幼儿园工作总结【篇一】【篇二】\n某县第一幼儿园2022年工作总结\n" + BODY + "\n（本篇完，以下为第2篇）\n"
    )
    text = _text(page)
    assert "【篇" not in text and "本篇完" not in text
    assert text.endswith("某县第一幼儿园2022年工作总结\n" + BODY)
    assert strip_speech("全面完成本篇完成情况统计。") == "全面完成本篇完成情况统计。"


def test_a_bold_or_bracketed_heading_before_the_first_body_line_stays():
    page = "某县教育局2024年工作要点\n**一、指导思想**\n" + BODY + "\n【二、主要任务】\n" + BODY + "\n"
    assert _text(page).split("\n")[:2] == ["某县教育局2024年工作要点", "**一、指导思想**"]


def test_a_speech_title_without_a_doc_type_word_stays_above_its_subtitle():
    page = (
        "首页 > 新闻中心 > 领导讲话\n凝心聚力 奋力推动全县教育高质量发展\n2024-03-01 09:30 来源：县教育局\n"
        "——在2024年全县教育工作会议上的报告\n同志们：\n" + BODY + "\n"
    )
    lines = _text(page).split("\n")
    assert lines[:3] == ["凝心聚力 奋力推动全县教育高质量发展", "——在2024年全县教育工作会议上的报告", "同志们："]
    # Without a subtitle a slogan line before the body is not kept as a title.
    assert not _text("凝心聚力 奋力推动全县教育高质量发展\n" + BODY + "\n").startswith("凝心聚力")


def test_the_site_s_variants_of_a_title_go_and_the_report_s_own_title_line_stays():
    """Page title and teaser repeat the title with another year; the line nearest the body is the report's."""
    page = (
        "某某范文网为您提供优质参考范文！工作总结 工作计划 自查报告\n"
        "2024年县教育局工作总结及2024年工作打算【精选推荐】\n"
        "下面是小编为大家整理的2023年县教育局工作总结及2024年工作打算，供大家参考。\n"
        "2023年县教育局工作总结及2024年工作打算【精选推荐】\n"
        "县教育局2023年工作总结及2024年工作打算\n"
        "现将2023年教育工作开展情况及2024年工作打算汇报如下：\n"
        "一、2023年主要工作\n" + BODY + "\n"
    )
    assert _text(page).split("\n")[:3] == [
        "县教育局2023年工作总结及2024年工作打算", "现将2023年教育工作开展情况及2024年工作打算汇报如下：", "一、2023年主要工作"]


def test_a_related_list_before_the_body_still_goes_but_not_the_title_after_it():
    page = (
        "相关推荐\n甲县2022年教育工作总结\n乙区教育局工作要点\n丙市教育督导报告\n"
        "丁县教育局2023年工作总结\n一、主要成绩\n" + BODY + "\n"
    )
    assert _text(page).split("\n")[:2] == ["丁县教育局2023年工作总结", "一、主要成绩"]


@pytest.mark.parametrize("line", ["工作总结 工作计划 自查报告", "述职报告 心得体会 发言稿"])
def test_a_menu_of_genres_is_chrome(line):
    assert is_chrome(line)


def test_preview_pages_join_also_when_the_last_page_is_short():
    first = "1、教育局2021年工作总结今年是规划的开局之年，现将今年工作完成情况总结如下。" + BODY * 3 + "三是职业教育持续发"
    page = first + "\n2、展。市职业教育中心学校入选省级示范学校，获得金牌3项。\n"
    assert _text(page).endswith("三是职业教育持续发展。市职业教育中心学校入选省级示范学校，获得金牌3项。")


@pytest.mark.parametrize(
    "line,left",
    [
        ("某某图书馆网为您提供优质参考范文！工作总结 工作计划 党课下载 策划方案 自查报告 对照材料", ""),
        ("引言：寻求写作上的突破？我们特意为您精选了12篇督导汇报材料范文，希望对您有所帮助。", ""),
        ("如若转载，请注明出处：https://www.example.com/100979.html", ""),
        ("编号：658229379区教育局2019年上半年工作总结", "区教育局2019年上半年工作总结"),
        ("本报讯（记者 赵宁）3月11日，市督导评估组来我县督导工作。", "3月11日，市督导评估组来我县督导工作。"),
        # Report sentences that share words with those forms stay whole.
        ("图书馆为大家提供丰富的学习资料，借阅量增长20%。", "图书馆为大家提供丰富的学习资料，借阅量增长20%。"),
        ("记者节当天，我局表彰优秀通讯员12名。", "记者节当天，我局表彰优秀通讯员12名。"),
        ("项目编号：20230415，总投资300万元。", "项目编号：20230415，总投资300万元。"),
    ],
)
def test_more_site_speech_forms_go_and_report_sentences_stay(line, left):
    assert strip_speech(line) == left or (not left and is_chrome(strip_speech(line)))


# --- notices about the site, its documents and their rights (issue 9) -------


@pytest.mark.parametrize(
    "notice",
    [
        "本资料属于会员专享资料，开通会员即可免费下载。",
        "升级会员之后，每保存一份文档扣除1点下载额度，文档一经保存概不退还。",
        "作者原创，不允许二次传播，一经发现收回会员权益，追究法律责任。",
        "好好学习，天天向上，某某学科网欢迎您！",
        "喜欢本文就点个在看，分享给更多的朋友吧",
        "以下是我们为您分享的某县教育局2019年工作总结，希望您能从中找到有用的内容！",
        "本站仅提供信息存储空间服务，对上载内容不做任何修改。",
    ],
)
def test_a_notice_about_the_site_goes_whole_in_any_wording(notice):
    assert strip_speech(notice) == ""


@pytest.mark.parametrize(
    "sentence",
    [
        "市教育工会新发展工会会员320名，组织会员开展读书分享活动。",
        "组织开展青少年版权保护宣传周活动，引导学生抵制盗版和侵权行为。",
        "县图书馆数字资源平台向全县师生开放，师生可免费阅读和下载电子图书。",
        "坚持“一人一案”动态监测，建立县、乡、校三级台账。",
        "对于农村留守的小朋友们来说，营养午餐让他们吃得饱、吃得好。",
        "学校食堂为大家准备了营养均衡的午餐，师生满意度达到95%。",
        "今天，我为大家分享我县推进集团化办学的三点做法。",
    ],
)
def test_a_report_sentence_using_the_site_s_words_stays_whole(sentence):
    assert strip_speech(sentence) == sentence
    assert sentence in _text("某县教育局2023年工作总结\n" + sentence + "\n" + BODY + "\n")


def test_a_line_judged_chrome_keeps_its_sentences_about_education_work():
    line = "各学校按要求将网络安全自查情况以Word文档形式报送市教育局；平台累计用户上传原创微课作品1260件，教师下载使用12万次。"
    assert is_chrome(line)
    assert line in _text("某县教育局2023年工作总结\n" + BODY + "\n" + line + "\n" + BODY + "\n")


def test_a_report_s_closing_items_stay_and_a_site_s_numbered_rules_after_it_go():
    page = (
        "某县教育局2023年工作总结\n一、主要工作\n" + BODY + "\n四、下一步打算\n1.完善资源平台功能\n"
        "2.推进智慧校园示范校建设\n特此报告。\n3.付费前请阅读\n4.侵权请举报\n"
    )
    text = _text(page)
    assert text.endswith("四、下一步打算\n1.完善资源平台功能\n2.推进智慧校园示范校建设\n特此报告。")


def test_symbol_lines_user_bylines_and_periodical_marks_are_chrome():
    assert is_chrome("×") and is_chrome("|")
    assert is_chrome(normalize_line("lanxin88 总结与计划 26 阅读模式"))
    assert is_chrome(normalize_line("发表人/单位：市教育局 发表日期：2021-01-12 [ 字体显示：大 中 小 ]"))
    assert normalize_line("<正>近年来，全县学龄人口持续减少。") == "近年来，全县学龄人口持续减少。"
    assert normalize_line("一、 巩固成果 ， 有效衔接") == "一、巩固成果，有效衔接"


def test_a_speech_titled_by_its_genre_keeps_its_title_line_above_the_body():
    page = "某某网欢迎您！\n当前位置：首页 > 讲话\n在全县中小学运动会开幕式上的致辞\n同志们：\n" + BODY + "\n"
    assert _text(page).split("\n")[:2] == ["在全县中小学运动会开幕式上的致辞", "同志们："]


def test_a_sentence_that_opens_as_a_notice_goes_to_its_end_and_style_notes_go():
    assert strip_speech("本文旨在为您呈现一篇范文，以期提供写作思路，助力总结更具深度。") == ""
    assert strip_speech("（全面汇报式：结构严谨，内容详实，适合正式汇报与存档）") == ""


def test_header_greetings_bracketed_field_rows_and_comment_counters_are_chrome():
    assert is_chrome("某某第十中学 欢迎您！")
    assert is_chrome("【字体：[大][中][小]】【发布时间：2021-07-26】【作者：管理员】【关闭窗口】")
    assert is_chrome("共有0条评论") and is_chrome("频道推荐")
    assert not is_chrome("【三】加强教师队伍建设")


def test_a_labelled_site_note_goes_with_its_label():
    assert strip_speech("温馨提示：某某网小编为您整理了“教育局工作总结”，方便广大网友查阅！") == ""
    assert strip_speech("不管职场人担任什么职位，都需要会写工作总结，它能提高我们的写作能力。") == ""


def test_a_labelled_title_line_keeps_the_title_without_its_label():
    assert normalize_line("文章标题：市教育局局长的述职报告") == "市教育局局长的述职报告"
    assert normalize_line("标题党现象值得警惕。") == "标题党现象值得警惕。"


def test_a_wrapped_pdf_line_that_starts_or_ends_with_download_is_report_text():
    assert is_chrome("下载该Word文档") and is_chrome("加入收藏") and is_chrome("WORD下载")
    assert not is_chrome("下载安装国家中小学智慧教育平台客户端并")
    assert not is_chrome("组织全县师生登录平台浏览并下载")
    lines = ["全县中小学组织师生注册账号并", "下载安装国家中小学智慧教育平台客户端并", "开展线上学习活动，累计参与师生超过三万人次。"]
    para = "".join(lines)  # the sentence as written before the page wrapped it
    assert para in _text("某县教育局2023年工作总结\n" + BODY + "\n" + "\n".join(lines) + "\n" + BODY + "\n").replace("\n", "")


# --- what stands under a speech's title before its body ---------------------------------

SPEECH_BODY = "同志们：\n今天召开全县教育工作会议，主要任务是回顾去年工作，部署今年任务，全县新建校舍12所。\n"


def _head(page: str) -> list[str]:
    """The cleaned lines before the first line of running text."""
    lines = [ln.text for ln in clean(page).lines]
    return lines[: lines.index("同志们：")]


@pytest.mark.parametrize(
    "date", ["（2019年3月8日）", "2019年3月8日）", "(二〇一九年三月八日)", "（2019年3月8日在全县教育工作会议上）"]
)
def test_a_speech_s_own_date_under_its_title_stays(date):
    page = f"某县教育工作会议主持词\n王 某 某\n{date}\n{SPEECH_BODY}"
    assert _head(page) == ["某县教育工作会议主持词", "王 某 某", date]


def test_the_speaker_under_a_speech_title_stays_with_or_without_a_name():
    with_name = f"在全县教育工作会议上的讲话\n某县教育局党组书记、局长 王某某\n{SPEECH_BODY}"
    assert _head(with_name) == ["在全县教育工作会议上的讲话", "某县教育局党组书记、局长 王某某"]
    office = f"在全市教育工作会议上的讲话\n某市教育局局长\n{SPEECH_BODY}"
    assert _head(office) == ["在全市教育工作会议上的讲话", "某市教育局局长"]


def test_a_title_broken_before_its_type_word_keeps_both_lines():
    page = f"迎接某省某市教育考察团\n欢迎词\n某区教育局局长 王某某\n{SPEECH_BODY}"
    assert _head(page) == ["迎接某省某市教育考察团", "欢迎词", "某区教育局局长 王某某"]
    page = f"关于某镇中小学教师队伍现状的\n汇报材料\n{SPEECH_BODY}"
    assert _head(page) == ["关于某镇中小学教师队伍现状的", "汇报材料"]


def test_bylines_and_stray_lines_under_a_title_still_go():
    page = (
        "在全县教育工作会议上的讲话\n"
        "2023-11-24 11:54 来源：某县教育局\n"
        "发布时间：2023年11月24日 浏览次数：326\n"
        "某某范文网\n"
        f"{SPEECH_BODY}"
    )
    assert _head(page) == ["在全县教育工作会议上的讲话"]
    # A speaker or a date with no title above it is no speech's: the other rules judge it.
    assert _head(f"某某范文网\n（2019年3月8日）\n某县教育局局长\n{SPEECH_BODY}") == []


def test_a_page_counter_glued_before_a_year_is_cut_and_the_year_kept():
    lines = [ln.text for ln in clean(f"1/222023年某县教育局工作计划\n{BODY}\n").lines]
    assert lines[0] == "2023年某县教育局工作计划"
    # Not a counter when the first number exceeds the second: nothing is cut.
    assert strip_inline("12/32023年") == "12/32023年"


def test_a_trail_of_two_crumbs_from_a_home_page_or_a_site_goes_whole():
    for trail in ["首页 > 讲话稿", "某某范文网 > 工作总结", "某某文库 » 工作计划"]:
        assert is_chrome(trail), trail
    assert _head(f"某某范文网 > 讲话稿\n在全县教育工作会议上的讲话\n{SPEECH_BODY}") == ["在全县教育工作会议上的讲话"]
    assert not is_chrome("班额>55人的学校")


@pytest.mark.parametrize("speaker", ["（某县教育局局长 王某某）", "——某县教育局局长 王某某", "(王某某)"])
def test_a_speaker_in_brackets_or_after_a_dash_stays_under_the_title(speaker):
    page = f"在全县教育工作会议上的讲话\n{speaker}\n（2019年3月8日）\n{SPEECH_BODY}"
    assert _head(page) == ["在全县教育工作会议上的讲话", speaker, "（2019年3月8日）"]


@pytest.mark.parametrize("sentence", [
    "教师可将优质课件下载到本地，开展离线教学。",
    "家长扫描二维码即可查询学生成绩和在校表现。",
    "希望大家继续关注和支持教育事业的发展。",
])
def test_report_sentences_with_download_qr_or_support_words_stay_whole(sentence):
    """Words a site's prompts also use (下载到, 扫描二维码, 关注和支持) do not make a report sentence chrome."""
    lines = [line.text for line in clean(f"一、教学工作\n全县教师参加培训1200人次。{sentence}\n二、后勤保障\n").lines]
    assert any(sentence in line for line in lines), lines
