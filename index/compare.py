"""Compare: a practice or theme, report by report, from hits (no storage code here)."""

from __future__ import annotations

from index.records import Comparison, Hit


def compare(hits: list[Hit], per_report: int = 3, reports: int = 10) -> list[Comparison]:
    """The best `per_report` hits of each report, reports in order of their best hit.

    >>> compare([])
    []
    """
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        group = groups.setdefault(hit.doc_id, [])
        if len(group) < per_report:
            group.append(hit)
    out = []
    for doc_id, group in list(groups.items())[:reports]:
        first = group[0]
        out.append(Comparison(first.region, doc_id, first.title, first.years, first.source, first.score,
                              tuple(group)))
    return out
