"""`ingest --jobs N`: files processed in worker processes give the same archive, file by file, as one job."""

from __future__ import annotations

import json
import shutil

from conftest import CORPUS, REPORT_TEXT, SEEDS

from index.build import ingest_paths
from index.store import Store


def _folder(tmp_path):
    """The seeds, a copy of one, the same report inside other bytes, garbage bytes and an empty file."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    shutil.copy(SEEDS[0], folder / "sub" / "copy.txt")
    (folder / "a.txt").write_text(REPORT_TEXT, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("首页 > 工作总结\n" + REPORT_TEXT, encoding="utf-8")
    (folder / "garbage.txt").write_bytes(bytes(range(0x81, 0xFE)) * 40)
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _archive(data) -> dict:
    store = Store(data)
    try:
        return {
            "files": [f.to_dict() for f in store.files()],
            "reports": [store.document(d.doc_id).to_dict() for d in store.documents()],
            "passage_ids": store.passage_ids().tolist(),
        }
    finally:
        store.close()


def _run(folder, data, jobs, seen):
    store = Store(data)
    try:
        summary = ingest_paths(store, [str(folder)], jobs=jobs, progress=lambda files: seen.extend(files) or files)
    finally:
        store.close()
    return [(r.source, r.status, r.reports, r.passages, r.reason) for r in summary.results]


def test_two_jobs_store_what_one_job_stores_in_the_same_order(tmp_path):
    folder = _folder(tmp_path)
    seen_one, seen_two = [], []
    one = _run(folder, tmp_path / "one", 1, seen_one)
    two = _run(folder, tmp_path / "two", 2, seen_two)
    assert two == one
    assert seen_two == seen_one and len(seen_one) == len(SEEDS) + 5  # progress sees every file, in order
    statuses = {source.rsplit("/", 1)[-1]: status for source, status, *_ in one}
    assert statuses["copy.txt"] == "duplicate" and statuses["b.txt"] == "duplicate"
    assert statuses["garbage.txt"] == statuses["empty.txt"] == "skipped"
    assert json.dumps(_archive(tmp_path / "two"), ensure_ascii=False) == \
        json.dumps(_archive(tmp_path / "one"), ensure_ascii=False)
    # A second run with workers finds everything in place.
    again = _run(folder, tmp_path / "two", 2, [])
    assert [status for _, status, *_ in again].count("unchanged") == len(SEEDS) + 1


def test_jobs_must_be_a_positive_number(cli, tmp_path):
    result = cli("ingest", str(CORPUS), "--jobs", "0", "--data", str(tmp_path / "d"))
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：--jobs 应为正整数，而不是 0；例如 --jobs ")


def test_workers_running_other_code_than_the_parent_leave_the_work_to_it(tmp_path, monkeypatch):
    """A worker started afresh (no fork) that finds other ingest code on disk refuses; the parent does the work."""
    import threading

    import index.build as build

    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, folder / seed.name)
    one = _run(folder, tmp_path / "one", 1, [])
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # the parent runs threads: no fork
    monkeypatch.setattr(build, "INGEST_VERSION", "000000000000")  # as if the code changed since it loaded
    two = _run(folder, tmp_path / "two", 2, [])
    assert two == one and [status for _, status, *_ in two] == ["added"] * 3
