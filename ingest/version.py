"""The ingest version: a fingerprint of the ingest code and its data tables.

Any change to cleaning, segmentation, themes or figure rules (ingest/*.py,
ingest/data/*) changes the fingerprint, so an archive written by an older
version is noticed (`outdated`) and `edureports reingest` rebuilds it from
the stored originals; nobody has to remember to bump a number.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

def fingerprint(root: str | None = None) -> str:
    """sha256 over the names and bytes of the ingest package's modules and data files (12 hex digits)."""
    base = Path(root) if root else Path(__file__).resolve().parent
    digest = hashlib.sha256()
    files = sorted([*base.glob("*.py"), *(p for p in (base / "data").rglob("*") if p.is_file())])
    for path in files:
        digest.update(path.relative_to(base).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


INGEST_VERSION = fingerprint()  # once per process: the code that runs is the code that was imported
