"""Size limits for one ingested document, checked while it is read (before parsing finishes).

A 100 KB .docx can hold hundreds of MB of XML, and a few MB of text can hold 60,000 "articles" that
would take an hour to embed and block the knowledge base's single write queue. Every limit has an
operator setting (assistant/config.py, prefix XUEFA_); each refusal names the file, the limit and
the setting, and nothing is stored."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from knowledge.errors import IngestError

MIB = 1024 * 1024


@dataclass(frozen=True)
class IngestLimits:
    """Defaults fit the largest real texts with room to spare: 民法典 has 1,260 articles and ~2,500 lines."""

    max_bytes: int = 20 * MIB  # the file on disk (XUEFA_MAX_UPLOAD_MB)
    max_unpacked_bytes: int = 50 * MIB  # a .docx's members, decompressed (XUEFA_MAX_UNPACKED_MB)
    max_zip_entries: int = 1000  # members of a .docx (XUEFA_MAX_ZIP_ENTRIES)
    max_pdf_pages: int = 2000  # XUEFA_MAX_PDF_PAGES
    max_paragraphs: int = 20000  # non-empty lines of text (XUEFA_MAX_PARAGRAPHS)
    max_articles: int = 3000  # 条 or numbered paragraphs (XUEFA_MAX_ARTICLES)


DEFAULT_LIMITS = IngestLimits()


def _mb(n: int) -> str:
    return f"{n / MIB:.2f}".rstrip("0").rstrip(".")


def read_zip_bounded(name: str, data: bytes, limits: IngestLimits) -> None:
    """Decompress every member of a zip, counting the bytes that really come out (never the sizes the
    headers claim), and stop as soon as the total or the number of members passes its limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise IngestError(name, "Word 文件已损坏或不是有效的 .docx 文件，请用 Word/WPS 打开后重新另存为 .docx") from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_zip_entries:
            raise IngestError(name, f"Word 文件包含 {len(members)} 个压缩成员，超过上限 {limits.max_zip_entries} 个"
                                    "（设置项 XUEFA_MAX_ZIP_ENTRIES），不像正常的 Word 文档，未导入")
        total = 0
        for info in members:
            body = info.filename == "word/document.xml"
            paras, tail = 0, b""
            try:
                with archive.open(info) as stream:
                    while chunk := stream.read(256 * 1024):
                        total += len(chunk)
                        if body:  # count <w:p> as it streams: python-docx would parse all of it first
                            window = tail + chunk
                            paras += window.count(b"<w:p>") + window.count(b"<w:p ")
                            paras -= tail.count(b"<w:p>") + tail.count(b"<w:p ")
                            tail = window[-5:]
                            if paras > 2 * limits.max_paragraphs:  # empty paragraphs (spacing) allowed for
                                raise too_many_paragraphs(name, limits.max_paragraphs)
                        if total > limits.max_unpacked_bytes:
                            raise IngestError(
                                name, f"Word 文件解压后超过上限 {_mb(limits.max_unpacked_bytes)} MB"
                                      "（设置项 XUEFA_MAX_UNPACKED_MB），可能是压缩炸弹或含大量图片；"
                                      "请删去图片或拆分后再导入，未导入任何内容")
            except IngestError:
                raise
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError,
                    OSError, EOFError) as exc:  # CRC errors, encryption, unsupported compression
                raise IngestError(name, "Word 文件已损坏或不是有效的 .docx 文件，"
                                        "请用 Word/WPS 打开后重新另存为 .docx") from exc


class LineCounter:
    """Counts non-empty lines as text is read and refuses the document once it has too many."""

    def __init__(self, name: str, limits: IngestLimits):
        self.name, self.limit, self.count = name, limits.max_paragraphs, 0

    def add(self, text: str) -> None:
        self.count += sum(1 for line in text.split("\n") if line.strip())
        if self.count > self.limit:
            raise too_many_paragraphs(self.name, self.limit)


def too_many_paragraphs(name: str, limit: int) -> IngestError:
    return IngestError(name, f"文件超过 {limit} 个段落（设置项 XUEFA_MAX_PARAGRAPHS），"
                             "请拆分成几个文件后再导入，未导入任何内容")


def too_many_articles(name: str, count: int | str, limit: int) -> IngestError:
    return IngestError(name, f"文件有 {count} 条，超过上限 {limit} 条（设置项 XUEFA_MAX_ARTICLES），"
                             "请拆分成几个文件后再导入，未导入任何内容")


# A line that could start a 条: an upper bound of what the structure parser can find.
_ARTICLE_LINE_RE = re.compile(r"^[ \t\u3000#*>]*第\s*[零〇一二三四五六七八九十百千两0-9０-９]+\s*条", re.M)


def check_text(name: str, text: str, limits: IngestLimits) -> None:
    """Lines and candidate article starts of a loaded text, stopping at the first count past a limit."""
    lines = 0
    for line in text.split("\n"):
        if line.strip():
            lines += 1
            if lines > limits.max_paragraphs:
                raise too_many_paragraphs(name, limits.max_paragraphs)
    starts = 0
    for _ in _ARTICLE_LINE_RE.finditer(text):
        starts += 1
        if starts > limits.max_articles:
            raise too_many_articles(name, f"{limits.max_articles} 以上", limits.max_articles)
