"""The store: idempotent ingest, replacement, duplicates, prune, crash safety."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from conftest import CORPUS, REPORT_TEXT

from index.build import ingest_paths
from index.store import Store


@pytest.fixture
def store(data_dir):
    s = Store(data_dir)
    yield s
    s.close()


def _copy_corpus(tmp_path):
    folder = tmp_path / "archive"
    shutil.copytree(CORPUS, folder)
    return folder


def test_ingest_is_idempotent(store, tmp_path):
    folder = _copy_corpus(tmp_path)
    first = ingest_paths(store, [str(folder)])
    assert (first.count("added"), first.reports) == (5, 9)
    ids = [d.doc_id for d in store.documents()]
    again = ingest_paths(store, [str(folder)])
    assert again.count("unchanged") == 5 and again.reports == 0
    assert [d.doc_id for d in store.documents()] == ids
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_changed_file_replaces_its_old_version(store, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT_TEXT, encoding="utf-8")
    ingest_paths(store, [str(path)])
    old = store.documents()[0].doc_id
    path.write_text(REPORT_TEXT + "三、加强教师队伍建设\n全年招聘新教师120名，培训教师3000人次，教师队伍结构持续优化。\n", encoding="utf-8")
    summary = ingest_paths(store, [str(path)])
    assert summary.count("updated") == 1
    docs = store.documents()
    assert len(docs) == 1 and docs[0].doc_id != old
    assert store.document(old) is None
    assert store.db.execute("SELECT COUNT(*) FROM passages WHERE doc_id = ?", (old,)).fetchone()[0] == 0
    assert docs[0].n_passages == 3


def test_a_duplicate_under_another_name_is_stored_once(store, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(REPORT_TEXT, encoding="utf-8")
    b.write_text(REPORT_TEXT, encoding="utf-8")
    summary = ingest_paths(store, [str(a), str(b)])
    assert [r.status for r in summary.results] == ["added", "duplicate"]
    assert summary.results[1].reason == f"{b}：与 {a} 内容相同，只保存一份"
    assert len(store.documents()) == 1
    # The same report in another encoding is a duplicate report, not a new one.
    c = tmp_path / "c.txt"
    c.write_bytes(REPORT_TEXT.encode("gbk"))
    assert ingest_paths(store, [str(c)]).results[0].status == "duplicate"
    assert len(store.documents()) == 1


def test_prune_removes_reports_of_deleted_files(store, tmp_path):
    folder = _copy_corpus(tmp_path)
    ingest_paths(store, [str(folder)])
    (folder / "004_151cab1d8e703d3d.txt").unlink()
    summary = ingest_paths(store, [str(folder)], prune_missing=True)
    assert [s.endswith("004_151cab1d8e703d3d.txt") for s in summary.pruned] == [True]
    assert len(store.documents()) == 4
    assert store.db.execute("SELECT COUNT(*) FROM originals").fetchone()[0] == 4


def test_a_crash_half_way_through_writing_leaves_the_old_version(store, tmp_path, monkeypatch):
    path = tmp_path / "report.txt"
    path.write_text(REPORT_TEXT, encoding="utf-8")
    ingest_paths(store, [str(path)])
    before = store.documents()
    path.write_text(REPORT_TEXT.replace("12个", "15个"), encoding="utf-8")

    real_executemany = store.db.executemany
    calls = {"n": 0}

    def crash(sql, rows):
        calls["n"] += 1
        if sql.startswith("INSERT INTO passages"):
            raise KeyboardInterrupt  # Ctrl-C after the report row was written
        return real_executemany(sql, rows)

    wrapped = sqlite3.connect(store.dir / "edureports.sqlite", isolation_level=None)
    wrapped.close()
    monkeypatch.setattr(store, "db", _Proxy(store.db, crash))
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(store, [str(path)])
    monkeypatch.undo()
    assert calls["n"] >= 1
    assert store.documents() == before
    orphans = store.db.execute(
        "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.doc_id = d.doc_id)"
    ).fetchone()[0]
    assert orphans == 0
    # The next run picks the change up.
    assert ingest_paths(store, [str(path)]).count("updated") == 1


class _Proxy:
    """A connection whose executemany can be made to fail."""

    def __init__(self, db, executemany):
        self._db, self.executemany = db, executemany

    def __getattr__(self, name):
        return getattr(self._db, name)


def test_a_bad_file_in_a_folder_does_not_stop_the_others(store, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text(REPORT_TEXT, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    summary = ingest_paths(store, [str(folder)])
    statuses = {r.source.rsplit("/", 1)[-1]: r.status for r in summary.results}
    assert statuses == {"good.txt": "added", "empty.txt": "skipped", "old.doc": "skipped", "broken.docx": "skipped"}
    assert len(store.documents()) == 1


def test_original_text_is_stored_for_tracing(store):
    ingest_paths(store, [str(CORPUS / "003_2cb70922c35a3e1f.txt")])
    doc = store.document(store.documents()[0].doc_id).to_dict()
    sha = store.db.execute("SELECT file_sha256 FROM documents").fetchone()[0]
    assert store.original(sha) == (CORPUS / "003_2cb70922c35a3e1f.txt").read_text("utf-8")
    assert "原那么" in doc["raw_text"] and "原则" in doc["text"]
    for p in doc["passages"]:
        assert doc["text"][p["char_start"] : p["char_end"]] == p["text"]


def test_a_store_of_another_format_is_refused(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "config.json").write_text('{"format_version": 99}')
    from index.store import StoreError

    from index.store import FORMAT_VERSION

    with pytest.raises(StoreError) as err:
        Store(data_dir)
    assert str(err.value) == f"数据目录 {data_dir} 的存储格式为 99，本版本读取格式 {FORMAT_VERSION}；请导入到新的数据目录"


@pytest.mark.parametrize("content", ["[1, 2]", "{not json", '"text"'])
def test_a_damaged_config_is_one_clear_error(data_dir, content):
    from index.store import StoreError

    data_dir.mkdir(parents=True)
    (data_dir / "config.json").write_text(content)
    with pytest.raises(StoreError) as err:
        Store(data_dir)
    assert str(err.value).startswith(f"{data_dir / 'config.json'} ")
    assert str(err.value).endswith("；运行 edureports reindex 重写它并重建索引（数据库中的报告不受影响）")


def test_the_same_report_twice_in_one_compilation_is_stored_once(store, tmp_path):
    body = REPORT_TEXT.split("\n", 1)[1]
    path = tmp_path / "compilation.txt"
    path.write_text(f"工作总结范文(一)\n{body}工作总结范文(二)\n{body}", encoding="utf-8")
    summary = ingest_paths(store, [str(path)])
    assert summary.results[0].status == "added" and summary.reports == 1
    assert "第 2 篇与" in summary.results[0].reason and "中的报告" in summary.results[0].reason


def test_new_document_fields_are_kept(store, tmp_path):
    from dataclasses import replace

    from ingest.pipeline import process_file

    path = tmp_path / "report.txt"
    path.write_text(REPORT_TEXT, encoding="utf-8")
    doc = replace(process_file(path)[0], title_derived=True, script="繁体")
    store.put_file(str(path), str(path), doc.file_sha256, 1, 0.0, "v", [doc])
    summary = store.documents()[0]
    assert (summary.title_derived, summary.script) == (True, "繁体")
    assert store.document(doc.doc_id).to_dict()["title_derived"] is True
