"""Markdown from a brief's outline: one block quote per quoted article, its citation in bold above it.

Every text from the outline goes through `md_text`: statutes are quoted verbatim, so Markdown or HTML in
them (`![x](http://…)`, `**…**`) must show as the characters it is, never as an image or emphasis;
`parse_markdown` undoes the escaping (`md_unescape`) on the way back to Word."""

from __future__ import annotations

import dataclasses
import re

from assistant.textsafe import md_text as _md
from assistant.textsafe import md_unescape

from .outline import Block


def _cell(text: str) -> str:
    return _md(text.replace("|", "｜").replace("\n", " "))


# one-line blocks: how each is written
_LINE = {"title": "# {text}", "meta": "{text}", "notice": "**提示：**{text}", "heading": "## {text}",
         "question": "{label}. {text}", "point": "- {text}", "answer": "   {text}", "sign": "**{text}**"}


def render_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind in _LINE:
            out.extend([_LINE[b.kind].format(text=_md(b.text), label=_md(b.label)), ""])
        elif b.kind == "quote":
            out.extend([f"**{_md(b.label)}**", ""])
            out.append("\n>\n".join("> " + _md(line) for line in b.text.split("\n")))
            out.append("")
        elif b.kind == "table":
            out.append("| " + " | ".join(_cell(h) for h in b.header) + " |")
            out.append("| " + " | ".join("---" for _ in b.header) + " |")
            out.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in b.rows)
            out.append("")
        else:  # para, closing
            out.extend([_md(b.text), ""])
    return "\n".join(out).rstrip() + "\n"


_LABEL = re.compile(r"^\*\*(《[^》]+》[^*]*)\*\*$")
_QUESTION = re.compile(r"^(\d+)\.\s+(.+)$")
_META = re.compile(r"^(?:编制单位：|\d{4}年\d{1,2}月\d{1,2}日)")


def parse_markdown(text: str) -> list[Block]:
    """Blocks back from a brief's Markdown, as edited in the web app (for the Word of the approved version).

    Knows the shapes `render_markdown` writes; anything else becomes a paragraph, so an edit never fails."""
    from .outline import CLOSING, LAW_TABLE, LAW_TABLE_WIDTHS_CM

    lines = (text or "").replace("\r\n", "\n").split("\n")
    out: list[Block] = []
    i, label = 0, None
    while i < len(lines):
        line = lines[i].rstrip()
        s = line.strip()
        i += 1
        if not s:
            continue
        if s.startswith("> "):
            quote = [s[2:]]
            while i < len(lines) and lines[i].strip().startswith(">"):
                part = lines[i].strip()[1:].strip()
                if part:
                    quote.append(part)
                i += 1
            out.append(Block("quote", "\n".join(quote), label=label or ""))
            label = None
            continue
        if label is not None:  # a bold citation with no quotation under it
            out.append(Block("para", label))
            label = None
        if s.startswith("# ") and not out:
            out.append(Block("title", s[2:].strip()))
        elif s.startswith("#"):
            out.append(Block("heading", s.lstrip("#").strip()))
        elif s.startswith("**提示：**"):
            out.append(Block("notice", s[len("**提示：**"):]))
        elif s.startswith("**审核："):
            out.append(Block("sign", s.strip("*")))
        elif _LABEL.match(s):
            label = _LABEL.match(s).group(1)
        elif s.startswith("|"):
            rows = [s]
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i].strip())
                i += 1
            cells = [tuple(c.strip() for c in r.strip("|").split("|")) for r in rows]
            cells = [c for c in cells if not all(re.fullmatch(r":?-{3,}:?", x) for x in c)]
            header, body = cells[0], tuple(cells[1:])
            out.append(Block("table", header=header, rows=body,
                             widths=LAW_TABLE_WIDTHS_CM if header == LAW_TABLE else ()))
        elif _QUESTION.match(s) and any(b.kind == "heading" and "思考题" in b.text for b in out):
            m = _QUESTION.match(s)
            out.append(Block("question", m.group(2), label=m.group(1)))
        elif s.startswith("参考：") and out and out[-1].kind == "question":
            out.append(Block("answer", s))
        elif s.startswith("- "):
            n = sum(1 for b in out if b.kind == "point") + 1
            out.append(Block("point", s[2:], label=str(n)))
        elif md_unescape(s) == CLOSING:
            out.append(Block("closing", s))
        elif _META.match(s) and out and out[-1].kind == "title":
            out.append(Block("meta", s))
        else:
            out.append(Block("para", s))
    if label is not None:
        out.append(Block("para", label))
    return [_plain(b) for b in out]


def _plain(b: Block) -> Block:
    """A parsed block with the Markdown escapes of `render_markdown` undone."""
    return dataclasses.replace(b, text=md_unescape(b.text), label=md_unescape(b.label),
                               header=tuple(md_unescape(h) for h in b.header),
                               rows=tuple(tuple(md_unescape(c) for c in r) for r in b.rows))
