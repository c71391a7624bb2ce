"""Decompression and size bombs are refused while the file is read, with a Chinese reason naming the file and
the limit, and nothing is stored (the issue's 104 KB .docx became 200,000 "articles")."""

from __future__ import annotations

import functools
import io
import time
import zipfile
from pathlib import Path

import pytest

from ingest.limits import DEFAULT_LIMITS, IngestLimits
from ingest.loaders import load_text
from ingest.pipeline import ingest_paths
from knowledge.errors import IngestError

from .test_pipeline import FakeKB


@pytest.fixture
def kb(tmp_path) -> FakeKB:
    return FakeKB(tmp_path / "catalog.sqlite")


@functools.lru_cache(maxsize=1)
def small_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("某市河道管理条例")
    d.add_paragraph("第一条 为了加强河道管理，制定本条例。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def docx_with(tmp_path: Path, name: str, document_xml: bytes | None = None, extra: dict[str, bytes] | None = None) -> Path:
    """A real python-docx file with word/document.xml replaced and/or extra members added (deflated)."""
    src = zipfile.ZipFile(io.BytesIO(small_docx()))
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml" and document_xml is not None:
                data = document_xml
            z.writestr(info.filename, data)
        for member, data in (extra or {}).items():
            z.writestr(member, data)
    return out


def paragraphs_xml(n: int) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>第{i}条 河道管理范围内禁止倾倒垃圾。</w:t></w:r></w:p>" for i in range(1, n + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>").encode()


@pytest.fixture
def no_docx_parse(monkeypatch):
    """Fail the test if python-docx is asked to parse: the refusal must come before."""
    import docx

    small_docx()  # made before the patch

    def refuse(*_a, **_k):
        raise AssertionError("python-docx parsed a file that should have been refused while reading")

    monkeypatch.setattr(docx, "Document", refuse)


def refused(kb, path, needle, limits: IngestLimits = DEFAULT_LIMITS) -> str:
    """Ingest `path`: it must fail naming the file with `needle` in the reason, and change nothing."""
    before = kb.catalog.data_version()
    report = ingest_paths(kb, [path], limits=limits)
    assert not report.ok and not report.added and kb.catalog.data_version() == before and not kb.calls
    reason = report.failed[0]["reason"]
    assert report.failed[0]["path"] == str(path) and needle in reason, reason
    return reason


def test_docx_whose_xml_expands_past_the_limit_is_refused_before_parsing(kb, tmp_path, no_docx_parse):
    bomb = docx_with(tmp_path, "炸弹.docx", extra={"word/media/pad.bin": b"\0" * (DEFAULT_LIMITS.max_unpacked_bytes + 1)})
    assert bomb.stat().st_size < 200_000  # 50 MB of zeros deflate to ~50 KB
    started = time.perf_counter()
    reason = refused(kb, bomb, "解压后超过上限 50 MB")
    assert "XUEFA_MAX_UNPACKED_MB" in reason and time.perf_counter() - started < 20
    with pytest.raises(IngestError) as err:
        load_text(bomb)
    assert str(err.value).startswith("炸弹.docx：")


def test_zip_headers_that_understate_sizes_are_not_trusted(kb, tmp_path, no_docx_parse):
    """A member whose headers claim 1 KB but which inflates to 60 MB: counted as it comes out, never believed."""
    path = docx_with(tmp_path, "谎报.docx", extra={"word/media/pad.bin": b"\0" * (60 * 1024 * 1024)})
    raw = bytearray(path.read_bytes())
    z = zipfile.ZipFile(io.BytesIO(bytes(raw)))
    info = z.getinfo("word/media/pad.bin")
    real = info.file_size.to_bytes(4, "little")
    fake = (1024).to_bytes(4, "little")
    assert raw.count(real) >= 2
    raw = raw.replace(real, fake)  # local header and central directory both lie
    path.write_bytes(bytes(raw))
    assert zipfile.ZipFile(path).getinfo("word/media/pad.bin").file_size == 1024
    refused(kb, path, "Word 文件已损坏")  # the bytes that come out do not match the claim (CRC/size)


def test_docx_with_too_many_members_is_refused(kb, tmp_path, no_docx_parse):
    many = docx_with(tmp_path, "成员.docx", extra={f"word/media/x{i}.bin": b"x" for i in range(1001)})
    reason = refused(kb, many, "超过上限 1000 个")
    assert "XUEFA_MAX_ZIP_ENTRIES" in reason


def test_the_issues_small_docx_with_200000_articles_stops_while_reading(kb, tmp_path, monkeypatch):
    """20 MB of XML in ~100 KB: within the unpacked limit, stopped by the paragraph count as it is read."""
    path = docx_with(tmp_path, "二十万条.docx", document_xml=paragraphs_xml(200_000))
    assert path.stat().st_size < 600_000
    import ingest.pipeline as pipeline

    monkeypatch.setattr(pipeline, "parse_document", lambda *a, **k: pytest.fail("parsed before refusing"))
    started = time.perf_counter()
    reason = refused(kb, path, "超过 20000 个段落")
    assert "XUEFA_MAX_PARAGRAPHS" in reason
    assert time.perf_counter() - started < 60  # was 22 s to parse plus ~100 minutes to embed


def test_markdown_with_60000_articles_is_refused_before_parsing(kb, tmp_path, monkeypatch):
    md = tmp_path / "六万条.md"
    md.write_text("# 某条例\n\n" + "".join(f"第{i}条 内容。\n" for i in range(1, 60_001)), encoding="utf-8")
    import ingest.pipeline as pipeline

    monkeypatch.setattr(pipeline, "parse_document", lambda *a, **k: pytest.fail("parsed before refusing"))
    # paragraphs allowed, so the article count is the limit that trips
    reason = refused(kb, md, "超过上限 3000 条", IngestLimits(max_paragraphs=100_000))
    assert "XUEFA_MAX_ARTICLES" in reason


def test_unstructured_document_with_too_many_paragraphs_as_articles(kb, tmp_path):
    """No 第N条 lines: the parser makes numbered paragraphs; their exact count is checked before storing."""
    txt = tmp_path / "长通知.txt"
    txt.write_text("关于某事的通知\n\n" + "\n\n".join(f"请各单位认真落实第{i}项工作。" for i in range(3500)),
                   encoding="utf-8")
    reason = refused(kb, txt, "有 3")
    assert "超过上限 3000 条" in reason


def test_pdf_page_limit(kb, tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(5):
        pdf.add_page()
    path = tmp_path / "五页.pdf"
    pdf.output(str(path))
    reason = refused(kb, path, "PDF 共 5 页，超过上限 4 页", IngestLimits(max_pdf_pages=4))
    assert "XUEFA_MAX_PDF_PAGES" in reason


def test_limits_come_from_settings_with_sane_defaults(monkeypatch, tmp_path):
    from assistant.config import Settings

    limits = Settings(home=tmp_path).ingest_limits()
    assert limits == DEFAULT_LIMITS
    assert limits.max_articles >= 1260 * 2 and limits.max_bytes == 20 * 1024 * 1024  # 民法典 fits twice
    monkeypatch.setenv("XUEFA_MAX_PDF_PAGES", "3")
    monkeypatch.setenv("XUEFA_MAX_UNPACKED_MB", "8")
    limits = Settings(home=tmp_path).ingest_limits()
    assert limits.max_pdf_pages == 3 and limits.max_unpacked_bytes == 8 * 1024 * 1024


def test_a_real_regulation_docx_is_within_the_limits(kb, tmp_path):
    from . import docgen

    md = docgen.corpus_file("安全生产")
    report = ingest_paths(kb, [docgen.to_docx(md, tmp_path / "安全生产条例.docx")])
    assert report.ok and report.added[0]["articles"] == docgen.EXPECTED_COUNTS["山东省安全生产条例"]
