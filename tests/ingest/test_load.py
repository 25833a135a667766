"""Loaders on real files the tests build: encodings, .docx, .pdf, .html, bad input."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from conftest import REPORT_TEXT, bounded, make_docx, make_pdf

from ingest.errors import BinaryFile, CorruptFile, EmptyFile, GarbledText, NoTextLayer, TooLarge, UnsupportedFormat
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
    with pytest.raises(EmptyFile, match=r"^.*empty\.txt：空文件，没有可导入的内容$"):
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
    assert str(err.value) == f"{tmp_path / 'old.doc'}：不支持 Word 97-2003 .doc 文件；请另存为 .docx 后再导入"
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


def _bounded(fn, *args, timeout: float = 30):
    return bounded(fn, *args, timeout=timeout)


def _docx_with_big_body(tmp_path, name: str, paragraphs: int, varied: bool) -> Path:
    """A real .docx whose document.xml holds `paragraphs` more paragraphs, written as a stream."""
    good = make_docx(tmp_path / "base.docx")
    path = tmp_path / name
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                dst.writestr(info, data)
                continue
            head, tail = data.split(b"<w:sectPr", 1)
            with dst.open("word/document.xml", "w") as out:
                out.write(head)
                for k in range(paragraphs):
                    words = f"第{k}段：全区新增学位{k % 997}个。" if varied else "全区新增学位。"
                    out.write(f"<w:p><w:r><w:t>{words}</w:t></w:r></w:p>".encode())
                out.write(b"<w:sectPr" + tail)
    return path


def test_docx_with_a_huge_xml_part_is_refused_before_parsing(tmp_path):
    path = _docx_with_big_body(tmp_path, "bomb.docx", 500_000, varied=False)  # ~26 MB of XML
    assert path.stat().st_size < 200_000
    with pytest.raises(TooLarge) as err:
        _bounded(load, path, "bomb.docx")
    assert str(err.value) == (
        "bomb.docx：.docx 内部件 word/document.xml 解压后 25.8 MB 超过上限 10 MB；"
        "如确需导入，请设置环境变量 EDUREPORTS_MAX_DOCX_PART_MB=50"
    )


def test_docx_compression_ratio_is_bounded_and_can_be_raised(tmp_path, monkeypatch):
    path = _docx_with_big_body(tmp_path, "dense.docx", 40_000, varied=False)  # ~2 MB of one repeated line
    info = zipfile.ZipFile(path).getinfo("word/document.xml")
    ratio = info.file_size / info.compress_size  # the exact figure depends on the zlib build
    assert 100 < ratio < 500
    with pytest.raises(TooLarge) as err:
        load(path, "dense.docx")
    assert str(err.value) == (
        f"dense.docx：.docx 内部件 word/document.xml 的压缩比 {round(ratio)} 倍 超过上限 100 倍；"
        "如确需导入，请设置环境变量 EDUREPORTS_MAX_DOCX_RATIO=500"
    )
    monkeypatch.setenv("EDUREPORTS_MAX_DOCX_RATIO", "500")
    assert load(path).text.count("全区新增学位。") == 40_000


def test_a_long_docx_within_the_limits_is_read(tmp_path):
    # 60,000 varied paragraphs (~4 MB of XML): read in seconds, not minutes
    # (python-docx's own style lookup made this quadratic).
    path = _docx_with_big_body(tmp_path, "long.docx", 60_000, varied=True)
    raw = _bounded(load, path)
    assert raw.text.splitlines()[-1] == "第59999段：全区新增学位179个。"


def test_pdf_page_limit(tmp_path, monkeypatch):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(tmp_path / "long.pdf"))
    for page in range(3):
        c.setFont("STSong-Light", 11)
        c.drawString(40, 800, f"第{page + 1}页：全市新建幼儿园20所，普惠性幼儿园覆盖率达到90%。")
        c.showPage()
    c.save()
    monkeypatch.setenv("EDUREPORTS_MAX_PDF_PAGES", "2")
    with pytest.raises(TooLarge) as err:
        load(tmp_path / "long.pdf", "long.pdf")
    assert str(err.value) == "long.pdf：PDF 页数 3 页 超过上限 2 页；如确需导入，请设置环境变量 EDUREPORTS_MAX_PDF_PAGES=5"
    monkeypatch.setenv("EDUREPORTS_MAX_PDF_PAGES", "3")
    assert "第3页" in load(tmp_path / "long.pdf").text


def test_random_bytes_are_refused_as_garbled(tmp_path):
    rng = random.Random(0)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(0x81, 0xFF) for _ in range(4000)))
    with pytest.raises(GarbledText) as err:
        load(path, "noise.txt")
    assert str(err.value) == (
        "noise.txt：按 GB18030 解码后不像中文（常用汉字只占 51%，中文报告在 80% 以上），"
        "可能是乱码或二进制数据；请确认文件内容和编码，另存为 UTF-8 后再导入"
    )


def test_chinese_text_in_the_wrong_encoding_is_refused(tmp_path):
    # GBK bytes relabelled: stored as UTF-8 after being read as Big5 (double conversion damage).
    path = tmp_path / "mojibake.txt"
    path.write_text(REPORT_TEXT.encode("gbk").decode("big5", errors="replace") * 3, encoding="utf-8")
    with pytest.raises(GarbledText, match=r"^mojibake\.txt：按 UTF-8 解码后不像中文（常用汉字只占 \d+%"):
        load(path, "mojibake.txt")


def test_a_roster_of_given_names_is_not_refused(tmp_path):
    # Given names use rarer characters (婷 睿 琪 瑾 are in GB2312's second level).
    names = "张婷 李睿 王琪 赵瑾 刘昊 陈曦 杨柳 黄鑫 周琳 吴悦 徐晗 孙涵 胡璇 朱熙 高翔 林峰 何婧 郭旭 马骁 罗岚\n"
    path = tmp_path / "名单.txt"
    path.write_bytes(("2022年优秀教师名单\n" + names * 3).encode("gbk"))
    assert load(path).encoding == "gb18030"


def test_big5_numbers_decode_as_written(tmp_path):
    text = "2022年教育局工作總結\n一、學前教育\n全市共招收幼兒一萬二千人，新建幼兒園二十所，普惠性幼兒園覆蓋率達到90%。\n"
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    raw = load(path)
    assert (raw.encoding, raw.text) == ("big5", text)
    figures = [(m.raw, m.value, m.unit) for m in process_file(path)[0].metrics]
    assert ("一万二千人", 12000.0, "人") in figures  # analysed in simplified script, 萬 read as 万


def test_legacy_encodings_of_the_archive_are_detected():
    archive = Path(__file__).resolve().parent.parent / "data" / "archive"
    found = {p.name[:2]: load(p).encoding for p in archive.glob("*.txt") if p.name[:2] in ("05", "06", "25", "26")}
    assert found == {"05": "big5", "06": "gb18030", "25": "gb18030", "26": "big5"}


def test_a_utf8_file_cut_inside_a_character_stays_utf8(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes(REPORT_TEXT.encode("utf-8")[:-2])  # the last 。 loses two of its three bytes
    raw = load(path)
    assert raw.encoding == "utf-8" and raw.text == REPORT_TEXT[:-2] + "\ufffd"


def test_text_padded_with_nul_bytes_is_read(tmp_path):
    path = tmp_path / "padded.txt"
    path.write_bytes(REPORT_TEXT.encode("gbk") + b"\x00" * 3000)  # a download cut short, zero-filled
    raw = load(path)
    assert (raw.encoding, raw.text) == ("gb18030", REPORT_TEXT)


def test_title_hints_lose_control_characters(tmp_path):
    import docx

    path = make_docx(tmp_path / "report.docx")
    document = docx.Document(str(path))
    document.core_properties.title = "2022年教育局\n工作总结\u200b\t"
    document.save(path)
    assert load(path).title_hint == "2022年教育局 工作总结"
    html = tmp_path / "report.html"
    html.write_text(
        "<html><head><title>2022年教育局&#10;工作总结\u202e</title></head><body><article><h1>2022年教育局工作总结</h1>"
        "<p>今年以来，全市教育系统新建改扩建学校15所，新增学位1.2万个，群众满意度达到95.6%。</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    assert load(html).title_hint == "2022年教育局工作总结"  # the newline already gone, the bidi override dropped


def test_a_control_character_in_a_file_name_stays_out_of_messages(tmp_path):
    path = tmp_path / "报告\n第二行.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedFormat) as err:
        load(path)
    assert "\n" not in str(err.value) and str(err.value).startswith(f"{tmp_path}/报告\\n第二行.doc：不支持 Word 97-2003")
