"""Streamlit front end: 检索, 报告, 对比, 地区, 主题, 指标, 导入 over one data dir.

Run with `edureports app` or `streamlit run app.py` ($EDUREPORTS_DATA picks the
data dir). This file only routes: each page lives in edureports/views/, and
every page's state is in the URL (?page=检索&q=双减&region=广东), so a view can
be bookmarked and shared. Only public functions of `ingest` and `index` are
used; the encoder is loaded once per process, each browser session has one
engine, closed when the session ends, and every error becomes a message.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import streamlit as st

from edureports.settings import data_dir
from edureports.views import compare, districts, links, metrics, report, search, style, themes, upload
from edureports.views.resources import engine
from edureports.views.text import inert, no_paths
from index.filters import FilterError
from index.search import SearchError

ROOT = Path(__file__).resolve().parent

st.set_page_config(page_title="教育工作报告检索", layout="wide", menu_items={})


def reader_message(exc: Exception) -> str:
    """What the analyst reads of an unexpected error: our own (Chinese) message without paths, else a plain line.

    Library errors arrive in English and may name server files; the server log keeps them.
    """
    text = no_paths(str(exc)).strip()
    if re.search(r"[\u4e00-\u9fff]", text):
        return text.splitlines()[0]
    return "这一步没有完成，请重试；若仍出错，请把服务器日志交给管理员"


def main() -> None:
    style.apply()
    links.load()
    root = data_dir()
    try:
        eng = engine(str(root))
    except Exception as exc:  # noqa: BLE001 - any failure to open the data dir is shown, not raised
        print(f"无法打开数据目录 {root}：{exc}", file=sys.stderr)
        st.error(inert(f"无法打开数据目录：{no_paths(str(exc))}；请检查 EDUREPORTS_DATA 或用 edureports app --data 指定"))
        return
    st.sidebar.title("教育工作报告")
    page = st.sidebar.radio("页面", links.PAGES, key="page")
    try:
        if not eng.store.counts()["documents"] and page != "导入":
            upload.first_start(eng, ROOT / "corpus")
            return
        pages = {"检索": search.page, "报告": report.page, "对比": compare.page, "地区": districts.page, "主题": themes.page,
                 "指标": metrics.page, "导入": lambda e: upload.page(e, root)}
        pages[page](eng)
    except (SearchError, FilterError) as exc:
        st.warning(inert(no_paths(str(exc))))  # messages echo what was typed: shown as text
    except Exception as exc:  # noqa: BLE001 - the page shows a message, never a traceback
        print(f"{page}：{type(exc).__name__}: {exc}", file=sys.stderr)  # one line for whoever runs the server
        st.error(inert(f"出错了：{reader_message(exc)}"))


main()
