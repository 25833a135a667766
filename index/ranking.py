"""Query + fusion: run the retrievers, fuse their lists, boost headings that say the query.

Pure over its inputs: the retrievers, and a function giving heading paths
by passage id (the catalog's `headings`).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import NamedTuple

import numpy as np

from index.backends import KeywordRetriever, Retriever
from index.errors import SearchError
from index.fusion import RRF_K, convex, rrf
from index.query import FILLER, Query
from ingest.words import search_tokens

CANDIDATES = 100
HEADING_BOOST = 0.5  # at full cover, half of a first-rank RRF contribution
COVER_MIN = 0.8


class Mode(str, Enum):
    """Which retrievers answer: keyword (BM25), dense (embeddings) or both fused."""

    HYBRID = "hybrid"
    KEYWORD = "keyword"
    DENSE = "dense"


class Fusion(str, Enum):
    """How two ranked lists become one: reciprocal ranks, or min-max normalised scores."""

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


def heading_cover(query: Query, heading: str, idf: Callable[[str], float | None]) -> float:
    """How much of the query's specific content a heading says, 0..1.

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


def rank(
    query: Query, keyword: KeywordRetriever, dense: Retriever | None, k: int, allowed: np.ndarray | None,
    mode: Mode | str = Mode.HYBRID, fusion: Fusion | str = Fusion.RRF,
    headings: Callable[[list[int]], dict[int, str]] | None = None,
) -> list[Ranked]:
    """Every fused candidate, best first (the caller cuts to k after any exclusion)."""
    mode, fusion = choice(Mode, mode), choice(Fusion, fusion)
    n = max(CANDIDATES, k * 5)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.float32))
    kw = keyword.search(query, n, allowed) if mode is not Mode.DENSE else empty
    dn = dense.search(query, n, allowed) if mode is not Mode.KEYWORD and dense is not None else empty
    kw_ids, dn_ids = kw[0], dn[0]
    fused = rrf([kw_ids, dn_ids]) if fusion is Fusion.RRF else convex([kw, dn], [1.0, 1.0])
    kw_rank = {pid: r for r, pid in enumerate(kw_ids.tolist(), 1)}
    dn_rank = {pid: r for r, pid in enumerate(dn_ids.tolist(), 1)}
    if fused and query.text and HEADING_BOOST and headings is not None:
        heads = headings(list(fused))
        idf = {t: keyword.idf(t) for t in query.terms}.get  # once per query, not once per candidate
        for pid in fused:
            fused[pid] += HEADING_BOOST / (RRF_K + 1) * heading_cover(query, heads.get(pid, ""), idf)
    ranked = sorted(fused.items(), key=lambda kv: -kv[1])
    return [Ranked(pid, s, kw_rank.get(pid), dn_rank.get(pid)) for pid, s in ranked]
