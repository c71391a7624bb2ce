"""The knowledge base with real parts: SQLite catalog, bm25s, Chroma in a temp dir, the bundled USE model."""

from __future__ import annotations

import json

import pytest

from knowledge.errors import IndexMismatchError
from knowledge.models import Article, Law


def titles(hits):
    return [h.law.title for h in hits]


@pytest.mark.parametrize("query,law,article,paragraph", [
    ("宪法第五条", "中华人民共和国宪法", 5, None),
    ("监察法第15条", "中华人民共和国监察法", 15, None),
    ("《中华人民共和国公职人员政务处分法》第二十八条第二款", "中华人民共和国公职人员政务处分法", 28, 2),
    ("政务处分法第七条是怎么规定的", "中华人民共和国公职人员政务处分法", 7, None),
    ("安全生产法第二十一条", "中华人民共和国安全生产法", 21, None),
])
def test_article_lookups_rank_first(kb_small, query, law, article, paragraph):
    hits = kb_small.search(query, top_k=5)
    assert hits[0].law.title == law and hits[0].article.number == article
    assert hits[0].paragraph == paragraph
    assert "ref" in hits[0].via
    assert hits[0].law.status == "现行有效"


def test_local_regulation_lookup_by_short_name(kb_small, request):
    if not any(l.source == "local" for l in kb_small.catalog.laws()):
        pytest.skip("../shared not present")
    hits = kb_small.search("东平湖保护条例第十条", top_k=3)
    assert hits[0].law.title == "山东省东平湖保护条例" and hits[0].article.number == 10
    assert hits[0].law.source == "local"


def test_question_finds_supervision_law(kb_small):
    hits = kb_small.search("监察机关对哪些人员进行监察", top_k=5)
    assert "中华人民共和国监察法" in titles(hits)
    assert any(h.law.title == "中华人民共和国监察法" and h.article.number == 15 for h in hits)


def test_modes_all_return_relevant_articles(kb_small):
    for mode in ("lexical", "dense", "hybrid"):
        hits = kb_small.search("生产经营单位的主要负责人对本单位安全生产工作负有哪些职责", top_k=10, mode=mode)
        assert hits, mode
        assert hits[0].law.title in ("中华人民共和国安全生产法", "山东省安全生产条例"), (mode, hits[0].cite)


def test_filters(kb_small):
    hits = kb_small.search("罚款", top_k=10, law="行政处罚法")
    assert hits and set(titles(hits)) == {"中华人民共和国行政处罚法"}
    local = kb_small.search("安全生产", top_k=10, source="local")
    if any(l.source == "local" for l in kb_small.catalog.laws()):
        assert local and all(h.law.source == "local" for h in local)
    only_law_level = kb_small.search("安全生产", top_k=10, level="法律")
    assert only_law_level and all(h.law.level == "法律" for h in only_law_level)


def test_historical_versions_only_when_asked(services_factory):
    services = services_factory(national=("中华人民共和国宪法",))
    kb = services.kb
    # the 1982 text is stored but not searched by default
    versions = kb.catalog.laws_by_title("中华人民共和国宪法")
    assert [v.status for v in versions] == ["现行有效"]
    from ingest.national import read_national

    old = next((law, arts) for law, arts in read_national()
               if law.title == "中华人民共和国宪法" and law.status == "历史版本")
    assert kb.add_document(*old)
    current = kb.search("宪法第一条", top_k=3)
    assert current[0].law.status == "现行有效"
    everything = kb.search("国务院总理 副总理 国务委员", top_k=40, status="all")
    assert {h.law.status for h in everything} >= {"现行有效", "历史版本"}
    default = kb.search("国务院总理 副总理 国务委员", top_k=40)
    assert {h.law.status for h in default} == {"现行有效"}
    assert kb.lookup("宪法", 1, status="all")[0].status == "现行有效"


def test_penal_code_is_the_consolidated_text_through_amendment_twelve(services_factory):
    services = services_factory(national=("中华人民共和国刑法",))
    hits = services.kb.search("刑法第三百九十条", top_k=1)
    law, article = hits[0].law, hits[0].article
    assert (law.status, law.effective_date, article.number) == ("现行有效", "2024-03-01", 390)
    assert article.text.startswith("对犯行贿罪的，处三年以下有期徒刑")  # 修正案（十二）; before: 处五年以下
    assert hits[0].law.status_note is None and hits[0].to_json()["effective_date"] == "2024-03-01"


def test_add_is_idempotent_and_remove_deletes_everywhere(kb_factory):
    kb = kb_factory(national=("中华人民共和国监察法",))
    law = Law(law_id="loc-test000001", title="某县测试管理办法", level="规范性文件", region="某县",
              source="local", content_hash="h1")
    arts = [Article(law.law_id, 1, 1, "为了规范测试蜂鸟工作，制定本办法。"),
            Article(law.law_id, 2, 2, "县人民政府负责蜂鸟测试的统一管理。")]
    before = kb.stats()
    assert kb.add_document(law, arts) is True
    assert kb.add_document(law, arts) is False
    after = kb.stats()
    assert after["articles"] == before["articles"] + 2 and after["vectors"] == before["vectors"] + 2
    hits = kb.search("蜂鸟测试由谁负责管理", top_k=3)
    assert hits[0].law.title == "某县测试管理办法" and hits[0].article.number == 2
    assert kb.contains_text("县人民政府负责蜂鸟测试的统一管理")
    from knowledge.base import embed_text

    stored = kb.vectors.vectors([a.article_id for a in arts] + ["loc-missing:1"])
    assert set(stored) == {a.article_id for a in arts}  # lookup by id; unknown ids are left out
    fresh = kb.embeddings.embed_documents([embed_text(law, arts[1])])[0]
    assert sum(x * y for x, y in zip(stored[arts[1].article_id], fresh)) > 0.999
    assert kb.embed_query("蜂鸟") == kb.embeddings.embed_query("蜂鸟")
    assert kb.remove_document(law.law_id)
    assert kb.stats() == before
    assert all(h.law.law_id != law.law_id for h in kb.search("蜂鸟测试", top_k=10))
    assert not kb.contains_text("县人民政府负责蜂鸟测试的统一管理")


def test_restart_reuses_index_and_refuses_other_model(tmp_path, embeddings):
    from assistant.config import Settings
    from assistant.services import build_services
    from tests.conftest import add_national

    settings = Settings(home=tmp_path, national=False)
    first = build_services(settings, embeddings=embeddings, llm=None, load_national=False)
    add_national(first.kb, ("中华人民共和国监察法",))
    n = first.kb.stats()["vectors"]
    assert n > 50

    class CountingEmbeddings(type(embeddings)):
        calls = 0

        def embed_documents(self, texts):
            CountingEmbeddings.calls += len(texts)
            return super().embed_documents(texts)

    counting = CountingEmbeddings()
    second = build_services(settings, embeddings=counting, llm=None, load_national=False)
    assert second.kb.stats()["vectors"] == n
    assert CountingEmbeddings.calls == 0  # nothing re-embedded on restart
    assert second.kb.search("监察法第十五条", top_k=1)[0].article.number == 15

    class OtherModel(type(embeddings)):
        name = "some-other-model"

    with pytest.raises(IndexMismatchError, match="rebuild"):
        build_services(settings, embeddings=OtherModel(), llm=None, load_national=False)


def test_langchain_retriever_returns_documents_with_citation_metadata(kb_small):
    docs = kb_small.retriever.invoke("监察法第十五条")
    assert docs[0].metadata["law"] == "中华人民共和国监察法"
    assert docs[0].metadata["article"] == 15
    assert docs[0].page_content == kb_small.lookup("监察法", 15)[1].text
    json.dumps(docs[0].metadata, ensure_ascii=False)
