"""Chinese word segmentation with the domain dictionary loaded.

jieba alone cuts policy terms apart (双减 -> 双/减, 集团化办学 -> 集团化/办学);
the terms in `data/terms.txt` keep them whole. Search-mode cutting also
yields the parts of long words, so 课后服务 matches 课后 and 服务 as well.
`tagging(text)` is a passage's words with tags and offsets, cut once and
shared by the themes and figures stages.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
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


# Bulk cutting on rjieba (jieba-rs, the same DAG, route and HMM compiled): about ten times jieba's speed,
# ~2.5 s of CPU per MB of a report down to ~0.3. It is handed jieba's own table (ours, with the domain
# terms), so both choose from the same words and frequencies. It runs only on jieba's blocks without
# + # & . _ % - (jieba cuts 2021-03-04 or xx.x% apart, jieba-rs keeps them whole); those stay on jieba.
# Search mode (keyword tokens at ingest) goes the same way. Building its table costs about a second,
# so a process switches only once it has cut FAST_AFTER characters with jieba (a query or a small file
# never pays it); tests/ingest/test_words.py checks that both cut the sample archives alike, both modes.
FAST_AFTER = 200_000
_SYMBOL = re.compile(r"[+#&._%\-]")
_cut_chars = 0


@lru_cache(maxsize=1)
def _rjieba():
    """rjieba over jieba's table, or None when rjieba is not installed."""
    try:
        import rjieba
    except ImportError:
        return None
    tokenizer = _jieba()
    tokenizer.check_initialized()
    fast = rjieba.Jieba.empty()
    add = fast.add_word
    total = 0
    for word, freq in tokenizer.FREQ.items():
        if freq:  # jieba's zero entries are word prefixes; rjieba finds prefixes in its trie
            add(word, freq, "")
            total += freq
    if tokenizer.total > total:
        # jieba's total counts a re-added word twice (add_word adds its frequency again); rjieba's is the
        # sum of its entries. One entry no block can hold (a private-use character) makes the totals
        # equal, so every word's log-probability is jieba's to the last bit.
        add("\ue000", tokenizer.total - total, "")
    return fast


def prepare_bulk() -> None:
    """Build the bulk cutter now: a caller about to cut a lot (or to fork workers that will) pays once."""
    _rjieba()


def _bulk(n: int):
    """The bulk cutter once this process has cut FAST_AFTER characters with jieba (`n` more now), else None."""
    global _cut_chars
    if _rjieba.cache_info().currsize or _cut_chars >= FAST_AFTER:
        return _rjieba()
    _cut_chars += n
    return None


def _cut(text: str) -> list[str]:
    """jieba's precise cut (HMM on), block by block on rjieba where it cuts as jieba does."""
    fast = _bulk(len(text))
    if fast is None:
        return list(_jieba().cut(text))
    if _BLOCK.fullmatch(text):  # one block: what a passage's Tagging asks for
        return fast.cut(text, True) if not _SYMBOL.search(text) else list(_jieba().cut(text))
    return _blockwise(text, lambda piece: fast.cut(piece, True), _jieba().cut)


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
_BLOCK_SPLIT = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")  # jieba.re_han_default: split keeps the blocks
_NUMERIC = re.compile(r"[.0-9]+")


def _blockwise(text: str, fast_cut, slow_cut) -> list[str]:
    """Cut `text` as jieba splits it into blocks: a block without + # & . _ % - goes to rjieba, the rest to jieba.

    jieba-rs keeps 2021-03-04 and xx.x% whole where jieba splits them, so
    those blocks, and what lies between two blocks, stay on jieba.
    """
    out: list[str] = []
    for piece in _BLOCK_SPLIT.split(text):
        if not piece:
            continue
        out += fast_cut(piece) if _BLOCK.fullmatch(piece) and not _SYMBOL.search(piece) else slow_cut(piece)
    return out
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

    __slots__ = ("text", "_blocks", "_block_starts", "_cut")

    def __init__(self, text: str):
        self.text = text
        self._blocks = [m.span() for m in _BLOCK.finditer(text)]
        self._block_starts = [s for s, _ in self._blocks]
        # block number -> its (word, flag) pairs and the offset where each word starts; Token tuples
        # are made only for `tokens`: boundary checks, the bulk of the calls, need the offsets alone
        self._cut: dict[int, tuple[tuple[tuple[str, str], ...], list[int]]] = {}

    def _block_cut(self, k: int) -> tuple[tuple[tuple[str, str], ...], list[int]]:
        found = self._cut.get(k)
        if found is None:
            s, e = self._blocks[k]
            pairs = _tagged_piece(self.text[s:e])
            starts, pos = [], s
            for word, _ in pairs:
                starts.append(pos)
                pos += len(word)
            found = self._cut[k] = (pairs, starts)
        return found

    def _block_at(self, i: int) -> int:
        """The number of the block holding text[i], or -1 (outside blocks every character is its own word)."""
        k = bisect_right(self._block_starts, i) - 1
        return k if k >= 0 and i < self._blocks[k][1] else -1

    def _starts_word(self, i: int) -> bool:
        k = self._block_at(i)
        if k < 0 or i == self._blocks[k][0]:
            return True
        starts = self._block_cut(k)[1]
        j = bisect_left(starts, i)
        return j < len(starts) and starts[j] == i

    def _ends_word(self, i: int) -> bool:
        k = self._block_at(i - 1)
        if k < 0 or i == self._blocks[k][1]:
            return True
        return self._starts_word(i)  # inside a block a word ends where the next one starts

    def _pairs_between(self, a: int, b: int) -> list[tuple[str, str]]:
        """(word, flag) of text[a:b] when a word starts at `a` and one ends at `b`."""
        blocks, text = self._blocks, self.text
        out: list[tuple[str, str]] = []
        k = bisect_right(self._block_starts, a) - 1
        if k < 0 or a >= blocks[k][1]:
            k += 1
        pos = a
        while pos < b:
            if k < len(blocks) and blocks[k][0] <= pos:
                pairs, starts = self._block_cut(k)
                out.extend(pairs[bisect_left(starts, pos) : bisect_left(starts, b)])
                pos = min(b, blocks[k][1])
                k += 1
            else:
                nxt = min(b, blocks[k][0] if k < len(blocks) else len(text))
                out.extend((ch, "x") for ch in text[pos:nxt])
                pos = nxt
        return out

    @property
    def tokens(self) -> list[Token]:
        """Every token of the passage (cuts the blocks not cut yet)."""
        out, pos = [], 0
        for word, flag in self._pairs_between(0, len(self.text)):
            out.append(Token(pos, pos + len(word), word, flag))
            pos += len(word)
        return out

    def span(self, a: int, b: int) -> list[tuple[str, str]]:
        """(word, flag) pairs of text[a:b], as jieba cuts that window alone.

        When the window starts and ends on word boundaries of the passage,
        its words are the passage's; when an end cuts a word (jieba glues a
        measure word to the next character: 85名到我区), the window is cut
        on its own, so a piece of a word never stands for a word.
        """
        if a >= b:
            return []
        if self._starts_word(a) and self._ends_word(b):
            return self._pairs_between(a, b)
        return list(_tagged_piece(self.text[a:b]))

    def on_bounds(self, a: int, b: int) -> bool:
        """Whether a word of the passage starts at `a` and one ends at `b`."""
        return self._starts_word(a) and self._ends_word(b)


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
    get = pos_tagger().word_tag_tab.get
    out: list[tuple[str, str]] = []
    append = out.append
    run = ""  # single characters in a row: posseg tags them together, in context (仍有 -> 仍/d 有/v)
    for w in _cut(text):
        if len(w) == 1 and "\u4e00" <= w <= "\u9fff":  # _HAN, without a regex call per word
            run += w
            continue
        if run:
            _flush(run, out, get)
            run = ""
        flag = get(w)
        if flag:
            append((w, flag))
        elif _NUMERIC.fullmatch(w):
            append((w, "m"))
        elif _ASCII_WORD.fullmatch(w):
            append((w, "eng"))
        elif len(w) == 1:
            append((w, "x"))
        else:
            out.extend(_unknown_word(w))
    if run:
        _flush(run, out, get)
    return out


def _flush(run: str, out: list[tuple[str, str]], get) -> None:
    if len(run) == 1:
        out.append((run, get(run, "x")))
    else:
        out.extend(_unknown_word(run))


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
    for w in _search_words(text):
        w = w.strip().lower()
        if w and w not in STOPWORDS and _TOKEN.match(w):
            out.append(w)
    return out


def _search_words(text: str) -> list[str]:
    """jieba's search-mode cut; in bulk (keyword indexing at ingest), block by block on rjieba like `_cut`.

    A query process never switches: it cuts through the word table and never loads the full dictionary.
    """
    fast = _bulk(len(text)) if _jieba.cache_info().currsize else None
    if fast is None:
        return list(_cutter().cut_for_search(text))
    return _blockwise(text, lambda piece: fast.cut_for_search(piece, True), _jieba().cut_for_search)
