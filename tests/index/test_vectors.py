"""faiss vector index: flat and IVF, add/remove/save/load."""

from __future__ import annotations

import numpy as np
import pytest

from index.vectors import VectorIndex


def _unit(rng, n, dim=32):
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("kind", ["flat", "ivf"])
def test_add_search_remove_save_load(tmp_path, kind):
    rng = np.random.default_rng(1)
    vecs = _unit(rng, 2000)
    ids = np.arange(2000, dtype=np.int64) * 7
    index = VectorIndex(32, kind)
    index.add(ids, vecs)
    found, scores = index.search(vecs[42], 5)
    assert found[0] == 42 * 7 and scores[0] == pytest.approx(1.0, abs=1e-4 if kind == "flat" else 0.02)
    index.remove(np.array([42 * 7]))
    assert 42 * 7 not in index.search(vecs[42], 5)[0].tolist()
    assert len(index) == 1999
    index.save(tmp_path / "v.faiss")
    again = VectorIndex.load(tmp_path / "v.faiss", 32, kind)
    assert len(again) == 1999
    assert again.search(vecs[7], 1)[0].tolist() == [49]
    np.testing.assert_allclose(again.vector(49), vecs[7], atol=1e-5 if kind == "flat" else 0.02)  # ivf: 8-bit codes
    allowed = np.array([7 * 100, 7 * 200])
    assert set(again.search(vecs[7], 5, allowed)[0].tolist()) <= set(allowed.tolist())


def test_unknown_kind_names_the_known_ones():
    with pytest.raises(ValueError, match="unknown vector index kind 'hnswx'; known: flat, ivf"):
        VectorIndex(8, "hnswx")


def test_an_ivf_index_opens_mapped_answers_as_read_and_changes_safely(tmp_path):
    """A saved IVF index is memory-mapped on load (a query reads only its lists); it answers as one read in
    full, and after a change and a save (which read it in full first) it holds its vectors, not a reference."""
    rng = np.random.default_rng(2)
    vecs = _unit(rng, 6000)
    ids = np.arange(6000, dtype=np.int64) * 3
    built = VectorIndex(32, "ivf")
    built.add(ids, vecs, replace=False)
    built.save(tmp_path / "v.faiss")
    mapped = VectorIndex.load(tmp_path / "v.faiss", 32, "ivf")
    full = VectorIndex.load(tmp_path / "v.faiss", 32, "ivf", mapped=False)
    assert mapped._mapped is not None and full._mapped is None
    for q in vecs[:20]:
        for a, b in zip(mapped.search(q, 10), full.search(q, 10)):
            np.testing.assert_array_equal(a, b)
        for a, b in zip(mapped.search(q, 10, ids[:300]), full.search(q, 10, ids[:300])):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(mapped.vector(30), full.vector(30))
    mapped.remove(ids[:10])
    mapped.add(ids[:5], vecs[:5])
    mapped.save(tmp_path / "v.faiss")
    untouched = VectorIndex.load(tmp_path / "v.faiss", 32, "ivf")
    untouched.save(tmp_path / "copy.faiss")  # saving a mapped index writes its vectors
    (tmp_path / "v.faiss").unlink()
    again = VectorIndex.load(tmp_path / "copy.faiss", 32, "ivf", mapped=False)
    assert len(again) == 5995 and again.index.ntotal == 5995
    assert again.search(vecs[3], 1)[0].tolist() == [9] and again.vector(27) is None
