"""Themes in the store: counts, --theme filters, retag with an edited taxonomy."""

from __future__ import annotations

import json

from conftest import ROOT

from index.build import retag
from index.search import Engine, Filters


def test_rows_carry_themes_and_counts_roll_up_to_parents(engine):
    counts = {r.theme: r for r in engine.store.theme_counts()}
    assert counts["学生资助"].n_passages >= 10
    assert counts["教育公平"].n_passages >= counts["学生资助"].n_passages
    docs = {d.doc_id: d for d in engine.store.documents()}
    assert "学生资助" in docs["06606381c23e-3"].themes[:2]
    shown = engine.store.document("06606381c23e-4")
    assert all("巡察整改" in p.themes for p in shown.passages)


def test_search_filters_by_a_theme_or_its_parent(engine):
    # the filter, not the relevance floor, is under test: weak hits and every report's passages count
    child = engine.search("工作成效", top_k=50, filters=Filters(theme="学生资助"), per_report=None, include_low=True)
    assert child and all("学生资助" in h.themes for h in child)
    parent = engine.search("工作成效", top_k=50, filters=Filters(theme="教育公平"), per_report=None, include_low=True)
    assert len(parent) > len(child)
    fair = {"教育公平", "集团化办学", "义务教育优质均衡", "城乡一体化", "随迁子女就学", "学生资助",
            "教育帮扶与支教", "特殊教育", "大班额"}
    assert all(fair & set(h.themes) for h in parent)


def test_compare_by_theme_name(engine):
    rows = engine.compare("集团化办学", per_report=1)
    assert len({r.region for r in rows}) >= 2
    assert all("集团化办学" in r.passages[0].themes for r in rows)


def test_retag_applies_an_edited_taxonomy_without_reembedding(indexed_copy, tmp_path):
    base = (ROOT / "ingest" / "data" / "themes.toml").read_text("utf-8")
    path = tmp_path / "edited.toml"
    path.write_text(base + '\n[[theme]]\nname = "研学基地"\nparent = "五育并举"\n'
                    'description = "综合教育与研学实践基地。"\nkey = ["水韵园"]\n', "utf-8")
    engine = Engine(indexed_copy)
    vectors_before = (indexed_copy / "index" / "vectors.faiss").stat().st_mtime_ns
    n, tags = retag(engine.store, str(path))
    assert n == 130 and tags > 100
    hits = engine.search("综合教育基地", top_k=10, filters=Filters(theme="研学基地"))
    assert hits and all("水韵园" in h.text for h in hits)
    assert (indexed_copy / "index" / "vectors.faiss").stat().st_mtime_ns == vectors_before
    assert json.loads(json.dumps([r.to_dict() for r in engine.store.theme_counts()]))[-1]["theme"] == "研学基地"
    engine.close()
