"""Query + ranking: run the retrievers, describe each candidate, order by calibrated relevance.

Every candidate either retriever returns (about 200) is described by a few
features: how much of the query its best sentence window says (so one
practice inside a 一是…九是… passage counts in full), how much the whole
passage and its heading say, its cosine similarity, and its ranks. A
logistic model fitted on the tuning queries (bench/eval_search.py --fit,
stored in data/relevance.json) turns them into a probability that orders
the hits. A second one, over the query alone (its best cosine, how much of
its wording any passage says), gives the probability that the archive
answers the query at all; the relevance of a hit, against which the floor
is drawn, is that times its probability relative to the query's best (or
its own probability, when that is higher). A
question in everyday words says little that a passage repeats, so its best
passage never looks sure on its own; its closeness to the archive is what
tells it from a question about something else.

Pure over its inputs: the retrievers, and a function giving passage rows
by id (the catalog's `passages`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

from index.backends import KeywordRetriever, Retriever
from index.dense import chunk_spans
from index.errors import SearchError
from index.fusion import RRF_K, convex, rrf
from index.query import FILLER, GENERIC, GENERIC_WEIGHT, Query
from index.records import Grade
from index.sentences import WINDOW, Coverage, query_units
from ingest.words import search_tokens

CANDIDATES = 60  # per retriever; 100 gave tune hybrid MRR@10 0.814, 60 gave 0.812 at ~half the ranking CPU
HEADING_BOOST = 0.5  # plain RRF only: at full cover, half of a first-rank RRF contribution
COVER_MIN = 0.8
EXPANSION_CREDIT = 0.7  # a thesaurus term covers the words that triggered it at this share of their weight
# Per candidate; `support` (the best window coverage of any candidate) is the same for all of a query's
# candidates: when no passage says the query's words (a paraphrase, a question in other words), the
# dense side should decide, which `gap_unsupported` lets a linear model express.
FEATURES = ("window", "passage", "heading", "cosine", "cosine_gap", "keyword_rank", "dense_rank", "bm25",
            "support", "gap_unsupported", "bm25_supported", "keyword_supported", "cosine_top")
# Per query: does the archive answer it at all? Its best cosine and how much of its wording any
# passage says. An everyday question shares few words with its passage (low support) yet its best
# cosine stands high; a question from outside the domain has both low.
GATE_FEATURES = ("cosine_top", "support")


class Mode(str, Enum):
    """Which retrievers answer: keyword (BM25), dense (embeddings) or both fused."""

    HYBRID = "hybrid"
    KEYWORD = "keyword"
    DENSE = "dense"


class Fusion(str, Enum):
    """How candidates are ordered: calibrated relevance (default), reciprocal ranks, or min-max scores."""

    CALIBRATED = "calibrated"
    RRF = "rrf"
    CONVEX = "convex"


def choice(enum: type[Enum], value) -> Enum:
    """An enum member from itself or its value; an unknown value names the known ones."""
    try:
        return enum(value)
    except ValueError:
        raise SearchError(f"未知的取值 {value!r}；可选：{'、'.join(m.value for m in enum)}") from None


class Ranked(NamedTuple):
    id: int
    score: float
    keyword_rank: int | None
    dense_rank: int | None
    relevance: float = 0.0
    sentence: tuple[int, int] = (0, 0)
    doc_id: str = ""


def logistic(m: dict, x: np.ndarray, neutral: tuple[str, ...] = ()) -> np.ndarray:
    """A fitted logistic model ({"features", "mean", "scale", "coef", "intercept"}) over rows of FEATURES.

    A model without "features" reads the first len(coef) columns (it was fitted
    before features were appended). Features named in `neutral` are set to
    their fitted mean, so that they weigh nothing.
    """
    names = m.get("features") or FEATURES[: len(m["coef"])]
    x = x[:, [FEATURES.index(f) for f in names]]
    mean = np.asarray(m["mean"])
    if any(f in neutral for f in names):
        x = x.copy()
        for j, f in enumerate(names):
            if f in neutral:
                x[:, j] = mean[j]
    z = ((x - mean) / np.asarray(m["scale"])) @ np.asarray(m["coef"]) + m["intercept"]
    return 1 / (1 + np.exp(-z))


@dataclass(frozen=True)
class Calibration:
    """Per mode: a logistic model over FEATURES, a query gate, and the floor and 高 cut-off chosen with them."""

    models: dict  # mode -> logistic model over candidate features: P(relevant | the query is answered here)
    floor: dict  # mode -> relevance below which a hit is 低
    high: dict  # mode -> relevance from which a hit is 高
    settings: dict  # constants the model was fitted with (window size, expansion credit ...)
    encoder: str = ""  # the encoder whose cosines the model was fitted on
    gates: dict = field(default_factory=dict)  # mode -> logistic over GATE_FEATURES: P(the query is answered here)

    def relevance(self, mode: Mode, x: np.ndarray, encoder: str | None = None) -> np.ndarray:
        """The relevance of each candidate row of `x` (FEATURES, all of one query).

        Without a gate: P(relevant). With one: the larger of P(relevant) and
        P(the archive answers the query) x the candidate's probability relative
        to the query's best. The best hit of an everyday question is then
        graded by how surely the question belongs here, not by how few of its
        words the passage repeats, and a passage the candidate model alone is
        sure of (an exact, specific phrase) is never held back by the gate's
        doubt about the query; the order within a query is the model's either
        way. Another encoder's
        cosines have another scale: its absolute cosines are set to the fitted
        means (they then weigh nothing) and the rest decides.
        """
        neutral = ("cosine", "cosine_top") if encoder and self.encoder and encoder != self.encoder else ()
        p = logistic(self.models[mode.value], x, neutral)
        gate = self.gates.get(mode.value)
        if gate is None or not len(p):
            return p
        answered = logistic(gate, x[:1], neutral)[0]
        return np.maximum(p, answered * p / (float(p.max()) or 1.0))

    def grade(self, mode: Mode, relevance: float) -> Grade:
        if relevance >= self.high[mode.value]:
            return Grade.HIGH
        return Grade.MEDIUM if relevance >= self.floor[mode.value] else Grade.LOW


@lru_cache(maxsize=4)
def calibration(path: str | None = None) -> Calibration:
    """The fitted model (data/relevance.json unless a path is given)."""
    if path:
        raw = json.loads(open(path, encoding="utf-8").read())
    else:
        raw = json.loads(resources.files("index").joinpath("data/relevance.json").read_text("utf-8"))
    return Calibration(raw["models"], raw["floor"], raw["high"], raw.get("settings", {}), raw.get("encoder", ""),
                       raw.get("gates", {}))


def heading_cover(query: Query, heading: str, idf: Callable[[str], float | None]) -> float:
    """How much of the query's specific content a heading says, 0..1 (plain RRF's heading boost).

    Words are weighed by IDF so that 建设 or 教育 in a heading count for
    little; below COVER_MIN the heading is no evidence at all.
    """
    words = [(t, idf(t)) for t, w in query.terms.items() if w >= 1.0 and len(t) >= 2 and not t.startswith("~")]
    words = [(t, v) for t, v in words if v]
    total = sum(v for _, v in words)
    if not total:
        return 0.0
    cover = sum(v for t, v in words if t in heading) / total
    return cover if cover >= COVER_MIN else 0.0


def salient_terms(text: str, idf: Callable[[str], float | None], n: int = 12) -> dict[str, float]:
    """The n most specific words of a passage (count x IDF), as a keyword query for `similar`."""
    counts: dict[str, int] = {}
    for tok in search_tokens(text):
        if len(tok) >= 2 and tok not in FILLER:
            counts[tok] = counts.get(tok, 0) + 1
    scored = sorted(((c * v, t) for t, c in counts.items() if (v := idf(t))), reverse=True)[:n]
    return {t: 1.0 for _, t in scored}


def coverage_of(query: Query, idf: Callable[[str], float | None], credit: float = EXPANSION_CREDIT) -> Coverage:
    """The query's coverage measure: its words by specificity, thesaurus terms standing in for their triggers."""
    words = query.words()
    top = max((v for w in words if (v := idf(w))), default=1.0)
    units = query_units(words, idf, GENERIC, GENERIC_WEIGHT, unknown=top)
    alternatives: dict[str, tuple[str, ...]] = {}
    for trigger, others in query.groups:
        for unit, _ in units:
            if unit in trigger:
                alternatives[unit] = alternatives.get(unit, ()) + others
    return Coverage(units, alternatives, credit)


def _rr(rank: int | None) -> float:
    return 1 / math.log2(1 + rank) if rank else 0.0


@dataclass
class Candidates:
    """What the retrievers returned for one query, with each candidate's features and best window."""

    ids: list[int]
    x: np.ndarray  # (len(ids), len(FEATURES))
    snippets: list[tuple[int, int]]
    doc_ids: list[str]
    fused: dict[int, float]
    keyword_rank: dict[int, int]
    dense_rank: dict[int, int]
    headings: list[str]
    idf: Callable[[str], float | None] | None = None


def candidates(
    query: Query, keyword: KeywordRetriever, dense: Retriever | None, k: int, allowed: np.ndarray | None,
    mode: Mode, fusion: Fusion, rows: Callable[[list[int]], list] | None,
    window: int = WINDOW, credit: float = EXPANSION_CREDIT,
) -> Candidates:
    """Run the retrievers and describe every candidate (features only when `rows` is given)."""
    n = max(CANDIDATES, k * 5)
    empty = np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.int64)
    kw_ids, kw_scores = keyword.search(query, n, allowed) if mode is not Mode.DENSE else empty[:2]
    dn_ids, dn_scores, dn_win = empty
    if mode is not Mode.KEYWORD and dense is not None:
        if hasattr(dense, "search_windows"):
            dn_ids, dn_scores, dn_win = dense.search_windows(query, n, allowed)
        else:
            dn_ids, dn_scores = dense.search(query, n, allowed)
    kw_rank = {pid: r for r, pid in enumerate(kw_ids.tolist(), 1)}
    dn_rank = {pid: r for r, pid in enumerate(dn_ids.tolist(), 1)}
    if fusion is Fusion.CONVEX:
        fused = convex([(kw_ids, kw_scores), (dn_ids, dn_scores)], [1.0, 1.0])
    else:
        fused = rrf([kw_ids, dn_ids])
    out = Candidates(list(fused), np.zeros((len(fused), len(FEATURES))), [(0, 0)] * len(fused),
                     [""] * len(fused), fused, kw_rank, dn_rank, [""] * len(fused))
    if rows is None or not fused or not query.text:
        return out
    by_id = {r.id: r for r in rows(out.ids)}
    ids = [pid for pid in out.ids if pid in by_id]
    idf_cache: dict[str, float | None] = {}

    def idf(term: str) -> float | None:
        if term not in idf_cache:
            idf_cache[term] = keyword.idf(term)
        return idf_cache[term]

    cover = coverage_of(query, idf, credit)
    cos = dict(zip(dn_ids.tolist(), dn_scores.tolist()))
    win = dict(zip(dn_ids.tolist(), dn_win.tolist()))
    cos_floor = float(dn_scores.min()) if len(dn_scores) else 0.0
    cos_top = float(dn_scores.max()) if len(dn_scores) else 0.0
    bm = dict(zip(kw_ids.tolist(), kw_scores.tolist()))
    bm_top = float(kw_scores.max()) if len(kw_scores) else 1.0
    x = np.zeros((len(ids), len(FEATURES)), dtype=np.float64)
    snippets, heads = [], []
    for i, pid in enumerate(ids):
        row = by_id[pid]
        heading = " ".join(row.heading_path)
        best, where, in_passage, in_heading = cover.describe(row.text, row.heading_path, window)
        if where == (0, 0) and pid in win:  # no words in common: the dense window is the snippet
            spans = chunk_spans(row.text)
            j = int(win[pid])
            where = spans[j] if j < len(spans) else (0, 0)
        snippets.append(where)
        heads.append(heading)
        c = cos.get(pid, cos_floor) if mode is not Mode.KEYWORD else 0.0
        x[i, :8] = (best, in_passage, in_heading, c,
                    c - cos_top if mode is not Mode.KEYWORD else 0.0,
                    _rr(kw_rank.get(pid)), _rr(dn_rank.get(pid)), bm.get(pid, 0.0) / (bm_top or 1.0))
    if len(ids):
        x[:, 8] = x[:, 0].max()
        x[:, 9] = x[:, 4] * (1 - x[:, 8])
        x[:, 10] = x[:, 7] * x[:, 8]  # keyword evidence counts when the query's words are said at all
        x[:, 11] = x[:, 5] * x[:, 8]
        x[:, 12] = cos_top if mode is not Mode.KEYWORD else 0.0
    out.ids, out.x, out.snippets, out.headings = ids, x, snippets, heads
    out.doc_ids = [by_id[pid].doc_id for pid in ids]
    out.idf = idf
    return out


def rank(
    query: Query, keyword: KeywordRetriever, dense: Retriever | None, k: int, allowed: np.ndarray | None,
    mode: Mode | str = Mode.HYBRID, fusion: Fusion | str = Fusion.CALIBRATED,
    rows: Callable[[list[int]], list] | None = None, model: Calibration | None = None,
    encoder: str | None = None,
) -> list[Ranked]:
    """Every candidate, best first, with its relevance and best window (the caller cuts to k).

    `rows` gives passage rows (id, doc_id, heading_path, text) by id; without
    it (or with an empty query text, as `similar` passes) candidates are
    ordered by plain RRF and carry no relevance.
    """
    mode, fusion = choice(Mode, mode), choice(Fusion, fusion)
    model = model or calibration()
    c = candidates(query, keyword, dense, k, allowed, mode, fusion, rows,
                   int(model.settings.get("window", WINDOW)), float(model.settings.get("expansion_credit", EXPANSION_CREDIT)))
    if not c.ids:
        return []
    if rows is None or not query.text:
        ordered = sorted(c.fused.items(), key=lambda kv: -kv[1])
        return [Ranked(pid, s, c.keyword_rank.get(pid), c.dense_rank.get(pid)) for pid, s in ordered]
    rel = model.relevance(mode, c.x, encoder)
    if fusion is Fusion.CALIBRATED:
        score = rel
    else:
        score = np.asarray([c.fused[pid] for pid in c.ids])
        if fusion is Fusion.RRF and HEADING_BOOST:
            score = score + np.asarray([HEADING_BOOST / (RRF_K + 1) * heading_cover(query, h, c.idf)
                                        for h in c.headings])
    order = np.argsort(-score, kind="stable")
    return [Ranked(c.ids[i], float(score[i]), c.keyword_rank.get(c.ids[i]), c.dense_rank.get(c.ids[i]),
                   float(rel[i]), c.snippets[i], c.doc_ids[i]) for i in order]
