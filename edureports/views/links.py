"""Deep links: each page's state in the URL (?page=检索&q=双减&region=广东), read on load, written on change."""

from __future__ import annotations

import streamlit as st

PAGES = ("检索", "报告", "对比", "地区", "主题", "指标", "导入")
DEFAULT_PAGE = PAGES[0]


def load() -> None:
    """Once per session, before any widget: the URL's page, and its other parameters kept for that page."""
    if "_link" in st.session_state:
        return
    params = {k: st.query_params.get(k, "") for k in st.query_params.keys()}
    page = params.pop("page", "")
    st.session_state["page"] = page if page in PAGES else DEFAULT_PAGE
    st.session_state["_link"] = {k: v for k, v in params.items() if v}


def seed(key: str, param: str, allowed=None) -> str:
    """Give widget `key` the URL's value of `param` (once, and only if `allowed` holds it); returns it."""
    value = st.session_state["_link"].pop(param, "") if "_link" in st.session_state else ""
    if value and (allowed is None or value in allowed):
        st.session_state[key] = value
        return value
    return ""


def write(page: str, **params: str) -> None:
    """Put this page's state in the URL (empty values left out), so the view can be bookmarked."""
    st.session_state.get("_link", {}).clear()  # the URL now says what is shown
    wanted = {"page": page, **{k: str(v) for k, v in params.items() if v}}
    current = {k: st.query_params.get(k) for k in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)
