"""Recognise site chrome in scraped reports: the page around the report.

Document sites wrap a report in navigation, download prompts, upload metadata,
copyright and ICP lines, contacts, word counts, page counters and lists of
related documents. Two kinds of evidence are used: phrases that only a site
writes (any line up to a few hundred characters), and generic UI words that
count only on short lines, so that report sentences such as
"下载量35.1万次" are never taken for chrome.
"""

from __future__ import annotations

import re

# Phrases a report never contains but document sites always do.
_SITE = re.compile(
    "|".join(
        [
            r"ICP[备证]", r"[Cc]opyright", r"©", r"版权所有", r"All [Rr]ights",
            r"上传人[:：]", r"上传者[:：]", r"上传时间[:：]", r"文档编号[:：]", r"审核编辑[:：]",
            r"本站", r"网站客服", r"在线客服", r"客服QQ", r"QQ[:：]?\s*\d{5,}", r"客服[:：]\s*\d",
            r"转载请(保留|注明)", r"链接地址[:：]", r"原文(链接|地址)[:：]", r"本文(链接|地址)[:：]",
            r"范文网", r"百度文库", r"淘文库", r"人人文库", r"文库网", r"原创力文档", r"道客巴巴", r"豆丁网",
            r"文档网", r"文秘网", r"好范文", r"为你整理", r"由会员分享", r"的会员“",
            r"下载该", r"下载Word", r"下载文档", r"立即下载", r"免费下载", r"点击下载", r"下载本文",
            r"收藏本文", r"下载收益", r"放心下载", r"下载前请", r"下载后(无|即|可)",
            r"全部预览完了", r"预览时可能", r"展开阅读全文", r"阅读全文", r"可在线阅读", r"可阅读全部",
            r"(本|该)(文档|资料)由(用户|网友|会员)", r"用户上传", r"侵犯了?您的", r"版权归属",
            r"版权争议", r"如有侵权", r"共有\d+个字", r"全文共\s*\d+\s*字", r"字数[:：]\s*\d+",
            r"当前位置[:：]", r"您的位置[:：]", r"_第\d+页", r"第\s*\d+\s*页\s*[/／]\s*共\s*\d+\s*页",
            r"总共\d+页", r"搜索到更多", r"更多.{0,8}范文", r"整理发布", r"付费(完成|下载|之前)",
            r"[Ww]ord文档", r"\.docx?》",
        ]
    )
)

# UI words and metadata that mark a line as chrome only when the line is short.
_UI_WORDS = (
    "下载|收藏|分享|分享赚钱|举报|相关|推荐|展开|收起|打印|关闭|评论|点赞|返回|首页|目录|"
    "上一篇|下一篇|猜你喜欢|相关资源|相关搜索|相关文档|相关推荐|相关阅读|延伸阅读|热门推荐|"
    "你可能关注的文档|推荐专题|最近更新|资源描述|温馨提示|网站客服|在线客服|编辑推荐|星级推荐|"
    "问题咨询|投诉建议|常见帮助|QQ|微信|扫一扫|手机版|登录|注册|会员|VIP|充值|客服"
)
_UI_ONLY = re.compile(rf"^(?:(?:{_UI_WORDS})[\s:：]*)+$")
_SHORT = [
    re.compile(r"^(ID|大小|页数|格式|时间|发布时间|更新时间|上传时间|来源|作者|浏览|浏览次数|阅读|阅读量|点击|人气|栏目|分类|标签|关键词|热度)\s*[:：]"),
    re.compile(r"^\d+(\.\d+)?\s*[KMG]B$", re.I),
    re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*(发布|更新|上传)?$"),
    re.compile(r"^【(概述|正文|摘要|简介|导语|导读|内容|全文)】$"),
    re.compile(r"^(上一篇|下一篇|上一页|下一页|返回首页|返回列表|返回顶部|编辑推荐)"),
    re.compile(r"(下载|收藏)$"),
    re.compile(r"^下载"),
    re.compile(r"\.(docx?|pdf|wps|pptx?|xlsx?|txt)$", re.I),
    re.compile(r"^\+?\d[\d\- ]{6,14}\d$"),  # a bare phone or QQ number
    re.compile(r"^[-—–]?\s*\d{1,3}\s*[-—–]?$"),  # a bare page number
    re.compile(r"^第\s*\d+\s*页$"),
    re.compile(r"QQ$"),
]
_TAGS = re.compile(r"^(?:\S{1,6}\s+){3,}\S{1,6}$")  # "2023 教育 督导 月份 工作总结"
_SENTENCE_PUNCT = re.compile(r"[，。；：！？]")

# A header after which a site lists other documents.
LIST_HEADER = re.compile(
    r"^(猜你喜欢|相关资源|相关搜索|相关文档|相关推荐|相关阅读|延伸阅读|热门推荐|热门文档|"
    r"你可能关注的文档|推荐专题|最近更新|更多相关|相关范文|精选范文|推荐阅读|热门文章|最新文章)"
)

SHORT_LINE = 60


def is_chrome(line: str) -> bool:
    """True when `line` is site chrome rather than report text."""
    if not line:
        return True
    if len(line) <= 300 and _SITE.search(line):
        return True
    if len(line) > SHORT_LINE:
        return False
    if _UI_ONLY.match(line) or LIST_HEADER.match(line):
        return True
    if any(p.search(line) for p in _SHORT):
        return True
    if "|" in line or sum(any(ch.isdigit() for ch in token) for token in line.split()) > 1:
        return False  # a table row, not a keyword list
    return bool(_TAGS.match(line) and not _SENTENCE_PUNCT.search(line))


def file_title(line: str) -> str:
    """The title a site shows as a file name line (`xxx.docx`), else ''."""
    m = re.match(r"^(.{4,80}?)\.(docx?|pdf|wps|txt)$", line, re.I)
    return m.group(1).strip() if m else ""


# Inline chrome that survives inside report lines.
_INLINE = re.compile(r"\s*第\s*\d+\s*页\s*[/／]?\s*共\s*\d+\s*页\s*")


def strip_inline(line: str) -> str:
    """Remove page counters (`第7页 共7页`) from inside a line."""
    return _INLINE.sub("", line).strip()
