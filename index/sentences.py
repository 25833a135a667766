"""Sentence windows of a passage and how much of a query each one says (coverage), for ranking and snippets.

A passage that lists many practices (一是…二是…九是…) says a little of each:
scored as a whole, a query about one practice matches few of its words. The
best sentence window, scored alone, says the practice in full, so it is
carried to the passage (as a ranking feature) and shown as the snippet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

# A sentence ends after a run of 。！？； or line breaks (with closing quotes); an enumeration item (二是, 三要)
# starts a new one at the comma before it. Two patterns, each starting with a character set, which the
# regex engine skips to directly (one alternation of both scanned every character).
_END = re.compile(r"[。！？；\n]+[”’）)]*")
_ITEM = re.compile(r"[，,、：:](?=[一二三四五六七八九十]+[是要])")
# Characters that end or separate sentences (or are blank): a word holding none of them can neither straddle
# a sentence end nor start inside one, so words and ends can be found in one scan (Coverage._scan).
_CUT_CHARS = frozenset(" 。！？；\n”’）)，,、：:")
WINDOW = 1  # sentences per window; bench/eval_search.py --fit chooses it on the tuning queries (1 or 2)
_BLANK = " ，,、：:。；\n"


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, punctuation included, blank ones dropped.

    >>> t = "一是推进集团化办学，二是落实双减。开展课后服务"
    >>> [t[a:b] for a, b in sentences(t)]
    ['一是推进集团化办学', '，二是落实双减。', '开展课后服务']
    """
    cuts = [m.end() for m in _END.finditer(text)]
    items = [m.start() for m in _ITEM.finditer(text)]
    if items:  # an item's comma is never a terminator, so the two sets of cuts never interleave wrongly
        cuts = sorted(set(cuts).union(items))
    out, start = [], 0
    for end in cuts:
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
    windows are scored from those positions. Which words a match covers is a
    pair of bit masks over the query's words (in full, by a thesaurus term),
    so a window's coverage is two ORs and a lookup of the score of that pair;
    one object serves one query's candidates, so headings shared by the
    passages of a report are scanned once.
    """

    def __init__(self, units: Sequence[tuple[str, float]], alternatives: dict[str, tuple[str, ...]],
                 credit: float):
        self.weight = {u: w for u, w in units if w > 0}
        self.total = sum(self.weight.values())
        self.credit = credit
        needles = set(self.weight) | {a for u in self.weight for a in alternatives.get(u, ())}
        bit = {u: 1 << i for i, u in enumerate(self.weight)}
        # needle -> (words it says in full, words it stands in for): bit masks over self.weight's order
        self._masks = {n: (sum(bit[u] for u in self.weight if u in n),
                           sum(bit[u] for u in self.weight if n in alternatives.get(u, ()))) for n in needles}
        self._weights = list(self.weight.values())
        self._scores: dict[tuple[int, int], float] = {}
        self._heads: dict[str, tuple[int, int]] = {}
        order = sorted(needles, key=len, reverse=True)
        self._re = re.compile("|".join(map(re.escape, order))) if order and self.total else None
        # Windows of one sentence are read straight from the cuts when no word holds a cut or blank character.
        self._plain = all(n and not _CUT_CHARS.intersection(n) for n in needles)

    def _score_masks(self, full: int, part: int) -> float:
        key = (full, part)
        score = self._scores.get(key)
        if score is None:
            part &= ~full
            said = sum(w for i, w in enumerate(self._weights) if full >> i & 1)
            stood = sum(w for i, w in enumerate(self._weights) if part >> i & 1)
            score = self._scores[key] = (said + self.credit * stood) / self.total
        return score

    def _score(self, found: Iterable[str]) -> float:
        full = part = 0
        for n in found:
            f, p = self._masks[n]
            full |= f
            part |= p
        return self._score_masks(full, part)

    def _matches(self, text: str) -> list[tuple[int, str]]:
        return [(m.start(), m.group()) for m in self._re.finditer(text)] if self._re else []

    def _union(self, text: str) -> tuple[int, int] | None:
        """The masks of everything `text` says, None when it says nothing."""
        if self._re is None:
            return None
        full = part = 0
        found = False
        for n in self._re.findall(text):
            f, p = self._masks[n]
            full |= f
            part |= p
            found = True
        return (full, part) if found else None

    def _heading(self, heading: str) -> tuple[int, int] | None:
        if heading not in self._heads:
            self._heads[heading] = self._union(heading)
        return self._heads[heading]

    def __call__(self, text: str) -> float:
        masks = self._union(text)
        return self._score_masks(*masks) if masks else 0.0

    def describe(self, text: str, headings: Sequence[str], size: int = WINDOW
                 ) -> tuple[float, tuple[int, int], float, float]:
        """(best window coverage, its offsets, passage coverage, heading coverage) from one scan of each.

        The window is read after the nearest heading; the passage with its whole heading path.
        """
        path_full = path_part = 0
        in_path = False
        last = None
        for h in headings:
            last = self._heading(h)
            if last:
                path_full |= last[0]
                path_part |= last[1]
                in_path = True
        heading = self._score_masks(path_full, path_part) if in_path else 0.0
        found = self._matches(text)
        best, where = self._windows(text, found, last, size)
        if not found:
            return best, where, heading, heading
        full, part = path_full, path_part
        for _, n in found:
            f, p = self._masks[n]
            full |= f
            part |= p
        return best, where, self._score_masks(full, part), heading

    def best(self, text: str, context: str = "", size: int = WINDOW) -> tuple[float, tuple[int, int]]:
        """The best window of `text` (read after `context`, e.g. its heading): (coverage, offsets).

        Offsets are (0, 0) when no window of the text itself covers anything.
        """
        return self._windows(text, self._matches(text), self._union(context) if context else None, size)

    def _windows(self, text: str, found: list[tuple[int, str]], ctx: tuple[int, int] | None, size: int
                 ) -> tuple[float, tuple[int, int]]:
        if not found:
            return (self._score_masks(*ctx) if ctx else 0.0), (0, 0)
        if size == 1 and self._plain:
            return self._sentence_windows(text, found, ctx)
        ctx_full, ctx_part = ctx or (0, 0)
        positions = [p for p, _ in found]
        masks = [self._masks[n] for _, n in found]
        best, where = -1.0, (0, 0)
        lo = hi = 0
        # Windows and matches both run left to right: each window's matches are the slice [lo, hi).
        for a, b in windows(text, size):
            while lo < len(positions) and positions[lo] < a:
                lo += 1
            hi = max(hi, lo)
            while hi < len(positions) and positions[hi] < b:
                hi += 1
            if hi == lo:
                continue
            full, part = ctx_full, ctx_part
            for f, p in masks[lo:hi]:
                full |= f
                part |= p
            c = self._score_masks(full, part)
            if c > best + 1e-9:
                best, where = c, (a, b)
        return best, _trim(text, *where)


    def _sentence_windows(self, text: str, found: list[tuple[int, str]], ctx: tuple[int, int] | None
                          ) -> tuple[float, tuple[int, int]]:
        """_windows for windows of one sentence, walking the matches instead of the sentences.

        A match's sentence runs from the last cut at or before it to the next
        cut (as in sentences()); one holding a word is never blank, so only
        the few sentences with matches are looked at.
        """
        cuts = [m.end() for m in _END.finditer(text)]
        items = [m.start() for m in _ITEM.finditer(text)]
        if items:
            cuts = sorted(set(cuts).union(items))
        ctx_full, ctx_part = ctx or (0, 0)
        best, where = -1.0, (0, 0)
        j = start = 0
        current, current_start = -1, 0  # the sentence being read: its index among the cuts and its start
        full = part = 0
        for p, n in found:
            while j < len(cuts) and cuts[j] <= p:
                start = cuts[j]
                j += 1
            if j != current:
                if current >= 0:
                    c = self._score_masks(full, part)
                    if c > best + 1e-9:
                        best, where = c, (current_start, cuts[current] if current < len(cuts) else len(text))
                current, current_start = j, start
                full, part = ctx_full, ctx_part
            f, q = self._masks[n]
            full |= f
            part |= q
        c = self._score_masks(full, part)
        if c > best + 1e-9:
            best, where = c, (current_start, cuts[current] if current < len(cuts) else len(text))
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
