"""Markdown from a brief's outline: one block quote per quoted article, its citation in bold above it."""

from __future__ import annotations

from .outline import Block


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def render_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "title":
            out.extend([f"# {b.text}", ""])
        elif b.kind == "meta":
            out.extend([b.text, ""])
        elif b.kind == "notice":
            out.extend([f"**提示：**{b.text}", ""])
        elif b.kind == "heading":
            out.extend([f"## {b.text}", ""])
        elif b.kind == "quote":
            out.extend([f"**{b.label}**", ""])
            out.append("\n>\n".join("> " + line for line in b.text.split("\n")))
            out.append("")
        elif b.kind == "table":
            out.append("| " + " | ".join(b.header) + " |")
            out.append("| " + " | ".join("---" for _ in b.header) + " |")
            out.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in b.rows)
            out.append("")
        elif b.kind == "question":
            out.extend([f"{b.label}. {b.text}", ""])
        elif b.kind == "answer":
            out.extend([f"   {b.text}", ""])
        elif b.kind == "sign":
            out.extend([f"**{b.text}**", ""])
        else:  # para, closing
            out.extend([b.text, ""])
    return "\n".join(out).rstrip() + "\n"
