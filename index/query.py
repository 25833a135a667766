"""Query understanding: tokens, thesaurus expansion, and match spans.

The thesaurus (`data/thesaurus.txt`, or the file named by
$EDUREPORTS_THESAURUS) groups terms an analyst treats as one topic:
减负 ~ 双减 ~ 课业负担, 随迁子女 ~ 新市民子女. A query containing any term of
a group also searches the rest, at a lower weight, so keyword search finds
passages that say the same thing in other words. An expansion stands in for
the words that triggered it and never for more: it earns at most their
share of the query (see `ranking.coverage`), and the generic words of every
report (学生, 管理, 工作, 压力, 服务 …) are never added by an expansion and
count for little on their own.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ingest.words import search_tokens

THESAURUS_ENV = "EDUREPORTS_THESAURUS"
EXPANSION_WEIGHT = 0.4  # the most one expansion token weighs
EXPANSION_BUDGET = 2.0  # all expansion tokens together weigh at most this
FILLER_WEIGHT = 0.2
BIGRAM_WEIGHT = 0.5
# Words that ask for a figure or frame a question but say nothing of the topic.
FILLER = frozenset(
    "多少 多少个 几 几个 怎么 怎么办 怎样 如何 什么 哪些 哪里 情况 问题 数量 人数 金额 比例 变化 规模 总数 "
    "有关 相关 关于 方面 做法 措施 经验".split()
)
# Words every education report uses in every section: on their own they say
# nothing of the topic (a 双减 query must not find an anti-corruption passage
# through 压力 and 管理). Chosen from the vocabulary of the domain, not from
# queries; IDF cannot find them all because some (压力, 孩子) are rare in
# reports yet still generic in a question.
GENERIC = frozenset(
    "学生 孩子 小孩 家长 老师 教师 学校 教育 管理 工作 压力 服务 问题 建设 发展 推进 加强 提升 提高 开展 落实 "
    "全面 情况 实施 完善 机制 体系 政策 活动 项目 重点 主要 成效 成绩 进一步 全市 全县 全区 全省 我们 "
    "今年 去年 明年 年度 学年 计划 规划 总结 要点 报告 怎么 现在 一些 一下 能不能 可以 是否 有没有 这个 那个".split()
)
GENERIC_WEIGHT = 0.2  # weight of a generic word relative to a specific one (keyword terms and coverage)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_FILLER_RE = re.compile("|".join(sorted(FILLER, key=len, reverse=True)))


def keyword_tokens(text: str) -> list[str]:
    """Words (jieba, search mode) plus character bigrams of every Chinese run.

    jieba segments an unknown word differently with different neighbours
    (水韵园 in a query is not 水韵园 in the passage); bigrams match it anyway.
    Bigrams carry a `~` so they never collide with a word.
    """
    tokens = search_tokens(text)
    for run in _CJK_RUN.findall(text):
        tokens.extend("~" + run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def passage_tokens(heading: tuple[str, ...] | list[str], text: str) -> list[str]:
    """What a keyword retriever indexes for a passage: its heading path and its text."""
    return keyword_tokens(" ".join(heading) + " " + text)


@dataclass(frozen=True)
class Query:
    """A parsed query: weighted keyword terms, and for dense retrieval a vector (or a Future of one)."""

    text: str
    terms: dict[str, float]  # token -> weight, original tokens at 1.0
    expansions: tuple[str, ...]  # thesaurus terms added
    vector: object = None  # np.ndarray | concurrent.futures.Future | None
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (the query's term, the terms it stands for)
    own: tuple[str, ...] | None = None  # the query's own words; None: every keyword term

    def words(self) -> list[str]:
        """The query's own words (two characters or more, no filler), for coverage and highlights."""
        own = self.terms if self.own is None else self.own
        return [t for t in own if len(t) >= 2 and not t.startswith("~") and t not in FILLER]


@lru_cache(maxsize=4)
def thesaurus(path: str | None = None) -> tuple[tuple[str, ...], ...]:
    """Groups of interchangeable terms."""
    path = path or os.environ.get(THESAURUS_ENV)
    if path:
        text = Path(path).read_text("utf-8")
    else:
        text = resources.files("index").joinpath("data/thesaurus.txt").read_text("utf-8")
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            groups.append(tuple(dict.fromkeys(line.split())))
    return tuple(groups)


def parse(text: str, expand: bool = True) -> Query:
    """Tokens of a query with their weights, thesaurus expansions included.

    >>> q = parse("减少孩子课外补习")
    >>> q.terms["课外"], "校外培训" in q.expansions, q.terms["校外培训"] < 1
    (1.0, True, True)
    """
    terms: dict[str, float] = {}
    own = search_tokens(text)
    for tok in own:
        terms[tok] = FILLER_WEIGHT if tok in FILLER else GENERIC_WEIGHT if tok in GENERIC else 1.0
    # Bigrams back the words up at half weight; question words get none.
    topical = _FILLER_RE.sub(" ", text)
    for tok in keyword_tokens(topical):
        if tok.startswith("~"):
            terms.setdefault(tok, BIGRAM_WEIGHT)
    added: list[str] = []
    groups: list[tuple[str, tuple[str, ...]]] = []
    if expand:
        for group in thesaurus():
            triggers = [term for term in group if term in text]
            if not triggers:
                continue
            trigger = max(triggers, key=len)
            others = tuple(term for term in group if term not in text)
            if others:
                groups.append((trigger, others))
            added += [term for term in others if term not in added]
        # Only specific parts of an expansion are searched: 五项管理 adds 五项管理 and 五项, never 管理.
        extra = {tok for term in added for tok in search_tokens(term)
                 if len(tok) >= 2 and tok not in GENERIC and tok not in FILLER} - set(terms)
        if extra:
            weight = min(EXPANSION_WEIGHT, EXPANSION_BUDGET / len(extra))
            terms.update((tok, weight) for tok in extra)
    return Query(text, terms, tuple(added), groups=tuple(groups), own=tuple(dict.fromkeys(own)))


def spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Offsets in `text` of the query's specific words and expansions, merged, for highlighting.

    Generic words (学生, 管理 …) are highlighted only inside a longer
    specific match, never alone.
    """
    words = {t for t in query.words() if t not in GENERIC}
    needles = words | {t for t in query.expansions if len(t) >= 2 and t not in GENERIC}
    found = []
    for needle in sorted(needles, key=len, reverse=True):
        for m in re.finditer(re.escape(needle), text):
            found.append((m.start(), m.end()))
    found.sort()
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
