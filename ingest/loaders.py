"""Files -> plain text: txt/md (UTF-8, GBK/GB18030 …), docx, pdf (text layer), html.

Every failure a user can cause raises `IngestError` with a Chinese reason that says what to do.
PDF pages are separated by a form feed (``\\f``) so the structure parser can recognise running
headers and page numbers per page. python-docx, pypdf and BeautifulSoup are imported inside the
functions that use them (this module is their only adapter), never at import time.
"""

from __future__ import annotations

import codecs
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from knowledge.errors import IngestError

from .limits import DEFAULT_LIMITS, IngestLimits, LineCounter, check_text

log = logging.getLogger(__name__)

TEXT_EXTENSIONS = (".txt", ".md", ".markdown")
HTML_EXTENSIONS = (".html", ".htm")
SUPPORTED_EXTENSIONS = (*TEXT_EXTENSIONS, ".docx", ".pdf", *HTML_EXTENSIONS)
DEFAULT_MAX_BYTES = DEFAULT_LIMITS.max_bytes

# Formats we recognise by their first bytes, to say "this is really a PDF" instead of "binary".
_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/Office（如 docx）"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office（如 doc）"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
)
_HINTS = {
    ".doc": "不支持旧版 Word（.doc）文件，请在 Word 或 WPS 中另存为 .docx 后再导入",
    ".wps": "不支持 WPS 文字（.wps）文件，请另存为 .docx 后再导入",
    ".rtf": "不支持 RTF 文件，请另存为 .docx 后再导入",
    ".xls": "不支持表格文件，请把法规正文另存为 .docx 或 .txt 后再导入",
    ".xlsx": "不支持表格文件，请把法规正文另存为 .docx 或 .txt 后再导入",
    ".ofd": "不支持 OFD 版式文件，请导出为 PDF 或 .docx 后再导入",
}


_LAST_OCR = threading.local()  # which pages of the file just loaded (this thread) were OCR'd


def load_text_with_info(path: Path | str, max_bytes: int | None = None,
                        limits: IngestLimits | None = None) -> tuple[str, dict]:
    """`load_text` plus what the loader did: {"ocr_pages": [1-based page numbers]} for scanned PDFs."""
    _LAST_OCR.pages = []
    text = load_text(path, max_bytes, limits)
    return text, {"ocr_pages": list(_LAST_OCR.pages)}


def load_text(path: Path | str, max_bytes: int | None = None, limits: IngestLimits | None = None) -> str:
    """Read a document as text within `limits`; raise IngestError naming the file and the reason in Chinese.

    Control characters are stripped here, so no stored text can break Word export or the XML of a page."""
    path = Path(path)
    name = path.name
    limits = limits or DEFAULT_LIMITS
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    max_bytes = limits.max_bytes
    if not path.exists():
        raise IngestError(name, "文件不存在，请检查路径是否正确")
    if not path.is_file():
        raise IngestError(name, "不是文件（是目录或特殊文件），请指定要导入的文件")
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        reason = _HINTS.get(ext) or (f"不支持的文件类型“{ext or '无扩展名'}”，"
                                     f"支持：{'、'.join(SUPPORTED_EXTENSIONS)}")
        raise IngestError(name, reason)
    size = path.stat().st_size
    if size == 0:
        raise IngestError(name, "文件为空（0 字节），请确认文件已正确保存")
    if size > max_bytes:
        raise IngestError(name, f"文件大小 {_mb(size)} MB 超过上限 {_mb(max_bytes)} MB"
                                "（设置项 XUEFA_MAX_UPLOAD_MB），请拆分后再导入或调高导入大小上限")
    loader: Callable[[Path, IngestLimits], str]
    if ext in TEXT_EXTENSIONS:
        loader = _load_plain
    elif ext == ".docx":
        loader = _load_docx
    elif ext == ".pdf":
        loader = _load_pdf
    else:
        loader = _load_html
    text = strip_controls(loader(path, limits))
    if not text.strip():
        raise IngestError(name, "文件中没有可读取的文字")
    check_text(name, text, limits)
    log.debug("loaded %s: %d chars", name, len(text))
    return text


def _mb(n: int) -> str:
    return f"{n / 1048576:.2f}".rstrip("0").rstrip(".")


# ---- plain text -------------------------------------------------------------------------------
# C0/C1 controls (but tab, newline, carriage return and the form feed that separates pages), lone
# surrogates and the XML non-characters: none is text, and each breaks Word export or the page's XML.
_STRIP_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """Text without control characters; a vertical tab (Word's manual line break) becomes a newline."""
    return _STRIP_RE.sub("", text.replace("\x0b", "\n"))


def _load_plain(path: Path, limits: IngestLimits) -> str:  # noqa: ARG001 - the size is already checked
    return decode_bytes(path.read_bytes(), path.name)


def decode_bytes(data: bytes, name: str, declared: str | None = None) -> str:
    """Decode text bytes: BOM, declared charset, UTF-8, GB18030 (covers GBK/GB2312), then detection.

    The order matters: valid UTF-8 is almost never valid-looking GBK by accident, the reverse is
    not true, so UTF-8 goes first and GB18030 (a superset of GBK) second.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), name)
            except UnicodeDecodeError:
                raise IngestError(name, "文件编码损坏，无法按其声明的编码读取，请另存为 UTF-8 后再导入") from None
    head = data[:8192]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise IngestError(name, f"文件内容实际是 {kind} 格式而不是文本，请使用正确的扩展名后再导入")
    if b"\x00" in head:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise IngestError(name, "文件是二进制数据而不是文本（可能是改了扩展名的其他文件），无法导入")
    codecs_to_try = ["utf-8", "gb18030"]
    if declared:
        codecs_to_try.insert(0, declared)
    for codec in codecs_to_try:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible(text):
            log.debug("%s decoded as %s", name, codec)
            return _checked(text, name)
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer is a dependency
        best = None
    else:
        best = from_bytes(data).best()
    # Only trust a guessed encoding if it yields Chinese text: a guess of cp866 or latin-1 for
    # random bytes "succeeds" but is garbage for a Chinese legal assistant.
    if (best is not None and best.encoding in _CHINESE_CODECS and _plausible(str(best))
            and _mostly_chinese(str(best))):
        log.debug("%s decoded as %s (detected)", name, best.encoding)
        return _checked(str(best), name)
    raise IngestError(name, "无法识别文件编码或内容不是文字，请用记事本或 WPS 另存为 UTF-8 编码的文本后再导入")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark (some Windows tools): the zero bytes of ASCII characters
    (newlines, digits, spaces) fall on odd offsets for little-endian, on even ones for big-endian.
    The likelier byte order is tried first; either must give Chinese text with no NUL in it."""
    sample = data[:65536]
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    for codec in order:
        try:
            text = data[:len(data) // 2 * 2].decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _plausible(text) and _mostly_chinese(text):
            return text
    return None


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ufeff\ue000-\uf8ff]")
_CHINESE_CODECS = {"big5", "big5hkscs", "cp950", "gb2312", "gbk", "gb18030", "hz"}


def _plausible(text: str) -> bool:
    """Text, not mojibake: few control characters, replacement or private-use code points."""
    if not text:
        return False
    return len(_CONTROL_RE.findall(text)) <= max(2, len(text) // 200)


def _mostly_chinese(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    cjk = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")
    return bool(letters) and cjk / len(letters) >= 0.2


def _checked(text: str, name: str) -> str:
    if not _plausible(text):
        raise IngestError(name, "文件内容不是可读的文字（含大量乱码或控制字符），无法导入")
    return text


# ---- docx -------------------------------------------------------------------------------------
def _load_docx(path: Path, limits: IngestLimits) -> str:
    """Paragraphs and tables in document order; a table row becomes one tab-separated line.

    The zip is first decompressed with a byte counter (headers can lie about sizes), and python-docx
    then reads the same bytes from memory; paragraphs are counted as they are read."""
    import io
    import zipfile

    from .limits import read_zip_bounded

    try:
        import docx  # python-docx
        from docx.table import Table
    except ImportError as exc:  # pragma: no cover - dependency
        raise IngestError(path.name, "读取 Word 文件需要 python-docx，请运行 pip install python-docx") from exc
    data = path.read_bytes()
    read_zip_bounded(path.name, data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise IngestError(path.name, "Word 文件已损坏或不是有效的 .docx 文件，请用 Word/WPS 打开后重新另存为 .docx") from exc
    except Exception as exc:  # python-docx/lxml raise several unrelated types on broken parts
        log.debug("docx parse failed for %s: %r", path.name, exc)
        raise IngestError(path.name, "Word 文件已损坏或不是有效的 .docx 文件，请用 Word/WPS 打开后重新另存为 .docx") from exc
    lines: list[str] = []
    counter = LineCounter(path.name, limits)
    for block in document.iter_inner_content():
        new = _table_lines(block) if isinstance(block, Table) else [block.text]
        counter.add("\n".join(new))
        lines.extend(new)
    return "\n".join(lines)


def _table_lines(table) -> list[str]:  # noqa: ANN001 - python-docx Table
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # merged cells repeat
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        rows.append("\t".join(cells))
    return rows


# ---- pdf --------------------------------------------------------------------------------------
def _load_pdf(path: Path, limits: IngestLimits) -> str:
    """Text layer of each page, pages joined by form feeds; scanned PDFs are refused with a hint."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as exc:  # pragma: no cover - dependency
        raise IngestError(path.name, "读取 PDF 需要 pypdf，请运行 pip install pypdf") from exc
    broken = "PDF 文件已损坏或无法解析，请用 PDF 阅读器打开确认，必要时重新导出 PDF"
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(path.name, "PDF 已加密，请先解除密码保护后再导入")
        n_pages = len(reader.pages)
        if n_pages > limits.max_pdf_pages:
            raise IngestError(path.name, f"PDF 共 {n_pages} 页，超过上限 {limits.max_pdf_pages} 页"
                                         "（设置项 XUEFA_MAX_PDF_PAGES），请拆分后再导入，未导入任何内容")
        counter = LineCounter(path.name, limits)
        pages = []
        for page in reader.pages:
            pages.append(_page_text(page))
            counter.add(pages[-1])
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        log.debug("pdf parse failed for %s: %r", path.name, exc)
        raise IngestError(path.name, broken) from exc
    if not pages:
        raise IngestError(path.name, broken)
    scanned = [i for i, p in enumerate(pages) if len("".join(p.split())) < 10]
    if scanned:
        from .ocr import ocr_pdf_page

        for i in scanned:  # pages without a text layer: scanned images, read by the bundled OCR model
            pages[i] = ocr_pdf_page(reader.pages[i])
        _LAST_OCR.pages = [i + 1 for i in scanned]
    chars = sum(len("".join(p.split())) for p in pages)
    if chars < 10 * len(pages):
        raise IngestError(path.name, "PDF 没有文字层，文字识别（OCR）也没有识别出足够的文字；"
                                     "请确认扫描件清晰，或使用可复制文字的 PDF/Word 版本")
    return "\f".join(pages)


def _page_text(page) -> str:  # noqa: ANN001 - pypdf PageObject
    """Layout mode keeps first-line indents as leading spaces (the best sign a 款 starts there);
    plain mode is the fallback for pages the layout engine cannot handle."""
    try:
        text = page.extract_text(extraction_mode="layout")
    except Exception as exc:  # noqa: BLE001 - pypdf's layout mode fails on odd fonts; plain mode may not
        log.debug("pdf layout extraction failed, using plain mode: %r", exc)
        text = None
    if not text or not text.strip():
        text = page.extract_text() or ""
    return text


# ---- html -------------------------------------------------------------------------------------
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
               "article", "header", "footer", "blockquote", "pre", "ul", "ol", "dd", "dt", "title", "hr"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe"}


def _load_html(path: Path, limits: IngestLimits) -> str:  # noqa: ARG001 - the size is already checked
    data = path.read_bytes()
    m = _META_CHARSET_RE.search(data[:4096])
    declared = m.group(1).decode("ascii", "ignore").lower() if m else None
    if declared in ("gb2312", "gbk"):
        declared = "gb18030"
    markup = decode_bytes(data, path.name, declared=declared)
    try:
        import bs4  # noqa: F401
    except ImportError:
        return html_to_text_stdlib(markup)
    return html_to_text_bs4(markup)


def html_to_text_bs4(markup: str) -> str:
    """Visible text with one line per block element; scripts, styles and <head> dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(list(_SKIP_TAGS)):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.name == "br":
            tag.replace_with("\n")
        elif tag.name in ("td", "th"):
            tag.insert_after("\t")
        elif tag.name in _BLOCK_TAGS:
            tag.insert_before("\n")
            tag.insert_after("\n")
    return _tidy_html_text(soup.get_text())


def html_to_text_stdlib(markup: str) -> str:
    """The same as `html_to_text_bs4` with only the standard library (bs4 is optional)."""
    from html.parser import HTMLParser

    class _Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002
            if tag in _SKIP_TAGS:
                self.skip += 1
            elif tag in ("td", "th"):
                pass
            elif tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_startendtag(self, tag: str, attrs: list) -> None:  # noqa: ARG002
            if tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in _SKIP_TAGS:
                self.skip = max(0, self.skip - 1)
            elif tag in ("td", "th"):
                self.parts.append("\t")
            elif tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = _Parser()
    parser.feed(markup)
    parser.close()
    return _tidy_html_text("".join(parser.parts))


def _tidy_html_text(text: str) -> str:
    """Source line breaks inside HTML are not text; block boundaries (already newlines) are."""
    lines = []
    for line in text.split("\n"):
        line = line.replace("\xa0", " ").strip(" \t\r")
        if line:
            lines.append(line)
    return "\n".join(lines)
