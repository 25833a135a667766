"""The Streamlit app through streamlit.testing's AppTest: every page, real data."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from conftest import REPORT_TEXT, ROOT, make_docx
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
    assert [html.unescape(w.value) for w in app.warning] == ["年份范围 2017-2016 起止颠倒，请写成 2016-2017"]


def _upload(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    _page(at, "导入")
    uploader = at.file_uploader(key="upload")
    for name, content in files:
        uploader.upload(name, content, "text/plain")
    at.run()
    at.button(key="do_upload").click().run()
    assert not at.exception
    return at


def _shown(body: str) -> str:
    """What the reader sees of a Markdown body: character references decoded, word joiners dropped."""
    return html.unescape(body).replace("\u2060", "")


MARKUP = "**粗体** $x^2$ [链接](http://example.invalid) ![](http://example.invalid/p.png)"


def test_report_text_is_shown_as_text_with_the_highlight_kept(app):
    title, heading = "示范区2023年**粗体**教育工作总结$x^2$", "一、推进[链接](http://example.invalid)智慧校园"
    report = (f"{title}\n{heading}\n"
              f"全区推进智慧校园建设，重点任务{MARKUP}已经完成。各校配齐多媒体教室，"
              "教师信息化培训覆盖率达到百分之九十，数字资源平台访问量明显增长。\n")
    _upload(app, [("智慧校园.txt", report.encode("utf-8"))])
    assert any("导入完成" in s.value for s in app.success)
    _page(app, "检索")
    app.text_input(key="q").input("智慧校园建设").run()
    bodies = [m.value for m in app.markdown] + [c.value for c in app.caption]
    for body in bodies:  # no Markdown, LaTeX, link, image or HTML syntax left live in any body
        assert not re.search(r"\*\*粗体|\$x|\]\(|!\[|https?://|<img|<a ", body), body
    # ... yet the reader sees the text as written, and the highlight is kept
    header = next(_shown(m.value) for m in app.markdown if "得分" in m.value and "示范区" in _shown(m.value))
    assert header.startswith(f"**1. {title}** · ")
    assert any(_shown(c.value).startswith(f"{heading} ｜ ") for c in app.caption)
    passage = next(_shown(m.value) for m in app.markdown if MARKUP in _shown(m.value))
    assert "<mark>智慧校园建设</mark>" in passage
    app.button(key=next(b.key for b in app.button if b.label == "打开报告")).click().run()
    reading = [s.value for s in app.subheader] + [m.value for m in app.markdown] + [c.value for c in app.caption]
    assert [_shown(s.value) for s in app.subheader] == [title]
    assert any(heading in _shown(b) for b in reading) and any(MARKUP in _shown(b) for b in reading)
    for body in reading:
        assert not re.search(r"\*\*粗体|\$x|\]\(|!\[|https?://|<img|<a ", body), body


def _report(place: str, practice: str) -> bytes:
    return (f"{place}2023年教育工作总结\n一、主要工作\n"
            f"{place}今年全面推进{practice}，覆盖全部中小学，家长和学生反映良好，相关经验在全市推广。"
            f"下一步将继续深化{practice}，完善考核评价办法。\n").encode("utf-8")


def test_uploads_with_one_cleaned_name_are_all_kept_and_searchable(app, indexed_copy):
    files = [("甲/工作总结.txt", _report("东城区", "午餐陪餐制度")),
             ("乙/工作总结.txt", _report("西城区", "书法进课堂")),
             ("报告?.txt", _report("南湖区", "校园足球联赛")),
             ("报告*.txt", _report("北塘区", "劳动实践基地")),
             ("丙/工作总结.txt", _report("东城区", "午餐陪餐制度"))]
    _upload(app, files)
    assert len(list((indexed_copy / "uploads").iterdir())) == 4
    [success] = [s.value for s in app.success]
    assert re.fullmatch(r"导入完成：收到 5 个文件，新增或更新 4 个，已在库中 1 个，未导入 0 个；"
                        r"写入 4 篇报告、\d+ 个段落", success), success
    warnings = [_shown(w.value) for w in app.warning]
    assert re.fullmatch(r"工作总结.txt：已有同名（工作总结.txt）但内容不同的文件，另存为 工作总结_[0-9a-f]{8}.txt",
                        warnings[0]), warnings
    assert re.fullmatch(r"报告\*.txt：已有同名（报告.txt）但内容不同的文件，另存为 报告_[0-9a-f]{8}.txt",
                        warnings[1]), warnings
    assert warnings[2] == "工作总结.txt：本次已上传过同名同内容的文件，只保存一份"
    for practice in ("午餐陪餐制度", "书法进课堂", "校园足球联赛", "劳动实践基地"):
        _page(app, "检索")
        app.text_input(key="q").input(practice).run()
        assert practice in _shown(_texts(app)).replace("<mark>", "").replace("</mark>", ""), practice
    _upload(app, [("工作总结.txt", _report("西城区", "书法进课堂"))])
    assert [_shown(w.value) for w in app.warning] == ["工作总结.txt：此前已上传过同名同内容的文件，只保存一份"]
    assert len(list((indexed_copy / "uploads").iterdir())) == 4


def test_an_upload_over_the_file_count_is_refused_whole(app, indexed_copy, monkeypatch):
    monkeypatch.setenv("EDUREPORTS_MAX_UPLOAD_FILES", "2")
    _upload(app, [(f"报告{i}.txt", _report(f"第{i}区", "课后服务")) for i in range(3)])
    assert [_shown(e.value) for e in app.error] == [
        "本次上传：文件数 3 个 超过上限 2 个；如确需导入，请设置环境变量 EDUREPORTS_MAX_UPLOAD_FILES=5"]
    assert not app.success and not (indexed_copy / "uploads").exists()


def test_a_bad_upload_limit_setting_is_one_line(app, monkeypatch):
    monkeypatch.setenv("EDUREPORTS_MAX_UPLOAD_FILES", "很多")
    app.sidebar.radio(key="page").set_value("导入").run()
    assert [_shown(e.value) for e in app.error] == [
        "环境变量 EDUREPORTS_MAX_UPLOAD_FILES 的值 '很多' 不是正整数；请设为正整数（默认 50），或删除该变量"]


def test_a_file_over_the_size_limit_is_refused_and_the_others_imported(app, indexed_copy, monkeypatch):
    monkeypatch.setenv("EDUREPORTS_MAX_FILE_MB", "0.001")  # 1,048 bytes
    assert len(REPORT_TEXT.encode("utf-8")) < 1048
    _upload(app, [("大.txt", b"x" * 3000), ("小.txt", REPORT_TEXT.encode("utf-8"))])
    assert [_shown(w.value) for w in app.warning] == [
        "大.txt：文件大小 0.0029 MB 超过上限 0.001 MB；如确需导入，请设置环境变量 EDUREPORTS_MAX_FILE_MB=0.005"]
    assert app.success[0].value.startswith("导入完成：收到 2 个文件，新增或更新 1 个，已在库中 0 个，未导入 1 个；")
    assert [p.name.split("_")[0] for p in (indexed_copy / "uploads").iterdir()] == ["小"]
