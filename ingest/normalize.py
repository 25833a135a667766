"""Character-level normalisation of one line: markup, width, spaces, punctuation, glosses.

Digits and Latin letters become half-width so figures parse; Chinese
punctuation is kept, and ASCII , ; : ! ? written beside Chinese text (a
common conversion artefact) become their Chinese forms so that sentence
splitting sees one convention. What a page's markup or a site's anti-copy
tricks leave inside the text goes too: HTML tags and entities, Word field
codes, pinyin glosses after characters (对(duì)), stray dots and symbols
planted between two characters of a word, doubled quotes.
"""

from __future__ import annotations

import html
import re
import unicodedata

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

# The characters _WIDTH changes: most lines hold none, and a search is cheaper than a translate.
_WIDTH_CHARS = re.compile("[" + "".join(re.escape(chr(cp)) for cp in _WIDTH) + "]")

_TO_CHINESE = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_BULLET = re.compile(r"^(?:[•·●◆◇■□▪▫►▶※★☆]|[-*]\s)\s*")
_SPACES = re.compile(r"[ \t]+")
# C0/C1 controls and invisible format characters (zero-width, bidi overrides,
# soft hyphen): they never belong in report text and can disguise a title.
_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


# Block-level tags end a paragraph; any other tag is dropped where it stands.
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|tr|table|h[1-6]|section|article|blockquote|hr)\b[^<>]{0,300}>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]{0,20}(?:\s[^<>]{0,300})?/?>")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,7}|#[xX][0-9a-fA-F]{2,6});")
# Word field codes exported as text: 'HYPERLINK "/Article/" \t "_blank"'.
_FIELD = re.compile(r"(?:HYPERLINK|PAGEREF|MERGEFORMAT)\b(?:\s+\\?[a-z*]?\s*\"?[A-Za-z0-9_/.:#?=&%-]*\"?){0,4}")
# A pinyin syllable with a tone mark, in brackets after a character: 对(duì).
_GLOSS = re.compile(rf"(?<=[{CJK}])[(（]\s*[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*\s*[)）]")
# A dot between two characters of a word (an anti-copy mark): '工作的.高效开展'.
_PLANTED_DOT = re.compile(rf"(?<=[{CJK}])(?<![一二三四五六七八九十百零〇两第])[.．](?=[{CJK}])")
_DOUBLED_QUOTE = re.compile(r"(“)“+|(”)”+")
# A comma doubled by conversion, or left after other punctuation ('，，', '一、，', '%,，').
_DOUBLED_COMMA = re.compile(r"([，、；：。！？])，+|,+(?=，)")
# PDF text puts spaces around numbers inside Chinese ('2022 年', '寄宿生 6820名').
# A number alone at the end of a line keeps its space: it may be a page number.
_NUMBER_SPACE = re.compile(rf"(?<=[{CJK}]) (?=[\d*×][\d.,*×]*[^\d.,*×\s])|(?<=[\d%*×]) (?=[{CJK}])")
# Symbols, emoji and letters of unrelated scripts never belong inside a
# Chinese word; some sites plant them to defeat copying ('思ꦜ政课').
_KEEP_SYMBOLS = set("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳★☆●○■□▲△◆◇√×※→←↑↓℃㎡‰§№✓✔☑")


def split_markup(line: str) -> list[str]:
    """The pieces of a raw line once HTML left in the text is undone.

    Entities are decoded (stdlib `html.unescape` knows all of them), block
    tags (`<p class="ql-block">`, `<br/>`) cut the line into paragraphs,
    other tags are dropped.

    >>> split_markup('<p class="ql-block">一、总体情况</p> <p>全年新增学位&nbsp;300个&lt;计划&gt;</p>')
    ['一、总体情况', ' ', '全年新增学位\xa0300个<计划>']
    """
    if "&" in line and _ENTITY.search(line):
        line = html.unescape(line)
    if "<" not in line:
        return [line]
    pieces = [_TAG.sub("", piece) for piece in _BLOCK_TAG.split(line)]
    return [piece for piece in pieces if piece] or [""]


# Scripts and forms real reports use beside Chinese: box-drawing table borders,
# kana, Hangul and Yi (bilingual teaching in Yi areas).
_REAL_SCRIPTS = ((0x2500, 0x257F), (0x3040, 0x30FF), (0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF),
                 (0xA000, 0xA4CF))


def _planted(ch: str) -> bool:
    if ch in _KEEP_SYMBOLS or ord(ch) < 0x2000 or _CJK_RE.match(ch):
        return False
    if 0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFFEF or 0x2000 <= ord(ch) <= 0x206F:
        return False  # CJK and general punctuation, full-width forms
    if any(lo <= ord(ch) <= hi for lo, hi in _REAL_SCRIPTS):
        return False
    return unicodedata.category(ch) in ("So", "Sk", "Lo", "Lm", "Mn", "Co", "Cn")


# Characters that are never suspect: ASCII and Latin, general punctuation,
# letterlike and number forms, circled numbers, CJK, CJK punctuation and
# full-width forms. Only a line holding something else is looked at closely.
_SUSPECT = re.compile(
    r"[^\x00-\u036f\u2000-\u218f\u2460-\u24ff\u2500-\u257f\u3040-\u30ff\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\ua000-\ua4cf\u2e80-\u2fdf\u3000-\u303f\u3100-\u312f\u31c0-\u31ef"
    r"\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    + "".join(sorted(_KEEP_SYMBOLS))
    + "]"
)


def _drop_planted(line: str) -> str:
    """Remove emoji and letters of unrelated scripts that sit inside Chinese text."""
    if line.isascii() or not _SUSPECT.search(line):
        return line
    chars = list(line)
    out = []
    for i, ch in enumerate(chars):
        if ord(ch) >= 0x2000 and _planted(ch):
            if ord(ch) >= 0x1F000:
                continue  # emoji: never report text
            prev = next((c for c in reversed(out) if not c.isspace()), "")
            # Look a few characters ahead only: a long run of symbols must not make this quadratic.
            nxt = next((c for c in chars[i + 1 : i + 9] if not _planted(c) and not c.isspace()), "")
            if (not prev or _CJK_RE.match(prev)) or (not nxt or _CJK_RE.match(nxt)):
                continue
        out.append(ch)
    return "".join(out)


_CJKISH = CJK + "“”‘’《》（）【】、。，；：！？…—"
# One pattern per mark with a fixed replacement (no Python callback per match):
# a mark touching Chinese on either side becomes Chinese; '1,000' stays.
_PUNCT_SUBS = [
    (
        mark,
        # The mark first, so the engine searches for it as a literal.
        re.compile(rf"{re.escape(mark)}(?:(?<=[{_CJKISH}]{re.escape(mark)})|(?=[{_CJKISH}]))"),
        re.compile(rf"(?<=[{_CJKISH}])\s+{re.escape(mark)}\s*|\s*{re.escape(mark)}\s+(?=[{_CJKISH}])"),
        chinese,
    )
    for mark, chinese in _TO_CHINESE.items()
]


def _punct(line: str) -> str:
    for mark, tight, spaced, chinese in _PUNCT_SUBS:
        if mark in line:
            if " " in line or "\t" in line:
                line = spaced.sub(chinese, line)
            line = tight.sub(chinese, line)
    return line


_TITLE_LABELS = ("文章标题", "文档标题", "标题", "题目")  # one list: the quick test and the pattern agree
_TITLE_LABEL = re.compile(rf"^(?:{'|'.join(_TITLE_LABELS)})\s*[:：]\s*(?=\S)")
# Spaces around Chinese punctuation ('内容提供方 ， 如对本文', '一、 巩固成果'):
# typesetting, never content; they hide a clause end or a heading marker.
_SPACED_PUNCT = re.compile(rf"(?<=[{CJK}）”》])\s+(?=[，。；、！？])|(?<=[，。；、！？])\s+(?=[{CJK}“《（])")


def normalize_line(line: str) -> str:
    """Return `line` with normalised width, spacing and punctuation.

    >>> normalize_line("　２０２０年,满意度达９６．６５％ ")
    '2020年，满意度达96.65%'
    """
    if _WIDTH_CHARS.search(line):
        line = line.translate(_WIDTH)
    line = _CTRL.sub("", line)
    if "(" in line or "（" in line:
        line = _GLOSS.sub("", line)
    if "HYPERLINK" in line or "PAGEREF" in line or "MERGEFORMAT" in line:
        line = _FIELD.sub("", line)
    if "““" in line or "””" in line:
        line = _DOUBLED_QUOTE.sub(r"\1\2", line)
    if "." in line or "．" in line:
        line = _PLANTED_DOT.sub("", line)
    line = _drop_planted(line)
    if " " in line:  # one space only: a row of fields keeps its wider gaps
        line = _NUMBER_SPACE.sub("", line)
    line = _SPACES.sub(" ", line).strip()
    line = _BULLET.sub("", line)
    if line.startswith("<正>"):
        line = line[3:].lstrip()  # a periodical database's mark where the article's text begins
    if line.startswith(_TITLE_LABELS):
        line = _TITLE_LABEL.sub("", line)  # '文章标题：市教育局局长的述职报告': the title stays, its label goes
    line = _punct(line)
    if " " in line and _SPACED_PUNCT.search(line):
        line = _SPACED_PUNCT.sub("", line)
    if "，" in line and _DOUBLED_COMMA.search(line):
        line = _DOUBLED_COMMA.sub(r"\1", line)
    return line


def printable(text: str) -> str:
    """`text` on one line without control characters (file names, title hints).

    >>> printable("工作\\n总结\\x07.txt")
    '工作 总结.txt'
    """
    text = re.sub(r"[\r\n\t\u2028\u2029\x0b\x0c]+", " ", text)
    return _SPACES.sub(" ", _CTRL.sub("", text)).strip()

