"""Practice maps: clustering, labels, the district x practice matrix, and the hand-grouped set."""

from __future__ import annotations

import json
import statistics
import sys

import numpy as np
import pytest
from conftest import ROOT

from index.practices import THRESHOLD, build, class_terms, cluster, content_words, practice_map
from index.records import Hit


@pytest.fixture(scope="module")
def aid_map(district_data):
    from index.search import Engine

    engine = Engine(district_data)
    yield practice_map(engine, "学生资助")
    engine.close()


def test_clusters_follow_distance_not_a_fixed_count():
    rng = np.random.default_rng(0)
    centres = np.eye(8)[:3]
    points = np.vstack([c + rng.normal(0, 0.05, (5, 8)) for c in centres])
    assert sorted(np.bincount(cluster(points, 0.5)).tolist()) == [5, 5, 5]
    two = np.vstack([c + rng.normal(0, 0.05, (5, 8)) for c in centres[:2]])
    assert sorted(np.bincount(cluster(two, 0.5)).tolist()) == [5, 5]
    assert cluster(points[:1]).tolist() == [0]


def test_labels_are_the_words_that_set_a_group_apart():
    groups = [content_words("建立作业公示制度，控制书面作业总量，作业分层设计。"),
              content_words("课后服务全覆盖，课后服务开设社团课程。")]
    terms = [[w for w, _ in g] for g in class_terms(groups, 2)]
    assert [t[0] for t in terms] == ["作业", "课后服务"]  # the most frequent word of each group, used by no other
    assert "工作" not in content_words("开展工作") and "万元" not in content_words("资金300万元")


def test_student_aid_map_groups_aid_passages_of_three_regions(aid_map):
    shared = [g for g in aid_map.groups if len({p.region for p in g.passages if p.region}) >= 3]
    assert shared, [(g.label, g.districts) for g in aid_map.groups]
    group = shared[0]
    assert all("资助" in p.text or "助学" in p.text for p in group.passages)
    assert {"江苏省苏州市吴江区", "江苏省无锡市惠山区", "甘肃省定西市通渭县"} <= set(group.districts)
    assert group.sentence and any(group.sentence in p.text for p in group.passages)
    assert "学生资助" not in group.terms and "资助" not in group.terms  # the query's own words label nothing


def test_the_matrix_places_every_passage_once(aid_map):
    placed = [pid for c in aid_map.cells for pid in c.passage_ids]
    passages = [p.passage_id for g in aid_map.groups for p in g.passages]
    assert sorted(placed) == sorted(passages) and len(set(placed)) == len(placed)
    for cell in aid_map.cells:
        group = aid_map.groups[cell.practice]
        assert {p.district for p in group.passages if p.passage_id in cell.passage_ids} == {cell.district}
    assert set(aid_map.districts) == {c.district for c in aid_map.cells}


def _hit(pid: str, region: str, text: str) -> Hit:
    return Hit(pid, pid.split(".")[0], "s", "t", region, (2022,), "工作总结", ("工作总结",), "", text, 1.0, (), 0, 0)


def test_build_groups_by_vector_and_keeps_hits_without_one_out():
    hits = [_hit("a.p0", "甲区", "建立作业公示制度，控制书面作业总量。"), _hit("b.p0", "乙区", "作业公示，书面作业减量。"),
            _hit("c.p0", "丙区", "课后服务全覆盖，开设社团课程。"), _hit("d.p0", "丁区", "没有向量的段落。")]
    vectors = {"a.p0": np.array([1.0, 0.0, 0.1]), "b.p0": np.array([0.98, 0.1, 0.1]), "c.p0": np.array([0.0, 1.0, 0.1])}
    m = build("双减", "", hits, vectors)
    assert [len(g.passages) for g in m.groups] == [2, 1]
    assert m.groups[0].districts == ("甲区", "乙区") and "作业" in m.groups[0].terms
    assert "丁区" not in m.districts
    assert m.cell("乙区", 0).passage_ids == ("b.p0",) and m.cell("丙区", 0) is None


def test_hand_groups_are_recovered_on_the_test_split():
    """The threshold was chosen on the tune split; the test split's queries and practices were never seen."""
    sys.path.insert(0, str(ROOT / "bench"))
    from analysis_bench import ari, embed, labelled

    from index.embed import make_embedder

    split = labelled()["test"]
    embedder = make_embedder(None)
    vectors = {q: embed([t for _, t in rows], embedder) for q, rows in split.items()}
    assert statistics.mean(ari(split, vectors, THRESHOLD).values()) >= 0.5
    # a fixed single group (or every passage alone) scores 0: the floor above is not free
    assert statistics.mean(ari(split, vectors, 5.0).values()) == 0.0


def test_cli_practices(cli, district_data):
    out = cli("practices", "学生资助", "--json", "--data", str(district_data))
    doc = json.loads(out.stdout)
    group = doc["groups"][0]
    assert {"label", "terms", "passages"} <= group.keys()
    assert {"region", "doc_id", "passage_id"} <= group["passages"][0].keys()
    text = cli("practices", "学生资助", "--data", str(district_data)).stdout
    assert text.startswith(f"学生资助：{len(doc['groups'])} 类做法，{len(doc['districts'])} 个地区\n")
    empty = cli("practices", "  ", "--data", str(district_data))
    assert empty.exit_code == 2
    assert empty.stderr == "错误：检索词为空；请给出主题（如 学生资助）或做法（如 课后服务）\n"


def test_the_map_exports_to_excel(cli, district_data, tmp_path, aid_map):
    from openpyxl import load_workbook

    path = tmp_path / "资助做法.xlsx"
    out = cli("practices", "学生资助", "--xlsx", str(path), "--data", str(district_data))
    assert out.exit_code == 0 and out.stderr.endswith(f"已写出 {path}\n")
    book = load_workbook(path)
    assert book.sheetnames == ["做法", "地区×做法", "段落"]
    assert [c.value for c in book["做法"][1]] == ["编号", "做法", "关键词", "代表句", "代表句段落ID", "地区数", "段落数"]
    assert book["做法"].max_row == len(aid_map.groups) + 1
    assert book["段落"].max_row == sum(len(g.passages) for g in aid_map.groups) + 1
    matrix = book["地区×做法"]
    first = {row[0].value: row[1].value for row in matrix.iter_rows(min_row=2)}
    for cell in (c for c in aid_map.cells if c.practice == 0):
        assert first[cell.district] == "、".join(cell.passage_ids)
