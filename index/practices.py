"""Practice map: the passages matching a theme or query, grouped into practices across districts.

The passages come from the engine's search (a theme name filters by the
theme, as `compare` does); each passage's stored window vectors are
averaged, so nothing is embedded again. Groups are found by agglomerative
clustering under a cosine distance threshold (the number of practices is
whatever the material holds, not a fixed k), labelled by their most
distinctive words (class-based TF-IDF over jieba words: a word frequent in
one group and rare in the others) and shown by a representative sentence.
The district x practice matrix says who did what, each cell with its passages.
"""

from __future__ import annotations

import inspect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

import numpy as np

from index.dense import CHUNK_SLOTS
from index.errors import SearchError
from index.filters import Filters
from index.records import Hit, _Row
from index.sentences import sentences

# Cosine distance (average linkage, vectors centred) under which passages are one practice. Chosen on the
# tune split of tests/data/practices/labelled.tsv as the best mean ARI over a +-0.04 neighbourhood, so a
# lone peak next to the cliff where everything merges is not picked (python bench/analysis_bench.py --ari
# --sweep); the test split is only measured.
THRESHOLD = 1.08
MAX_PASSAGES = 200   # passages a map is drawn from: a map of more is unreadable, and clustering is O(n^2)
N_TERMS = 5
MIN_SENTENCE = 15    # characters: shorter sentences are headings (创新宣传形式。), not a practice shown
MIN_WORD = 2         # one-character words (的, 和, 校) carry no practice
# Words every report writes around any practice (verbs of doing, the field, the issuer, document words):
# with few groups their class-based IDF cannot fall far enough, so they are not label words.
GENERIC = frozenset(
    "教育 学校 工作 建设 完善 强化 落实 组织 实施 要求 情况 进行 发展 提高 提升 坚持 做好 实现 推动 促进 "
    "关于 通知 文件 印发 制定 相关 有关 我市 全市 我区 全区 我县 全县 市级 区级 县级 部门 单位 方面 "
    "全省 各地 各级 今年 年度 全年 以来 目前 一批 一步 机制 体系 水平 能力 质量 重要 主要 有效 充分 "
    "万元 亿元 万名 万人 人次 万个".split()
)
_MASKED = re.compile(r"[xXＸｘ×*＊□○]")


@dataclass(frozen=True)
class PracticePassage(_Row):
    district: str     # the region, or the report's title when the region is unknown
    region: str
    doc_id: str
    passage_id: str
    title: str
    years: tuple[int, ...]
    heading: str
    text: str


@dataclass(frozen=True)
class Practice(_Row):
    label: str
    terms: tuple[str, ...]
    sentence: str               # the representative sentence
    sentence_passage_id: str
    districts: tuple[str, ...]
    passages: tuple[PracticePassage, ...]


@dataclass(frozen=True)
class Cell(_Row):
    """One district x practice cell: the passages of that district in that practice."""

    district: str
    practice: int               # index into PracticeMap.groups
    passage_ids: tuple[str, ...]


@dataclass(frozen=True)
class PracticeMap(_Row):
    query: str
    theme: str
    groups: tuple[Practice, ...]
    districts: tuple[str, ...]
    cells: tuple[Cell, ...]

    def cell(self, district: str, practice: int) -> Cell | None:
        return next((c for c in self.cells if c.district == district and c.practice == practice), None)


# -- pure parts ----------------------------------------------------------------


def cluster(vectors: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """Group labels for unit vectors: average-linkage agglomerative clustering cut at a cosine distance.

    >>> cluster(np.array([[1.0, 0.0, 0.1], [0.99, 0.14, 0.1], [0.0, 1.0, 0.1], [0.1, 0.98, 0.1]]), 0.5).tolist()
    [0, 0, 1, 1]
    """
    from sklearn.cluster import AgglomerativeClustering

    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=int)
    # Sentence encoders put every passage of one field in a narrow cone (e5: all within cosine 0.1);
    # taking out what the passages share spreads them so that one threshold holds across queries.
    vectors = np.asarray(vectors, dtype=np.float64)
    vectors = vectors - vectors.mean(axis=0)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-9)
    model = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold, metric="cosine",
                                    linkage="average")
    labels = model.fit_predict(vectors)
    # number the groups by first appearance, so the same input always gives the same labels
    first = {g: n for n, g in enumerate(dict.fromkeys(labels.tolist()))}
    return np.array([first[g] for g in labels.tolist()])


def content_words(text: str, skip: frozenset[str] = frozenset()) -> list[str]:
    """jieba words that can name a practice: two characters or more, no function words, no numbers."""
    from ingest.words import STOPWORDS, words

    return [w for w in words(text) if len(w) >= MIN_WORD and w not in STOPWORDS and w not in GENERIC
            and w not in skip and not any(c.isdigit() for c in w) and not _MASKED.search(w)]


def class_terms(groups: list[list[str]], n: int = N_TERMS) -> list[list[tuple[str, float]]]:
    """The `n` most distinctive words of each group by class-based TF-IDF.

    Each group's words are one document: tf is a word's share of the group,
    idf = log(1 + average words per group / the word's count over all
    groups), so a word all groups use weighs little.

    >>> [[w for w, _ in g] for g in class_terms([["作业", "作业", "公示"], ["课后", "课后", "服务", "公示"]], 1)]
    [['作业'], ['课后']]
    """
    from sklearn.feature_extraction.text import CountVectorizer

    if not any(groups):
        return [[] for _ in groups]
    vectorizer = CountVectorizer(analyzer=lambda ws: ws)  # words are cut already (jieba)
    counts = vectorizer.fit_transform(groups).toarray().astype(float)
    vocab = vectorizer.get_feature_names_out()
    per_group = counts.sum(axis=1, keepdims=True)
    tf = np.divide(counts, per_group, out=np.zeros_like(counts), where=per_group > 0)
    idf = np.log(1 + counts.sum() / len(groups) / counts.sum(axis=0))
    weights = tf * idf
    out = []
    for row in weights:
        order = sorted(np.flatnonzero(row), key=lambda j: (-row[j], vocab[j]))[:n]
        out.append([(str(vocab[j]), round(float(row[j]), 4)) for j in order])
    return out


def representative(texts: list[str], vectors: np.ndarray, terms: list[tuple[str, float]]) -> tuple[int, str]:
    """(index of the passage nearest the group's centre, its sentence that carries most of the group's words)."""
    centre = vectors.mean(axis=0)
    best = int(np.argmax(vectors @ centre))
    text = texts[best]
    weight = dict(terms)
    spans = sentences(text) or [(0, len(text))]
    spans = [s for s in spans if s[1] - s[0] >= MIN_SENTENCE] or spans  # a heading alone shows no practice

    def score(span: tuple[int, int]) -> float:
        s = text[span[0] : span[1]]
        return sum(w for t, w in weight.items() if t in s) / math.sqrt(max(len(s), 20))

    a, b = max(spans, key=lambda s: (score(s), -s[0]))
    return best, text[a:b].strip(" ，,、：:；\n")


def group(texts: list[str], vectors: np.ndarray, threshold: float = THRESHOLD,
          skip: frozenset[str] = frozenset()) -> tuple[np.ndarray, list[list[tuple[str, float]]]]:
    """Cluster labels and each cluster's terms (words of the query itself are skipped: every group has them)."""
    labels = cluster(vectors, threshold)
    words = [content_words(t, skip) for t in texts]
    bags: list[list[str]] = [[] for _ in range(int(labels.max()) + 1 if len(labels) else 0)]
    for label, ws in zip(labels, words):
        bags[label] += ws
    return labels, class_terms(bags)


# -- over an engine ------------------------------------------------------------


def passage_vectors(dense, ids: list[int]) -> dict[int, np.ndarray]:
    """Each passage's window vectors averaged and normalised, read from the vector index in one pass."""
    chunk_ids = dense.index.ids()
    mine = chunk_ids[np.isin(chunk_ids // CHUNK_SLOTS, np.asarray(ids, dtype=np.int64))]
    sums: dict[int, np.ndarray] = {}
    for c in mine.tolist():
        v = dense.index.index.reconstruct(int(c))
        pid = c // CHUNK_SLOTS
        sums[pid] = sums[pid] + v if pid in sums else np.array(v, dtype=np.float64)
    return {pid: v / (np.linalg.norm(v) or 1.0) for pid, v in sums.items()}


def _district(hit: Hit) -> str:
    return hit.region or hit.title


def build(query: str, theme: str, hits: list[Hit], vectors: dict[str, np.ndarray],
          threshold: float = THRESHOLD) -> PracticeMap:
    """The map from hits and their vectors (by passage id); hits without a vector are left out."""
    hits = [h for h in hits if h.passage_id in vectors]
    if not hits:
        return PracticeMap(query, theme, (), (), ())
    from ingest.words import search_tokens

    skip = frozenset(search_tokens(query)) | frozenset(search_tokens(theme))  # 学生资助 skips 学生 and 资助 too
    matrix = np.vstack([vectors[h.passage_id] for h in hits])
    labels, terms = group([h.text for h in hits], matrix, threshold, skip)
    members: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels.tolist()):
        members[label].append(i)
    practices = []
    for label, idx in members.items():
        texts = [hits[i].text for i in idx]
        best, sentence = representative(texts, matrix[idx], terms[label])
        words_ = tuple(t for t, _ in terms[label])
        passages = tuple(PracticePassage(_district(hits[i]), hits[i].region, hits[i].doc_id, hits[i].passage_id,
                                         hits[i].title, hits[i].years, hits[i].heading, hits[i].text) for i in idx)
        districts = tuple(dict.fromkeys(p.district for p in passages))
        practices.append(Practice("、".join(words_[:3]) or sentence[:12], words_, sentence,
                                  hits[idx[best]].passage_id, districts, passages))
    # practices shared by more districts first: those are the ones to compare
    practices.sort(key=lambda p: (-len(p.districts), -len(p.passages), p.passages[0].passage_id))
    districts = tuple(name for name, _ in Counter(_district(h) for h in hits).most_common())
    cells = []
    for n, p in enumerate(practices):
        by_district: dict[str, list[str]] = defaultdict(list)
        for q in p.passages:
            by_district[q.district].append(q.passage_id)
        cells += [Cell(d, n, tuple(ids)) for d, ids in by_district.items()]
    return PracticeMap(query, theme, tuple(practices), districts, tuple(cells))


def practice_map(engine, text: str, filters: Filters = Filters(), limit: int = MAX_PASSAGES,
                 threshold: float = THRESHOLD) -> PracticeMap:
    """The practice map of a theme (all its passages, up to `limit`) or a query (its best `limit` hits)."""
    text = text.strip()
    if not text:
        raise SearchError("检索词为空；请给出主题（如 学生资助）或做法（如 课后服务）")
    theme = text if text in engine.store.theme_names() else ""
    if theme and not filters.theme:
        filters = replace(filters, theme=theme)
    # A map wants every passage of the theme, not the few per report a result page shows; for a query,
    # the passages above search's relevance floor. (Older engines take neither argument.)
    wanted = {"per_report": None, "include_low": bool(theme)}
    accepted = inspect.signature(engine.search).parameters
    hits = engine.search(text, top_k=limit, filters=filters, **{k: v for k, v in wanted.items() if k in accepted})
    rows = {h.passage_id: engine.store.passage(h.passage_id) for h in hits}
    ids = {pid: row.id for pid, row in rows.items() if row is not None}
    found = passage_vectors(engine.dense, list(ids.values()))
    vectors = {pid: found[i] for pid, i in ids.items() if i in found}
    return build(text, theme, hits, vectors, threshold)

