"""The keyword index against bm25s, and its incremental updates."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from index.keyword import KeywordIndex
from index.query import keyword_tokens

DOCS = [
    "全面落实双减政策，规范校外培训机构，课后服务覆盖全部义务教育学校。",
    "推进集团化办学，名校带弱校，组建教育集团12个。",
    "开展责任督学挂牌督导，督学责任区实现全覆盖。",
    "课后服务时间延长至下午六点，开展暑期托管服务。",
    "新建改扩建幼儿园20所，普惠性幼儿园覆盖率达到90%。",
    "加强校外培训机构日常监管，严禁有偿补课。",
]


@pytest.fixture
def corpus_tokens():
    return [keyword_tokens(d) for d in DOCS]


def _bm25s_scores(tokens: list[list[str]], query: list[str]) -> np.ndarray:
    vocab = {t: i for i, t in enumerate(dict.fromkeys(t for doc in tokens for t in doc))}
    retriever = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    retriever.index(bm25s.tokenization.Tokenized(ids=[[vocab[t] for t in d] for d in tokens], vocab=vocab),
                    show_progress=False)
    return retriever.get_scores([vocab[t] for t in query if t in vocab])


def test_scores_match_bm25s(tmp_path, corpus_tokens):
    index = KeywordIndex(tmp_path)
    index.add(list(range(len(DOCS))), corpus_tokens)
    query = keyword_tokens("校外培训机构课后服务")
    ids, scores = index.scores({t: 1.0 for t in query})
    ours = np.zeros(len(DOCS))
    ours[ids] = scores
    np.testing.assert_allclose(ours, _bm25s_scores(corpus_tokens, query), rtol=1e-5)


def test_incremental_adds_rank_like_one_build(tmp_path, corpus_tokens):
    whole = KeywordIndex(tmp_path / "whole")
    whole.add(list(range(len(DOCS))), corpus_tokens)
    parts = KeywordIndex(tmp_path / "parts")
    for i, tokens in enumerate(corpus_tokens):
        parts.add([i], [tokens])
    query = {t: 1.0 for t in keyword_tokens("课后服务托管")}
    a, b = whole.search(query, 3), parts.search(query, 3)
    assert a[0].tolist() == b[0].tolist()
    np.testing.assert_allclose(a[1], b[1], rtol=1e-5)


def test_remove_save_load_and_merge(tmp_path, corpus_tokens):
    index = KeywordIndex(tmp_path)
    for i, tokens in enumerate(corpus_tokens):
        index.add([i * 10], [tokens])
    index.remove([0])
    query = {t: 1.0 for t in keyword_tokens("校外培训机构")}
    assert index.search(query, 5)[0].tolist()[0] == 50
    index.save()
    again = KeywordIndex(tmp_path)
    assert sorted(again.ids().tolist()) == [10, 20, 30, 40, 50]
    assert again.search(query, 5)[0].tolist() == index.search(query, 5)[0].tolist()
    again.merge()
    assert len(again.segments) == 1 and again.n_docs == 5
    assert again.search(query, 5)[0].tolist() == index.search(query, 5)[0].tolist()
    # Adding an id again replaces it.
    again.add([50], [keyword_tokens("集团化办学")])
    assert 50 not in again.search(query, 5)[0].tolist()


def test_allowed_ids_restrict_the_results(tmp_path, corpus_tokens):
    index = KeywordIndex(tmp_path)
    index.add(list(range(len(DOCS))), corpus_tokens)
    query = {t: 1.0 for t in keyword_tokens("校外培训机构")}
    ids, _ = index.search(query, 5, allowed=np.array([5]))
    assert ids.tolist() == [5]


def test_many_small_adds_and_removes_score_like_a_fresh_build(tmp_path, corpus_tokens):
    """Tiered merges and tombstones leave exactly the statistics of the live passages."""
    index = KeywordIndex(tmp_path / "a")
    for round_ in range(5):
        for i, tokens in enumerate(corpus_tokens):
            index.add([round_ * 100 + i], [tokens])
    index.remove([100 + i for i in range(len(DOCS))] + [0, 1])
    index.merge()
    live = sorted(index.ids().tolist())
    fresh = KeywordIndex(tmp_path / "b")
    fresh.add(live, [corpus_tokens[i % 100] for i in live])
    query = {t: 1.0 for t in keyword_tokens("校外培训机构课后服务")}
    a_ids, a_scores = index.scores(query)
    b_ids, b_scores = fresh.scores(query)
    assert dict(zip(a_ids.tolist(), np.round(a_scores, 5))) == dict(zip(b_ids.tolist(), np.round(b_scores, 5)))


def test_segments_written_before_a_crash_are_ignored(tmp_path, corpus_tokens):
    index = KeywordIndex(tmp_path)
    index.add([0, 1], corpus_tokens[:2])
    index.save()
    index.add([2, 3], corpus_tokens[2:4])  # written to disk, but never saved into the manifest
    again = KeywordIndex(tmp_path)
    assert sorted(again.ids().tolist()) == [0, 1]
    again.add([4], [corpus_tokens[4]])  # reuses the orphan's segment name: must hold the new data
    assert sorted(again.ids().tolist()) == [0, 1, 4]
