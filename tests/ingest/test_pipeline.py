"""The ingest facade as a user drives it: files in, Documents out; stable public names."""

from __future__ import annotations

import ingest
from ingest.pipeline import process_file

TRADITIONAL = (
    "以下是小編為大家整理的隆德縣教育局2021年工作總結，僅供參考。\n"
    "隆德縣教育局2021年工作總結\n"
    "一、基本情況\n"
    "2021年，全縣共有在校學生一萬二千人，新建鄉村幼兒園6所，義務教育鞏固率達到99.3%。\n"
    "二、下一步打算\n"
    "繼續推進義務教育優質均衡發展，力爭課後服務參與率穩定在95%以上。\n"
)


def test_public_names_stay_available():
    for name in ["process_file", "process_text", "iter_files", "INGEST_VERSION", "SUPPORTED_SUFFIXES"]:
        assert getattr(ingest, name) is not None
    assert ".txt" in ingest.SUPPORTED_SUFFIXES


def test_a_big5_traditional_file_is_read_simplified_with_its_original(tmp_path):
    path = tmp_path / "隆德.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    [doc] = process_file(path)
    assert doc.script == "繁体"
    assert doc.title == "隆德县教育局2021年工作总结"
    assert doc.region.display == "宁夏回族自治区固原市隆德县"
    assert doc.years == (2021,)
    assert "小编" not in doc.text and "仅供参考" not in doc.text
    assert "全县共有在校学生一万二千人" in doc.text
    assert [m.value for m in doc.metrics if m.raw == "一万二千人"] == [12000]
    # The original keeps its script: what the file said, for display and tracing.
    assert "全縣共有在校學生一萬二千人" in doc.raw_text


def test_a_simplified_file_is_marked_simplified(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("某县教育局2021年工作总结\n一、基本情况\n2021年，全县新建乡村幼儿园6所，义务教育巩固率达到99.3%。\n", "utf-8")
    [doc] = process_file(path)
    assert doc.script == "简体"
    assert doc.text == doc.raw_text


def test_a_page_of_only_site_chrome_says_so_in_one_line(tmp_path):
    import pytest

    from ingest.errors import NoReport

    path = tmp_path / "preview.txt"
    path.write_text("首页 > 工作总结 > 正文\n下载该Word文档\n网站客服QQ：12345678\n预览已结束，如需查看全文请下载\n", "utf-8")
    with pytest.raises(NoReport) as caught:
        process_file(path, "preview.txt")
    assert str(caught.value) == (
        "preview.txt：没有找到报告正文（只有网站的导航、版权、下载提示等页面内容或零散短行）；请确认文件是报告全文而不是预览页"
    )


def test_a_huge_report_tagged_in_worker_processes_gives_what_one_process_gives(monkeypatch):
    """Past PARALLEL_PASSAGES a report's themes and figures are worked out in workers; nothing may change."""
    import ingest.pipeline as pipeline

    from pathlib import Path

    path = sorted((Path(__file__).resolve().parents[2] / "corpus").glob("*.txt"))[0]
    alone = process_file(path, jobs=1)
    monkeypatch.setattr(pipeline, "PARALLEL_PASSAGES", 4)
    monkeypatch.setattr(pipeline, "CHUNK", 3)
    used = []
    real = pipeline._workers
    monkeypatch.setattr(pipeline, "_workers", lambda n: used.append(n) or real(n))
    shared = process_file(path, jobs=2)
    assert used == [2]  # one pool for every report of the file
    assert shared == alone
    assert sum(len(d.metrics) for d in shared) > 10 and any(p.themes for d in shared for p in d.passages)
