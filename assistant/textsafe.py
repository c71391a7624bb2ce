"""Text that a Markdown pane shows literally.

Statute and document text is quoted as verbatim, so it must never be interpreted: `![x](http://…)` in an
ingested file would otherwise become an <img> the browser fetches (a tracking pixel), `**…**` would turn
into bold and the quote would no longer be the text. Every piece of document, answer or user text that
goes into Markdown passes through `md_text`; the Markdown around it (headings, quotes) is ours."""

from __future__ import annotations

import re

# ASCII punctuation that CommonMark/GFM (and Gradio's LaTeX delimiters) act on; CommonMark lets any ASCII
# punctuation be backslash-escaped, so escaping too much is harmless, escaping too little is not.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>=$:@\"'^/])")
_LEADING = re.compile(r"^[ \t]+", re.M)


def md_text(text: object) -> str:
    """`text` escaped for Markdown: no HTML, no emphasis, links, images, lists, headings, code or autolinks."""
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;")
    s = _SPECIAL.sub(r"\\\1", s)
    # leading blanks would make an indented code block; as character references they are only spaces
    return _LEADING.sub(lambda m: "&#32;" * len(m.group(0).expandtabs(4)), s)


def md_lines(text: object, prefix: str = "") -> str:
    """Multi-line text, each line escaped and given `prefix` (e.g. "> " for a block quote)."""
    return "\n".join(prefix + md_text(line) for line in ("" if text is None else str(text)).split("\n"))


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def md_unescape(text: object) -> str:
    """The text `md_text` escaped, back (for Markdown parsed again, e.g. an edited brief going to Word)."""
    s = "" if text is None else str(text)
    s = _ESCAPED.sub(r"\1", s.replace("&#32;", " "))
    return s.replace("&lt;", "<").replace("&amp;", "&")
