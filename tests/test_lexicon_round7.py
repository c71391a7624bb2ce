"""Round 7: everyday words of a domain reach the statute's words, end to end (fresh-6 dev review: 扇了…巴掌,
喝了两杯…开车, 爹娘…不管 were declined because no question word is in the governing article). The questions here
are worded anew; each was declined (or led elsewhere) with the round-6 lexicon over the same documents."""

from __future__ import annotations

import pytest

from assistant.ask import Answerer
from tests.conftest import make_services

LAWS = ("中华人民共和国治安管理处罚法", "中华人民共和国道路交通安全法", "中华人民共和国老年人权益保障法",
        "中华人民共和国消费者权益保护法")


@pytest.fixture(scope="module")
def answerer(tmp_path_factory, embeddings):
    services = make_services(tmp_path_factory.mktemp("xuefa-round7"), embeddings, national=LAWS, local=False)
    return Answerer(services.kb)


@pytest.mark.parametrize("question, law, article", [
    ("赶集时被人扇了几个耳光，派出所能罚他吗？", "中华人民共和国治安管理处罚法", 51),
    ("楼下的KTV天天放音乐到半夜，劝了也不听，派出所能管吗？", "中华人民共和国治安管理处罚法", 88),
    ("他晚上喝了几杯，又开车去接孩子，这要怎么罚？", "中华人民共和国道路交通安全法", 91),
    ("俺哥说放弃继承，就不管老娘了，这说得过去吗？", "中华人民共和国老年人权益保障法", 19),
])
def test_a_colloquial_question_leads_with_the_governing_article(answerer, question, law, article):
    ans = answerer.answer(question)
    assert ans.supported, ans.text[:80]
    assert (ans.citations[0].law, ans.citations[0].article) == (law, article)
