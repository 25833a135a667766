"""Figures on every page as a Chinese report writes them, through the project's one formatter (index.numbers)."""

from __future__ import annotations

from index.numbers import figure_line, figure_text, flags, quantity, role_label

__all__ = ["figure_line", "figure_text", "flag_text", "figures_of", "quantity"]


def flag_text(m) -> str:
    """The 标记 column: 遮盖 / 存疑, and what role the figure plays (原值, 变化量) when it is not a plain one."""
    return "、".join(x for x in (flags(m), role_label(m.role)) if x)


def figures_of(store, passage_ids: list[str]) -> dict[str, list]:
    """The figures of many passages, loaded in one query."""
    out: dict[str, list] = {pid: [] for pid in passage_ids}
    for m in store.metrics(passage_ids=passage_ids) if passage_ids else []:
        out.setdefault(m.passage_id, []).append(m)
    return out
