"""Loaders on real files the tests build: encodings, .docx, .pdf, .html, bad input."""

from __future__ import annotations

import pytest
from conftest import REPORT_TEXT, make_docx, make_pdf

from ingest.errors import BinaryFile, CorruptFile, EmptyFile, NoTextLayer, UnsupportedFormat
from ingest.load import load
from ingest.pipeline import process_file


@pytest.mark.parametrize(
    "encoding,expected",
    [("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
     ("utf-16-le", "utf-16-le"), ("utf-8", "utf-8")],
)
def test_text_encodings_are_detected(tmp_path, encoding, expected):
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT_TEXT.encode(encoding))
    raw = load(path)
    assert raw.encoding == expected
    assert raw.text.replace("\r", "") == REPORT_TEXT
    docs = process_file(path)
    assert docs[0].title == "2022年教育局工作总结"
    assert [p.heading for p in docs[0].passages] == [("一、落实“双减”政策",), ("二、推进集团化办学",)]


def test_docx_keeps_order_headings_numbering_and_tables(tmp_path):
    path = make_docx(tmp_path / "report.docx", numbered=True)
    raw = load(path)
    lines = raw.text.splitlines()
    assert lines[0] == "2022年教育局工作总结"
    assert "一、落实“双减”政策" in lines
    assert "# 推进集团化办学" in lines  # a heading style without a number keeps a heading marker
    assert "1.加强课后服务管理，建立弹性离校制度。" in lines  # Word's automatic numbering is drawn
    assert "2.规范校外培训机构收费，建立资金监管账户。" in lines
    assert "课后服务覆盖率 | 85% | 100%" in lines
    doc = process_file(path)[0]
    assert doc.title == "2022年教育局工作总结"
    assert ("推进集团化办学",) in [p.heading for p in doc.passages]


def test_pdf_text_layer_is_read(tmp_path):
    lines = ["2022年教育工作总结", "一、学前教育", "全市新建幼儿园20所，普惠性幼儿园覆盖率达到90%，", "公办园在园幼儿占比达55%。"]
    doc = process_file(make_pdf(tmp_path / "report.pdf", lines))[0]
    assert doc.years == (2022,)
    assert doc.passages[0].heading == ("一、学前教育",)
    assert doc.passages[0].text == "全市新建幼儿园20所，普惠性幼儿园覆盖率达到90%，公办园在园幼儿占比达55%。"


def test_html_main_text_is_extracted_with_headings(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(
        "<html><head><title>2022年教育局工作总结_某某范文网</title></head><body>"
        "<nav>首页 | 范文大全 | 工作总结</nav><article><h1>2022年教育局工作总结</h1>"
        "<h2>一、主要成绩</h2><p>今年以来，全市教育系统深入贯彻落实党的教育方针，新建改扩建学校15所，"
        "新增学位1.2万个，群众满意度达到95.6%。</p><h2>工作展望</h2><p>明年将继续推进义务教育优质均衡发展，"
        "力争新增学位8000个，进一步缓解大班额问题。</p></article><footer>版权所有 京ICP备12345678号</footer></body></html>",
        encoding="utf-8",
    )
    doc = process_file(path)[0]
    assert doc.title == "2022年教育局工作总结"
    assert [p.heading for p in doc.passages] == [("一、主要成绩",), ("工作展望",)]
    assert "ICP" not in doc.text and "首页" not in doc.text


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(EmptyFile, match=r"^.*empty\.txt: empty file, nothing to ingest$"):
        load(tmp_path / "empty.txt")
    (tmp_path / "blank.txt").write_bytes(b"  \r\n\n ")
    with pytest.raises(EmptyFile):
        load(tmp_path / "blank.txt")


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(BinaryFile) as err:
        load(path, "image.txt")
    assert str(err.value) == "image.txt：是二进制数据，不是文本（含 NUL 字节）；请确认扩展名是否正确"


def test_truncated_docx(tmp_path):
    good = make_docx(tmp_path / "good.docx").read_bytes()
    path = tmp_path / "broken.docx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(CorruptFile) as err:
        load(path, "broken.docx")
    assert str(err.value) == "broken.docx：.docx 损坏或不完整（不是 zip 包）；请用 Word 打开后另存，再导入"


def test_scanned_pdf_without_text(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(NoTextLayer) as err:
        load(path, "scan.pdf")
    assert str(err.value) == "scan.pdf：PDF 没有文字层（共 1 页，可能是扫描图片）；请先做文字识别（如 ocrmypdf）再导入结果"


def test_legacy_and_unknown_types(tmp_path):
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedFormat) as err:
        load(tmp_path / "old.doc")
    assert str(err.value) == f"{tmp_path / 'old.doc'}: Word 97-2003 .doc files are not supported; save it as .docx and ingest that"
    (tmp_path / "data.xyz").write_text("x")
    with pytest.raises(UnsupportedFormat) as err:
        load(tmp_path / "data.xyz", "data.xyz")
    assert str(err.value) == "data.xyz：不支持的文件类型 '.xyz'（支持：.docx .htm .html .markdown .md .pdf .text .txt .xhtml）"


def test_a_table_at_the_end_of_a_docx_is_kept_as_rows(tmp_path):
    doc = process_file(make_docx(tmp_path / "report.docx"))[0]
    assert doc.text.endswith("指标 | 2021年 | 2022年\n课后服务覆盖率 | 85% | 100%")
    assert "课后服务覆盖率 | 85% | 100%" in doc.passages[-1].text


def test_pdf_page_numbers_and_wrapped_lines(tmp_path):
    lines = [
        "2022年教育工作总结", "一、义务教育", "全市义务教育阶段学校共有312所，在校学生",
        "28.6万人，比上年增加1.2万人。", "- 1 -", "二、学前教育", "全市新建幼儿园20所，普惠性幼儿园覆盖",
        "率达到90%。", "第 2 页",
    ]
    doc = process_file(make_pdf(tmp_path / "report.pdf", lines))[0]
    assert [p.text for p in doc.passages] == [
        "全市义务教育阶段学校共有312所，在校学生28.6万人，比上年增加1.2万人。",
        "全市新建幼儿园20所，普惠性幼儿园覆盖率达到90%。",
    ]
