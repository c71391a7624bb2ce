"""Document text in Markdown panes renders as the text itself (checked with a real CommonMark renderer here;
tests/test_browser_safety.py checks Gradio's own renderer in Chromium)."""

from __future__ import annotations

import html
import re

import pytest

from assistant.textsafe import md_lines, md_text

NASTY = [
    "![x](http://203.0.113.9/x.png)",
    "第一条 **加粗**的条文_强调_和`代码`",
    "<img src=http://203.0.113.9/a.png onerror=alert(1)>&amp; &lt;",
    "[链接](javascript:alert(1)) 和 <http://203.0.113.9/> 以及 http://203.0.113.9/x www.example.com",
    "# 不是标题",
    "1. 不是列表",
    "- 也不是列表",
    "> 不是引用",
    "| 表 | 格 |\n| --- | --- |\n| 1 | 2 |",
    "    四个空格不是代码块",
    "~~删除线~~ $$x^2$$ \\转义 a@b.com",
    "第一款\n第二款\n（一）第一项",
]


def render(md: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(md)


@pytest.mark.parametrize("text", NASTY)
def test_markdown_renders_the_text_itself(text):
    out = render(md_text(text))
    assert not re.search(r"<(img|a|strong|em|code|pre|h\d|li|ol|ul|table|del|blockquote|script)\b", out), out
    visible = html.unescape(re.sub(r"<[^>]+>", "", out)).strip()
    assert visible == text.strip(), (visible, text)


def test_quoted_lines_keep_our_quote_and_their_text():
    out = render(md_lines("**第一款**\n![x](http://203.0.113.9/x.png)", prefix="> "))
    assert out.startswith("<blockquote>") and "<img" not in out and "<strong>" not in out
    assert "**第一款**" in html.unescape(out)


def test_answer_and_brief_markdown_escape_document_text(kb_factory, tmp_path):
    from ingest.pipeline import ingest_paths

    from assistant.brief import BriefWriter
    from assistant.web.handlers import answer_markdown

    kb = kb_factory(national=())
    doc = tmp_path / "某市河道管理条例.txt"
    doc.write_text("某市河道管理条例\n\n第一条 为了加强河道管理，制定本条例。\n\n"
                   "第二条 河道管理范围内**禁止**倾倒垃圾![x](http://203.0.113.9/x.png)。\n\n"
                   "第三条 本条例自2024年1月1日起施行。\n", encoding="utf-8")
    assert ingest_paths(kb, [doc]).ok
    from assistant.ask import Answerer

    answer = Answerer(kb).answer("河道管理条例第二条")
    assert "![x](http" in answer.text  # the answer quotes the text verbatim …
    shown = render(answer_markdown(answer))
    assert "<img" not in shown and "<strong>禁止</strong>" not in shown  # … and the pane shows it as text
    assert "**禁止**" in html.unescape(shown) and "![x](http://203.0.113.9/x.png)" in html.unescape(shown)

    brief = BriefWriter(kb).write("河道管理", laws=["某市河道管理条例"])
    shown = render(brief.to_markdown())
    assert "203.0.113.9" in html.unescape(shown) and "<img" not in shown
    assert "**禁止**" in html.unescape(shown)
