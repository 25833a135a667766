"""What the app loads once: the encoder for every session, one engine per browser session."""

from __future__ import annotations

import streamlit as st

from index.search import Engine


@st.cache_resource(show_spinner="正在加载模型…")
def encoder(name: str | None):
    """One loaded encoder for every session (read-only, safe to share): loaded once per process."""
    from index.embed import make_embedder

    model = make_embedder(name)
    model.query("预热")  # load it now, not on the first search
    return model


def _close(eng: Engine) -> None:
    eng.close()


@st.cache_resource(scope="session", on_release=_close, show_spinner=False)
def engine(path: str) -> Engine:
    """This session's engine: its own store connection, the shared encoder; closed when the session ends.

    A session-scoped resource is released when the browser tab disconnects, so connections and
    worker threads do not pile up one per visitor.
    """
    eng = Engine(path)
    if eng.model:  # the archive is indexed: share the loaded encoder
        eng.embedder = encoder(eng.model)
    return eng
