"""Theme taxonomy (TOML data) and the tagger that marks passages with themes.

A passage is scored per theme from the terms it contains, found in one pass
with an Aho-Corasick automaton (pyahocorasick). Terms of two characters or
fewer count only on jieba word boundaries (体育 is not in 教育体育局), and an
occurrence inside one of the theme's exclusion terms does not count. The
headings above a passage add their themes to it, so a section titled
坚持教育精准扶贫 tags every passage under it, unless the passage itself names
an exclusion term of that theme. A passage that enumerates practices
(一是…二是…, （一）…（二）…, ①②, 第一、第二…) also carries the theme of each
item scored as a short passage of its own, so a practice outweighed by its
neighbours (四是落实助学减免政策… after two sentences of 特殊教育) is not lost.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import ahocorasick
import cn2an

from ingest.words import Tagging, tagging

try:  # Python 3.11+; tomli is the same parser, packaged for 3.10
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

THEMES_ENV = "EDUREPORTS_THEMES"
THRESHOLD = 2.0  # one key term
KEY = 2.0
STRONG = 1.0
WEAK = 0.5
RELATIVE = 0.3  # a theme must reach this share of the passage's strongest theme
LEAD = 1.5
SIM_WEIGHT = 2.0
SIM_FLOOR = 0.6
REPEAT = 0.2  # each further occurrence of a term already counted
REPEAT_CAP = 0.6
HEADING = THRESHOLD  # a heading's theme alone tags the passages below it
SHORT = 2  # terms this short must sit on word boundaries


_LEAD_END = re.compile(r"[。！？；\n]")

# Enumeration markers of report prose, one pattern per family; the group is the item's number.
# 一是/第一 count only at the start of a clause (统一是, 第一批 are words, not markers).
_CLAUSE = r"(?:^|(?<=[。！？；;，,：:、\s]))"
_NUMERAL = "[一二三四五六七八九十]{1,3}"
_MARKERS = (
    re.compile(_CLAUSE + f"({_NUMERAL})是"),
    re.compile(_CLAUSE + f"第({_NUMERAL})(?=[，,、：:是])"),
    re.compile(f"[（(]({_NUMERAL})[）)]"),
    re.compile("([\u2460-\u2473])"),  # ① to ⑳
)


def _number(mark: str) -> int:
    if "\u2460" <= mark <= "\u2473":
        return ord(mark) - 0x2460 + 1
    return int(cn2an.cn2an(mark, "smart"))


def enumerated_items(text: str) -> list[tuple[int, int]]:
    """(start, end) of each enumerated item of a passage, and of the text before the first; [] if none.

    A family of markers counts only when two of them follow each other in order
    (三是 … 四是), so a lone 第一 or a stray （二） does not cut the passage.

    >>> t = "全年投入1亿元。三是办好特殊教育。四是落实资助政策。"
    >>> [t[a:b] for a, b in enumerated_items(t)]
    ['全年投入1亿元。', '三是办好特殊教育。', '四是落实资助政策。']
    >>> enumerated_items("统一是前提，第一批学校已建成。")
    []
    """
    cuts: set[int] = set()
    for pattern in _MARKERS:
        found = [(m.start(), _number(m.group(1))) for m in pattern.finditer(text)]
        if any(b[1] == a[1] + 1 for a, b in zip(found, found[1:])):
            cuts.update(start for start, _ in found)
    if not cuts:
        return []
    bounds = sorted(cuts | {0, len(text)})
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


class TaxonomyError(Exception):
    """The taxonomy file cannot be used; the message names the line and the reason."""


@dataclass(frozen=True)
class Theme:
    name: str
    parent: str = ""
    description: str = ""
    key: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeTag:
    theme: str
    score: float
    evidence: tuple[str, ...] = field(default=())


def default_path() -> Path:
    env = os.environ.get(THEMES_ENV)
    if env:
        return Path(env)
    return Path(str(resources.files("ingest").joinpath("data/themes.toml")))


def _name_lines(text: str) -> list[int]:
    """Line number of each `name = ...` in file order (tomllib keeps [[theme]] order)."""
    return [text[: m.start()].count("\n") + 1 for m in re.finditer(r"^\s*name\s*=", text, re.M)]


def load_taxonomy(path: str | Path | None = None) -> tuple[Theme, ...]:
    """The themes of a taxonomy file, validated.

    >>> len(load_taxonomy()) >= 30
    True
    """
    path = Path(path) if path else default_path()
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read the taxonomy ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{path}: not valid TOML: {exc}") from None
    raw = data.get("theme")
    if not isinstance(raw, list) or not raw:
        raise TaxonomyError(f"{path}: no [[theme]] tables found")
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    lines = _name_lines(text)
    for i, entry in enumerate(raw, 1):
        name = str(entry.get("name", "")).strip()
        if not name:
            raise TaxonomyError(f"{path}: theme #{i} has no name")
        line = lines[i - 1] if i - 1 < len(lines) else 0
        if name in seen:
            raise TaxonomyError(f"{path}:{line}: duplicate theme name {name!r} (first at line {seen[name]})")
        seen[name] = line
        unknown = set(entry) - {"name", "parent", "description", "key", "terms", "weak", "exclude", "aliases"}
        if unknown:
            raise TaxonomyError(f"{path}:{line}: theme {name!r} has unknown key(s) {', '.join(sorted(unknown))}")
        key = tuple(dict.fromkeys([*entry.get("aliases", []), *entry.get("key", [])]))
        terms = tuple(entry.get("terms", []))
        if not key and not terms:
            raise TaxonomyError(f"{path}:{line}: theme {name!r} has no key terms or terms")
        themes.append(Theme(name, str(entry.get("parent", "")).strip(), str(entry.get("description", "")).strip(),
                            key, terms, tuple(entry.get("weak", [])), tuple(entry.get("exclude", []))))
    names = {t.name for t in themes}
    for t in themes:
        if t.parent and t.parent not in names:
            raise TaxonomyError(f"{path}:{seen[t.name]}: theme {t.name!r} has unknown parent {t.parent!r}")
        if t.parent == t.name:
            raise TaxonomyError(f"{path}:{seen[t.name]}: theme {t.name!r} is its own parent")
        if t.parent and next(p for p in themes if p.name == t.parent).parent:
            raise TaxonomyError(f"{path}:{seen[t.name]}: theme {t.name!r} is nested deeper than two levels")
    return tuple(themes)


class Tagger:
    """Scores text against a taxonomy; one automaton for all terms.

    With an `encoder` (anything with `passages(texts) -> unit vectors`, such as
    a sentence-transformers embedder from `index.embed`), the similarity of a
    passage to each theme's name and description adds to the term evidence:
    up to SIM_WEIGHT for a cosine of 1, nothing below SIM_FLOOR.
    """

    def __init__(self, themes: tuple[Theme, ...], encoder=None):
        self.themes = themes
        self.encoder = encoder
        self._theme_vecs = None
        if encoder is not None:
            self._theme_vecs = encoder.passages([f"{t.name}：{t.description}" for t in themes])
        self.by_name = {t.name: t for t in themes}
        self._headings: dict[str, dict[str, tuple[float, tuple[str, ...]]]] = {}
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, float]]] = {}
        for t in themes:
            for term in t.key:
                entries.setdefault(term, []).append((t.name, KEY))
            for term in t.terms:
                entries.setdefault(term, []).append((t.name, STRONG))
            for term in t.weak:
                entries.setdefault(term, []).append((t.name, WEAK))
            for term in t.exclude:
                entries.setdefault(term, []).append((t.name, -1.0))
        for term, owners in entries.items():
            self._automaton.add_word(term, (term, tuple(owners)))
        self._automaton.make_automaton()

    def scores(self, text: str, words: Tagging | None = None) -> dict[str, tuple[float, tuple[str, ...]]]:
        """{theme: (score, evidence terms)} for every theme with any evidence.

        A term in the lead sentence (the topic sentence: 一是加强…) weighs LEAD
        times as much as one further on. Word boundaries come from `words`, the
        passage's tagging (by default `ingest.words.tagging`, shared with the
        figures stage, so the passage is cut once).
        """
        return self._score(text, self._hits(text, words), 0, len(text))

    def _hits(self, text: str, words: Tagging | None) -> list[tuple[int, int, str, str, float]]:
        """(start, end, term, theme, weight) of every term occurrence that counts as evidence."""
        matches = []
        for end, (term, owners) in self._automaton.iter(text):
            matches.append((end - len(term) + 1, end + 1, term, owners))
        excluded: dict[str, list[tuple[int, int]]] = {}
        for start, end, _, owners in matches:
            for theme, weight in owners:
                if weight < 0:
                    excluded.setdefault(theme, []).append((start, end))
        cut = None
        hits = []
        for start, end, term, owners in matches:
            if end - start <= SHORT:
                if cut is None:
                    cut = words if words is not None and words.text == text else tagging(text)
                if not cut.on_bounds(start, end):
                    continue
            for theme, weight in owners:
                if weight < 0:
                    continue
                if any(a <= start and end <= b for a, b in excluded.get(theme, ())):
                    continue
                hits.append((start, end, term, theme, weight))
        return hits

    @staticmethod
    def _score(text: str, hits: list[tuple[int, int, str, str, float]], a: int, b: int
               ) -> dict[str, tuple[float, tuple[str, ...]]]:
        """`scores` of text[a:b] read off the whole text's hits: an item of an enumeration is
        scored as a short passage, with its own lead sentence, and word boundaries cut in context."""
        lead = _LEAD_END.search(text, a, b)
        lead_end = lead.end() if lead else b
        found: dict[str, dict[str, tuple[float, int]]] = {}
        for start, end, term, theme, weight in hits:
            if start < a or end > b:
                continue
            terms = found.setdefault(theme, {})
            w, n = terms.get(term, (weight * (LEAD if start < lead_end else 1.0), 0))
            terms[term] = (w, n + 1)
        out = {}
        for theme, terms in found.items():
            score = sum(w + min(REPEAT_CAP, REPEAT * (n - 1)) for w, n in terms.values())
            ranked = sorted(terms, key=lambda t: (-terms[t][0] * terms[t][1], t))
            out[theme] = (round(score, 3), tuple(ranked))
        return out

    def _heading_scores(self, heading: str) -> dict[str, tuple[float, tuple[str, ...]]]:
        """`scores` of a heading, kept: every passage under a heading asks for them again."""
        if heading not in self._headings:
            if len(self._headings) >= 4096:
                self._headings.clear()
            self._headings[heading] = self.scores(heading)
        return self._headings[heading]

    def similarities(self, texts: list[str]) -> list[dict[str, float]]:
        """Per text, the similarity bonus of each theme (empty without an encoder)."""
        if self._theme_vecs is None:
            return [{} for _ in texts]
        sims = self.encoder.passages(list(texts)) @ self._theme_vecs.T
        bonus = SIM_WEIGHT * (sims - SIM_FLOOR).clip(min=0) / (1 - SIM_FLOOR)
        return [{t.name: float(b) for t, b in zip(self.themes, row) if b > 0} for row in bonus]

    def tag_many(self, items: list[tuple[str, tuple[str, ...]]]) -> list[list[ThemeTag]]:
        """Tags of many (text, headings) at once, encoding them in one batch."""
        bonuses = self.similarities([text for text, _ in items])
        return [self.tag(text, headings, bonus) for (text, headings), bonus in zip(items, bonuses)]

    def tag(self, text: str, headings: list[str] | tuple[str, ...] = (),
            similarity: dict[str, float] | None = None, words: Tagging | None = None) -> list[ThemeTag]:
        """Themes of a passage (its own words plus its headings'), best first.

        `words`: the passage's `Tagging`, when the caller holds it.
        """
        hits = self._hits(text, words)
        own = self._score(text, hits, 0, len(text))
        combined = {k: [v[0], list(v[1])] for k, v in own.items()}
        carried: dict[str, float] = {}  # themes an enumerated item holds on its own, with the item's score
        for a, b in enumerated_items(text):
            item = self._score(text, hits, a, b)
            item_floor = max(THRESHOLD, RELATIVE * max((v[0] for v in item.values()), default=0.0))
            lead = _LEAD_END.search(text, a, b)
            topic = {h[3] for h in hits if a <= h[0] < (lead.end() if lead else b)}
            for theme, (score, evidence) in item.items():
                # A single word outside the item's topic sentence is a mention, not the item's subject.
                if score >= item_floor and (len(evidence) > 1 or theme in topic):
                    carried[theme] = max(score, carried.get(theme, 0.0))
        if similarity is None and self._theme_vecs is not None:
            similarity = self.similarities([text])[0]
        for theme, bonus in (similarity or {}).items():
            entry = combined.setdefault(theme, [0.0, []])
            entry[0] += bonus
            entry[1].append(f"~{theme}")  # evidence by meaning, not by a word
        vetoed = {t.name for t in self.themes if t.exclude and any(x in text for x in t.exclude)}
        for heading in headings:
            for theme, (score, evidence) in self._heading_scores(heading).items():
                if score < THRESHOLD or theme in vetoed:
                    continue
                entry = combined.setdefault(theme, [0.0, []])
                entry[0] += HEADING
                entry[1] += [e for e in evidence if e not in entry[1]]
        top = max((s for s, _ in combined.values()), default=0.0)
        floor = max(THRESHOLD, RELATIVE * top)
        # A theme the passage carries anyway keeps its passage score; one only an item carries takes the item's.
        tags = [ThemeTag(name, round(s if s >= floor else max(s, carried[name]), 3), tuple(ev))
                for name, (s, ev) in combined.items() if s >= floor or name in carried]
        return sorted(tags, key=lambda t: (-t.score, t.theme))


@lru_cache(maxsize=4)
def tagger(path: str | None = None) -> Tagger:
    """The tagger for a taxonomy file (default: $EDUREPORTS_THEMES or the packaged one)."""
    return Tagger(load_taxonomy(path))
