"""What the taxonomy misses: key phrases of passages that no theme covers.

jieba's TF-IDF keyword extraction (with the domain dictionary) over the
untagged passages; each phrase comes with the number of untagged passages
that contain it, so a user can decide whether it deserves a theme.
"""

from __future__ import annotations

from index.store import Store

ALLOW_POS = ("n", "nz", "vn", "l", "nt", "j", "v")


def suggest(store: Store, top: int = 30) -> list[dict]:
    """[{phrase, weight, n_passages}] for passages without any theme, best first."""
    import jieba.analyse

    from ingest import words

    texts = store.untagged_texts()
    if not texts:
        return []
    extractor = jieba.analyse.TFIDF()
    extractor.tokenizer = words._jieba()
    extractor.postokenizer = words.pos_tagger()  # the shared tagger keeps the domain tags
    phrases = extractor.extract_tags("\n".join(texts), topK=top * 2, withWeight=True, allowPOS=ALLOW_POS)
    out = []
    for phrase, weight in phrases:
        if len(phrase) < 2:
            continue
        n = sum(phrase in t for t in texts)
        out.append({"phrase": phrase, "weight": round(float(weight), 4), "n_passages": n})
    return out[:top]
