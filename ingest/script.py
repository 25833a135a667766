"""Chinese script: detect traditional text and convert it to simplified (OpenCC data).

Everything that analyses text (cleaning, metadata, segmentation, themes,
figures, indexing) works on simplified characters, so a traditional report
is converted once, before cleaning; the original stays untouched for display
and tracing. Queries go through the same `to_simplified`, so a traditional
query finds a simplified report and the reverse.

Detection converts the whole text and counts the CJK characters that change:
simplified reports change none or almost none (a quoted name, a variant), a
traditional report changes a large share (one character in three to five).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.types import Script

# A text is traditional when at least this share of its CJK characters change
# under t2s. Simplified report text changes 0%, traditional 20-40%: the bound
# sits far from both, so a few traditional names in a simplified report never
# trigger a conversion that would alter it.
TRADITIONAL_SHARE = 0.05

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # pragma: no cover - a declared dependency
        raise ImportError("繁体转简体需要 OpenCC；请安装：pip install opencc") from None
    return opencc.OpenCC("t2s")


def _convert(text: str) -> str:
    return _t2s().convert(text) if text else text


@lru_cache(maxsize=4096)
def _short(text: str) -> str:
    return _convert(text)


def to_simplified(text: str) -> str:
    """`text` in simplified characters (OpenCC t2s); simplified text comes back unchanged.

    Short strings (queries, titles) are cached.

    >>> to_simplified("隆德縣教育局工作總結：一萬二千人")
    '隆德县教育局工作总结：一万二千人'
    """
    return _short(text) if len(text) <= 200 else _convert(text)


def _codes(text: str):
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _cjk_mask(codes):
    return ((codes >= 0x3400) & (codes <= 0x4DBF)) | ((codes >= 0x4E00) & (codes <= 0x9FFF)) | (
        (codes >= 0xF900) & (codes <= 0xFAFF)
    )


def traditional_share(text: str, converted: str | None = None) -> float:
    """Share of the CJK characters of `text` that t2s changes (0.0 without CJK).

    Counted over code-point arrays (numpy), so a 50 MB text takes a fraction
    of a second rather than a Python loop per character.
    """
    converted = _convert(text) if converted is None else converted
    if len(converted) != len(text):  # a phrase rule changed a length: compare the CJK runs only
        text, converted = "".join(_CJK.findall(text)), "".join(_CJK.findall(converted))
    src, dst = _codes(text), _codes(converted)
    cjk = _cjk_mask(src)
    total = int(cjk.sum())
    if not total or len(src) != len(dst):
        return 0.0
    return int((cjk & (src != dst)).sum()) / total


def analysable(text: str) -> tuple[str, Script]:
    """(text to analyse, script of the original): traditional text converted, simplified kept as is.

    Newlines are never changed, so line numbers of the result index the original.

    >>> analysable("本區學校三十所。")
    ('本区学校三十所。', <Script.TRADITIONAL: '繁体'>)
    >>> analysable("本区学校三十所。")[1].value
    '简体'
    """
    converted = _convert(text)
    if converted == text or traditional_share(text, converted) < TRADITIONAL_SHARE:
        return text, Script.SIMPLIFIED
    return converted, Script.TRADITIONAL
