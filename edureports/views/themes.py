"""The 主题 page: which reports speak of which themes, readable at fifty themes and more."""

from __future__ import annotations

import streamlit as st

from edureports.views import links
from edureports.views.figures import figures_of
from edureports.views.hits import show_hit
from edureports.views.report import doc_label
from edureports.views.text import inert
from index.filters import Filters

TOP = 20  # themes drawn; the rest are listed folded
REPORTS = 30  # report columns drawn: those with the most tagged passages
COLOURS = 10  # distinct colours of the by-year chart; further themes share 其他主题
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#8cd17d"]  # Tableau 10 with its grey swapped out: grey is kept for 其他主题
OTHER = "#c8c8c8"
LABEL = 44  # characters of a report's row label: region and a whole report title fit
LABEL_PX = 520  # drawn width of a row label, so the axis never cuts it


def report_names(cells) -> dict[str, str]:
    """Each report's row label: region · title, whole up to LABEL characters, unique."""
    out: dict[str, str] = {}
    for c in cells:
        if c.doc_id not in out:
            label = f"{c.region or '地区不详'} · {c.title}"
            label = label if len(label) <= LABEL else label[:LABEL - 1] + "…"
            while label in out.values():
                label += "＊"
            out[c.doc_id] = label
    return out


def page(eng) -> None:
    import altair as alt

    st.header("主题")
    counts = [c for c in eng.store.theme_counts() if c.n_passages]
    cells = eng.store.theme_matrix()
    if not cells:
        links.write("主题")
        st.info("还没有主题标注")
        return
    ranked = sorted(counts, key=lambda c: (-c.n_passages, c.theme))
    top = [c.theme for c in ranked[:TOP]]
    names = report_names(cells)
    tagged: dict[str, int] = {}
    for c in cells:
        tagged[c.doc_id] = tagged.get(c.doc_id, 0) + c.n
    drawn = set(sorted(tagged, key=lambda d: -tagged[d])[:REPORTS])
    more = f"；报告只画标注最多的 {REPORTS} 篇（共 {len(tagged)} 篇）" if len(tagged) > REPORTS else ""
    st.caption(f"共 {len(ranked)} 个主题；图中是段落最多的 {len(top)} 个，其余见下方折叠的列表{more}")
    heat = [{"主题": c.theme, "报告": names[c.doc_id], "段落数": c.n} for c in cells
            if c.theme in top and c.doc_id in drawn]
    st.altair_chart(
        alt.Chart(alt.Data(values=heat)).mark_rect().encode(
            # reports as rows: a horizontal label reads whole (slanted ones were cut); themes are short column heads
            x=alt.X("主题:N", title="主题", sort=top, axis=alt.Axis(labelAngle=-40, labelLimit=160, labelOverlap=False)),
            y=alt.Y("报告:N", axis=alt.Axis(  # the axis title sits above the row labels, not across them
                title="报告（地区 · 标题）", titleAngle=0, titleAlign="right", titleBaseline="bottom", titleX=0,
                titleY=-8, labelLimit=LABEL_PX, labelOverlap=False)),
            color=alt.Color("段落数:Q", title="段落数", scale=alt.Scale(scheme="blues")),
            tooltip=[alt.Tooltip("主题:N", title="主题"), alt.Tooltip("报告:N", title="报告"),
                     alt.Tooltip("段落数:Q", title="段落数")],
        ),
        width="stretch", height=24 * len({h["报告"] for h in heat}) + 150,  # a row per report, then the slanted theme names
    )
    if len(ranked) > TOP:
        with st.expander(f"其余 {len(ranked) - TOP} 个主题"):
            st.dataframe([{"主题": c.theme, "上级主题": c.parent, "段落数": str(c.n_passages), "报告数": str(c.n_docs)}
                          for c in ranked[TOP:]], hide_index=True, width="stretch")
    coloured = set(top[:COLOURS])
    by_year: dict[tuple[str, str], int] = {}
    for c in cells:
        theme = c.theme if c.theme in coloured else "其他主题"
        for y in c.years or ["年份不详"]:
            key = (theme, f"{y}年" if isinstance(y, int) else y)
            by_year[key] = by_year.get(key, 0) + c.n
    order = top[:COLOURS] + ["其他主题"]
    st.altair_chart(
        alt.Chart(alt.Data(values=[{"主题": t, "年份": y, "段落数": n} for (t, y), n in by_year.items()]))
        .mark_bar().encode(
            x=alt.X("年份:N", title="年份", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("段落数:Q", title="段落数"),
            color=alt.Color("主题:N", title="主题", sort=order,
                            scale=alt.Scale(domain=order, range=PALETTE[:len(order) - 1] + [OTHER])),
            tooltip=[alt.Tooltip("主题:N", title="主题"), alt.Tooltip("年份:N", title="年份"),
                     alt.Tooltip("段落数:Q", title="段落数")],
        ),
        width="stretch",
    )
    names_all = [c.theme for c in ranked]
    links.seed("t_theme", "theme", names_all)
    theme = st.selectbox("查看主题下的段落", names_all, key="t_theme")
    links.write("主题", theme=theme)
    docs = {d.doc_id: d for d in eng.store.documents()}
    hits = eng.search(theme, top_k=10, filters=Filters(theme=theme))
    st.caption(f"{len(hits)} 个段落，来自 {len({h.doc_id for h in hits})} 篇报告："
               + "、".join(inert(doc_label(docs[d])) for d in dict.fromkeys(h.doc_id for h in hits) if d in docs),
               unsafe_allow_html=True)
    figures = figures_of(eng.store, [h.passage_id for h in hits])
    for i, hit in enumerate(hits, 1):
        show_hit(eng, hit, i, figures[hit.passage_id], similar=False)
