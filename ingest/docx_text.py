"""Text of a .docx in reading order, with headings, list numbers and tables.

python-docx gives paragraphs and tables but not the numbers Word draws for
automatic lists (一、 （一） 1.), which Chinese reports use for their whole
heading hierarchy; they are rendered here from numbering.xml so that the
segmenter sees the same markers a reader does.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ingest.errors import CorruptFile
from ingest.patterns import heading_marker

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEADING = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.I)


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "chineseLegalSimplified", "taiwaneseCounting", "taiwaneseCountingThousand"):
        import cn2an

        return cn2an.an2cn(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        roman = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"][n] if n <= 10 else str(n)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """Counters for Word's automatic numbering, rendered like Word does."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for absn in root.iter(f"{_W}abstractNum"):
            aid = absn.get(f"{_W}abstractNumId")
            levels = {}
            for lvl in absn.iter(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[ilvl] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )
            self.levels[aid] = levels
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.abstract_of[num.get(f"{_W}numId")] = ref.get(f"{_W}val")

    def label(self, num_id: str, ilvl: int) -> str:
        aid = self.abstract_of.get(num_id)
        levels = self.levels.get(aid or "", {})
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(aid, [0] * 9)
        fmt, text, start = levels[ilvl]
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        if fmt in ("bullet", "none") or not text:
            return ""

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, ("decimal", "", 1))
            return _format(counts[k] or lv[2], lv[0])

        return re.sub(r"%(\d)", sub, text)


def _num_pr(paragraph):
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    style = paragraph.style
    while style is not None:
        sppr = style.element.pPr
        if sppr is not None and sppr.numPr is not None:
            return sppr.numPr
        style = style.base_style
    return None


def _paragraph_line(paragraph, numbering: _Numbering) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    numpr = _num_pr(paragraph)
    if numpr is not None and numpr.numId is not None:
        ilvl = numpr.ilvl.val if numpr.ilvl is not None else 0
        label = numbering.label(str(numpr.numId.val), int(ilvl))
        if label and not heading_marker(text):
            text = label + text
    style = paragraph.style.name if paragraph.style is not None else ""
    if (m := _HEADING.match(style or "")) and not heading_marker(text):
        text = "#" * int(m.group(1)) + " " + text
    return text


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            value = " ".join(cell.text.split())
            if not cells or value != cells[-1]:
                cells.append(value)
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def docx_text(path: Path, name: str) -> tuple[str, str]:
    """(text, title) of a .docx; a corrupt or truncated file is a CorruptFile."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        reason = "not a .docx package" if isinstance(exc, (PackageNotFoundError, zipfile.BadZipFile)) else str(exc)
        raise CorruptFile(f"{name}: corrupt or truncated .docx ({reason}); open and re-save it in Word") from None
    except Exception as exc:  # lxml.etree.XMLSyntaxError and kin from a damaged part
        raise CorruptFile(f"{name}: corrupt .docx ({type(exc).__name__}); open and re-save it in Word") from None
    numbering = _Numbering(document)
    lines: list[str] = []
    title = (document.core_properties.title or "").strip()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
            continue
        style = block.style.name if block.style is not None else ""
        if style == "Title" and not title:
            title = block.text.strip()
        if line := _paragraph_line(block, numbering):
            lines.append(line)
    return "\n".join(lines), title
