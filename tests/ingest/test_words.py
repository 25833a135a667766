"""One tokenizer for every stage: domain words, part-of-speech tags, and no jieba at start-up."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ingest.words import domain_terms, tagged, words


def test_domain_terms_stay_whole_and_are_tagged_as_nouns():
    assert ("双减", "n") in tagged("全面落实双减政策")
    assert "集团化办学" in words("推进集团化办学")


def test_tagging_cuts_the_text_as_words_does():
    text = "全县课后服务覆盖率达到100%，集团化办学覆盖全部城区学校。"
    chinese = [w for w, _ in tagged(text) if "\u4e00" <= w[0] <= "\u9fff"]
    assert chinese == [w for w in words(text) if "\u4e00" <= w[0] <= "\u9fff"]
    assert "".join(w for w, _ in tagged(text)) == text


def test_domain_tags_survive_another_tagger_on_the_same_tokenizer():
    """jieba hands added tags to the first tagger that cuts and clears them; ours must not depend on order."""
    import jieba.posseg

    from ingest.words import _jieba

    other = jieba.posseg.POSTokenizer(_jieba())
    list(other.cut("落实双减政策"))
    term = next(t for t in domain_terms() if len(t) >= 3)
    assert dict(tagged(f"我们推进{term}工作")).get(term) == "n"


def test_the_command_line_help_loads_no_tokenizer():
    code = (
        "import sys\nfrom edureports.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "import ingest.segment, ingest.split\n"
        "print('jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "False"


def test_a_passage_is_cut_once_for_themes_and_figures(monkeypatch):
    """The themes and the figures of a passage read its one Tagging; no block of it is cut twice."""
    import ingest.words as w
    from ingest.metrics import figures
    from ingest.themes import tagger

    cuts = []
    real = w._flagged
    monkeypatch.setattr(w, "_flagged", lambda text: cuts.append(text) or real(text))
    text = "全县共有幼儿园12所，学前教育毛入园率达到92.5%，体育与健康课开足开齐，德育工作扎实推进。"
    tg = w.Tagging(text)
    tagger().tag(text, (), words=tg)
    found = figures(text, words=tg)
    assert [f.indicator for f in found] == ["幼儿园", "学前教育毛入园率"]
    assert len(cuts) == len(set(cuts)) and set(cuts) <= {text[a:b] for a, b in tg._blocks}


def test_tagging_windows_read_as_a_cut_of_the_window():
    from ingest.words import _flagged, tagging

    text = "接收跟岗学习教师85名到我区学校培训，评选出11位获奖学生。"
    tg = tagging(text)
    assert "".join(t.word for t in tg.tokens) == text
    for a, b in [(0, 10), (2, 6), (12, 18), (19, 25)]:
        assert tg.span(a, b) == _flagged(text[a:b]), text[a:b]
    assert tg.on_bounds(6, 8) and not tg.on_bounds(7, 9)


def test_bulk_cutting_on_rjieba_cuts_the_archives_as_jieba_does(monkeypatch):
    """Past FAST_AFTER characters the cut runs on rjieba; every line (and pieces of it) must cut as jieba cuts it."""
    pytest.importorskip("rjieba")
    import random
    from pathlib import Path

    import ingest.words as w

    root = Path(__file__).resolve().parents[2]
    paths = sorted((root / "corpus").glob("*.txt")) + sorted((root / "tests/data/archive").glob("*.txt"))
    lines = [ln for p in paths for ln in p.read_text("utf-8", errors="replace").splitlines() if ln.strip()]
    rng = random.Random(5)
    pieces = lines + [ln[a : a + rng.randint(2, 24)] for ln in lines for a in [rng.randrange(len(ln))]]
    monkeypatch.setattr(w, "_cut_chars", w.FAST_AFTER)
    assert w._rjieba() is not None
    jieba_cut = w._jieba().cut
    cuts = [(p, list(jieba_cut(p)), w._cut(p)) for p in pieces]
    differ = [c for c in cuts if c[1] != c[2]]
    assert len(pieces) > 3000 and not differ, differ[:3]
    assert w._cut("2021-03-04印发，达标率xx.x%") == ["2021", "-", "03", "-", "04", "印发", "，", "达标率", "xx", ".", "x%"]
    search = [(p, list(w._jieba().cut_for_search(p)), w._search_words(p)) for p in pieces]
    assert not [c for c in search if c[1] != c[2]]
