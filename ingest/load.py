"""Load a file into text: .txt/.md (encoding detected), .html, .docx, .pdf.

Every failure is an `IngestError` with a one-line reason, never a traceback:
FIFOs, devices and link loops (never opened), files and .docx parts over a
size limit, empty files, binary data or text that decodes only to garbage,
corrupt or truncated .docx, scanned PDFs without a text layer, legacy .doc,
unknown types.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from pathlib import Path

from ingest.decode import decode
from ingest.errors import CorruptFile, EmptyFile, IngestError, NoTextLayer, UnsupportedFormat
from ingest.files import Limits, check, over_limit, read_bytes, shown
from ingest.types import Format, RawText

__all__ = ["SUFFIXES", "decode", "load", "supported", "title_hint"]

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


def supported(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


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
            # <h1> is the page's title, as Word's Title style is: a plain line
            # for the title finder; lower levels keep their depth for the segmenter.
            line = text if heading_marker(text) or len(m.group(1)) == 1 else f"{m.group(1)} {text}"
        lines.append(line)
    return "\n".join(lines), title


def _pdf(data: bytes, name: str, limits: Limits) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorruptFile(f"{name}：PDF 有密码保护；请去掉密码后再导入")
        count = len(reader.pages)
        if count > limits.pdf_pages:
            raise over_limit(name, "PDF 页数", count, limits.pdf_pages, "页", Limits.ENV["pdf_pages"])
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise CorruptFile(f"{name}：不是可读的 PDF（{type(exc).__name__}: {shown(str(exc))}）") from None
    text = "\n".join(pages)
    if sum(ch.isalnum() for ch in text) < 20:
        raise NoTextLayer(
            f"{name}：PDF 没有文字层（共 {len(pages)} 页，可能是扫描图片）；请先做文字识别（如 ocrmypdf）再导入结果"
        )
    return text


# Control and format characters (newline, tab, zero-width, bidi marks) never
# belong in a title; a title is one line of visible text.
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


def title_hint(text: str) -> str:
    r"""A title read from a file (core properties, <title>) as one clean line.

    >>> title_hint("2022年\n工作\u200b总结\x07 ")
    '2022年 工作总结'
    """
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\t\n\r\v\f\x85\u2028\u2029":
            out.append(" ")
        elif cat not in _INVISIBLE:
            out.append(ch)
    return " ".join("".join(out).split())


def load(
    path: str | Path, source: str | None = None, limits: Limits | None = None, data: bytes | None = None
) -> RawText:
    """Read one file as text; any reason it cannot be read is a one-line IngestError.

    A FIFO, device or link loop is refused by `stat` alone, never opened; a
    file over the size limit is refused before it is read (`Limits`).
    `data` is the file's bytes when the caller has read them already with
    `ingest.files.read_bytes` (to hash them), so that they are read once.

    >>> load("corpus/000_d7ed74de268168c1.txt").encoding
    'utf-8'
    """
    path = Path(path)
    source = source or str(path)
    name = shown(source)
    limits = limits or Limits.from_env()
    if data is None:
        check(path, source)
    suffix = path.suffix.lower()
    if suffix in _LEGACY:
        raise UnsupportedFormat(f"{name}：不支持 {_LEGACY[suffix]} 文件；请另存为 .docx 后再导入")
    if suffix not in SUFFIXES:
        known = " ".join(sorted(SUFFIXES))
        raise UnsupportedFormat(f"{name}：不支持的文件类型 '{suffix or '（无扩展名）'}'（支持：{known}）")
    if data is None:
        data = read_bytes(path, source, limits)
    if not data:
        raise EmptyFile(f"{name}：空文件，没有可导入的内容")
    digest = hashlib.sha256(data).hexdigest()
    fmt = SUFFIXES[suffix]
    title, encoding = "", ""
    if fmt in (Format.TXT, Format.MD):
        text, encoding = decode(data, name)
    elif fmt is Format.HTML:
        text, title = _html(data, name)
    elif fmt is Format.DOCX:
        from ingest.docx_text import docx_text

        text, title = docx_text(data, name, limits)
    else:
        text = _pdf(data, name, limits)
    if not text.strip():
        raise EmptyFile(f"{name}：文件里没有文字")
    return RawText(source, text, fmt, digest, encoding, title_hint(title))
