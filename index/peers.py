"""Comparable districts: nearest neighbours over theme mix and scale figures, each with its reasons.

Two views of a district, each scaled so no single theme or figure rules:
- themes: passages per theme, TF-IDF weighted (a theme every district
  writes about says little) and compared by cosine;
- figures: log10 of the headline counts (students, schools, teachers,
  funding) and the typical rate, standardised per column (StandardScaler)
  and compared by a Euclidean distance over the figures both districts
  state (nan_euclidean), so a missing figure is neither zero nor a guess.
`both` averages the two similarities (a view the candidate lacks counts 0). A district with
too few tagged passages or figures gets a 数据不足 answer, never a made-up peer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

import numpy as np

from index.districts import DistrictProfile, FigureKind, find
from index.errors import SearchError
from index.records import _Row

MIN_TAGS = 5      # theme tags (passage x theme) below which a theme mix is noise
MIN_FIGURES = 2   # figure kinds a district must state to be placed by scale
MIN_SHARED = 2    # figure kinds two districts must share to be compared by scale
SCALE_KINDS = (FigureKind.STUDENTS, FigureKind.SCHOOLS, FigureKind.TEACHERS, FigureKind.FUNDING)
SIMILAR_SCALE = math.log10(3)  # within 3x: the same order of size for a reader comparing districts
SIMILAR_RATE = 5.0             # percentage points


class By(str, Enum):
    THEMES = "themes"
    FIGURES = "figures"
    BOTH = "both"


@dataclass(frozen=True)
class Peer(_Row):
    key: str
    region: str
    name: str
    level: str
    score: float                 # 0..1, higher is closer
    theme_score: float | None
    figure_score: float | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Peers(_Row):
    """The answer to "who is like us": the district, its peers, and a note when data is short."""

    key: str
    name: str
    by: str
    peers: tuple[Peer, ...]
    note: str = ""               # 数据不足… when a view (or all of them) could not be used


def _theme_matrix(profiles: list[DistrictProfile]) -> tuple[np.ndarray, list[str]]:
    from sklearn.feature_extraction.text import TfidfTransformer

    themes = sorted({t.theme for p in profiles for t in p.themes})
    col = {t: j for j, t in enumerate(themes)}
    counts = np.zeros((len(profiles), len(themes)))
    for i, p in enumerate(profiles):
        for t in p.themes:
            counts[i, col[t.theme]] = t.n_passages
    if not themes:
        return counts, themes
    # sublinear tf: a report twice as long should not look twice as devoted to its themes
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).toarray(), themes


def _figure_matrix(profiles: list[DistrictProfile]) -> np.ndarray:
    from sklearn.preprocessing import StandardScaler

    raw = np.full((len(profiles), len(SCALE_KINDS) + 1), np.nan)
    for i, p in enumerate(profiles):
        for j, kind in enumerate(SCALE_KINDS):
            f = p.figure(kind)
            if f is not None and f.value > 0:
                raw[i, j] = math.log10(f.value)
        rate = p.figure(FigureKind.RATE)
        if rate is not None:
            raw[i, -1] = rate.value
    usable = ~np.all(np.isnan(raw), axis=0)
    out = np.full_like(raw, np.nan)
    if usable.any() and len(profiles) > 1:
        out[:, usable] = StandardScaler().fit_transform(raw[:, usable])  # NaNs are ignored in fit, kept in output
    return out


def _theme_reasons(me: DistrictProfile, other: DistrictProfile) -> list[str]:
    mine = {t.theme: t.share for t in me.themes}
    shared = sorted(((min(mine[t.theme], t.share), t.theme) for t in other.themes if t.theme in mine), reverse=True)
    if not shared:
        return []
    return ["共同主题：" + "、".join(t for _, t in shared[:3])]


def _figure_reasons(me: DistrictProfile, other: DistrictProfile) -> list[str]:
    out = []
    for kind in SCALE_KINDS:
        a, b = me.figure(kind), other.figure(kind)
        if a and b and a.value > 0 and b.value > 0 and abs(math.log10(a.value / b.value)) <= SIMILAR_SCALE:
            out.append(f"{kind.value}规模相近：{a.raw} / {b.raw}")
    a, b = me.figure(FigureKind.RATE), other.figure(FigureKind.RATE)
    if a and b and abs(a.value - b.value) <= SIMILAR_RATE:
        out.append(f"比率相近：{a.indicator} {a.raw} / {b.indicator} {b.raw}")
    return out


def _neighbours(matrix: np.ndarray, row: int, metric: str) -> np.ndarray:
    """Distances from one row to every row, through scikit-learn's NearestNeighbors (brute force: the
    matrix is one row per district, and cosine and nan_euclidean need it)."""
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(metric=metric, algorithm="brute").fit(matrix)
    dist, idx = nn.kneighbors(matrix[row : row + 1], n_neighbors=len(matrix))
    out = np.full(len(matrix), np.nan)
    out[idx[0]] = dist[0]
    return out


def peers(profiles: list[DistrictProfile], region: str, by: By | str = By.BOTH, top_k: int = 5) -> Peers:
    """The `top_k` districts nearest to `region`, closest first, each with the reasons a reader can check."""
    try:
        by = By(by)
    except ValueError:
        raise SearchError(f"未知的比较依据 {by!r}；可选：themes、figures、both") from None
    if top_k < 1:
        raise SearchError(f"显示条数至少为 1，而不是 {top_k}")
    me = find(profiles, region)
    i = next(n for n, p in enumerate(profiles) if p.key == me.key)
    notes, scores = [], {}
    tags = [sum(t.n_passages for t in p.themes) for p in profiles]
    n_figs = [sum(p.figure(k) is not None for k in FigureKind) for p in profiles]
    if by in (By.THEMES, By.BOTH):
        if tags[i] < MIN_TAGS:
            notes.append(f"主题数据不足：只有 {tags[i]} 个段落主题标注（至少需要 {MIN_TAGS} 个）")
        else:
            matrix, _ = _theme_matrix(profiles)
            sim = 1 - _neighbours(matrix, i, "cosine")
            scores["theme"] = {j: float(sim[j]) for j in range(len(profiles)) if j != i and tags[j] >= MIN_TAGS}
    if by in (By.FIGURES, By.BOTH):
        if n_figs[i] < MIN_FIGURES:
            notes.append(f"数字数据不足：只有 {n_figs[i]} 类关键数字（至少需要 {MIN_FIGURES} 类）")
        else:
            matrix = _figure_matrix(profiles)
            dist = _neighbours(matrix, i, "nan_euclidean")
            present = ~np.isnan(matrix)
            shared = (present & present[i]).sum(axis=1)
            # nan_euclidean scales to all columns; per column it is an RMS gap in standard deviations
            rms = dist / math.sqrt(matrix.shape[1])
            scores["figure"] = {j: float(math.exp(-rms[j])) for j in range(len(profiles))
                                if j != i and shared[j] >= MIN_SHARED and not math.isnan(rms[j])}
    if not scores:
        return Peers(me.key, me.name, by.value, (), "数据不足：" + "；".join(notes))
    out = []
    for j in set().union(*scores.values()):
        t, f = scores.get("theme", {}).get(j), scores.get("figure", {}).get(j)
        # A view the district was placed on but the candidate lacks counts as no likeness: a peer on
        # both views must show it on both.
        parts = [s or 0.0 for s in (t, f)] if len(scores) == 2 else [s for s in (t, f) if s is not None]
        other = profiles[j]
        reasons = (_theme_reasons(me, other) if t is not None else []) + (
            _figure_reasons(me, other) if f is not None else [])
        if other.level == me.level and me.level != "不详":
            reasons.append(f"同为{me.level}级")
        out.append(Peer(other.key, other.region, other.name, other.level, round(sum(parts) / len(parts), 4),
                        None if t is None else round(t, 4), None if f is None else round(f, 4), tuple(reasons)))
    out.sort(key=lambda p: (-p.score, p.key))
    return Peers(me.key, me.name, by.value, tuple(out[:top_k]), "；".join(notes))
