"""The word table on disk cuts exactly as jieba with its whole dictionary in memory."""

from __future__ import annotations

import re

from conftest import SEEDS

from ingest import wordtable
from ingest.words import _jieba, domain_terms


def test_a_saved_table_cuts_every_seed_sentence_as_the_full_dictionary_does(tmp_path):
    full = _jieba()
    path = wordtable.table_path(tmp_path, domain_terms())
    assert wordtable.open_tokenizer(path) is None  # nothing saved yet: the caller loads the full dictionary
    wordtable.save(full, path)
    table = wordtable.open_tokenizer(path)
    sentences = [s for p in SEEDS for s in re.split(r"[。！？\n]", p.read_text("utf-8")) if s.strip()][::5]
    assert len(sentences) > 100
    for sentence in sentences:
        assert list(table.cut_for_search(sentence)) == list(full.cut_for_search(sentence)), sentence
        assert list(table.cut(sentence)) == list(full.cut(sentence)), sentence
    assert "双减" in table.FREQ and "不在词表里的词组" not in table.FREQ


def test_other_terms_are_another_file(tmp_path):
    terms = domain_terms()
    assert wordtable.table_path(tmp_path, terms) != wordtable.table_path(tmp_path, terms + ("新市民子女",))


def test_an_unreadable_table_is_none(tmp_path):
    path = wordtable.table_path(tmp_path, domain_terms())
    path.write_bytes(b"not a database")
    assert wordtable.open_tokenizer(path) is None
