"""Figures in report prose as rows: value, unit, qualifier, indicator, role.

A figure is a number (Arabic, or Chinese via cn2an) followed by a unit: a
measure word (所, 名, 人次 …), money (元, 万元, 亿元), a percentage or
个百分点. 万/亿 multiply into base units (34.48万元 -> 344800 元). Qualifiers
(近, 约, 超过, 余, 以上 …) are kept apart from the value. Changes are marked
with their role: 由25人增加到29人 gives a `from` and a `to` row,
较上年提高1.3个百分点 a `change` row with its direction.

Not figures: years, dates, times, document numbers (〔2020〕26号), ordinals
(第15届, 十九届五中全会), numbers inside cited titles 《…》, slogans “…” or
dictionary names (八项规定, 三个代表, 五项管理), places named with a numeral
(九台, 三门峡), counts of reports in a compilation (【范例4篇】), ages and
thresholds that name a class (3-6岁儿童, 56人以上大班额), bare digit strings
(phones, QQ). Template placeholders in every form (xx名, **%, ×名, X万,
某某所, ○○个, __人, xxxx年) become rows with masked=True and no value; a
range (1-2所) is one row with `low` and `high` and no single value; a count
equal to a plausible year in damaged text (由8个增加到2023个) is kept and
flagged suspect. The indicator is the noun a reader would name (the subject
before 控制在/保持在/占, each item of a list, the n-th name of a 分别 list,
the noun after 的 of a relative clause); when none is found it says
（未识别） rather than borrowing a word. A change names what it changes (the
figure it follows), and `previous_value` derives last year's value from the
two.

Numbers come as pages write them: with a space before the unit (PDF text),
thousands grouped by a space (1 376所), a decimal point damaged to 。 or ?
(13。7亿元), a unit left out after 万 (受益学生超过3360万: kept only when
the name says people or times), in table rows flattened to text
(挂牌督导|1260校次|增加180校次) and in labelled items (学前教育资助：412人，
金额20.6万元, the label also coming from the passage's heading).

No library does this for policy prose (jionlp's money/number parsers handle
one span given to them, not finding them in running text with indicators),
so the patterns are written here; cn2an converts the Chinese numerals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from ingest.types import Role
from ingest.words import Tagging, tagging

# Measure words and units, longest first so 人次 wins over 人.
COUNT_UNITS = (
    "平方公里 平方千米 公顷 立方米 平方米 ㎡ 万平方米 人次 场次 校次 班次 户次 家次 批次 节次 课次 个百分点 个月 个小时 学时 课时 小时 分钟 周岁 笔 分 "
    "所 名 人 个 项 场 次 盏 间 台 套 册 亩 节 篇 件 条 家 辆 本 份 支 批 届 天 岁 户 校 园 班 组 期 门 处 座 宗 张 位 幅 "
    "元 万元 亿元 千元 G 兆 篇次 课 部 对 层 米 公里 吨"
).split()
_UNITS = sorted(set(COUNT_UNITS), key=len, reverse=True)
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
# A decimal point may come out of a conversion as 。, ． or ? (13。7亿元, 4。6%, 21?5%); the damaged forms count
# as one only between digits that a unit follows at once, never after a year-like integer part.
# Typeset numbers group thousands with a thin or plain space (1 122个, 2 083所).
_NUM = r"(?:(?<!\d)\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.．])|\d+(?:,\d{3})*)(?:[.．]\d+|(?<!(?:19|20)\d\d)(?<!\d{5})[。?？]\d{1,4}(?=[万亿%％个]))?"
# PDF text puts a space between a number and its unit (8316 万元, 300 多所); one space is allowed there.
_GAP = r"[ \u00a0\u3000]?"
_CN_NUM = rf"[{_CN_DIGITS}]{{2,}}|[二两三四五六七八九十]"
# Template placeholders that stand for a number: x xx X Ｘ * ** × ×× ○ □ _ … and 某某 (a single 某 is
# "a certain", not a number). ○ next to Chinese digits is a zero (一○○), so it must stand alone.
_MASK_CHAR = r"[xXＸｘ×✕*＊□_＿…]|(?<![零〇一二两三四五六七八九十百千])○(?![零〇一二两三四五六七八九十百千])"
_MASK_RUN = rf"(?:{_MASK_CHAR})+"
# 2XX人, 200xxxx, x,xxx人, xx.xx万元: digits may lead a mask and mask groups may be split like digits.
_MASK = rf"(?:(?<![\d.])\d{{0,3}}{_MASK_RUN}(?:[.,]{_MASK_RUN})*|某{{2,}})"
_ANY_MASK = re.compile(rf"{_MASK_CHAR}|某某")  # a cheap test before the slower patterns below
_MASKED_BARE = re.compile(rf"{_MASK}(?:千万|百万|万|亿)")
# A masked year or date part (xxxx年, 20xx年, x月): a template's date, kept as a masked row so it is
# never read as a year and never lost.
_MASKED_DATE = re.compile(rf"(?<![\dA-Za-zＸ*＊×_＿])(?:(?:19|20)(?:{_MASK_CHAR}){{2}}|(?:{_MASK_CHAR}){{2,4}})(?=年)|(?:{_MASK_CHAR}){{1,2}}(?=月)")
_QUAL_BEFORE = "不超过|不高于|接近|近|约|超过|超|突破|逾|多达|高达|不少于|不低于|不到|不足|达到|达|共计|共|累计|合计|总计"
_QUAL_AFTER = "余|多|以上|左右|以内|以下"

_RANGE_SEP = r"\s*(?:-|－|—|–|~|～|至|到)\s*"

# Every figure starts with one of these characters (a qualifier's first, a digit, a placeholder, a Chinese
# numeral); the lookahead lets the scan skip all other positions at once instead of trying each alternative.
_FIRST = "".join(sorted({w[0] for w in _QUAL_BEFORE.split("|")} | set(_CN_DIGITS) | set("xXＸｘ×✕*＊□_＿…○某")))
FIGURE = re.compile(
    rf"(?=[\d{re.escape(_FIRST)}])"
    rf"(?P<qb>{_QUAL_BEFORE})?"
    rf"(?:(?P<low>{_NUM})(?P<lowmult>万|亿)?(?P<lowpct>%|％)?{_RANGE_SEP}(?=\d))?"
    rf"(?P<num>{_NUM}|{_MASK}|{_CN_NUM})"
    rf"(?:{_GAP}(?P<qa1>{_QUAL_AFTER}))?"
    rf"(?:{_GAP}(?P<mult>千万|百万|万|亿))?"
    rf"(?P<qa2>{_QUAL_AFTER})?"
    rf"{_GAP}(?P<unit>%|％|‰|{'|'.join(map(re.escape, _UNITS))})"
    rf"(?P<qa3>{_QUAL_AFTER})?"
)
_MULT = {"千万": 1e7, "百万": 1e6, "万": 1e4, "亿": 1e8, "": 1.0}
_UNIT_MULT = {"万元": ("元", 1e4), "亿元": ("元", 1e8), "千元": ("元", 1e3), "万平方米": ("平方米", 1e4), "平方千米": ("平方公里", 1.0), "㎡": ("平方米", 1.0),
              "％": ("%", 1.0)}
_QUALIFIER = {"超": "超过", "达到": "达", "共计": "共", "累计": "累计", "合计": "共", "总计": "共", "多达": "达", "高达": "达",
              "逾": "超过", "多": "余", "不低于": "以上", "不少于": "以上",
              "不超过": "以内", "不高于": "以内", "接近": "近"}

# Words before a number that qualify it (共, 累计 only say it is a total).
_QUALIFYING = {"不超过", "不高于", "接近", "近", "约", "超过", "超", "突破", "逾", "不到", "不足", "不少于", "不低于", "达", "达到", "多达", "高达"}
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
_QUOTED = re.compile(r"《[^》]{0,80}》|“[^”]{0,24}”|〔[^〕]{0,12}〕|\[[^\]]{0,12}\]")
_NOT_FIGURE_BEFORE = re.compile(r"(第|周|星期|每|前|后)$")
_ORDINAL_LIST = re.compile(r"第[\d一二三四五六七八九十]+(?:[、和及至到\-－—~～][\d一二三四五六七八九十]+)*[、和及至到\-－—~～]$")
_SUO_PARTICLE = set("示述谓列载附属有在以需得用能")
_CHANGE_UP = "净增|增加|增长|提高|提升|上升|增至|增加到|增长到|提高到|提高至|提升到|提升至|上升到|上升至|升至|扩大|多出"
_CHANGE_DOWN = "净减|减少|下降|降低|缩小|压减至|压减到|压减|减至|降至|降到|减少到|减少至|下降到|下降至|降低到|降低至|缩小到|缩小至|缩减"
# 比上年增加3117所，增长1.07%; 增加100人，增幅达20.4%: a figure whose clause holds only a verb of change
# continues the change before it.
_CHANGE_GOES_ON = re.compile(rf"^[，,、]?\s*(?P<dir>{_CHANGE_UP}|{_CHANGE_DOWN}|增幅|涨幅|增速|降幅)(?:了|达到|达|为)?$")
_FROM_TO = re.compile(
    rf"(?:由|从)(?P<a>[^，。；由从]{{1,20}}?)(?:{_CHANGE_UP}|{_CHANGE_DOWN}|变为|调整为|到)(?:到|至|为)?(?P<b>[^，。；]{{1,20}})"
)
_CHANGE = re.compile(rf"(?:较上年|比上年|同比|较去年|比去年|环比|较\d{{4}}年|比\d{{4}}年)[^，。；\d]{{0,6}}?(?P<dir>{_CHANGE_UP}|{_CHANGE_DOWN})了?$")
# 近视率下降0.5个百分点: percentage points after a verb of change are a change even with no year named.
_POINTS_CHANGE = re.compile(r"(?P<dir>增加|增长|提高|提升|上升|扩大|减少|下降|降低|缩小)了?$")
INDICATOR_MAX = 16
# What a figure's indicator says when no noun names what it counts (a reader sees this, not a borrowed word).
UNKNOWN_INDICATOR = "（未识别）"
MASKED_DATE_INDICATOR = "日期"


@dataclass(frozen=True)
class Figure:
    """One figure found in a text."""

    value: float | None
    unit: str
    qualifier: str
    raw: str
    start: int
    end: int
    sentence: str
    indicator: str = ""
    masked: bool = False
    suspect: bool = False
    role: str = Role.NONE
    direction: int = 0  # +1 up, -1 down, for changes
    low: float | None = None  # the ends of a range (1-2所); value is then None
    high: float | None = None


def _cn_value(token: str) -> float | None:
    import cn2an

    try:
        return float(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _arabic(num: str) -> float:
    """'1,234.5', '13。7' (a decimal point damaged by conversion) -> float."""
    return float(re.sub(r"[。．?？]", ".", re.sub(r"[,\s\u2009\u202f]", "", num)))


def _blocked(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= a and b <= e for s, e in spans)


def _not_a_figure(text: str, m: re.Match[str]) -> bool:
    a, b = m.start("num"), m.end()
    num, unit = m.group("num"), m.group("unit")
    first = m.start("low") if m.group("low") else a
    if _NOT_FIGURE_BEFORE.search(text[max(0, first - 3) : first].rstrip(" \u00a0\u3000")):
        return True  # 第15届, 第 19 届, 每年, 前3名, 第3-5项
    if _ORDINAL_LIST.search(text[max(0, first - 16) : first]):
        return True  # 第1、2项指标, 第二、三批: every item of an ordinal list is an ordinal
    if unit in ("次", "人次") and re.search(r"(?:浏览|阅读|点击|下载|访问|热度|人气)(?:量|数|次数|人数)?\s*[：:]\s*$", text[max(0, first - 8) : first]):
        return True  # 浏览：2695次: the page's own counter, not the report's
    after = text[b : b + 2]
    if unit == "所" and after[:1] in _SUO_PARTICLE:
        return True  # 表2所示, 如图3所述: 所 as a particle, not a count of schools
    if unit == "届" and re.match(r"[一二三四五六七八九十\d]", text[b : b + 1]):
        return True  # 十九届四中、五中全会, 十三届二次全体会议: a number right after 届 says which session, so 届 is an ordinal
    if unit == "次" and text[first - 1 : first] == "届":
        return True  # (十三届)二次全体会议: the session of a term, never a count
    if unit in ("个", "项") and re.match(r"[一二三四五六七八九十]", after):
        return True  # 一个…一个
    if re.fullmatch(r"\d{4}", num.replace(",", "")) and unit in ("年", "届"):
        return True
    if unit in ("届", "次") and re.match(r"[^，。；、]{0,3}?(?:全会|大会|会议|党代会|人代会|代表大会|人大|政协)", text[b : b + 8]):
        return True  # 十九届五中全会, 十二次党代会: which meeting, not how many
    if unit == "届" and not num[0].isdigit() and text[a - 1 : a] in ("的", "党", "省", "市", "县", "区"):
        return True  # 党的十九届
    if unit == "篇" and (re.search(r"(?:范文|范例|精选|通用|模板|合集|集合|汇编|大全|优秀|热门|推荐|共)\s*$", text[max(0, a - 4) : a])
                        or re.match(r"\s*(?:范文|[】\])）])", text[b : b + 3])):
        return True  # 【范例4篇】, (共15篇), 精选12篇范文: how many reports a compilation holds
    if num[0] in _CN_DIGITS and text[a - 1 : a] in "是一":  # 一是, 统一
        return True
    if num[0] in _CN_DIGITS and re.match(r"[\u4e00-\u9fff]{0,6}[：:]", text[b : b + 8]):
        return True  # 会议共有三项议程：一是…: a count that announces the list after it is the text's outline
    if num[0] in "十" and text[b - len(unit) - 1 : b].startswith("五"):
        return True
    return False


def figures(text: str, words: Tagging | None = None, label: str = "") -> list[Figure]:
    """Every figure in `text`, in order.

    `words` is the passage's `Tagging` when the caller holds it already (the
    themes stage cut the same passage); by default it is taken from
    `ingest.words.tagging`, which keeps the last passages' taggings.
    `label` is the heading the passage sits under: an item written
    '一、学前教育资助：412人，金额20.6万元' is cut into that heading and a
    passage that starts with its figures, which then name nothing else.

    >>> [f.indicator for f in figures("412人，金额20.6万元。", label="一、学前教育资助")]
    ['学前教育资助', '学前教育资助金额']

    >>> [(f.value, f.unit, f.qualifier) for f in figures("社会满意度达96.65%，新增学位近2万个。")]
    [(96.65, '%', '达'), (20000.0, '个', '近')]
    """
    tg = words if words is not None and words.text == text else tagging(text)
    blocked = [m.span() for m in _QUOTED.finditer(text)]
    blocked += [m.span() for m in re.finditer(r"\d{1,2}月\d{1,4}日|\d{1,2}[:：]\d{2}|\d+号|\d{4}年(?:度)?", text)]
    sentences = [(s.start(), s.end()) for s in _SENTENCE.finditer(text)]
    found: list[Figure] = []
    for m in FIGURE.finditer(text):
        a, b = m.start("low") if m.group("low") else m.start("num"), m.end()
        if _blocked(text, a, b, blocked) or _not_a_figure(text, m):
            continue
        num = m.group("num")
        unit = m.group("unit")
        if unit in ("天", "岁", "周岁", "期", "层", "米", "对", "部", "课", "分") and num[0] in _CN_DIGITS:
            continue  # 三天, 三期: phrases more often than figures
        masked = bool(re.fullmatch(_MASK, num))
        if (masked and unit == "组" and len(num) == 1 and re.match(r"[\u4e00-\u9fff]", text[m.start("num") - 1 : m.start("num")])
                and text[m.start("num") - 1] not in "分成设编为共有了和及、近约达"):
            continue  # 局X组 (局党组 with 党 masked): groups are counted after 分成/设, a lone mask after a name hides a character
        if masked and _unit_starts_a_word(tg, m.start("unit"), unit):
            continue  # XX校区, xx所长: a masked name, not a masked count
        if masked:
            value = None
        elif num[0].isdigit():
            value = _arabic(num)
        else:
            value = _cn_value(num)
            if value is None:
                continue
        if not masked and num[0] in _CN_DIGITS and (_inside_a_name(tg, m.start("num"), m.end("unit")) or _inside_a_place(text, m)
                                                     or _a_slogan(tg, m)):
            continue
        if _a_class_label(text, m):
            continue
        mult = _MULT[m.group("mult") or ""]
        base_unit, unit_mult = _UNIT_MULT.get(unit, (unit, 1.0))
        qa = m.group("qa1") or m.group("qa2") or m.group("qa3") or ""
        qb = m.group("qb") or ""
        qualifier = _QUALIFIER.get(qb, qb) if qb in _QUALIFYING else ""
        qualifier = qualifier or _QUALIFIER.get(qa, qa)
        low = high = None
        if value is not None:
            value = round(value * mult * unit_mult, 6)
            if m.group("low"):
                # 1-2所, 3~6岁: one row; its value is left empty so that a range is never summed as a count.
                low_mult = _MULT[m.group("lowmult")] if m.group("lowmult") else mult  # 85万-90万人
                low, high = round(_arabic(m.group("low")) * low_mult * unit_mult, 6), value
                value = None
        suspect = bool(
            value is not None and base_unit not in ("%", "元", "平方米") and 1990 <= value <= 2100
            and value == int(value) and re.search(r"(由|从|到|至|增加到|增至)\s*$", text[max(0, a - 6) : a])
        )
        s = next(((x, y) for x, y in sentences if x <= a < y), (0, len(text)))
        start = m.start("qb") if m.group("qb") else a
        found.append(Figure(value, base_unit, qualifier, text[start:b], start, b, text[s[0] : s[1]].strip(),
                            masked=masked, suspect=suspect, low=low, high=high))
    found += _masked_dates(text, sentences, [(f.start, f.end) for f in found])
    found += _bare_amounts(text, sentences, [(f.start, f.end) for f in found], tg)
    found.sort(key=lambda f: f.start)
    found = [f if f.indicator else replace(f, indicator=indicator(text, f, tg)) for f in found]
    found = _respectively(text, found)
    out = _inherit(_roles(text, found), tg)
    out = _under_label(text, out, label)
    return [f if f.indicator else replace(f, indicator=UNKNOWN_INDICATOR) for f in out]


_HEADING_MARK = re.compile(r"^\s*(?:第[一二三四五六七八九十\d]+[部分章节条]|[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|[①-⑳])\s*")


def _under_label(text: str, found: list[Figure], label: str) -> list[Figure]:
    """Figures of the passage's first sentence that name nothing (or only 金额, 人数…) take the heading's name."""
    name = _HEADING_MARK.sub("", label or "").strip(" ：:。，")
    if not name or len(name) > INDICATOR_MAX or re.search(r"[\d，。；、]", name) or not found:
        return found
    first = found[0].sentence
    out = []
    for f in found:
        if f.sentence == first and "：" not in text[: f.start] and ":" not in text[: f.start]:
            if not f.indicator:
                f = replace(f, indicator=name)
            elif f.indicator in _GENERIC_HEADS:
                f = replace(f, indicator=(name + f.indicator)[-INDICATOR_MAX:])
        out.append(f)
    return out


_RESPECTIVELY = re.compile(r"分别")
_LIST_WORDS = {"、", "和", "及", "与", "以及"}
_OUTER_BREAK = re.compile(r"[，。；：！？,;:\n（）()]")  # clause breaks that end a list (、 joins its items)
_BETWEEN_ITEMS = re.compile(r"\s*(?:、|和|及|与|，|,)\s*")


def _respectively(text: str, found: list[Figure]) -> list[Figure]:
    """A、B和C分别达到x、y和z: the n-th figure measures the n-th name.

    Names that share a head (幼儿园、小学、初中教师学历达标率) each take it: the last
    name is the parallel word plus the head. Only when the names and the figures
    are as many; otherwise the figures keep what `indicator` found.
    """
    from ingest.words import words

    out = list(found)
    for m in _RESPECTIVELY.finditer(text):
        idx = [i for i, f in enumerate(out) if m.end() <= f.start <= m.end() + 12]
        if not idx:
            continue
        run = [idx[0]]
        for i in range(idx[0] + 1, len(out)):
            if not _BETWEEN_ITEMS.fullmatch(text[out[run[-1]].end : out[i].start]):
                break
            run.append(i)
        start = max((b.end() for b in _OUTER_BREAK.finditer(text, 0, m.start())), default=0)
        if not text[start : m.start()].strip():
            # …达a，…占b，分别比上年增长c和d: the changes go, in order, with the figures before them
            before = [i for i, f in enumerate(out) if f.end <= m.start() and f.sentence == out[run[0]].sentence]
            if len(run) >= 2 and len(before) >= len(run):
                for i, j in zip(run, before[-len(run):]):
                    out[i] = replace(out[i], indicator=out[j].indicator)
            continue
        names, item = [], ""
        for w in words(text[start : m.start()]):  # items joined by 、/和/及, cut as words (参与 holds no 与)
            if w in _LIST_WORDS:
                names.append(item.strip())
                item = ""
            else:
                item += w
        names.append(item.strip())
        if len(names) < 2 or len(run) != len(names) or any(not n or re.search(r"\d", n) for n in names):
            continue
        first = names[0].rsplit("的", 1)[-1]  # 参与试点的职业院校: the name, not what qualifies it
        scope = _SCOPE.match(first)
        names[0] = first[scope.end():] if scope and len(first) > scope.end() + 1 else first
        head = ""
        longest = max(map(len, names[:-1]))
        if len(names[-1]) > longest + 1:
            cut = words(names[-1])
            n, taken = 1, len(cut[0])
            while n < len(cut) - 1 and taken + len(cut[n]) <= longest:  # 乡镇学校学业质量合格率: the parallel name may be several words
                taken += len(cut[n])
                n += 1
            if taken <= longest:
                head = "".join(cut[n:])  # 高中教师学历达标率: 高中 + the head the other names share
        for k, i in enumerate(run):
            name = names[k] + head if k < len(run) - 1 else names[k]
            out[i] = replace(out[i], indicator=name[-INDICATOR_MAX:])
    return out


def _a_class_label(text: str, m: re.Match[str]) -> bool:
    """3-6岁儿童, 30-39岁教师1510人, 56人以上大班额比例为18.3%: the span names a class of things, not an amount.

    An age directly followed by a noun, or a threshold (…以上/以下) directly followed by a noun
    with another figure later in its clause, is part of a name.
    """
    b = m.end()
    nxt = text[b : b + 1]
    if not re.match(r"[\u4e00-\u9fff]", nxt) or nxt in "的，。；、":
        return False
    if m.group("unit") in ("岁", "周岁"):
        return not re.match(r"[以左及和至到或]", nxt)
    qa = m.group("qa3") or m.group("qa2") or m.group("qa1") or ""
    if qa in ("以上", "以下") and text[b - len(qa) : b] == qa:
        clause = _CLAUSE_BREAK.split(text[b : b + 40], 1)[0]
        # 56人以上大班额比例为18.3% (a figure follows) or 消除56人以上大班额 (the threshold is a class's name)
        return bool(FIGURE.search(clause)) or bool(re.match(r"[\u4e00-\u9fff]{0,4}?(?:班额|大班|班级|学校|规模)", clause))
    return False


_BARE_AMOUNT = re.compile(
    rf"(?P<qb>超过|超|近|约|达到|达|突破|逾)?(?<![\d.])(?P<num>\d+(?:\.\d+)?)(?P<mult>万|亿)(?P<qa>余|多)?(?=[，。；、,;）)\s]|$)")


def _bare_amounts(text: str, sentences: list[tuple[int, int]], taken: list[tuple[int, int]], tg: Tagging) -> list[Figure]:
    """受益学生超过3360万, 点击量达1.2万: a count in 万/亿 whose unit is left out, kept when its name says what it counts.

    People (学生, 教师, 群众 …) give 人, a 量 or 次数 gives 次; anything else is left out rather than guessed.
    """
    if "万" not in text and "亿" not in text:
        return []
    out = []
    for m in _BARE_AMOUNT.finditer(text):
        a, b = m.start("num"), m.end()
        if any(s < b and a < e for s, e in taken):
            continue
        start = m.start("qb") if m.group("qb") else a
        s = next(((x, y) for x, y in sentences if x <= a < y), (0, len(text)))
        qb, qa = m.group("qb") or "", m.group("qa") or ""
        qualifier = (_QUALIFIER.get(qb, qb) if qb in _QUALIFYING else "") or _QUALIFIER.get(qa, qa)
        f = Figure(round(_arabic(m.group("num")) * _MULT[m.group("mult")], 6), "", qualifier, text[start:b], start, b,
                   text[s[0] : s[1]].strip())
        name = indicator(text, f, tg)
        unit = "人" if name.endswith(_PERSON_ENDINGS) else "次" if name.endswith(("量", "次数")) else ""
        if unit:
            out.append(replace(f, unit=unit, indicator=name))
    return out


def _masked_dates(text: str, sentences: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[Figure]:
    """xxxx年, 20xx年, x月 of a template: masked rows (unit 年/月), so that no placeholder is read as a year."""
    if not _ANY_MASK.search(text):
        return []
    out = []
    for m in _MASKED_DATE.finditer(text):
        a, b = m.start(), m.end() + 1
        if any(s < b and a < e for s, e in taken):
            continue
        s = next(((x, y) for x, y in sentences if x <= a < y), (0, len(text)))
        out.append(Figure(None, text[b - 1], "", text[a:b], a, b, text[s[0] : s[1]].strip(), indicator=MASKED_DATE_INDICATOR,
                          masked=True))
    for m in _MASKED_BARE.finditer(text):  # 投入X万, 惠及xx万: a masked amount whose unit is left out
        a, b = m.span()
        if any(s < b and a < e for s, e in taken):
            continue
        s = next(((x, y) for x, y in sentences if x <= a < y), (0, len(text)))
        out.append(Figure(None, "", "", text[a:b], a, b, text[s[0] : s[1]].strip(), masked=True))
    return out


def _words_around(tg: Tagging, a: int, b: int) -> list[tuple[int, int, str, str]]:
    """(start, end, word, flag) of the jieba words covering text[a-6:b+6], offsets into the text."""
    lo = max(0, a - 6)
    window = _CLAUSE_BREAK.split(tg.text[lo : b + 6])
    out, pos = [], lo
    for part in window:
        for word, flag in _pos_at(tg, pos, pos + len(part)):
            out.append((pos, pos + len(word), word, flag))
            pos += len(word)
        pos += 1  # the break character
    return out


def _inside_a_name(tg: Tagging, a: int, b: int) -> bool:
    """A number that is part of a word the dictionary knows (八项规定, 三个代表, 五项管理) names something."""
    for s, e, word, flag in _words_around(tg, a, b):
        if s <= a and b <= e and (e - s) > (b - a) and flag != "m" and not re.search(r"\d", word):
            return True
    return False


def _a_slogan(tg: Tagging, m: re.Match[str]) -> bool:
    """两个确立, 两个维护, 三个提高: a Chinese numeral count of a verb that ends its clause names a policy, not an amount.

    What a figure counts is a noun (两所学校, 三个贫困村); a bare verb after 个/项 closing the clause
    (or followed by 精神/要求) is a slogan's wording.
    """
    if m.group("unit") not in ("个", "项", "条"):
        return False
    b = m.end()
    text = tg.text
    end = b
    while end < len(text) and text[end] not in _CLAUSE_BREAK_CHARS and end - b < 8:
        end += 1
    tokens = [t for t in _pos_at(tg, b, end) if t[0].strip()]
    if not tokens or tokens[0][1] not in ("v", "vd"):
        return False
    return len(tokens) == 1 or tokens[1][0] in ("精神", "要求", "目标", "任务")


def _unit_starts_a_word(tg: Tagging, u: int, unit: str) -> bool:
    """The unit character begins a longer word (XX校区, xx所长): the placeholder masks a name."""
    if len(unit) != 1:
        return False
    return any(s == u and e - s > 1 and word != "个人" for s, e, word, _ in _words_around(tg, u, u + 1))


def _inside_a_place(text: str, m: re.Match[str]) -> bool:
    """九台, 三门峡, 七台河: a place whose name starts with a Chinese numeral, named as a place.

    A full name (九台区) always is; a short one (九台) when a word follows it (九台教育), not
    at a clause end (购置电脑三台。).
    """
    num = m.group("num")
    if num[0].isdigit():
        return False
    from ingest.gazetteer import gazetteer

    a = m.start("num")
    for mention in gazetteer().mentions(text[a : a + 12]):
        if mention.start != 0 or mention.end < m.end("unit") - a:
            continue
        if mention.full:
            return True
        nxt = text[a + mention.end : a + mention.end + 1]
        return bool(nxt) and not _CLAUSE_BREAK.match(nxt) and not nxt.isspace()
    return False


def _inherit(found: list[Figure], tg: Tagging) -> list[Figure]:
    """A figure that names nothing of its own measures what the one before it in the sentence does.

    That holds for the `to` of a pair, a change (较上年提高1.3个百分点) and a share whose clause
    holds only linking words (占比53.7%); a figure alone in its clause (…，×名) borrows nothing.
    """
    out = list(found)
    for i in range(1, len(out)):
        f, prev = out[i], out[i - 1]
        if f.sentence != prev.sentence or not prev.indicator or prev.indicator == MASKED_DATE_INDICATOR:
            continue
        if f.role == Role.TO or f.indicator in ("上年", "去年", "增幅", "涨幅", "降幅", "增速") or (not f.indicator and (f.role == Role.CHANGE or _linking(tg, prev, f))):
            out[i] = replace(f, indicator=prev.indicator)
    return out


def _linking(tg: Tagging, prev: Figure, f: Figure) -> bool:
    """Only linking words stand between two figures of a clause (占比53.7%, 其中x名), and they measure alike."""
    if not (f.unit == prev.unit or f.unit in ("%", "‰", "个百分点")):
        return False  # 另有×名 after 120户: not the same thing
    text = tg.text
    clause_start = _clause_start(text, f.start)
    a, b = max(clause_start, prev.end), f.start + len(re.match(rf"(?:{_QUAL_BEFORE})?", f.raw).group(0))
    if not text[a:b].strip():
        return False
    return all(w in _SKIP_BEFORE or t[:1] in "dpucmrt" for w, t in _pos_at(tg, a, b) if w.strip())  # 、2020年底达到50%


_NOUNISH = ("n", "vn", "j", "l", "b", "an", "nz", "ng", "nt", "nr", "ns", "a", "f", "s", "eng")
_SKIP_BEFORE = set(_CHANGE_UP.split("|") + _CHANGE_DOWN.split("|")) | set("不超过 不高于 接近 仅 仅为 达 达到 为 共 共计 总计 累计 合计 增加 新增 增长 提高 提升 下降 减少 降低 增至 超过 突破 近 约 是 有 "
                   "占 占比 达成 了 到 至 由 从 投入 安排 发放 培训 组织 举办 开展 完成 建成 选派 接受 接收 覆盖 惠及 "
                   "比 较 上年 去年 同比 环比 分别 力争 确保 争取 实现 已 现 均 "
                   "共有 现有 拥有 尚有 仍有 还有 计有 另有 高于 低于 少于 多于 超出 占到 占了 "
                   # modal verbs and adverbs between a subject and its figure (学校数一般应控制在20所以内)
                   "应 应当 须 必须 要 将 能 可 可以 一般 基本 总体 普遍 都 "
                   # verbs of holding a level, with or without 在 (巩固率保持100%, 大班额控制5%以内)
                   "保持 维持 控制 相比 相较".split())
# jieba tags unknown words such as 辍学率 as verbs; a word ending in one of these is what a figure measures.
_MEASURE_NOUN = re.compile(r"..?[率额量数]$")
_SCOPE = re.compile(r"[全我本各][省市区县旗镇乡校园]")
# 在园幼儿[3]4656.42万人: a statistical bulletin's footnote marker between a name and its figure.
_FOOTNOTE = re.compile(r"[\[［]\d{1,2}[\]］]")
_PER = re.compile(r"(?:每[\u4e00-\u9fff]{1,2}?)+(?=[达为约近共计]*$)|(?:每[\u4e00-\u9fff]{1,2})+$|[人生户年月校]均(?=[达为约近共计]*$)")
_RESULT_LINKS = {"在", "到", "为", "至", "于", "成"}
_GOAL_NOUNS = {"任务", "目标", "要求", "标准", "水平", "指标", "承诺"}
_REDUPLICATED = re.compile(r"(.)\1(.)\2")  # AABB words (高高兴兴, 认认真真) describe how, never name
_DETERMINERS = {"所有", "全部", "全体", "部分", "大部分", "其中"}
_AGE_CLASS = re.compile(r"(?:(?P<group>[\u4e00-\u9fff]{2,8}?)中)?(?:年龄在)?(?P<cls>\d+(?:[-~～至]\d+)?(?:周岁|岁)(?:以下|以上)?)的?占(?:到|了)?$")
_TIER = re.compile(r"[一二三四五六七八九]级")
_DURATION = re.compile(r"[一二两三四五六七八九十]?年")
# Words that join the items of a list of names (A、B等, A和B): before a figure the list is what it counts.
_COORDINATORS = {"、", "和", "及", "与", "以及"}
# Verbs that head a name when a noun stands right before them (教育投入, 财政支出, 在校生占比, 普高招生).
_NAMING_VERBS = {"投入", "支出", "占比", "招生", "资助", "补助", "拨付", "收入", "培训"}
_CORE_NOUN = {"n", "vn", "l", "j", "nz", "ng", "nt", "b"}
# Verbs that link a subject to its figure (…控制在, …保持在, …稳定在): never part of the subject's name.
_LINKING_VERBS = {"控制", "保持", "稳定", "维持", "达到", "提高", "提升", "降低", "下降", "增加", "减少", "增长", "上升"}
# Verbs of building and hiring that open a count (新建幼儿园12所, 招聘教师120名); jieba tags some of them as
# nouns or places (新建), so the noun run before a figure would take them in.
_ACTION_VERBS = {"新建", "改建", "扩建", "改扩建", "续建", "新招", "招聘", "招录", "招收", "引进", "选派", "建成", "创建",
                 "认定", "评选", "表彰", "培训", "新增", "投入", "发放", "接收", "组织", "开展", "举办", "完成",
                 "计划", "预计", "拟", "落实", "下达", "筹措", "筹集", "争取", "兑现"}  # and words of intent: 计划新建学校8所 counts 学校
_CLAUSE_BREAK = re.compile(r"[，。；：、！？,;:（）()“”《》\n]")
_CLAUSE_BREAK_CHARS = frozenset("，。；：、！？,;:（）()“”《》\n")


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding text[at] begins: after the last clause break before `at`.

    Walks back from `at` (a clause is short) instead of scanning the passage from its start.
    """
    i = at - 1
    while i >= 0 and text[i] not in _CLAUSE_BREAK_CHARS:
        i -= 1
    return i + 1


def _pos_at(tg: Tagging, a: int, b: int) -> list[tuple[str, str]]:
    """`_pos` of text[a:b], read off the passage's tagging instead of cutting it again."""
    return _bind_rates(tg.span(a, b))


def _bind_rates(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rate and amount suffixes bound to their word.

    jieba tags 率 alone as a verb and glues it to what follows (上线/率/达到,
    参加/率为), so the name of a rate falls apart; 上线率 and 参加率 are nouns.
    """
    out: list[tuple[str, str]] = []
    for word, flag in pairs:
        if word == "比" and out and out[-1][0] == "占":
            out[-1] = ("占比", "v")  # jieba cuts 占比 as 占/比
            continue
        rest = ""
        if len(word) > 1 and word[0] in _RATE_SUFFIX and out and _is_word(out[-1][0]) and (word[1:] in _RESULT_LINKS | {"达", "较", "比"} or word[1:] in _SKIP_BEFORE):
            word, rest = word[0], word[1:]
        if word == "分为" and out and out[-1][0].endswith("得"):
            word, rest = "分", "为"  # 评价得分为92.6分: jieba cuts 得/分为 (divided into); the score is 得分
        if word in _RATE_SUFFIX and out and _is_word(out[-1][0]) or word == "分" and rest and out:
            out[-1] = (out[-1][0] + word, "n")
        else:
            out.append((word, flag))
        if rest:
            out.append((rest, "p"))
    return out


_RATE_SUFFIX = {"率", "额"}
_PERSON_UNITS = {"名", "人", "人次", "位"}
_PERSON_ENDINGS = ("生", "师", "员", "儿", "人", "口", "者", "长", "童", "女", "工", "部", "属", "众", "友", "手", "才", "民", "士", "兵", "户")
_CLASS_SUFFIX = {"类", "型", "级", "性"}
_EVERY_KIND = {"各类", "各项", "各级", "各种", "各级各类"}
_QUANTIFIER_WORDS = {"全部", "全体", "所有", "部分", "大部分", "其中", "以上", "左右", "均", "平均"}


def _is_word(word: str) -> bool:
    return bool(re.fullmatch(r"[\u4e00-\u9fff]+", word))


def _noun_run(tokens: list[tuple[str, str]]) -> str:
    out = []
    if len(tokens) >= 3 and tokens[0][1][:1] in ("v", "a") and tokens[1][0] in _EVERY_KIND and tokens[2][1].startswith(_NOUNISH):
        tokens = tokens[2:]  # 18620人次落实各类资助资金: what the count is of follows 落实各类
    if len(tokens) >= 2 and tokens[0][1] == "v" and tokens[1][1].startswith(_NOUNISH):
        out.append(tokens[0][0])  # a verb that modifies the noun: 受援学校
        tokens = tokens[1:]
    flags = []
    for k, (word, flag) in enumerate(tokens):
        if word in _QUANTIFIER_WORDS:
            break  # 6820名全部享受补助: 全部 says how many of them, not what they are
        if out and len("".join(out)) > 1 and (flag in ("d", "ad") or _REDUPLICATED.fullmatch(word)
                    or k + 1 < len(tokens) and tokens[k + 1][0] == "地"):
            break  # 300名幼儿高高兴兴地, 2万所学校普遍开展: how they act, not what they are (jieba tags some as places)
        if flag.startswith(_NOUNISH) or (word in _CLASS_SUFFIX and out and k + 1 < len(tokens) and tokens[k + 1][1].startswith(_NOUNISH)):
            out.append(word)  # 学科类校外培训机构: 类 joins the words on both sides
            flags.append(flag if flag.startswith(_NOUNISH) else "n")
        else:
            if out == [tokens[0][0]] and len(out[0]) == 1 and _is_word(word):
                out.append(word)  # 3个全覆盖: a name of one character is the start of a longer one
            break
    while len(out) > 1 and flags and flags[-1] in ("a", "f"):
        out.pop()
        flags.pop()
    return "".join(out)[:INDICATOR_MAX]


def indicator(text: str, f: Figure, words: Tagging | None = None) -> str:
    """What a figure measures: the noun phrase after a count, else the one before it.

    >>> f = figures("共有39所中小学校参加。")[0]; indicator("共有39所中小学校参加。", f)
    '中小学校'
    """
    tg = words if words is not None and words.text == text else tagging(text)
    row = _table_row(text, f.start)
    if row and row[0] != row[1]:
        return row[0]  # 挂牌督导|1260校次|增加180校次: a table row's first cell names every figure of the row
    tail = text[f.end : f.end + 40]
    aside = re.match(r"[(（][^)）]{0,20}[)）]", tail)  # 8个(总计20个)专业: skip the aside
    at = f.end + (aside.end() if aside else 0)
    tail = text[at : f.end + 40]
    after_text = _CLAUSE_BREAK.split(tail, 1)[0]
    if not after_text and tail.startswith("的"):
        at += 1
        after_text = _CLAUSE_BREAK.split(tail[1:], 1)[0]
    of_what = ""
    if after_text.startswith("的"):  # 32%的校长, 80%以上的中小学校: what the share is of
        nouns = []
        share_of = _CLAUSE_BREAK.split(after_text[1:], 1)[0]
        for word, flag in _pos_at(tg, at + 1, at + 1 + len(share_of)):
            if not (flag.startswith("n") or flag in ("j", "b")):
                break
            nouns.append(word)
        of_what = "".join(nouns)[:INDICATOR_MAX]
        if of_what in _GOAL_NOUNS:
            of_what = ""  # 占比达到80%的任务: a target set for the figure, not what the share is of
        if f.unit != "元" and of_what:
            return of_what
        after_text = ""  # 初中2155元的标准: whose amount, said before it, names it better than 标准
    ordinal = re.match(r"第[\d一二三四五六七八九十]{1,3}[期批届轮]", after_text)
    if ordinal:  # 240名第三期…名师培养人选: the ordinal says which round, the noun follows it
        at += ordinal.end()
        after_text = after_text[ordinal.end() :]
    after = relative = ""
    after_tokens_verb_led = False
    if after_text:
        tokens = _pos_at(tg, at, at + len(after_text))
        after = _noun_run(tokens)
        after_tokens_verb_led = bool(tokens) and tokens[0][1] == "v"
        covered = len(after)
        if after and f.unit in _PERSON_UNITS and not after.endswith(_PERSON_ENDINGS) and after_text[covered : covered + 1] == "的":
            # 1564名贫困家庭的学生: 名 counts people, so the person after 的 is what is counted, not 贫困家庭
            rest = _pos_at(tg, at + covered + 1, at + len(after_text))
            person = _noun_run(rest)
            if person.endswith(_PERSON_ENDINGS):
                after = (after + person)[:INDICATOR_MAX]
        last = next((w for w, _ in reversed(tokens) if after.endswith(w)), "") if after else ""
        if last and last != after and last.endswith(("率", "比例", "占比")) and re.match(
                r"(?:达到|达|为|是)?\d", after_text[len(after) :]):
            after = after[: -len(last)]  # 836个基层党组织达标率100%: the rate belongs to the next figure
        de = [i for i, (w, _) in enumerate(tokens) if w == "的"]
        if de and tokens[0][1] in ("v", "p"):
            # 7.4万名参加初中学业水平考试的初三学生: a clause before 的 says which; the noun after it is what
            # …and the sentence goes on with its verb after that noun (…初三学生提供…); 参与…的社会实践活动。 is a predicate
            head = [(w, "n" if t == "t" else t) for w, t in tokens[de[0] + 1 :]]  # 初三 is tagged a time word
            noun = _noun_run(head)
            n, covered = 0, 0
            while n < len(head) and covered < len(noun):
                covered += len(head[n][0])
                n += 1
            if noun and n < len(head) and head[n][1] == "v":
                relative = noun
    quoted = re.search(r"“([^”]{2,16})”$|《([^》]{2,16})》$", text[max(0, f.start - 18) : f.start])
    if quoted:  # “平安校园”1516所, 编发《督导简报》12期: the quoted name is what is counted
        return quoted.group(1) or quoted.group(2)
    clause_start = _clause_start(text, f.start)
    if clause_start > 0 and text[clause_start - 1] in "（(" and not text[clause_start : f.start].strip() and text[f.end : f.end + 1] in "）)":
        # 教师群体满意度最高（92.1%）: a value in brackets after a predicate belongs to the clause's subject
        outer = _clause_start(text, clause_start - 1)
        words_before = [t for t in _pos_at(tg, outer, clause_start - 1) if t[0].strip()]
        trailing = []
        for k in range(len(words_before) - 1, -1, -1):  # 其次是外出游玩（45.82分钟）: the noun right before the bracket
            word, flag = words_before[k]
            inner_verb = flag.startswith("v") and trailing and k > 0 and words_before[k - 1][1].startswith(_NOUNISH)
            if not (flag.startswith(_NOUNISH) or inner_verb) or flag in ("a", "f") or word in _SKIP_BEFORE:
                break
            trailing.insert(0, word)  # 电子产品使用时间: a verb between two nouns stays
        subject = "".join(trailing)[-INDICATOR_MAX:] if trailing else _noun_run(words_before)
        if subject and not _SCOPE.fullmatch(subject):
            return subject
    age_class = _AGE_CLASS.search(text[clause_start : f.start]) if f.unit in ("%", "‰") else None
    if age_class:  # 教师中40岁以下占56%: the share is of an age class, named with the group it is taken from
        return (age_class.group("cls") + (age_class.group("group") or ""))[:INDICATOR_MAX]
    lo = max(clause_start, f.start - 30)
    list_start = clause_start
    while list_start > 0 and text[list_start - 1] == "、":
        prev = _clause_start(text, list_start - 1)
        if list_start - 1 - prev > 12 or re.search(r"[\d%％]", text[prev : list_start - 1]) or _ANY_MASK.search(text[prev : list_start - 1]):
            break  # 初中18名、小学122名: items with figures of their own are no part of this one's name
        flags = ["n" if t.startswith(_NOUNISH) else t[:1] for w, t in _pos_at(tg, prev, list_start - 1) if w.strip()]
        if "n" in flags and "v" in flags[flags.index("n") :]:
            break  # 高等教育进入大众化阶段、毛入学率达29%: a noun followed by a verb is a clause, not an item of a list
        list_start = prev
    if list_start < clause_start:
        lo = max(list_start, f.start - 30)  # 教学用房、运动场等1.5万平方米: the items before 、 are named with it
    kept, at = [], lo
    if clause_start > 1 and text[clause_start - 1] in "）)" and not text[clause_start : f.start].strip(" 　") == "":
        opened = max(text.rfind("（", 0, clause_start - 1), text.rfind("(", 0, clause_start - 1))
        if 0 < opened and clause_start - opened <= 24:
            # 重度残障儿童少年（一级和二级）占76%: the subject stands before the aside
            outer = _clause_start(text, opened)
            kept = [t for t in _pos_at(tg, max(outer, opened - 20), opened)]
    skips = sorted([*_PER.finditer(text[lo : f.start]), *_FOOTNOTE.finditer(text[lo : f.start])], key=lambda x: x.start())
    for per in skips:  # 小学每生每年1000元: 小学; 毛入园率[4]达到: the footnote is no word
        if lo + per.start() < at:
            continue
        kept += _pos_at(tg, at, lo + per.start())
        at = lo + per.end()
    kept += _pos_at(tg, at, f.start)
    before_tokens = [t for t in kept if t[0].strip()]
    share = [i for i, (w, _) in enumerate(before_tokens) if w == "占"]
    if f.unit in ("%", "‰") and share and share[-1] > 0 and before_tokens[share[-1] - 1][1].startswith(_NOUNISH):
        before_tokens = before_tokens[: share[-1]]  # 女教师占教师总数的60%: the share is of what stands before 占
    verb = ""
    popped = ""
    while before_tokens:
        word, flag = before_tokens[-1]
        if (word in _NAMING_VERBS and len(before_tokens) > 1 and before_tokens[-2][1] in _CORE_NOUN
                and not _SCOPE.fullmatch(before_tokens[-2][0]) and (not popped or popped in _SKIP_BEFORE)):
            before_tokens[-1] = (word, "nv")  # 教育投入累计43亿元, 在校生占比4.6%: the verb is the head of the name
            break
        one_char_head = flag == "zg" and len(word) == 1 and word not in _SKIP_BEFORE and len(before_tokens) > 1 and before_tokens[-2][1] in _CORE_NOUN
        if not one_char_head and (word in _SKIP_BEFORE or flag[:1] in ("d", "p", "u", "m", "c", "t", "z")):
            before_tokens.pop()
            if not verb and flag.startswith("v") and len(word) >= 2:
                verb = word
        elif flag[:1] in ("v", "a") and popped in _RESULT_LINKS and not _MEASURE_NOUN.search(word):
            before_tokens.pop()  # 控制在4%以内, 保持在99%: the verb links its subject to the figure
        elif popped in _RESULT_LINKS and len(word) > 2 and word[-2:] in _LINKING_VERBS:
            before_tokens[-1] = (word[:-2], "n")  # jieba's 比例控制 in 比例控制在4%: the subject, then the verb
            word = word[-2:]
        else:
            break
        if flag[:1] not in ("t", "m"):
            popped = word  # 占比2019年底达到30%: a date between a name and its figure links nothing
    run: list[str] = []
    skip_to = -1
    for i in range(len(before_tokens) - 1, -1, -1):
        if i == skip_to:
            continue
        word, flag = before_tokens[i]
        if run and word in _DETERMINERS:
            break  # 所有小学教师: 所有 says how many of them
        if (i == len(before_tokens) - 1 and i > 0 and len(word) == 1 and _is_word(word) and flag[:1] not in ("p", "u", "c", "d", "m", "r")
                and word not in _SKIP_BEFORE and before_tokens[i - 1][1] in _CORE_NOUN):
            run.insert(0, word)  # 课程资源包95个, 二级园14所: a one-character head after a noun, whatever jieba tags it
            continue
        if flag == "nv" or (flag.startswith(_NOUNISH) or _MEASURE_NOUN.search(word)) and word not in _SKIP_BEFORE:
            run.insert(0, word)
        elif (flag == "v" and run and i > 0 and before_tokens[-1][1] != "nv" and before_tokens[i - 1][1] in _CORE_NOUN and before_tokens[i - 1][0] not in _SKIP_BEFORE
              and word not in _SKIP_BEFORE and word not in _ACTION_VERBS and not _SCOPE.fullmatch(before_tokens[i - 1][0])):
            run.insert(0, word)  # 生活补助资金, 校舍维改资金: a verb between two nouns is part of the name (jieba tags 补助 a verb)
        elif run == [before_tokens[-1][0]] and len(run[0]) == 1 and flag != "m":
            run.insert(0, word)  # 点击量, 入学率: a one-character noun binds to the word before it
        elif flag == "m" and run and _TIER.fullmatch(word):
            run.insert(0, word)  # 县一级幼儿园1所: a tier (一级, 二级) tagged a numeral is part of the name
            if i > 0 and before_tokens[i - 1][1] == "zg" and len(before_tokens[i - 1][0]) == 1:
                run.insert(0, before_tokens[i - 1][0])  # 县 before it is tagged zg
                skip_to = i - 1
        elif (flag == "m" and run and i > 0 and _DURATION.fullmatch(word)
              and (before_tokens[i - 1][1].startswith(_NOUNISH) or before_tokens[i - 1][1] == "v")):
            run.insert(0, word)  # 学前三年毛入园率, 继续教育年参与率: a span of years inside a name, not a number of its own
            if before_tokens[i - 1][1] == "v" and before_tokens[i - 1][0] not in _SKIP_BEFORE | _ACTION_VERBS:
                run.insert(0, before_tokens[i - 1][0])  # 学前 (tagged a verb) belongs to 学前三年
                skip_to = i - 1
        elif word in _COORDINATORS and run and i > 0 and before_tokens[i - 1][1] in _CORE_NOUN and before_tokens[i - 1][0] not in _SKIP_BEFORE:
            run.insert(0, word)  # 教学用房、运动场等1.5万平方米, 小学教师和中学骨干共600人: the figure counts the whole list
        else:
            break
    while len(run) > 1 and (run[-1] in _QUANTIFIER_WORDS or before_tokens[len(before_tokens) - 1][1] in ("a", "ad")
                            and run[-1] == before_tokens[-1][0]):
        run.pop()  # 完成时间平均60分钟: 平均 qualifies the figure, not the name
        before_tokens = before_tokens[:-1]
    start = len(before_tokens) - len(run)
    if len(run) > 1 and start > 0 and before_tokens[start - 1][1] == "q" and before_tokens[-1][1] == "nv":
        run.pop(0)  # 首批5个专业招生505人: 专业 is what 5个 counts; the count after the verb is of 招生 alone
        start += 1
    while run and start > 0 and before_tokens[start - 1][1] == "m" and (len(run[0]) == 1 or run[0] in ("以上", "以下")):
        run.pop(0)  # 增长3200人和2个百分点, 56人以上大班额比例: 人/以上 belong to the number before, not to a name
        start += 1
        if run and run[0] in ("以上", "以下"):
            run.pop(0)
            start += 1
    if run and run[0][:1] in "级届" and start > 0 and before_tokens[start - 1][1] == "m":
        run.insert(0, before_tokens[start - 1][0])  # jieba cuts 一年级新生 as 一年/级新生
    if run and len(run[0]) == 1 and start > 0 and before_tokens[start - 1][0] == "在":
        run.insert(0, "在")  # 在园幼儿, 在岗教师: jieba cuts 在/园/幼儿, and 园幼儿 is no name
        start -= 1
        while start > 0 and before_tokens[start - 1][1].startswith(_NOUNISH) and before_tokens[start - 1][0] not in _SKIP_BEFORE:
            start -= 1
            run.insert(0, before_tokens[start][0])  # 学前教育在园幼儿
    while len(run) > 1 and (_SCOPE.fullmatch(run[0]) or run[0] in _ACTION_VERBS or run[0][:1] == "新" and run[0][1:] in _ACTION_VERBS):
        run.pop(0)  # 全县大班额 -> 大班额: the report's own scope is not part of the name; nor is 新建 in 新建幼儿园
    before = "".join(run)[-INDICATOR_MAX:]
    if before in _PER_WORDS:
        before = ""  # 人均每月不低于600元: 人均 says per whom, not what; the clause before names it
        if not after and clause_start > 0:
            before = _object_of_clause_before(tg, clause_start)
    if not run and before_tokens and before_tokens[-1][1].startswith("v") and len(before_tokens[-1][0]) >= 2:
        verb = before_tokens[-1][0]  # 招生736人, 宣讲xxx场次
        subject = []
        for word, flag in reversed(before_tokens[:-1]):
            if not flag.startswith(_NOUNISH) or word in _SKIP_BEFORE or word in _QUANTIFIER_WORDS:
                break
            subject.insert(0, word)
        left = len(before_tokens) - 2 - len(subject)
        if subject and left >= 0 and before_tokens[left][1] in ("q", "m"):
            subject = []  # 首批5个专业招生505人: 专业 is what the count before it counts, not who enrolled
        while subject and _SCOPE.fullmatch(subject[0]):
            subject.pop(0)
        if subject and not re.fullmatch(rf"{_CHANGE_UP}|{_CHANGE_DOWN}|新增", verb):
            verb = ("".join(subject) + verb)[-INDICATOR_MAX:]  # 本科录取61人, 民办学校聘请1313人: who did it names the count
    if re.fullmatch(rf"{_CHANGE_UP}|{_CHANGE_DOWN}|新增|占比|占到|占了", verb):
        verb = ""  # 增加44所 says how it changed, not what; the figure before tells
    counted = f.unit not in ("%", "个百分点", "元", "‰")
    if _SCOPE.fullmatch(before):
        before = ""  # 为全市7.4万名…: the report's scope alone names nothing
    if counted and relative and not before:
        return relative
    if counted and after and before and f.unit in _PERSON_UNITS and after_tokens_verb_led and "、" not in before and (
            "和" in run or "及" in run or "与" in run):
        return before  # 班主任和学科骨干共420余人参加轮训: the list before the count names it; 参加轮训 is what they did
    if counted and after:
        return after
    if not before and not after and not before_tokens and f.unit in ("%", "‰") and clause_start > 0:
        before = _rate_in_clause_before(tg, clause_start)  # 上岗率偏低，仅为82.5%: the rate of the clause before
        if not before and f.start == clause_start and not of_what:
            before = _object_of_clause_before(tg, clause_start)  # 新增的幼儿园，80%左右集中在农村: a share of the topic
    if not before and not after and not of_what and text[clause_start - 1 : clause_start] in "：:" and clause_start > 0:
        before = _label_before_colon(tg, clause_start - 1)  # 学前教育资助：386人
    named = _QUOTED_BEFORE.search(text, max(0, f.start - 40), f.start) if before and len(before) <= 6 else None
    if named and named.group(2).startswith(before) and len(named.group(2)) <= len(before) + 6:
        before = ("“" + named.group(1) + "”" + before)[-INDICATOR_MAX:]  # “校园安全”满意度达91.2%: whose 满意度
    if before in _GENERIC_HEADS and len(run) == 1 and start > 0 and before_tokens[start - 1][0] == "的":
        doer = []
        for word, flag in reversed(before_tokens[: start - 1]):
            if not (flag.startswith(("v", "n")) or flag in ("l", "j")) or word in _SKIP_BEFORE or _SCOPE.fullmatch(word):
                break
            doer.insert(0, word)
        if doer:
            before = ("".join(doer[-3:]) + "的" + before)[-INDICATOR_MAX:]  # 在各类单位就业的人数: 单位就业的人数
    if before in _GENERIC_HEADS:
        label = _sentence_label(tg, clause_start)
        if label:
            before = (label + before)[-INDICATOR_MAX:]  # 学前教育资助：386人，金额17.38万元: whose 金额
    return before or of_what or after or verb


_QUOTED_BEFORE = re.compile(r"“([^”]{2,10})”([^，。；、“”]{0,22})$")
# Heads that name nothing alone; a list item's label says whose they are.
_GENERIC_HEADS = {"金额", "资金", "人数", "数量", "总数", "总额", "比例", "占比", "人次", "规模"}


def _label_before_colon(tg: Tagging, colon: int) -> str:
    """The label a colon closes ('一、学前教育资助：' -> 学前教育资助), when it names something in a few words."""
    text = tg.text
    start = _clause_start(text, colon)
    tokens = [t for t in _pos_at(tg, start, colon) if t[0].strip()]
    while tokens and (tokens[0][0] in ("其中", "另外", "此外") or tokens[0][1][:1] in ("c", "p", "d", "m")):
        tokens.pop(0)
    name = "".join(w for w, _ in tokens)
    if not tokens or len(name) > INDICATOR_MAX or re.search(r"\d", name) or not any(t.startswith(_NOUNISH) for _, t in tokens):
        return ""
    return name


def _sentence_label(tg: Tagging, clause_start: int) -> str:
    """The label of a 'X：a，b' item that holds the clause starting at `clause_start`, or ''."""
    text = tg.text
    i = clause_start - 1
    while i > 0 and text[i] not in "。；;！？\n":
        if text[i] in "：:":
            return _label_before_colon(tg, i)
        i -= 1
    return ""


_PER_WORDS = {"人均", "生均", "户均", "校均", "班均", "年均", "月均", "平均", "每人", "每生", "每年", "每月"}


def _object_of_clause_before(tg: Tagging, end: int) -> str:
    """What the clause ending at `end` is about, its leading verbs dropped ('落实乡村教师生活补助，' -> 乡村教师生活补助).

    Only for a clause that holds no figure of its own and names something in at most INDICATOR_MAX characters.
    """
    text = tg.text
    if text[end - 1 : end] not in "，,":
        return ""
    start = _clause_start(text, end - 1)
    if FIGURE.search(text[start : end - 1]) or re.search(r"\d", text[start : end - 1]):
        return ""
    tokens = [t for t in _pos_at(tg, start, end - 1) if t[0].strip()]
    while tokens and (tokens[0][1][:1] in ("v", "d", "a", "p", "c", "r", "u") or tokens[0][0] in _SKIP_BEFORE | _ACTION_VERBS):
        tokens.pop(0)
    name = "".join(w for w, _ in tokens)
    if not tokens or len(name) > INDICATOR_MAX or not any(t.startswith(_NOUNISH) for _, t in tokens):
        return ""
    return name


def _rate_in_clause_before(tg: Tagging, end: int) -> str:
    """The rate named in the clause that ends at `end` ('…保育员持证上岗率偏低，'), or ''."""
    text = tg.text
    if text[end - 1 : end] not in "，,":
        return ""
    start = _clause_start(text, end - 1)
    tokens = [t for t in _pos_at(tg, start, end - 1) if t[0].strip()]
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i][0].endswith(("率", "比例")) and FIGURE.search(text[start : end - 1]) is None:
            run = [tokens[i][0]]
            for word, flag in reversed(tokens[:i]):
                if not (flag.startswith(_NOUNISH) or flag == "v" and len(run) == 1 and len(run[0]) <= 3):
                    break
                run.insert(0, word)
            while len(run) > 1 and (_SCOPE.fullmatch(run[0]) or run[0] in ("少数", "部分", "个别", "多数")):
                run.pop(0)
            return "".join(run)[-INDICATOR_MAX:]
    return ""


_CELL_BAR = re.compile(r"[|｜\t]")


def _table_row(text: str, at: int) -> tuple[str, str] | None:
    """(first cell, the cell's text before `at`) when text[at] sits in a row of a table flattened to text, else None.

    Tables copied out of pages and documents arrive as lines whose cells are joined by bars or tabs
    ('挂牌督导|1260校次|增加180校次'); a figure in such a row has no sentence around it to name it.
    """
    start = text.rfind("\n", 0, at) + 1
    before = text[start:at]
    if not _CELL_BAR.search(before):
        return None
    cells = [c.strip() for c in _CELL_BAR.split(before)]
    first = next((c for c in cells[:-1] if c), "")  # '| 学校总数 | 1.1万所 |': a row may open with a bar
    cell = cells[-1]
    if not first or len(first) > INDICATOR_MAX or re.search(r"\d", first):
        return None
    return first, cell


def _roles(text: str, found: list[Figure]) -> list[Figure]:
    """Mark from/to pairs and changes against a previous period."""
    out = list(found)
    for i, f in enumerate(out):
        before = text[max(0, f.start - 14) : f.start]
        row = _table_row(text, f.start)
        cell = re.fullmatch(rf"(?P<dir>{_CHANGE_UP}|{_CHANGE_DOWN})了?", row[1]) if row else None
        change = cell or _CHANGE.search(before) or (f.unit == "个百分点" and _POINTS_CHANGE.search(before))
        if change:
            d = change.group("dir")
            out[i] = replace(f, role=Role.CHANGE, direction=1 if re.match(_CHANGE_UP, d) else -1)
    for i in range(1, len(out)):  # 增长3200人和2个百分点: a list that follows a change is all changes
        prev, f = out[i - 1], out[i]
        if prev.role == Role.CHANGE and f.role == Role.NONE and _BETWEEN_ITEMS.fullmatch(text[prev.end : f.start]):
            out[i] = replace(f, role=Role.CHANGE, direction=prev.direction)
        elif f.role == Role.NONE and f.sentence == prev.sentence and (prev.role == Role.CHANGE or f.unit in ("%", "个百分点")):
            # 财政总收入10.3亿元，增长24%: a percentage whose clause is only a verb of change is the change of the level before
            goes_on = _CHANGE_GOES_ON.match(text[prev.end : f.start])
            if goes_on:
                d = goes_on.group("dir")
                down = re.fullmatch(_CHANGE_DOWN, d) or d == "降幅"
                out[i] = replace(f, role=Role.CHANGE, direction=-1 if down else (1 if re.fullmatch(_CHANGE_UP, d) or d != "增速" else prev.direction))
    for m in _FROM_TO.finditer(text):
        inside = [i for i, f in enumerate(out) if m.start() <= f.start < m.end()]
        if len(inside) >= 2:
            a, b = inside[0], inside[1]
            out[a] = replace(out[a], role=Role.FROM)
            out[b] = replace(out[b], role=Role.TO)
    return out


class _Measured(Protocol):
    value: float | None
    unit: str
    role: str
    direction: int
    masked: bool
    indicator: str
    sentence: str


_PEOPLE = {"名": "人"}  # 2.92万名…增长3200人: both count people


def previous_value(level: _Measured, change: _Measured) -> float | None:
    """The value a year before, from a level and the change that follows it; None when it cannot be told.

    社会满意度达96.65%，较上年提高1.3个百分点 -> 95.35 (points off a percentage);
    教师1200人，较上年增加50人 -> 1150 (the same unit); 经费3.62亿元，较上年增长8.4% -> 3.62亿 / 1.084
    (a percentage change of an amount is relative). Works on `Figure` and on stored `Metric` rows.

    >>> level, change = figures("全县社会满意度达96.65%，较上年提高1.3个百分点。")
    >>> previous_value(level, change)
    95.35
    """
    if change.role != Role.CHANGE or not change.direction or level.role == Role.CHANGE:
        return None
    if level.value is None or change.value is None or level.masked or change.masked:
        return None
    same = _PEOPLE.get(change.unit, change.unit) == _PEOPLE.get(level.unit, level.unit)
    if change.unit == "个百分点" and level.unit == "%" or same and change.unit != "%":
        return round(level.value - change.direction * change.value, 6)
    if change.unit == "%" and level.unit != "%":
        base = 1 + change.direction * change.value / 100
        return round(level.value / base, 6) if base > 0 else None
    if change.unit == "%" and level.unit == "%":
        return None  # 增长2% of a rate: points or relative? a reader cannot tell either
    return None


def changes_with_levels(found: Sequence[_Measured]) -> list[tuple[_Measured, _Measured]]:
    """(level, change) pairs: each change with the nearest level figure before it in its sentence that measures the same thing.

    `found` in text order (the figures of a passage, or its stored metrics ordered by position).
    """
    pairs = []
    for i, f in enumerate(found):
        if f.role != Role.CHANGE:
            continue
        for prev in reversed(found[:i]):
            if prev.sentence != f.sentence:
                break
            if prev.role not in (Role.CHANGE, Role.FROM) and prev.indicator == f.indicator and prev.value is not None:
                pairs.append((prev, f))
                break
    return pairs
