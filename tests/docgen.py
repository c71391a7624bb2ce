"""Turn the shared Markdown regulations into the files real users bring: docx, PDF, GBK txt, html.

The generated documents carry the usual mess on purpose: full-width/ideographic spaces after 第N条,
articles split over two docx paragraphs mid-sentence, a table of contents, PDF pages with a running
header, page numbers and hard line breaks inside articles. Tests then check that every format
parses to the same article texts as the Markdown source.

Needs a Chinese TTF/TTC font for the PDF (fonts-wqy-microhei: /usr/share/fonts/truetype/wqy/wqy-microhei.ttc).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "local"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)

# Articles per regulation, counted from the `^第…条` lines of the Markdown sources.
EXPECTED_COUNTS = {
    "山东省东平湖保护条例": 32,
    "山东省安全生产条例": 80,
    "山东省法治宣传教育条例": 35,
    "中华人民共和国政府信息公开条例": 56,
    "泰安市文明行为促进条例": 53,
    "重大行政决策程序暂行条例": 44,
}

_ARTICLE_LINE_RE = re.compile(r"^(第[一二三四五六七八九十百千零]+条(?:之[一二三四五六七八九十]+)?)\s+(.*)$")


def missing_shared(what: Path) -> None:
    """../shared is beside the repository in CI: there its absence is a failure, elsewhere a skip."""
    import os

    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing: CI must run with ../shared beside the repository")
    pytest.skip(f"{what} not found (../shared is not beside the repository)")


def corpus_files() -> list[Path]:
    """The shared Markdown regulations; skips the calling test when ../shared is absent (fails under CI)."""
    files = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
    if not files:
        missing_shared(CORPUS)
    return files


def corpus_file(stem_part: str) -> Path:
    for f in corpus_files():
        if stem_part in f.name:
            return f
    missing_shared(CORPUS / stem_part)
    raise AssertionError  # unreachable


def find_cjk_font() -> Path | None:
    """A font fpdf2 can embed for Chinese text, or None."""
    for cand in FONT_CANDIDATES:
        if Path(cand).is_file():
            return Path(cand)
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            path = line.split(":")[0].strip()
            if path.lower().endswith((".ttf", ".ttc")):
                return Path(path)
    return None


@dataclass
class Article:
    label: str
    paragraphs: list[str]  # 款 and 项 lines, verbatim from the Markdown


@dataclass
class Source:
    """A Markdown regulation read naively (independently of ingest.structure)."""

    title: str
    meta: list[str] = field(default_factory=list)
    blocks: list[tuple[str, object]] = field(default_factory=list)  # ("heading", str) | ("article", Article)

    @property
    def articles(self) -> list[Article]:
        return [b for kind, b in self.blocks if kind == "article"]  # type: ignore[misc]

    @property
    def headings(self) -> list[str]:
        return [b for kind, b in self.blocks if kind == "heading"]  # type: ignore[misc]


def read_source(path: Path) -> Source:
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    src = Source(title="")
    in_meta = True
    for ln in lines:
        if not ln:
            continue
        if ln.startswith("# ") and not src.title:
            src.title = ln[2:].strip()
        elif ln.startswith("<!--"):
            in_meta = False
        elif in_meta:
            src.meta.append(ln)
        elif ln.startswith("#"):
            src.blocks.append(("heading", " ".join(ln.lstrip("#").split())))
        elif m := _ARTICLE_LINE_RE.match(ln):
            src.blocks.append(("article", Article(m.group(1), [m.group(2)])))
        else:
            src.articles[-1].paragraphs.append(ln)
    return src


def expected_text(article: Article) -> str:
    """What the parser must store for this article: 款/项 lines joined by newlines."""
    return "\n".join(article.paragraphs)


_SEPARATORS = ("\u3000", "\u3000\u3000", " ", "\xa0\u3000", "\t")


def _split_point(text: str) -> int | None:
    """A mid-sentence position to break a paragraph at (never right after 。；：)."""
    if len(text) < 40:
        return None
    mid = len(text) // 2
    for i in range(mid, len(text) - 5):
        if text[i - 1] == "，":
            return i
    return mid if text[mid - 1] not in "。；：" else None


def to_docx(md: Path, out: Path) -> Path:
    """A Word file: centred title, dates in parentheses, 目录, articles with full-width spaces, splits."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    src = read_source(md)
    doc = docx.Document()
    doc.add_paragraph(src.title).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("（" + "　".join(src.meta) + "）").alignment = WD_ALIGN_PARAGRAPH.CENTER
    if src.headings:
        doc.add_paragraph("目　　录")
        for h in src.headings:
            doc.add_paragraph(h.replace(" ", "　"))
    for i, (kind, block) in enumerate(src.blocks):
        if kind == "heading":
            doc.add_paragraph(str(block).replace(" ", "　")).alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        assert isinstance(block, Article)
        sep = _SEPARATORS[i % len(_SEPARATORS)]
        for j, para in enumerate(block.paragraphs):
            text = f"{block.label}{sep}{para}" if j == 0 else para
            if i % 3 == 0 and j > 0:
                text = "\u3000\u3000" + text  # indent typed as ideographic spaces
            cut = _split_point(text) if i % 4 == 1 else None
            if cut:  # one paragraph split in two mid-sentence, as happens after editing in Word
                doc.add_paragraph(text[:cut])
                doc.add_paragraph(text[cut:])
            else:
                doc.add_paragraph(text)
        if i % 7 == 0:
            doc.add_paragraph("")
    doc.save(str(out))
    return out


def to_pdf(md: Path, out: Path, font: Path, *, header: str | None = None, indent: str = "chars",
           page_label: str = "- {n} -") -> Path:
    """A PDF with a text layer: running header (the title by default), page numbers, 款 wrapped at ~40 chars.

    indent: "chars" types two ideographic spaces before each 款 (common in Chinese office files);
    "offset" moves the first line right as Word's first-line indent does (no characters in the text).
    """
    from fpdf import FPDF

    src = read_source(md)

    class _Pdf(FPDF):
        def header(self) -> None:
            self.set_font("cjk", size=9)
            self.cell(0, 6, header or src.title, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)
            self.set_font("cjk", size=12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("cjk", size=9)
            self.cell(0, 8, page_label.format(n=self.page_no()), align="C")
            self.set_font("cjk", size=12)

    pdf = _Pdf(format="A4")
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(True, margin=20)
    kwargs = {"collection_font_number": 0} if font.suffix.lower() == ".ttc" else {}
    pdf.add_font("cjk", fname=str(font), **kwargs)
    pdf.set_font("cjk", size=12)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    line_h = 7.0

    def write(text: str, align: str = "L", offset: float = 0.0) -> None:
        for k, line in enumerate(_wrap(pdf, text, width, first_offset=offset)):
            if k == 0 and offset:
                pdf.set_x(pdf.l_margin + offset)
            pdf.cell(width - (offset if k == 0 else 0), line_h, line, align=align, new_x="LMARGIN", new_y="NEXT")

    write(src.title, "C")
    write("（" + "　".join(src.meta) + "）")
    if src.headings:
        write("目　　录", "C")
        for h in src.headings:
            write(h.replace(" ", "　") + " ……… " + "1")
    for kind, block in src.blocks:
        if kind == "heading":
            write(str(block).replace(" ", "　"), "C")
            continue
        assert isinstance(block, Article)
        for j, para in enumerate(block.paragraphs):
            text = f"{block.label}\u3000{para}" if j == 0 else para
            if indent == "chars":
                write("\u3000\u3000" + text)
            else:
                write(text, offset=pdf.get_string_width("\u3000\u3000"))
    pdf.output(str(out))
    return out


_NO_LINE_START = "，。、；：？！）》”’"


def _wrap(pdf, text: str, width: float, first_offset: float = 0.0) -> list[str]:  # noqa: ANN001 - fpdf.FPDF
    """Character-level wrapping as Chinese typesetting does it (punctuation may hang at a line end)."""
    lines: list[str] = []
    line, used = "", 0.0
    cache: dict[str, float] = pdf.__dict__.setdefault("_char_widths", {})
    for ch in text:
        w = cache.get(ch)
        if w is None:
            w = cache[ch] = pdf.get_string_width(ch)
        avail = width - (first_offset if not lines else 0.0)
        if line and used + w > avail and ch not in _NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


def subset_font(font: Path, out_dir: Path, extra: str = "") -> Path:
    """A small TTF with only the characters the generated PDFs use: embedding the 5 MB TTC in every
    PDF costs seconds each; the subset takes milliseconds."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = set(extra) | {chr(c) for c in range(0x20, 0x7f)} | set("\u3000（）：；，。、“”…—·《》！？")
    for md in sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []:
        chars |= set(md.read_text(encoding="utf-8"))
    chars |= set("目录页第一二三四五六七八九十百千零山东省人民代表大会常务委员会公报")
    tt = TTFont(str(font), fontNumber=0) if font.suffix.lower() == ".ttc" else TTFont(str(font))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(text="".join(sorted(c for c in chars if c.isprintable() or c == "\u3000")))
    sub.subset(tt)
    out = out_dir / "cjk-subset.ttf"
    tt.save(str(out))
    return out


def to_gbk_txt(md: Path, out: Path) -> Path:
    """A plain-text export as Windows tools save it: GBK, CRLF, 全角 spaces after 第N条."""
    src = read_source(md)
    rows = [src.title, *src.meta, ""]
    for kind, block in src.blocks:
        if kind == "heading":
            rows += ["", str(block), ""]
        else:
            assert isinstance(block, Article)
            rows.append(f"{block.label}　{block.paragraphs[0]}")
            rows += [f"　　{p}" for p in block.paragraphs[1:]]
    out.write_bytes("\r\n".join(rows).encode("gbk"))
    return out


def to_html(md: Path, out: Path, encoding: str = "utf-8") -> Path:
    """A web page: <title>, a script and a style to ignore, one <p> per 款, &nbsp; after 第N条."""
    src = read_source(md)
    charset = "gbk" if encoding.lower() in ("gbk", "gb18030") else encoding
    parts = [f'<html><head><meta charset="{charset}"><title>{html.escape(src.title)}</title>',
             "<style>p { text-indent: 2em; }</style><script>var x = '第九十九条 不是条文';</script></head>",
             f"<body><h1>{html.escape(src.title)}</h1>"]
    parts += [f"<p>{html.escape(m)}</p>" for m in src.meta]
    for kind, block in src.blocks:
        if kind == "heading":
            parts.append(f"<h2>{html.escape(str(block))}</h2>")
        else:
            assert isinstance(block, Article)
            first, *rest = block.paragraphs
            parts.append(f"<p><strong>{block.label}</strong>&nbsp;&nbsp;{html.escape(first)}</p>")
            parts += [f"<p>{html.escape(p)}</p>" for p in rest]
    parts.append("<footer><script>track();</script></footer></body></html>")
    out.write_bytes("\n".join(parts).encode(encoding))
    return out
