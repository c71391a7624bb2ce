"""ingest.loaders: every supported format reads as text; every bad file fails with a Chinese reason."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from ingest.loaders import html_to_text_bs4, html_to_text_stdlib, load_text
from knowledge.errors import IngestError
from tests import docgen

MB = 1024 * 1024
ARTICLE = "第一条　为了加强东平湖生态保护和修复，提高蓄水防洪能力，制定本条例。"


def _fails(path: Path, *needles: str, max_bytes: int = 20 * MB) -> IngestError:
    with pytest.raises(IngestError) as info:
        load_text(path, max_bytes)
    err = info.value
    assert err.path == path.name and path.name in str(err)
    assert re.search(r"[\u4e00-\u9fff]", err.reason), err.reason
    for needle in needles:
        assert needle in err.reason, err.reason
    return err


# ---- text encodings ---------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_txt_encodings(tmp_path, encoding):
    f = tmp_path / "条例.txt"
    f.write_bytes(f"山东省东平湖保护条例\n{ARTICLE}\n".encode(encoding))
    text = load_text(f, MB)
    assert text.startswith("山东省东平湖保护条例") and ARTICLE in text


def test_gbk_file_decodes_correctly_not_as_mojibake(tmp_path):
    f = tmp_path / "gbk.txt"
    f.write_bytes(ARTICLE.encode("gbk"))
    assert load_text(f, MB) == ARTICLE


def test_markdown_read_verbatim(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("# 标题\n\n## 第一章 总则\n\n" + ARTICLE, encoding="utf-8")
    assert load_text(f, MB) == "# 标题\n\n## 第一章 总则\n\n" + ARTICLE


# ---- docx -------------------------------------------------------------------------------------
def test_docx_paragraphs_and_tables_in_order(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("关于印发某办法的通知")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "事项"
    table.cell(1, 0).text, table.cell(1, 1).text = "1", "安全检查"
    d.add_paragraph(ARTICLE)
    f = tmp_path / "a.docx"
    d.save(str(f))
    assert load_text(f, MB).split("\n") == ["关于印发某办法的通知", "序号\t事项", "1\t安全检查", ARTICLE]


def test_corrupt_docx(tmp_path):
    f = tmp_path / "坏文件.docx"
    f.write_bytes(b"PK\x03\x04 this is not really a zip" * 10)
    _fails(f, "Word", "损坏")
    g = tmp_path / "空压缩包.docx"
    with zipfile.ZipFile(g, "w") as z:
        z.writestr("hello.txt", "不是 Word")
    _fails(g, "Word", "损坏")


# ---- pdf --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cjk_font() -> Path:
    font = docgen.find_cjk_font()
    if font is None:
        pytest.skip("no Chinese font for fpdf2 (apt-get install fonts-wqy-microhei)")
    return font


def test_pdf_text_layer_with_pages(tmp_path, cjk_font):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", fname=str(cjk_font), collection_font_number=0)
    pdf.set_font("cjk", size=12)
    for text in ("第一页：" + ARTICLE, "第二页：第二条　本条例自2022年1月1日起施行。"):
        pdf.add_page()
        pdf.cell(0, 10, text)
    f = tmp_path / "a.pdf"
    pdf.output(str(f))
    pages = load_text(f, MB).split("\f")
    assert len(pages) == 2
    assert "".join(pages[0].split()) == "第一页：" + "".join(ARTICLE.split())
    assert "2022年1月1日起施行" in pages[1]


def test_pdf_without_text_layer_is_a_scan(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 100, 50, style="F")  # a "scanned image": marks, no text
    f = tmp_path / "扫描件.pdf"
    pdf.output(str(f))
    _fails(f, "文字层", "扫描件", "OCR")


def test_corrupt_pdf(tmp_path):
    f = tmp_path / "坏.pdf"
    f.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ngarbage" + bytes(range(256)))
    _fails(f, "PDF", "损坏")


# ---- html -------------------------------------------------------------------------------------
HTML = """<html><head><title>山东省东平湖保护条例</title><style>p {color: red}</style>
<script>var a = "第九十九条 不是条文";</script></head>
<body><h1>山东省东平湖保护条例</h1><p><b>第一条</b>&nbsp;&nbsp;为了加强东平湖生态保护和修复，
提高蓄水防洪能力，制定本条例。</p><p>第二条&#12288;本条例适用于东平湖。<br>第二款。</p>
<table><tr><td>甲</td><td>乙</td></tr></table><noscript>请启用脚本</noscript></body></html>"""


def test_html_strips_scripts_and_styles_and_keeps_blocks():
    text = html_to_text_bs4(HTML)
    assert "第九十九条" not in text and "color" not in text and "请启用脚本" not in text
    lines = text.split("\n")
    assert lines[0] == "山东省东平湖保护条例"
    assert "第一条\xa0\xa0为了加强东平湖生态保护和修复，" in lines or "第一条  为了加强东平湖生态保护和修复，" in lines
    assert "本条例适用于东平湖。" in text and "第二款。" in lines
    assert "甲\t乙" in text


def test_html_stdlib_fallback_gives_the_same_text():
    assert html_to_text_stdlib(HTML) == html_to_text_bs4(HTML)


def test_gbk_html_with_meta_charset(tmp_path):
    f = tmp_path / "a.html"
    f.write_bytes(('<html><head><meta charset="gb2312"></head><body><p>' + ARTICLE + "</p></body></html>")
                  .encode("gbk"))
    assert load_text(f, MB).strip() == ARTICLE


# ---- other bad files --------------------------------------------------------------------------
def test_missing_file(tmp_path):
    _fails(tmp_path / "不存在.txt", "不存在")


def test_empty_file(tmp_path):
    f = tmp_path / "空.txt"
    f.write_bytes(b"")
    _fails(f, "为空")
    g = tmp_path / "空白.md"
    g.write_text(" \n\u3000\n", encoding="utf-8")
    _fails(g, "没有可读取的文字")


def test_oversized_file_names_the_limit_in_mb(tmp_path):
    f = tmp_path / "大.txt"
    f.write_bytes(ARTICLE.encode() * 1000)
    err = _fails(f, "超过上限", max_bytes=MB // 100)
    assert "0.01 MB" in err.reason
    big = tmp_path / "大2.txt"
    big.write_bytes(b"a" * (2 * MB + 1))
    assert "上限 2 MB" in _fails(big, max_bytes=2 * MB).reason


@pytest.mark.parametrize("name,needle", [("旧版.doc", ".docx"), ("表格.xlsx", "不支持"), ("图片.png", "不支持"),
                                         ("无扩展名", "不支持")])
def test_unsupported_extension(tmp_path, name, needle):
    f = tmp_path / name
    f.write_bytes(b"whatever")
    _fails(f, needle)


def test_binary_renamed_to_txt(tmp_path):
    f = tmp_path / "改名.txt"
    f.write_bytes(bytes(range(256)) * 20)
    _fails(f, "二进制")
    png = tmp_path / "图.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    _fails(png, "PNG")
    pdf = tmp_path / "其实是pdf.txt"
    pdf.write_bytes(b"%PDF-1.4\n...")
    _fails(pdf, "PDF", "扩展名")


def test_undecodable_bytes(tmp_path):
    f = tmp_path / "乱码.txt"
    f.write_bytes(b"\x80\x81\xff\xfe\x80" * 200)
    _fails(f, "编码")


def test_directory_is_not_a_file(tmp_path):
    d = tmp_path / "目录.txt"
    d.mkdir()
    _fails(d, "不是文件")
