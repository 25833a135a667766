"""Comparable districts: stable, explained, sensible among a few dozen, and honest when data is short."""

from __future__ import annotations

import json
import random

import pytest

from index.districts import DistrictProfile, KeyFigure, ThemeShare
from index.errors import SearchError
from index.peers import peers


def _profile(name: str, level: str, themes: dict[str, int], figures: dict[str, float]) -> DistrictProfile:
    units = {"学生": "名", "学校": "所", "教师": "名", "经费": "元", "比率": "%"}
    figs = tuple(KeyFigure(k, k, round(v), units[k], f"{round(v)}{units[k]}", 2022, name, f"{name}.p0", "")
                 for k, v in figures.items())
    n = sum(themes.values())
    return DistrictProfile(name, name, name, level, (2022,), 1, n,
                           tuple(ThemeShare(t, c, c / n) for t, c in themes.items()), figs, ())


def _family(prefix: str, n: int, level: str, themes: list[str], scale: float, seed: int) -> list[DistrictProfile]:
    """n districts with the same main themes and a similar scale, varied a little."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        mix = {t: rng.randint(3, 8) for t in themes} | {"党建与廉政": rng.randint(0, 2)}
        figures = {"学生": scale * rng.uniform(0.7, 1.4), "学校": scale / 900 * rng.uniform(0.7, 1.4),
                   "教师": scale / 12 * rng.uniform(0.7, 1.4), "经费": scale * 2500 * rng.uniform(0.7, 1.4),
                   "比率": rng.uniform(90, 98)}
        out.append(_profile(f"{prefix}{i:02d}", level, {t: c for t, c in mix.items() if c}, figures))
    return out


FAMILIES = (
    _family("县甲", 12, "区县", ["学生资助", "控辍保学", "营养改善计划"], 3e4, 1)
    + _family("区乙", 12, "区县", ["双减", "课后服务", "集团化办学"], 1.5e5, 2)
    + _family("市丙", 12, "市", ["职业教育", "高等教育", "教育信息化"], 2.5e6, 3)
)


@pytest.mark.parametrize("by", ["themes", "figures", "both"])
def test_among_a_few_dozen_the_nearest_are_of_the_same_kind(by):
    for name in ("县甲03", "区乙07", "市丙11"):
        found = peers(list(FAMILIES), name, by, top_k=5)
        assert found.note == ""
        assert [p.key[:2] for p in found.peers] == [name[:2]] * 5, (by, name, found.peers)


def test_reasons_name_the_shared_themes_and_the_similar_figures():
    found = peers(list(FAMILIES), "县甲03", "both", top_k=1).peers[0]
    assert found.reasons[0].startswith("共同主题：") and "学生资助" in found.reasons[0]
    assert any(r.startswith("学生规模相近：") for r in found.reasons)
    assert found.reasons[-1] == "同为区县级"
    assert 0 < found.figure_score <= 1 and 0 < found.theme_score <= 1


def test_figures_follow_scale_not_theme():
    # a district of the 区乙 family's themes but the 市丙 family's size is placed with 市丙 by figures
    odd = _profile("异型", "市", {"双减": 6, "课后服务": 5, "集团化办学": 4},
                   {"学生": 2.4e6, "学校": 2700, "教师": 2e5, "经费": 6e9, "比率": 94})
    pool = list(FAMILIES) + [odd]
    assert {p.key[:2] for p in peers(pool, "异型", "figures").peers} == {"市丙"}
    assert {p.key[:2] for p in peers(pool, "异型", "themes").peers} == {"区乙"}


def test_peers_are_stable_whatever_the_order():
    first = peers(list(FAMILIES), "区乙07", "both", top_k=8)
    shuffled = list(FAMILIES)
    random.Random(7).shuffle(shuffled)
    again = peers(shuffled, "区乙07", "both", top_k=8)
    assert [(p.key, p.score) for p in again.peers] == [(p.key, p.score) for p in first.peers]
    assert again == peers(shuffled, "区乙07", "both", top_k=8)


def test_written_counties_are_each_others_nearest(district_profiles):
    wujiang = peers(district_profiles, "吴江区", "both", top_k=3)
    assert wujiang.peers[0].region == "江苏省无锡市惠山区"
    reasons = wujiang.peers[0].reasons
    assert reasons[0].startswith("共同主题：") and "课后服务" in reasons[0]
    assert "学生规模相近：12.5万名 / 13万名" in reasons
    assert peers(district_profiles, "惠山区", "both", top_k=1).peers[0].region == "江苏省苏州市吴江区"
    # the large city is far by scale from a county of 12.5万 students
    by_figures = [p.region for p in peers(district_profiles, "吴江区", "figures", top_k=20).peers]
    assert by_figures.index("江苏省无锡市惠山区") < by_figures.index("四川省成都市")


def test_too_little_data_is_said(district_profiles):
    found = peers(district_profiles, "金山区", "both")
    assert found.peers == ()
    assert found.note == ("数据不足：主题数据不足：只有 3 个段落主题标注（至少需要 5 个）；"
                          "数字数据不足：只有 0 类关键数字（至少需要 2 类）")
    half = peers(district_profiles, "三门峡", "both")  # themes enough, figures not: peers by themes, and it says so
    assert half.peers and half.note == "数字数据不足：只有 0 类关键数字（至少需要 2 类）"


def test_bad_choices_are_refused(district_profiles):
    with pytest.raises(SearchError, match="^未知的比较依据 'size'；可选：themes、figures、both$"):
        peers(district_profiles, "吴江区", "size")
    with pytest.raises(SearchError, match="^显示条数至少为 1，而不是 0$"):
        peers(district_profiles, "吴江区", top_k=0)


def test_cli_peers(cli, district_data):
    out = cli("peers", "吴江区", "--json", "--top-k", "2", "--data", str(district_data))
    rows = json.loads(out.stdout)
    assert len(rows) == 2 and {"region", "score", "reasons"} <= rows[0].keys()
    assert rows[0]["region"] == "江苏省无锡市惠山区"
    text = cli("peers", "金山区", "--data", str(district_data))
    assert text.exit_code == 0 and text.stdout == ""
    assert text.stderr.startswith("上海市金山区：数据不足：")
