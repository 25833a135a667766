"""Text of a .docx in reading order, with headings, list numbers and tables.

python-docx gives paragraphs and tables but not the numbers Word draws for
automatic lists (一、 （一） 1.), which Chinese reports use for their whole
heading hierarchy; they are rendered here from numbering.xml so that the
segmenter sees the same markers a reader does.
"""

from __future__ import annotations

import io
import re
import zipfile

from ingest.errors import CorruptFile
from ingest.files import MB, Limits, over_limit, shown
from ingest.patterns import heading_marker

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEADING = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.I)
_R, _T, _HYPERLINK, _TAB, _PTAB, _BR, _CR, _NO_BREAK_HYPHEN = (
    f"{_W}{tag}" for tag in ("r", "t", "hyperlink", "tab", "ptab", "br", "cr", "noBreakHyphen")
)
_P, _TBL, _PPR, _PSTYLE, _NUMPR, _NUMID, _ILVL, _VAL = (
    f"{_W}{tag}" for tag in ("p", "tbl", "pPr", "pStyle", "numPr", "numId", "ilvl", "val")
)


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


class _Styles:
    """Paragraph styles by id, with their names and list numbering, looked up once.

    python-docx's `paragraph.style` scans every style of the document for the
    default one on each call a paragraph has no style of its own: 3 ms a
    paragraph, over a minute for a long report. Dicts built once keep the
    walk linear in the number of paragraphs.
    """

    def __init__(self, document) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        styles = document.styles
        paragraph_styles = [s for s in styles if s.type == WD_STYLE_TYPE.PARAGRAPH]
        self.by_id = {s.style_id: s for s in paragraph_styles}
        default = styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default_id = default.style_id if default is not None else None
        self.names = {s.style_id: s.name or "" for s in paragraph_styles}
        self.numbering = {s.style_id: self._style_num_pr(s) for s in paragraph_styles}

    @staticmethod
    def _style_num_pr(style):
        seen = 0
        while style is not None and seen < 20:  # a base-style cycle in a damaged file must not loop
            sppr = style.element.pPr
            if sppr is not None and sppr.numPr is not None:
                return sppr.numPr
            style, seen = style.base_style, seen + 1
        return None

    def style_id(self, p) -> str | None:
        ppr = p.find(_PPR)
        pstyle = ppr.find(_PSTYLE) if ppr is not None else None
        style_id = pstyle.get(_VAL) if pstyle is not None else None
        return style_id if style_id in self.by_id else self.default_id

    def num_pr(self, p, style_id: str | None):
        ppr = p.find(_PPR)
        numpr = ppr.find(_NUMPR) if ppr is not None else None
        return numpr if numpr is not None else self.numbering.get(style_id)


def _run_text(run) -> str:
    parts = []
    for el in run.iterchildren():
        tag = el.tag
        if tag == _T:
            parts.append(el.text or "")
        elif tag in (_TAB, _PTAB):
            parts.append("\t")
        elif tag == _CR or (tag == _BR and el.get(f"{_W}type", "textWrapping") == "textWrapping"):
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
    return "".join(parts)


def paragraph_text(p) -> str:
    """The text of a <w:p> as python-docx's `Paragraph.text` gives it, without an XPath per paragraph.

    `Paragraph.text` runs two XPath queries per paragraph (90 us each, so
    about 11 s for 60,000 paragraphs); walking the children directly gives
    the same text (runs, and runs inside hyperlinks) in a fraction of that.
    """
    parts = []
    for child in p.iterchildren(_R, _HYPERLINK):
        for run in ([child] if child.tag == _R else child.iterchildren(_R)):
            parts.append(_run_text(run))
    return "".join(parts)


def _paragraph_line(p, numbering: _Numbering, styles: _Styles, style_id: str | None) -> str:
    text = paragraph_text(p).strip()
    if not text:
        return ""
    numpr = styles.num_pr(p, style_id)
    num_id = numpr.find(_NUMID) if numpr is not None else None
    if num_id is not None:
        ilvl = numpr.find(_ILVL)
        label = numbering.label(num_id.get(_VAL, ""), int(ilvl.get(_VAL, "0")) if ilvl is not None else 0)
        if label and not heading_marker(text):
            text = label + text
    name = styles.names.get(style_id, "")
    if (m := _HEADING.match(name or "")) and not heading_marker(text):
        text = "#" * int(m.group(1)) + " " + text
    return text


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:  # python-docx resolves merged cells; their text is read directly
            value = " ".join(" ".join(paragraph_text(p) for p in cell._tc.iterchildren(_P)).split())
            if not cells or value != cells[-1]:
                cells.append(value)
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


# Parts below this size are not judged by their compression ratio: a small
# part of repeated markup compresses 100-fold and costs nothing to parse.
_RATIO_FLOOR = 1 * MB


def check_package(data: bytes, name: str, limits: Limits) -> None:
    """Refuse a .docx whose parts would be too large to parse, before parsing any.

    The sizes are the ones the zip declares; Python's zipfile never inflates
    a member beyond its declared size (a lie fails the CRC check), so they
    bound the memory and the time the parse can take. A 794 KB file holding
    150 MB of XML is refused here in milliseconds instead of parsed for minutes.
    """
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise CorruptFile(f"{name}：.docx 损坏或不完整（不是 zip 包）；请用 Word 打开后另存，再导入") from None
    env_size, env_ratio = Limits.ENV["docx_part_mb"], Limits.ENV["docx_ratio"]
    for info in infos:
        if info.file_size > limits.docx_part_mb * MB:
            raise over_limit(name, f".docx 内部件 {info.filename} 解压后", info.file_size / MB,
                             limits.docx_part_mb, "MB", env_size)
        if info.file_size > _RATIO_FLOOR and info.compress_size:
            ratio = info.file_size / info.compress_size
            if ratio > limits.docx_ratio:
                raise over_limit(name, f".docx 内部件 {info.filename} 的压缩比", ratio, limits.docx_ratio, "倍",
                                 env_ratio)
    xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
    if xml > limits.docx_part_mb * MB:
        raise over_limit(name, ".docx 内全部 XML 部件解压后合计", xml / MB, limits.docx_part_mb, "MB", env_size)


def _blocks(document):
    """Paragraphs (as <w:p> elements) and tables of the body in order.

    `document.iter_inner_content()` selects them with the XPath union
    `./w:p | ./w:tbl`, which libxml2 sorts into document order in quadratic
    time: 54 s for a body of 60,000 paragraphs. The body's children are
    already in order, so they are walked as they come.
    """
    from docx.table import Table

    body = document._body
    for child in body._element.iterchildren(_P, _TBL):
        yield child if child.tag == _P else Table(child, body)


def docx_text(data: bytes, name: str, limits: Limits | None = None) -> tuple[str, str]:
    """(text, title) of a .docx; a corrupt or truncated file is a CorruptFile, an oversized one TooLarge."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    check_package(data, name, limits or Limits.from_env())
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        reason = "不是 .docx 包" if isinstance(exc, (PackageNotFoundError, zipfile.BadZipFile)) else shown(str(exc))
        raise CorruptFile(f"{name}：.docx 损坏或不完整（{reason}）；请用 Word 打开后另存，再导入") from None
    except Exception as exc:  # lxml.etree.XMLSyntaxError and kin from a damaged part
        raise CorruptFile(f"{name}：.docx 损坏（{type(exc).__name__}）；请用 Word 打开后另存，再导入") from None
    numbering = _Numbering(document)
    styles = _Styles(document)
    lines: list[str] = []
    title = (document.core_properties.title or "").strip()
    for block in _blocks(document):
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
            continue
        style_id = styles.style_id(block)
        if styles.names.get(style_id) == "Title" and not title:
            title = paragraph_text(block).strip()
        if line := _paragraph_line(block, numbering, styles, style_id):
            lines.append(line)
    return "\n".join(lines), title
