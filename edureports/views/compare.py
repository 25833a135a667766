"""The 对比 page: a theme or practice, report by report side by side, figures aligned, exported for a briefing."""

from __future__ import annotations

import html
import urllib.parse

import streamlit as st

from edureports.views import links
from edureports.views.text import highlight, inert, years_text
from index import export
from index.compare import aligned, column_titles, excerpt, figures_of, source_label

MODES = ("按主题", "按做法")
PER_ROW = 3
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def comparisons(eng, query: str) -> list:
    """Every report that has the theme or practice (not a top few), best report first."""
    n = max(1, eng.store.counts()["documents"])
    return list(eng.compare(query, per_report=3, reports=n))


def _exports(query: str, rows, figures) -> None:
    """Excel and Word downloads of what is shown (passages with their sources, figures as a table)."""
    found = [(label, fn, ext, mime) for label, fn, ext, mime in (
        ("下载 Excel", getattr(export, "comparison_xlsx", None), "xlsx", XLSX),
        ("下载 Word", getattr(export, "comparison_docx", None), "docx", DOCX)) if fn is not None]
    if not found:
        return
    cols = st.columns(len(found) + 2)
    for col, (label, fn, ext, mime) in zip(cols, found):
        try:
            data = fn(query, rows, figures)
        except Exception:  # noqa: BLE001 - an export that fails must not take the page with it
            col.caption(f"{label}暂不可用")
            continue
        col.download_button(label, data, f"对比_{query}.{ext}", mime, key=f"c_{ext}")


def practice_matrix(m) -> str:
    """The district x practice matrix as an HTML table whose every filled cell opens its first passage.

    Links are deep links (?page=报告&doc=…&p=…), so a cell opens the report
    scrolled to that passage and can be bookmarked like any other view.
    """
    where = {pp.passage_id: pp.doc_id for g in m.groups for pp in g.passages}
    head = "".join(f"<th>做法{i}<br>{html.escape(g.label)}</th>" for i, g in enumerate(m.groups, 1))
    rows = []
    for d in m.districts:
        cells = []
        for i in range(len(m.groups)):
            cell = m.cell(d, i)
            if cell is None or not cell.passage_ids:
                cells.append("<td></td>")
                continue
            first = cell.passage_ids[0]
            href = "?" + urllib.parse.urlencode({"page": "报告", "doc": where.get(first, ""), "p": first})
            cells.append(f"<td><a href='{html.escape(href)}' target='_self'>● {len(cell.passage_ids)} 段</a></td>")
        rows.append(f"<tr><th>{html.escape(d)}</th>{''.join(cells)}</tr>")
    return f"<table class='practice-matrix'><tr><th>地区</th>{head}</tr>{''.join(rows)}</table>"


def _practices(eng, query: str) -> None:
    """做法归类: the passages of the theme or practice grouped into practices, and who did which."""
    from index.analysis_export import practice_xlsx
    from index.practices import practice_map

    with st.expander("做法归类：各地用了哪些做法", expanded=False):
        # Streamlit runs a folded expander's body on every rerun: the map (a search and a clustering) is
        # kept per session for this query and archive state, so changing the column choice does not redo it.
        key = (query, eng.store.generation())
        m = st.session_state.get("_c_map", {}).get(key)
        if m is None:
            with st.spinner("归类中…"):
                try:
                    m = practice_map(eng, query)
                except Exception as exc:  # noqa: BLE001 - the grouping must not take the comparison with it
                    st.info(f"暂时无法归类：{str(exc).splitlines()[0]}")
                    return
            st.session_state["_c_map"] = {key: m}
        if not m.groups:
            st.info("没有可归类的段落")
            return
        n = sum(len(g.passages) for g in m.groups)
        st.caption(f"{n} 个段落归为 {len(m.groups)} 种做法；点格子打开该地区这一做法的段落")
        st.markdown(practice_matrix(m), unsafe_allow_html=True)
        for i, g in enumerate(m.groups, 1):
            st.markdown(f"**做法{i}：{inert(g.label)}**（{len(g.districts)} 个地区）", unsafe_allow_html=True)
            st.caption(inert(g.sentence), unsafe_allow_html=True)
        st.download_button("下载做法归类 Excel", practice_xlsx(m), f"做法归类_{query}.xlsx", XLSX, key="c_practices")


def page(eng) -> None:
    st.header("对比")
    themes = eng.store.theme_names()
    wanted = links.seed("_c_q", "q")
    if wanted:
        st.session_state["c_mode"] = MODES[0] if wanted in themes else MODES[1]
        st.session_state["c_theme" if wanted in themes else "c_query"] = wanted
    picked_regions = [r for r in links.seed("_c_regions", "region").split(",") if r]
    mode = st.radio("对比方式", MODES, horizontal=True, key="c_mode")
    if mode == MODES[0]:
        if st.session_state.get("c_theme") not in themes:
            st.session_state["c_theme"] = "学生资助" if "学生资助" in themes else (themes[0] if themes else None)
        query = st.selectbox("主题", themes, key="c_theme") or ""
    else:
        query = st.text_input("做法", key="c_query", placeholder="如：校外培训机构治理、课后服务").strip()
    if not query:
        links.write("对比")
        st.info("选择一个主题，或输入一种做法")
        return
    with st.spinner("对比中…"):
        rows = comparisons(eng, query)
    if not rows:
        links.write("对比", q=query)
        st.info("没有报告涉及这一主题或做法")
        return
    labels = dict(zip((r.doc_id for r in rows), column_titles(rows)))
    options = [r.doc_id for r in rows]
    pick = f"c_pick_{query}"  # one choice per theme or practice, kept while the analyst works
    if picked_regions:  # from the URL: the columns it names
        st.session_state[pick] = [d for d in options if any(p in labels[d] for p in picked_regions)] or options
    if pick not in st.session_state or not set(st.session_state[pick]) <= set(options):
        st.session_state[pick] = options  # default: every report that has it
    chosen = st.multiselect("参与对比的地区或报告（默认全部）", options, format_func=labels.get, key=pick,
                            placeholder="选择要对比的地区或报告")
    shown = [r for r in rows if r.doc_id in chosen]
    narrowed = len(shown) < len(rows)
    links.write("对比", q=query, region=",".join(labels[r.doc_id] for r in shown) if narrowed else "")
    if not shown:
        st.info("请至少选择一个地区或报告")
        return
    st.caption(f"{len(shown)} 个地区或报告涉及“{inert(query)}”", unsafe_allow_html=True)
    figures = figures_of(eng.store.metrics, shown)
    _exports(query, shown, figures)
    for start in range(0, len(shown), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, row in zip(cols, shown[start:start + PER_ROW]):
            with col.container(border=True):
                st.markdown(f"**{inert(labels[row.doc_id])}**", unsafe_allow_html=True)
                title = "" if row.title in labels[row.doc_id] else f"{inert(row.title)} · "
                st.caption(f"{title}{years_text(row.years)}", unsafe_allow_html=True)
                for p in row.passages:
                    text, spans = excerpt(p.text, p.spans, focus=getattr(p, "sentence", None))
                    st.caption(inert(source_label(p)), unsafe_allow_html=True)
                    st.markdown(highlight(text, spans), unsafe_allow_html=True)
    table = aligned(shown, figures)
    if table:
        import pandas as pd

        st.markdown("**数据对照**")
        st.caption("每行一个指标，每列一个地区或报告；变化量单列，模板占位不列入")
        heads = [labels[r.doc_id] for r in shown]
        st.table(pd.DataFrame([row.texts() for row in table], columns=heads,
                              index=pd.Index([row.label for row in table], name="指标")))
    _practices(eng, query)
