"""The Streamlit app through streamlit.testing's AppTest: every page, real data."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import ROOT, make_docx
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")


@pytest.fixture
def app(indexed_copy, monkeypatch):
    monkeypatch.setenv("EDUREPORTS_DATA", str(indexed_copy))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception and not at.error
    return at


def _page(at: AppTest, name: str) -> AppTest:
    at.sidebar.radio(key="page").set_value(name).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_search_returns_hits_and_a_filter_narrows_them(app):
    app.text_input(key="q").input("减少孩子课外补习").run()
    assert "有偿补课" in _texts(app) and "<mark>" in _texts(app)

    def hit_lines():
        return [m.value for m in app.markdown if m.value.startswith("**") and "得分" in m.value]

    assert any("广东省东莞市" not in h for h in hit_lines())
    app.text_input(key="s_region").input("东莞").run()
    assert hit_lines() and all("广东省东莞市" in h for h in hit_lines())


def test_a_hit_opens_its_report_at_the_passage(app):
    app.text_input(key="q").input("校车安全管理").run()
    open_buttons = [b for b in app.button if b.label == "打开报告"]
    open_buttons[0].click().run()
    assert not app.exception
    assert app.session_state["page"] == "报告" and app.session_state["report"]
    assert any(s.value for s in app.subheader)


def test_reports_page_reads_a_report_and_shows_the_original(app):
    _page(app, "报告")
    assert app.dataframe and len(app.dataframe[0].value) == 9
    assert any("一、" in m.value for m in app.markdown)
    app.toggle(key="r_raw").set_value(True).run()
    assert any("好范文网" in t.value or "下载" in t.value for t in app.text)


def test_compare_shows_several_regions_for_a_theme(app):
    _page(app, "对比")
    app.selectbox(key="c_theme").set_value("学生资助").run()
    regions = {m.value.strip("*") for m in app.markdown if m.value.startswith("**") and m.value.endswith("**")}
    assert len(regions) >= 2


def test_themes_page_draws_charts_and_lists_passages(app):
    _page(app, "主题")
    charts = []

    def walk(node):
        if getattr(node, "type", "") == "vega_lite_chart":
            charts.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    assert len(charts) >= 2  # the theme x report heatmap and the counts by year
    app.selectbox(key="t_theme").set_value("巡察整改").run()
    assert "巡察" in _texts(app)


def _served_files(monkeypatch) -> dict[str, bytes]:
    """What the app serves for download: the bytes Streamlit's media storage receives, by URL."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    served: dict[str, bytes] = {}
    real = MemoryMediaFileStorage.load_and_get_id

    def keep(self, *args, **kwargs):
        file_id = real(self, *args, **kwargs)
        stored = self._files_by_id[file_id]
        served[self.get_url(file_id)] = stored.content
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return served


def test_metrics_page_filters_and_downloads_a_valid_csv(app, monkeypatch):
    served = _served_files(monkeypatch)
    _page(app, "指标")
    app.text_input(key="m_ind").input("满意度").run()
    button = next(b for b in app.get("download_button") if "CSV" in b.proto.label)
    assert button.proto.label == "下载 CSV"
    rows = list(csv.reader(io.StringIO(served[button.proto.url].decode("utf-8-sig"))))
    assert rows[0][3:7] == ["地区", "年份", "指标", "数值"]
    assert all("满意度" in r[5] for r in rows[1:]) and any(r[6] == "96.65" for r in rows[1:])


def test_upload_of_a_docx_makes_it_searchable(app, tmp_path):
    docx_bytes = make_docx(tmp_path / "新报告.docx").read_bytes()
    _page(app, "导入")
    app.file_uploader(key="upload").upload("../新 报告.docx", docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    app.run()
    app.button(key="do_upload").click().run()
    assert not app.exception and any("导入完成" in s.value for s in app.success)
    _page(app, "检索")
    app.text_input(key="q").input("作业公示制度").run()
    assert "作业公示制度" in _texts(app).replace("<mark>", "").replace("</mark>", "")


def test_first_start_offers_and_imports_the_sample_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("EDUREPORTS_DATA", str(tmp_path / "empty"))
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert any("示例语料" in i.value for i in at.info)
    at.button(key="load_corpus").click().run()
    assert not at.exception and not at.error
    at.text_input(key="q").input("集团化办学").run()
    assert "集团化办学" in _texts(at)


def test_similar_practices_of_other_regions(app):
    app.text_input(key="q").input("随迁子女入学").run()
    toggle = next(t for t in app.toggle if t.label == "其他地区的类似做法")
    toggle.set_value(True).run()
    assert not app.exception
    similar = [m.value for m in app.markdown if m.value.startswith("- **")]
    assert similar


def test_year_box_takes_the_one_grammar_and_explains_a_reversed_range(app):
    app.text_input(key="q").input("教育督导").run()
    app.text_input(key="s_year").input("2016年至2017年").run()
    assert not app.warning and "得分" in _texts(app)
    app.text_input(key="s_year").input("2017-2016").run()
    assert [w.value for w in app.warning] == ["年份范围 2017-2016 起止颠倒，请写成 2016-2017"]
