"""Plan vs outcome: each item a 工作要点/工作计划 of year N planned, looked up in the 工作总结 of year N.

Items are the plan's numbered points (（三）…, 3., 一是…), each with the
sentences under it. An item is embedded as a query (its first sentence,
which names the action) and compared with the summary's stored sentence
windows; the closest windows are then read for the item's own words, and
the sentence carrying most of them is the evidence. Sentence encoders score
every pair of one field's sentences alike (e5: 0.90 for the same practice,
0.89 for another), so the semantic score ranks the windows and the words
decide whether the item is there: an office writes its plan and its
summary in the same terms. Found items are 已完成 when the evidence reports
a result (建成, 达到, a figure) and 有提及 when it reports work under way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

import numpy as np

from index.dense import CHUNK_SLOTS, vector_chunks
from index.districts import DistrictError, district_key, find, build_profiles
from index.errors import SearchError
from index.practices import content_words
from index.records import DocSummary, PassageRow, _Row
from index.sentences import sentences

PLAN_TYPES = ("工作要点", "工作计划")
SUMMARY_TYPES = ("工作总结",)
# Share of an item's own words the evidence window must carry. Chosen on the tune split of
# tests/data/practices/labelled.tsv (python bench/analysis_bench.py --coverage): a passage against another of its
# practice vs one of another practice of the same field, the hardest negatives a summary holds.
FOUND = 0.15
CANDIDATES = 3   # windows, nearest by meaning, read for the item's words
_ITEM = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|[一二三四五六七八九十]+[是要、])")
# What a summary writes of finished work, and of work not finished.
_DONE = re.compile(r"完成|建成|实现|达到|达|新增|全部|全面|覆盖|获评|通过|落成|竣工|开通|投入使用|累计|共计|共有|签订|开展了|组织|已")
_PENDING = re.compile(r"正在|仍在|推进之中|推进中|启动|筹备|调研|论证|下一步|尚未|尚需|仍需|计划|拟|将")
_FIGURE = re.compile(r"\d")


class Status(str, Enum):
    DONE = "已完成"
    MENTIONED = "有提及"
    NOT_FOUND = "未找到"

    __str__ = str.__str__


@dataclass(frozen=True)
class PlanItem(_Row):
    heading: str
    text: str
    status: str
    evidence: str          # the summary sentence, empty when not found
    passage_id: str        # the summary passage it is in
    coverage: float        # share of the item's words in the evidence window
    similarity: float      # cosine of the item to that window


@dataclass(frozen=True)
class PlanCheck(_Row):
    region: str
    year: int
    plan: DocSummary
    summary: DocSummary
    items: tuple[PlanItem, ...]

    def counts(self) -> dict[str, int]:
        return {s.value: sum(i.status == s.value for i in self.items) for s in Status}


def items(passages: list[PassageRow]) -> list[tuple[str, str]]:
    """(heading, text) of each planned item: a numbered point starts one; other sentences join the open one.

    >>> p = PassageRow(0, "a.p0", "a", 0, ("一、双减",), "（一）规范作业。建立公示制度。（二）课后服务。全覆盖。", 0, 0)
    >>> [t for _, t in items([p])]
    ['（一）规范作业。建立公示制度。', '（二）课后服务。全覆盖。']
    """
    out: list[tuple[str, str]] = []
    for p in passages:
        open_ = False
        for a, b in sentences(p.text):
            s = p.text[a:b].strip()
            if not s:
                continue
            if _ITEM.match(s) or not open_:
                out.append((p.heading_path[-1] if p.heading_path else "", s))
                open_ = True
            else:
                heading, text = out[-1]
                out[-1] = (heading, text + s)
    return out


def status(coverage: float, evidence: str) -> Status:
    """已完成 / 有提及 / 未找到 from the share of the item's words found and what the evidence says."""
    if coverage < FOUND:
        return Status.NOT_FOUND
    if _PENDING.search(evidence) or not (_DONE.search(evidence) or _FIGURE.search(evidence)):
        return Status.MENTIONED
    return Status.DONE


def _window_texts(p: PassageRow) -> list[str]:
    """The texts of a passage's stored windows, in window order (vector id = passage id * CHUNK_SLOTS + j)."""
    return [c.split("\n", 1)[-1] if p.heading_path else c for c in vector_chunks(p.heading_path, p.text)]


def match(plan: list[tuple[str, str]], item_vectors: np.ndarray, windows: list[tuple[PassageRow, str]],
          window_vectors: np.ndarray) -> list[PlanItem]:
    """Each item against the summary's windows (pure: vectors in, statuses out)."""
    out = []
    window_words = [set(content_words(t)) for _, t in windows]
    for (heading, text), v in zip(plan, item_vectors):
        words = set(content_words(text)) or set(content_words(heading))
        if not len(windows) or not words:
            out.append(PlanItem(heading, text, Status.NOT_FOUND.value, "", "", 0.0, 0.0))
            continue
        sims = window_vectors @ v
        near = np.argsort(-sims)[:CANDIDATES]
        best = max(near.tolist(), key=lambda j: (len(words & window_words[j]), sims[j]))
        coverage = len(words & window_words[best]) / len(words)
        passage, wtext = windows[best]
        spans = sentences(wtext) or [(0, len(wtext))]
        a, b = max(spans, key=lambda s: (len(words & set(content_words(wtext[s[0]:s[1]]))), -s[0]))
        evidence = wtext[a:b].strip(" ，,；;\n")
        st = status(coverage, evidence)
        out.append(PlanItem(heading, text, st.value, evidence if st is not Status.NOT_FOUND else "",
                            passage.passage_id if st is not Status.NOT_FOUND else "", round(coverage, 3),
                            round(float(sims[best]), 4)))
    return out


def pair(docs: list[DocSummary], key: str, year: int | None = None) -> tuple[int, DocSummary, DocSummary]:
    """The plan and the summary (two different reports) of one district for `year` (default: the latest
    year that has both). A report that is both (…工作总结和下半年工作计划) is never checked against itself."""
    mine = [d for d in docs if district_key(d) == key]
    plans = [d for d in mine if set(d.doc_types or (d.doc_type,)) & set(PLAN_TYPES)]
    summaries = [d for d in mine if set(d.doc_types or (d.doc_type,)) & set(SUMMARY_TYPES)]
    pairs = {(y, p.doc_id, s.doc_id): (p, s) for p in plans for s in summaries if p.doc_id != s.doc_id
             for y in set(p.years) & set(s.years)}
    years = sorted({y for y, _, _ in pairs})
    both = len({d.doc_id for d in plans} & {d.doc_id for d in summaries})
    note = f"（其中 {both} 篇兼有两者，不能自相对照）" if both else ""
    if year is None:
        if not years:
            raise SearchError(f"{key} 没有同一年的工作要点（计划）和工作总结；"
                              f"已有要点 {len(plans)} 篇、总结 {len(summaries)} 篇{note}")
        year = years[-1]
    found = sorted((k for k in pairs if k[0] == year), key=lambda k: (k[1], k[2]))
    if not found:
        has_plan = any(year in p.years for p in plans)
        have = "、".join(str(y) for y in years) or "无"
        raise SearchError(f"{key} 没有 {year} 年的{'工作总结' if has_plan else '工作要点（计划）'}可对照{note}；"
                          f"要点和总结都有的年份：{have}")
    plan, summary = pairs[found[0]]
    return year, plan, summary


def plan_vs_outcome(engine, region: str, year: int | None = None) -> PlanCheck:
    """Match the plan of `region` for `year` against its summary, item by item."""
    store = engine.store
    docs = store.documents()
    try:
        profile = find(build_profiles(docs, [], []), region)
    except DistrictError as exc:
        raise SearchError(str(exc)) from None
    year, plan_doc, summary_doc = pair(docs, profile.key, year)
    plan_report, summary_report = store.document(plan_doc.doc_id, False), store.document(summary_doc.doc_id, False)
    plan = items(list(plan_report.passages))
    windows: list[tuple[PassageRow, str]] = []
    ids: list[int] = []
    for p in summary_report.passages:
        for j, text in enumerate(_window_texts(p)):
            windows.append((p, text))
            ids.append(p.id * CHUNK_SLOTS + j)
    window_vectors = _vectors(engine, ids)
    if plan:
        item_vectors = np.vstack([engine.embedder.query(_head(text)) for _, text in plan]).astype(np.float64)
        item_vectors /= np.linalg.norm(item_vectors, axis=1, keepdims=True).clip(1e-9)
    else:
        item_vectors = np.zeros((0, window_vectors.shape[1] if len(window_vectors) else 1))
    return PlanCheck(profile.region or profile.name, year, plan_doc, summary_doc,
                     tuple(match(plan, item_vectors, windows, window_vectors)))


def _head(text: str) -> str:
    """What an item is embedded as: its first sentence (the action it names), at most 64 characters."""
    spans = sentences(text)
    first = text[spans[0][0] : spans[0][1]] if spans else text
    return _ITEM.sub("", first)[:64] or text[:64]


def _vectors(engine, chunk_ids: list[int]) -> np.ndarray:
    """Stored window vectors by vector id, normalised (nothing is embedded again)."""
    dense = engine.dense
    have = set(dense.index.ids().tolist())
    rows = []
    for c in chunk_ids:
        v = dense.index.index.reconstruct(int(c)) if c in have else None
        rows.append(v)
    if any(v is None for v in rows):
        raise SearchError("检索索引落后于数据库；请运行 edureports reindex 更新")
    if not rows:
        return np.zeros((0, 1))
    m = np.vstack(rows).astype(np.float64)
    return m / np.linalg.norm(m, axis=1, keepdims=True).clip(1e-9)
