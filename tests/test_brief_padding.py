"""A topic no law is made for (住房租赁市场规范管理, whose 住房租赁条例 the knowledge base lacks): the brief is
assembled from laws that name its subject again and again (城市房地产管理法 第五十四条、第五十五条 on 房屋租赁), not
padded with a law that names 住房 and 租赁 together once or twice (老年人权益保障法's 公共租赁住房) — round-4 review."""

from __future__ import annotations

import pytest

from assistant.brief import select
from tests.conftest import make_services

ELDERLY = "中华人民共和国老年人权益保障法"
ESTATE = "中华人民共和国城市房地产管理法"
LEASE = "最高人民法院关于审理城镇房屋租赁合同纠纷案件具体应用法律若干问题的解释"


@pytest.fixture(scope="module")
def writer(tmp_path_factory, embeddings):
    return make_services(tmp_path_factory.mktemp("xuefa-padding"), embeddings,
                         national=(ELDERLY, ESTATE, LEASE), local=False).briefs


def test_a_law_naming_the_subject_once_or_twice_is_no_basis(writer, monkeypatch):
    brief = writer.write("住房租赁市场规范管理", date="2026-12-01")
    titles = {e.title for e in brief.laws}
    assert ELDERLY not in titles, [q.cite for q in brief.quotes]
    assert ESTATE in titles and {54, 55} & {q.number for q in brief.quotes if q.law_title == ESTATE}
    md = brief.to_markdown()
    assert "本材料未收录《住房租赁条例》" in md[: md.index("## 一、")]  # the missing instrument on page one
    # without the floor the padding comes back: the rule, not the knowledge base, keeps it out
    monkeypatch.setattr(select, "ASSEMBLED_ANCHORED", 10 ** 6)
    padded = writer.write("住房租赁市场规范管理", date="2026-12-01")
    assert ELDERLY in {e.title for e in padded.laws}
