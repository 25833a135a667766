"""One search hit as the analyst reads it: report, source as 文件名 · 章节 · 第N段, text, actions; internals in 详情."""

from __future__ import annotations

import inspect

import streamlit as st

from edureports.views.figures import figure_line
from edureports.views.text import highlight, inert, years_text
from index.compare import excerpt, source_label
from index.filters import Filters

LOW = "低"


PER_REPORT = 3  # hits of one report shown unless the analyst asks for all of them


def run_search(eng, query: str, top_k: int, filters: Filters, per_report: int = PER_REPORT) -> list:
    """Hits above and below the relevance floor, at most `per_report` per report (0: no cap)."""
    accepted = inspect.signature(eng.search).parameters
    extra = {k: v for k, v in (("include_low", True), ("per_report", per_report)) if k in accepted}
    return eng.search(query, top_k=top_k, filters=filters, **extra)


def is_low(hit) -> bool:
    """Below the calibrated relevance floor (shown only folded, under 以下相关度较低)."""
    return getattr(getattr(hit, "grade", ""), "value", getattr(hit, "grade", "")) == LOW


def open_report(doc_id: str, passage_id: str) -> None:
    """Button callback: runs before the next rerun, so it may switch the page widget."""
    st.session_state["page"] = "报告"
    st.session_state["r_doc"] = doc_id
    st.session_state["passage"] = passage_id


def compare_from(query: str) -> None:
    """Button callback: the 对比 page for what was searched, every report that has it."""
    st.session_state["page"] = "对比"
    st.session_state["_link"] = {"q": query}


def show_hit(eng, hit, n: int, figs: list, query: str = "", similar: bool = True) -> None:
    with st.container(border=True):
        grade = getattr(getattr(hit, "grade", ""), "value", getattr(hit, "grade", ""))
        st.markdown(f"**{n}. {inert(hit.title)}** · {inert(hit.region or '地区不详')} · {years_text(hit.years)}"
                    + (f" · 相关度{grade}" if grade else ""), unsafe_allow_html=True)
        st.caption(inert(source_label(hit)), unsafe_allow_html=True)
        st.markdown(highlight(hit.text, hit.spans, getattr(hit, "sentence", None)), unsafe_allow_html=True)
        if hit.themes:
            st.caption("主题：" + "、".join(inert(t) for t in hit.themes), unsafe_allow_html=True)
        if figs:
            st.caption("数据：" + "；".join(inert(figure_line(m)) for m in figs[:8]), unsafe_allow_html=True)
        c1, c2, c3 = st.columns([1, 1, 2])
        c1.button("打开报告", key=f"open_{hit.passage_id}_{n}", on_click=open_report, args=(hit.doc_id, hit.passage_id))
        if query:
            c2.button("对比", key=f"cmp_{hit.passage_id}_{n}", on_click=compare_from, args=(query,),
                      help="各地区、各报告在这一做法上的对比")
        if similar and c3.toggle("其他地区的类似做法", key=f"sim_{hit.passage_id}_{n}"):
            others = eng.similar(hit.passage_id, top_k=3)
            if not others:
                st.caption("其他报告里没有类似段落")
            for other in others:
                st.markdown(f"- **{inert(other.region or '地区不详')}** {inert(other.title)}："
                            f"{inert(excerpt(other.text, limit=120)[0])}", unsafe_allow_html=True)
        with st.expander("详情"):
            relevance = getattr(hit, "relevance", None)
            st.caption(" ｜ ".join(filter(None, [
                f"得分 {hit.score:.4f}",
                f"相关度 {relevance:.2f}" if isinstance(relevance, float) else "",
                f"来源文件 {inert(hit.source)}",
                f"位置 第{hit.char_start}—{hit.char_end}字",
                f"段落编号 {inert(hit.passage_id)}",
                f"报告编号 {inert(hit.doc_id)}",
            ])), unsafe_allow_html=True)
