"""Figure extraction: each rule, the gold-set bar, and what must never be a figure."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import ROOT, SEEDS

from ingest.metrics import figures

sys.path.insert(0, str(ROOT / "bench"))
import eval_metrics  # noqa: E402


def one(text: str):
    found = figures(text)
    assert len(found) == 1, found
    return found[0]


def test_gold_set_meets_the_bar():
    result = eval_metrics.evaluate(eval_metrics.ours)
    assert result["gold"] >= 80 and len(eval_metrics.load_gold()) >= 10
    assert result["recall"] >= 0.95
    assert result["indicator"] >= 0.95
    assert result["precision"] >= 0.95


@pytest.mark.parametrize(
    "text,value,unit,qualifier,indicator",
    [
        ("社会满意度达96.65%。", 96.65, "%", "达", "社会满意度"),
        ("增加优质学位近2万个。", 20000, "个", "近", "优质学位"),
        ("捐赠物资价值34.48万元。", 344800, "元", "", "物资价值"),
        ("各级财政投入近5亿元。", 5e8, "元", "近", "财政投入"),
        ("组织15名干部教师赴龙山县支教。", 15, "名", "", "干部教师"),
        ("先后对39所中小学校开展督导。", 39, "所", "", "中小学校"),
        ("召开动员会，组织72名检查人员参加。", 72, "名", "", "检查人员"),
        ("为三个贫困村安装路灯。", 3, "个", "", "贫困村"),
        ("新建两所学校。", 2, "所", "", "学校"),
        ("召开专题会议十余次。", 10, "次", "余", "专题会议"),
        ("在全市80%以上的中小学校推进改革。", 80, "%", "以上", "中小学校"),
        ("累计创建“平安校园”1516所。", 1516, "所", "", "平安校园"),
        ("开展专题讲座5000余场次。", 5000, "场次", "余", "专题讲座"),
        ("全民学习网点击量突破1000万人次。", 1e7, "人次", "突破", "全民学习网点击量"),
        ("新增校舍面积310万平方米。", 3.1e6, "平方米", "", "校舍面积"),
        ("免除各种费用7.77万元。", 77700, "元", "", "费用"),
    ],
)
def test_values_units_qualifiers_indicators(text, value, unit, qualifier, indicator):
    f = one(text)
    assert f.value == pytest.approx(value) and f.unit == unit and f.qualifier == qualifier
    assert f.indicator == indicator and f.raw in text and text[f.start : f.end] == f.raw


def test_changes_and_from_to_pairs():
    found = figures("社会满意度达96.65%，较上年提高了1.3个百分点。")
    assert found[1].role == "change" and found[1].direction == 1 and found[1].indicator == "社会满意度"
    drop = one("全市学生非正常死亡人数同比下降15%。")
    assert (drop.role, drop.direction, drop.value) == ("change", -1, 15)
    a, b = figures("专职督学由25人增加到29人。")
    assert (a.role, a.value, b.role, b.value) == ("from", 25, "to", 29)
    assert a.indicator == b.indicator == "专职督学"
    assert one("全市公益普惠性幼儿园比上年增加44所。").role == "change"


def test_placeholders_are_masked_and_never_a_number():
    found = figures("公开招聘在职教师xx名，开展研修活动xxx余场次，公办园在园幼儿占比达xx.x%，新增x所学校。")
    assert [f.unit for f in found] == ["名", "场次", "%", "所"]
    assert all(f.masked and f.value is None for f in found)
    assert found[0].indicator.endswith("教师")


def test_a_count_equal_to_a_year_in_damaged_text_is_suspect():
    a, b = figures("督学责任区由8个增加到2023个。")
    assert not a.suspect and b.suspect and b.value == 2023


@pytest.mark.parametrize(
    "text",
    [
        "2020年，全区教育工作稳步推进。",
        "8月25日召开会议，8月30日开展视导。",
        "培训时间不超过晚上21:30。",
        "印发《关于公布事项清单的通告》(市中教体行〔2020〕26号)。",
        "在第13届全国中等职业学校技能竞赛中获奖。",
        "开展“三个百分百”和“一校一品”创建活动。",
        "印发《关于加强2019年教育工作的12项措施》。",
        "一是加强领导。二是完善制度。",
        "咨询电话13057850505。",
    ],
)
def test_not_figures(text):
    assert figures(text) == []


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_no_year_date_or_document_number_rows_in_the_seeds(seed_docs, seed):
    for doc in seed_docs[seed.name]:
        for m in doc.metrics:
            assert not re.fullmatch(r"(19|20)\d{2}", m.raw.strip("达近约共计总累")), m
            assert not re.search(r"\d月\d|号$|〔", m.raw), m
            assert doc.text[m.char_start : m.char_end] == m.raw


def test_durations_are_not_counts():
    f = one("收费不超过三个月。")
    assert (f.value, f.unit) == (3, "个月")


@pytest.mark.parametrize(
    "text,raw",
    [
        ("全县招收新教师x名。", "x名"),
        ("招收新教师XX名。", "XX名"),
        ("招收新教师ＸＸ名。", "ＸＸ名"),
        ("义务教育巩固率达**%。", "达**%"),
        ("义务教育巩固率达****.****%。", "达****.****%"),
        ("新建校舍*所。", "*所"),
        ("补充专任教师×名。", "×名"),
        ("补充专任教师××名。", "××名"),
        ("发放补助X万元。", "X万元"),
        ("新增学位某某个。", "某某个"),
        ("新增学位○○个。", "○○个"),
        ("新增学位□□个。", "□□个"),
        ("新增学位_个。", "_个"),
        ("新增学位……个。", "……个"),
    ],
)
def test_every_placeholder_form_is_a_masked_row_with_no_value(text, raw):
    f = one(text)
    assert (f.raw, f.masked, f.value) == (raw, True, None)


def test_placeholder_years_and_months_are_masked_dates_never_years():
    found = figures("20xx年x月，全区召开推进会，xxxx年工作顺利完成。")
    assert [(f.raw, f.unit, f.indicator, f.masked, f.value) for f in found] == [
        ("20xx年", "年", "日期", True, None), ("x月", "月", "日期", True, None), ("xxxx年", "年", "日期", True, None)]


def test_a_masked_place_or_name_is_not_a_masked_count():
    assert figures("XX校区和xx所长参加了会议。") == []
    assert figures("某所学校开展了活动。") == []


@pytest.mark.parametrize(
    "text,indicator",
    [
        ("全县大班额控制在4%以内。", "大班额"),
        ("义务教育巩固率保持在99%。", "义务教育巩固率"),
        ("小学辍学率稳定在0.5%以下。", "小学辍学率"),
        ("初中在校生5230人，高中4120人。", "高中"),
        ("全县寄宿生 6120名。", "寄宿生"),
        ("女教师占专任教师总数的62%。", "女教师"),
    ],
)
def test_the_subject_before_a_linking_verb_is_the_indicator(text, indicator):
    assert figures(text)[-1].indicator == indicator


def test_a_figure_with_no_noun_says_so_instead_of_borrowing_one():
    found = figures("本学期完成家访120户，另有×名。")
    assert found[-1].indicator == "（未识别）"


def test_a_change_with_no_noun_of_its_own_measures_the_figure_before_it():
    a, b = figures("家长满意度达93.2%，较上年提高0.8个百分点。")
    assert b.role == "change" and b.indicator == a.indicator == "家长满意度"


@pytest.mark.parametrize(
    "text,low,high,unit",
    [("每个乡镇新建幼儿园1-2所。", 1, 2, "所"), ("招收幼儿年龄为2~3岁。", 2, 3, "岁"), ("每校配备2至3名心理教师。", 2, 3, "名"),
     ("优秀率提高5%-8%。", 5, 8, "%")],
)
def test_a_range_is_one_row_with_its_two_ends_and_no_single_value(text, low, high, unit):
    f = one(text)
    assert (f.low, f.high, f.unit, f.value) == (low, high, unit, None)


@pytest.mark.parametrize(
    "text",
    [
        "深入学习党的十九届五中全会精神。",
        "传达市十二次党代会精神。",
        "认真落实八项规定精神，编制十四五教育规划。",
        "全面落实五项管理要求。",
        "践行三个代表重要思想。",
        "【范例4篇】县教育局工作总结",
        "县教育局工作汇报(共6篇)",
        "九台教育系统扎实推进课后服务。",
        "三门峡市教育局召开会议。",
    ],
)
def test_numbers_inside_names_ordinals_and_compilation_counts_are_not_figures(text):
    assert figures(text) == []


def test_a_counted_machine_is_still_a_figure_where_a_place_name_would_match():
    f = one("为学校购置电脑三台。")
    assert (f.value, f.unit) == (3, "台")


@pytest.mark.parametrize(
    "text,indicator",
    [
        ("本科上线860人，上线率达到57.2%。", "上线率"),
        ("学生参加率为91.4%。", "学生参加率"),
        ("校外培训机构压减率达到83%。", "校外培训机构压减率"),
        ("落实寄宿生生活补助，小学每生每年1000元。", "小学"),
        ("乡村小规模学校占比接近35%。", "乡村小规模学校占比"),
    ],
)
def test_rates_and_per_head_amounts_are_named_as_a_reader_names_them(text, indicator):
    assert figures(text)[-1].indicator == indicator


def test_loans_and_minutes_are_units_and_not_more_than_is_a_ceiling():
    loans, minutes = figures("办理助学贷款1420笔，家庭作业时间不超过60分钟。")
    assert (loans.value, loans.unit) == (1420, "笔")
    assert (minutes.value, minutes.unit, minutes.qualifier, minutes.raw) == (60, "分钟", "以内", "不超过60分钟")


def test_masked_periods_and_pairs_are_masked_rows_while_chinese_phrases_stay_phrases():
    found = figures("举办培训班××期，结对帮扶__对。")
    assert [(f.raw, f.masked, f.value) for f in found] == [("××期", True, None), ("__对", True, None)]
    assert figures("开展三期培训，历时三天。") == []


def test_a_masked_amount_without_its_unit_is_still_a_masked_row():
    f = one("全年投入X万，用于改善办学条件。")
    assert (f.raw, f.masked, f.value, f.unit) == ("X万", True, None, "")


def test_a_grade_name_cut_by_the_tokenizer_is_kept_whole():
    assert figures("新接收新市民子女1500人，占一年级新生的28%。")[-1].indicator == "一年级新生"


def test_a_change_listed_after_a_count_names_the_figure_not_the_count_s_unit():
    found = figures("随迁子女占比达35%，分别比上年增长1200人和3个百分点。")
    assert found[-1].raw == "3个百分点" and found[-1].indicator not in ("人", "（未识别）")


def test_reduced_to_is_a_from_to_pair():
    a, b = figures("全县校外培训机构由36家减至29家。")
    assert (a.role, b.role, a.indicator, b.indicator) == ("from", "to", "校外培训机构", "校外培训机构")


@pytest.mark.parametrize(
    "text,raws",
    [
        ("面向3-6岁儿童开展普惠服务。", []),
        ("30-39岁教师1510人。", ["1510人"]),
        ("56人以上大班额比例为18.3%。", ["18.3%"]),
        ("新增学位2000个以上，全面消除大班额。", ["2000个以上"]),
        ("教师平均年龄42岁。", ["42岁"]),
    ],
)
def test_an_age_or_threshold_that_names_a_class_is_not_a_figure(text, raws):
    assert [f.raw for f in figures(text)] == raws


def test_the_class_a_threshold_names_is_not_glued_to_the_next_indicator():
    assert figures("56人以上大班额比例为18.3%。")[0].indicator == "大班额比例"


@pytest.mark.parametrize(
    "text,unit,indicator",
    [
        ("全县寄宿生5210名全部享受生活补助。", "名", "寄宿生"),
        ("书面作业完成时间平均55分钟。", "分钟", "时间"),
        ("县级综合督导评估得分91.5分。", "分", "县级综合督导评估得分"),
        ("全年开展责任督学挂牌督导1480校次。", "校次", "责任督学挂牌督导"),
        ("编发《教育督导简报》15期。", "期", "教育督导简报"),
    ],
)
def test_quantifiers_averages_scores_visits_and_named_publications(text, unit, indicator):
    f = figures(text)[-1]
    assert (f.unit, f.indicator) == (unit, indicator)


def test_a_share_whose_clause_names_nothing_takes_the_rate_of_the_clause_before():
    assert figures("二是部分幼儿园保育员持证上岗率偏低，仅为81.5%。")[0].indicator == "幼儿园保育员持证上岗率"
    assert figures("我们不断加大投入，达到95%。")[0].indicator == "（未识别）"


@pytest.mark.parametrize(
    "text",
    [
        "坚持五育并举，推进三个课堂建设，落实两免一补政策。",
        "深入学习党的十九届五中全会精神，落实八项规定。",
        "编制十四五教育发展规划，全面落实双减要求。",
    ],
)
def test_a_number_inside_a_policy_name_is_no_figure(text):
    assert figures(text) == []


@pytest.mark.parametrize(
    "text,indicators",
    [
        # the subject before 控制在/保持在, even where jieba glues the verb to it (比例控制)
        ("全县大班额比例控制在4%以内，义务教育巩固率保持在99%以上。", ["大班额比例", "义务教育巩固率"]),
        # a verb of building or hiring is not part of what is counted
        ("新建幼儿园12所，招聘教师120名。", ["幼儿园", "教师"]),
        # each item of a list its own noun, a space between noun and number is fine
        ("全县有初中学生8800人，高中10337人，寄宿生 2301名。", ["初中学生", "高中", "寄宿生"]),
        # 分别: the n-th figure the n-th name; a shared head goes to each name
        ("参与试点的职业院校和行业企业分别达到37个和150个。", ["职业院校", "行业企业"]),
        ("全县幼儿园、小学、初中教师学历达标率分别为97%、96.2%和95.8%。",
         ["幼儿园教师学历达标率", "小学教师学历达标率", "初中教师学历达标率"]),
        # 人均 says per whom; the clause before names the money
        ("落实乡村教师生活补助，人均每月不低于600元。", ["乡村教师生活补助"]),
        ("评价得分为92.6分，位列全市第一档。", ["评价得分"]),
        # a name of one character is the start of a longer one
        ("实现了3个全覆盖。", ["全覆盖"]),
        # 共有/现有 and words of intent (计划) are no part of what is counted
        ("全县留守儿童共有3200余名，均建立了档案。", ["留守儿童"]),
        ("十四五期间，计划新建学校8所。", ["学校"]),
        # names jieba cuts apart: 在/园/幼儿, 毛/入园率
        ("全县在园幼儿3200人，毛入园率达到92%。", ["在园幼儿", "毛入园率"]),
        # a clause before 的 says which; the noun after it, followed by the sentence's verb, is what is counted
        ("为全县3200名参加学业水平考试的初三学生提供成绩报告。", ["初三学生"]),
        ("全年对3所整改不力的学校进行了通报。", ["学校"]),
        # …but a predicate after the count is no name: the noun before the count stays
        ("中小学生12万人次参与丰富多彩的社会实践活动。", ["中小学生"]),
        # an ordinal says which round; the noun follows it
        ("确定60名第二期骨干教师培养对象。", ["骨干教师培养对象"]),
        # money: whose amount, said before it, names it better than 的标准
        ("按每生每年小学800元、初中1000元的标准给予补助。", ["小学", "初中"]),
    ],
)
def test_indicators_a_reader_accepts(text, indicators):
    assert [f.indicator for f in figures(text)] == indicators


def test_no_noun_gives_the_unknown_mark_not_a_borrowed_word():
    f = one("经过努力，共计120人。")
    assert f.indicator == "（未识别）"


@pytest.mark.parametrize(
    "text,direction",
    [
        ("全县社会满意度达96.65%，较上年提高1.3个百分点。", 1),
        ("学生近视率为52.1%，下降0.5个百分点。", -1),
        ("高考本科上线率达到78.5%，较去年提升了4.2个百分点。", 1),
    ],
)
def test_a_change_is_a_change_of_the_figure_it_follows(text, direction):
    level, change = figures(text)
    assert level.role == "" and change.role == "change" and change.direction == direction
    assert change.indicator == level.indicator


def test_changes_listed_after_figures_go_with_them_in_order():
    found = figures("新接收2.92万名新市民子女入学，占一年级新生的31%，分别比上年增长3200人和2个百分点。")
    assert [(f.role, f.indicator) for f in found[2:]] == [("change", found[0].indicator), ("change", found[1].indicator)]


@pytest.mark.parametrize(
    "text,previous",
    [
        ("全县社会满意度达96.65%，较上年提高1.3个百分点。", 95.35),
        ("学生近视率为52.1%，较上年下降0.5个百分点。", 52.6),
        ("全县专任教师1200人，比上年增加50人。", 1150),
        ("全年教育经费投入3.24亿元，较上年增长8%。", 3e8),
    ],
)
def test_previous_value_from_a_level_and_its_change(text, previous):
    from ingest.metrics import changes_with_levels, previous_value

    [(level, change)] = changes_with_levels(figures(text))
    assert previous_value(level, change) == pytest.approx(previous)


def test_previous_value_refuses_what_cannot_be_told():
    from ingest.metrics import previous_value

    rate, growth = figures("合格率为92%，同比增长2%。")
    assert growth.role == "change" and previous_value(rate, growth) is None  # points or relative: unknown
    masked, change = figures("满意度达xx%，较上年提高1.3个百分点。")
    assert previous_value(masked, change) is None
    a, b = figures("新建学校12所，改造校舍30所。")
    assert previous_value(a, b) is None  # not a change


# Patterns of report pages from other sites (study of real pages; sentences in our own words).


@pytest.mark.parametrize(
    "text,indicator",
    [
        ("学前教育在园幼儿[4]480.5万人。", "学前教育在园幼儿"),  # a bulletin's footnote marker
        ("学前教育毛入园率[5]达到88.1%。", "学前教育毛入园率"),
        ("小学辍学率降至0.1%。", "小学辍学率"),  # the subject before 降至
        ("一般公共预算教育投入累计达到43.20亿元。", "教育投入"),  # 投入 heads the name after a noun
        ("全市义务教育阶段民办学校在校生占比4.6%。", "义务教育阶段民办学校在校生占比"),
        ("民办学校聘请1313人。", "民办学校聘请"),  # who did it names a count told with a verb
        ("全县中小学近视率较上年下降1.6个百分点。", "中小学近视率"),
        ("一、学前教育资助：386人。", "学前教育资助"),  # a colon label
    ],
)
def test_names_across_footnotes_verbs_and_labels(text, indicator):
    assert figures(text)[0].indicator == indicator


def test_a_labelled_item_names_its_amount_and_a_table_row_names_its_cells():
    found = figures("其中：寄宿生生活补助：4842人，金额343.925万元；")
    assert [f.indicator for f in found] == ["寄宿生生活补助", "寄宿生生活补助金额"]
    found = figures("项目|数量|同比\n挂牌督导|1260校次|增加180校次")
    assert [(f.indicator, f.role, f.direction) for f in found] == [("挂牌督导", "", 0), ("挂牌督导", "change", 1)]
    under = figures("412人，金额20.6万元。", label="一、学前教育资助")
    assert [f.indicator for f in under] == ["学前教育资助", "学前教育资助金额"]
    assert figures("412人，金额20.6万元。")[0].indicator == "（未识别）"


def test_a_count_before_a_rate_names_the_things_counted():
    count, rate = figures("836个基层党组织达标率100%。")
    assert (count.indicator, rate.indicator) == ("基层党组织", "基层党组织达标率")


@pytest.mark.parametrize(
    "text,raw,value,unit,qualifier",
    [
        ("今年全县教育投入累计 8316 万元。", "8316 万元", 83160000, "元", ""),  # PDF text: a space before the unit
        ("全县 300 多所中小学。", "300 多所", 300, "所", "余"),
        ("项目总投入13。7亿元。", "13。7亿元", 1.37e9, "元", ""),  # a decimal point converted to 。
        ("民办学校在校生占比4。6%。", "4。6%", 4.6, "%", ""),
        ("受益学生超29.79万名。", "超29.79万名", 297900, "名", "超过"),
    ],
)
def test_spaced_numbers_damaged_decimal_points_and_qualifiers(text, raw, value, unit, qualifier):
    f = one(text)
    assert (f.raw, f.unit, f.qualifier) == (raw, unit, qualifier) and f.value == pytest.approx(value)


def test_a_sentence_that_ends_in_a_year_does_not_lend_it_to_the_next():
    assert [f.raw for f in figures("规划期至2020。3所学校完成改造。")] == ["3所"]


def test_changes_that_follow_a_change_and_net_changes():
    found = figures("全省共有幼儿园2.95万所，比上年增加3117所，增长1.07%。")
    assert [(f.role, f.direction, f.indicator) for f in found] == [
        ("", 0, "幼儿园"), ("change", 1, "幼儿园"), ("change", 1, "幼儿园")]
    found = figures("二本以上上线人数比去年净增67人，增长9%。")
    assert [(f.role, f.indicator) for f in found] == [("change", "二本以上上线人数")] * 2
    found = figures("本一上线603人，比去年增加96人，增幅达18.9%。")
    assert [f.role for f in found] == ["", "change", "change"] and found[2].indicator == found[0].indicator


@pytest.mark.parametrize(
    "text",
    [
        "荣获第 19 届中学生田径运动会优秀组织奖。",
        "深入学习十九届四中、五中全会精神。",
        "其中第1、2项指标未达标，第3-5项指标达标。",
        "各校得分见表2所示。",
        "坚定拥护两个确立、坚决做到两个维护。",
        "会议共有三项议程：一是表彰先进集体。",  # a count that announces the outline after it
        "年内全市消除56人以上大班额。",  # a threshold naming a class, with no figure after it
    ],
)
def test_ordinals_table_references_and_slogans_are_no_figures(text):
    assert figures(text) == []


def test_counts_written_with_chinese_numerals_still_count():
    assert [(f.value, f.indicator) for f in figures("新建两个校区，开展三个专项行动。")] == [(2, "校区"), (3, "专项行动")]


def test_a_decimal_point_garbled_to_a_question_mark_keeps_its_value():
    start, end = figures("中职招生的比例由21?5%上升为46?36%。")
    assert (start.value, start.role, end.value, end.role) == (21.5, "from", 46.36, "to")


def test_a_markdown_table_row_and_a_range_in_wan():
    [f] = figures("| 专任教师总数 | 85万-90万人 | 教育统计 |")
    assert (f.indicator, f.value, f.low, f.high) == ("专任教师总数", None, 850000, 900000)


def test_a_page_counter_is_no_figure():
    assert figures("发布时间：2015-09-24 浏览：2695次") == []


@pytest.mark.parametrize(
    "text,indicator",
    [
        ("中职毕业生平均起薪高于每月2000元。", "起薪"),  # a comparison links the subject to the figure
        ("组织心理健康教育培训450人次。", "心理健康教育培训"),  # 培训 heads the name after a noun
        ("在各类单位就业的人数为340.24万人。", "单位就业的人数"),  # whose 人数: the clause before 的
    ],
)
def test_comparisons_training_and_relative_heads(text, indicator):
    assert figures(text)[0].indicator == indicator


def test_typeset_thousands_and_a_share_of_the_clause_before():
    assert [(f.raw, f.value) for f in figures("改建幼儿园1 376所，在校生 3 600 人。")] == [("1 376所", 1376), ("3 600 人", 3600)]
    assert [f.raw for f in figures("2022 123所")] == ["123所"]  # a year is no thousands group
    assert figures("新增的幼儿园，80%左右集中在农村。")[0].indicator == "幼儿园"


def test_areas_in_square_kilometres_class_words_and_a_bare_growth_after_a_level():
    assert [(f.value, f.unit, f.indicator) for f in figures("全区总面积3386平方公里。")] == [(3386, "平方公里", "总面积")]
    assert figures("12所学科类校外培训机构关停。")[0].indicator == "学科类校外培训机构"
    level, growth = figures("财政总收入10.3亿元，增长24%。")
    assert (growth.role, growth.direction, growth.indicator) == ("change", 1, "财政总收入")


@pytest.mark.parametrize("text,raw", [("全镇在校生2XX人。", "2XX人"), ("惠及x,xxx人。", "x,xxx人"), ("巩固率达****.**%。", "达****.**%")])
def test_masks_mixed_with_digits_or_grouped_like_digits_are_one_masked_row(text, raw):
    f = one(text)
    assert (f.raw, f.masked, f.value) == (raw, True, None)


def test_modal_words_and_an_aside_between_a_subject_and_its_figure():
    assert figures("一个责任区内的学校数一般应控制在20所以内。")[0].indicator == "学校数"
    assert figures("重度残障儿童（一级和二级）占76%。")[0].indicator == "重度残障儿童"
    assert figures("以智力障碍为主，占到85.3%。")[0].indicator == "（未识别）"  # never the verb 占到


def test_bracketed_values_quoted_names_person_counts_and_square_metre_signs():
    found = figures("教师群体满意度最高（92.1%），家长群体相对较低（78.6%）。")
    assert [f.indicator for f in found] == ["教师群体满意度", "家长群体"]
    found = figures("“校园安全”满意度达91.2%，“教育公平”满意度为82.7%。")
    assert [f.indicator for f in found] == ["“校园安全”满意度", "“教育公平”满意度"]
    assert figures("全区共有1564名贫困家庭的学生享受资助。")[0].indicator == "贫困家庭学生"  # 名 counts people
    assert figures("组织3所学校的校长参加。")[0].indicator == "学校"  # 所 counts schools
    assert [(f.value, f.unit) for f in figures("建筑面积1500㎡。")] == [(1500, "平方米")]


def test_a_bracketed_value_after_a_noun_and_visits_counted_by_household():
    found = figures("其次是电子产品使用时间（43.24分钟）。")
    assert [(f.value, f.unit, f.indicator) for f in found] == [(43.24, "分钟", "电子产品使用时间")]
    assert [(f.unit, f.indicator) for f in figures("累计帮助贫困教职工16户次。")] == [("户次", "贫困教职工")]
    assert figures("学生在校活动时间达8小时的，小学生占28.6%。")[0].indicator != "（未识别）"


def test_a_one_character_head_after_a_noun_stays_in_the_name():
    assert [f.indicator for f in figures("新创建省级二级园14所，三级园5所。")] == ["省级二级园", "三级园"]
    assert figures("共开发共享课程资源包95个。")[0].indicator == "课程资源包"
    assert figures("该校期末统考合格率较上年提高9.6个百分点。")[0].indicator == "合格率"


def test_a_lone_mask_inside_an_organ_name_is_no_masked_count():
    assert figures("在局X组的坚强领导下。") == []  # 局党组 with one character masked
    assert [f.masked for f in figures("全体教师分成X组开展教研。")] == [True]  # groups counted after 分成


def test_a_count_in_wan_without_its_unit_is_kept_only_when_its_name_says_what_it_counts():
    [*_, pupils] = figures("全国13.7万所学校实施了该计划，受益学生超过3360万。")
    assert (pupils.value, pupils.unit, pupils.qualifier, pupils.indicator) == (33600000, "人", "超过", "学生")
    assert [(f.value, f.unit) for f in figures("视频点击量达1.2万。")] == [(12000, "次")]
    assert [(f.value, f.unit) for f in figures("总人口40.88万。")] == [(408800, "人")]
    assert figures("全年投资1.2万，完成项目。") == []  # 万 what? not guessed


def test_a_session_number_after_jie_is_an_ordinal_in_any_list_of_plenums():
    assert figures("认真学习党的十七大和十七届二中、三中、四中、五中全会精神。") == []
    assert figures("县委十四届三次全体（扩大）会议提出新要求。") == []
    assert [f.value for f in figures("读书节已连续举办12届，参与学生3200人。")] == [12, 3200]  # a count of sessions stays


def test_a_verb_of_holding_before_a_figure_is_no_part_of_the_name():
    assert figures("全镇小学巩固率保持100%。")[0].indicator == "小学巩固率"
    assert figures("近视率维持8.5%以内。")[0].indicator == "近视率"


def test_a_verb_of_funding_that_opens_a_count_of_money_is_no_part_of_its_name():
    assert figures("兑现乡村教师生活补助资金86万元。")[0].indicator == "乡村教师生活补助资金"


def test_a_span_of_years_inside_a_name_stays_in_it():
    assert figures("学前三年毛入园率达到92%。")[0].indicator == "学前三年毛入园率"
    assert figures("社区居民终身教育年参与率达65%。")[0].indicator == "社区居民终身教育年参与率"


def test_a_list_of_names_before_a_figure_is_what_it_counts():
    assert figures("新建实验室、功能教室等4200平方米。")[0].indicator == "实验室、功能教室"
    assert figures("全镇班主任和学科骨干共320余人参加。")[0].indicator == "班主任和学科骨干"
    assert figures("所有班主任和学科骨干共320余人参加。")[0].indicator == "班主任和学科骨干"  # 所有 says how many
    # items with figures of their own, or a clause before 、, are no part of the name
    assert [f.indicator for f in figures("招聘教师90名，其中：初中20名、小学70名。")][1:] == ["初中", "小学"]
    assert figures("职业教育迈入新阶段、就业率达97%。")[0].indicator == "就业率"


def test_a_date_between_a_share_and_its_figure_and_a_target_after_it_name_nothing():
    found = figures("民办园在园幼儿占比2021年底降到40%、2022年底降到35%，普惠园在园幼儿占比2022年底达到85%的目标。")
    assert [f.indicator for f in found] == ["民办园在园幼儿占比", "民办园在园幼儿占比", "普惠园在园幼儿占比"]


def test_how_the_counted_act_is_no_part_of_their_name():
    assert figures("120余名幼儿高高兴兴地回到班级。")[0].indicator == "幼儿"  # jieba tags 高高兴兴 a place
    assert figures("全县60多所农村学校普遍建成录播教室。")[0].indicator == "农村学校"


def test_a_noun_counted_before_a_naming_verb_is_not_who_did_it():
    assert [f.indicator for f in figures("今年新增3个专业招生260人。")] == ["专业", "招生"]


def test_a_list_of_people_before_a_count_names_it_when_a_predicate_follows():
    assert figures("全县校长和德育主任共150余人参加培训。")[0].indicator == "校长和德育主任"
    assert figures("全县共有教师和职工860人。")[0].indicator == "教师和职工"  # nothing after: the list names it too


def test_a_tier_inside_a_name_stays_in_it():
    assert [f.indicator for f in figures("全镇有市级示范园2所、县一级幼儿园4所。")] == ["市级示范园", "县一级幼儿园"]


def test_a_share_of_an_age_class_is_named_by_the_class_and_a_change_after_xiangbi_by_its_level():
    assert [f.indicator for f in figures("乡村教师中35岁以下占41%，50岁以上占18%。")] == ["35岁以下乡村教师", "50岁以上"]
    level, change = figures("全县共有专任教师3260人，相比上年增加了85人。")
    assert (change.role, change.indicator) == ("change", level.indicator) and level.indicator != "相比"


def test_levels_of_schooling_name_their_own_counts():
    """本科/专科 are nouns here (jieba alone tags 本科 as a pronoun), so each count is named by its level, not the one before."""
    found = [(f.raw, f.indicator) for f in figures("今年全市高校共招生70万人，其中本科46万人，专科24万人。")]
    assert ("46万人", "本科") in found and ("24万人", "专科") in found
