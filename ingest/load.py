"""Load a file into text: .txt/.md (encoding detected), .html, .docx, .pdf.

Every failure is an `IngestError` with a one-line reason, never a traceback:
empty files, binary data, corrupt or truncated .docx, scanned PDFs without a
text layer, legacy .doc, unknown types.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from ingest.errors import BinaryFile, CorruptFile, EmptyFile, NoTextLayer, UnsupportedFormat
from ingest.normalize import has_cjk
from ingest.types import Format, RawText

SUFFIXES: dict[str, Format] = {
    ".txt": Format.TXT,
    ".text": Format.TXT,
    ".md": Format.MD,
    ".markdown": Format.MD,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".xhtml": Format.HTML,
    ".docx": Format.DOCX,
    ".pdf": Format.PDF,
}
_LEGACY = {".doc": "Word 97-2003 .doc", ".wps": "WPS .wps", ".rtf": "RTF"}
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CHINESE_ENCODINGS = ("gb18030", "big5")
_CONTROL = set(range(0, 9)) | set(range(14, 27)) | set(range(28, 32))


def supported(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes sit on one parity for Latin text."""
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > len(sample) // 8 and even < odd // 4:
        return "utf-16-le"
    if even > len(sample) // 8 and odd < even // 4:
        return "utf-16-be"
    # Chinese UTF-16 has few NULs; accept it when it decodes to mostly CJK.
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or ch in "，。\n")
        if cjk > len(text) * 0.5:
            return enc
    return None


def decode(data: bytes, name: str = "") -> tuple[str, str]:
    """Decode bytes of a text file; (text, encoding). Detected, never assumed.

    UTF-8 (with or without BOM), UTF-16/32 (with BOM, or UTF-16 without),
    and GB18030 (a superset of GBK and GB2312) or Big5 by detection.
    """
    if not data.strip(b" \t\r\n\x00"):
        raise EmptyFile(f"{name}: empty file, nothing to ingest")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc), enc
    if b"\x00" in data[:4096]:
        enc = _utf16_guess(data)
        if enc:
            return data.decode(enc, errors="replace"), enc
        raise BinaryFile(f"{name}: binary data, not text (NUL bytes); is the extension right?")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:8192]
    if sum(1 for b in sample if b in _CONTROL) > len(sample) * 0.02:
        raise BinaryFile(f"{name}: binary data, not text; is the extension right?")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "cp1252"]).best()
    guesses = [best.encoding] if best else []
    for enc in [*guesses, *_CHINESE_ENCODINGS]:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if has_cjk(text) or enc in guesses:
            return text, enc
    raise BinaryFile(f"{name}: not text in any known encoding (tried UTF-8, UTF-16, GB18030, Big5)")


def _html(data: bytes, name: str) -> tuple[str, str]:
    import trafilatura

    html, _ = decode(data, name)
    body = trafilatura.extract(
        html, output_format="markdown", include_tables=True, include_links=False,
        include_images=False, favor_recall=True, deduplicate=False,
    )
    if not body:
        body = trafilatura.html2txt(html) or ""
    meta = trafilatura.extract_metadata(html)
    title = (meta.title if meta else "") or ""
    lines = []
    for line in body.splitlines():
        line = re.sub(r"\*\*|__", "", line)
        if m := re.match(r"^(#{1,6})\s+(.*)$", line):
            from ingest.patterns import heading_marker

            text = m.group(2).strip()
            line = text if heading_marker(text) else f"{m.group(1)} {text}"
        lines.append(line)
    return "\n".join(lines), title


def _pdf(path: Path, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorruptFile(f"{name}: the PDF is encrypted; remove the password and ingest it again")
        pages = [page.extract_text() or "" for page in reader.pages]
    except CorruptFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise CorruptFile(f"{name}: not a readable PDF ({type(exc).__name__}: {exc})") from None
    text = "\n".join(pages)
    if sum(ch.isalnum() for ch in text) < 20:
        raise NoTextLayer(
            f"{name}: the PDF has no text layer ({len(pages)} page(s), scanned images?); "
            "run OCR on it first (e.g. ocrmypdf) and ingest the result"
        )
    return text


def load(path: str | Path, source: str | None = None) -> RawText:
    """Read one file as text.

    >>> load("corpus/000_d7ed74de268168c1.txt").encoding
    'utf-8'
    """
    path = Path(path)
    name = source or str(path)
    suffix = path.suffix.lower()
    if suffix in _LEGACY:
        raise UnsupportedFormat(f"{name}: {_LEGACY[suffix]} files are not supported; save it as .docx and ingest that")
    if suffix not in SUFFIXES:
        known = " ".join(sorted(SUFFIXES))
        raise UnsupportedFormat(f"{name}: unsupported file type '{suffix or '(none)'}' (supported: {known})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorruptFile(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    if not data:
        raise EmptyFile(f"{name}: empty file, nothing to ingest")
    digest = hashlib.sha256(data).hexdigest()
    fmt = SUFFIXES[suffix]
    title, encoding = "", ""
    if fmt in (Format.TXT, Format.MD):
        text, encoding = decode(data, name)
    elif fmt is Format.HTML:
        text, title = _html(data, name)
    elif fmt is Format.DOCX:
        from ingest.docx_text import docx_text

        text, title = docx_text(path, name)
    else:
        text = _pdf(path, name)
    if not text.strip():
        raise EmptyFile(f"{name}: the file holds no text")
    return RawText(name, text, fmt, digest, encoding, title)
