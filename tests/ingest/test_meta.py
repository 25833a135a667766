"""Report metadata on the forms other archives use: titles, years, doc types and regions."""

from __future__ import annotations

import pytest

from ingest.meta import choose_title, derive_title, doc_types, extract, resolve_region, subject_years, title_in
from ingest.pipeline import process_text
from ingest.types import DocType, Format, Level, RawText, Region

BODY = "全县教育系统认真落实各项任务，办学条件持续改善，教育质量稳步提升，群众满意度不断提高。"


def _raw(text: str, source: str = "07.txt", hint: str = "") -> RawText:
    return RawText(source, text, Format.TXT, "0" * 64, "utf-8", hint)


# --- titles -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line,title",
    [
        ("长林县教育局2022年工作总结", "长林县教育局2022年工作总结"),
        ("桐溪市教育局2022年工作总结及2023年工作打算一、主要成绩（一）办学条件改善。", "桐溪市教育局2022年工作总结及2023年工作打算"),
        ("区县教育扶贫工作总结近年来，我区县坚持把教育扶贫作为重点。", "区县教育扶贫工作总结"),
        ("现将2021年工作总结如下：", ""),
        ("长林县教育局年度工作总结和2023年工作计划长林县教育局年度工作总结和2023年工作计划一年来，我局稳步推进。",
         "长林县教育局年度工作总结和2023年工作计划"),
        ("教育局2022工作总结及2023年工作计划今年是规划实施之年，全局上下齐心协力。", "教育局2022工作总结及2023年工作计划"),
        ("一年来，我局认真贯彻上级部署，工作总结如下。", ""),
    ],
)
def test_the_title_a_line_holds_also_when_glued_to_what_follows(line, title):
    assert title_in(line) == title


def test_a_specific_title_line_under_a_generic_compilation_boundary_wins():
    head = ["县教育局工作总结范文(二)", "峨山县教育体育局2020年上半年工作总结", BODY]
    assert choose_title("县教育局工作总结范文(二)", head, []) == "峨山县教育体育局2020年上半年工作总结"


def test_an_ordinal_boundary_is_never_the_title():
    assert choose_title("第二篇", ["第二篇", "汉川市马口镇中心学校办学条件自查报告", BODY], []) == (
        "汉川市马口镇中心学校办学条件自查报告")


def test_a_boundary_with_nothing_better_below_stays_the_title():
    assert choose_title("2020精选教育局工作报告范文(二)", ["2020精选教育局工作报告范文(二)", "各位领导，同志们："], []) == (
        "2020精选教育局工作报告(二)")


def test_a_site_name_or_file_name_is_not_a_title_but_a_fuller_file_title_is():
    assert choose_title("", [BODY], ["范文之家 | 海量范文", "某某文库首页"]) == ""
    assert choose_title("", ["县教育督导8月份工作总结", BODY], ["2023年县教育督导8月份工作总结"]) == (
        "2023年县教育督导8月份工作总结")


def test_a_file_without_a_title_line_gets_a_derived_title_never_its_file_name():
    text = "2021年，呼兰区教育局在区委、区政府的领导下，较好地完成了各项任务。现将2021年工作总结如下：\n一、办学条件改善\n" + BODY
    doc = process_text(_raw(text, source="13.txt"), "13")[0]
    assert doc.title_derived is True
    assert doc.title == "呼兰区教育局2021年工作总结"
    assert (doc.years, doc.doc_type) == ((2021,), "工作总结")


def test_derived_title_from_region_years_and_type():
    region = Region("甘肃省", "武威市", "天祝藏族自治县", "620623")
    assert derive_title(region, (2022,), DocType.SUMMARY) == "天祝藏族自治县2022年教育工作总结"
    assert derive_title(region, (2022, 2023), DocType.PLAN) == "天祝藏族自治县2022—2023年教育工作计划"
    assert derive_title(Region(), (), DocType.OTHER) == "教育工作材料"


# --- years ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,years",
    [
        ("为做好迎检工作，现将我校2022年自查情况报告如下。" + BODY, (2022,)),
        ("下面，我就我县2023年以来的教育工作作简要汇报。" + BODY, (2023,)),
        ("一年来，在县委县政府领导下，2019年全县各项工作稳步推进。" + BODY, (2019,)),
        ("2021年，全区教育系统攻坚克难。" + BODY, (2021,)),
        ("现将我校2021—2022学年度工作总结如下：" + BODY, (2021, 2022)),
    ],
)
def test_years_from_the_opening_when_title_and_headings_name_none(text, years):
    assert subject_years("", [], text) == years


@pytest.mark.parametrize(
    "text",
    [
        "2023-11-24 11:54 区政府教育督导室\n" + BODY,
        BODY + "\n长林县教育局\n2023年1月6日",
        "（2014年3月5日）\n" + BODY,
        "根据《关于开展督导评估的通知》（长政办〔2022〕15号）要求，" + BODY,
    ],
)
def test_page_dates_bylines_stamps_and_document_numbers_are_not_the_subject_year(text):
    assert subject_years("", [], text) == ()


def test_a_placeholder_year_never_becomes_a_year():
    assert subject_years("xx幼儿园20xx年度工作总结", [], "xxxx年，我园" + BODY) == ()


def test_a_dated_heading_byline_is_not_a_heading_year():
    assert subject_years("", ["2023-11-24 11:54 沙区政府教育督导室"], BODY) == ()


# --- doc types --------------------------------------------------------------


@pytest.mark.parametrize(
    "title,head,kind",
    [
        ("关于2023年秋季开学工作专项督导情况的报告", "", DocType.INSPECTION),
        ("合江县实验小学义务教育优质均衡发展自查报告", "", DocType.SELF_CHECK),
        ("绥德县教育工作汇报", "", DocType.BRIEFING),
        ("", "现将2021年工作总结如下：" + BODY, DocType.SUMMARY),
        ("", "根据县委安排，现将2024年工作计划如下：" + BODY, DocType.PLAN),
        ("", "现将自查情况报告如下：" + BODY, DocType.SELF_CHECK),
        ("", "下面，我就近期工作作简要汇报。" + BODY, DocType.BRIEFING),
        ("", BODY, DocType.OTHER),
    ],
)
def test_doc_type_from_the_title_or_else_the_report_s_own_words(title, head, kind):
    assert doc_types(title, [], head)[0] is kind


def test_the_opening_outranks_a_closing_plans_heading_when_there_is_no_title():
    assert doc_types("", ["存在的问题", "下一步工作打算"], "现将2021年工作总结如下：")[0] is DocType.SUMMARY


def test_doc_types_are_enum_members_with_the_chinese_value():
    meta = extract("长林县教育局2022年工作要点", BODY, [])
    assert meta.doc_type is DocType.KEY_POINTS and meta.doc_type == "工作要点" and f"{meta.doc_type}" == "工作要点"


# --- regions ----------------------------------------------------------------


@pytest.mark.parametrize(
    "title,text,region",
    [
        ("天祝县教育局2022年工作总结", "全县教育系统" + BODY, "甘肃省武威市天祝藏族自治县"),
        ("", "峨山县教育体育局认真落实上级部署。全县" + BODY, "云南省玉溪市峨山彝族自治县"),
        ("九台教育2023年工作计划", "九台教育系统将持续深化改革。全区" + BODY, "吉林省长春市九台区"),
        ("", "隆德教育系统扎实推进控辍保学。全县" + BODY, "宁夏回族自治区固原市隆德县"),
    ],
)
def test_short_forms_resolve_when_the_report_speaks_from_there(title, text, region):
    meta = extract(title, text, [])
    assert meta.region.display == region


def test_a_common_word_that_contains_a_short_place_name_is_not_that_place():
    assert resolve_region("全县行政和教育督导工作有序开展。全县" + BODY, "2023年县教育督导工作总结", Level.COUNTY).display == ""


@pytest.mark.parametrize("place", ["xx区", "*县", "***县", "××区", "某县", "XX市"])
def test_placeholders_are_never_a_region(place):
    text = f"{place}教育局认真履行职责，{place}委、{place}政府高度重视教育。全县" + BODY
    assert extract(f"{place}教育局2021年工作总结", text, []).region.display == ""


def test_a_school_speaks_from_the_county_it_names_not_the_city_office_it_answers_to():
    text = "根据泸州市教育局的工作安排，我校对照标准开展自查。我校现有教学班42个。全校" + BODY
    meta = extract("合江县实验小学义务教育优质均衡发展自查报告", text, [])
    assert meta.region.display == "四川省泸州市合江县" and meta.level is Level.SCHOOL


def test_aid_destinations_and_schools_named_after_places_do_not_make_the_region():
    text = ("峨山县教育体育局组织教师赴昆明市学习。选派骨干教师赴澜沧县支教，为澜沧县培训教师120人。"
            "北京师范大学专家来校指导。全县" + BODY)
    assert extract("", text, []).region.display == "云南省玉溪市峨山彝族自治县"


# --- added rules: title issuer, forwarded reports, subtitles, blanks ----------


def test_the_office_heading_the_title_is_the_region_whatever_partners_the_text_names():
    text = ("与福建省厦门市同安区教育局开展东西部协作，接受同安区捐赠图书2000册，选派教师赴同安区跟岗学习。"
            "同安区派出支教教师12名。全县" + BODY)
    assert extract("隆德县教育局2020年教育扶贫工作总结", text, []).region.display == "宁夏回族自治区固原市隆德县"


def test_an_ambiguous_office_name_in_the_title_is_settled_by_the_province_named_in_the_text():
    text = "甘肃省兰州市城关区教育局认真落实东西部协作任务，天津市和平区选派教师来我区支教。全区" + BODY
    assert extract("城关区教育局2022年东西部协作工作总结", text, []).region.display == "甘肃省兰州市城关区"


def test_a_county_report_naming_one_county_once_speaks_from_it():
    text = "今年以来，我局紧紧围绕洞头海岛教育品质提升，推进温州市级课题。全区" + BODY
    assert extract("区教育局2018年工作总结", text, []).region.display == "浙江省温州市洞头区"


@pytest.mark.parametrize(
    "raw,title",
    [
        ("关于印发《石柱县2019年教育督导工作总结》的通知", "石柱县2019年教育督导工作总结"),
        ("## 达川区教育局2024年教育工作要点", "达川区教育局2024年教育工作要点"),
        ("20__年度中心学校工作总结", "20__年度中心学校工作总结"),
        ("2021年教育局工作总结范文_某某范文网", "2021年教育局工作总结"),
        ("关于长林县农村教师队伍建设的调研报告Word文档下载推荐", "关于长林县农村教师队伍建设的调研报告"),
        ("2020精选教育局工作报告范文(二)", "2020精选教育局工作报告(二)"),
    ],
)
def test_clean_titles(raw, title):
    from ingest.meta import clean_title

    assert clean_title(raw) == title


def test_a_speech_subtitle_gives_the_title_to_the_line_above_it():
    head = ["凝心聚力 奋力推动全市教育高质量发展", "——在2024年全市教育工作会议上的报告", "同志们："]
    assert choose_title("", head, []) == "凝心聚力 奋力推动全市教育高质量发展"


def test_a_numbered_item_is_not_a_title():
    assert choose_title("", ["2.实施思政课“大师资”计划", BODY], []) == ""


def test_plans_headings_do_not_add_years_to_a_titled_summary_but_title_lines_above_the_body_do():
    headings = ["教育资源持续扩充", "2023年工作打算"]
    assert subject_years("××区教育局2022年工作总结", headings, BODY) == (2022,)
    assert subject_years("2021年工作要点", [], BODY, head=["2020年工作总结"]) == (2020, 2021)
    assert subject_years("", ["加大投入，力争2023年底前配齐保教人员"], "2021年，" + BODY) == (2021,)


def test_a_statistic_since_a_year_is_not_the_report_s_year():
    text = "某县教育局于2020年5月组成调研组开展专题调研。2016年以来，全县共撤并小规模学校12所。" + BODY
    assert subject_years("", [], text) == (2020,)


def test_visitors_origin_is_not_the_region():
    text = ("昆明市五华区教育考察团一行莅临我县交流，贵阳市南明区教育代表团来我县考察。"
            "峨山县教育体育局介绍了全县教育发展情况。全县" + BODY)
    assert extract("", text, []).region.display == "云南省玉溪市峨山彝族自治县"


def test_more_opening_forms_of_the_year_and_the_type():
    assert subject_years("", [], "2011年来，在县委、县政府的正确领导下，" + BODY) == (2011,)
    assert doc_types("", [], "下面，将本县体教融合有关情况向各位领导作一简要汇报。")[0] is DocType.BRIEFING


def test_a_situation_briefing_or_circular_is_not_a_summary():
    assert doc_types("长林教育扶贫工作情况汇报", [], "")[0] is DocType.BRIEFING
    assert doc_types("长林区2023年秋季学期责任督学挂牌督导工作情况通报", [], "")[0] is DocType.CIRCULAR
    assert doc_types("长林县2021年教育工作情况", [], "")[0] is DocType.SUMMARY


def test_a_title_glued_to_a_body_that_opens_with_its_year_ends_before_the_year():
    line = "长林县教育体育局2024年工作要点2024年是全面落实规划目标任务的关键一年，全局上下齐心协力。"
    assert title_in(line) == "长林县教育体育局2024年工作要点"


def test_a_compilation_ordinal_before_a_title_is_dropped():
    from ingest.meta import clean_title

    assert clean_title("【第2篇 长林县人民政府教育督导室2020年工作总结") == "长林县人民政府教育督导室2020年工作总结"
    assert clean_title("第1篇：乡镇教育督导工作总结") == "乡镇教育督导工作总结"


def test_a_two_character_county_name_inside_other_words_is_not_that_county():
    text = "在县委、县政府和县委全委会的领导下，全县教育系统稳步推进各项工作，成效明显。"
    assert extract("2011年教育体育局工作年度总结", text, []).region.display == ""
    assert extract("", "和县教育局认真落实上级部署。全县" + BODY, []).region.display == "安徽省马鞍山市和县"


def test_a_site_s_name_line_is_not_preferred_to_the_report_s_title():
    head = ["某某教师网之工作总结", "年度教育工作总结", "过去的一年，在区教育局的领导下，全乡教育各项工作成效明显。"]
    assert choose_title("", head, []) == "年度教育工作总结"


def test_a_titled_report_adds_the_years_its_review_headings_name():
    headings = ["2022年工作成效及亮点", "2023年工作打算"]
    assert subject_years("县教育局2023年工作总结和2023年工作计划", headings, BODY) == (2022, 2023)
    assert subject_years("县教育局2022年工作总结", ["主要做法", "2023年工作打算"], BODY) == (2022,)


def test_a_slogan_titled_speech_takes_its_type_from_its_subtitle():
    text = "凝心聚力 奋力推动全县教育高质量发展\n——在2024年全县教育工作会议上的报告\n同志们：\n" + BODY + "\n一、2023年工作回顾\n" + BODY
    (doc,) = process_text(_raw(text))
    assert (doc.title, doc.doc_type, doc.years) == ("凝心聚力 奋力推动全县教育高质量发展", DocType.REPORT, (2023, 2024))


def test_a_slogan_glued_before_the_title_leaves_the_title():
    text = "精选优质文档-----倾情为你奉上长林县教育局2023年义务教育均衡发展自查报告根据市教育局通知要求，我局开展了自查。现将自查情况报告如下。\n" + BODY
    (doc,) = process_text(_raw(text))
    assert (doc.title, doc.doc_type) == ("长林县教育局2023年义务教育均衡发展自查报告", DocType.SELF_CHECK)


def test_the_only_report_shown_of_a_compilation_is_titled_by_its_own_line():
    text = "县教育工作总结（通用10篇）\n第1篇 长林县教育局2022年教育工作目标管理考评总结\n" + BODY + "\n（本篇完，以下为第2篇）"
    (doc,) = process_text(_raw(text))
    assert doc.title == "长林县教育局2022年教育工作目标管理考评总结"
    assert "第1篇" not in doc.text and "本篇完" not in doc.text


def test_an_office_name_shared_by_several_places_is_settled_by_the_places_around_it():
    """城关区 is a district of 兰州 and of 拉萨 (among others); a short 兰州 or a place in 甘肃 settles it."""
    text = "2022年，城关区教育局发挥兰州作为省会城市中心城区的优势，选派教师到临夏州东乡族自治县支教，接待天津市和平区考察团3批次。"
    region = resolve_region(text, "城关区教育局2022年对口帮扶工作总结")
    assert region.display == "甘肃省兰州市城关区"


def test_a_county_level_city_speaks_as_a_city_and_its_prefecture_is_only_the_frame():
    """青州市 says 我市 and ranks itself '在潍坊市各县市区': the speaker is 青州市, not 潍坊市."""
    text = (
        "为进一步擦亮青州优质教育品牌，现将今年工作总结如下。青州市推进集团化办学的做法在省级媒体专题报道。"
        "2021年高考，我市本科上线3120人，本科上线率在潍坊市各县市区位居前列。全市新建幼儿园9所。"
    )
    assert resolve_region(text, "教育局2021年工作总结", Level.CITY).display == "山东省潍坊市青州市"


def test_a_prefecture_city_naming_its_county_level_cities_stays_the_city():
    text = "潍坊市教育局认真落实全市教育工作会议部署。青州市、寿光市分别新建学校3所、4所，诸城市、高密市推进集团化办学。全市新增学位2万个。"
    assert resolve_region(text, "2021年教育工作总结", Level.CITY).display == "山东省潍坊市"


def test_the_town_centre_is_not_a_district_named_城区():
    text = "一是城区学位依然紧张，部分学校班额偏大；接收寿县籍在外地任教申请回乡教师12人，全县教育工作稳步推进。"
    assert resolve_region(text, "县教育局2023年工作总结", Level.COUNTY).display == "安徽省淮南市寿县"
    assert resolve_region("阳泉市城区教育局推进集团化办学，城区教育局新建学校3所。", "", Level.COUNTY).display == "山西省阳泉市城区"


def test_the_county_under_the_city_that_leads_the_report_outweighs_an_aid_destination_s_county():
    """赴恩施州巴东县支教: the county of an aid destination is one too; 市委和宜昌市教育局: a plain 'and'."""
    text = (
        "在市委市政府和宜昌市教育局的正确领导下，我区教育系统扎实推进各项工作。全区新建学校3所。"
        "夷陵区第一小学、夷陵中学分别获评省级示范学校。区教育局组织教师赴恩施州巴东县支教。"
    )
    assert resolve_region(text, "区教育局2023年工作总结", Level.COUNTY).display == "湖北省宜昌市夷陵区"


def test_a_partner_s_office_does_not_speak_for_the_report():
    text = "我县全面推进教育高质量发展，全县新增学位3200个。与湖州市吴兴区教育局签订教育协作协议，互派教师交流。"
    assert resolve_region(text, "县教育局2023年工作总结", Level.COUNTY).county != "吴兴区"


@pytest.mark.parametrize(
    "text,region",
    [
        ("我县扎实推进教育工作，全县新建学校5所，创建平安校园12所，全县新增学位2000个。", ""),
        ("海东市平安区教育局认真落实各项工作，全区新建学校3所。", "青海省海东市平安区"),
    ],
)
def test_place_names_that_are_everyday_words_count_only_in_a_chain_or_before_an_office(text, region):
    assert resolve_region(text, "县教育局2023年工作总结", Level.COUNTY).display == region


# --- speeches, duty reports, title decorations (patterns of pages from other sites) ---


@pytest.mark.parametrize(
    "title,kind",
    [
        ("在全区教育工作会议上的总结讲话", DocType.SPEECH),
        ("在全市教育系统赴外学习考察总结会上的讲话", DocType.SPEECH),
        ("在全市中小学生田径运动会开幕式上的致辞", DocType.SPEECH),
        ("迎接江苏省常州市教育考察团欢迎词", DocType.SPEECH),
        ("全县教育工作会议主持词", DocType.SPEECH),
        ("县教育体育局局长2024年度述职述责述廉报告", DocType.DUTY),
        ("会宁县第二中学校长2022年度述职述廉报告", DocType.DUTY),
        ("镇原县义务教育优质均衡发展督导评估自评报告", DocType.SELF_EVALUATION),
        ("2022年对市级人民政府履行教育职责评价报告", DocType.INSPECTION),
        ("县教育局2022年工作总结及2023年工作计划", DocType.SUMMARY),
    ],
)
def test_a_title_is_named_by_its_last_words(title, kind):
    assert doc_types(title, [], BODY)[0] is kind


def test_an_untitled_speech_is_known_by_its_salutation_and_what_it_says_it_does():
    head = "同志们：\n今天的会议开得很好。下面，我从三个方面再讲几点意见。\n" + BODY
    assert doc_types("", [], head)[0] is DocType.SPEECH
    assert doc_types("", [], "现将2021年工作总结如下：\n" + BODY)[0] is DocType.SUMMARY


@pytest.mark.parametrize(
    "raw,title",
    [
        ("[区教育局2021年上半年工作总结和下半年工作打算]【精选推荐】", "区教育局2021年上半年工作总结和下半年工作打算"),
        ("2022年教育局工作总结与2023年工作计划打算(全文)", "2022年教育局工作总结与2023年工作计划打算"),
        ("文章标题：市教育局局长的述职报告", "市教育局局长的述职报告"),
        ("教育局长致辞(通用17篇)", "教育局长致辞"),
        ("幼儿园2023年度园务工作总结范", "幼儿园2023年度园务工作总结"),
        ("县教育局工作计划模板", "县教育局工作计划"),
        ("县教育局2022年工作总结（附2023年计划）", "县教育局2022年工作总结（附2023年计划）"),
    ],
)
def test_site_tags_and_brackets_round_a_title_go(raw, title):
    assert choose_title("", [raw, BODY], []) == title


def test_a_speech_title_over_two_lines_and_a_title_glued_to_the_salutation():
    assert choose_title("", ["迎接江苏省常州市教育考察团", "欢迎词", "尊敬的各位来宾：", BODY], []) == (
        "迎接江苏省常州市教育考察团欢迎词")
    assert title_in("县教育局局长2024年度述职述廉报告尊敬的各位领导、同志们：") == "县教育局局长2024年度述职述廉报告"


def test_a_bracketed_date_under_a_title_dates_the_speech():
    text = "全县教育工作会议主持词\n（2019年3月8日）\n同志们：\n" + BODY
    assert subject_years("全县教育工作会议主持词", [], text) == (2019,)
    assert subject_years("", [], "（2019年3月8日）\n" + BODY) == ()


def test_a_county_level_city_named_in_the_title_outweighs_its_prefecture_named_in_the_body():
    text = ("2022年，在济宁市教育局的精心指导下，全市教育系统各项工作走在济宁市前列。济宁市教育局在我市召开现场会。"
            "济宁市教育局对我市课后服务工作给予充分肯定。" + BODY)
    meta = extract("2022年邹城市教育工作情况总结", text, [])
    assert meta.region.display == "山东省济宁市邹城市"
    assert extract("潍坊市教育局2023年工作总结", "全市教育系统稳步发展。青州市、寿光市获评省级优质均衡县。", []).region.display == (
        "山东省潍坊市")


def test_visitors_welcomed_in_the_title_are_not_the_region():
    text = "常州市教育考察团一行莅临我区考察指导，我代表叙州区教育和体育局表示热烈的欢迎！全区现有学校203所。"
    assert extract("迎接江苏省常州市教育考察团欢迎词", text, []).region.display == "四川省宜宾市叙州区"


def test_a_county_named_bare_in_its_own_phrases_is_the_region():
    text = ("2023年，全县教育系统立足镇坪实际，办好人民满意的教育。安康市教育局对我县工作给予肯定。"
            "吸引37名镇坪籍高校毕业生回乡从教。" + BODY)
    assert extract("2023年教育工作总结", text, []).region.display == "陕西省安康市镇坪县"


def test_every_place_of_a_list_of_destinations_is_a_destination():
    text = "市教育局组织校长赴浙江省杭州市、江苏省南京市学习考察。汉中市教育局要求全市学校把考察成果落到实处。" + BODY
    assert extract("在全市教育系统赴外学习考察总结会上的讲话", text, []).region.display == "陕西省汉中市"


@pytest.mark.parametrize("name,display", [("叙州区", "四川省宜宾市叙州区"), ("滦州市", "河北省唐山市滦州市"),
                                          ("宜宾县", "四川省宜宾市宜宾县"), ("简阳市", "四川省成都市简阳市")])
def test_places_renamed_since_2016_and_places_abolished_since_both_resolve(name, display):
    assert resolve_region(f"{name}教育局认真落实各项任务。", f"{name}教育局2021年工作总结").display == display


def test_the_title_line_nearest_the_body_wins_over_the_site_s_page_title():
    head = ["xx区教育局2024年工作总结及下一步工作思路", "区教育局2024年工作总结及下一步工作计划", BODY]
    assert choose_title("", head, []) == "区教育局2024年工作总结及下一步工作计划"
    head = ["仙桥县政府2023年工作报告", "教育局上半年工作总结", BODY]
    assert choose_title("", head, []) == "教育局上半年工作总结"
    # an earlier line that says clearly more (year and place) is still the title
    assert choose_title("", ["会宁县教育局2019年工作总结", "教育局工作总结", BODY], []) == "会宁县教育局2019年工作总结"


def test_a_two_digit_year_in_a_title_is_a_year_but_an_ordinal_is_not():
    assert subject_years("中心学校08年度工作总结", [], BODY) == (2008,)
    assert subject_years("第15年度报告", [], BODY) == ()


def test_a_county_level_city_naming_its_prefecture_beside_我市_speaks_as_itself():
    text = ("2023年，在市委、市政府的坚强领导下，青州市教育系统坚持立德树人。潍坊市教育局对我市工作给予肯定，"
            "潍坊市召开现场会推广经验。全市学前教育毛入园率达到99%。")
    assert extract("2023年教育工作总结", text, []).region.display == "山东省潍坊市青州市"
    text = "2023年，潍坊市教育局在市委、市政府的领导下，全市教育事业稳步发展。青州市教育和体育局获评先进单位。"
    assert extract("2023年教育工作总结", text, []).region.display == "山东省潍坊市"


@pytest.mark.parametrize(
    "boundary,title",
    [
        ("年度教育局工作总结1", "年度教育局工作总结"),
        ("农村小学学校工作计划1侯庄小学学校发展规划", "侯庄小学学校发展规划"),
        ("中心校工作计划 篇2", "中心校工作计划"),
        ("2022年工作总结2023年工作计划", "2022年工作总结2023年工作计划"),
        ("学校工作总结10月份", "学校工作总结10月份"),
    ],
)
def test_a_compilation_s_ordinal_leaves_the_part_title_and_a_title_glued_after_it_wins(boundary, title):
    assert choose_title(boundary, [boundary, BODY], []) == title


def test_an_untitled_welcome_is_a_speech_unless_it_says_it_reports():
    welcome = "在这初冬时节，各位莅临我县考察。在此，我谨代表县委、县政府对各位的到来表示热烈的欢迎！" + BODY
    assert doc_types("", [], welcome)[0] is DocType.SPEECH
    assert doc_types("", [], welcome + "下面，我就全县教育工作作个简要汇报。")[0] is DocType.BRIEFING
    assert doc_types("关于教育工作的汇报材料", [], welcome)[0] is DocType.BRIEFING


def test_a_site_s_date_stamp_after_a_title_goes_but_a_speech_s_own_date_stays():
    assert choose_title("", ["教育局工作总结[2023-01-05]", BODY], []) == "教育局工作总结"
    assert choose_title("", ["在全县教育工作会议上的讲话（2023年1月5日）", BODY], []) == "在全县教育工作会议上的讲话（2023年1月5日）"


def test_a_county_named_bare_before_its_quality_brand_or_experience_speaks():
    text = "一年来，全县上下努力打造寿光优质教育品牌，各项工作稳步推进。" + BODY
    assert extract("2019年教育工作总结", text, []).region.display == "山东省潍坊市寿光市"


def test_a_duty_account_titled_述职_or_saying_现述职如下_is_a_duty_report():
    assert doc_types("教育局局长述职", [], BODY)[0] is DocType.DUTY
    assert doc_types("", [], "一年来，我团结班子成员真抓实干。现述职如下：" + BODY)[0] is DocType.DUTY
    assert title_in("县教育局局长述职一年来，我在区委领导下，真抓实干。") == "县教育局局长述职"


@pytest.mark.parametrize(
    "raw,title",
    [
        ("专注公文写作二十年彭泽县教育体育局2024年工作要点", "彭泽县教育体育局2024年工作要点"),
        ("精选优质文档倾情为你奉上九江市彭泽县教育局工作总结", "九江市彭泽县教育局工作总结"),
        ("中共彭泽县委教育工委2024年工作要点", "中共彭泽县委教育工委2024年工作要点"),
        ("2024年彭泽县教育体育局工作要点", "2024年彭泽县教育体育局工作要点"),
        ("深化改革 担当作为 奋力推动四平教育高质量发展", "深化改革 担当作为 奋力推动四平教育高质量发展"),
    ],
)
def test_a_site_slogan_glued_before_the_office_that_opens_a_title_goes(raw, title):
    from ingest.meta import clean_title

    assert clean_title(raw) == title


def test_a_place_visited_or_learnt_from_in_the_title_is_not_the_region():
    text = "我县教育局组织各学校校长外出考察，全县各学校对照先进找差距。" + BODY
    assert extract("关于学习寿光市教育经验的考察报告", text, []).region.display == ""
    assert extract("杭州考察学习报告", text, []).region.display == ""


def test_a_小结_is_a_summary_and_a_谋划_a_plan():
    assert doc_types("学期工作小结", [], BODY)[0] is DocType.SUMMARY
    assert doc_types("县教育局2023年工作谋划", [], BODY)[0] is DocType.PLAN
    assert doc_types("2022年工作小结和2023年工作计划", [], BODY)[0] is DocType.SUMMARY


def test_a_yearly_meeting_s_speech_that_reviews_the_past_year_speaks_of_both_years():
    title = "在2023年全县教育工作会议上的讲话"
    assert subject_years(title, [], "同志们：\n过去的一年，全县教育系统攻坚克难。" + BODY) == (2022, 2023)
    assert subject_years(title, [], "同志们：\n今天召开会议，部署今年的工作。" + BODY) == (2023,)
    assert subject_years("县教育局2023年工作总结", [], "过去的一年，全县教育系统攻坚克难。" + BODY) == (2023,)


def test_neighbours_a_report_borders_on_are_not_its_region():
    text = ("保护区地处竹溪县最南部，西、南与重庆市巫溪县交界，东与竹山县接壤，辖3个村，是竹溪县深度贫困地区之一。" + BODY)
    assert extract("义务教育学校扶贫总结", text, []).region.display == "湖北省十堰市竹溪县"


def test_an_inspection_team_s_feedback_is_an_inspection_report():
    title = "省政府教育督导评估组对龙陵县督导评估的反馈意见"
    assert doc_types(title, [], BODY)[0] is DocType.INSPECTION
    assert doc_types("关于全面加强学校体育工作的实施意见", [], BODY)[0] is DocType.OPINION


def test_units_stationed_in_a_county_name_the_host_county():
    text = "参加今天会议的有县四大班子领导，各乡镇党委书记，省市驻正宁各单位主要负责人。下面，进行会议第一项议程。" + BODY
    assert extract("全县教育工作会议主持词", text, []).region.display == "甘肃省庆阳市正宁县"


def test_a_title_broken_before_its_type_is_joined_only_after_的_or_for_a_speech_name():
    assert choose_title("", ["关于杭埠镇中小学教师队伍现状及管理的", "汇报材料", BODY], []) == "关于杭埠镇中小学教师队伍现状及管理的汇报材料"
    assert choose_title("", ["县教育局2022年工作总结", "报告", BODY], []) == "县教育局2022年工作总结"


@pytest.mark.parametrize(
    "text,region",
    [
        ("2023年，在市委、市政府的坚强领导下，青州市教育系统坚持立德树人。潍坊市教育局召开现场会推广青州经验。全市学前教育毛入园率达到99%。",
         "山东省潍坊市青州市"),
        ("2023年，潍坊市教育系统坚持立德树人。全市学前教育毛入园率达到99%。青州市、寿光市获评先进，推广青州经验。", "山东省潍坊市"),
        ("2023年，全市教育系统坚持立德树人。潍坊市教育局组织各县市区开展评比，青州市教育系统获评先进。", "山东省潍坊市"),
    ],
)
def test_a_county_level_city_that_opens_as_its_education_system_speaks_as_itself(text, region):
    assert extract("2023年教育工作总结", text, []).region.display == region
