"""Recognise site chrome in scraped reports: what the site says, as opposed to the report.

Chrome is found by who is speaking, never by a list of sites. Three kinds:

- **the site speaking to its reader** (小编为大家整理…供大家参考, 本文来源于网络
  仅供参考如有侵权请联系删除, 喜欢就下载吧, 预览已结束): removed as spans, also
  when a site inserted them inside a report sentence or word, so that the
  sentence around them closes up again (`strip_speech`);
- **page furniture** (breadcrumbs, bylines with a time stamp, upload and
  view counters, labels such as 作者：/来源：, UI words, file names, page
  numbers): whole short lines (`is_chrome`);
- **page counters inside a line** (`第7页 共7页`) (`strip_inline`).

Generic UI words count only on short lines, so report sentences such as
"下载量35.1万次" or "推荐优秀教师3名" are never taken for chrome.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

# --- the site speaking to its reader ---------------------------------------

# One entry of a table of contents: a heading marker, a short title, a page number.
_TOC_ENTRY = r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.、])[^。；，！？\d]{2,40}?\s*\d{1,3}(?!\d|[%年月日万亿个人所名])"
# What a page asks its reader to do.
_ACT = "(?:收藏|下载|点赞|分享|转发|关注|复制|打赏|支持|点个|赞|订阅|加入|购买|保存)"
# Phrases that are whole pieces of site speech: the span removed is the match.
_CLOSED = [
    r"(?:本文|本篇|文章|内容|资料|文档|此文)?(?:来源于|来源|来自|转自|源于|摘自)(?:网络|互联网|网友)(?:投稿|上传|分享|整理)?",
    r"(?:本文|内容|以上内容|文章)?仅(?:供|作|做|为)(?:大家)?(?:学习|交流|研究)?(?:参考|学习|交流|借鉴|阅读)(?:使用|之用|所用)?",
    r"以?供(?:大家|您|你|读者|各位)[^，。！？]{0,8}?(?:参考|借鉴|学习|阅读)(?:使用|所用|之用)?",
    r"请?勿(?:照抄|抄袭|转载|复制|照搬|套用)",
    r"(?:如有|若有|如涉及|涉及|如果有)侵权[^，。！？；\n]{0,16}?(?:删除|删|处理|告知)",
    r"侵删",
    r"不代表本站(?:的)?观点(?:和立场)?",
    r"转载请(?:保留|注明)[^，。！？；]{0,20}",
    r"欢迎(?:大家|您)?(?:阅读|借鉴|参考|下载|收藏|分享|访问|浏览|转发)(?:与参考|和参考|与借鉴)?",
    r"希望(?:本文|这些|以上|上述)?(?:内容|范文)?(?:对|能|可以|能够|会)?(?:对|给|为|帮助|帮到)?(?:大家|您|你|各位)[^，。！？]{0,16}?(?:帮助|参考|借鉴|有用|启发|作用|灵感|价值)",
    rf"(?:如果)?喜欢(?:就|的话)[^，。！？\s]{{0,4}}{_ACT}[^，。！？\s]{{0,8}}",
    r"(?:点击|立即|免费|马上)(?:下载|阅读|查看|获取)[^，。！？]{0,8}",
    r"请?点击(?:下方|上方|下面|右上角|此处|这里)的?(?:按钮|链接|图标)",
    r"下载(?:本文档|该文档|此文档|本文|文档|全文|完整版|Word文档|Word版|Word|源文件)(?:到电脑|到手机|到本地)?",
    r"复制下载", r"下载吧", r"(?:下载|阅读|查看)?请?先登录", r"登录后(?:下载|阅读|查看)",
    r"(?:展开|查看|继续)?阅读全文", r"全文阅读", r"继续(?:免费)?阅读",
    r"(?:免费)?预览(?:阅读)?已?结束", r"(?:已|到这儿已)?超出(?:免费)?预览(?:范围)?",
    r"[(（]未完[)）]|未完(?=[，,])",
    # A writing site's note on a sample's style under its title: （全面汇报式：结构严谨…，适合正式汇报与存档）
    r"[(（][^()（）]{0,12}(?:式|型|版|风格)[:：][^()（）]{0,40}适合[^()（）]{0,20}[)）]", r"[(（]?本页(?:已|到此)?完[)）]?",
    # Where the page came from: 如若转载，请注明出处：<URL>; a site's document id (编号：658229379).
    r"(?:如若|如需|如要|若要)?转载[，,]?请注明(?:出处|来源|原文链接)[:：]?\s*(?:https?://[^\s\u4e00-\u9fff，。]+)?",
    r"(?<![\u4e00-\u9fff])编号[:：]\s*\d{6,}",
    # A newspaper's dateline: 本报讯（记者 某某 通讯员 某某）.
    r"本报讯\s*(?:[(（](?:记者|通讯员)[^)）]{0,24}[)）])?|[(（]\s*(?:记者|通讯员)\s*[\u4e00-\u9fff]{2,4}(?:\s*(?:记者|通讯员)?\s*[\u4e00-\u9fff]{2,4}){0,3}\s*[)）]",
    # A compilation's own joints: '（本篇完，以下为第2篇）', a run of member labels '【篇一】【篇二】'.
    r"[(（]本篇(?:已|到此)?(?:完|结束)[^()（）。]{0,12}[)）]|本篇(?:已|到此)?(?:完|结束)[，,](?:以下|下面|接下来)(?:为|是)?第\s*[\d一二三四五六七八九十]{1,3}\s*篇",
    r"(?:【\s*(?:篇|第)?\s*[一二三四五六七八九十\d]{1,3}\s*篇?\s*】\s*){2,}",
    # A table of contents run into one line: 目录一、总体要求1二、重点任务2（一）…4
    rf"目\s*录\s*[:：]?(?:\s*{_TOC_ENTRY}){{2,}}", r"(?:怎么|如何|怎样)写(?:好)?(?=[\sA-Za-z\d]|$)", r"当前显示\d+字", r"[(（]\s*共\s*\d+\s*页\s*[)）]", r"需(?:要)?登录",
    r"请?(?:查看|参阅|阅读)(?:下方|上方|下面|文末)的?(?:说明|提示|按钮|链接)",
    # How much of the document the page shows: 全文共6页, 本页显示1904字, 已浏览2页, 剩余3页待读
    r"(?:本|该)?(?:全文|文|页|篇|文档|资料|书)(?:总)?(?:共|显示|约|仅显示)?\s*\d+\s*(?:页|字)",
    r"(?:已|还剩|剩余|剩下)(?:浏览|阅读|预览|看)?\s*\d+\s*页(?:未读|待读|未看)?",
    # The preview is over: 免费试读部分已经结束, 可免费预览的页数已看完
    r"可?(?:免费)?(?:试读|预览|浏览|阅读)的?(?:部分|内容|页数|页面)?(?:已经|已)?(?:结束|看完|完毕|读完)",
    # Invitations to act on the page: 觉得有用就下载收藏吧, 点击继续免费浏览, 如需完整内容请下载
    rf"(?:觉得|如果|若)?(?:有用|喜欢|不错|满意|有帮助)(?:就|的话|请)[^，。！？\s]{{0,4}}{_ACT}[^，。！？\s]{{0,8}}",
    r"(?:点击|请)?继续(?:免费)?(?:浏览|阅读|查看)", r"如需[^，。！？]{0,4}(?:完整|全文|更多|原文)[^，。！？]{0,10}",
    r"请认真阅读下面的提示信息", r"亲[，,]?(?:该|本)文档总共\d+页", r"(?:该|本)文档(?:总)?共\d+页",
    r"(?:精选优质文档|优质文档)[-—]*", r"倾情(?:为你|为您)?奉上", r"(?:微信)?扫一扫[^，。！？]{0,16}",
    r"官方(?:抖音|快手|微信|视频)号[^，。！？；\s]*",
    # Keeping the page: 下载到本地，更方便阅读; a periodical site's excerpt label.
    r"(?:下载|保存)到(?:本地|电脑|手机)[^，。！？\s]{0,2}", r"(?:阅读|查看)更方便|更方便(?:阅读|查看)", r"(?:论文|文章|全文)?部分内容阅读",
    # A public account asking to be followed: 点击上方蓝字关注我们, 长按识别二维码
    r"点击上方蓝字[^，。！？]{0,6}", r"长按(?:识别|扫描)?(?:图中)?二维码[^，。！？]{0,8}", r"(?:识别|扫描|扫码)(?:图中|下方)?二维码[^，。！？]{0,8}",

    # An app pushing itself: 打开某某新闻 查看精彩图片, 下载APP阅读全文
    r"打开[^，。！？\s]{0,6}(?:新闻|APP|App|app|客户端|小程序)\s*(?:查看|阅读|观看)(?:精彩|全文|更多|原文|高清)[^，。！？\s]{0,6}", r"(?:下载|打开)\s*(?:APP|App|app|客户端)[^，。！？\s]{0,8}",
    # Bracketed tags a site puts before a title or a teaser: 【精选推荐】 【阅读指引】
    r"【[^】\d一二三四五六七八九十]{0,8}(?:推荐|精选|热门|指引|导读|提示|下载|必备|优选|荐|精品|原创|最新)[^】\d一二三四五六七八九十]{0,6}】",
    r"[(（【\[]\s*(?:精选|通用|优秀|热门|推荐|模板|精品|最新|汇编|合集)?\s*\d{1,3}\s*篇\s*(?:精选|通用|范文|汇编|合集)?[)）】\]]",
    # A site's label on a title: (全文) (完整版) (word版可编辑)
    r"[(（](?:全文|完整版|最新版|精选版|word版|Word版|可编辑|word版可编辑|精编版|修订版|通用版|范文)[)）]",
]
# The site's own voice: the whole sentence is site speech ('下面是小编为大家整理的…，供大家参考。').
_SPEAKER = [
    r"小编", r"网友[^，。！？]{0,4}?(?:投稿|上传|分享|整理|搜集|收集|为您|为你)", r"整理不易",
    r"为(?:大家|您|你|各位)(?:精心|特意|特别|特地)?(?:整理|收集|搜集|奉上|精选|汇编)",
    # Sharing and preparing are said to 大家 in speeches and reports too ('我为大家分享三点做法',
    # '食堂为大家准备了午餐'); only a site says them to one reader, 您/你.
    r"为(?:您|你)(?:精心|特意|特别|特地)?(?:分享|呈现|推荐|带来|准备)",
    # Who the page is for: 对于想了解…的朋友们来说 (not 对于农村的小朋友们来说); a notice to all users: @全体用户
    r"(?:想|要|需要|希望)[^，。！？]{0,20}的朋友们?(?:来说|而言)", r"@(?:所有人|全体|各位)",
    # The safe-harbour disclaimer of upload sites: 本站仅提供信息存储空间服务
    r"仅提供信息存储空间",
    # The site greeting its visitor, with any motto before it: 某某文库欢迎您！ 欢迎来到某某范文网！
    r"(?:网|站|文库|平台|之家)欢迎(?:您|你)", r"欢迎(?:来到|光临|访问)[^，。！？\s]{0,12}(?:网|站|文库|平台|之家)",
    # The genre explained to someone who must write one: 《教育局工作总结》是…的重要文书
    r"《[^》]{1,30}(?:总结|计划|报告|要点|方案)》(?:是|作为|既是|不仅是)[^。！？]{0,60}(?:文书|载体|书面材料|应用文|文体)",
    r"(?:特意|特地|精心)为(?:您|你)", r"写作(?:顾问|服务|平台)", r"写作(?:上的|中的)?(?:突破|灵感|思路|难题)",
    r"为(?:您|你|大家)提供(?:优质|海量|免费|精选|最新|各类)?[^，。！？]{0,6}(?:范文|文档|模板)", r"我要投稿", r"客服老师",
    r"(?:本|该)(?:文档|资料|文章|文)由(?:用户|网友|会员)", r"替换为(?:本单位|您|你|自己)",
    # Talk about the genre, addressed to someone who has to write one: 让我们一起写一份总结吧, 总结有什么要求呢？
    r"让我们一起(?:来)?(?:写|学习一下)", r"写出?(?:一份|一篇|好一份|好一篇)",
    r"(?:好好|来)写写?[^，。！？]{0,4}(?:总结|计划|报告|方案|心得)", r"(?:怎样|如何|怎么)才能写",
    r"(?:总结|计划|报告|方案|范文|心得)的?(?:格式|写法|要求|模板|怎么写|如何写|有什么|有哪些|该怎么|应该怎么)[^。！？]{0,10}(?:呢|吗)[？?]", r"你(?:掌握|知道|了解|会写|学会)了?吗",
]
# The site's name for itself: only the clause holding it goes, since a
# report's title or first sentence may be glued right after it.
_NAMES = [r"本站", r"本网站", r"范文网", r"(?<!资源)(?<!数字)(?<!图书)(?<!教学)文库", r"文档网", r"文秘网", r"范文大全"]  # the clause around them goes
_CLOSED_RE = re.compile("|".join(f"(?:{p})" for p in _CLOSED))
_NAME_RE = re.compile("|".join(f"(?:{p})" for p in _NAMES))
_CLAUSE_END = "，,；;：:/|｜>＞»›" + "。！？!?"
_SPEAKER_RE = re.compile("|".join(f"(?:{p})" for p in _SPEAKER))
# Words one of the patterns above always holds: only the stretches of a line
# around one of them are searched. Literal words in an Aho-Corasick automaton
# (pyahocorasick) find them in one pass, far faster than a regex alternation.
_HINT_WORDS = (
    "小编 本站 本网 网友 范文 文库 文档 文秘 仅供 供大家 供您 供你 供读者 供各位 照抄 抄袭 转载 侵权 侵删 观点 欢迎 希望 "
    "喜欢 下载 预览 试读 浏览 已阅读 剩余 还剩 剩下 未完 全文 当前显示 提示信息 扫一扫 奉上 倾情 官方 篇） 篇) 篇】 篇] "
    "写作 投稿 客服 来源于 来自网 来自互联网 转自 摘自 源于网 【 模板 使用时 替换为 登录 文由 档由 料由 章由 点击 立即 "
    "免费 马上 为大家 为您 为你 为各位 优质文档 节选 本页 本文 本篇 资料 该文档 有用 不错就 满意就 有帮助 继续 如需 "
    "让我们一起 写一 写好 呢？ 呢? 吗？ 吗? 整理不易 下方 文末 打开 APP App app 客户端 完整版 最新版 精选版 word版 "
    "Word版 可编辑 精编版 修订版 通用版 目录 目 本页 页） 页) 阅读已 阅读结束 写出 才能写 写写 好好写 掌握了吗 知道吗 了解吗 怎么写 如何写 怎样写 "
    "编号 本报讯 记者 通讯员 提供 适合 存储空间 二维码 蓝字 本地 方便 部分内容 仅作 仅做 仅为 照搬 套用 》是 》作为 》既是 》不仅是 朋友 @"
).split()


# The literal heads of the cue words of the sentence check (_CUES below): a
# line holding none of them skips that check, in one pass of an automaton.
_CUE_WORDS = (
    "本文 本篇 此文 该文 本资料 该资料 文档 范文 文库 本站 本网 网站 会员 VIP 积分 下载 客服 QQ 微信 公众号 视频号 "
    "抖音号 小程序 上传 保存 收藏 点赞 在看 分享 关注 订阅 复制 转载 传播 开通 升级 充值 购买 登录 注册 举报 认领 "
    "您 你 大家 各位 朋友们 读者 网友 用户 小伙伴 职场人 版权 侵权 原创 著作权 法律责任 不允许 未经 仅供 仅作 仅做 照搬 "
    "照抄 抄袭 下架 不代表 写作 怎么写 如何写 写法 写出 灵感 供参考"
).split()


@lru_cache(maxsize=2)
def _automaton(words: tuple[str, ...]):
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


def _hint_automaton():
    return _automaton(tuple(_HINT_WORDS))


def _has_cue(text: str) -> bool:
    return next(_automaton(tuple(_CUE_WORDS)).iter(text), None) is not None


def _hints(text: str) -> list[tuple[int, int]]:
    """(start, end) of every hint word in `text`."""
    return [(end + 1 - n, end + 1) for end, n in _hint_automaton().iter(text)]
_LABEL_BEFORE = re.compile(r"(?:温馨提示|温馨|提示|导语|前言|引言|说明|亲)[:：，,]?\s*$")
_SENTENCE_END = "。！？!?"
_SEPARATORS = "，,、；;：:/|｜ \t"
_DASHES = "-—–~～=*"
_OPENERS = "-—–~～=*【[（("
_CLOSERS = "-—–~～=*】]）)"
# A lead-in that opens site speech inside a longer line: '下面是小编…', '以下是…'.
_LEAD_IN = re.compile(r"(?:下面|以下|接下来|这里|这)(?:是|为|就是|就)|下面|以下|接下来|(?:导语|前言|引言|温馨提示|提示)[:：]|【[^】]{0,6}】")


SCOPE = 300  # site speech reaches at most this far from its cue; report sentences are rarely longer


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a speaker; it starts at a lead-in when report text precedes it."""
    a, stop = start, max(0, start - SCOPE)  # a line with no sentence end must not make this quadratic
    while a > stop and text[a - 1] not in _SENTENCE_END:
        a -= 1
    # Inside brackets ('…政策，（更多内容请关注本站公众号）确保…'), the brackets are the scope.
    for opener, closer in (("（", "）"), ("(", ")"), ("【", "】"), ("[", "]")):
        o = text.rfind(opener, a, start)
        if o >= 0 and text.rfind(closer, o, start) < 0 and (c := text.find(closer, end)) >= 0:
            if not any(ch in _SENTENCE_END for ch in text[end:c]):
                return o, c + 1
    if lead := _LEAD_IN.search(text, a + 1, start):
        a = lead.start()  # '…工作总结下面是小编整理的…': the title before stays
    b, stop = end, min(len(text), end + SCOPE)
    while b < stop and text[b] not in _SENTENCE_END:
        b += 1
    return a, min(b + 1, len(text))


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around a site's name: between separators, brackets and spaces."""
    a, stop = start, max(0, start - SCOPE)
    while a > stop and text[a - 1] not in _CLAUSE_END + " " + _OPENERS:
        a -= 1
    b, stop = end, min(len(text), end + SCOPE)
    while b < stop and text[b] not in _CLAUSE_END + " " + _CLOSERS:
        b += 1
    return a, b


WINDOW = 60  # every closed phrase holds a hint word within this many characters


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of `text` around its hint words: the phrase patterns run only there (long lines stay linear and fast)."""
    out: list[list[int]] = []
    for start, end in _hints(text):
        a, b = max(0, start - WINDOW), min(len(text), end + WINDOW)
        if out and a <= out[-1][1]:
            out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


# --- sentences about the site, its documents and their rights ---------------
#
# Sites word their notices endlessly ('本资料属于会员专享资料，开通会员即可免费下载',
# '作者原创，不允许二次传播，一经发现收回会员权益'), so no list of phrases keeps up.
# What they share is what they talk about: the page's own document or the site
# (本文, 本资料, 文档, 会员, 下载次数), what a visitor does with it (下载, 保存,
# 收藏, 转发, 开通), whom it addresses (您, 大家, 用户) and its rights (版权, 原创,
# 侵权, 追究). A sentence that touches two of these kinds is site speech, unless
# it names an actor or an act of education work (教师, 学校, 我县, 组织, 开展)
# or counts something: a report sentence such as '教师下载使用优质资源12万次' or
# '引导学生抵制盗版和侵权行为' uses the same words about its own work.
_CUES = {
    "doc": r"本文|本篇|此文|该文|本资料|该资料|本文档|该文档|文档|范文|文库|本站|本网|网站|会员|VIP|积分|下载(?:次数|额度|券|特权|权限)|客服|(?:QQ|微信)群|公众号|视频号|抖音号|小程序",
    "act": r"下载|上传|保存|收藏|点赞|在看|分享|关注|订阅|复制|转载|传播|开通|升级|充值|购买|登录|注册|举报|认领",
    "reader": r"您|你们|(?<![迎])你(?!们)|大家|各位|朋友们|读者|网友|用户|小伙伴|职场人",
    "rights": r"版权|侵权|原创|著作权|法律责任|不允许|未经(?:许可|授权|允许|同意)|仅(?:供|作|做)参考|照搬|照抄|抄袭|下架|不代表",
    "writing": r"写作|怎么写|如何写|写法|写出|灵感|以供参考|供参考",
}
_CUE_RE = re.compile("|".join(f"(?P<{k}>{v})" for k, v in _CUES.items()))
# Who does education work, what they do, what they count: a sentence holding one is the report's.
_ACTOR = (
    r"学生|教师|师生|幼儿(?!园)|家长|学校|各校|教职工|班主任|校长|园长|中小学|(?<![了的])(?:我|全|各)(?:县|市|区|局|校|园|镇|乡|省|旗)"
    r"|组织|开展|举办|召开|实施|推进|落实|(?:教育|教体)(?:厅|局|部|委)|政府"
)
_ACTOR_RE = re.compile(_ACTOR)
_ANCHOR = re.compile(_ACTOR + r"|\d+(?:\.\d+)?(?:名|人|所|个|件|项|元|万|亿|%|场|册|家|间|台)"
                     r"|(?:关心|关注)(?:和|与|、)?支持|教育(?:事业|发展|工作)")
# Names of documents ('《幼儿园春季学期工作总结》', '县教育局工作总结范文') say nothing of who is speaking.
_BOOK_TITLE = re.compile(r"《[^》]{0,40}》")
_DOC_WORD = re.compile(r"总结|计划|报告|要点|方案|范文")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fff\d]")
DOC_NAME_MAX = 30  # the words before a doc-type word that name the document


class _DocNames:
    """`sub('', text)`: `text` without names of documents; written out rather than as one regex,
    whose 30-character look-behind per position made long lines slow."""

    @staticmethod
    def sub(_: str, text: str) -> str:
        text = _BOOK_TITLE.sub("", text)
        out, pos = [], 0
        for m in _DOC_WORD.finditer(text):
            k, lo = m.start(), max(pos, m.start() - DOC_NAME_MAX)
            while k > lo and _NAME_CHAR.match(text[k - 1]):
                k -= 1
            out.append(text[pos:k])
            pos = m.end()
        out.append(text[pos:])
        return "".join(out)


_DOC_NAME = _DocNames()
_DATED_DOC = re.compile(r"(?:19|20)\d{2}年[^，。；！？《》]{0,24}(?:总结|计划|报告|要点|方案|汇报)")
SITE_SENTENCE_MAX = 160  # site notices are short; a longer sentence is a report's
_ENDS = re.compile(r"[。！？!?]")


_CLAUSE_OPEN = "，,；;：: -—–【[（(\x00"
_CLAUSE_SHUT = "，,；;：: -—–】]）)\x00"


def _site_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of `text` where a sentence talks about the site, its documents and their rights.

    A span runs from the first to the last clause of the sentence that holds a
    cue, so report text glued before or after the notice in one sentence
    ('坚持动态监测，本文来源于网络…删除。建立…', '成---本文来源…删除---立') stays.
    """
    cues = list(_CUE_RE.finditer(text))
    if len(cues) < 2:
        return []
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(cues):
        start = a = cues[i].start()
        while a > 0 and text[a - 1] not in "。！？!?" and start - a < SITE_SENTENCE_MAX:
            a -= 1
        # Bounded searches: a line without sentence ends must not make this quadratic.
        m = _ENDS.search(text, cues[i].end(), cues[i].end() + SITE_SENTENCE_MAX)
        end = m.start() if m else min(len(text), cues[i].end() + SITE_SENTENCE_MAX)  # the end stays for strip_speech
        kinds = set()
        last = cues[i].end()
        while i < len(cues) and cues[i].start() < end:
            kinds.add(cues[i].lastgroup)
            last = max(last, cues[i].end())
            i += 1
        opening = a
        a = max(a, max(text.rfind(c, a, start) for c in _CLAUSE_OPEN) + 1)
        b = min([k for c in _CLAUSE_SHUT if (k := text.find(c, last, end)) >= 0] or [end])
        if a == opening and b < end and text[b] in "，,；;：: ":
            b = end  # a sentence that opens as a notice is the notice to its end ('…以期提供写作参考，助力…')
        span = text[a:b]
        # A sentence naming a dated report without addressing anyone is a title glued
        # to a slogan ('…专注公文写作二十年某县2024年工作要点'): the slogan rules cut it finer.
        named = "reader" not in kinds and _DATED_DOC.search(span)
        if len(kinds) >= 2 and len(span) <= SITE_SENTENCE_MAX and not named and not _ANCHOR.search(_DOC_NAME.sub("", span)):
            out.append((a, b))
    return out


_SENTENCE_SPLIT = re.compile(r"[^。！？!?；;]+[。！？!?；;]*|[。！？!?；;]+")


def report_sentences(line: str) -> str:
    """What is left of a line judged chrome once only its chrome sentences go.

    A line is judged as a whole (a site's name, a rights note, 'Word文档'),
    but report text shares it often enough ('…以Word文档形式报送市教育局。'):
    a sentence that names who does education work or what they do stays;
    the rest of the line, fragments of notices included, goes.

    >>> report_sentences("各学校将自查情况以Word文档形式报送市教育局。下载该Word文档")
    '各学校将自查情况以Word文档形式报送市教育局。'
    """
    kept = []
    for s in _SENTENCE_SPLIT.findall(line):
        if not s.strip(" 。！？!?；;"):
            continue
        if _ACTOR_RE.search(_DOC_NAME.sub("", s)) and not _SPEAKER_RE.search(s):
            kept.append(s)
    return "".join(kept).strip()


def speaks_of_work(text: str) -> bool:
    """True when `text` names who does education work or what they do (教师, 学校, 我县, 组织, 开展), titles of documents aside."""
    return bool(_ACTOR_RE.search(_DOC_NAME.sub("", text)))


def is_site_sentence(sentence: str) -> bool:
    """True when `sentence` is a notice about the site, its documents or their rights.

    >>> is_site_sentence("本资料属于会员专享资料，开通会员即可免费下载。")
    True
    >>> is_site_sentence("市教育工会新发展工会会员320名，组织会员开展读书分享活动。")
    False
    """
    return any(b - a >= len(sentence.strip(" 。！？!?")) for a, b in _site_sentences(sentence))


_PROMPT = re.compile(r"(?:点击|立即|免费|马上)(?:下载|阅读|查看)|(?:下载|保存)到|(?:识别|扫描|扫码|长按)[^，。！？]{0,4}二维码")


def _work_prompt(text: str, a: int, b: int) -> bool:
    """A '免费下载'-like prompt inside a clause about education work ('师生可免费阅读和下载电子图书') is the report's."""
    if not _PROMPT.match(text, a):
        return False
    lo, hi = max(0, a - SCOPE), min(len(text), b + SCOPE)
    start = max(lo - 1, max(text.rfind(c, lo, a) for c in "，。；！？,;")) + 1
    ends = [k for c in "，。；！？,;" if (k := text.find(c, b, hi)) >= 0]
    return speaks_of_work(text[start : min(ends) if ends else hi])


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the given spans blanked out, built in one pass (a long line may hold thousands)."""
    if not spans:
        return text
    out, pos = [], 0
    for a, b in sorted(spans):
        if b <= pos:
            continue
        a = max(a, pos)
        out += [text[pos:a], "\x00" * (b - a)]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _spans(text: str) -> list[tuple[int, int]]:
    found = {m.span() for a, b in _windows(text) for m in _CLOSED_RE.finditer(text, a, b)}
    spans = [span for span in found if span[1] > span[0] and not _work_prompt(text, *span)]
    # Notices the phrases above already cover are not judged again as sentences:
    # their words are masked, so a slogan ('倾情为你奉上') cannot widen to the
    # title glued after it.
    sentences = _site_sentences(_masked(text, spans)) if _has_cue(text) else []
    # A speaker cue inside a closed phrase ('倾情为你奉上' holds 为你奉上) is that
    # phrase, not the start of a sentence of site speech: widening it to the
    # sentence would take a title or sentence glued after the slogan with it.
    spans.sort()
    starts = [a for a, _ in spans]
    reach = list(accumulate((b for _, b in spans), max))  # the furthest end of the spans so far
    for m in _SPEAKER_RE.finditer(text):
        k = bisect_right(starts, m.start()) - 1
        if k < 0 or reach[k] < m.end():
            spans.append(_sentence_bounds(text, *m.span()))
    spans += sentences
    for m in _NAME_RE.finditer(text):
        a, b = _clause_bounds(text, *m.span())
        # A site's name stands apart (a space, '/', '|', '>' or the line's end
        # after it); inside a sentence ('建成数字资源文库，收录…') it is the report's word.
        if m.group(0).startswith("本") or b >= len(text) or text[b] not in "，,。；;：:":
            spans.append((a, b))
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        # Pieces of speech separated only by punctuation, spaces or dashes are one run.
        if merged and (a <= merged[-1][1] or not text[merged[-1][1] : a].strip(_SEPARATORS + _SENTENCE_END + _OPENERS + _CLOSERS)):
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def strip_speech(line: str) -> str:
    """Remove what the site says to its reader; the report text around it closes up.

    >>> strip_speech("坚持动态监测，本文来源于网络，仅供参考，如有侵权请联系删除。建立三级台账。")
    '坚持动态监测。建立三级台账。'
    >>> strip_speech("选派骨干教师跟岗研本文来源于网络，仅供参考，如有侵权请联系删除修，每期三个月。")
    '选派骨干教师跟岗研修，每期三个月。'
    >>> strip_speech("下面是小编为大家整理的工作总结，供大家参考。希望对大家有所帮助，喜欢就收藏一下吧！")
    ''
    """
    if not _hints(line) and not _has_cue(line):
        return line
    spans = _spans(line)
    if not spans:
        return line
    out, pos = [], 0
    for a, b in spans:
        opened = 0
        while a > pos and line[a - 1] in _OPENERS:
            a -= 1
            opened += line[a] not in _DASHES
        if label := _LABEL_BEFORE.search(line, pos, a):
            a = label.start()  # '提示：全文共6页…': the label goes with what it introduces
        opened += sum(line[a:b].count(o) for o in "【[（(") - sum(line[a:b].count(c) for c in "】]）)")
        while b < len(line) and line[b] in _CLOSERS and (line[b] in _DASHES or opened > 0):
            opened -= line[b] not in _DASHES
            b += 1
        out.append(line[pos:a])
        pos = b
        # What follows a removed run: separators and a sentence end that the
        # run leaves dangling are dropped, so the sentence closes up cleanly.
        while pos < len(line) and line[pos] in _SEPARATORS:
            pos += 1
        left = "".join(out).rstrip()
        if pos < len(line) and line[pos] in _SENTENCE_END:
            if not left or left[-1] in _SENTENCE_END:
                pos += 1
            else:
                out = [left.rstrip(_SEPARATORS)]
        elif left and left[-1] in "，,、；;" and (pos >= len(line)):
            left = left.rstrip(_SEPARATORS)
            out = [left + ("。" if len(left) >= 8 and left[-1] not in _SENTENCE_END else "")]
    out.append(line[pos:])
    text = "".join(out)
    text = re.sub(r"[(（\[【]\s*[)）\]】]", "", text)  # brackets emptied by a removal
    return text.strip(" " + _SEPARATORS)


# --- page furniture ---------------------------------------------------------

# Phrases a report never contains but document sites always do.
_SITE = re.compile(
    "|".join(
        [
            r"ICP[备证]", r"[Cc]opyright", r"©", r"版权所有", r"All [Rr]ights", r"版权(?:声明|说明|归属|争议)",
            r"免责声明",
            r"上传人[:：]", r"上传者[:：]", r"上传时间[:：]", r"上传日期[:：]", r"文档编号[:：]", r"审核编辑[:：]",
            r"网站客服", r"在线客服", r"联系客服", r"客服QQ", r"QQ[:：]?\s*\d{5,}", r"QQ群[:：]?\s*\d{5,}", r"会员群", r"客服[:：]\s*\d",
            r"转载请(保留|注明)", r"链接地址[:：]", r"原文(链接|地址)[:：]", r"本文(链接|地址)[:：]",
            r"为你整理", r"由会员分享", r"的会员“", r"推荐度[:：]", r"免费入口",
            r"下载该", r"下载Word", r"下载文档", r"立即下载", r"免费下载", r"点击下载", r"下载本文",
            r"收藏本文", r"下载收益", r"放心下载", r"下载前请", r"下载后(无|即|可)", r"VIP(?:文档|会员|专享|专免)",
            r"全部预览完了", r"预览时可能", r"展开阅读全文", r"可在线阅读", r"可阅读全部", r"本文档共\d+页",
            r"(本|该)(文档|资料)由(用户|网友|会员)", r"用户上传", r"侵犯了?您的",
            r"如有侵权", r"共有\d+个字", r"全文共\s*\d+\s*字", r"字数[:：]\s*\d+", r"约\s*[\d.]+\s*千字",
            r"(当前|您的|现在)位置[:：]", r"_第\d+页", r"第\s*\d+\s*页\s*[/／]\s*共\s*\d+\s*页",
            r"总共\d+页", r"搜索到更多", r"更多.{0,8}范文", r"整理发布", r"付费(完成|下载|之前)",
            r"[Ww]ord文档", r"\.docx?》", r"求稿", r"\[详细\]", r"更多\s*>>", r"写作(服务|助手)", r"无标题文档",
        ]
    )
)

# UI words and metadata that mark a line as chrome only when the line is short.
_UI_WORDS = (
    "下载|收藏|分享|分享到|分享赚钱|举报|相关|推荐|展开|收起|打印|关闭|评论|点赞|返回|首页|目录|搜索|"
    "上一篇|下一篇|猜你喜欢|相关资源|相关搜索|相关文档|相关推荐|相关阅读|延伸阅读|热门推荐|阅读模式|"
    "你可能关注的文档|推荐专题|最近更新|资源描述|温馨提示|网站客服|在线客服|编辑推荐|星级推荐|海报|"
    "问题咨询|投诉建议|常见帮助|QQ|微信|扫一扫|手机版|登录|注册|会员|VIP|充值|客服|我要投稿|投稿|正文|"
    "字号|大\\s*中\\s*小|默认|护眼|恢复窄屏|打印本页|打印此页|打印本文|关闭窗口|关闭本页|返回顶部|返回首页|返回列表|"
    "【打印】|【关闭】|【打印此页】|【关闭窗口】|【返回顶部】|"
    "文档预览|在线预览|复制|正文复制|关注我们|加入我们|往期推荐|往期回顾|往期精选|精彩回顾|END|阅读原文|在看|文档简介|内容简介|资料简介|文档介绍|\\S{0,4}导航"
)
_UI_ONLY = re.compile(rf"^(?:(?:{_UI_WORDS})[\s:：|/]*)+$")
_LABELS = (
    "ID|大小|页数|格式|时间|日期|发布时间|发布日期|更新时间|上传时间|上传日期|来源|文章来源|信息来源|作者|文章作者|"
    "编辑|责任编辑|审核|发布者|发布人|发布单位|浏览|浏览次数|浏览数|浏览量|阅读|阅读量|阅读数|阅读次数|点击|点击数|"
    "点击次数|点击量|人气|栏目|所属栏目|分类|标签|关键词|热度|评论|下载次数|推荐度|供稿|字数|小编|今天是|"
    "发表人/单位|发表人|发表日期|发表时间|字体显示|字体|被引量|被引|上传用户|审核人|图文|摄影|排版|校对|初审|复审|终审|责编"
)
_LABEL_START = re.compile(rf"^(?:{_LABELS})\s*[:：]")
_LABEL_ANY = re.compile(rf"(?:^|\s)(?:{_LABELS})\s*[:：]")
_DATE = r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_DATE_TIME = re.compile(rf"(?:{_DATE}|\d{{1,2}}[./]\d{{1,2}}[./](?:19|20)\d{{2}})\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?")
# One token of a byline or counter row: '2023-01-09', '阅读(1286)', '22KB', '999+', '约 7页'.
_FURNITURE_TOKEN = re.compile(
    rf"^(?:{_DATE}|\d{{1,2}}:\d{{2}}(?::\d{{2}})?|约?\s*[\d.,]+\+?\s*(?:[KMG]B|页|字|千字|次|人|阅读|浏览|赞)?|"
    rf"(?:{_UI_WORDS}|{_LABELS})\s*[(（:：]?\s*[\d.,]*\+?\s*[)）]?|发布于\S{{1,8}}|星期.|周.)$",
    re.I,
)
_SHORT = [
    _LABEL_START,
    re.compile(r"^\d+(\.\d+)?\s*[KMG]B$", re.I),
    # A numeric date alone is a page's stamp; '2023年1月9日' alone is a report's signature date and stays.
    re.compile(r"^(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*(发布|更新|上传)?$"),
    re.compile(r"^【(概述|正文|摘要|简介|导语|导读|内容|全文)】$"),
    re.compile(r"^(上一篇|下一篇|上一页|下一页|返回首页|返回列表|返回顶部|编辑推荐)"),

    re.compile(r"\.(docx?|pdf|wps|pptx?|xlsx?|txt|jpe?g|png|gif|bmp)(VIP)?$", re.I),
    re.compile(r"^\+?\d[\d\- ]{6,14}\d$"),  # a bare phone or QQ number
    re.compile(r"^[-—–]?\s*\d{1,3}\s*[-—–]?$"),  # a bare page number
    re.compile(r"^第\s*\d+\s*页$"),
    re.compile(r"^\d{1,3}\s*[/／]\s*\d{1,3}$"),  # a page counter '3/7'
    re.compile(r"QQ$"),
    re.compile(r"^(?:共有)?\d+条(?:评论|回复|留言)$|^(?:发表|网友|我要|查看)评论"),
    # A site's greeting in its header: '某某中学 欢迎您！'
    re.compile(r"^[^，。；！？\s]{2,20}\s*欢迎(?:您|你)[!！]?$"),
]
# A button: short. A line of PDF text wrapped at 18-40 characters may start or end
# with 下载 ('下载安装国家智慧教育平台客户端并', '组织师生登录平台浏览并下载') and is the report's.
_BUTTON = re.compile(r"^.{0,14}(?:下载|收藏)$|^下载.{0,14}$")
_TAGS = re.compile(r"^(?:\S{1,6}\s+){3,}\S{1,6}$")  # a keyword row: "2023 教育 督导 月份 工作总结"
_BREADCRUMB = re.compile(r"^(?:[^>＞»›]{1,30}\s*(?:>>?|＞|»|›)\s*){2,}[^>＞»›]{0,60}$")
# A trail of two crumbs is one when it starts at a home page or a site ('首页 > 讲话稿',
# '某某范文网 > 工作总结'); a separator at either end is a trail whose site name was cut.
_SHORT_TRAIL = re.compile(
    r"^(?:(?:网站|返回)?(?:首页|主页)|[^>＞»›]{0,30}(?:网|网站|文库|频道))\s*(?:>>?|＞|»|›)\s*[^>＞»›]{1,30}$"
    r"|^(?:>>?|＞|»|›)|(?:>>?|＞|»|›)$"
)
_SENTENCE_PUNCT = re.compile(r"[，。；！？]")
# A numeric date first, then who posted: '2023-11-24 某区政府教育督导室'. A report
# dates its own signature in words (2023年11月24日) and after the office.
_DATED_BYLINE = re.compile(r"^(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s*[\u4e00-\u9fff].{0,40}$")
_COUNTER = re.compile(r"(?:浏览|人气|阅读|点击|热度|下载|访问)(?:量|数|次数)?\s*[:：(（]\s*[\d.,]+\s*[万WwKk+]?")

# A header after which a site lists other documents.
LIST_HEADER = re.compile(
    r"^(猜你喜欢|相关资源|相关搜索|相关文档|相关推荐|相关阅读|延伸阅读|热门推荐|热门文档|相关文章|"
    r"你可能关注的文档|推荐专题|最近更新|更多相关|相关范文|精选范文|推荐阅读|热门文章|最新文章|推荐文章|热门范文|"
    r"频道推荐|栏目推荐|精彩推荐|热点推荐|本站推荐)"
)

SHORT_LINE = 60
BYLINE_MAX = 120


def _furniture_row(line: str) -> bool:
    """A row made only of dates, counters, labels and UI words: '2023-01-09  阅读(1286)  收藏  下载Word'."""
    tokens = [t for t in re.split(r"\s{2,}|[|•·]|\s(?=\S+[:：])", line) if t.strip()]
    if len(tokens) < 2:
        return False
    return all(_FURNITURE_TOKEN.match(t.strip()) or _LABEL_START.match(t.strip()) for t in tokens)


def _nav_row(line: str) -> bool:
    """A menu bar: 'cell | cell | cell' of short labels, one of them a UI word (首页, 登录)."""
    cells = [c.strip() for c in re.split(r"\s*[|｜]\s*", line)]
    return (
        len(cells) >= 3
        and all(len(c) <= 8 and not re.search(r"\d|[，。；]", c) for c in cells)
        and any(_UI_ONLY.match(c) for c in cells if c)
    )


_LATIN_RUN = re.compile(r"[A-Za-z]{4}")
_LATIN = re.compile(r"[A-Za-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


_KINDS = re.compile(r"(?:工作|年终|年度|个人|述职|心得|学习|活动|专题|自查|自评|督导|调研|整改|情况|党课|对照|策划)?(?:总结|计划|汇报|报告|要点|方案|范文|体会|讲话|演讲稿|发言稿|致辞|材料|心得体会|党团|党课|公文|文秘)(?:大全|范文|精选|下载)?")


def _category(line: str) -> bool:
    """A site's column path: '工作总结/工作汇报', '范文 > 总结 > 工作总结'."""
    items = [t.strip() for t in re.split(r"[/|｜>＞»]", line)]
    if len(items) < 2:
        items = line.split()  # a menu of genres: '工作总结 工作计划 自查报告'
    return len(items) >= 2 and all(t and len(t) <= 8 and _KINDS.fullmatch(t) for t in items)


def _romanised(line: str) -> bool:
    """Chinese text turned into pinyin by a mirror site ('jianchi“qiangjichu、cujunheng”'): not the report."""
    if len(line) < 20 or not _LATIN_RUN.search(line):
        return False
    latin = len(_LATIN.findall(line))
    cjk = len(_HAN.findall(line))
    return latin >= 0.5 * len(line) and cjk < 0.1 * len(line) and bool(re.search(r"[，。、“”；]", line))


_WORDISH = re.compile(r"[\w\u4e00-\u9fff]")
_USER_FIRST = re.compile(r"^[a-z][a-z0-9_.-]{2,24}(?=\s|[\u4e00-\u9fff])")  # a user name in lower case
_UI_LAST = re.compile(rf"(?:{_UI_WORDS}|阅读模式)$")


# A row of bracketed fields: 【字体：[大][中][小]】【发布时间：2021-07-26】【关闭窗口】
_BRACKET_FIELDS = re.compile(r"(?:\s*【[^【】]{0,40}】){2,}\s*")


def is_chrome(line: str) -> bool:
    """True when `line` is site chrome rather than report text."""
    if not line:
        return True
    if len(line) <= 200 and _BRACKET_FIELDS.fullmatch(line) and (
        _LABEL_ANY.search(line.replace("【", " ")) or any(_UI_ONLY.match(f.strip()) for f in re.findall(r"【([^【】]*)】", line))
    ):
        return True
    if len(line) <= 60 and _category(line):
        return True
    if "|" in line and len(line) <= 200 and _nav_row(line):
        return True
    if len(line) <= 300 and _SITE.search(line):
        return True
    if _romanised(line):
        return True
    if len(line) <= BYLINE_MAX and not _SENTENCE_PUNCT.search(line):
        # Bylines: a date with a clock time ('2023-11-24 11:54 某区教育督导室'),
        # two or more metadata labels, a breadcrumb trail, a counter row.
        if (
            _DATE_TIME.search(line) or len(_LABEL_ANY.findall(line)) >= 2 or _BREADCRUMB.match(line)
            or _DATED_BYLINE.match(line) or _SHORT_TRAIL.search(line.strip())
        ):
            return True
        if _furniture_row(line):
            return True
        if len(line) <= 40 and _COUNTER.search(line):
            return True  # a site name and its popularity counter
    if len(line) > SHORT_LINE:
        return False
    if not _WORDISH.search(line):
        return True  # only symbols: a close button '×', a bar '|', a rule of dashes
    if len(line) <= 40 and _USER_FIRST.match(line) and _UI_LAST.search(line) and not _SENTENCE_PUNCT.search(line):
        return True  # an uploader's name, column and counters: 'lanxin88 总结与计划 26 阅读模式'
    if _UI_ONLY.match(line) or LIST_HEADER.match(line):
        return True
    if any(p.search(line) for p in _SHORT):
        return True
    if _BUTTON.search(line) and not speaks_of_work(line):
        return True
    if "|" in line or sum(any(ch.isdigit() for ch in token) for token in line.split()) > 1:
        return False  # a table row, not a keyword list
    return bool(_TAGS.match(line) and not _SENTENCE_PUNCT.search(line))


_PAGE_NUMBER = re.compile(r"^(?:[-—–]\s*)?\d{1,3}(?:\s*[-—–])?$|^第\s*\d+\s*页(?:\s*[/／]?\s*共\s*\d+\s*页)?$|^\d{1,3}\s*[/／]\s*\d{1,3}$")


def is_page_number(line: str) -> bool:
    """A page number or counter line: '— 3 —', '第3页 / 共7页', '3/7'."""
    return bool(_PAGE_NUMBER.match(line.strip()))


def file_title(line: str) -> str:
    """The title a site shows as a file name line (`xxx.docx`), else ''."""
    m = re.match(r"^(.{4,80}?)\.(docx?|pdf|wps|txt)(?:VIP)?$", line, re.I)
    return m.group(1).strip() if m else ""


# Inline chrome that survives inside report lines.
_INLINE = re.compile(r"\s*第\s*\d+\s*页\s*[/／]?\s*共\s*\d+\s*页\s*")
# A page counter glued before a year at the start of a line ('1/22' + '2023年…'): the
# year takes the last four digits before 年, so the counter is what stands before them.
_GLUED_COUNTER = re.compile(r"^(\d{1,3})\s*[/／]\s*(\d{1,3})\s*(?=(?:19|20)\d{2}\s*年)")


def _cut_glued_counter(line: str) -> str:
    m = _GLUED_COUNTER.match(line)
    # Page n of m: n never exceeds m, so '12/32023年' is not cut into a counter 12/3.
    return line[m.end() :] if m and 0 < int(m.group(1)) <= int(m.group(2)) else line


def strip_inline(line: str) -> str:
    """Remove page counters (`第7页 共7页`, `1/22` glued before a year) and site speech from inside a line.

    >>> strip_inline("1/222023年学校工作计划")
    '2023年学校工作计划'
    """
    return strip_speech(_cut_glued_counter(_INLINE.sub("", line).strip()))
