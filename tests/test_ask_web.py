"""The chat tab's answer rendering: the lead sentence first, article texts once (in the panel, with the cited
款/项 highlighted), related articles folded, citation chips that open the article with the unit marked."""

from __future__ import annotations

import re

from tests.test_web_handlers import _ctx


def test_chat_leads_with_the_cited_paragraph_and_shows_texts_once(services_small, tmp_path):
    from assistant.web import handlers as h

    ctx = _ctx(services_small, tmp_path)
    user = ctx.user(None)
    ans = services_small.answerer.answer("监察机关对哪些人员进行监察？")
    assert ans.lead is not None and ans.lead.cite.startswith("《中华人民共和国监察法》第十五条")
    md = h.answer_markdown(ans)
    assert md.startswith(f"**依据{ans.lead.cite}**：")
    # the chat message carries the lead only once and no other article's text
    assert md.count(ans.lead.text.split("\n")[0]) == 1
    for c in ans.citations[1:]:
        assert c.text.split("\n")[0] not in md
    panel = h.citations_html(ans)
    related = [c for c in ans.citations if c.role == "related"]
    if related:
        assert "<details" in panel and panel.index("<details") < panel.index(h.esc(related[0].cite))
    chips = h.citation_choices(ans)
    assert chips and chips[0][1].startswith(f"{ans.citations[0].law_id}|15|0|")


def test_chip_opens_the_article_with_the_cited_paragraph_marked(services_small, tmp_path):
    from assistant.web import handlers as h

    ctx = _ctx(services_small, tmp_path)
    user = ctx.user(None)
    ans = services_small.answerer.answer("宪法第三十三条第三款讲的是什么")
    key = h.citation_choices(ans)[0][1]
    assert key.endswith("|3|")
    page = h.article_html(ctx, user, key)
    marked = re.findall(r'<mark class="xf-mark">(.*?)</mark>', page)
    assert marked == ["国家尊重和保障人权。"]
    panel = h.citations_html(ans)
    assert '<mark class="xf-mark">国家尊重和保障人权。</mark>' in panel
    # an old three-part key still opens the article, nothing marked
    plain = h.article_html(ctx, user, key.rsplit("|", 2)[0])
    assert "xf-focus" in plain and "<mark" not in plain


def test_declined_answer_in_chat_does_not_repeat_the_nearest_texts(services_small, tmp_path):
    from assistant.web import handlers as h

    ans = services_small.answerer.answer("某市养犬管理条例规定一户只能养几条狗")  # off-topic ones list none
    assert not ans.supported and ans.nearest
    md = h.answer_markdown(ans)
    assert md.startswith("知识库中未找到明确依据")
    assert all(c.text[:30] not in md for c in ans.nearest)
    assert "最接近的条文" in h.citations_html(ans)
