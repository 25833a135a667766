"""The Streamlit app: every page through streamlit.testing's AppTest, and the served app in headless Chromium.

The browser tests share one server and one browser; they open each deep link and
read the page as the analyst sees it. Screenshots go to $EDUREPORTS_SCREENSHOTS
when it is set (to look at them), else to a tmp folder.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import REPORT_TEXT, ROOT, free_port, healthy, make_docx
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
    if app.toggle(key="s_low") is not None and "有偿补课" not in _texts(app):  # below the floor: unfold it
        app.toggle(key="s_low").set_value(True).run()
    assert "有偿补课" in _texts(app) and "<mark>" in _texts(app)

    def hit_lines():
        return [m.value for m in app.markdown if re.match(r"\*\*\d+\. ", m.value)]

    assert any("广东省东莞市" not in h for h in hit_lines())
    app.text_input(key="s_region").input("东莞").run()
    assert hit_lines() and all("广东省东莞市" in h for h in hit_lines())


def test_a_hit_opens_its_report_at_the_passage(app):
    app.text_input(key="q").input("校车安全管理").run()
    open_buttons = [b for b in app.button if b.label == "打开报告"]
    open_buttons[0].click().run()
    assert not app.exception
    assert app.session_state["page"] == "报告" and app.session_state["r_doc"]
    assert app.query_params["page"] == "报告" and app.query_params["p"] == app.session_state["passage"]
    assert any(s.value for s in app.subheader)


def test_reports_page_reads_a_report_and_shows_the_original(app, indexed_copy):
    from index.store import Store

    _page(app, "报告")
    assert app.dataframe and len(app.dataframe[0].value) == 9
    assert any("一、" in m.value for m in app.markdown)
    app.toggle(key="r_raw").set_value(True).run()
    store = Store(indexed_copy)
    raw = store.document(app.session_state["r_doc"]).raw_text
    store.close()
    assert [t.value for t in app.text] == [raw]


def test_compare_shows_several_regions_for_a_theme(app):
    _page(app, "对比")
    app.selectbox(key="c_theme").set_value("学生资助").run()
    regions = {m.value.strip("*") for m in app.markdown if m.value.startswith("**") and m.value.endswith("**")}
    assert len(regions - {"数据对照"}) >= 2
    assert app.query_params["q"] == "学生资助" and app.query_params["page"] == "对比"


def test_compare_groups_the_theme_into_practices_with_a_matrix_of_links(app):
    _page(app, "对比")
    app.selectbox(key="c_theme").set_value("学生资助").run()
    assert not app.exception, app.exception
    matrix = next(m.value for m in app.markdown if "practice-matrix" in m.value)
    links = re.findall(r"href='\?([^']+)'", matrix)
    assert links, matrix[:300]
    for link in links:  # every filled cell opens a passage of the report it names
        params = dict(urllib.parse.parse_qsl(html.unescape(link)))
        assert params["page"] == "报告" and params["p"].startswith(params["doc"] + ".p")
    assert len(re.findall(r"<tr><th>", matrix)) >= 3  # three or more regions have student-aid practices
    assert any(m.value.startswith("**做法1：") for m in app.markdown)
    assert any(b.label == "下载做法归类 Excel" for b in app.get("download_button"))


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
    header = rows[0]
    assert {"地区", "年份", "指标", "数值"} <= set(header)
    indicator, value = header.index("指标"), header.index("数值")
    assert all("满意度" in r[indicator] for r in rows[1:]) and any(r[value] == "96.65" for r in rows[1:])


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
    n = len([f for f in (ROOT / "corpus").iterdir() if f.is_file()])
    assert [i.value for i in at.info] == [
        f"数据目录里还没有报告。可以先导入项目自带的示例语料（{n} 个文件），或到“导入”页上传自己的报告。"]
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
    assert not app.warning and re.search(r"^\*\*1\. ", _texts(app), re.M)
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
    header = next(_shown(m.value) for m in app.markdown if "示范区" in _shown(m.value) and m.value.startswith("**"))
    assert re.match(rf"\*\*\d+\. {re.escape(title)}\*\* · ", header), header
    assert any(re.fullmatch(rf"智慧校园_[0-9a-f]{{8}}\.txt · {re.escape(heading)} · 第1段", _shown(c.value))
               for c in app.caption), [_shown(c.value) for c in app.caption]
    passage = next(_shown(m.value) for m in app.markdown if MARKUP in _shown(m.value))
    assert "<mark>智慧校园" in passage
    n = re.match(r"\*\*(\d+)\. ", header).group(1)
    app.button(key=next(b.key for b in app.button if b.label == "打开报告" and b.key.endswith(f"_{n}"))).click().run()
    outline = re.compile(r"<a class='outline' href='#sec-\d+'>")  # the outline's own in-page links
    reading = [outline.sub("", x) for x in
               [s.value for s in app.subheader] + [m.value for m in app.markdown] + [c.value for c in app.caption]]
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


# -- what the analyst sees: internals folded away, state in the URL, charts of one unit ---------------------------


def _charts(at: AppTest) -> list:
    found = []

    def walk(node):
        if getattr(node, "type", "") == "vega_lite_chart":
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def test_a_hit_keeps_internals_in_its_details_and_names_its_source_in_words(app):
    app.text_input(key="q").input("校车安全管理").run()
    first = next(m.value for m in app.markdown if m.value.startswith("**1. "))
    assert "得分" not in first and "@" not in first
    assert any(re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt · .+ · 第\d+段", _shown(c.value)) for c in app.caption)
    details = [e for e in app.expander if e.label == "详情"]
    assert details and "得分" in _shown(details[0].caption[0].value)


def test_a_report_gives_a_few_hits_unless_all_are_asked_for(app):
    def per_report():
        titles = [re.match(r"\*\*\d+\. (.+?)\*\* · (.+?) · ", html.unescape(m.value)).groups()
                  for m in app.markdown if re.match(r"\*\*\d+\. ", m.value)]
        return {t: titles.count(t) for t in titles}

    app.text_input(key="q").input("学生资助").run()
    app.slider(key="s_k").set_value(20).run()
    if app.toggle(key="s_low") is not None:
        app.toggle(key="s_low").set_value(True).run()
    assert per_report() and max(per_report().values()) <= 3, per_report()
    app.toggle(key="s_all").set_value(True).run()
    assert max(per_report().values()) > 3, per_report()  # the student-aid report has many such passages
    assert app.query_params["per"] == "all"


def test_typing_a_query_writes_it_into_the_url(app):
    app.text_input(key="q").input("集团化办学").run()
    app.text_input(key="s_region").input("青岛").run()
    assert {k: app.query_params[k] for k in app.query_params} == {
        "page": "检索", "q": "集团化办学", "region": "青岛"}


def test_a_deep_link_opens_its_page_with_its_state(indexed_copy, monkeypatch):
    monkeypatch.setenv("EDUREPORTS_DATA", str(indexed_copy))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["page"] = "指标"
    at.query_params["indicator"] = "满意度"
    at.run()
    assert not at.exception and at.sidebar.radio(key="page").value == "指标"
    assert at.text_input(key="m_ind").value == "满意度"


def test_a_district_link_shows_its_profile_and_a_peer_opens_in_its_place(indexed_copy, monkeypatch):
    monkeypatch.setenv("EDUREPORTS_DATA", str(indexed_copy))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["page"] = "地区"
    at.query_params["region"] = "东莞"
    at.run()
    assert not at.exception and [s.value for s in at.subheader] == ["广东省东莞市"]
    assert at.query_params["region"] == "广东省东莞市"
    assert "**历年**" in [m.value for m in at.markdown]
    timeline = next(d.value for d in at.dataframe if "来源" in d.value.columns)
    assert "推算（据较上年变化）" in set(timeline["来源"]) and "报告原文" in set(timeline["来源"])
    assert list(timeline["年份"]) == sorted(timeline["年份"])  # years in order
    assert any(c.value.startswith("2016年：") or c.value.startswith("2017年：") for c in at.caption)
    assert any(b.label == "下载地区概况 Excel" for b in at.get("download_button"))
    peer = next(m.value for m in at.markdown if "相似度" in m.value)
    at.button(key="d_peer_0").click().run()
    name = re.match(r"\*\*(.+?)\*\*", html.unescape(peer)).group(1)
    assert [html.unescape(s.value) for s in at.subheader] == [name]


def test_compare_from_a_hit_and_its_word_export_name_every_column(app, monkeypatch):
    import docx

    served = _served_files(monkeypatch)
    app.text_input(key="q").input("学生资助").run()
    next(b for b in app.button if b.label == "对比").click().run()
    assert not app.exception and app.session_state["page"] == "对比"
    assert app.query_params["q"] == "学生资助"
    columns = [m.value.strip("*") for m in app.markdown
               if m.value.startswith("**") and m.value.endswith("**") and m.value != "**数据对照**"]
    assert len(columns) >= 2
    button = next(b for b in app.get("download_button") if b.proto.label == "下载 Word")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(served[button.proto.url])).paragraphs)
    assert all(html.unescape(c) in text for c in columns), (columns, text[:500])
    picker = app.multiselect[0]
    doc_id, label = picker.value[0], picker.options[0]  # every report by default, in column order
    picker.set_value([doc_id]).run()  # narrowed to one column: the URL says which
    assert app.query_params["region"] == label


def _chart_rows(chart) -> list[dict]:
    """The rows a chart draws (Streamlit sends inline chart data as an Arrow table)."""
    import pyarrow as pa

    return pa.ipc.open_stream(chart.proto.data.data).read_all().to_pylist()


def test_metric_charts_hold_one_indicator_and_one_unit_each(app):
    import json

    _page(app, "指标")
    app.text_input(key="m_ind").input("学位").run()
    charts = _charts(app)
    assert len(charts) >= 2  # 优质学位 in 个 and 民办学位 in 个: two indicators, two charts
    for chart in charts:
        spec, rows = json.loads(chart.proto.spec), _chart_rows(chart)
        indicator, unit = re.fullmatch(r"(.+)（(.+)）", spec["title"]).groups()
        assert {r["指标"] for r in rows} == {indicator} and {r["单位"] for r in rows} == {unit}, (spec["title"], rows)
        assert spec["encoding"]["y"]["stack"] is None  # two figures of one region stand side by side, never summed
        assert "xOffset" in spec["encoding"]


# -- the bar: the served app in headless Chromium, opened by its deep links -------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                   reason="Chromium or chromedriver not installed (apt-get install chromium chromium-driver)")
# What must never reach the reader: numbers in e-notation, empty values, Streamlit's English chrome, internals.
SCIENTIFIC = re.compile(r"(?<![0-9A-Za-z])\d(?:\.\d+)?[eE][+-]?\d+(?![0-9A-Za-z])")  # 3.1e+06, not a file's hash
EMPTY = re.compile(r"\bNone\b|\bNaN\b|\bnan\b|\?")
ENGLISH = re.compile(r"\b(?:Deploy|Upload|Browse files|Drag and drop|Limit \d+MB|change|score|Running|Stop)\b")
STUDENT_AID = ("资助", "助学金", "助学贷款", "免学费", "免除学费")
GENERIC_WORDS = {"学生", "管理", "工作"}  # words every report uses: a highlight on them alone says nothing



@pytest.fixture(scope="module")
def served(indexed_corpus, tmp_path_factory):
    """One app server for every browser test, on a private copy of the indexed corpus (started as edureports app
    starts it: from the project folder, so .streamlit/config.toml applies)."""
    folder = tmp_path_factory.mktemp("served")
    data = Path(shutil.copytree(indexed_corpus, folder / "data"))
    port, log_path = free_port(), folder / "streamlit.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        env={**os.environ, "EDUREPORTS_DATA": str(data)}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    if not healthy(port):
        proc.terminate()
        pytest.fail(f"the app did not start: {log_path.read_text()[-500:]}")
    yield {"url": url, "data": data, "log": log_path}
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def browser(served, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-component-update",
                 "--disable-sync", "--window-size=1400,1800", "--lang=zh-CN",
                 f"--user-data-dir={tmp_path_factory.mktemp('profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the screenshots go: $EDUREPORTS_SCREENSHOTS when set (to look at them), else a tmp folder."""
    folder = Path(os.environ.get("EDUREPORTS_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _settled(driver, done, timeout: float = 120) -> str:
    """Wait until the script has finished and `done(body text)` holds; returns the visible text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def ready(d):
        idle = d.find_elements(By.CSS_SELECTOR, "[data-testid=stApp][data-test-script-state=notRunning]")
        body = d.find_element(By.TAG_NAME, "body").text
        return body if idle and done(body) else False

    def drawn(d):  # charts draw after the last message: wait for each to have its picture, no stale element left
        charts = d.find_elements(By.CSS_SELECTOR, "[data-testid=stVegaLiteChart]")
        return (all(c.find_elements(By.CSS_SELECTOR, "svg, canvas") for c in charts)
                and not d.find_elements(By.CSS_SELECTOR, "[data-stale=true]"))

    wait = WebDriverWait(driver, timeout, poll_frequency=0.3)
    body = wait.until(ready)
    wait.until(drawn)
    return driver.find_element(By.TAG_NAME, "body").text if done(body) else body


# The page scrolls inside Streamlit's main container, not the window: its height is the tallest scroll height.
_PAGE_HEIGHT = ("var h=document.scrollingElement.scrollHeight;document.querySelectorAll('[data-testid=stMain]')"
                ".forEach(function(e){h=Math.max(h,e.scrollHeight);});return h;")


def _shoot(driver, path: Path, full: bool = True) -> None:
    """Save a screenshot of the whole page (the window grown to the page's height, then put back)."""
    size = driver.get_window_size()
    height = driver.execute_script(_PAGE_HEIGHT) if full else 0
    if height > size["height"]:
        driver.set_window_size(size["width"], min(height + 120, 12000))
        time.sleep(0.3)  # the charts redraw at the new width-height (no event tells when they have)
    driver.save_screenshot(str(path))
    if height > size["height"]:
        driver.set_window_size(size["width"], size["height"])


def _open(driver, served, shots: Path, name: str, params: dict, done, full: bool = True) -> str:
    driver.get(f"{served['url']}/?{urllib.parse.urlencode(params)}")
    body = _settled(driver, done)
    _shoot(driver, shots / f"{name}.png", full)
    assert SCIENTIFIC.search(body) is None, SCIENTIFIC.search(body)
    assert EMPTY.search(body) is None, body[max(0, EMPTY.search(body).start() - 80):EMPTY.search(body).end() + 80]
    assert ENGLISH.search(body) is None, ENGLISH.search(body)
    return body


def _comes_into_view(driver, element, timeout: float = 20) -> bool:
    """Wait (polling, no fixed sleep) until the element's top is inside the window; False if it never is."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    top = "var t=arguments[0].getBoundingClientRect().top;return t>=0&&t<window.innerHeight;"
    try:
        return WebDriverWait(driver, timeout, 0.2).until(lambda d: d.execute_script(top, element))
    except TimeoutException:
        return False


def _report_ids(data: Path) -> tuple[str, str]:
    """A report with a region and one of its passages from the middle (far below the fold)."""
    from index.store import Store

    store = Store(data)
    try:
        doc = max((d for d in store.documents() if d.region), key=lambda d: d.n_passages)
        report = store.document(doc.doc_id, with_text=False)
        return doc.doc_id, report.passages[len(report.passages) * 2 // 3].passage_id
    finally:
        store.close()


def _report_names(data: Path) -> set[str]:
    """Every report as the 主题 heatmap names its row: region · the whole title."""
    from index.store import Store

    store = Store(data)
    try:
        return {f"{d.region or '地区不详'} · {d.title}" for d in store.documents()}
    finally:
        store.close()


def _aid_regions(data: Path) -> set[str]:
    """Column headings the 学生资助 comparison must show: each report with a passage about student aid."""
    from index.compare import column_title
    from index.records import Comparison
    from index.store import Store

    store = Store(data)
    try:
        out = set()
        for d in store.documents():
            report = store.document(d.doc_id, with_text=False)
            if any(w in p.text for p in report.passages for w in STUDENT_AID):
                out.add(column_title(Comparison(d.region, d.doc_id, d.title, d.years, d.source, 0.0, (), d.issuer)))
        return out
    finally:
        store.close()


@needs_browser
def test_a_query_typed_in_the_box_shows_graded_hits_without_scores(browser, served, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    body = _open(browser, served, shots, "检索_输入", {}, lambda b: "检索词" in b)
    assert "有偿补课" not in body
    browser.find_element(By.CSS_SELECTOR, "input[aria-label='检索词']").send_keys("有偿补课治理", Keys.ENTER)
    body = _settled(browser, lambda b: "打开报告" in b)
    _shoot(browser, shots / "检索_输入后.png")
    assert "有偿补课" in body and "相关度高" in body
    assert "得分" not in body  # scores sit behind the 详情 expander


@needs_browser
def test_search_link_keeps_its_state(browser, served, shots):
    body = _open(browser, served, shots, "检索", {"page": "检索", "q": "双减", "region": "广东"},
                 lambda b: "没有找到相关内容" in b or "条结果" in b)
    assert "没有找到相关内容" in body or "广东" in body  # hits, if any, are 广东's
    params = urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)
    assert params == {"page": ["检索"], "q": ["双减"], "region": ["广东"]}  # the link is kept as it came


@needs_browser
def test_out_of_domain_query_says_nothing_was_found(browser, served, shots):
    body = _open(browser, served, shots, "检索_无结果", {"page": "检索", "q": "量子芯片光刻机"},
                 lambda b: "没有找到相关内容" in b or "条结果" in b)
    assert "没有找到相关内容" in body and "条结果" not in body


@needs_browser
def test_report_link_scrolls_to_the_passage_and_marks_it(browser, served, shots):
    from selenium.webdriver.common.by import By

    doc_id, passage_id = _report_ids(served["data"])
    _open(browser, served, shots, "报告", {"page": "报告", "doc": doc_id, "p": passage_id}, lambda b: "目录" in b,
          full=False)
    focus = browser.find_element(By.ID, f"p-{passage_id}")
    assert "focus" in focus.get_attribute("class")
    height = browser.execute_script("return window.innerHeight")
    assert _comes_into_view(browser, focus), "the opened passage was not scrolled into view"
    browser.save_screenshot(str(shots / "报告.png"))
    # the outline stays beside the text: scrolled down to the passage, its first entry is still in view
    first = browser.find_elements(By.CSS_SELECTOR, "a.outline")[0]
    assert 0 <= browser.execute_script("return arguments[0].getBoundingClientRect().top", first) < height / 2
    # the outline is clickable: its last entry brings its section into view
    link = browser.find_elements(By.CSS_SELECTOR, "a.outline")[-1]
    section = browser.find_element(By.ID, link.get_attribute("href").split("#")[1])
    link.click()
    assert _comes_into_view(browser, section), "the outline entry did not bring its section into view"


@needs_browser
def test_compare_link_shows_every_region_with_student_aid(browser, served, shots):
    from selenium.webdriver.common.by import By

    expected = _aid_regions(served["data"])
    body = _open(browser, served, shots, "对比", {"page": "对比", "q": "学生资助"}, lambda b: "个地区或报告涉及" in b)
    assert len(expected) >= 3
    assert {r for r in expected if r not in body} == set()
    assert "下载 Excel" in body and "下载 Word" in body and "数据对照" in body
    marks = {m.text for m in browser.find_elements(By.TAG_NAME, "mark")}
    assert "学生资助" in marks and not marks & GENERIC_WORDS, marks  # 学生 alone is never highlighted
    # 做法归类: unfolded, a district x practice matrix whose filled cells are links
    from selenium.webdriver.support.ui import WebDriverWait

    fold = next(e for e in browser.find_elements(By.CSS_SELECTOR, "[data-testid=stExpander] summary") if "做法归类" in e.text)
    browser.execute_script("arguments[0].scrollIntoView()", fold)
    fold.click()
    matrix = WebDriverWait(browser, 120, 0.3).until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.practice-matrix"))[0]
    _shoot(browser, shots / "对比_做法归类.png")
    rows = matrix.find_elements(By.CSS_SELECTOR, "tr")[1:]
    assert len(rows) >= 3 and all(r.find_elements(By.CSS_SELECTOR, "a[href*='page=']") for r in rows)


@needs_browser
def test_metrics_link_draws_one_unit_per_chart(browser, served, shots):
    from selenium.webdriver.common.by import By

    _open(browser, served, shots, "指标", {"page": "指标", "indicator": "学位"}, lambda b: "图表" in b)
    charts = browser.find_elements(By.CSS_SELECTOR, "[data-testid=stVegaLiteChart]")
    assert len(charts) >= 2
    for chart in charts:
        title = chart.find_element(By.CSS_SELECTOR, ".role-title-text").text
        bars = [b.get_attribute("aria-label") for b in chart.find_elements(By.CSS_SELECTOR, "[aria-roledescription=bar]")]
        units = {re.search(r"单位 (\S+)", b).group(1) for b in bars}
        assert bars and units == {re.fullmatch(r".+（(.+)）", title).group(1)}, (title, bars)
        assert all(" · 学位" not in b or "学位" in title for b in bars)
        # each bar is labelled with its figure as written (two bars of one region read apart: 近2万个, 16万个)
        drawn = sorted(t.text for t in chart.find_elements(By.CSS_SELECTOR, "[aria-roledescription='text mark']"))
        assert drawn == sorted(b.split(" · ")[3] for b in bars), (drawn, bars)


@needs_browser
def test_themes_districts_and_import_pages_read_in_chinese(browser, served, shots):
    from selenium.webdriver.common.by import By

    body = _open(browser, served, shots, "主题", {"page": "主题"}, lambda b: "查看主题下的段落" in b)
    assert re.search(r"共 \d+ 个主题", body)
    heatmap = browser.find_elements(By.CSS_SELECTOR, "[data-testid=stVegaLiteChart]")[0]
    labels = [t.text for t in heatmap.find_elements(By.CSS_SELECTOR, ".role-axis-label text")]
    reports = [x for x in labels if " · " in x]
    assert len(reports) >= 5 and not [x for x in labels if x.endswith("…")], labels  # every row named in full
    assert set(reports) <= _report_names(served["data"]), reports
    body = _open(browser, served, shots, "地区", {"page": "地区", "region": "东莞"}, lambda b: "相似的地区" in b)
    assert "广东省东莞市" in body and "关键数字" in body
    body = _open(browser, served, shots, "导入", {"page": "导入"}, lambda b: "上传报告" in b)
    button = browser.find_element(By.CSS_SELECTOR, "[data-testid=stFileUploaderDropzone] button")
    after = browser.execute_script("return getComputedStyle(arguments[0], '::after').content", button)
    assert after == '"选择文件"'
    assert not [e for e in browser.find_elements(By.CSS_SELECTOR, "[data-testid=stAppDeployButton], #MainMenu")
                if e.is_displayed()]


@needs_browser
def test_a_hit_names_its_source_in_words_opens_its_report_and_the_url_follows(browser, served, shots):
    from selenium.webdriver.common.by import By

    body = _open(browser, served, shots, "检索_校车", {"page": "检索", "q": "校车安全管理"}, lambda b: "条结果" in b)
    assert re.search(r"共 \d+ 条结果", body)
    assert re.search(r"\d{3}_[0-9a-f]{16}\.txt · .+ · 第\d+段", body)  # the source as 文件名 · 章节 · 第N段
    assert "得分" not in body and "corpus/" not in body and ".p0" not in body  # internals stay in 详情
    marks = {m.text for m in browser.find_elements(By.TAG_NAME, "mark")}
    assert "校车" in marks and not marks & GENERIC_WORDS, marks  # the query's 管理 is never highlighted alone
    next(b for b in browser.find_elements(By.TAG_NAME, "button") if b.text == "打开报告").click()
    _settled(browser, lambda b: "目录" in b)
    params = urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)
    assert params["page"] == ["报告"] and params["doc"] and params["p"]
    focus = browser.find_element(By.ID, f"p-{params['p'][0]}")
    assert 0 <= browser.execute_script("return arguments[0].getBoundingClientRect().top", focus) < 1800
    browser.save_screenshot(str(shots / "报告_从检索打开.png"))
    browser.back()


@needs_browser
def test_an_upload_waits_for_another_ingest_then_is_imported(browser, served, shots, tmp_path):
    """While another process (here: this test) holds the data dir's ingest lock, the page says the upload waits."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from edureports.views.upload import WAITING
    from index.lock import IngestLock

    report = tmp_path / "等待导入.txt"
    report.write_bytes(_report("临湖区", "研学旅行课程"))
    _open(browser, served, shots, "导入_等待", {"page": "导入"}, lambda b: "上传报告" in b, full=False)
    lock = IngestLock(served["data"])
    lock.acquire()
    try:
        browser.find_element(By.CSS_SELECTOR, "[data-testid=stFileUploader] input[type=file]").send_keys(str(report))
        _settled(browser, lambda b: "导入上传的文件" in b)  # the upload's own rerun has finished
        next(b for b in browser.find_elements(By.TAG_NAME, "button") if b.text == "导入上传的文件").click()
        body = WebDriverWait(browser, 60, 0.2).until(
            lambda d: WAITING in (t := d.find_element(By.TAG_NAME, "body").text) and t)
        _shoot(browser, shots / "导入_等待中.png", full=False)
        assert "导入完成" not in body and "ingest.lock" not in body and str(served["data"]) not in body
        assert "等待导入.txt" in body and not re.search(r"\d\.\d+[KMG]?B\b", body)  # no 259.0B
    finally:
        lock.release()
    body = _settled(browser, lambda b: "导入完成" in b)
    _shoot(browser, shots / "导入_完成.png")
    assert WAITING not in body
    assert re.search(r"导入完成：收到 1 个文件，新增或更新 1 个，已在库中 0 个，未导入 0 个；写入 1 篇报告", body), body
    titles = {name.split(" · ", 1)[1] for name in _report_names(served["data"])}
    assert "临湖区2023年教育工作总结" in titles  # in the archive, under its own title


@needs_browser
def test_the_server_printed_no_traceback(served, browser):
    log = served["log"].read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "Session State" not in log and "deprecat" not in log.lower(), log[-2000:]


@pytest.mark.parametrize("error, shown", [
    (OSError("[Errno 28] No space left on device: '/srv/edu/data/edureports.sqlite'"),
     "出错了：这一步没有完成，请重试；若仍出错，请把服务器日志交给管理员"),
    (RuntimeError("无法读取 /srv/edu/data/index/keyword.idx：文件已损坏\n第二行"), "出错了：无法读取 keyword.idx：文件已损坏"),
])
def test_an_unexpected_error_is_one_chinese_line_without_server_paths(app, monkeypatch, error, shown):
    from edureports.views import metrics

    def broken(eng):
        raise error

    monkeypatch.setattr(metrics, "page", broken)
    app.sidebar.radio(key="page").set_value("指标").run()
    assert not app.exception and [_shown(e.value) for e in app.error] == [shown]
