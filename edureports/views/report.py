"""The 报告 page: one report to read, with a clickable outline, the opened passage in view, its figures."""

from __future__ import annotations

from pathlib import PurePath

import streamlit as st

from edureports.views import links, style
from edureports.views.figures import figure_text, flag_text
from edureports.views.text import inert, years_text


def doc_label(d) -> str:
    """A report as a reader names it: region · title (issuer when the region is unknown)."""
    place = d.region or d.issuer or "地区不详"
    return f"{place} · {d.title}"


def _forget_passage() -> None:
    st.session_state.pop("passage", None)


def _anchor(passage_id: str) -> str:
    return f"p-{passage_id}"


def _body(report, focus: str | None) -> str:
    """The passages in order, each section heading placed before its first passage, all inert."""
    sections = sorted(report.outline, key=lambda s: s.char_start)
    out, i = [], 0
    for p in report.passages:
        while i < len(sections) and sections[i].char_start <= p.char_start:
            s = sections[i]
            out.append(f"<div class='section' id='sec-{s.ord}' style='margin-left:{s.level * 0.8}em'>"
                       f"{inert(s.marker + s.title)}</div>")
            i += 1
        cls = "passage focus" if p.passage_id == focus else "passage"
        out.append(f"<div class='{cls}' id='{inert(_anchor(p.passage_id))}'>{inert(p.text)}</div>")
    return "".join(out)


def _outline(report) -> str:
    lines = []
    for s in report.outline:
        lines.append(f"<div style='margin-left:{s.level * 0.8}em'><a class='outline' href='#sec-{s.ord}'>"
                     f"{inert(s.marker + s.title)}</a></div>")
    return "".join(lines) or "<div>（本报告没有分节标题）</div>"


def figures_table(report) -> list[dict]:
    return [{"指标": m.indicator or "未识别指标", "数值": figure_text(m), "原文": m.raw, "所在句子": m.sentence, "标记": flag_text(m)}
            for m in report.metrics]


def page(eng) -> None:
    st.header("报告")
    docs = eng.store.documents()
    if not docs:
        st.info("还没有报告")
        return
    by_id = {d.doc_id: d for d in docs}
    wanted = links.seed("r_doc", "doc")
    if wanted and wanted not in by_id:
        full = eng.store.resolve_doc_id(wanted)
        if full:
            st.session_state["r_doc"] = full
        else:
            st.warning(f"没有编号为 {inert(wanted)} 的报告；请从下面的列表选择")
    links.seed("passage", "p")
    if st.session_state.get("r_doc") not in by_id:
        st.session_state["r_doc"] = docs[0].doc_id
    chosen = st.selectbox("阅读报告", list(by_id), key="r_doc", format_func=lambda i: doc_label(by_id[i]),
                          on_change=_forget_passage)
    with st.expander(f"全部报告（{len(docs)} 篇）"):
        st.dataframe([{"地区": d.region or "地区不详", "标题": d.title, "年份": years_text(d.years),
                       "文种": "、".join(d.doc_types), "段落": str(d.n_passages), "主题": "、".join(d.themes[:5])}
                      for d in docs], width="stretch", hide_index=True)
    report = eng.store.document(chosen)
    s = report.summary
    focus = st.session_state.get("passage")
    if focus and focus not in {p.passage_id for p in report.passages}:
        focus = None
    links.write("报告", doc=chosen, p=focus or "")
    if focus and not st.session_state.get("r_raw"):
        style.scroll_to(_anchor(focus))
    st.subheader(inert(s.title), anchor=False)
    st.caption(" · ".join(inert(x) for x in [PurePath(s.source.replace("\\", "/")).name, "、".join(s.doc_types),
                                             s.region or "地区不详", years_text(s.years), s.issuer] if x),
               unsafe_allow_html=True)
    if s.themes:
        st.caption("主题：" + "、".join(inert(t) for t in s.themes), unsafe_allow_html=True)
    raw = st.toggle("显示原文", key="r_raw", help="文件中的原始文字，未经清理")
    if raw:
        st.text(report.raw_text or "")
    else:
        left, right = st.columns([1, 3])
        with left:
            st.markdown("**目录**")
            st.markdown(_outline(report), unsafe_allow_html=True)
        with right:
            st.markdown(_body(report, focus), unsafe_allow_html=True)
    if report.metrics:
        st.markdown("**数据**")
        st.caption("“遮盖”为模板占位（如 xx名），无数值；“存疑”为疑似转换错误；“变化量”“原值”不是当年的数值")
        st.dataframe(figures_table(report), hide_index=True, width="stretch",
                     column_config={"指标": st.column_config.TextColumn(width="medium"),
                                    "数值": st.column_config.TextColumn(width="medium"),  # 较上年 +1.3个百分点
                                    "原文": st.column_config.TextColumn(width="small"),
                                    "所在句子": st.column_config.TextColumn(width="large"),
                                    "标记": st.column_config.TextColumn(width="small")})
    with st.expander("详情"):
        st.caption(f"报告编号 {inert(s.doc_id)} ｜ 来源文件 {inert(s.source)}", unsafe_allow_html=True)
