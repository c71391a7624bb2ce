"""Word output of a brief, drawn from the same outline as the Markdown, through `assistant.export.word`."""

from __future__ import annotations

from pathlib import Path

from .outline import build_outline


def _fill(blocks):
    from assistant.export.word import OfficialDocument

    doc = OfficialDocument()
    for b in blocks:
        if b.kind == "title":
            doc.title(b.text)
        elif b.kind == "meta":
            doc.paragraph(b.text, center=True, font="楷体")
        elif b.kind == "notice":
            doc.paragraph("提示：" + b.text, bold=True)
        elif b.kind == "heading":
            doc.heading(b.text)
        elif b.kind == "quote":
            doc.paragraph(b.label, bold=True)
            doc.quote(b.text)
        elif b.kind == "table":
            doc.table(b.header, b.rows, widths_cm=b.widths)
        elif b.kind == "point":
            doc.paragraph(f"{b.label}. {b.text}")
        elif b.kind == "question":
            doc.paragraph(f"{b.label}. {b.text}", bold=True)
        elif b.kind == "sign":
            doc.paragraph(b.text, right=True)
        elif b.kind == "closing":
            doc.paragraph(b.text, font="楷体", size_pt=12)
        else:
            doc.paragraph(b.text)
    return doc


def blocks_docx(blocks, path: Path | str) -> Path:
    """Outline blocks as an official-style Word document: A4, GB/T 9704 margins, 公文 fonts, page numbers."""
    return _fill(blocks).save(path)


def brief_docx(brief, path: Path | str) -> Path:
    return blocks_docx(build_outline(brief), path)


def brief_docx_bytes(brief) -> bytes:
    return _fill(build_outline(brief)).to_bytes()
