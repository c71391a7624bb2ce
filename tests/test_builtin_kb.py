"""The built-in packs in a real knowledge base: loading by pack setting, the CLI over them, resumable
background vectors and the web header's index status."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from ingest.builtin import ensure_builtin

TITLES = ("中国共产党纪律处分条例", "信访工作条例", "中华人民共和国刑法", "中华人民共和国生态环境法典",
          "中华人民共和国安全生产法", "最高人民法院关于行政机关负责人出庭应诉若干问题的规定")


@pytest.fixture
def services(services_factory, monkeypatch):
    import assistant.commands.kb as kb_commands

    services = services_factory(national=TITLES)
    monkeypatch.setattr(kb_commands, "open_services", lambda *a, **k: services)
    return services


def test_article_command_on_the_new_corpus(services):
    runner = CliRunner()
    out = runner.invoke(cli, ["article", "纪律处分条例", "8"]).output
    assert "《中国共产党纪律处分条例》第八条" in out and "（五）开除党籍。" in out
    out = runner.invoke(cli, ["article", "信访工作条例", "22"]).output
    assert "在15日内分别按照下列方式处理" in out
    out = runner.invoke(cli, ["article", "刑法", "390"]).output
    assert "对犯行贿罪的，处三年以下有期徒刑或者拘役" in out
    out = runner.invoke(cli, ["article", "生态环境法典", "1120"]).output
    assert "第一千一百二十条" in out and "工业涂装企业" in out
    result = runner.invoke(cli, ["article", "安全生产法", "1", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["effective_date"] == "2021-09-01"


def test_laws_by_level_counts_the_levels(services):
    result = CliRunner().invoke(cli, ["laws", "--by-level", "--json"])
    summary = json.loads(result.output)
    # 信访工作条例 was issued by 中共中央、国务院: a 党内法规 beside 纪律处分条例 (158 + 50 articles)
    assert summary["党内法规"] == {"documents": 2, "current": 2, "articles": 208}
    assert summary["司法解释"]["documents"] == 1 and summary["法律"]["documents"] == 3
    party = json.loads(CliRunner().invoke(cli, ["laws", "--level", "党内法规", "--json"]).output)
    assert sorted(r["title"] for r in party) == ["中国共产党纪律处分条例", "信访工作条例"]


def test_party_level_filter_and_citation(services):
    hits = services.kb.search("党员 赌博 纪律处分", top_k=5, level="党内法规")
    assert hits and all(h.law.level == "党内法规" for h in hits)
    assert hits[0].cite.startswith("《中国共产党纪律处分条例》第")


def test_packs_load_once_and_follow_the_setting(kb_factory):
    kb = kb_factory(national=())
    assert ensure_builtin(kb, ["party"]) == 8
    assert ensure_builtin(kb, ["party"]) == 0  # idempotent
    kb.ensure_indexes(vectors=False)
    assert kb.search("纪律处分条例第八条", top_k=1)[0].law.title == "中国共产党纪律处分条例"
    from dataclasses import replace

    from knowledge.models import Article

    law = next(lw for lw in kb.catalog.laws() if lw.title == "中国共产党纪律处分条例")
    first = kb.catalog.articles(law.law_id)[0]
    kb.vectors.add_vectors([first.article_id], kb.embeddings.embed_documents(["旧文本"]), [{"law_id": law.law_id}])
    kb.catalog.add(replace(law, content_hash="an-older-text"), [Article(law.law_id, 1, 1, "旧文本")])
    kb.catalog.set_meta("builtin_corpus", "an-older-build")
    assert ensure_builtin(kb, ["party"]) == 1  # the changed text is reloaded, its stale vector dropped
    assert first.article_id not in kb.vectors.ids()
    assert ensure_builtin(kb, ["bmgz"]) == 29  # party dropped, 部门规章 loaded
    titles = {law.title for law in kb.catalog.laws()}
    assert "中国共产党纪律处分条例" not in titles and "机动车登记规定" in titles


def test_vectors_build_in_the_background_and_resume(kb_factory):
    kb = kb_factory(national=())
    ensure_builtin(kb, ["party"])
    kb.ensure_indexes(vectors=False)
    state = kb.vector_status()
    assert state["percent"] == 0 and state["total"] == 448
    assert kb.search("廉洁自律", top_k=3)  # lexical search works before any vector exists
    kb.start_vector_build().join(timeout=600)
    assert kb.vector_status()["percent"] == 100 and kb.vectors.count() == 448
    dropped = sorted(kb.vectors.ids())[:100]  # as if the process had stopped part-way
    kb.vectors.delete(dropped)
    assert kb.vector_status()["done"] == 348
    embedded = []
    original = kb.vectors.add

    def counting_add(ids, *a, **k):
        embedded.extend(ids)
        return original(ids, *a, **k)

    kb.vectors.add = counting_add
    kb.start_vector_build().join(timeout=600)
    assert sorted(embedded) == dropped and kb.vector_status()["percent"] == 100


def test_header_shows_the_vector_progress(kb_factory):
    from assistant.web.ui import index_status

    kb = kb_factory(national=())
    ensure_builtin(kb, ["party"])
    kb.ensure_indexes(vectors=False)
    assert index_status(kb) == "向量索引建立中 0%（词法检索和条文查询已可用）"
    kb.start_vector_build().join(timeout=600)
    assert index_status(kb) == ""


def test_shipped_segmentation_matches_the_tokenizer(kb_factory):
    """The packs ship jieba's words for each article's lexical text, so a first start segments nothing. If the
    tokenizer's terms or the lexical text change, rerun scripts/build_corpus.py (this test says so)."""
    import json
    from importlib import resources

    from ingest.builtin import read_segmentation
    from knowledge.lexical import segmenter_version

    shipped = json.loads((resources.files("knowledge.corpus") / "manifest.json").read_text(encoding="utf-8"))
    assert shipped["segmenter"] == segmenter_version(), "jieba terms changed: rerun scripts/build_corpus.py"
    kb = kb_factory(national=())
    ensure_builtin(kb, ["party"])
    primed = kb.prime_segmentation(dict(read_segmentation("party")))
    assert primed == 448, "lexical_text changed: rerun scripts/build_corpus.py"


def test_ask_within_one_level(services):
    """党内法规 as a first-class level: `xuefa ask --level 党内法规` answers from party rules only."""
    result = CliRunner().invoke(cli, ["ask", "党员收受可能影响公正执行公务的礼金会受到什么处分？", "--level", "党内法规",
                                      "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["citations"], answer
    assert {c["level"] for c in answer["citations"]} == {"党内法规"}
    assert answer["citations"][0]["law"] == "中国共产党纪律处分条例"
    # the 2024 条例 has no gambling article: within 党内法规 that question is declined, naming the missing term
    result = CliRunner().invoke(cli, ["ask", "党员参与赌博会受到什么处分？", "--level", "党内法规", "--json"])
    declined = json.loads(result.output)
    assert not declined["supported"] and "赌博" in declined["missing"], declined
