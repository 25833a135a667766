"""Streamlit front end: 检索, 报告, 对比, 主题, 指标, 导入 over one data dir.

Run with `edureports app` or `streamlit run app.py` ($EDUREPORTS_DATA picks the
data dir). Only public functions of `ingest` and `index` are used. The
encoder is loaded once per process; each browser session opens its own
engine and store connection, and every error becomes a message.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import streamlit as st

from edureports.settings import data_dir
from index.export import to_csv, to_xlsx
from index.filters import FilterError, Filters
from index.search import Engine, SearchError
from ingest.errors import BadSetting
from ingest.files import MB, Limits, over_limit, shown
from ingest.types import Role

ROOT = Path(__file__).resolve().parent
PAGES = ("检索", "报告", "对比", "主题", "指标", "导入")
UPLOAD_TYPES = ["txt", "md", "docx", "pdf", "html", "htm"]
MAX_UPLOAD_FILES = 50  # files per upload; raised by EDUREPORTS_MAX_UPLOAD_FILES
MAX_UPLOAD_FILES_ENV = "EDUREPORTS_MAX_UPLOAD_FILES"
METRIC_LABELS = {"region": "地区", "years": "年份", "title": "报告", "indicator": "指标", "value": "数值",
                 "unit": "单位", "qualifier": "限定词", "raw": "原文", "flag": "标记", "passage_id": "段落"}

st.set_page_config(page_title="教育工作报告检索", layout="wide")


@st.cache_resource(show_spinner="正在加载模型…")
def encoder(name: str | None):
    """One loaded encoder for every session (read-only, safe to share)."""
    from index.embed import make_embedder

    model = make_embedder(name)
    model.query("预热")  # load it now, not on the first search
    return model


def engine(path: str) -> Engine:
    """This session's engine: its own store connection, the shared encoder."""
    eng = st.session_state.get("_engine")
    if eng is None or str(eng.store.dir) != path:
        eng = Engine(path)
        st.session_state["_engine"] = eng
        if eng.model:  # the archive is indexed: share the loaded encoder
            eng.embedder = encoder(eng.model)
    return eng


# Markdown, GFM and KaTeX read these ASCII characters as markup; as numeric character references they
# are shown as themselves, in Markdown text and inside HTML blocks alike.
_MARKUP = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()<>#+-.!|~$:^=/\"'"})
# GFM turns bare http://, www. and e-mail addresses into links after character references are decoded,
# so an invisible word joiner breaks the pattern instead (the text reads the same).
_AUTOLINK = re.compile(r"(?i)(?:(?<=http)|(?<=https))(?=&#58;&#47;&#47;)|(?<=www)(?=&#46;)|(?<=@)")


def inert(text: str) -> str:
    r"""Report text as st.markdown shows it literally: no Markdown, LaTeX, links, images or HTML.

    Every string taken from a report (title, heading, passage, region, source) goes through this
    before it reaches st.markdown, st.caption or st.subheader; a report must not be able to make the
    analyst's browser fetch anything.

    >>> inert("**粗体** $x^2$ ![](http://a.b/p.png)")
    '&#42;&#42;粗体&#42;&#42; &#36;x&#94;2&#36; &#33;&#91;&#93;&#40;http\u2060&#58;&#47;&#47;a&#46;b&#47;p&#46;png&#41;'
    """
    escaped = str(text).replace("&", "&#38;").translate(_MARKUP)
    return _AUTOLINK.sub("\u2060", escaped).replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


def highlight(text: str, spans) -> str:
    """The passage with its matched spans in <mark>, everything else inert."""
    out, pos = [], 0
    for a, b in spans:
        out.append(inert(text[pos:a]))
        out.append(f"<mark>{inert(text[a:b])}</mark>")
        pos = b
    out.append(inert(text[pos:]))
    return "".join(out)


def figures_of(eng: Engine, passage_ids: list[str]) -> dict[str, list]:
    """The figures of many passages, loaded in one query."""
    out: dict[str, list] = {pid: [] for pid in passage_ids}
    for m in eng.store.metrics(passage_ids=passage_ids) if passage_ids else []:
        out[m.passage_id].append(m)
    return out


def figure_text(m) -> str:
    """One figure for a caption, inert (its raw text comes from the report)."""
    if m.masked:
        return inert(f"{m.indicator or '?'} {m.raw}") + "（遮盖）"
    if m.value is None:
        return inert(f"{m.indicator or '?'} {m.raw}")
    mark = "（存疑）" if m.suspect else ""
    return inert(f"{m.indicator or '?'} {m.qualifier}{m.value:g}{m.unit}") + mark


def theme_names(eng: Engine) -> list[str]:
    return eng.store.theme_names()


def filter_widgets(eng: Engine, key: str) -> Filters:
    c1, c2, c3, c4 = st.columns(4)
    theme = c1.selectbox("主题", [""] + theme_names(eng), key=f"{key}_theme", format_func=lambda t: t or "全部主题")
    region = c2.text_input("地区", key=f"{key}_region", placeholder="如 山东、东莞")
    year = c3.text_input("年份", key=f"{key}_year", placeholder="2021、2019-2021 或 2019至2021")
    doc_type = c4.selectbox("文种", [""] + eng.store.doc_types(), key=f"{key}_type",
                            format_func=lambda t: t or "全部文种")
    return Filters.parse(theme, region, year, doc_type)


def open_report(doc_id: str, passage_id: str) -> None:
    """Button callback: runs before the next rerun, so it may switch the page widget."""
    st.session_state["report"] = doc_id
    st.session_state["r_doc"] = doc_id
    st.session_state["passage"] = passage_id
    st.session_state["page"] = "报告"


def show_hit(eng: Engine, hit, n: int, figs: list, similar: bool = True) -> None:
    with st.container(border=True):
        st.markdown(f"**{n}. {inert(hit.title)}** · {inert(hit.region or '地区不详')} · "
                    f"{'、'.join(map(str, hit.years)) or '年份不详'} · 得分 {hit.score:.4f}", unsafe_allow_html=True)
        st.caption(f"{inert(hit.heading or '（无标题）')} ｜ {inert(hit.source)} @{hit.char_start}-{hit.char_end} ｜ "
                   f"{inert(hit.passage_id)}", unsafe_allow_html=True)
        st.markdown(highlight(hit.text, hit.spans), unsafe_allow_html=True)
        if hit.themes:
            st.markdown(" ".join(f"`{t}`" for t in hit.themes))
        if figs:
            st.caption("数据：" + "；".join(figure_text(m) for m in figs[:8]), unsafe_allow_html=True)
        c1, c2 = st.columns(2)
        c1.button("打开报告", key=f"open_{hit.passage_id}_{n}", on_click=open_report, args=(hit.doc_id, hit.passage_id))
        if similar and c2.toggle("其他地区的类似做法", key=f"sim_{hit.passage_id}_{n}"):
            for i, other in enumerate(eng.similar(hit.passage_id, top_k=3), 1):
                st.markdown(f"- **{inert(other.region or '地区不详')}** {inert(other.title)}："
                            f"{inert(other.text[:120])}…", unsafe_allow_html=True)


def page_search(eng: Engine) -> None:
    st.header("检索")
    query = st.text_input("检索词", key="q", placeholder="如：减少孩子课外补习、集团化办学、满意度")
    filters = filter_widgets(eng, "s")
    top_k = st.slider("显示条数", 5, 30, 10, key="s_k")
    if st.button("检索", key="search", type="primary") or query:
        if not query.strip():
            st.warning("请输入检索词")
            return
        hits = eng.search(query, top_k=top_k, filters=filters)
        st.caption(f"共 {len(hits)} 条结果")
        if not hits:
            st.info("没有符合条件的段落，请放宽筛选条件")
        figures = figures_of(eng, [h.passage_id for h in hits])
        for i, hit in enumerate(hits, 1):
            show_hit(eng, hit, i, figures[hit.passage_id])


def page_reports(eng: Engine) -> None:
    st.header("报告")
    docs = eng.store.documents()
    st.dataframe(
        [{"ID": d.doc_id, "标题": d.title, "地区": d.region, "年份": "、".join(map(str, d.years)),
          "文种": "、".join(d.doc_types), "段落": d.n_passages, "主题": "、".join(d.themes[:5])}
         for d in docs],
        width="stretch", hide_index=True,
    )
    ids = [d.doc_id for d in docs]
    current = st.session_state.get("report")
    chosen = st.selectbox("阅读报告", ids, index=ids.index(current) if current in ids else 0, key="r_doc",
                          format_func=lambda i: next(f"{d.title}（{d.region or '地区不详'}）" for d in docs if d.doc_id == i))
    doc = eng.store.document(chosen).to_dict()
    st.subheader(inert(doc["title"]), anchor=False)
    st.caption(f"{inert(doc['source'])} ｜ {'、'.join(doc['doc_types'])} ｜ {inert(doc['region'] or '地区不详')} ｜ "
               f"{'、'.join(map(str, doc['years'])) or '年份不详'} ｜ {inert(doc['issuer'] or '')}",
               unsafe_allow_html=True)
    if doc["themes"]:
        st.markdown(" ".join(f"`{t}`" for t in doc["themes"]))
    left, right = st.columns([1, 2])
    with left:
        st.markdown("**目录**")
        for s in doc["outline"]:
            section_themes = {t for p in doc["passages"] if p["heading_path"][-1:] == [s["marker"] + s["title"]]
                              for t in p["themes"]}
            tags = f" `{'` `'.join(sorted(section_themes))}`" if section_themes else ""
            st.markdown(f"{'　' * s['level']}{inert(s['marker'] + s['title'])}{tags}", unsafe_allow_html=True)
        if doc["metrics"]:
            st.markdown("**数据**")
            st.dataframe([{"指标": m["indicator"], "数值": m["value"], "单位": m["unit"], "原文": m["raw"],
                           "标记": "遮盖" if m["masked"] else ("存疑" if m["suspect"] else "")}
                          for m in doc["metrics"]], hide_index=True, width="stretch")
    with right:
        if st.toggle("显示原文", key="r_raw"):
            st.text(doc["raw_text"])
        else:
            focus = st.session_state.get("passage")
            for p in doc["passages"]:
                style = "background:#fff3bf;" if p["passage_id"] == focus else ""
                st.markdown(f"<div style='{style}'><small>{inert(p['heading'])}</small><br>{inert(p['text'])}</div>",
                            unsafe_allow_html=True)


def page_compare(eng: Engine) -> None:
    st.header("对比")
    themes = theme_names(eng)
    mode = st.radio("对比方式", ["按主题", "按做法"], horizontal=True, key="c_mode")
    if mode == "按主题":
        query = st.selectbox("主题", themes, key="c_theme", index=themes.index("学生资助") if "学生资助" in themes else 0)
    else:
        query = st.text_input("做法", key="c_query", placeholder="如：校外培训机构治理")
    if not query:
        return
    rows = [r.to_dict() for r in eng.compare(query, per_report=2, reports=8)]
    figures = figures_of(eng, [p["passage_id"] for r in rows for p in r["passages"]])
    if not rows:
        st.info("没有报告涉及这一主题或做法")
        return
    for start in range(0, len(rows), 3):
        cols = st.columns(3)
        for col, row in zip(cols, rows[start : start + 3]):
            with col.container(border=True):
                st.markdown(f"**{inert(row['region'] or '地区不详')}**", unsafe_allow_html=True)
                st.caption(f"{inert(row['title'])} ｜ {'、'.join(map(str, row['years'])) or '年份不详'}",
                           unsafe_allow_html=True)
                for p in row["passages"]:
                    st.markdown(highlight(p["text"][:300], [s for s in p["spans"] if s[1] <= 300]), unsafe_allow_html=True)
                    figs = figures[p["passage_id"]]
                    if figs:
                        st.caption("数据：" + "；".join(figure_text(m) for m in figs[:5]), unsafe_allow_html=True)


def page_themes(eng: Engine) -> None:
    import altair as alt

    st.header("主题")
    rows = eng.store.theme_matrix()
    if not rows:
        st.info("还没有主题标注")
        return
    cells = [{"主题": r.theme, "报告": f"{r.region or '地区不详'}·{r.doc_id[:8]}", "段落数": r.n} for r in rows]
    st.altair_chart(
        alt.Chart(alt.Data(values=cells)).mark_rect().encode(
            x=alt.X("报告:N"), y=alt.Y("主题:N"), color=alt.Color("段落数:Q", scale=alt.Scale(scheme="blues")),
            tooltip=["主题:N", "报告:N", "段落数:Q"],
        ).properties(height=max(300, 14 * len({c["主题"] for c in cells}))),
        width="stretch",
    )
    by_year: dict[tuple[str, int], int] = {}
    for r in rows:
        for y in r.years:
            by_year[(r.theme, y)] = by_year.get((r.theme, y), 0) + r.n
    if by_year:
        st.altair_chart(
            alt.Chart(alt.Data(values=[{"主题": t, "年份": str(y), "段落数": n} for (t, y), n in by_year.items()]))
            .mark_bar().encode(x="年份:N", y="段落数:Q", color="主题:N", tooltip=["主题:N", "年份:N", "段落数:Q"]),
            width="stretch",
        )
    theme = st.selectbox("查看主题下的段落", theme_names(eng), key="t_theme")
    hits = eng.search(theme, top_k=20, filters=Filters(theme=theme))
    st.caption(f"{len(hits)} 个段落")
    figures = figures_of(eng, [h.passage_id for h in hits])
    for i, hit in enumerate(hits, 1):
        show_hit(eng, hit, i, figures[hit.passage_id], similar=False)


def page_metrics(eng: Engine) -> None:
    import altair as alt

    st.header("指标")
    c1, c2, c3 = st.columns(3)
    indicator = c1.text_input("指标", key="m_ind", placeholder="如 满意度、学位")
    region = c2.text_input("地区", key="m_region")
    theme = c3.selectbox("主题", [""] + theme_names(eng), key="m_theme", format_func=lambda t: t or "全部主题")
    found = [m.to_dict() for m in eng.store.metrics(indicator=indicator.strip(),
                                                     filters=Filters.parse(theme=theme, region=region))]
    rows = [{**m, "years": "、".join(map(str, m["years"])),
             "flag": "遮盖" if m["masked"] else ("存疑" if m["suspect"] else "")} for m in found]
    st.caption(f"{len(rows)} 条数据；“遮盖”为模板占位（如 xx名），无数值；“存疑”为疑似转换错误")
    st.dataframe([{METRIC_LABELS[k]: r[k] for k in METRIC_LABELS} for r in rows], hide_index=True,
                 width="stretch")
    d1, d2 = st.columns(2)
    d1.download_button("下载 CSV", to_csv(found), "指标.csv", "text/csv", key="m_csv")
    d2.download_button("下载 Excel", to_xlsx(found), "指标.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="m_xlsx")
    if indicator.strip():
        chart = [{"地区": r["region"] or "地区不详", "年份": r["years"] or "-", "数值": r["value"], "原文": r["raw"]}
                 for r in rows if r["value"] is not None and r["role"] not in (Role.FROM, Role.CHANGE)]
        if chart:
            st.altair_chart(alt.Chart(alt.Data(values=chart)).mark_bar().encode(
                x="地区:N", y="数值:Q", color="年份:N", tooltip=["地区:N", "年份:N", "数值:Q", "原文:N"]),
                width="stretch")


def safe_name(name: str) -> str:
    """A file name that stays inside the upload folder: no path parts, no odd characters."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", stem).strip("._") or "upload"
    return f"{stem[:80]}{suffix}"


def upload_limit() -> int:
    """How many files one upload may hold: MAX_UPLOAD_FILES, or EDUREPORTS_MAX_UPLOAD_FILES when set."""
    raw = os.environ.get(MAX_UPLOAD_FILES_ENV, "").strip()
    if not raw:
        return MAX_UPLOAD_FILES
    if not raw.isdigit() or int(raw) < 1:
        raise BadSetting(f"环境变量 {MAX_UPLOAD_FILES_ENV} 的值 '{raw}' 不是正整数；"
                         f"请设为正整数（默认 {MAX_UPLOAD_FILES}），或删除该变量")
    return int(raw)


def stored_name(name: str, data: bytes) -> str:
    """The cleaned name plus a short content hash: two uploads share a stored name only if they share bytes.

    Cleaning alone let 报告?.txt and 报告*.txt (or 工作总结.txt from two folders) land on one
    file, so the second upload replaced the first one's report.
    """
    clean = Path(safe_name(name))
    return f"{clean.stem}_{hashlib.sha256(data).hexdigest()[:8]}{clean.suffix}"


def save_uploads(root: Path, files, limits: Limits) -> tuple[list[Path], list[str], int, int]:
    """Store each upload under its own name; returns (paths, notices, files refused, repeats in this upload)."""
    folder = (root / "uploads").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    notices: list[str] = []
    refused = repeats = 0
    for f in files:
        data = f.getvalue()
        name = shown(Path(f.name.replace("\\", "/")).name)
        if len(data) > limits.file_mb * MB:
            notices.append(str(over_limit(name, "文件大小", len(data) / MB, limits.file_mb, "MB",
                                          Limits.ENV["file_mb"])))
            refused += 1
            continue
        path = (folder / stored_name(f.name, data)).resolve()
        if folder not in path.parents:  # pragma: no cover - safe_name leaves no path parts
            refused += 1
            continue
        if path in saved:
            notices.append(f"{name}：本次已上传过同名同内容的文件，只保存一份")
            repeats += 1
            continue
        if path.exists():
            notices.append(f"{name}：此前已上传过同名同内容的文件，只保存一份")
        else:
            clean = Path(safe_name(f.name))
            pattern = re.compile(re.escape(clean.stem) + r"_[0-9a-f]{8}" + re.escape(clean.suffix))
            if any(pattern.fullmatch(other.name) for other in folder.iterdir()):
                notices.append(f"{name}：已有同名（{clean.name}）但内容不同的文件，另存为 {path.name}")
            path.write_bytes(data)
        saved.append(path)
    return saved, notices, refused, repeats


def run_ingest(eng: Engine, paths: list[str], received: int | None = None, notices: tuple[str, ...] = (),
               refused: int = 0, repeats: int = 0) -> None:
    """Ingest files and say truthfully what became of each: counts that add up to what was received."""
    bar = st.progress(0.0, text="导入中…")

    def progress(items):
        items = list(items)
        for i, item in enumerate(items, 1):
            bar.progress(i / max(1, len(items)), text=f"导入 {Path(item[1]).name}（{i}/{len(items)}）")
            yield item

    summary = eng.ingest(paths, index=False, progress=progress) if paths else None
    bar.progress(1.0, text="建立索引…")
    if summary is not None:
        eng.sync()
    bar.empty()
    results = summary.results if summary is not None else []
    changed = sum(1 for r in results if r.status in ("added", "updated"))
    known = sum(1 for r in results if r.status in ("unchanged", "duplicate")) + repeats
    skipped = sum(1 for r in results if r.status == "skipped") + refused
    received_text = f"收到 {received} 个文件，" if received is not None else ""
    st.success(f"导入完成：{received_text}新增或更新 {changed} 个，已在库中 {known} 个，未导入 {skipped} 个；"
               f"写入 {summary.reports if summary else 0} 篇报告、{summary.passages if summary else 0} 个段落")
    for notice in notices:
        st.warning(inert(notice))
    for r in results:
        if r.reason:
            st.warning(inert(r.reason if r.reason.startswith(r.source) else f"{Path(r.source).name}：{r.reason}"))


def page_import(eng: Engine, root: Path) -> None:
    st.header("导入")
    try:
        limits, most = Limits.from_env(), upload_limit()
    except BadSetting as exc:
        st.error(inert(str(exc)))
        return
    files = st.file_uploader(f"上传报告（.txt .md .docx .pdf .html；每次至多 {most} 个文件，每个不超过 "
                             f"{limits.file_mb:g} MB）", type=UPLOAD_TYPES, accept_multiple_files=True, key="upload")
    if files and st.button("导入上传的文件", key="do_upload", type="primary"):
        if len(files) > most:
            st.error(inert(str(over_limit("本次上传", "文件数", len(files), most, "个", MAX_UPLOAD_FILES_ENV))))
            return
        paths, notices, refused, repeats = save_uploads(root, files, limits)
        run_ingest(eng, [str(p) for p in paths], len(files), tuple(notices), refused, repeats)


def first_start(eng: Engine) -> None:
    st.info("数据目录里还没有报告。可以先导入项目自带的示例语料（5 个文件、9 篇报告），或到“导入”页上传自己的报告。")
    if st.button("导入示例语料", key="load_corpus", type="primary"):
        run_ingest(eng, [str(ROOT / "corpus")])
        st.rerun()


def main() -> None:
    root = data_dir()
    try:
        eng = engine(str(root))
    except Exception as exc:  # noqa: BLE001 - any failure to open the data dir is shown, not raised
        st.error(inert(f"无法打开数据目录 {root}：{exc}"))
        return
    st.sidebar.title("教育工作报告")
    st.sidebar.caption(f"数据目录：{root}")
    page = st.sidebar.radio("页面", PAGES, key="page")
    try:
        if not eng.store.counts()["documents"] and page != "导入":
            first_start(eng)
            return
        {"检索": page_search, "报告": page_reports, "对比": page_compare, "主题": page_themes,
         "指标": page_metrics, "导入": lambda e: page_import(e, root)}[page](eng)
    except (SearchError, FilterError) as exc:
        st.warning(inert(str(exc)))  # messages echo what was typed: shown as text
    except Exception as exc:  # noqa: BLE001 - the page shows a message, never a traceback
        st.error(inert(f"出错了：{exc}"))


main()
