"""The taxonomy file, the tagger, and its quality on the hand-labelled dev set."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

from ingest.themes import Tagger, TaxonomyError, load_taxonomy, tagger

sys.path.insert(0, str(ROOT / "bench"))
import eval_themes  # noqa: E402


def test_every_theme_loads_with_terms_in_two_levels():
    themes = load_taxonomy()
    assert len(themes) >= 30
    names = {t.name for t in themes}
    assert all(t.key or t.terms for t in themes)
    assert all(t.description for t in themes)
    assert all(t.parent in names for t in themes if t.parent)
    assert {"双减", "集团化办学", "责任督学挂牌督导", "巡察整改", "学生资助"} <= names


def test_dev_set_micro_f1_meets_the_bar():
    dev = eval_themes.load_dev()
    assert len(dev) >= 80
    result = eval_themes.evaluate(tagger(), eval_themes.dev_passages())
    assert result["micro"][2] >= 0.8
    assert result["macro"][2] >= 0.75


def test_short_terms_need_word_boundaries_and_exclusions_hold():
    t = tagger()
    assert "体育" not in {x.theme for x in t.tag("县教育体育局召开全县校长会议，部署秋季开学工作。")}
    assert "体育" in {x.theme for x in t.tag("开展校园足球联赛，学生体质健康达标率明显提升。")}


def test_a_heading_theme_reaches_its_passages():
    text = "先后选派15名骨干教师赴对口县开展工作，培训当地教师267人。"
    assert "教育帮扶与支教" not in {x.theme for x in tagger().tag(text)}
    tags = tagger().tag(text, ("三、坚持教育精准扶贫，助力脱贫攻坚",))
    hit = next(x for x in tags if x.theme == "教育帮扶与支教")
    assert "精准扶贫" in hit.evidence


def test_tags_carry_scores_and_evidence():
    tags = tagger().tag("二是“双减”工作扎实推进。对校外培训机构实施“四不一监管”，每月公布培训机构黑白名单。")
    by_name = {t.theme: t for t in tags}
    assert {"双减", "校外培训机构治理"} <= set(by_name)
    assert "校外培训机构" in by_name["校外培训机构治理"].evidence
    assert tags == sorted(tags, key=lambda t: -t.score)


def test_each_enumerated_practice_carries_its_own_theme():
    """A passage listing four practices is tagged with each practice that has a theme of its own,
    even where one practice dominates the passage: an analyst comparing 学生资助 must find it."""
    text = ("一是推进学前教育普惠发展，新增公办幼儿园学位3200个。二是办好特殊教育，完善随班就读、"
            "送教上门和特殊教育学校招生机制，特殊教育学校新增康复教室12间，残疾儿童入学率达98%。"
            "三是保障进城务工人员随迁子女入学，全年接收随迁子女1.2万人。"
            "四是落实助学减免，向2.3万人次学生发放助学金和生活补助共4600万元。")
    themes = {t.theme for t in tagger().tag(text)}
    assert {"特殊教育", "随迁子女就学", "学生资助"} <= themes
    aid = next(t for t in tagger().tag(text) if t.theme == "学生资助")
    assert "助学金" in aid.evidence


def test_a_passing_word_inside_an_enumerated_item_adds_no_theme():
    """An item's theme must be its subject: one word named once after the item's topic sentence
    (德育 below) does not tag a passage another theme dominates."""
    text = ("一是完善特殊教育学校招生机制，做好送教上门、随班就读工作，特殊教育学校新增康复教室12间，"
            "残疾儿童入学率达98%。二是加强校舍维修，改造学校食堂3所。维修期间各校德育活动照常开展。")
    themes = {t.theme for t in tagger().tag(text)}
    assert "特殊教育" in themes
    assert "德育" not in themes
    assert "德育" in {t.theme for t in tagger().tag("二是加强德育工作，维修期间各校德育活动照常开展。")}


@pytest.mark.parametrize(
    "toml,message",
    [
        ('[[theme]]\nname = "甲"\nkey = ["甲"]\n\n[[theme]]\nname = "甲"\nkey = ["乙"]\n',
         r"themes\.toml:6: duplicate theme name '甲' \(first at line 2\)"),
        ('[[theme]]\nname = "甲"\nparent = "无此主题"\nkey = ["甲"]\n',
         r"themes\.toml:2: theme '甲' has unknown parent '无此主题'"),
        ('[[theme]]\nname = 甲\nkey = ["甲"]\n', r"themes\.toml: not valid TOML: .*\(at line 2, column 8\)"),
        ('[[theme]]\nname = "甲"\n', r"themes\.toml:2: theme '甲' has no key terms or terms"),
        ('[[theme]]\nname = "甲"\nkey = ["甲"]\nterm = ["乙"]\n', r"themes\.toml:2: theme '甲' has unknown key\(s\) term"),
    ],
)
def test_invalid_taxonomies_are_refused_with_line_and_reason(tmp_path, toml, message):
    path = tmp_path / "themes.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(path)


def test_a_custom_taxonomy_tags_with_its_own_terms(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[[theme]]\nname = "研学基地"\ndescription = "研学实践基地建设。"\nkey = ["水韵园"]\n', "utf-8")
    custom = Tagger(load_taxonomy(path))
    assert [t.theme for t in custom.tag("建设“水韵园”综合教育基地。")] == ["研学基地"]


def test_the_taxonomy_loads_with_tomli_where_tomllib_is_missing():
    """Python 3.10 has no tomllib; the same taxonomy must load through tomli (run apart, so no class is reloaded)."""
    import subprocess

    pytest.importorskip("tomli")
    code = (
        "import sys; sys.modules['tomllib'] = None\n"
        "import ingest.themes as t\n"
        "names = [x.name for x in t.load_taxonomy()]\n"
        "print(t.tomllib.__name__, len(names), '学生资助' in names)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout.split()
    assert out[0] == "tomli" and int(out[1]) >= 50 and out[2] == "True"
