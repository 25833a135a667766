"""edureports: mine archived Chinese education work reports."""

__version__ = "0.1.0"
