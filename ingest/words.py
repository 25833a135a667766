"""Chinese word segmentation with the domain dictionary loaded.

jieba alone cuts policy terms apart (双减 -> 双/减, 集团化办学 -> 集团化/办学);
the terms in `data/terms.txt` keep them whole. Search-mode cutting also
yields the parts of long words, so 课后服务 matches 课后 and 服务 as well.
`tagging(text)` is a passage's words with tags and offsets, cut once and
shared by the themes and figures stages.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from ingest import wordtable

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


def _table_path():
    """Where jieba's word table (ingest/wordtable.py) is kept: the user cache ($EDUREPORTS_CACHE)."""
    from edureports.settings import cache_dir  # settings imports nothing of ingest or index

    return wordtable.table_path(cache_dir(), domain_terms())


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    for term in domain_terms():
        tokenizer.add_word(term, freq=max(tokenizer.suggest_freq(term, tune=False), 2000), tag="n")
    try:  # once per machine and term list, so that a query process never loads the whole dictionary
        path = _table_path()
        if not path.exists():
            wordtable.save(tokenizer, path)
    except OSError:
        pass  # a read-only cache only costs later queries their speed
    return tokenizer


@lru_cache(maxsize=1)
def _query_jieba():
    """The tokenizer for short texts: the saved word table when there is one, else the full dictionary."""
    import jieba

    jieba.setLogLevel(60)
    try:
        return wordtable.open_tokenizer(_table_path()) or _jieba()
    except OSError:
        return _jieba()


def _cutter():
    """The full tokenizer once it is loaded (bulk cutting is faster in memory), else the word table."""
    return _jieba() if _jieba.cache_info().currsize else _query_jieba()


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


class Token(NamedTuple):
    """One word of a passage: its offsets into the passage, the word and its part-of-speech flag."""

    start: int
    end: int
    word: str
    flag: str


# jieba's own blocks (jieba.re_han_default): it cuts each run of these characters on its own, so
# cutting block by block, only the blocks a stage asks about, gives the words a whole cut gives.
_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")
_NUMERIC = re.compile(r"[.0-9]+")
_ASCII_WORD = re.compile(r"[a-zA-Z0-9]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


class Tagging:
    """A passage's words with part-of-speech flags and offsets, cut at most once.

    Themes ask whether a short term sits on word boundaries and figures read
    the words of a few windows around each number; both read them off the
    one Tagging of the passage (`tagging(text)` keeps the last ones), so no
    stage cuts the passage again. A block of the passage (jieba's unit: a
    run between punctuation) is cut only when a stage first asks about it.

    >>> t = tagging("推进集团化办学，新建学校3所。")
    >>> t.span(0, 7)
    [('推进', 'v'), ('集团化办学', 'n')]
    >>> t.span(11, 13)  # a window that cuts 学校 in two is cut on its own
    [('校', 'ng'), ('3', 'm')]
    >>> t.on_bounds(2, 7), t.on_bounds(3, 5)
    (True, False)
    """

    __slots__ = ("text", "_blocks", "_block_starts", "_cut", "_cut_starts")

    def __init__(self, text: str):
        self.text = text
        self._blocks = [m.span() for m in _BLOCK.finditer(text)]
        self._block_starts = [s for s, _ in self._blocks]
        self._cut: dict[int, tuple[Token, ...]] = {}
        self._cut_starts: dict[int, list[int]] = {}

    def _block_tokens(self, k: int) -> tuple[Token, ...]:
        if k not in self._cut:
            s, e = self._blocks[k]
            out, pos = [], s
            for word, flag in _tagged_piece(self.text[s:e]):
                out.append(Token(pos, pos + len(word), word, flag))
                pos += len(word)
            self._cut[k] = tuple(out)
            self._cut_starts[k] = [t.start for t in out]
        return self._cut[k]

    def _tokens_between(self, a: int, b: int) -> list[Token]:
        """The passage's tokens that overlap text[a:b]; outside blocks every character is its own token."""
        out: list[Token] = []
        k = max(0, bisect_right(self._block_starts, a) - 1)
        pos = a
        while pos < b:
            if k < len(self._blocks) and self._blocks[k][1] <= pos:
                k += 1
                continue
            if k < len(self._blocks) and self._blocks[k][0] <= pos:
                toks = self._block_tokens(k)
                i = max(0, bisect_right(self._cut_starts[k], pos) - 1)
                for t in toks[i:]:
                    if t.start >= b:
                        break
                    out.append(t)
                pos = self._blocks[k][1]
                k += 1
            else:
                nxt = self._blocks[k][0] if k < len(self._blocks) else len(self.text)
                for i in range(pos, min(nxt, b)):
                    out.append(Token(i, i + 1, self.text[i], "x"))
                pos = nxt
        return out

    @property
    def tokens(self) -> list[Token]:
        """Every token of the passage (cuts the blocks not cut yet)."""
        return self._tokens_between(0, len(self.text))

    def span(self, a: int, b: int) -> list[tuple[str, str]]:
        """(word, flag) pairs of text[a:b], as jieba cuts that window alone.

        When the window starts and ends on word boundaries of the passage,
        its words are the passage's; when an end cuts a word (jieba glues a
        measure word to the next character: 85名到我区), the window is cut
        on its own, so a piece of a word never stands for a word.
        """
        if a >= b:
            return []
        toks = self._tokens_between(a, b)
        if toks and toks[0].start == a and toks[-1].end == b:
            return [(t.word, t.flag) for t in toks]
        return list(_tagged_piece(self.text[a:b]))

    def on_bounds(self, a: int, b: int) -> bool:
        """Whether a word of the passage starts at `a` and one ends at `b`."""
        first = self._tokens_between(a, a + 1)
        last = self._tokens_between(b - 1, b)
        return bool(first and last and first[0].start == a and last[-1].end == b)


def _flagged(text: str) -> list[tuple[str, str]]:
    """jieba's precise cut, each word with its part-of-speech flag.

    posseg over a whole passage costs about five times the plain cut (its
    unknown-word HMM runs over part-of-speech states), so the words come
    from the plain cut and the flags from posseg's tag table; only a word
    the table lacks (one jieba's HMM put together) is tagged by posseg.
    Cutting windows with posseg gave the same figures on the gold sets;
    posseg without its HMM (`hmm=False`) changed 57 indicators of the
    development archive, more of them for the worse (岗教师 for 特岗教师).
    """
    tab = pos_tagger().word_tag_tab
    out: list[tuple[str, str]] = []
    run = ""  # single characters in a row: posseg tags them together, in context (仍有 -> 仍/d 有/v)

    def flush() -> None:
        if len(run) == 1:
            out.append((run, tab.get(run, "x")))
        elif run:
            out.extend(_unknown_word(run))

    for w in _jieba().cut(text):
        if len(w) == 1 and _HAN.match(w):
            run += w
            continue
        flush()
        run = ""
        flag = tab.get(w)
        if flag:
            out.append((w, flag))
        elif _NUMERIC.fullmatch(w):
            out.append((w, "m"))
        elif _ASCII_WORD.fullmatch(w):
            out.append((w, "eng"))
        elif len(w) == 1:
            out.append((w, "x"))
        else:
            out.extend(_unknown_word(w))
    flush()
    return out


@lru_cache(maxsize=8192)
def _unknown_word(word: str) -> tuple[tuple[str, str], ...]:
    return tuple(tagged(word))


def _tagged_piece(text: str) -> tuple[tuple[str, str], ...]:
    # Not cached across passages: a passage's cut is shared through its Tagging only.
    return tuple(_flagged(text))


@lru_cache(maxsize=1024)
def tagging(text: str) -> Tagging:
    """The `Tagging` of a passage, the same object for the same text while it is among the last 1,024 asked.

    Bounded (a report's passages, not an archive's) and keyed by the text,
    so the themes and the figures of a report share the cutting.
    """
    return Tagging(text)


def words(text: str) -> list[str]:
    """Precise-mode words, domain terms kept whole."""
    return [w for w in _jieba().cut(text) if w.strip()]


def search_tokens(text: str) -> list[str]:
    """Tokens for keyword search: search-mode words without stopwords or punctuation.

    >>> search_tokens("全面落实“双减”政策，课后服务覆盖率达100%")
    ['落实', '全面落实', '双减', '政策', '课后', '服务', '课后服务', '覆盖', '覆盖率', '达', '100%']
    """
    out = []
    for w in _cutter().cut_for_search(text):
        w = w.strip().lower()
        if w and w not in STOPWORDS and _TOKEN.match(w):
            out.append(w)
    return out
