"""Decode the bytes of a text file, and refuse text that decodes only to garbage.

Almost any byte string "decodes" as GB18030: random bytes 0x81-0xFE become
a page of rare characters, and a Big5 file read as GB18030 (or the reverse)
becomes mojibake. What tells real Chinese apart is how common its characters
are: in report prose over 99% of the characters are among GB2312's 6,763
(the national standard set of characters in common use, taken here from the
codec itself) or their traditional forms (OpenCC data), while random bytes
give about 50% and a wrong Chinese encoding 30-65%. Each candidate encoding
is scored so, the best one is kept, and a best score under
`MIN_COMMON_SHARE` is refused with the figure in the message.

Both levels of GB2312 count, not only the 3,755 of level 1: given names
(婷 睿 琪 瑾 …) sit in level 2, and a roster of names scored 67% on level 1
alone, under the bound, while it is plainly real text.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from ingest.errors import BinaryFile, EmptyFile, GarbledText

# Share of common characters among the Han characters of a text (see module
# docstring). Measured on the tuning rows of bench/plausibility.py: real
# reports 0.99-1.00 in simplified and traditional script, random bytes at
# most 0.58, Chinese text in the wrong Chinese encoding at most 0.62; on the
# held-out rows 0.987-1.00 against at most 0.67. The bound sits in the gap.
MIN_COMMON_SHARE = 0.8
# Legacy encodings tried in this order; a later one is taken only when it scores higher.
CANDIDATES = ("gb18030", "big5", "cp950", "big5hkscs", "utf-8")
# Characters scored: enough for a stable share, cheap on a 50 MB file.
SAMPLE_CHARS = 200_000

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CONTROL = set(range(0, 9)) | set(range(14, 27)) | set(range(28, 32))
# Han characters, plus what a wrong decoding yields in their place: private-use
# code points (GB18030 maps unassigned pairs there) and U+FFFD replacements.
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ue000-\uf8ff\ufffd]")


@lru_cache(maxsize=1)
def common_characters() -> frozenset[str]:
    """GB2312's Han characters (6,763) and their traditional forms (OpenCC s2t, s2tw, s2hk)."""
    import opencc

    gb2312 = set()
    for lead in range(0xB0, 0xF8):  # rows 16-87: the two levels of Han characters
        for trail in range(0xA1, 0xFF):
            try:
                gb2312.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:  # the unassigned end of row 55
                pass
    # One character a line: OpenCC converts each alone, without phrase context.
    chars = "\n".join(sorted(gb2312))
    forms = "".join(opencc.OpenCC(config).convert(chars) for config in ("s2t", "s2tw", "s2hk"))
    return frozenset(gb2312 | set(forms.replace("\n", "")))


def common_share(text: str) -> tuple[float, int]:
    """(share of common characters among the Han characters, number of Han characters) in a sample.

    >>> common_share("二〇二二年教育工作总结")
    (1.0, 10)
    """
    han = _HAN.findall(text[:SAMPLE_CHARS])
    if not han:
        return 0.0, 0
    common = common_characters()
    return sum(ch in common for ch in han) / len(han), len(han)


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes sit on one parity for Latin text."""
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > len(sample) // 8 and even < odd // 4:
        return "utf-16-le"
    if even > len(sample) // 8 and odd < even // 4:
        return "utf-16-be"
    # Chinese UTF-16 has few NULs; accept it when it decodes to mostly common Chinese.
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        share, han = common_share(text)
        if han and share >= MIN_COMMON_SHARE and han > len(text[:SAMPLE_CHARS]) * 0.3:
            return enc
    return None


def _refuse(name: str, enc: str, share: float) -> GarbledText:
    return GarbledText(
        f"{name}：按 {enc.upper()} 解码后不像中文（常用汉字只占 {share:.0%}，中文报告在 {MIN_COMMON_SHARE:.0%} 以上），"
        "可能是乱码或二进制数据；请确认文件内容和编码，另存为 UTF-8 后再导入"
    )


def decode(data: bytes, name: str = "") -> tuple[str, str]:
    """Decode bytes of a text file; (text, encoding). Detected, never assumed.

    UTF-8 (with or without BOM), UTF-16/32 (with BOM, or UTF-16 without), and
    GB18030 (a superset of GBK and GB2312) or Big5 chosen by which reads as
    plausible Chinese; text that is plausible in none is a `GarbledText`.

    >>> decode("一萬二千人".encode("big5"))
    ('一萬二千人', 'big5')
    """
    if not data.strip(b" \t\r\n\x00"):
        raise EmptyFile(f"{name}：空文件，没有可导入的内容")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    # A download cut short is often padded with NUL bytes to its announced
    # size; the text before the padding is kept rather than called binary.
    unpadded = data.rstrip(b"\x00")
    if len(data) - len(unpadded) >= 16 and b"\x00" not in unpadded:
        data = unpadded
    if b"\x00" in data[:4096]:
        enc = _utf16_guess(data)
        if enc:
            return data.decode(enc, errors="replace"), enc
        raise BinaryFile(f"{name}：是二进制数据，不是文本（含 NUL 字节）；请确认扩展名是否正确")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8 beyond ASCII is itself strong evidence of text; it is
        # judged only when it holds enough Han characters to judge by.
        share, han = common_share(text)
        if han >= 50 and share < MIN_COMMON_SHARE:
            raise _refuse(name, "utf-8", share)
        return text, "utf-8"
    sample = data[:8192]
    if sum(1 for b in sample if b in _CONTROL) > len(sample) * 0.02:
        raise BinaryFile(f"{name}：是二进制数据，不是文本（含大量控制字符）；请确认扩展名是否正确")
    best: tuple[float, str] | None = None
    head = data[: SAMPLE_CHARS * 2]
    for enc in CANDIDATES:
        # errors="replace": a damaged byte or a file cut mid-character costs one
        # U+FFFD, which counts as uncommon, instead of ruling the encoding out.
        share, _ = common_share(head.decode(enc, errors="replace"))
        if best is None or share > best[0]:
            best = (share, enc)
    share, enc = best
    if share < MIN_COMMON_SHARE:
        raise _refuse(name, enc, share)
    return data.decode(enc, errors="replace"), enc
