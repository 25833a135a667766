"""Report text made safe to show: inert markup, highlights, years, messages without server paths."""

from __future__ import annotations

import re
from pathlib import PurePath

from index.numbers import years_text as shared_years_text

# Markdown, GFM and KaTeX read these ASCII characters as markup; as numeric character references they
# are shown as themselves, in Markdown text and inside HTML blocks alike.
_MARKUP = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()<>#+-.!|~$:^=/\"'"})
# GFM turns bare http://, www. and e-mail addresses into links after character references are decoded,
# so an invisible word joiner breaks the pattern instead (the text reads the same).
_AUTOLINK = re.compile(r"(?i)(?:(?<=http)|(?<=https))(?=&#58;&#47;&#47;)|(?<=www)(?=&#46;)|(?<=@)")
# An absolute path in a message (POSIX or Windows): the reader gets the file name, not the server's layout.
_PATH = re.compile(r"(?:[A-Za-z]:\\|/)(?:[^\s/\\'\"：，,；;）)]+[/\\])+([^\s/\\'\"：，,；;）)]*)")


def inert(text: str) -> str:
    r"""Report text as st.markdown shows it literally: no Markdown, LaTeX, links, images or HTML.

    Every string taken from a report (title, heading, passage, region, source) goes through this
    before it reaches st.markdown or st.caption; a report must not be able to make the analyst's
    browser fetch anything.

    >>> inert("**粗体** $x^2$ ![](http://a.b/p.png)")
    '&#42;&#42;粗体&#42;&#42; &#36;x&#94;2&#36; &#33;&#91;&#93;&#40;http\u2060&#58;&#47;&#47;a&#46;b&#47;p&#46;png&#41;'
    """
    escaped = str(text).replace("&", "&#38;").translate(_MARKUP)
    return _AUTOLINK.sub("\u2060", escaped).replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


def highlight(text: str, spans=(), sentence: tuple[int, int] | None = None) -> str:
    """The passage with its matched spans in <mark> and its best sentence underlined; the rest inert.

    >>> highlight("甲乙。丙丁。", [(3, 4)], (3, 6))
    '甲乙。<span class="best"><mark>丙</mark>丁。</span>'
    """
    cuts = {0, len(text)}
    marks = [(max(0, a), min(len(text), b)) for a, b in spans if a < b]
    for a, b in marks:
        cuts |= {a, b}
    if sentence and sentence[0] < sentence[1]:
        cuts |= {max(0, sentence[0]), min(len(text), sentence[1])}
    bounds = sorted(cuts)
    out, in_best = [], False
    for a, b in zip(bounds, bounds[1:]):
        best = bool(sentence) and sentence[0] <= a < sentence[1]
        if best != in_best:
            out.append('<span class="best">' if best else "</span>")
            in_best = best
        piece = inert(text[a:b])
        out.append(f"<mark>{piece}</mark>" if any(x <= a < y for x, y in marks) else piece)
    if in_best:
        out.append("</span>")
    return "".join(out)


def no_paths(message: str) -> str:
    """A message with every absolute path replaced by its file name.

    >>> no_paths("无法读取 /srv/data/edureports.db：磁盘已满")
    '无法读取 edureports.db：磁盘已满'
    """
    return _PATH.sub(lambda m: m.group(1) or PurePath(m.group(0)).name, message)


def years_text(years) -> str:
    """Report years in running text: 2021年, 2016、2017年, 2019—2021年, or 年份不详 (index.numbers.years_text).

    >>> years_text([2019, 2020, 2021]), years_text([2016, 2017]), years_text([])
    ('2019—2021年', '2016、2017年', '年份不详')
    """
    return shared_years_text(years, "年")
