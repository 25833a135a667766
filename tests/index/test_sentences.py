"""Sentence windows and coverage: the fast scoring gives what the plain one gave, on every labelled query.

The ranking describes about two hundred candidates per query, so
index/sentences.py scores windows from bit masks, splits sentences with two
patterns and scans a report's shared headings once. `Reference` below is the
plain version it replaced (one alternation splitting sentences, sets of
words unioned per window), kept here as the measure: on every query of the
labelled sets, against every passage of the corpus, both must give the same
best window, the same offsets and the same coverages.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from index.query import parse
from index.ranking import coverage_of
from index.sentences import Coverage, sentences

ROOT = Path(__file__).resolve().parents[2]
_END = re.compile(r"[。！？；\n]+[”’）)]*|(?=[，,、：:][一二三四五六七八九十]+[是要])")
_BLANK = " ，,、：:。；\n"


def reference_sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _END.finditer(text):
        end = m.end()
        if end > start:
            if text[start:end].strip(_BLANK):
                out.append((start, end))
            start = end
    if start < len(text) and text[start:].strip(_BLANK):
        out.append((start, len(text)))
    return out


def reference_windows(text: str, size: int) -> list[tuple[int, int]]:
    sents = reference_sentences(text) or [(0, len(text))]
    if len(sents) <= size:
        return [(sents[0][0], sents[-1][1])]
    return [(sents[i][0], sents[i + size - 1][1]) for i in range(len(sents) - size + 1)]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " ，,、：:。；\n":
        a += 1
    while b > a and text[b - 1] in " \n":
        b -= 1
    return a, b


class Reference:
    """The plain coverage: a set of covered words per window, summed word by word."""

    def __init__(self, units, alternatives, credit):
        self.weight = {u: w for u, w in units if w > 0}
        self.total = sum(self.weight.values())
        self.credit = credit
        needles = set(self.weight) | {a for u in self.weight for a in alternatives.get(u, ())}
        self._full = {n: frozenset(u for u in self.weight if u in n) for n in needles}
        self._part = {n: frozenset(u for u in self.weight if n in alternatives.get(u, ())) for n in needles}
        order = sorted(needles, key=len, reverse=True)
        self._re = re.compile("|".join(map(re.escape, order))) if order else None

    def _score(self, found):
        full, part = set(), set()
        for n in found:
            full |= self._full[n]
            part |= self._part[n]
        part -= full
        return (sum(self.weight[u] for u in full) + self.credit * sum(self.weight[u] for u in part)) / self.total

    def _matches(self, text):
        return [(m.start(), m.group()) for m in self._re.finditer(text)] if self._re and self.total else []

    def __call__(self, text):
        found = self._matches(text)
        return self._score(n for _, n in found) if found else 0.0

    def describe(self, text, headings, size):
        found = self._matches(text)
        path = [self._matches(h) for h in headings]
        in_path = [n for m in path for _, n in m]
        last = [n for _, n in path[-1]] if path else []
        best, where = self._windows(text, found, last, size)
        passage = self._score(in_path + [n for _, n in found]) if (found or in_path) else 0.0
        heading = self._score(in_path) if in_path else 0.0
        return best, where, passage, heading

    def best(self, text, context, size):
        ctx = [n for _, n in self._matches(context)] if context else []
        return self._windows(text, self._matches(text), ctx, size)

    def _windows(self, text, found, ctx, size):
        if not found:
            return (self._score(ctx) if ctx else 0.0), (0, 0)
        best, where = -1.0, (0, 0)
        for a, b in reference_windows(text, size):
            inside = [n for p, n in found if a <= p < b]
            if not inside:
                continue
            c = self._score(ctx + inside)
            if c > best + 1e-9:
                best, where = c, (a, b)
        return best, _trim(text, *where)


def _same(ours, theirs) -> bool:
    """Equal offsets, and coverages equal up to the order in which a float sum adds its words."""
    if len(ours) != len(theirs):
        return False
    for x, y in zip(ours, theirs):
        if isinstance(x, float):
            if abs(x - y) > 1e-12:
                return False
        elif tuple(x) != tuple(y):
            return False
    return True


def _labelled_queries() -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from eval_search import load_dev, load_queries
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return list(dict.fromkeys([q for _, q, _ in load_dev()] + [r.text for r in load_queries()]))


@pytest.fixture(scope="module")
def corpus_passages(indexed_corpus):
    from index.store import Store

    store = Store(indexed_corpus)
    yield [(p.text, tuple(p.heading_path)) for p in store.passages()]
    store.close()


def test_sentences_are_those_of_the_single_pattern(corpus_passages):
    texts = [t for t, _ in corpus_passages] + [" ".join(h) for _, h in corpus_passages] + [
        "一是推进集团化办学，二是落实双减。开展课后服务", "。”，三要加强督导：四是……！？\n\n五要", "", "，。；"]
    for text in texts:
        assert sentences(text) == reference_sentences(text), text


def test_coverage_is_the_plain_coverage_on_every_labelled_query(engine, corpus_passages, monkeypatch):
    """Every labelled query (dev and tune/test sets) against every corpus passage, windows of 1 and 2 sentences."""
    import index.ranking as ranking

    built = []

    class Both(Coverage):
        """The ranking's coverage, with the reference built from the same words and thesaurus terms."""

        def __init__(self, units, alternatives, credit):
            super().__init__(units, alternatives, credit)
            built.append(Reference(units, alternatives, credit))

    monkeypatch.setattr(ranking, "Coverage", Both)
    queries = _labelled_queries()
    assert len(queries) > 300
    compared = differ = 0
    for i, text in enumerate(queries):
        ours = coverage_of(parse(text), engine.keyword.idf)
        theirs = built[-1]
        assert list(ours.weight) == list(theirs.weight)
        size = 1 + i % 2
        for passage, headings in corpus_passages:
            compared += 1
            if not _same(ours.describe(passage, headings, size), theirs.describe(passage, headings, size)):
                differ += 1
        for passage, headings in corpus_passages[::7]:
            context = headings[-1] if headings else ""
            assert _same(ours.best(passage, context, size), theirs.best(passage, context, size))
            assert abs(ours(passage) - theirs(passage)) <= 1e-12
    assert compared > 40_000 and differ == 0


def test_a_heading_shared_by_passages_is_read_after_each_passage_alike():
    """The heading cache of one query's coverage must not carry one passage's words into another's."""
    cover = coverage_of(parse("营养改善计划"), lambda t: 3.0)
    heads = ("三、民生工程",)
    first = cover.describe("实施营养改善计划，惠及学生3万人。", heads, 1)
    second = cover.describe("加强校园安全。", heads, 1)
    assert first[0] == 1.0 and first[2] == 1.0
    assert second == (0.0, (0, 0), 0.0, 0.0)


@pytest.mark.parametrize("size", [1, 2])
def test_words_holding_punctuation_are_scored_as_plainly(size):
    """A word or thesaurus term with a comma or stop in it can straddle a sentence end: the general path serves it."""
    units = [("双减", 3.0), ("课后服务", 2.0), ("学生", 0.5)]
    texts = ["一是落实双减，二是课后服务全覆盖。学生满意。", "课后服务。双减；学生", "与此无关。", "，。", ""]
    for alternatives in ({"双减": ("减负", "作业、培训")}, {"双减": ("减负。",)}, {"双减": ("减负",)}):
        ours, theirs = Coverage(units, alternatives, 0.5), Reference(units, alternatives, 0.5)
        for text in texts + ["作业、培训都要减负。课后服务", "减负。课后服务，二是双减"]:
            heads = ("一、落实双减", "（一）减负")
            assert _same(ours.describe(text, heads, size), theirs.describe(text, heads, size)), (alternatives, text)
            assert _same(ours.best(text, "双减", size), theirs.best(text, "双减", size))
