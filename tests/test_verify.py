"""The citation verifier on plain text: verified / not_found / beyond_end / misquoted (repealed: tests/test_qa.py)."""

from __future__ import annotations

from knowledge.verify import BEYOND_END, MISQUOTED, NOT_FOUND, VERIFIED, attach_quotes, quote_in, verify_text


def _one(kb, text, context=None):
    checks = verify_text(kb, text, context=context)
    assert len(checks) == 1, [c.to_json() for c in checks]
    return checks[0]


def test_verified_with_quote_and_short_name(kb_small):
    art = kb_small.lookup("监察法", 15)[1]
    first = art.text.split("\n")[0]
    c = _one(kb_small, f"根据监察法第十五条规定：“{first}”，……")
    assert c.status == VERIFIED, c.message
    assert c.law == "中华人民共和国监察法" and c.article == 15
    assert c.text == art.text


def test_quote_before_reference_and_ellipsis(kb_small):
    art = kb_small.lookup("宪法", 33)[1]
    c = _one(kb_small, "“国家尊重和保障人权。”（《中华人民共和国宪法》第三十三条第三款）")
    assert c.status == VERIFIED and c.paragraph == 3
    assert c.text == art.paragraph_text(3)
    lines = art.text.split("\n")
    text = f"《宪法》第三十三条规定：“{lines[0][:8]}……{lines[1][-10:]}”"
    assert _one(kb_small, text).status == VERIFIED


def test_misquoted_sentence(kb_small):
    c = _one(kb_small, "《中华人民共和国监察法》第十五条规定：“监察机关只对党员领导干部进行监察。”")
    assert c.status == MISQUOTED
    assert "不见于" in c.message


def test_quote_from_another_paragraph_is_misquoted(kb_small):
    c = _one(kb_small, "《宪法》第三十三条第一款规定：“国家尊重和保障人权。”")
    assert c.status == MISQUOTED and "其他款项" in c.message


def test_invented_law_and_article(kb_small):
    assert _one(kb_small, "依据《某某市养犬管理条例》第三条，每户限养一只。").status == NOT_FOUND
    c = _one(kb_small, "《中华人民共和国监察法》第一百二十条规定了监察官的晋升。")
    assert c.status == BEYOND_END and "共" in c.message
    c = _one(kb_small, "《中华人民共和国宪法》第三十三条第九款")
    assert c.status == NOT_FOUND and "第九款" in c.message


def test_several_references_and_context(kb_small):
    checks = verify_text(kb_small, "见《监察法》第十五条、第十六条。本法第九百条另有规定。")
    assert [(c.article, c.status) for c in checks] == [(15, VERIFIED), (16, VERIFIED), (900, BEYOND_END)]
    assert verify_text(kb_small, "没有任何引用的文字。") == []


def test_local_regulation_short_name(kb_small):
    from tests.conftest import shared_corpus

    shared_corpus()
    law = kb_small.resolve_law("东平湖保护条例")
    assert law is not None
    c = _one(kb_small, "东平湖保护条例第一条")
    assert c.status == VERIFIED and c.source == "local"


def test_quote_helpers():
    assert quote_in("国家尊重和保障人权", "国家尊重和保障人权。")
    assert quote_in("国家  尊重……人权。", "国家尊重和保障人权。")
    assert not quote_in("国家保障人权", "国家尊重和保障人权。")
    from knowledge.citations import find_references

    text = "《宪法》第一条规定：“甲乙丙丁”。另见“无关的话”。"
    refs = find_references(text)
    assert attach_quotes(text, refs) == {0: ["甲乙丙丁"]}
