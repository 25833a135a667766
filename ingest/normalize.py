"""Character-level normalisation of one line: width, spaces and punctuation.

Digits and Latin letters become half-width so figures parse; Chinese
punctuation is kept, and ASCII , ; : ! ? written beside Chinese text (a
common conversion artefact) become their Chinese forms so that sentence
splitting sees one convention.
"""

from __future__ import annotations

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")

# Full-width forms that are not Chinese punctuation map to ASCII.
_KEEP_FULLWIDTH = set("！（），：；？")
_WIDTH = {
    cp: cp - 0xFEE0
    for cp in range(0xFF01, 0xFF5F)
    if chr(cp) not in _KEEP_FULLWIDTH
}
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20,
               0x200B: None, 0xFEFF: None, 0x301D: 0x201C, 0x301E: 0x201D, 0x301F: 0x201D})

_TO_CHINESE = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_ASCII_PUNCT = re.compile(r"\s*([,;:!?])\s*")
_BULLET = re.compile(r"^(?:[•·●◆◇■□▪▫►▶※★☆]|[-*]\s)\s*")
_SPACES = re.compile(r"[ \t]+")
# C0/C1 controls and invisible format characters (zero-width, bidi overrides,
# soft hyphen): they never belong in report text and can disguise a title.
_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def _is_cjkish(ch: str) -> bool:
    return bool(_CJK_RE.match(ch)) or ch in "“”‘’《》（）【】、。，；：！？…—"


def _punct(match: re.Match[str]) -> str:
    s, (start, end) = match.string, match.span()
    before = s[start - 1] if start > 0 else ""
    after = s[end] if end < len(s) else ""
    mark = match.group(1)
    if before.isdigit() and after.isdigit():
        return match.group(0)
    if (before and _is_cjkish(before)) or (after and _is_cjkish(after)):
        return _TO_CHINESE[mark]
    return match.group(0)


def normalize_line(line: str) -> str:
    """Return `line` with normalised width, spacing and punctuation.

    >>> normalize_line("　２０２０年,满意度达９６．６５％ ")
    '2020年，满意度达96.65%'
    """
    line = _CTRL.sub("", line.translate(_WIDTH))
    line = _SPACES.sub(" ", line).strip()
    line = _BULLET.sub("", line)
    return _ASCII_PUNCT.sub(_punct, line)


def printable(text: str) -> str:
    """`text` on one line without control characters (file names, title hints).

    >>> printable("工作\\n总结\\x07.txt")
    '工作 总结.txt'
    """
    text = re.sub(r"[\r\n\t\u2028\u2029\x0b\x0c]+", " ", text)
    return _SPACES.sub(" ", _CTRL.sub("", text)).strip()


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))
