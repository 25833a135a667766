"""The 地区 page: one district's profile (reports, themes, key figures) and the districts most like it, with reasons."""

from __future__ import annotations

import streamlit as st

from edureports.views import links
from edureports.views.figures import quantity
from edureports.views.text import inert, years_text
from index.districts import district, profiles
from index.peers import peers

TOP_THEMES = 10


def _open_district(key: str) -> None:
    """Button callback: show another district (a peer) on this page."""
    st.session_state["d_key"] = key


def _timeline(full) -> None:
    """历年: every key figure by year (previous-year values derived from 较上年 changes marked 推算) and themes by year."""
    st.markdown("**历年**")
    if full.timeline:
        st.dataframe([{"年份": f"{f.year}年" if f.year else "年份不详", "类别": str(f.kind), "指标": f.indicator,
                       "数值": quantity(f.value, f.unit), "来源": "推算（据较上年变化）" if f.derived else "报告原文",
                       "原文": f.raw} for f in sorted(full.timeline, key=lambda f: (f.year or 0, str(f.kind)))],
                     hide_index=True, width="stretch",
                     column_config={"指标": st.column_config.TextColumn(width="large")})  # a long indicator whole
    else:
        st.caption("报告中没有可按年份排列的数字")
    if full.theme_years:
        years = sorted({y for y, _, _ in full.theme_years})
        best: dict[int, list[tuple[int, str]]] = {y: [] for y in years}
        for y, theme, n in full.theme_years:
            best[y].append((n, theme))
        st.caption("；".join(f"{y}年：" + "、".join(t for _, t in sorted(best[y], reverse=True)[:5]) for y in years))


def page(eng) -> None:
    st.header("地区")
    listing = profiles(eng.store)
    if not listing:
        links.write("地区")
        st.info("还没有报告")
        return
    by_key = {p.key: p for p in listing}
    wanted = links.seed("_d_region", "region")
    if wanted:
        match = next((p for p in listing if wanted in (p.key, p.region)), None) or next(
            (p for p in listing if p.region and wanted in p.region), None)
        if match:
            st.session_state["d_key"] = match.key
        else:
            st.warning(f"没有地区“{inert(wanted)}”的报告；请从下面的列表选择")
    if st.session_state.get("d_key") not in by_key:
        st.session_state["d_key"] = next((p.key for p in listing if p.region), listing[0].key)
    key = st.selectbox("地区", list(by_key), key="d_key",
                       format_func=lambda k: f"{by_key[k].name}（{by_key[k].level}）")
    me = by_key[key]
    links.write("地区", region=me.region or me.key)
    full = district(eng.store, me.key, listing)
    st.subheader(inert(full.name), anchor=False)
    st.caption(f"{full.level} · {years_text(full.years)} · {full.n_docs} 篇报告 · {full.n_passages} 个段落")
    left, right = st.columns(2)
    with left:
        st.markdown("**报告**")
        for r in full.reports:
            st.markdown(f"- {inert(r.title)}（{inert(r.doc_type) or '文种不详'} · {years_text(r.years)}）",
                        unsafe_allow_html=True)
        st.markdown("**主要主题**")
        if full.themes:
            st.markdown("、".join(f"{inert(t.theme)} {t.share:.0%}" for t in full.themes[:TOP_THEMES]),
                        unsafe_allow_html=True)
        else:
            st.caption("没有主题标注")
    with right:
        st.markdown("**关键数字**")
        if full.figures:
            st.dataframe([{"类别": str(f.kind), "指标": f.indicator, "数值": quantity(f.value, f.unit),
                           "年份": f"{f.year}年" if f.year else "年份不详", "原文": f.raw}
                          for f in full.figures], hide_index=True, width="stretch")
        else:
            st.caption("报告中没有可比的关键数字")
    _timeline(full)
    from index.analysis_export import district_xlsx

    st.download_button("下载地区概况 Excel", district_xlsx(full), f"地区_{full.name}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="d_xlsx")
    st.markdown("**相似的地区**")
    found = peers(listing, me.key, top_k=5)
    if found.note:
        st.info(inert(found.note))
    for i, p in enumerate(found.peers):
        with st.container(border=True):
            c1, c2 = st.columns([4, 1])
            c1.markdown(f"**{inert(p.name)}**（{p.level}）· 相似度 {p.score:.0%}", unsafe_allow_html=True)
            c1.caption("；".join(inert(r) for r in p.reasons) or "主题与数字相近", unsafe_allow_html=True)
            c2.button("查看", key=f"d_peer_{i}", on_click=_open_district, args=(p.key,))
