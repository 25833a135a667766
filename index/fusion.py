"""Rank fusion of keyword and dense result lists (pure functions).

Reciprocal rank fusion (Cormack et al. 2009): score(d) = sum_i w_i / (k + rank_i(d)).
It needs no score calibration between BM25 and cosine similarity, which
differ in scale from query to query. Search orders hits by the calibrated
relevance of index/ranking.py; these fusions remain as options (`fusion=`)
and as the plain-RRF peer bench/eval_search.py prints beside it.
"""

from __future__ import annotations

import numpy as np

RRF_K = 60


def rrf(ranked: list[np.ndarray], weights: list[float] | None = None, k: int = RRF_K) -> dict[int, float]:
    """Fused scores of every id in any list; lists are ids best first."""
    weights = weights or [1.0] * len(ranked)
    out: dict[int, float] = {}
    for ids, w in zip(ranked, weights):
        for rank, pid in enumerate(ids.tolist(), 1):
            out[pid] = out.get(pid, 0.0) + w / (k + rank)
    return out


def convex(scored: list[tuple[np.ndarray, np.ndarray]], weights: list[float]) -> dict[int, float]:
    """Weighted sum of min-max normalised scores (the alternative to RRF)."""
    out: dict[int, float] = {}
    for (ids, scores), w in zip(scored, weights):
        if not len(ids):
            continue
        lo, hi = float(scores.min()), float(scores.max())
        norm = (scores - lo) / (hi - lo) if hi > lo else np.ones_like(scores)
        for pid, s in zip(ids.tolist(), norm.tolist()):
            out[pid] = out.get(pid, 0.0) + w * s
    return out
