"""Sentence windows of a passage and how much of a query each one says (coverage), for ranking and snippets.

A passage that lists many practices (一是…二是…九是…) says a little of each:
scored as a whole, a query about one practice matches few of its words. The
best sentence window, scored alone, says the practice in full, so it is
carried to the passage (as a ranking feature) and shown as the snippet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

# A sentence ends after 。！？； or a line break (with closing quotes); an enumeration item (二是, 三要)
# starts a new one at the comma before it.
_END = re.compile(r"[。！？；\n]+[”’）)]*|(?=[，,、：:][一二三四五六七八九十]+[是要])")
WINDOW = 1  # sentences per window; bench/eval_search.py --fit chooses it on the tuning queries (1 or 2)
_BLANK = " ，,、：:。；\n"


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, punctuation included, blank ones dropped.

    >>> t = "一是推进集团化办学，二是落实双减。开展课后服务"
    >>> [t[a:b] for a, b in sentences(t)]
    ['一是推进集团化办学', '，二是落实双减。', '开展课后服务']
    """
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


def windows(text: str, size: int = WINDOW) -> list[tuple[int, int]]:
    """Runs of `size` consecutive sentences (the whole text when it has fewer)."""
    sents = sentences(text) or [(0, len(text))]
    if len(sents) <= size:
        return [(sents[0][0], sents[-1][1])]
    return [(sents[i][0], sents[i + size - 1][1]) for i in range(len(sents) - size + 1)]


class Coverage:
    """How much of a query's specific weight a piece of text says, 0..1.

    Each query word weighs its specificity (IDF; generic words a fraction of
    it). A word is covered when the text contains it; a thesaurus term
    covers the query words that triggered it, at `credit` of their weight,
    so an expansion never earns more than the words it stands for.

    One regular expression finds every word and thesaurus term in a passage
    at once (longest first; a match covers the query words inside it), and
    windows are scored from those positions: a few hundred candidates cost
    a few milliseconds.
    """

    def __init__(self, units: Sequence[tuple[str, float]], alternatives: dict[str, tuple[str, ...]],
                 credit: float):
        self.weight = {u: w for u, w in units if w > 0}
        self.total = sum(self.weight.values())
        self.credit = credit
        needles = set(self.weight) | {a for u in self.weight for a in alternatives.get(u, ())}
        self._full = {n: frozenset(u for u in self.weight if u in n) for n in needles}
        self._part = {n: frozenset(u for u in self.weight if n in alternatives.get(u, ())) for n in needles}
        order = sorted(needles, key=len, reverse=True)
        self._re = re.compile("|".join(map(re.escape, order))) if order else None

    def _score(self, found: Iterable[str]) -> float:
        full: set[str] = set()
        part: set[str] = set()
        for n in found:
            full |= self._full[n]
            part |= self._part[n]
        part -= full
        return (sum(self.weight[u] for u in full) + self.credit * sum(self.weight[u] for u in part)) / self.total

    def _matches(self, text: str) -> list[tuple[int, str]]:
        return [(m.start(), m.group()) for m in self._re.finditer(text)] if self._re and self.total else []

    def __call__(self, text: str) -> float:
        found = self._matches(text)
        return self._score(n for _, n in found) if found else 0.0

    def describe(self, text: str, headings: Sequence[str], size: int = WINDOW
                 ) -> tuple[float, tuple[int, int], float, float]:
        """(best window coverage, its offsets, passage coverage, heading coverage) from one scan of each.

        The window is read after the nearest heading; the passage with its whole heading path.
        """
        found = self._matches(text)
        path = [self._matches(h) for h in headings]
        in_path = [n for m in path for _, n in m]
        last = [n for _, n in path[-1]] if path else []
        best, where = self._windows(text, found, last, size)
        passage = self._score(in_path + [n for _, n in found]) if (found or in_path) else 0.0
        heading = self._score(in_path) if in_path else 0.0
        return best, where, passage, heading

    def best(self, text: str, context: str = "", size: int = WINDOW) -> tuple[float, tuple[int, int]]:
        """The best window of `text` (read after `context`, e.g. its heading): (coverage, offsets).

        Offsets are (0, 0) when no window of the text itself covers anything.
        """
        ctx = [n for _, n in self._matches(context)] if context else []
        return self._windows(text, self._matches(text), ctx, size)

    def _windows(self, text: str, found: list[tuple[int, str]], ctx: list[str], size: int
                 ) -> tuple[float, tuple[int, int]]:
        if not found:
            return (self._score(ctx) if ctx else 0.0), (0, 0)
        best, where = -1.0, (0, 0)
        for a, b in windows(text, size):
            inside = [n for p, n in found if a <= p < b]
            if not inside:
                continue
            c = self._score(ctx + inside)
            if c > best + 1e-9:
                best, where = c, (a, b)
        return best, _trim(text, *where)


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Offsets without leading punctuation or blanks."""
    while a < b and text[a] in " ，,、：:。；\n":
        a += 1
    while b > a and text[b - 1] in " \n":
        b -= 1
    return a, b


def query_units(words: Sequence[str], idf: Callable[[str], float | None], generic: frozenset[str],
                generic_weight: float, unknown: float) -> list[tuple[str, float]]:
    """(word, weight) for coverage: IDF, a fraction of it for generic words, `unknown` for unseen ones."""
    out = []
    for w in dict.fromkeys(words):
        v = idf(w)
        v = unknown if v is None else v
        out.append((w, v * generic_weight if w in generic else v))
    return out
