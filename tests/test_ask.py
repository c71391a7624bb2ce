"""Answerer: offline composer, refusal, follow-ups, and the LLM path with LangChain fake chat models.

Every citation an answer returns must be a stored article whose text it carries verbatim."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.ask import NO_SUPPORT, Answer, Answerer
from knowledge.models import STATUS_HISTORICAL, STATUS_REPEALED, Article, Law


def assert_verbatim(kb, answer: Answer) -> None:
    for c in [*answer.citations, *answer.nearest]:
        art = kb.catalog.article(c.law_id, c.article, c.sub)
        assert art is not None and kb.catalog.law(c.law_id).title == c.law
        assert art.paragraph_text(c.paragraph, c.item) == c.text, c.cite


@pytest.fixture(scope="module")
def offline(kb_small):
    return Answerer(kb_small)


def llm_answerer(kb, text: str) -> Answerer:
    """The compose step only (rewrite and re-rank have their own tests below)."""
    return Answerer(kb, llm=FakeListChatModel(responses=[text]), llm_rewrite=False, llm_rerank=False)


# ---- offline ------------------------------------------------------------------------------------
def test_lookup_cites_the_paragraph_asked_for(offline, kb_small):
    ans = offline.answer("宪法第三十三条第三款讲的是什么")
    assert ans.supported
    c = ans.citations[0]
    assert (c.law, c.article, c.paragraph) == ("中华人民共和国宪法", 33, 3)
    assert c.text == "国家尊重和保障人权。" and c.status == "现行有效" and c.source == "national"
    assert ans.text.startswith("依据《中华人民共和国宪法》第三十三条第三款，国家尊重和保障人权。")
    assert_verbatim(kb_small, ans)


def test_topic_question_is_answered_in_the_articles_words(offline, kb_small):
    ans = offline.answer("收受可能影响公正行使公权力的礼金会受到什么政务处分")
    assert ans.supported and ans.citations
    assert ans.text.startswith(f"依据{ans.citations[0].cite}")
    assert any(c.law == "中华人民共和国公职人员政务处分法" and c.article == 34 for c in ans.citations)
    assert_verbatim(kb_small, ans)
    data = ans.to_json()
    assert {"text", "citations", "supported", "warnings"} <= set(data)
    assert {"law", "article", "paragraph", "item", "status", "effective_date", "text", "source"} <= set(
        data["citations"][0])


@pytest.mark.parametrize("question", ["红烧肉怎么做才好吃？", "明天泰安会不会下雨？", "某市养犬管理条例规定一户只能养几条狗",
                                      "美国宪法第二修正案规定了什么", "英国的《数据保护法》对企业有哪些要求"])
def test_off_topic_gets_the_no_support_reply(offline, kb_small, question):
    ans = offline.answer(question)
    assert not ans.supported and not ans.citations
    assert ans.text.startswith(NO_SUPPORT)
    assert ans.nearest  # still shows the nearest articles
    assert_verbatim(kb_small, ans)


def test_local_regulation_is_marked(offline, kb_small):
    from tests.conftest import shared_corpus

    shared_corpus()
    ans = offline.answer("东平湖保护条例第一条")
    assert ans.supported and ans.citations[0].source == "local"
    assert "地方性" in ans.text


def test_follow_ups_resolve_against_the_previous_turn(offline, kb_small):
    first = offline.answer("宪法第三十三条")
    assert first.focus[0]["article"] == 33
    second = offline.answer("那第三款呢？", history=[first])
    assert (second.citations[0].article, second.citations[0].paragraph) == (33, 3)
    third = offline.answer("第三十四条呢", history=[first, second])
    assert (third.citations[0].law, third.citations[0].article) == ("中华人民共和国宪法", 34)
    # plain chat messages work too
    msgs = [{"role": "user", "content": "宪法第三十三条"}, {"role": "assistant", "content": first.text}]
    assert offline.answer("那第二款呢", history=msgs).citations[0].paragraph == 2


def test_consequence_follow_up_finds_the_liability_article(offline, kb_small):
    first = offline.answer("安全生产法第二十一条")
    assert first.citations[0].article == 21
    ans = offline.answer("违反了会怎样？", history=[first])
    assert ans.supported
    liability = [c for c in ans.citations if c.role == "liability"]
    assert liability and all(c.law == "中华人民共和国安全生产法" for c in liability)
    assert all("法律责任" in (c.chapter or "") for c in liability)
    assert_verbatim(kb_small, ans)


def test_law_option_and_stream(offline):
    assert not offline.answer("监察机关对哪些人员进行监察", law="某某市养犬管理条例").supported
    parts = list(offline.stream("宪法第五条"))
    assert isinstance(parts[-1], Answer) and all(isinstance(p, str) for p in parts[:-1])
    assert "".join(parts[:-1]) == parts[-1].text


# ---- LLM ----------------------------------------------------------------------------------------
def test_correct_llm_answer_passes_and_streams(kb_small):
    art = kb_small.lookup("监察法", 15)[1]
    first = art.text.split("\n")[0]
    text = f"监察机关的监察对象范围由法律明确列举。根据《中华人民共和国监察法》第十五条规定：“{first}”"
    answerer = llm_answerer(kb_small, text)
    parts = list(answerer.stream("监察机关对哪些人员进行监察"))
    assert len(parts) > 2 and isinstance(parts[-1], Answer)
    ans = parts[-1]
    assert ans.mode == "llm" and ans.supported and not ans.warnings
    assert ans.text == text
    assert [(c.law, c.article) for c in ans.citations] == [("中华人民共和国监察法", 15)]
    assert ans.citations[0].text == art.text
    assert_verbatim(kb_small, ans)


def test_llm_prompt_gives_numbered_articles_as_data(kb_small):
    answerer = llm_answerer(kb_small, "x")
    state = answerer.prepare.invoke({"question": "宪法第五条", "history": [], "law": None})
    inputs = answerer.composer.inputs(state["query"], state["hits"], [])
    assert inputs["context"].startswith("[1] 《中华人民共和国宪法》第五条")
    messages = answerer.composer.chain.first.invoke(inputs).to_messages()
    assert "资料" in messages[0].content and "<<<参考条文开始>>>" in messages[1].content


@pytest.mark.parametrize("bad, status", [
    ("《中华人民共和国监察法》第一百五十条规定监察官可以越级晋升。", "条号超出"),
    ("《中华人民共和国监察法》第十五条规定：“监察机关只对党员领导干部进行监察。”", "引文与原文不符"),
    ("《中华人民共和国公职人员廉洁法》第三条规定公职人员不得收受礼金。", "知识库中未找到"),
])
def test_bad_llm_citations_are_caught(kb_small, bad, status):
    good = "《中华人民共和国宪法》第三十三条第三款规定：“国家尊重和保障人权。”"
    ans = Answerer(kb_small, llm=GenericFakeChatModel(messages=iter([AIMessage(content=good + bad)])),
                   llm_rewrite=False, llm_rerank=False).answer("宪法第三十三条")
    assert ans.supported  # the good citation still supports it
    assert f"〔核验：{status}" in ans.text and ans.warnings
    assert [(c.article, c.paragraph) for c in ans.citations] == [(33, 3)]
    assert_verbatim(kb_small, ans)
    # alone, the bad citation leaves no support
    alone = llm_answerer(kb_small, bad).answer("宪法第三十三条")
    assert not alone.supported and alone.text.startswith(NO_SUPPORT) and alone.nearest
    assert not alone.citations and any(status in w or "核验" in w or "没有" in w or "引文" in w
                                       for w in alone.warnings)


def test_llm_not_called_for_off_topic(kb_small):
    class Boom(FakeListChatModel):
        def _call(self, *a, **k):  # pragma: no cover - must not run
            raise AssertionError("LLM called for an unsupported question")

    ans = Answerer(kb_small, llm=Boom(responses=["x"]), llm_rewrite=False, llm_rerank=False).answer(
        "红烧肉怎么做才好吃？")
    assert not ans.supported


# ---- repealed versions --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kb_versions(tmp_path_factory, embeddings):
    """监察法 (current) + an invented historical version of it + a repealed law, in a private knowledge base."""
    from tests.conftest import make_services

    kb = make_services(tmp_path_factory.mktemp("xuefa-versions"), embeddings,
                       national=("中华人民共和国监察法",), local=False).kb
    old = Law(law_id="nat-test-old-jcf", title="中华人民共和国监察法", level="法律", status=STATUS_HISTORICAL,
              source="national", effective_date="2018-03-20", content_hash="old-jcf")
    kb.add_document(old, [Article(old.law_id, 1, 1, "为了深化国家监察体制改革，旧版本特有的一句话，制定本法。")])
    gone = Law(law_id="nat-test-xzjcf", title="中华人民共和国行政监察法", level="法律", status=STATUS_REPEALED,
               source="national", effective_date="1997-05-09", content_hash="xzjcf")
    kb.add_document(gone, [Article(gone.law_id, 1, 1, "为了加强行政监察，制定本法。"),
                           Article(gone.law_id, 2, 2, "监察机关是人民政府行使监察职能的机关。")])
    return kb


def test_verifier_flags_repealed_law_and_historical_quote(kb_versions):
    from knowledge.verify import REPEALED, VERIFIED, verify_text

    [c] = verify_text(kb_versions, "依据《中华人民共和国行政监察法》第二条：“监察机关是人民政府行使监察职能的机关。”")
    assert c.status == REPEALED and "已废止" in c.message
    [c] = verify_text(kb_versions, "《监察法》第一条规定：“旧版本特有的一句话”")
    assert c.status == REPEALED and "历史版本" in c.message
    current = kb_versions.lookup("监察法", 1)[1].text
    [c] = verify_text(kb_versions, f"《监察法》第一条规定：“{current[:20]}”")
    assert c.status == VERIFIED


def test_llm_citing_a_repealed_version_is_caught(kb_versions):
    current = kb_versions.lookup("监察法", 1)[1].text
    text = (f"《中华人民共和国监察法》第一条规定：“{current[:20]}”。"
            "另据《中华人民共和国行政监察法》第二条，监察机关是人民政府行使监察职能的机关。"
            "《监察法》第一条还规定：“旧版本特有的一句话”。")
    ans = llm_answerer(kb_versions, text).answer("监察法的立法目的是什么")
    assert ans.supported
    assert ans.text.count("〔核验：已废止或历史版本〕") == 2
    assert [(c.law, c.article) for c in ans.citations] == [("中华人民共和国监察法", 1)]
    assert all(c.status == "现行有效" for c in ans.citations)
    offline = Answerer(kb_versions).answer("行政监察法第二条")
    assert not offline.supported and any("已废止" in w for w in offline.warnings)
