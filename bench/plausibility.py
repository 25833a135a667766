"""Share of common characters (ingest.decode.common_share) in real text, random bytes and wrong decodings.

The refusal bound MIN_COMMON_SHARE was set from the tuning rows (the five
seeds, random bytes with seeds 0-4); the test rows (the development archive
in tests/data/archive, random seeds 5-19) were measured after. Run:

    python bench/plausibility.py
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.decode import CANDIDATES, MIN_COMMON_SHARE, common_share  # noqa: E402
from ingest.load import load  # noqa: E402


def _best_wrong(data: bytes, right: str) -> float:
    """The best share any other candidate encoding reaches on these bytes."""
    family = {"gb18030": {"gb18030"}, "big5": {"big5", "cp950", "big5hkscs"}}.get(right, {right})
    return max(common_share(data.decode(enc, errors="replace"))[0] for enc in CANDIDATES if enc not in family)


def _rows(files: list[Path], seeds: range) -> dict[str, list[float]]:
    s2t = opencc.OpenCC("s2t")
    rows: dict[str, list[float]] = {"real text": [], "real, traditional": [], "wrong encoding": [], "random bytes": []}
    for path in files:
        text = load(path).text
        rows["real text"].append(common_share(text)[0])
        traditional = s2t.convert(text)
        rows["real, traditional"].append(common_share(traditional)[0])
        rows["wrong encoding"].append(_best_wrong(text.encode("gbk", errors="replace"), "gb18030"))
        rows["wrong encoding"].append(_best_wrong(traditional.encode("big5", errors="replace"), "big5"))
    names = "张婷 李睿 王琪 赵瑾 刘昊 陈曦 杨柳 黄鑫 周琳 吴悦 徐晗 孙涵 胡璇 朱熙 高翔 林峰 何婧 郭旭 马骁 罗岚"
    rows["real text"].append(common_share(names)[0])  # a roster of given names: rarer characters
    for seed in seeds:
        rng = random.Random(seed)
        for size in (200, 2_000, 50_000):
            data = bytes(rng.randrange(0x81, 0xFF) for _ in range(size))
            rows["random bytes"].append(max(common_share(data.decode(e, errors="replace"))[0] for e in CANDIDATES))
    return rows


def main() -> None:
    seeds = sorted((ROOT / "corpus").glob("*.txt"))
    archive = sorted(p for p in (ROOT / "tests/data/archive").iterdir() if p.suffix in (".txt", ".html"))
    print(f"bound MIN_COMMON_SHARE = {MIN_COMMON_SHARE:.2f} (real text must be above, garbage below)")
    for part, files, rng_seeds in (("tuning", seeds, range(0, 5)), ("test", archive, range(5, 20))):
        print(f"\n{part}: {len(files)} files, random seeds {rng_seeds.start}-{rng_seeds.stop - 1}")
        for kind, shares in _rows(files, rng_seeds).items():
            wrong_side = [s for s in shares if (s < MIN_COMMON_SHARE) == kind.startswith("real")]
            print(f"  {kind:<18} n={len(shares):<3} min={min(shares):.3f} max={max(shares):.3f} "
                  f"on the wrong side of the bound: {len(wrong_side)}")


if __name__ == "__main__":
    main()
