"""`edureports show`: figures are listed as the report writes them, a range figure included."""

from __future__ import annotations

import json


def test_show_lists_a_range_figure_and_large_units_as_written(tmp_path, cli):
    (tmp_path / "r.txt").write_text(
        "2023年某县教育工作总结\n一、改善办学条件\n全年新建学校1-2所，校舍面积达310万平方米，投入1.3亿元。\n",
        encoding="utf-8")
    data = str(tmp_path / "data")
    assert cli("ingest", str(tmp_path / "r.txt"), "--no-index", "--data", data).exit_code == 0
    doc_id = json.loads(cli("docs", "--json", "--data", data).stdout)[0]["doc_id"]
    result = cli("show", doc_id, "--data", data)
    assert result.exit_code == 0, result.stderr
    assert "  数据  3 条（0 条遮盖）：学校 1～2所；校舍面积 达310万平方米；投入 1.3亿元" in result.stdout.splitlines()


def test_a_source_with_control_characters_is_shown_on_one_line(tmp_path, cli):
    """A newline or a terminal escape in a file name never reaches the terminal as such."""
    name = "2022年\n第二\x1b[31m学区\t总结.txt"
    (tmp_path / name).write_text(
        "2022年某区教育工作总结\n一、主要工作\n全区新建学校3所，新增学位1200个，教师交流轮岗310人。\n", encoding="utf-8")
    data = str(tmp_path / "data")
    assert cli("ingest", str(tmp_path), "--no-index", "--data", data).exit_code == 0
    [doc] = json.loads(cli("docs", "--json", "--data", data).stdout)
    assert doc["source"] == str(tmp_path / name)  # JSON keeps the name as it is
    shown = cli("show", doc["doc_id"], "--data", data).stdout
    assert f"  来源  {tmp_path}/2022年\\n第二\\x1b[31m学区\\t总结.txt" in shown.splitlines()
    assert "\x1b" not in shown and "2022年某区教育工作总结" in shown.splitlines()[0]
