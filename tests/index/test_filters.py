"""One filter grammar for the command line, the app and the store."""

from __future__ import annotations

import pytest

from index.filters import FilterError, Filters, check_theme, parse_years


@pytest.mark.parametrize(
    "text,years",
    [
        ("2021", (2021, 2021)), ("2021年", (2021, 2021)), (" 2021 ", (2021, 2021)),
        ("2019-2021", (2019, 2021)), ("2019—2021", (2019, 2021)), ("2019–2021", (2019, 2021)),
        ("2019~2021", (2019, 2021)), ("2019～2021", (2019, 2021)), ("2019至2021", (2019, 2021)),
        ("2019年至2021年", (2019, 2021)), ("2019年-2021年", (2019, 2021)), ("2021-2021", (2021, 2021)),
        ("2019到2021", (2019, 2021)), ("2019 - 2021", (2019, 2021)), ("２０１９－２０２１", (2019, 2021)),
        ("2021年度", (2021, 2021)), ("2019年度至2021年度", (2019, 2021)), ("2020-21学年", (2020, 2021)),
        ("2019-21", (2019, 2021)),
        ("", None),
    ],
)
def test_every_way_of_writing_a_year_or_range(text, years):
    assert parse_years(text) == years
    assert Filters.parse(year=text).years == years


@pytest.mark.parametrize(
    "text,message",
    [
        ("3000-1000", "年份范围 3000-1000 起止颠倒，请写成 1000-3000"),
        ("2021-2019", "年份范围 2021-2019 起止颠倒，请写成 2019-2021"),
        ("去年", "无法识别年份 '去年'：请写成 2021、2021年 或 2019-2021 这样的范围"),
        ("2019-", "无法识别年份 '2019-'：请写成 2021、2021年 或 2019-2021 这样的范围"),
        ("21", "无法识别年份 '21'：请写成 2021、2021年 或 2019-2021 这样的范围"),
        ("2021-19", "年份范围 2021-2019 起止颠倒，请写成 2019-2021"),
        ("2019-2", "无法识别年份 '2019-2'：请写成 2021、2021年 或 2019-2021 这样的范围"),
    ],
)
def test_a_reversed_or_unreadable_range_is_an_error_without_flag_names(text, message):
    with pytest.raises(FilterError) as err:
        Filters.parse(year=text)
    assert str(err.value) == message
    assert "--" not in str(err.value)


def test_an_unknown_theme_lists_the_closest():
    known = ["学生资助", "集团化办学", "教育帮扶与支教", "校外培训治理", "双减"]
    check_theme("学生资助", known)
    with pytest.raises(FilterError) as err:
        check_theme("扶贫", known)
    assert str(err.value) == "没有名为“扶贫”的主题；相近的主题：教育帮扶与支教"
    with pytest.raises(FilterError, match="相近的主题：学生资助"):
        check_theme("学生资", known)


def test_empty_filters_are_false_and_values_are_trimmed():
    assert not Filters() and not Filters.parse(" ", " ", " ", " ")
    assert Filters.parse(region=" 东莞 ") == Filters(region="东莞")


TAXONOMY = {
    "学生资助": "各学段家庭经济困难学生资助政策的落实与管理。",
    "教育帮扶与支教": "教育扶贫、对口帮扶、支教送教和东西部协作。",
    "体育": "学校体育、体质健康、校园足球与近视防控。",
    "校园安全": "校园安全管理、应急演练、防溺水、校车和食品安全。",
    "专项督导": "针对开学、安全、补课等具体事项的专项督导检查。",
    "学前教育": "幼儿园建设、普及普惠、保教质量和办园行为。",
}


@pytest.mark.parametrize(
    "typed,message",
    [
        ("近视", "没有名为“近视”的主题；相近的主题：体育"),  # found only through its description
        ("安全", "没有名为“安全”的主题；相近的主题：校园安全、专项督导"),  # a name before a description
        ("学前", "没有名为“学前”的主题；相近的主题：学前教育"),  # a shared word, not every name sharing 学
        ("扶贫", "没有名为“扶贫”的主题；相近的主题：教育帮扶与支教"),
        ("xyz", "没有名为“xyz”的主题；现有主题共 6 个"),
    ],
)
def test_an_unknown_theme_is_matched_against_names_and_descriptions(typed, message):
    with pytest.raises(FilterError) as err:
        check_theme(typed, TAXONOMY)
    assert str(err.value) == message
    check_theme("体育", TAXONOMY)
