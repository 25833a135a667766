"""`ingest --prune` counts every file a report is stored from: a report with a copy still on disk stays."""

from __future__ import annotations

import json

from conftest import REPORT_TEXT


def test_pruning_the_file_a_report_was_stored_under_keeps_it_from_its_copies(tmp_path, cli):
    folder, data = tmp_path / "in", tmp_path / "data"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT_TEXT, encoding="utf-8")
    (folder / "b.txt").write_text(REPORT_TEXT, encoding="utf-8")  # the same bytes
    # The same report inside other bytes: a site's navigation line and footer around it.
    (folder / "c.txt").write_text("首页 > 资料下载 > 工作总结\n" + REPORT_TEXT + "\n本文由网友上传，仅供参考。\n",
                                  encoding="utf-8")
    assert cli("ingest", str(folder), "--no-index", "--data", str(data)).exit_code == 0
    before = json.loads(cli("docs", "--json", "--data", str(data)).stdout)
    assert [d["source"] for d in before] == [str(folder / "a.txt")]

    (folder / "a.txt").unlink()
    result = cli("ingest", str(folder), "--prune", "--data", str(data))
    assert result.exit_code == 0, result.stderr
    assert f"  已清除：{folder / 'a.txt'}" in result.stderr
    assert f"  重复：{folder / 'c.txt'}：第 1 篇与 {folder / 'b.txt'} 中的报告 {before[0]['doc_id']} 相同" in result.stderr
    assert "2 个文件：新增 0，更新 1，未变 0，跳过 1；写入 1 篇报告、2 个段落；清除 1 个" in result.stderr
    after = json.loads(cli("docs", "--json", "--data", str(data)).stdout)
    assert [(d["doc_id"], d["source"], d["n_passages"]) for d in after] == [
        (before[0]["doc_id"], str(folder / "b.txt"), before[0]["n_passages"])]

    (folder / "b.txt").unlink()  # now the copy inside c.txt is the last one
    result = cli("ingest", str(folder), "--prune", "--data", str(data))
    assert result.exit_code == 0, result.stderr
    after = json.loads(cli("docs", "--json", "--data", str(data)).stdout)
    assert [(d["title"], d["source"], d["n_passages"]) for d in after] == [
        (before[0]["title"], str(folder / "c.txt"), before[0]["n_passages"])]  # ids follow the file's bytes
    assert cli("check", "--data", str(data)).exit_code == 0  # the indexes followed

    (folder / "c.txt").unlink()  # no copy left: the report goes
    assert cli("ingest", str(folder), "--prune", "--data", str(data)).exit_code == 0
    assert json.loads(cli("docs", "--json", "--data", str(data)).stdout) == []
