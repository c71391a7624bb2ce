"""The one module that imports python-docx: a tiny writer with Chinese fonts set.

Callers build documents through `WordWriter` and never touch python-docx themselves."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

BODY_FONT = "仿宋"  # 公文 body font; falls back gracefully where missing
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"


class _Saved:
    """Writing the document out, shared by both writers."""

    _doc: object

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


class WordWriter(_Saved):
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



# ---- official documents (GB/T 9704 党政机关公文格式) -----------------------------------------------------------
# fonts with what Word should use where they are not installed (w:altName in the font table)
OFFICIAL_FONTS = {
    "title": ("方正小标宋简体", "华文中宋"),
    "heading": ("黑体", "SimHei"),
    "body": ("仿宋_GB2312", "仿宋"),
    "楷体": ("楷体_GB2312", "楷体"),
}
_BODY_PT, _TITLE_PT, _HEADING_PT = 16, 22, 16  # 三号 body and headings, 二号 title


class OfficialDocument(_Saved):
    """A4, GB/T 9704 margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), 方正小标宋/黑体/仿宋 with
    fallbacks, black headings, centred page numbers (— 1 —), tables with set column widths."""

    def __init__(self):
        from docx import Document
        from docx.shared import Mm, Pt

        self._doc = Document()
        section = self._doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self._doc.styles["Normal"]
        WordWriter._set_font(normal, OFFICIAL_FONTS["body"][0], Pt(_BODY_PT))
        normal.paragraph_format.line_spacing = Pt(28)
        for level in range(1, 4):
            style = self._doc.styles[f"Heading {level}"]
            WordWriter._set_font(style, OFFICIAL_FONTS["heading"][0], Pt(_HEADING_PT))
            style.font.bold = False
            style.font.color.rgb = _black()
        self._fallbacks()
        self._page_numbers(section)

    def _fallbacks(self) -> None:
        """Font-table entries naming a fallback for each 公文 font that may be missing on the reader's machine."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls, qn

        part = next((p for p in self._doc.part.package.iter_parts() if p.partname.endswith("fontTable.xml")), None)
        if part is None:
            return
        root = part.element if hasattr(part, "element") else parse_xml(part.blob)
        have = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
        for name, alt in OFFICIAL_FONTS.values():
            if name not in have:
                root.append(parse_xml(f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                                      f'<w:charset w:val="86"/><w:family w:val="auto"/></w:font>'))
        if not hasattr(part, "element"):
            from lxml import etree

            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    @staticmethod
    def _page_numbers(section) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("— ")
        p._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        p.add_run(" —")
        for run in p.runs:
            WordWriter._set_font(run, "宋体", None)

    def _run(self, p, text: str, font: str, size_pt: float | None = None, bold: bool = False):
        from docx.shared import Pt

        run = p.add_run(text)
        run.bold = bold
        WordWriter._set_font(run, font, Pt(size_pt) if size_pt else None)
        return run

    def title(self, text: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self._doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = None
        self._run(p, text, OFFICIAL_FONTS["title"][0], _TITLE_PT)

    def heading(self, text: str, level: int = 1) -> None:
        h = self._doc.add_heading("", level=level)
        run = self._run(h, text, OFFICIAL_FONTS["heading"][0], _HEADING_PT)
        run.font.color.rgb = _black()

    def paragraph(self, text: str, bold: bool = False, center: bool = False, right: bool = False,
                  font: str | None = None, size_pt: float | None = None, indent: bool = True) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        p = self._doc.add_paragraph()
        if center or right:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.RIGHT
        elif indent:
            p.paragraph_format.first_line_indent = Pt(_BODY_PT * 2)
        else:  # exam items, options: flush left, a readable line height for 四号
            p.paragraph_format.line_spacing = Pt((size_pt or _BODY_PT) * 1.6)
        name = OFFICIAL_FONTS.get(font, (font,))[0] if font else OFFICIAL_FONTS["body"][0]
        self._run(p, text, name, size_pt, bold)

    def quote(self, text: str) -> None:
        """A verbatim article, one paragraph per 款/项, in 楷体."""
        from docx.shared import Pt

        for line in text.split("\n"):
            p = self._doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(_BODY_PT * 2)
            self._run(p, line, OFFICIAL_FONTS["楷体"][0])

    def table(self, header, rows, widths_cm=None) -> None:
        from docx.shared import Cm, Pt

        t = self._doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        t.autofit = False
        all_rows = [t.rows[0].cells]
        for cell, text in zip(t.rows[0].cells, header):
            self._run(cell.paragraphs[0], str(text), OFFICIAL_FONTS["heading"][0], 12)
        for row in rows:
            cells = t.add_row().cells
            all_rows.append(cells)
            for cell, text in zip(cells, row):
                self._run(cell.paragraphs[0], "" if text is None else str(text), OFFICIAL_FONTS["body"][0], 12)
        for cells in all_rows:
            for cell in cells:
                cell.paragraphs[0].paragraph_format.line_spacing = Pt(18)
                cell.paragraphs[0].paragraph_format.first_line_indent = None
        if widths_cm:
            for col, width in zip(t.columns, widths_cm):
                col.width = Cm(width)
                for cell in col.cells:
                    cell.width = Cm(width)



def _black():
    from docx.shared import RGBColor

    return RGBColor(0, 0, 0)
