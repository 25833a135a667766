"""Settings shared by the command line and the app, with their environment names."""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "EDUREPORTS_DATA"
DEFAULT_DATA = "./data"


def data_dir(value: str | os.PathLike | None = None) -> Path:
    """The data dir: an explicit value, else $EDUREPORTS_DATA, else ./data."""
    return Path(value or os.environ.get(DATA_ENV) or DEFAULT_DATA)
