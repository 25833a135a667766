"""Report metadata: title, doc types, subject years, region, issuer, level.

The title is the report's own title line, chosen among the first lines of a
report (also when glued to its first heading or sentence) and never a file
name or a site's name; a file without one gets a title derived from region,
years and type, marked `title_derived`. Years and doc type come from the
title, then from what the opening says the text is (现将2021年工作总结如下),
never from the page's own dates. These are patterns of report prose that no
library covers, so they are written here; places come from the adcode table.

Region is resolved against the gazetteer from every place mention, weighted
by where it stands: in the title, before an institution (济南市市中区教育和体育局),
as a parent-child chain, or in an aid context (赴龙山县支教) that names
somebody else's place. The level the report speaks from (我区, 全市, 县委)
decides whether a district, a city or a province is wanted.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ingest.gazetteer import Gazetteer, gazetteer, short_name
from ingest.types import DocType, Level, Region

_YEAR = re.compile(r"(?<![\dXx])((?:19|20)\d{2})(?:\s*(?:年|—|－|-|~|～|至|学年)\s*(?:((?:19|20)\d{2})\s*(?:年|学年))?)")
_DATE_YEAR = re.compile(r"(?<![\d《〔(（])((?:19|20)\d{2})年\d{1,2}月")
_LEAD_YEAR = re.compile(r"(?:^|\n)((?:19|20)\d{2})年[，,]")
_QUOTED = re.compile(r"《[^》]{0,80}》|〔[^〕]{0,12}〕|\[[^\]]{0,12}\]")
# A full date (2023-11-24 11:54, 2023年1月6日) says when, not what period a title or heading covers.
_FULL_DATE = re.compile(
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?")
# The page's own dates: a line that is only a date (signature, upload), a date in brackets, a date with a clock time.
_STAMP = re.compile(
    r"(?m)^[^\n。，]{0,24}?(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?[^\n。，]{0,24}$"
    r"|[(（]\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[)）]"
    r"|(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*\d{1,2}[:：]\d{2}")
_OPENING = 600
# A yearly meeting's speech or report reviews the year before it ('过去的一年', '去年').
_MEETING = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?[^，。；]{0,16}(?:工作会议|大会|会议)上")
_LAST_YEAR = re.compile(r"过去的?一年|刚刚过去的|去年[^底]|上一年|回顾[^。；]{0,6}一年")
# A line that is only a date in brackets, among the first lines of a report, dates the speech or
# report itself ('（2024年2月26日）', '2010年3月28日）' with a bracket lost); a byline has more on its line.
_DATED_LINE = re.compile(r"(?m)^\s*(?=[（(]|.*[)）]\s*$)[（(]?\s*((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*[^\s)）\n]{1,10})?\s*[)）]?\s*$")
_DATED_LINES = 6
EVIDENCE_CHARS = 300_000  # region and speaking level are judged on this much of a report (~100 pages)
_DECLARED = re.compile(
    r"(?:现将|现就|下面|特将|把|就)[^。；\n]{0,16}?((?:19|20)\d{2})(?:\s*[—－\-~～至]\s*((?:19|20)\d{2}))?\s*学?年(?:度)?[^。；\n]{0,24}?"
    r"(?:总结|汇报|报告|自查|自评|述职|打算|计划|要点)[^。；\n]{0,6}?如下")
_SINCE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?以来")
# A paragraph that opens with its year: '2021年，…', '2011年来，…', '2022年度，…'.
_OPENING_YEAR = re.compile(r"(?:^|\n)((?:19|20)\d{2})\s*年(?:以来|来|度|上半年|下半年)?[，,]")
_REVIEW_HEADING = re.compile(r"成效|成绩|总结|回顾|完成情况|工作情况|亮点|主要工作")
_DECLARING = re.compile(r"汇报|总结|报告|回顾")
_SINCE_ONE_YEAR = re.compile(r"一年来|今年以来|本年度|这一年")

# A speech goes by many names: 讲话(稿), 发言, 致辞, 欢迎辞/词, 贺词, 主持词, 开幕词/闭幕词.
_SPEECH_WORDS = r"讲话(?:稿|提纲)?|发言(?:稿|提纲)?|致辞|致词|(?:欢迎|欢送|答谢)[辞词]|贺[辞词]|主持词|开幕词|闭幕词"
# A title is named by its last words ('…会议上的总结讲话', '…总结会上的讲话' are speeches);
# only its trailing brackets, tags and 稿/范文 may follow the speech word.
_SPEECH_END = re.compile(rf"(?:{_SPEECH_WORDS})(?:稿|范文|全文)?\s*(?:[(（【\[][^)）】\]]{{0,12}}[)）】\]])?\s*$")
# A speech opens with its salutation and says so ('下面，我讲三点意见', '表示热烈的欢迎').
# A speaker welcoming guests or congratulating on behalf of a body: a speech even without a salutation.
_WELCOME = re.compile(r"我(?:谨)?代表[^。！？\n]{2,40}?(?:表示|致以)(?:最)?(?:热烈|衷心|诚挚|真诚)的?(?:欢迎|祝贺)")
_SALUTATION_WITHIN = 120  # the salutation opens the text, after at most a speaker's and a date line
_SALUTATION = re.compile(r"(?:同志们|尊敬的|各位(?:领导|来宾|代表|老师|同学|家长|嘉宾)|老师们|同学们|女士们)[^。！？\n]{0,30}?[：:]")
_SPEECH_BODY = re.compile(
    r"(?:我|下面)[^。！？\n]{0,16}?(?:讲|谈|强调|提)(?:[一二三四五六七八九两几]|以下几?)(?:点|个方面|方面|个问题)"
    r"|(?:表示|致以)(?:最)?(?:热烈|衷心|诚挚|真诚)的?(?:欢迎|祝贺)"
    r"|进行(?:会议|大会)?(?:的)?第[一二三四五六七八九]项议程|(?:会议|大会)共有[一二三四五六七八九]项议程"  # a host's script
)

# Doc types, most specific first; the value is the canonical name.
_TYPES = [
    # A report is named by its last words: '…督导评估自评报告' is a 自评报告, so these come first.
    (re.compile(r"自查(?:自评)?报告|自查情况的?报告"), DocType.SELF_CHECK),
    (re.compile(r"自评报告|自评工作汇报|自评.{0,6}汇报"), DocType.SELF_EVALUATION),
    # 督导报告, also a government's evaluation of a lower one ('对县级人民政府履行教育职责的评价报告').
    (re.compile(r"督导(?:评估|检查)?报告|督导意见书|督导[^，。；]{0,12}?的?报告|履行教育职责[^，。；]{0,10}?(?:评价|评估|督导)[^，。；]{0,4}?报告"
                r"|督[导查][^，。；]{0,12}?反馈意见"),
     DocType.INSPECTION),
    # 述职报告, also as 述职述廉报告 / 述职述责述廉报告 (a chief's yearly account of duty and integrity).
    (re.compile(r"述职(?:[、和及]?述[责廉德法学能])*报告|述责述廉报告|述职$"), DocType.DUTY),
    (re.compile(r"调研报告"), DocType.RESEARCH),
    (re.compile(r"工作要点"), DocType.KEY_POINTS),
    (re.compile(r"工作计划|工作思路|工作打算|工作安排|工作规划|工作谋划"), DocType.PLAN),
    (re.compile(r"工作总结|工作小结|工作回顾|工作情况(?![^，。]{0,3}(?:汇报|报告|通报))|总结|小结"), DocType.SUMMARY),
    (re.compile(r"工作报告|报告"), DocType.REPORT),
    (re.compile(r"汇报"), DocType.BRIEFING),
    (re.compile(r"通报"), DocType.CIRCULAR),
    (re.compile(r"实施方案|工作方案|方案"), DocType.SCHEME),
    (re.compile(_SPEECH_WORDS), DocType.SPEECH),
    (re.compile(r"实施意见|指导意见"), DocType.OPINION),
]
_HEADING_TYPES = (DocType.KEY_POINTS, DocType.PLAN, DocType.SUMMARY)
# What a report says it is in its own opening words, when its title does not
# (现将2021年工作总结如下, 下面我就…作简要汇报, 现将自查情况报告如下).
_BODY_TYPES = [
    (re.compile(r"督导评估报告|督导检查报告|(?:督导|评估)(?:组|小组).{0,30}(?:报告如下|督导评估)"), DocType.INSPECTION),
    (re.compile(r"自查(?:情况|工作)?(?:报告|汇报)如下|自查报告"), DocType.SELF_CHECK),
    (re.compile(r"自评(?:情况|工作)?(?:报告|汇报)如下"), DocType.SELF_EVALUATION),
    (re.compile(r"述职(?:报告)?如下|(?:现将|现把|下面将)[^。；\n]{0,24}?述职"), DocType.DUTY),
    (re.compile(r"总结如下|(?:工作|情况)总结如下|回顾如下"), DocType.SUMMARY),
    (re.compile(r"要点如下"), DocType.KEY_POINTS),
    (re.compile(r"(?:计划|打算|安排|思路)如下"), DocType.PLAN),
    (re.compile(r"汇报如下|作[^。，；]{0,6}汇报|汇报(?:一下|如下)"), DocType.BRIEFING),
    (re.compile(r"我代表.{0,12}(?:做|作)工作报告"), DocType.REPORT),
]

_TITLE_TYPE = re.compile(rf"(?:工作)?(?:总结|小结|要点|计划|打算|报告|汇报|方案|规划|谋划|意见|通报)|述职|{_SPEECH_WORDS}")
# The body starting right after a glued title: '…工作要点2024年是…', '…工作总结2022年，我局…'.
_BODY_OPENER = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?(?:[，,]|是|以来|来)")
_NOT_TITLE_START = re.compile(r"(?:现将|现就|根据|按照|为了|为|我们|我|下面|今年|一年来|近年来)")
_MASKED_YEAR = re.compile(r"(?:19|20)?[xXＸ×*＊]{2,4}\s*年")
_MASKED_PLACE = re.compile(r"[xXＸ×*＊某]{1,3}(?:省|市|区|县|镇|乡)")
_PART_TYPES = r"总结|计划|要点|报告|汇报|方案|规划|打算|思路|讲话|致辞|发言"
_SITE_TAG = r"(?:精选|推荐|范文|最新|热门|通用|优秀|必备|完整版|全文|word|Word|WORD|可编辑|免费|下载|汇总|合集|大全|\d+篇|[一二三四五六七八九十]+篇)"
_SITE_WORDS = re.compile(r"网|文库|首页|下载|大全|范文|模板|合集|文档|资料|在线|平台|www|com|篇", re.I)
_SITE_NAME = re.compile(r"[\u4e00-\u9fff]{2,8}(?<!联)网(?![络格点上])|文库|范文网|下载|首页|大全")
_ORG = re.compile(
    r"(?:xx|XX|x|X)?[省市区县]?(?:人民政府教育督导室|政府教育督导办公室|教育督导委员会办公室|教育督导办公室|"
    r"教育督导室|督导室|教育和体育局|教育体育局|教育局|教体局|教育厅|教育委员会|教委)"
)
_LEVEL_REFS = {
    Level.PROVINCE: re.compile(r"我省|全省|本省|省委|省政府"),
    Level.CITY: re.compile(r"我市|全市|本市|市委|市政府"),
    Level.COUNTY: re.compile(r"我区|全区|本区|区委|区政府|我县|全县|本县|县委|县政府|[区县]教育|[区县]教体局|[区县]督导"),
}
# A school speaks of itself as 我校/本校/全校; its region is the most specific place it names.
_SCHOOL_REFS = re.compile(r"我校|本校|全校|我园|本园|全园")
# A place right before a school's name (峨山一中, 北京师范大学) names the school, not the speaker.
_SCHOOL_AFTER = re.compile(r"^(?:县|市|区)?(?:[一二三四五六七八九十\d]+中|第[一二三四五六七八九十\d]+|实验|师范|职业|中学|小学|大学|学院|附属|幼儿园)")
_BORDER_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,7}?(?:交界|接壤|毗邻|相邻|相连|接界|为邻|隔江相望|隔河相望)")
_VISITOR_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,10}?(?:考察团|考察组|调研组|代表团|督导组|检查组|评估组|专家组|访问团|一行)")
# A place named as the frame of a ranking or a count ('在潍坊市各县市区位居前列', '全省各县'): not the speaker.
_FRAME_AFTER = re.compile(r"^(?:的)?(?:各县|各区|各市|各县市区|各县区|各区县|各县（市、区）|各县\(市、区\)|县市区|区县|所辖|下辖|范围内|排名|同类)")
# Names (full or short) of places that are also everyday words of report prose: 城区 = the
# town centre, 平安校园, 新建学校, 光明前景, 绿水青山, 新兴产业, 新华书店. They count only as part
# of a chain (海东市平安区) or heading an office (平安区教育局).
_COMMON_NOUN_PLACES = frozenset(
    "城区 郊区 矿区 平安 新建 光明 前进 红旗 向阳 新兴 长寿 青山 城中 和平 胜利 团结 白云 江南 江北 "
    "河东 河西 城东 城西 城南 城北 新华 东风 文明 永安 安定 太平 振兴 发展 开发 新城 高新 "
    "比如 友好 无为 三元 两江 建安 新星 白杨 双河 长乐 安多 和安 和康 水城 新林 金林 平城 通道".split()
)
_MASK_BEFORE = re.compile(r"[xXＸ×*＊某○□_＿]$")
# Visitors welcomed by name: '迎接江苏省常州市教育考察团', '欢迎福建省晋江市…'.
_VISITOR_BEFORE = re.compile(r"(?:欢迎|迎接|接待|陪同)$")
_AID_BEFORE = re.compile(r"(赴|到|向|为|援|往|去|与|和|对口|帮扶|支援)$")
_AID_SENTENCE = re.compile(r"支教|帮扶|扶贫|对口|受援|援建|捐赠|结对|协作|挂职|跟岗|送教|交流")
# What a report says of its own place, which it names bare: 结合岚皋实际, 镇坪籍毕业生, 旬邑人民, 平利特色.
_OWN_AFTER = re.compile(r"^(?:实际|籍|人民|大地|县情|区情|市情|特色的|全域|域内|优质教育|经验)")
_INSTITUTION_AFTER = re.compile(r"^(?:市|区|县|省)?(?:教育|教体|人民政府|政府|委|党委|区委|市委|县委|财政|督导)")
_SENTENCE = re.compile(r"[^。！？；\n]+")


@dataclass(frozen=True)
class Meta:
    title: str
    doc_type: str  # a DocType
    doc_types: tuple[str, ...]
    years: tuple[int, ...]
    region: Region
    level: Level
    issuer: str
    title_derived: bool = False  # the file has no title line; `title` was built from region, years and type


def clean_title(title: str) -> str:
    """Drop site decoration from a title: '…工作计划范文' -> '…工作计划'.

    A notice that forwards a report names it: '关于印发《石柱县2019年教育督导工作总结》的通知'
    -> '石柱县2019年教育督导工作总结'. An underscore run that blanks a number
    ('20__年度') is part of the title, not a site separator.
    """
    title = re.sub(r"^#+\s*", "", title.strip())
    title = re.sub(r"^(?:文章|文档)?标题\s*[:：]\s*", "", title)  # '文章标题：市教育局局长的述职报告'
    title = re.sub(r"^[【\[]?\s*第?\s*[一二三四五六七八九十\d]{1,3}\s*篇\s*[】\]]?\s*[:：]?\s*(?=\S{4})", "", title)  # 【第2篇 …
    # A date stamped after the title by the site: '…工作总结[2023-01-05]'.
    title = re.sub(r"\s*[\[【(（]\s*(?:19|20)\d{2}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}\s*[\]】)）]$", "", title)
    # A site's tags after the title: '【精选推荐】', '(全文)', '（通用5篇）', '[最新]'.
    title = re.sub(rf"(?:\s*[【\[(（][^】\]）)]{{0,10}}?{_SITE_TAG}[^】\]）)]{{0,6}}[】\])）])+$", "", title)
    # A compilation's separator is the page title with an ordinal ('年度教育局工作总结1'); a part's
    # own title may be glued after it ('…工作计划1侯庄小学学校发展规划').
    if m := re.fullmatch(rf"(.{{2,40}}?(?:{_PART_TYPES}))\s*篇?\s*\d{{1,2}}(?![\d年.．%月日周期号个项条])\s*(.*)", title):
        title = m.group(2) if len(m.group(2)) >= 4 and _TITLE_TYPE.search(m.group(2)) else m.group(1)
    if m := re.fullmatch(r"\[([^\[\]]{4,60})\]|【([^【】]{4,60})】|《([^《》]{4,60})》", title):
        title = next(g for g in m.groups() if g)  # '[区教育局2021年…打算]': the site's brackets round the whole title
    if m := re.fullmatch(r"(?:[^《》]{0,30}?)?关于(?:印发|转发|下发|报送|公布)《([^《》]{4,60})》的(?:通知|函|报告)", title):
        title = m.group(1)
    title = re.split(r"\s*[|｜]\s*|\s+-\s+|\s*(?<![_\d])_(?![_\d年月日])\s*", title)[0]
    title = re.sub(r"\.(docx?|pdf|wps|txt)$", "", title, flags=re.I)
    title = re.sub(r"范文(?=\s*[(（【]?[一二三四五六七八九十\d]*[)）】]?$)", "", title)
    title = re.sub(r"(?<=总结|计划|要点|报告|汇报|方案|讲话|致辞|打算|思路)(?:范例|范本|模板|模版|范)$", "", title)  # '…工作总结范' cut from 范文
    title = _after_slogan(title)
    ends = [m.end() for m in _TITLE_TYPE.finditer(title)]
    if ends and _SITE_WORDS.search(title[ends[-1] :]) and not re.search(r"[(（【]", title[ends[-1] :][:1]):
        title = title[: ends[-1]]  # '…调研报告Word文档下载推荐': the site's words after the title's own
    return title.strip()


_OFFICE_AFTER = re.compile(r"^(?:[省市区县]|(?:[省市州]|自治州)?[\u4e00-\u9fff]{2,6}?[县区市旗])?(?:人民政府|政府|教育局|教体局|教育体育局|教育和体育局|教育委员会|教委|教育厅|教育督导|督导室|教育工委)")
def _visited(before: str, after: str) -> bool:
    """A place named as the one visited or learnt from ('学习寿光市经验', '杭州考察学习报告'), not the speaker's."""
    return bool(re.search(r"(?:学习|考察|参观|借鉴)$", before) or _VISIT_AFTER.match(after))


_VISIT_AFTER = re.compile(r"^[^，。；\n]{0,6}?(?:考察|学习|参观)(?:学习|考察)?(?:的|报告|心得|体会|情况|总结)")
_NOT_SLOGAN = re.compile(r"关于|在|对|致|迎接|欢迎|中共|党委|党组|[省市区县镇乡]")


def _after_slogan(title: str) -> str:
    """The title without a site's slogan glued before its office: '专注公文写作二十年彭泽县教育体育局2024年工作要点'.

    A title that names its office names it first; words before the place of
    that office that give no year, type, place or occasion are the site's.
    """
    for m in gazetteer().mentions(title):
        prefix = title[: m.start]
        rest = title[m.end :]
        if len(prefix) < 4 or not _OFFICE_AFTER.match(rest) or not _TITLE_TYPE.search(rest) or not _whole_word(title, m.start, m.end):
            return title
        if _YEAR.search(prefix) or _MASKED_YEAR.search(prefix) or _TITLE_TYPE.search(prefix) or _NOT_SLOGAN.search(prefix):
            return title
        return title[m.start :]
    return title


def _speech_title(line: str) -> bool:
    """A line naming a speech ('在全市运动会开幕式上的致辞', '全县教育工作会议主持词'), which the generic title test misses."""
    return 4 <= len(line) <= 60 and bool(_SPEECH_END.search(line))


def _specificity(title: str, masked: bool = True) -> int:
    """How much a title line says about its report: a year, a place, an office, a doc type.

    A masked year or place (20xx年, xx区) shows a title line of a report
    template; it says nothing about which report, so it counts only when
    `masked` is set.
    """
    score = 2 * bool(_YEAR.search(title) or (masked and _MASKED_YEAR.search(title)))
    score += 2 * bool(gazetteer().mentions(title) or (masked and _MASKED_PLACE.search(title)))
    score += bool(_ORG.search(title)) + bool(_TITLE_TYPE.search(title))
    return score - 3 * bool(_SITE_NAME.search(title))  # '某某教师网之工作总结' names a site


def title_in(line: str) -> str:
    """The title a line holds: the whole line, or a title glued to what follows it.

    '都匀市教育局2022年工作总结一、主要成绩…' holds '都匀市教育局2022年工作总结';
    '区县教育扶贫工作总结近年来，我区县…' holds '区县教育扶贫工作总结'; a body
    sentence ('现将2021年工作总结如下') holds none.
    """
    from ingest.patterns import heading_marker, looks_like_title

    line = line.strip()
    if heading_marker(line):
        return ""  # '2.实施思政课“大师资”计划' is an item of the report, not its title
    titled = looks_like_title(line) or (_speech_title(line) and line[-1] not in "。！？；，")
    if titled and not _NOT_TITLE_START.match(line) and not re.search(r"[，。；,;]", line) and not _SALUTATION.search(line):
        return line
    best = ""
    for m in _TITLE_TYPE.finditer(line[:60]):
        head, rest = line[: m.end()].strip(), line[m.end() :].lstrip()
        if len(head) < 6 or re.search(r"[，。；：,;:]", head) or _NOT_TITLE_START.match(head):
            continue
        if rest.startswith(("如下", "的", "和", "及", "与", "暨", "、", "（", "(")) or not rest:
            continue
        clause = re.split(r"[，。；：,;:]", rest, maxsplit=1)[0]
        opener = heading_marker(rest) or _BODY_OPENER.match(rest) or _SALUTATION.match(rest)
        if opener or (len(clause) <= 14 and len(clause) < len(rest)):
            best = head  # the first cut where the body begins: the title ends at its first complete name
            break
    # A title written twice before the body ('…工作计划…工作计划一年来，'): keep one copy.
    for m in _TITLE_TYPE.finditer(best):
        first, again = best[: m.end()], best[m.end() :]
        if len(first) >= 6 and len(again) >= 6 and again in first:
            return first
    return best


# A line that is only a doc type: the end of a title broken over two lines ('欢迎词', '汇报材料', '的工作总结').
_TYPE_ONLY = re.compile(rf"(?:的)?(?:工作|情况|有关情况)?(?:{_SPEECH_WORDS}|总结|小结|汇报材料|汇报|报告|计划|要点|方案|打算|通报)")
_PAGE_TITLE_MARGIN = 1  # how much more (a year, a place: 2 each) an earlier title line must say to win


def choose_title(boundary: str, head: list[str], hints: list[str]) -> str:
    """The report's own title line, or '' when the file has none (never a file name).

    Candidates are the title lines among the report's first lines and, in a
    compilation, its boundary line ('县教育局工作总结范文(一)'); the one that says
    most (year, place, office, type) wins, the earlier on a tie, so the
    '会宁县教育局2019年工作总结' under a generic boundary is taken. A page title
    or document property (`hints`) is used when no line qualifies, or when it
    is the chosen line with more detail, and only when it reads as a title
    rather than a site's name.
    """
    cands: list[str] = []
    whole: set[str] = set()  # candidates that are a line of their own, not cut off the start of a body line
    if boundary and _TITLE_TYPE.search(boundary):
        cands.append(boundary.strip())
        whole.add(boundary.strip())
    for i, line in enumerate(head):
        t = title_in(line)
        above = head[i - 1].strip() if i else ""
        if (_TYPE_ONLY.fullmatch(line.strip()) and 4 <= len(above) <= 40 and not re.search(r"[，。；：,;:！？]", above)
                and (above.endswith("的") or (re.fullmatch(_SPEECH_WORDS, line.strip()) and not _TITLE_TYPE.search(above)))):
            t = above + line.strip()  # a title over two lines: '迎接…教育考察团' / '欢迎词'; '关于…管理的' / '汇报材料'
        if t and t.startswith(("—", "－", "-")):
            # '——在2024年全市教育工作会议上的报告' subtitles the line above it, which is the title.
            t = above if 4 <= len(above) <= 40 and not re.search(r"[，。；：,;:]", above) else t.lstrip("—－- ")
        if t and t not in cands and line.strip() != boundary.strip():
            cands.append(t)
            if t != title_in(line) or t == line.strip():
                whole.add(t)
    hints = [h for h in (clean_title(h or "") for h in hints) if h and title_in(h) == h and not _SITE_WORDS.search(h)]
    if cands:
        # The title line nearest the body is the report's own; an earlier one is the site's page
        # title (often another document's, or the upload year's) unless it says clearly more.
        spec = [_specificity(c) for c in cands]
        said = [_specificity(c, masked=False) for c in cands]
        top = max(range(len(cands)), key=lambda i: (spec[i], -i))
        near = [i for i in range(top, len(cands)) if said[i] >= said[top] - _PAGE_TITLE_MARGIN and (i == top or cands[i] in whole)]
        best = clean_title(cands[max(near)])
        # The file's name on the site may say the same with more detail ('2023年' before it).
        fuller = [h for h in hints if len(h) > len(best) and "".join(best.split()) in "".join(h.split())]
        return fuller[0] if fuller else best
    return hints[0] if hints else ""


def derive_title(region: Region, years: tuple[int, ...], doc_type: str, issuer: str = "") -> str:
    """A title for a report whose file has none: '天祝藏族自治县2022年教育工作总结'.

    >>> derive_title(Region("甘肃省", "武威市", "天祝藏族自治县", "620623"), (2022,), "工作总结")
    '天祝藏族自治县2022年教育工作总结'
    """
    place = issuer if issuer and region.display and issuer[:2] in region.display else ""
    place = place or region.county or region.city or region.province
    span = ""
    if years:
        span = f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"
    kind = "工作材料" if doc_type == DocType.OTHER else str(doc_type)
    if not place.endswith(("局", "室", "委", "厅", "校", "园")):
        kind = "教育" + kind  # 天祝藏族自治县2022年教育工作总结; an office's own name already says it
    return f"{place}{span}{kind}"


def doc_types(title: str, headings: list[str], head: str) -> tuple[DocType, ...]:
    """Types named by the title (in title order), then the report's own opening words, then the top headings.

    Without a title, what the opening says the text is (现将2021年工作总结如下)
    outranks a closing heading such as 下一步工作打算.
    """
    in_title: list[tuple[int, DocType]] = []
    rest = title
    for pattern, name in _TYPES:
        if m := pattern.search(rest):
            in_title.append((m.start(), name))
            rest = rest[: m.start()] + "\0" * (m.end() - m.start()) + rest[m.end() :]
    found = [name for _, name in sorted(in_title)]
    if _SPEECH_END.search(title.strip()) and DocType.SPEECH in found:
        found.remove(DocType.SPEECH)  # '…会议上的总结讲话' is a speech that sums up, not a 工作总结
        found.insert(0, DocType.SPEECH)
    declared = sorted((m.start(), name) for pattern, name in _BODY_TYPES if (m := pattern.search(head)))
    if not title.strip():
        m = _SALUTATION.search(head[:_SALUTATION_WITHIN]) and _SPEECH_BODY.search(head)
        m = m or (not declared and _WELCOME.search(head[:_OPENING // 2]))  # '…作个简要汇报' says more
        if m:
            declared.append((m.start(), DocType.SPEECH))  # '同志们：… 下面，我讲三点意见'; '我谨代表…表示热烈的欢迎'
            declared.sort()
    for _, name in declared:
        if name not in found:
            found.append(name)
    for h in headings:
        for pattern, name in _TYPES:
            if name in _HEADING_TYPES and pattern.search(h) and name not in found:
                if name is DocType.PLAN and DocType.KEY_POINTS in found:
                    break
                found.append(name)
                break
    return tuple(found) or (DocType.OTHER,)


def _years_in(text: str) -> list[int]:
    text = _FULL_DATE.sub("", _QUOTED.sub("", text))
    years = []
    for m in _YEAR.finditer(text):
        for g in m.groups():
            if g:
                years.append(int(g))
    return years


# A two-digit year in a title: '中心学校08年度工作总结', '15年上半年工作总结'.
_SHORT_YEAR = re.compile(r"(?<![\d.．/第-])(\d{2})\s*(?:年度|学年|年(?:上|下)半年|年(?:工作|教育|学校))")


def _short_years(title: str) -> set[int]:
    """Years written with two digits in a title: 08 -> 2008, 98 -> 1998 (a report's title never looks 70 years back)."""
    return {(2000 if int(y) < 50 else 1900) + int(y) for y in _SHORT_YEAR.findall(title)}


def _declared_years(text: str) -> set[int]:
    """Years the opening says the report covers: 现将2021年工作总结如下, 2023年以来, 一年来 with the year it names."""
    body = _FULL_DATE.sub("", _QUOTED.sub("", text))
    years = {int(y) for m in _DECLARED.finditer(body) for y in m.groups() if y}  # 2021—2022学年度: both
    opening = body[:_OPENING]
    years.update(int(m.group(1)) for m in _SINCE.finditer(opening) if _DECLARING.search(_sentence_at(opening, m.start())))
    if not years:
        lead = _OPENING_YEAR.search(opening) or (_SINCE_ONE_YEAR.search(opening) and _YEAR.search(opening))
        if lead:
            years.add(int(lead.group(1)))
    return years


def _sentence_at(text: str, pos: int) -> str:
    a = max((m.end() for m in re.finditer(r"[。！？；\n]", text[:pos])), default=0)
    b = re.search(r"[。！？；\n]", text[pos:])
    return text[a : pos + (b.start() if b else len(text) - pos)]


def subject_years(title: str, headings: list[str], text: str, head: list[str] | None = None) -> tuple[int, ...]:
    """The years a report is about, not every year it mentions.

    The title and the title lines above the body say it, with the years its
    review headings name ('一、2022年工作成效'); without a year in the title all
    top-level headings do ('一、2017年工作情况', '二、2018年工作打算'); without
    those the opening does ('现将2021年工作总结如下', '2022年以来',
    '一年来' and the year it names, a first paragraph that opens with a year);
    then a date in brackets on its own line right under a title (a speech's
    '（2019年3月8日）'); failing that, the years of dated events in the body.
    Dates of the page itself (an upload time, a byline, a notice or signature
    date, a bracketed date with no title above it) and document numbers never count.
    """
    years = set(_years_in(title)) or _short_years(title)
    for line in head or []:  # title lines above the body ('2020年工作总结' over its part)
        years.update(_years_in(line))
    titled = bool(years)
    for h in headings:
        if len(h) > 24 or re.search(r"[，。；]", h):
            continue  # a sentence under a marker, not a heading
        if not titled or _REVIEW_HEADING.search(h):  # a titled report adds the years it reviews, not those it plans
            years.update(_years_in(h))
    if len(years) == 1 and _MEETING.search(title) and _LAST_YEAR.search(text[:_OPENING]):
        years.add(min(years) - 1)  # '在2023年全县教育工作会议上的讲话' that reviews 过去的一年 speaks of 2022 too
    if not years:
        years = _declared_years(text)
    if not years and title and (m := _DATED_LINE.search("\n".join(text.split("\n", _DATED_LINES)[:_DATED_LINES]))):
        years = {int(m.group(1))}  # '（2019年3月8日）' under a title: the day the speech was given, not a page stamp
    if not years:
        body = _STAMP.sub("", _QUOTED.sub("", text))
        counts = Counter(int(y) for y in _DATE_YEAR.findall(body))
        counts.update(int(y) for y in _LEAD_YEAR.findall(body))
        years = {y for y, _ in counts.most_common(3)}
    return tuple(sorted(y for y in years if 1949 <= y <= 2100))


def speaking_level(text: str) -> Level:
    """The level the report speaks from: 我区/全县 -> county, 我市 -> city, 我校 -> school."""
    counts = {level: len(p.findall(text)) for level, p in _LEVEL_REFS.items()}
    counts[Level.SCHOOL] = len(_SCHOOL_REFS.findall(text))
    best = max(counts, key=lambda level: counts[level])
    return best if counts[best] else Level.UNKNOWN


def _whole_word(text: str, a: int, b: int) -> bool:
    """text[a:b] starts and ends on jieba word boundaries (九台|教育, not 行|政和|教育)."""
    lo = max(0, a - 8)
    cuts = _word_cuts(text[lo : b + 8])
    return a - lo in cuts and b - lo in cuts


@lru_cache(maxsize=65536)
def _word_cuts(window: str) -> frozenset[int]:
    """Word boundaries of a short window; cached, since a report names its places in the same phrases again and again."""
    from ingest.words import words

    cuts, pos = {0}, 0
    for w in words(window):  # whitespace is left out of the words: find each in turn
        pos = window.find(w, pos) + len(w)
        cuts.update((pos - len(w), pos))
    return frozenset(cuts)


def _weights(g: Gazetteer, text: str, title: str) -> Counter[str]:
    full = f"{title}\n{text}"
    mentions = g.mentions(full)
    # Places named outright (full names, provinces, cities) vouch for their
    # children's short forms and settle which 市中区 of four is meant.
    direct = {c for m in mentions for c in m.codes if m.full or g.places[c].level != "county"}
    support = direct | {p.code for c in direct for p in g.ancestors(c)}
    sentences = [(s.start(), s.end()) for s in _SENTENCE.finditer(full)]
    starts = [a for a, _ in sentences]
    scores: Counter[str] = Counter()
    prev_end, prev_codes, prev_marked = -1, (), 1.0
    for m in mentions:
        before = full[max(0, m.start - 4) : m.start]
        after = full[m.end : m.end + 8]
        if _MASK_BEFORE.search(before):
            continue  # xx市中区, **县: a masked place, not the one whose name follows the mask
        if m.end - m.start <= 2 and not _whole_word(full, m.start, m.end):
            continue  # 和县 in 支持和县委: a two-character name inside other words
        if full[m.start : m.end] in _COMMON_NOUN_PLACES and not (m.start == prev_end or _INSTITUTION_AFTER.match(after)):
            continue  # '城区学位紧张': the town centre, not one of the districts named 城区
        # A county's short name (九台, 隆德) counts alone when the report speaks from it: 九台教育, 隆德县委.
        own = bool(_INSTITUTION_AFTER.match(after) or _OWN_AFTER.match(after)
                   or (before.endswith("驻") and after.startswith(("各", "单位"))))  # 省市驻正宁各单位: the host county
        speaks = (own or m.start < len(title)) and _whole_word(full, m.start, m.end)
        codes = [c for c in m.codes
                 if m.full or g.places[c].level != "county" or g.places[c].parent in support or (speaks and len(m.codes) == 1)]
        if len(codes) > 1:
            codes = [c for c in codes if g.places[c].parent in direct] or codes
        if not codes:
            continue
        w = 3.0 if m.start < len(title) else 1.0
        if m.start >= len(title) and _SCHOOL_AFTER.match(after):
            w *= 0.5
        a, b = sentences[max(0, bisect_right(starts, m.start) - 1)] if sentences else (0, 0)
        chained = m.start == prev_end and any(g.places[c].parent in prev_codes for c in codes)
        if chained:
            w *= 3
        if _FRAME_AFTER.match(after):
            w *= 0.25
        # Marked as somebody else's place: visitors' origin, an aid destination or partner.
        marked = 1.0
        if _VISITOR_AFTER.match(full[m.end : m.end + 16]):
            marked *= 0.25  # 昆明市五华区教育考察团莅临: where the visitors come from
        elif _BORDER_AFTER.match(full[m.end : m.end + 12]):
            marked *= 0.25  # 西与重庆市巫溪县交界, 东与竹山县接壤: the neighbours
        elif m.start < len(title) and _visited(before, after):
            marked *= 0.25  # a title about a study visit names the place visited
        aid_sentence = bool(_AID_SENTENCE.search(full[a:b]))
        if (ab := _AID_BEFORE.search(before)) and (ab.group(1) not in ("与", "和") or aid_sentence):
            marked *= 0.25  # 赴龙山县支教; 与某区签订协作协议, but not 市委和宜昌市教育局 (a plain 'and')
        if chained:
            marked *= prev_marked  # 赴恩施州巴东县支教: the county of an aid destination is one too
        elif m.start >= 1 and full[m.start - 1] in "、和及与" and prev_end == m.start - 1:
            marked *= prev_marked  # 赴杭州市、南京市学习: every place of the list is a destination
        pen = marked * (0.25 if aid_sentence and not chained and marked == 1.0 else 1.0)
        if own and marked == 1.0:
            w *= 2  # an office speaks for its place, unless it is a partner's (与湖州市吴兴区教育局签订协议)
        w *= pen
        for c in codes:
            share = w / len(codes)
            scores[c] += share
            for anc in g.ancestors(c)[1:]:
                scores[anc.code] += share * 0.5
        prev_end, prev_codes, prev_marked = m.end, tuple(codes), marked
    return scores


def _title_issuer(g: Gazetteer, title: str, text: str) -> str:
    """The code of the place whose office heads the title ('城关区教育局2022年…'), or ''."""
    for m in g.mentions(title):
        if _MASK_BEFORE.search(title[max(0, m.start - 3) : m.start]):
            return ""
        if not _INSTITUTION_AFTER.match(title[m.end :]) or title[: m.start].strip("关于 "):
            continue  # only a place that opens the title and is followed by its office
        codes = list(m.codes)
        if not m.full and not _whole_word(title, m.start, m.end):
            return ""
        if len(codes) > 1:
            codes = _settle(g, codes, g.mentions(text))
        return codes[0] if len(codes) == 1 else ""
    return ""


def _title_place(g: Gazetteer, title: str, text: str, level: Level) -> str:
    """The code of the one place a title names as its own ('2022年邹城市教育工作情况总结'), or ''.

    A title names its report's place even when the body names the superior
    office more often (济宁市教育局 in a 邹城市 report: a county-level city says
    全市 as its prefecture does). Places named as visitors, hosts of a visit
    or aid partners (迎接常州市教育考察团, 赴龙山县支教) are not the title's
    own; a title naming two places of its own, or one that does not fit the
    level the report speaks from, leaves the choice to the body.
    """
    groups: list[list] = []
    for m in g.mentions(title):
        if groups and m.start == groups[-1][-1].end:
            groups[-1].append(m)  # a chain: 江苏省苏州市张家港市
        else:
            groups.append([m])
    own: set[str] = set()
    for chain in groups:
        first, last = chain[0], chain[-1]
        before, after = title[max(0, first.start - 4) : first.start], title[last.end : last.end + 16]
        if _MASK_BEFORE.search(before):
            return ""  # '**县2022年…': the title's own place is masked
        if not last.full and not _whole_word(title, last.start, last.end):
            continue
        if _VISITOR_AFTER.match(after) or _AID_BEFORE.search(before) or _VISITOR_BEFORE.search(before):
            continue
        if _visited(before, after):
            continue
        codes = list(last.codes)
        if len(chain) > 1:
            codes = [c for c in codes if g.places[c].parent in chain[-2].codes] or codes
        if len(codes) > 1:
            codes = _settle(g, codes, g.mentions(text[:EVIDENCE_CHARS]))
        if len(codes) != 1:
            return ""
        own.add(codes[0])
    if len(own) != 1:
        return ""
    code = own.pop()
    place = g.places[code]
    fits = {
        Level.COUNTY: place.level == "county",
        Level.SCHOOL: place.level == "county",
        Level.CITY: _speaks_as(place, "city"),
        Level.PROVINCE: place.level == "province",
    }.get(level, True)
    return code if fits else ""


def _settle(g: Gazetteer, codes: list[str], mentions: list) -> list[str]:
    """The places among `codes` (one name, several places: 城关区, 市中区) that the text's other places point to.

    A parent named in full (兰州市, 甘肃省) settles it; failing that a parent
    in short form (兰州), or the province of another place the text names
    (临夏州 is in 甘肃). The candidates with the most such support are kept.
    """
    for full_only in (True, False):
        named = {c for x in mentions if x.full or not full_only for c in x.codes if c not in codes}
        provinces = {g.places[c].province_code for c in named}
        support = {
            c: 2 * sum(a.code in named for a in g.ancestors(c)[1:]) + (g.places[c].province_code in provinces)
            for c in codes
        }
        best = max(support.values())
        if best:
            return [c for c in codes if support[c] == best]
    return codes


def resolve_region(text: str, title: str = "", level: Level = Level.UNKNOWN) -> Region:
    """The region a report is from, or an empty Region when unknown.

    An office named at the head of the title (隆德县教育局…, 城关区教育局…) is the
    speaker, whatever places its partners or visitors bring into the text.
    """
    g = gazetteer()
    if code := _title_issuer(g, title, text) or _title_place(g, title, text, level):
        return _region(g, code)
    scores = _weights(g, text, title)
    if not scores:
        return Region()
    wanted = {Level.SCHOOL: "county", Level.COUNTY: "county", Level.CITY: "city", Level.PROVINCE: "province"}.get(level)
    order = ["county", "city", "province"]
    levels = order[order.index(wanted) :] if wanted else order
    for lv in levels:
        cands = [(s, c) for c, s in scores.items() if _speaks_as(g.places[c], lv) and s >= 1.5]
        if not cands and lv == wanted:
            # A report that speaks as a 区/县 and names one such place once, and no other, speaks from it.
            named = [(s, c) for c, s in scores.items() if g.places[c].level == lv and s > 0.3]
            if len(named) > 1:
                # Of several, the one under the city the report names most (宜昌市教育局 over 赴恩施州…支教).
                top = max(scores.get(g.places[c].parent, 0.0) for _, c in named)
                named = [(s, c) for s, c in named if top >= 1.0 and scores.get(g.places[c].parent, 0.0) == top]
            cands = named if len(named) == 1 and named[0][0] >= 1.0 else []
        if not cands:
            continue
        cands.sort(reverse=True)
        if lv == "city":
            top = cands[0][1]
            if len(cands) > 1 and g.places[top].parent == cands[1][1]:
                top = cands[1][1]  # a county-level city just above its own prefecture: the prefecture is the one to test
            if sub := _county_city_under(g, top, scores, f"{title}\n{text}"):
                return _region(g, sub)
            if top != cands[0][1] and cands[1][0] > 0.8 * cands[0][0]:
                return _region(g, top)  # as likely as one of its own cities: the prefecture, not the province
        if len(cands) > 1 and cands[1][0] > 0.8 * cands[0][0] and lv != levels[-1]:
            # Two places of this level are as likely: settle for their common parent.
            parents = {g.places[c].parent for _, c in cands[:2]}
            if len(parents) == 1 and (p := parents.pop()):
                return _region(g, p)
            continue
        return _region(g, cands[0][1])
    return Region()


def _county_city_under(g: Gazetteer, code: str, scores: Counter[str], text: str) -> str:
    """The county-level city under prefecture `code` that speaks as 我市 while naming the prefecture as another, or ''.

    '潍坊市教育局对我市工作给予肯定' cannot come from 潍坊市 itself: a
    sentence that names the prefecture beside 我市 speaks from elsewhere, and
    the one county-level city of that prefecture the report names is the speaker.
    """
    place = g.places[code]
    if place.level != "city":
        return ""
    subs = [c for c, s in scores.items() if s >= 1.0 and g.places[c].parent == code and _speaks_as(g.places[c], "city")
            and g.places[c].level == "county"]
    if len(subs) != 1:
        return ""
    names = {place.name, short_name(place.name, "city")} - {""}
    sub = g.places[subs[0]]
    system = re.compile(r"(?:的)?(?:教育系统|教育体育系统|教体系统)")
    opening = "。".join(re.split(r"[。！？\n]", text.lstrip(), maxsplit=2)[:2])  # the title and the sentence that opens the report
    if any(system.match(opening, m.end()) for m in re.finditer(re.escape(sub.name), opening)) and not any(
            system.match(text, m.end()) for name in names for m in re.finditer(re.escape(name), text)):
        return subs[0]  # '2023年，青州市教育系统坚持…' opens as that city's system; the prefecture's is never named so
    for sentence in _SENTENCE.findall(text):
        for name in names:
            at = sentence.find(name)
            if at >= 0 and re.search(r"我市", sentence.replace(name + "我市", "")) and not sentence.startswith(name + "是"):
                return subs[0]
    return ""


def _speaks_as(place, level: str) -> bool:
    """A place can be the speaker at `level`; a county-level city (青州市) says 我市 as a city does."""
    return place.level == level or (level == "city" and place.level == "county" and place.name.endswith("市"))


def _region(g: Gazetteer, code: str) -> Region:
    parts = {p.level: p.name for p in g.ancestors(code)}
    return Region(parts.get("province", ""), parts.get("city", ""), parts.get("county", ""), code)


def issuer(title: str, text: str, region: Region) -> str:
    """The issuing body: from the title, else the body's most named office."""
    stem = re.split(r"关于|\d{4}|(?:工作)?(?:总结|要点|计划|报告|方案|汇报)", title)[0]
    m = _ORG.search(stem)
    org = m.group(0) if m and m.end() == len(stem.strip()) else ""
    if not org:
        speaker = re.search(r"我代表(.{2,20}?)(?:做|作|向)", text)
        if speaker and _ORG.fullmatch(speaker.group(1)):
            org = speaker.group(1)
    if not org:
        counts = Counter(re.sub(r"^(?:xx|XX|x|X)+", "", m.group(0)) for m in _ORG.finditer(text[:3000]))
        leveled = Counter({k: v for k, v in counts.items() if k[:1] in "省市区县"})
        best = (leveled or counts).most_common(1)
        org = best[0][0] if best else ""
    org = re.sub(r"^(?:xx|XX|x|X)+", "", org)
    if org and org[0] in "市区县" and region.display:
        place = {"市": region.city, "区": region.county, "县": region.county}[org[0]]
        if place:
            org = place + org[1:]
    return org


def level_of(region: Region, speaking: Level) -> Level:
    if speaking is not Level.UNKNOWN:
        return speaking
    if region.county:
        return Level.COUNTY
    if region.city:
        return Level.CITY
    if region.province:
        return Level.PROVINCE
    return Level.UNKNOWN


def extract(title: str, text: str, headings: list[str]) -> Meta:
    """All metadata of one cleaned report; an empty `title` gets a derived one.

    The title lines at the top of the text (a sub-report's '2020年工作总结')
    count with the top headings for years and types.
    """
    from ingest.patterns import looks_like_title

    title = clean_title(title)
    head_lines = [ln for ln in text.split("\n", 3)[:3] if looks_like_title(ln) and clean_title(ln) != title]
    # A speech titled by a slogan says what it is in its subtitle ('——在…会议上的报告').
    subtitle = next((ln for ln in head_lines if ln.startswith(("—", "－"))), "")
    types = doc_types(f"{title} {subtitle}".strip(), [*head_lines, *headings], text[:_OPENING])
    years = subject_years(title, headings, text, head_lines)
    # Who speaks shows in the first pages; weighing every place named in a
    # book-length text would only cost time (each place mention is weighed).
    sample = text[:EVIDENCE_CHARS]
    speaking = speaking_level(sample)
    region = resolve_region(sample, title, speaking)
    org = issuer(title, text, region)
    derived = not title
    if derived:
        title = derive_title(region, years, types[0], org)
    return Meta(title, types[0], types, years, region, level_of(region, speaking), org, derived)
