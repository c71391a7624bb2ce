"""The one module that imports python-docx: a tiny writer with Chinese fonts set.

Callers build documents through `WordWriter` and never touch python-docx themselves."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

BODY_FONT = "仿宋"  # 公文 body font; falls back gracefully where missing
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"


class WordWriter:
    """Builds one .docx: title, headings, paragraphs, quotes, tables."""

    def __init__(self, title: str | None = None):
        from docx import Document
        from docx.shared import Pt

        self._doc = Document()
        normal = self._doc.styles["Normal"]
        self._set_font(normal, BODY_FONT, Pt(12))
        for level in range(1, 4):
            self._set_font(self._doc.styles[f"Heading {level}"], HEADING_FONT, None)
        if title:
            self.title(title)

    @staticmethod
    def _set_font(style_or_run, east_asian: str, size) -> None:
        from docx.oxml.ns import qn

        font = style_or_run.font
        font.name = east_asian
        if size is not None:
            font.size = size
        element = style_or_run.element
        rpr = element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
            rfonts.set(qn(attr), east_asian)

    def title(self, text: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        p = self._doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True
        self._set_font(run, TITLE_FONT, Pt(20))

    def heading(self, text: str, level: int = 1) -> None:
        h = self._doc.add_heading(text, level=level)
        for run in h.runs:
            self._set_font(run, HEADING_FONT, None)

    def paragraph(self, text: str, bold: bool = False, center: bool = False) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self._doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = bold
        self._set_font(run, BODY_FONT, None)

    def quote(self, text: str) -> None:
        """An indented verbatim quotation (article text)."""
        from docx.shared import Cm

        for line in text.split("\n"):
            p = self._doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(1)
            run = p.add_run(line)
            self._set_font(run, "楷体", None)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        t = self._doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, header):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(text))
            run.bold = True
            self._set_font(run, HEADING_FONT, None)
        for row in rows:
            cells = t.add_row().cells
            for cell, text in zip(cells, row):
                cell.text = ""
                self._set_font(cell.paragraphs[0].add_run("" if text is None else str(text)), BODY_FONT, None)

    def page_break(self) -> None:
        self._doc.add_page_break()

    def save(self, path: Path | str) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._doc.save(str(path))
        return path

    def to_bytes(self) -> bytes:
        import io

        buf = io.BytesIO()
        self._doc.save(buf)
        return buf.getvalue()
