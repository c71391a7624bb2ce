"""Scanned PDFs (pages that are only images, as a scanned 红头文件 is) are read by the bundled OCR model and
parsed like any other document; the report says OCR was used and on which pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from tests import docgen


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters; closing punctuation hangs at a line end, as typesetting does."""
    lines: list[str] = []
    for ch in text:
        if lines and (len(lines[-1]) < width or ch in "，。、；：？！）》”’"):
            lines[-1] += ch
        else:
            lines.append(ch)
    return lines


def _scan(md: Path, out: Path, font: Path) -> tuple[Path, int]:
    """Render a regulation's text to page images (no text layer) and save them as one PDF."""
    from PIL import Image, ImageDraw, ImageFont

    src = docgen.read_source(md)
    size, width, height, margin = 22, 827, 1169, 105  # A4 at 100 dpi, 28 characters a line as in office documents
    face = ImageFont.truetype(str(font), size)
    per_line = (width - 2 * margin) // size
    lines: list[tuple[str, bool]] = [(src.title, True)]
    for kind, block in src.blocks:
        if kind == "heading":
            lines.append((str(block).replace(" ", "\u3000"), True))
            continue
        for j, para in enumerate(block.paragraphs):
            text = "\u3000\u3000" + (f"{block.label}\u3000{para}" if j == 0 else para)
            lines += [(line, False) for line in _wrap(text, per_line)]
    pages, y, page = [], margin, None
    for text, centred in lines:
        if page is None or y > height - margin - size:
            page = Image.new("L", (width, height), 255)
            pages.append(page)
            y = margin
        draw = ImageDraw.Draw(page)
        x = (width - draw.textlength(text, font=face)) / 2 if centred else margin
        draw.text((x, y), text, font=face, fill=0)
        y += int(size * 1.9)
    path = out / f"{src.title}（扫描件）.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=100)
    return path, len(pages)


@pytest.mark.slow
def test_scanned_pdf_is_ocr_read_with_the_right_article_count(kb_factory, tmp_path):
    font = docgen.find_cjk_font()
    if font is None:
        pytest.fail("no Chinese font to render the scan: apt-get install fonts-wqy-microhei")
    md = docgen.corpus_file("法治宣传教育条例")
    pdf, n_pages = _scan(md, tmp_path, font)
    report = ingest_paths(kb_factory(national=()), [pdf])
    assert not report.failed, report.failed
    (entry,) = report.added
    assert entry["articles"] == docgen.EXPECTED_COUNTS["山东省法治宣传教育条例"] == 35
    assert entry["ocr_pages"] == list(range(1, n_pages + 1))
    assert "文字识别（OCR）" in entry["warnings"][0]
    assert entry["title"] == "山东省法治宣传教育条例"


def test_a_pdf_of_blank_images_is_refused_in_chinese(kb_factory, tmp_path):
    from PIL import Image

    path = tmp_path / "空白扫描件.pdf"
    Image.new("L", (600, 800), 255).save(path)
    report = ingest_paths(kb_factory(national=()), [path])
    (failed,) = report.failed
    assert "文字识别（OCR）也没有识别出足够的文字" in failed["reason"]
