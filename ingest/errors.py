"""Errors raised for input that cannot become a report; each message is one line."""


class IngestError(Exception):
    """A file cannot be ingested; the message says why and what to do."""


class UnsupportedFormat(IngestError):
    """The file type is not one the loaders read."""


class EmptyFile(IngestError):
    """The file holds no text at all."""


class BinaryFile(IngestError):
    """The file is binary data, not text in any known encoding."""


class CorruptFile(IngestError):
    """The file claims a format but cannot be parsed as it."""


class NoTextLayer(IngestError):
    """A PDF whose pages carry no text (a scan); it needs OCR first."""


class NoReport(IngestError):
    """The file was read but nothing in it looks like report text."""
