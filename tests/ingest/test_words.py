"""One tokenizer for every stage: domain words, part-of-speech tags, and no jieba at start-up."""

from __future__ import annotations

import subprocess
import sys

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
