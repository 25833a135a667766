"""Chinese word segmentation with the domain dictionary loaded.

jieba alone cuts policy terms apart (双减 -> 双/减, 集团化办学 -> 集团化/办学);
the terms in `data/terms.txt` keep them whole. Search-mode cutting also
yields the parts of long words, so 课后服务 matches 课后 and 服务 as well.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_TOKEN = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+|\d+(?:\.\d+)?")
# Function words that carry no topic; punctuation is dropped by _TOKEN.
STOPWORDS = frozenset(
    "的 了 和 与 及 等 在 对 为 是 以 将 把 被 由 从 向 于 并 或 而 也 都 就 又 其 之 中 上 下 "
    "各 个 一 这 那 有 无 不 我 我们 进一步 加强 开展 工作 推进 全面 积极 认真 不断 深入 持续".split()
)


@lru_cache(maxsize=1)
def domain_terms() -> tuple[str, ...]:
    text = resources.files("ingest").joinpath("data/terms.txt").read_text("utf-8")
    return tuple(line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    for term in domain_terms():
        tokenizer.add_word(term, freq=max(tokenizer.suggest_freq(term, tune=False), 2000), tag="n")
    return tokenizer


@lru_cache(maxsize=1)
def pos_tagger():
    """jieba's POS tagger over the one tokenizer (domain terms tagged as nouns).

    For callers that need jieba's tagger object itself (e.g. as the
    `postokenizer` of `jieba.analyse.TFIDF`); others call `tagged`.

    `POSTokenizer(tokenizer)` would read jieba's 5 MB dictionary a second
    time for its tag table (~0.7 s); the tagger that `jieba.posseg` builds at
    import already holds that table, so ours starts from a copy of it.
    """
    import jieba.posseg

    tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    tagger.tokenizer = _jieba()
    tagger.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
    # Set the domain tags here: jieba hands a tokenizer's added tags to the
    # first tagger that cuts with it and clears them, so a second tagger
    # over the same tokenizer would see its domain terms as untagged.
    tagger.word_tag_tab.update(dict.fromkeys(domain_terms(), "n"))
    return tagger



def tagged(text: str, hmm: bool = True) -> list[tuple[str, str]]:
    """(word, part-of-speech flag) pairs, cut by the same tokenizer as `words`.

    `hmm=False` skips jieba's guessing of words missing from the dictionary
    (several times faster), for callers that only look at dictionary words.

    >>> tagged("推进集团化办学")
    [('推进', 'v'), ('集团化办学', 'n')]
    """
    return [(t.word, t.flag) for t in pos_tagger().cut(text, HMM=hmm)]


def words(text: str) -> list[str]:
    """Precise-mode words, domain terms kept whole."""
    return [w for w in _jieba().cut(text) if w.strip()]


def search_tokens(text: str) -> list[str]:
    """Tokens for keyword search: search-mode words without stopwords or punctuation.

    >>> search_tokens("全面落实“双减”政策，课后服务覆盖率达100%")
    ['落实', '全面落实', '双减', '政策', '课后', '服务', '课后服务', '覆盖', '覆盖率', '达', '100%']
    """
    out = []
    for w in _jieba().cut_for_search(text):
        w = w.strip().lower()
        if w and w not in STOPWORDS and _TOKEN.match(w):
            out.append(w)
    return out
