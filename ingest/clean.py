"""Clean scraped report text: drop site chrome, repair pages, lines and damage.

The result is a list of `Line`s that remember which raw lines they came from,
so every cleaned report can be traced back to the untouched original.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest import chrome
from ingest.normalize import normalize_line, split_markup
from ingest.patterns import DOC_TYPE_WORDS, LINE_END_OK, Marker, heading_marker, looks_like_title
from ingest.repair import join_page_markers, rejoin_broken, repair_damage
from ingest.types import Line

_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0c")
_SENTENCE = re.compile(r"[，。；！？]")
_SIGNATURE = re.compile(
    r"^(.{2,40}(局|厅|委|委员会|政府|办公室|督导室|中心|学校|学院|大学|小学|中学|幼儿园|研究院|处|科|部|会)"
    r"|[\d〇一二三四五六七八九十]{4}年[\d一二三四五六七八九十]{1,2}月[\d一二三四五六七八九十]{1,3}日)$"
)


@dataclass(frozen=True)
class Cleaned:
    lines: list[Line]
    title_hints: list[str]


def split_raw(text: str) -> list[str]:
    """The raw lines of a text; cleaned `Line`s index into this list."""
    return _NEWLINES.split(text)


def is_table_row(line: str) -> bool:
    """A row of a table as the .docx/.html loaders write it: 'cell | cell | cell'."""
    return line.count(" | ") >= 1 and len(line) <= 400


def is_content(line: str) -> bool:
    """A line of running report text rather than a label, title or heading.

    Long lines with sentence punctuation qualify, and so do shorter lines
    that end inside or at the end of a sentence (PDF text wraps at ~35
    characters).
    """
    if is_table_row(line):
        return True
    if not _SENTENCE.search(line):
        return False
    return len(line) >= 40 or (len(line) >= 12 and ("，" in line or line[-1] in "、。；！？"))


def _keep_outside_body(line: str, head: bool) -> bool:
    # A heading in bold marks or brackets ('**一、指导思想**', '【一、总体要求】') is still a heading.
    bare = line.strip("*【】 ")
    if head and (heading_marker(bare) or looks_like_title(line) or line.endswith("：") or line.startswith("#")):
        return True
    return bool(_SIGNATURE.match(line))


# '——在2024年全市教育工作会议上的报告': a subtitle naming the occasion of a speech or report.
_SUBTITLE = re.compile(r"^[—－–-]{1,2}\s*\S.{2,48}(?:上|时|中)的(?:报告|讲话|发言|致辞|工作报告|汇报|总结讲话|主旨讲话)[^。，；]{0,12}$")
SUBTITLED_MAX = 40  # a speech's main title is a slogan of a line or two


def _subtitled(line: str, nxt: str | None) -> bool:
    """A speech's main title: a short line right above its '——在…上的报告' subtitle.

    Such a title is often a slogan with no doc-type word ('凝心聚力 奋力推动…'),
    so only its subtitle shows it is the title.
    """
    return bool(nxt and _SUBTITLE.match(nxt)) and 4 <= len(line) <= SUBTITLED_MAX and not _SENTENCE.search(line)


# What may stand under a speech's title before its body. Each is kept only in
# that place (right under a title, or under another such line), so a site's
# byline, which carries a time, a label and a colon, never passes as one.
# The speech's own date: '（2019年3月8日）', also with its opening bracket lost or its occasion.
_DATE_LINE = re.compile(
    r"^[（(]?\s*[\d〇零一二三四五六七八九十]{4}\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月"
    r"(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?"
    r"(?:\s*在[^，。；！？()（）]{2,40}上)?\s*[)）]$"  # with its occasion: '（2019年3月8日在全县教育工作会议上）'
)
# The speaker: an office ending in a post, with or without the name ('某市教育局党组书记、局长 某某').
_POSTS = "书记|局长|厅长|主任|校长|院长|园长|省长|市长|县长|区长|州长|旗长|镇长|乡长|部长|处长|科长|主席|督学|组长|所长|站长|委员|干事"
_SPEAKER_LINE = re.compile(
    rf"^[\u4e00-\u9fff、]{{2,36}}(?:{_POSTS})(?:\s+[\u4e00-\u9fff○□×Xx*＊]{{2,4}})?$"
)
# The speaker's name alone, often spaced out ('刘 建 国').
_NAME_LINE = re.compile(r"^[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,3}$")
# A line that is only a kind of document: the second line of a title over two lines ('欢迎词', '汇报材料').
_TYPE_ONLY = re.compile(rf"^(?:{DOC_TYPE_WORDS})(?:材料|稿|提纲)?$")
_PUNCT = re.compile(r"[，。；！？、：:,.;!?|()（）【】<>《》“”\"'/]")
TITLE_HALF_MAX = 40  # the first line of a title broken over two lines


def _title_half(line: str, nxt: str | None) -> bool:
    """The first line of a title broken before its type word ('迎接某省教育考察团' / '欢迎词').

    Only a short line without punctuation or heading marker counts, and only
    right above a line that is nothing but a kind of document.
    """
    return (
        bool(nxt and _TYPE_ONLY.match(nxt))
        and 2 <= len(line) <= TITLE_HALF_MAX
        and bool(_HAN.search(line))
        and not _PUNCT.search(line)
        and heading_marker(line) is None
    )


def _speaker(line: str) -> bool:
    """The speaker's office and name, or the name alone, also in brackets or after a dash ('——某局局长 某某')."""
    bare = line.strip("（）()—－-– ")
    return bool(_SPEAKER_LINE.match(bare) or _NAME_LINE.match(bare))


def _title_companions(lines: list[Line], first: int, listed: set[int]) -> set[int]:
    """Lines before the body that belong to the title above them.

    A title broken over two lines, and under a speech's title its speaker
    (office, name) and its date; meta joins the title's halves and reads the
    year from the date when the title has none. A line of these kinds
    anywhere else before the body is left to the other rules.
    """
    out: set[int] = set()
    under = False  # the line above is a title or one of its companions
    for i in range(first):
        text = lines[i].text
        nxt = lines[i + 1].text if i + 1 < first else None
        if i in listed:
            under = False
        elif i in out:
            under = True  # the second half of a title
        elif _title_half(text, nxt):
            out.update((i, i + 1))
            under = True
        elif under and (_speaker(text) or _DATE_LINE.match(text)):
            out.add(i)
        else:
            under = _head_title(text) or _subtitled(text, nxt) or bool(_SUBTITLE.match(text))
    return out


def _opens_report(line: str) -> bool:
    """A first-level heading of a report ('一、主要成绩'), not an entry of a list of documents."""
    bare = line.strip("*【】 ")
    hm = heading_marker(bare)
    return bool(hm) and hm[0] in (Marker.CN, Marker.PCN) and not looks_like_title(bare[hm[2] :])


_TAGGED = re.compile(r"【[^】]{0,12}】|[（(][^）)]{0,20}[)）]")
TEASER_MIN = 20  # a line this long that the next line starts with is a teaser of it




def _drop_teasers(lines: list[Line]) -> list[Line]:
    """Drop a site's teaser: the opening of a paragraph, cut off, right before the paragraph itself."""
    return [
        ln for ln, nxt in zip(lines, [*lines[1:], None])
        if not (nxt and len(ln.text) >= TEASER_MIN and len(nxt.text) > len(ln.text) and nxt.text.startswith(ln.text))
    ]


_PAGE_TAIL = re.compile(r"(?<=[\u4e00-\u9fff，、])\s+\d{1,3}$")
# Characters that continue a number ('12' / '所学校'): a number before them is a figure, not a page.
_UNIT_START = set("所个名人万亿元%年月日次项家座间台件平米公里倍分届期批位条套册辆余多")


def _strip_page_tails(lines: list[Line]) -> list[Line]:
    """Remove a page number that PDF text left at the end of a line cut mid-sentence ('…创新 1' / '工作思路…')."""
    out = list(lines)
    for i in range(len(out) - 1):
        m = _PAGE_TAIL.search(out[i].text)
        nxt = out[i + 1].text
        if m and nxt and "\u4e00" <= nxt[0] <= "\u9fff" and nxt[0] not in _UNIT_START:
            out[i] = Line(out[i].text[: m.start()], out[i].first, out[i].last, out[i].after_blank)
    return out


def _drop_running_heads(lines: list[Line], paged: set[int]) -> list[Line]:
    """Drop a PDF's running head: the title line repeated at the top of each page.

    A repeat of a line from the head of the file is a running head when it
    opens a page (after a page number), or recurs and cuts a sentence (the
    line before it stops mid-sentence); a repeat standing between two
    paragraphs, or a wrapped body line that once happens to hold the title,
    is report text and stays.
    """
    body = next((i for i, ln in enumerate(lines) if is_content(ln.text)), len(lines))
    heads = {ln.text for ln in lines[:body] if not is_content(ln.text)}
    if not heads:
        return lines
    # A running head recurs on every page; a single repeat without a page
    # number beside it is a wrapped line of the body that happens to hold the title.
    repeats = Counter(ln.text for ln in lines[body + 1 :] if ln.text in heads)
    out: list[Line] = []
    for i, ln in enumerate(lines):
        if i > body and ln.text in heads and out:
            if i in paged or (repeats[ln.text] >= 2 and out[-1].text[-1] not in LINE_END_OK):
                continue
        out.append(ln)
    return out


_HAN = re.compile(r"[\u4e00-\u9fff]")
CLOSING_MAX = 60


def _last_item(text: str) -> tuple[Marker, int] | None:
    hm = heading_marker(text.strip("*【】 "))
    return (hm[0], hm[1]) if hm else None


# The formulae that close a report: 特此报告。 以上总结，请审阅。 汇报完毕。
_CLOSING = re.compile(r"^(?:特此|以上|此致|妥否|汇报完毕|报告完毕|请审阅|请审议|请批示)[^。！？]{0,16}[。！？]?$")


def _closing_line(text: str, prev: tuple[Marker, int] | None) -> tuple[Marker, int] | None:
    """(style, number) of a line that closes a report, else None.

    A report's last section often ends in a list of short items without
    punctuation ('四、下一步打算' / '1.完善平台功能' / '2.…') and a formula
    ('特此报告。'), all after its last paragraph. An item counts only when it
    opens a list (1, 一、, （一）) or continues the one before it, so a site's
    numbered rules after the report ('2. 某某网负责整理代发布') are not taken.
    """
    if len(text) > CLOSING_MAX or not _HAN.search(text):
        return None
    bare = text.strip("*【】 ")
    hm = heading_marker(bare)
    if hm:
        style, n, end = hm
        fits = n == 1 or style in (Marker.PART, Marker.CN, Marker.PCN) or prev == (style, n - 1)
        return (style, n) if fits and not looks_like_title(bare[end:]) else None
    return (Marker.PLAIN, 0) if _CLOSING.match(text) else None


LIST_RUN = 3  # this many titles in a row before the body are a list of other documents


_DIGITS_AND_TAGS = re.compile(r"[\d\s_＿xX×*＊]|【[^】]*】")


def _variant_key(title: str) -> str:
    """A title's characters without digits, placeholders, spaces and bracketed tags, in order of code point.

    A site's page title, its teaser and the report's own title line are one
    title with the years moved or changed ('2024年县教育局工作总结…' and
    '县教育局2023年工作总结…' share this key); titles of other documents do not.
    """
    return "".join(sorted(_DIGITS_AND_TAGS.sub("", title)))


def _head_title(line: str) -> bool:
    """A title line before the body; '现将…汇报如下：' introduces the body and is not one."""
    return looks_like_title(line) and line[-1] not in "：:"


def _title_lists(lines: list[Line], first: int) -> set[int]:
    """Lines of a list of other documents' titles before the body (a site's related list).

    Only the last title of the last such run can be the report's own (only
    headings or an opening line may stand between it and the body); the
    others are dropped. Variants of one title (a site's page title above the
    report's own) count once.
    """
    out: set[int] = set()
    run: list[int] = []
    for i in range(first + 1):
        if i < first and _head_title(lines[i].text):
            run.append(i)
            continue
        if len({_variant_key(lines[k].text) for k in run}) >= LIST_RUN:
            last = not any(_head_title(lines[k].text) for k in range(i, first))
            out.update(run[:-1] if last else run)
        run = []
    return out


def _earlier_variants(lines: list[Line], first: int) -> set[int]:
    """Title lines before the body that a later title line repeats with other years or tags.

    The line nearest the body is the report's own title; the earlier
    variants are the site's page title and teaser ('2024年…【精选推荐】' above
    '县教育局2023年…'), whose years are often the upload's, not the report's.
    """
    later: set[str] = set()
    out: set[int] = set()
    for i in range(first - 1, -1, -1):
        if _head_title(lines[i].text):
            key = _variant_key(lines[i].text)
            if key in later:
                out.add(i)
            later.add(key)
    return out


def clean(text: str) -> Cleaned:
    """Clean one file's text into report lines.

    >>> [l.text for l in clean("当前位置:首页 > 工作总结\\n2020年工作总结\\n一年来,我们做好了各项工作,成效明显,群众满意度持续提升。\\n下载该Word文档").lines]
    ['2020年工作总结', '一年来，我们做好了各项工作，成效明显，群众满意度持续提升。']
    """
    hints: list[str] = []
    lines: list[Line] = []
    blank = False
    in_list = False
    listed: Line | None = None
    paged: set[int] = set()
    for i, raw in enumerate(split_raw(text)):
        lines_seen = i - 1
        for piece in split_markup(raw):
            norm = normalize_line(piece)
            if not norm:
                blank = True
                continue
            # Site speech goes first, as spans, so that a report sentence a
            # site wrote into is kept; furniture is judged on what remains.
            # A furniture line without a sentence in it goes whole (a breadcrumb
            # keeps no crumbs once the site's name in it is gone).
            sentence = _SENTENCE.search(norm)
            whole = not sentence and chrome.is_chrome(norm)
            spoken = "" if whole else chrome.strip_inline(norm)
            if spoken and sentence:
                if chrome.is_chrome(norm) and not chrome.speaks_of_work(spoken):
                    # A site notice: what its phrases leave ('所有。请立即通知某某网…') is the notice's too.
                    spoken = ""
                elif chrome.is_chrome(spoken):
                    # Never a report sentence with the chrome: the sentences of a
                    # line judged chrome are judged one by one.
                    spoken = chrome.strip_inline(chrome.report_sentences(spoken))
            if not spoken or (not sentence and spoken != norm and chrome.is_chrome(spoken)):
                if chrome.is_page_number(spoken or norm):
                    paged.add(len(lines))  # the next kept line opens a page
                if title := chrome.file_title(spoken or norm):
                    hints.append(title)
                if chrome.LIST_HEADER.match(spoken or norm):
                    in_list = True
                continue
            # A list of other documents is not numbered 一、/（一）: such a heading opens the report.
            opens_report = in_list and _opens_report(spoken)
            if in_list and not is_content(spoken) and not opens_report:
                # An item of a related list, or the report's title right after the list.
                listed = Line(spoken, i, i, blank)
                continue
            if in_list and listed and listed.last == lines_seen and looks_like_title(listed.text):
                lines.append(listed)  # the line right before the body can be the report's title
            in_list, listed = False, None
            lines.append(Line(spoken, i, i, blank))
            blank = False

    lines = rejoin_broken(join_page_markers(_drop_running_heads(_drop_teasers(_strip_page_tails(lines)), paged)))
    body = [i for i, ln in enumerate(lines) if is_content(ln.text)]
    if not body:
        return Cleaned([], hints)
    first, last = body[0], body[-1]
    listed = _title_lists(lines, first) | _earlier_variants(lines, first)
    companions = _title_companions(lines, first, listed)
    kept: list[Line] = []
    seen: set[str] = set()
    trailing, closed = True, _last_item(lines[last].text) if body else None
    for i, ln in enumerate(lines):
        if i < first:
            nxt = lines[i + 1].text if i + 1 < len(lines) else None
            keep = _keep_outside_body(ln.text, head=True) or _subtitled(ln.text, nxt) or i in companions
            if i in listed or not keep or ln.text in seen:
                continue
            if _TAGGED.sub("", ln.text) in seen:
                continue  # the title again with a site's tag or note: '【精选推荐】…总结（附…）'
            seen.add(ln.text)
        elif i > last:
            # The report's closing lines (a last list of items, '特此报告。') follow
            # its last paragraph without a break; what comes after them is the site's.
            closing = _closing_line(ln.text, closed) if trailing else None
            trailing, closed = closing is not None, closing or closed
            if not trailing and not _keep_outside_body(ln.text, head=False):
                continue
        kept.append(ln)

    kept = [Line(repair_damage(ln.text), ln.first, ln.last, ln.after_blank) for ln in kept]
    return Cleaned(kept, hints)
