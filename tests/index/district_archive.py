"""The corpus plus the district reports written for the analysis tests, indexed once per test run."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT

REPORTS = ROOT / "tests" / "data" / "practices" / "reports"
PLANS = ROOT / "tests" / "data" / "plans"
_built: dict[str, Path] = {}


def archive(indexed_corpus: Path, tmp_path_factory) -> Path:
    """A copy of the indexed corpus with the written reports added (only their passages are embedded)."""
    key = str(indexed_corpus)
    if key not in _built:
        from index.search import Engine

        data = Path(shutil.copytree(indexed_corpus, tmp_path_factory.mktemp("districts") / "data"))
        engine = Engine(data)
        engine.ingest([str(REPORTS), str(PLANS)])
        engine.close()
        _built[key] = data
    return _built[key]
