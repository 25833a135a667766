"""Errors raised for input that cannot become a report; each message is one line."""


class IngestError(Exception):
    """A file cannot be ingested; the message says why and what to do."""


class UnsupportedFormat(IngestError):
    """The file type is not one the loaders read."""


class EmptyFile(IngestError):
    """The file holds no text at all."""


class BinaryFile(IngestError):
    """The file is binary data, not text in any known encoding."""


class GarbledText(BinaryFile):
    """The bytes decode, but not to plausible Chinese (random bytes, a wrong encoding)."""


class CorruptFile(IngestError):
    """The file claims a format but cannot be parsed as it."""


class NoTextLayer(IngestError):
    """A PDF whose pages carry no text (a scan); it needs OCR first."""


class NoReport(IngestError):
    """The file was read but nothing in it looks like report text."""


class NotRegularFile(IngestError):
    """A FIFO, device, socket, folder or symlink loop: never opened for reading, since that can block or never end."""


class Unreadable(IngestError):
    """The file exists but the system will not give its bytes (no permission, a disk error)."""


class TooLarge(IngestError):
    """The file, or a part inside it, is over a size limit; the message names the setting that raises it."""


class BadSetting(IngestError):
    """An environment setting for the loaders holds a value that is not a positive number."""
