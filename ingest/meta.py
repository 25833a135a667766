"""Report metadata: title, doc types, subject years, region, issuer, level.

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

from ingest.gazetteer import Gazetteer, gazetteer
from ingest.types import Level, Region

_YEAR = re.compile(r"(?<![\dXx])((?:19|20)\d{2})(?:\s*(?:年|—|－|-|~|～|至|学年)\s*(?:((?:19|20)\d{2})\s*(?:年|学年))?)")
_DATE_YEAR = re.compile(r"(?<![\d《〔(（])((?:19|20)\d{2})年\d{1,2}月")
_LEAD_YEAR = re.compile(r"(?:^|\n)((?:19|20)\d{2})年[，,]")
_QUOTED = re.compile(r"《[^》]{0,80}》|〔[^〕]{0,12}〕|\[[^\]]{0,12}\]")

# Doc types, most specific first; the value is the canonical name.
_TYPES = [
    (re.compile(r"督导(评估)?报告|督导意见书|督导检查报告"), "督导报告"),
    (re.compile(r"自评报告|自查报告|自评工作汇报|自评.{0,6}汇报"), "自评报告"),
    (re.compile(r"述职报告"), "述职报告"),
    (re.compile(r"调研报告"), "调研报告"),
    (re.compile(r"工作要点"), "工作要点"),
    (re.compile(r"工作计划|工作思路|工作打算|工作安排|工作规划"), "工作计划"),
    (re.compile(r"工作总结|工作回顾|工作情况|总结"), "工作总结"),
    (re.compile(r"工作报告|报告"), "工作报告"),
    (re.compile(r"汇报"), "工作汇报"),
    (re.compile(r"通报"), "通报"),
    (re.compile(r"实施方案|工作方案|方案"), "方案"),
    (re.compile(r"讲话|发言"), "讲话"),
    (re.compile(r"实施意见|指导意见"), "意见"),
]
_BODY_TYPES = [
    (re.compile(r"汇报如下"), "工作汇报"),
    (re.compile(r"我代表.{0,12}(做|作)工作报告"), "工作报告"),
    (re.compile(r"巡察组.{0,20}反馈|反馈巡察"), "巡察反馈"),
]

_ORG = re.compile(
    r"(?:xx|XX|x|X)?[省市区县]?(?:人民政府教育督导室|政府教育督导办公室|教育督导委员会办公室|教育督导办公室|"
    r"教育督导室|督导室|教育和体育局|教育体育局|教育局|教体局|教育厅|教育委员会|教委)"
)
_LEVEL_REFS = {
    Level.PROVINCE: re.compile(r"我省|全省|本省|省委|省政府"),
    Level.CITY: re.compile(r"我市|全市|本市|市委|市政府|市教育局"),
    Level.COUNTY: re.compile(r"我区|全区|本区|区委|区政府|我县|全县|本县|县委|县政府|[区县]教育|[区县]教体局|[区县]督导"),
}
_AID_BEFORE = re.compile(r"(赴|到|向|为|援|往|去|与|和|对口|帮扶|支援)$")
_AID_SENTENCE = re.compile(r"支教|帮扶|扶贫|对口|受援|援建|捐赠|结对|协作|挂职|跟岗|送教|交流")
_INSTITUTION_AFTER = re.compile(r"^(?:市|区|县|省)?(?:教育|教体|人民政府|政府|委|党委|区委|市委|县委|财政|督导)")
_SENTENCE = re.compile(r"[^。！？；\n]+")


@dataclass(frozen=True)
class Meta:
    title: str
    doc_type: str
    doc_types: tuple[str, ...]
    years: tuple[int, ...]
    region: Region
    level: Level
    issuer: str


def clean_title(title: str) -> str:
    """Drop site decoration from a title: '…工作计划范文' -> '…工作计划'."""
    title = re.split(r"\s*[_|｜]\s*|\s+-\s+", title.strip())[0]
    title = re.sub(r"\.(docx?|pdf|wps|txt)$", "", title, flags=re.I)
    title = re.sub(r"范文(?=\s*[(（【]?[一二三四五六七八九十\d]*[)）】]?$)", "", title)
    return title.strip()


def doc_types(title: str, headings: list[str], head: str) -> tuple[str, ...]:
    """Types named by the title (in title order), the top headings and the opening lines."""
    in_title: list[tuple[int, str]] = []
    rest = title
    for pattern, name in _TYPES:
        if m := pattern.search(rest):
            in_title.append((m.start(), name))
            rest = rest[: m.start()] + "\0" * (m.end() - m.start()) + rest[m.end() :]
    found = [name for _, name in sorted(in_title)]
    for h in headings:
        for pattern, name in _TYPES[4:7]:
            if pattern.search(h) and name not in found:
                if name == "工作计划" and "工作要点" in found:
                    break
                found.append(name)
                break
    for pattern, name in _BODY_TYPES:
        if pattern.search(head) and name not in found:
            found.append(name)
    return tuple(found) or ("其他",)


def _years_in(text: str) -> list[int]:
    text = _QUOTED.sub("", text)
    years = []
    for m in _YEAR.finditer(text):
        for g in m.groups():
            if g:
                years.append(int(g))
    return years


def subject_years(title: str, headings: list[str], text: str) -> tuple[int, ...]:
    """The years a report is about, not every year it mentions.

    The title and top-level headings say it ('2020年工作总结', '2018年工作打算');
    without them, the years of dated events and of paragraphs that open with
    a year ('2015年7月17日至…', '2017年，…') do.
    """
    years = set(_years_in(title))
    for h in headings:
        years.update(_years_in(h))
    if not years:
        body = _QUOTED.sub("", text)
        counts = Counter(int(y) for y in _DATE_YEAR.findall(body))
        counts.update(int(y) for y in _LEAD_YEAR.findall(body))
        years = {y for y, _ in counts.most_common(3)}
    return tuple(sorted(y for y in years if 1949 <= y <= 2100))


def speaking_level(text: str) -> Level:
    """The level the report speaks from: 我区/全县 -> county, 我市 -> city."""
    counts = {level: len(p.findall(text)) for level, p in _LEVEL_REFS.items()}
    best = max(counts, key=lambda level: counts[level])
    return best if counts[best] else Level.UNKNOWN


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
    prev_end, prev_codes = -1, ()
    for m in mentions:
        codes = [c for c in m.codes if m.full or g.places[c].level != "county" or g.places[c].parent in support]
        if len(codes) > 1:
            codes = [c for c in codes if g.places[c].parent in direct] or codes
        if not codes:
            continue
        w = 3.0 if m.start < len(title) else 1.0
        before = full[max(0, m.start - 4) : m.start]
        after = full[m.end : m.end + 8]
        a, b = sentences[max(0, bisect_right(starts, m.start) - 1)] if sentences else (0, 0)
        chained = m.start == prev_end and any(g.places[c].parent in prev_codes for c in codes)
        if chained:
            w *= 3
        if _INSTITUTION_AFTER.match(after):
            w *= 2
        if _AID_BEFORE.search(before) or (_AID_SENTENCE.search(full[a:b]) and not chained):
            w *= 0.25
        for c in codes:
            share = w / len(codes)
            scores[c] += share
            for anc in g.ancestors(c)[1:]:
                scores[anc.code] += share * 0.5
        prev_end, prev_codes = m.end, tuple(codes)
    return scores


def resolve_region(text: str, title: str = "", level: Level = Level.UNKNOWN) -> Region:
    """The region a report is from, or an empty Region when unknown."""
    g = gazetteer()
    scores = _weights(g, text, title)
    if not scores:
        return Region()
    wanted = {Level.COUNTY: "county", Level.CITY: "city", Level.PROVINCE: "province"}.get(level)
    order = ["county", "city", "province"]
    levels = order[order.index(wanted) :] if wanted else order
    for lv in levels:
        cands = [(s, c) for c, s in scores.items() if g.places[c].level == lv and s >= 1.5]
        if not cands:
            continue
        cands.sort(reverse=True)
        if len(cands) > 1 and cands[1][0] > 0.8 * cands[0][0] and lv != levels[-1]:
            # Two places of this level are as likely: settle for their common parent.
            parents = {g.places[c].parent for _, c in cands[:2]}
            if len(parents) == 1 and (p := parents.pop()):
                return _region(g, p)
            continue
        return _region(g, cands[0][1])
    return Region()


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
    """All metadata of one cleaned report."""
    title = clean_title(title)
    types = doc_types(title, headings, text[:400])
    years = subject_years(title, headings, text)
    speaking = speaking_level(text)
    region = resolve_region(text, title, speaking)
    return Meta(title, types[0], types, years, region, level_of(region, speaking), issuer(title, text, region))
