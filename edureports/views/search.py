"""The 检索 page: a query and filters in, hits above the relevance floor out, the weak ones folded away."""

from __future__ import annotations

import streamlit as st

from edureports.views import links
from edureports.views.figures import figures_of
from edureports.views.hits import PER_REPORT, is_low, run_search, show_hit
from index.filters import Filters

NO_RESULT = "没有找到相关内容"
LOW_DIVIDER = "以下相关度较低"
ALL = "all"  # ?per=all: every hit of a report, not the first few


def filter_widgets(eng, key: str) -> tuple[Filters, dict]:
    """Theme, region, year and report-kind filters; returns them and their URL parameters."""
    themes, kinds = eng.store.theme_names(), eng.store.doc_types()
    links.seed(f"{key}_theme", "theme", themes)
    links.seed(f"{key}_region", "region")
    links.seed(f"{key}_year", "year")
    links.seed(f"{key}_type", "type", kinds)
    c1, c2, c3, c4 = st.columns(4)
    theme = c1.selectbox("主题", [""] + themes, key=f"{key}_theme", format_func=lambda t: t or "全部主题")
    region = c2.text_input("地区", key=f"{key}_region", placeholder="如 山东、东莞")
    year = c3.text_input("年份", key=f"{key}_year", placeholder="如 2021 或 2019-2021")
    doc_type = c4.selectbox("文种", [""] + kinds, key=f"{key}_type", format_func=lambda t: t or "全部文种")
    params = {"theme": theme, "region": region.strip(), "year": year.strip(), "type": doc_type}
    return Filters.parse(theme, region, year, doc_type), params


def page(eng) -> None:
    st.header("检索")
    links.seed("q", "q")
    query = st.text_input("检索词", key="q", placeholder="如：减少孩子课外补习、集团化办学、满意度")
    filters, params = filter_widgets(eng, "s")
    if links.seed("_s_per", "per") == ALL:
        st.session_state["s_all"] = True
    k, every = st.columns([3, 1], vertical_alignment="bottom")
    top_k = k.slider("显示条数", 5, 30, 10, key="s_k")
    show_all = every.toggle("同一报告的段落全部显示", key="s_all",
                            help=f"默认每篇报告最多显示 {PER_REPORT} 条，以便看到更多报告")
    links.write("检索", q=query.strip(), **params, per=ALL if show_all else "")
    if not query.strip():
        return
    with st.spinner("检索中…"):
        hits = run_search(eng, query, top_k, filters, per_report=0 if show_all else PER_REPORT)
    strong = [h for h in hits if not is_low(h)]
    weak = [h for h in hits if is_low(h)]
    if strong:
        st.caption(f"共 {len(strong)} 条结果")
    else:
        st.info(NO_RESULT)
        if any(params[k] for k in ("theme", "region", "year", "type")):
            st.caption("已按筛选条件缩小范围，可放宽主题、地区、年份或文种后再试")
    figures = figures_of(eng.store, [h.passage_id for h in hits])
    for i, hit in enumerate(strong, 1):
        show_hit(eng, hit, i, figures[hit.passage_id], query=query.strip())
    if weak:  # folded: drawn only when asked for, so a page of weak hits costs nothing until then
        st.divider()
        if st.toggle(f"{LOW_DIVIDER}（{len(weak)} 条）", key="s_low", help="低于相关度下限的段落，仅供参考"):
            for i, hit in enumerate(weak, len(strong) + 1):
                show_hit(eng, hit, i, figures[hit.passage_id], query=query.strip())
