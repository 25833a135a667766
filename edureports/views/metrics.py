"""The 指标 page: figures pulled from the prose, filtered, charted one indicator and unit at a time, exported."""

from __future__ import annotations

import streamlit as st

from edureports.views import links
from edureports.views.figures import figure_text, flag_text, quantity
from edureports.views.text import years_text
from index.export import to_csv, to_xlsx
from index.filters import Filters
from ingest.types import Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Vega's own number labels would say 200k or 2e+5; a report writes 20万 and 1.3亿.
AXIS_LABEL = ("abs(datum.value) >= 1e8 ? format(datum.value / 1e8, '.4~f') + '亿' : "
              "abs(datum.value) >= 1e4 ? format(datum.value / 1e4, '.4~f') + '万' : format(datum.value, '.4~f')")


def chartable(m) -> bool:
    """Only a figure that stands for a state can be drawn: no masks, changes, earlier values, doubtful reads."""
    return (m.value is not None and not m.masked and not m.suspect
            and m.role not in (Role.FROM, Role.CHANGE))


def groups(found) -> dict[tuple[str, str], list]:
    """Figures by (indicator, unit): a chart never puts 个 beside %, nor 社会满意度 into 家长满意度."""
    out: dict[tuple[str, str], list] = {}
    for m in found:
        if chartable(m) and m.indicator:
            out.setdefault((m.indicator, m.unit or ""), []).append(m)
    return dict(sorted(out.items(), key=lambda kv: -len(kv[1])))


def chart_title(indicator: str, unit: str) -> str:
    return f"{indicator}（{unit}）" if unit else f"{indicator}（无单位）"


def chart_rows(figs) -> list[dict]:
    """One bar per figure (two figures of one region and year stand side by side, never summed)."""
    rows = []
    for i, m in enumerate(figs):
        region, years, shown = m.region or "地区不详", years_text(m.years), quantity(m.value, m.unit, m.qualifier)
        unit = m.unit or "无单位"
        rows.append({"地区": region, "年份": years, "指标": m.indicator, "单位": unit, "数值": m.value, "数据": shown,
                     "原文": m.raw, "报告": m.title, "序号": str(i),
                     "说明": f"{region} · {years} · {m.indicator} · {shown} · 单位 {unit}"})
    return rows


def chart(figs, title: str):
    import altair as alt

    bars = alt.Chart().mark_bar(width={"band": 0.9}).encode(
        color=alt.Color("年份:N", title="年份"),
        description=alt.Description("说明:N"),  # what a screen reader (and the browser test) reads of each bar
        tooltip=[alt.Tooltip("地区:N", title="地区"), alt.Tooltip("年份:N", title="年份"),
                 alt.Tooltip("数据:N", title="数据"), alt.Tooltip("原文:N", title="原文"),
                 alt.Tooltip("报告:N", title="报告")],
    )
    # each bar says its figure as the report wrote it (近2万个 beside 16万个), so two bars of one region read apart
    labels = alt.Chart().mark_text(baseline="bottom", dy=-3, fontSize=11).encode(
        text=alt.Text("数据:N"), description=alt.Description("说明:N"))
    return alt.layer(bars, labels, data=alt.Data(values=chart_rows(figs)), title=title).encode(
        x=alt.X("地区:N", title="地区", axis=alt.Axis(labelAngle=-30, labelLimit=200)),
        xOffset=alt.XOffset("序号:N"),
        y=alt.Y("数值:Q", title=title, stack=None, axis=alt.Axis(labelExpr=AXIS_LABEL)),
    )


def page(eng) -> None:
    st.header("指标")
    themes = eng.store.theme_names()
    links.seed("m_ind", "indicator")
    links.seed("m_region", "region")
    links.seed("m_theme", "theme", themes)
    c1, c2, c3 = st.columns(3)
    indicator = c1.text_input("指标", key="m_ind", placeholder="如 满意度、学位").strip()
    region = c2.text_input("地区", key="m_region", placeholder="如 山东、东莞").strip()
    theme = c3.selectbox("主题", [""] + themes, key="m_theme", format_func=lambda t: t or "全部主题")
    links.write("指标", indicator=indicator, region=region, theme=theme)
    found = eng.store.metrics(indicator=indicator, filters=Filters.parse(theme=theme, region=region))
    st.caption(f"{len(found)} 条数据；“遮盖”为模板占位（如 xx名），无数值；“存疑”为疑似转换错误；"
               "变化量与原值不进图")
    st.dataframe([{"地区": m.region or "地区不详", "年份": years_text(m.years), "报告": m.title,
                   "指标": m.indicator or "未识别指标", "数据": figure_text(m), "原文": m.raw, "标记": flag_text(m)}
                  for m in found], hide_index=True, width="stretch",
                 column_config={"报告": st.column_config.TextColumn(width="large")})  # a whole report title
    rows = [m.to_dict() for m in found]
    d1, d2, _ = st.columns([1, 1, 4])
    d1.download_button("下载 CSV", to_csv(rows), "指标.csv", "text/csv", key="m_csv")
    d2.download_button("下载 Excel", to_xlsx(rows), "指标.xlsx", XLSX, key="m_xlsx")
    if not indicator:
        st.caption("输入一个指标（如 学位、满意度）即可按地区和年份作图")
        return
    charts = groups(found)
    if not charts:
        st.info("这一指标没有可作图的数值")
        return
    st.markdown(f"**图表**（{len(charts)} 幅：每幅一个指标、一种单位）")
    cols = st.columns(2)
    for i, ((name, unit), figs) in enumerate(charts.items()):
        with cols[i % 2]:
            st.altair_chart(chart(figs, chart_title(name, unit)), width="stretch")
