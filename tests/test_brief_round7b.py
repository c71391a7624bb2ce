"""Round-6 县司法局 review, two open problems: the government's own red lines missed when a ban binds everyone
(任何单位和个人不得……) rather than naming the government, and, when the instrument the agenda names is missing, the
brief built on whatever law matched the words (法治宣传教育法 for 党政主要负责人履行推进法治建设第一责任人职责规定)."""

from __future__ import annotations

import re
from types import SimpleNamespace

from assistant.brief import kinds
from assistant.brief.model import Quote
from assistant.brief.redlines import red_lines
from assistant.brief.select import Selector
from assistant.brief.topics import Understanding, default_registry
from knowledge.models import Article, Law

EVERYONE = "物业服务人的合法权益受法律保护。任何单位和个人不得违规强制物业服务人代收有关费用和提供无偿服务。"
COMPANY = "未经业主大会同意，物业服务企业不得改变物业管理用房的用途。"
OWNER = "业主不得擅自占用、挖掘物业管理区域内的道路、场地。"


# ---- 红线: bans binding public bodies as well as everyone -----------------------------------------------------
def test_a_ban_on_everyone_or_on_no_one_named_binds_public_bodies():
    assert kinds.binds_all(EVERYONE)  # the ban follows a declaration
    assert kinds.binds_all("禁止挪用专项维修资金。")
    assert kinds.binds_all("除法律另有规定外，任何组织或者个人不得占用耕地。")
    assert not kinds.binds_all(COMPANY) and not kinds.binds_all(OWNER)
    assert not kinds.binds_all("任何单位和个人都有权举报违法行为。")  # a right, no ban
    assert not kinds.binds_all("任何企业不得拒绝检查。")
    assert kinds.binds_public("县级以上地方人民政府不得违规举债。") and not kinds.binds_public(COMPANY)


def test_a_ban_on_everyone_weighs_above_a_ban_on_companies_alone():
    assert kinds.audience(EVERYONE) > 1 > kinds.audience(COMPANY)
    assert kinds.ban_audience("物业管理用房的所有权依法属于业主。" + COMPANY) < 1  # the ban's own addressee counts


def _property():
    law = Law("s", "山东省物业管理条例", "地方性法规", region="山东省")
    arts = [Article("s", 37, 37, "物业管理用房的所有权依法属于业主。" + COMPANY),
            Article("s", 50, 50, OWNER),
            Article("s", 53, 53, "物业服务人应当执行政府依法实施的应急处置措施和其他管理措施。\n" + EVERYONE)]
    kb = SimpleNamespace(catalog=SimpleNamespace(articles=lambda _lid: arts))
    u = Understanding("物业服务管理", [], {"物业": 2.0, "物业服务企业": 3.0, "业主": 1.5},
                      {"物业": 2.0, "物业服务企业": 3.0, "业主": 1.5})
    return law, arts, kb, u


def test_red_lines_on_private_parties_alone_get_the_ban_that_binds_the_government():
    law, arts, kb, u = _property()
    quoted = [Quote.of(law, arts[0], theme="红线"), Quote.of(law, arts[1], theme="红线")]
    reds = red_lines(kb, [SimpleNamespace(law=law)], quoted, u)
    assert [(q.number, q.paragraph) for q in reds] == [(53, 2)]
    assert red_lines(kb, [SimpleNamespace(law=law)], [*quoted, *reds], u) == []  # one binding public bodies is enough


def test_a_brief_without_red_lines_prefers_the_ban_binding_public_bodies():
    law, arts, kb, u = _property()
    duty = Article("s", 5, 5, "县级以上地方人民政府房地产行政主管部门负责本行政区域内物业管理活动的监督管理工作。")
    quoted = [Quote.of(law, duty, theme="谁负责")]
    reds = red_lines(kb, [SimpleNamespace(law=law)], quoted, u, n=1)
    assert [(q.number, q.paragraph) for q in reds] == [(53, 2)]  # not 物业服务企业不得…… though it carries more words


# ---- the named instrument missing: the registry's core instruments for the subject ---------------------------
GOV_ACT = "中华人民共和国地方各级人民代表大会和地方各级人民政府组织法"
DECISION = "重大行政决策程序暂行条例"


def _selector(*titles: str) -> Selector:
    laws = [Law(f"id{i}", t, "法律") for i, t in enumerate(titles)]
    kb = SimpleNamespace(catalog=SimpleNamespace(laws_by_title=lambda t: [x for x in laws if x.title == t]),
                         resolve_law=lambda t: next((x for x in laws if x.title == t), None))
    return Selector(kb, default_registry())


def _forced(sel: Selector, topic: str) -> dict[str, str]:
    reg = default_registry()
    u = Understanding(topic, reg.match(topic), {}, {})
    forced: dict = {}
    keys, _missing = sel._registry(u, forced, None, set())
    return {law.title: (reason, sorted(keys.get(law.law_id, {}))) for law, reason in forced.values()}


def test_a_missing_named_instrument_brings_in_the_subjects_core_instruments():
    topic = "县政府主要负责人履行法治政府建设第一责任人职责（学习《党政主要负责人履行推进法治建设第一责任人职责规定》）"
    forced = _forced(_selector(GOV_ACT, DECISION, "中华人民共和国法治宣传教育法"), topic)
    assert forced[GOV_ACT][0] == "配套依据" and forced[GOV_ACT][1]  # with its key articles
    assert forced[DECISION][0] == "配套依据"
    assert "中华人民共和国法治宣传教育法" not in forced  # a word match, not the subject's core
    # the agenda on the 第一责任人 alone, without 法治政府: 法治建设 says the subject
    alone = _forced(_selector(GOV_ACT, DECISION), "学习《党政主要负责人履行推进法治建设第一责任人职责规定》")
    assert alone.get(GOV_ACT, ("",))[0] == "配套依据"


def test_the_subjects_core_instruments_stay_out_while_the_governing_one_is_held():
    topic = "审议年度法治政府建设情况报告"
    assert GOV_ACT not in _forced(_selector(GOV_ACT, DECISION, "法治政府建设实施纲要（2021－2025年）"), topic)
    assert GOV_ACT in _forced(_selector(GOV_ACT, DECISION), topic)  # 纲要 not held


def test_the_registry_checks_fallback_instruments(tmp_path):
    import pytest

    from assistant.brief.topics import load_registry
    from knowledge.errors import XuefaError

    good = tmp_path / "g.yaml"
    good.write_text("topics:\n  - name: x\n    match: [x]\n    fallback:\n      - title: 某法\n        articles: [3, \"4.2\"]\n",
                    encoding="utf-8")
    assert load_registry(good).topics[0].fallback[0].articles == ((3, None), (4, 2))
    bad = tmp_path / "t.yaml"
    bad.write_text("topics:\n  - name: x\n    match: [x]\n    fallback:\n      - title: 某法\n        articles: [abc]\n",
                   encoding="utf-8")
    with pytest.raises(XuefaError, match="fallback"):
        load_registry(bad)


def test_an_instrument_brought_in_for_the_subject_gives_no_red_line_of_its_other_parts():
    law = Law("g", GOV_ACT, "法律")
    arts = [Article("g", 62, 62, "地方各级人民政府应当坚持依法行政，建设法治政府。"),
            Article("g", 47, 47, "常务委员会的组成人员不得担任国家行政机关、监察机关的职务。")]
    kb = SimpleNamespace(catalog=SimpleNamespace(articles=lambda _lid: arts))
    u = Understanding("依法行政", [], {"行政": 2.0, "法治政府": 3.0}, {"行政": 2.0, "法治政府": 3.0})
    quoted = [Quote.of(law, arts[0], theme="谁负责")]
    assert red_lines(kb, [SimpleNamespace(law=law, reason="主管依据")], quoted, u)  # a governing law: its bans count
    assert red_lines(kb, [SimpleNamespace(law=law, reason="配套依据")], quoted, u) == []


def test_a_brief_on_a_missing_named_instrument_quotes_the_subjects_core_law_and_names_only_what_it_quotes(
        services_factory):
    from assistant.brief.writer import BriefWriter

    kb = services_factory(national=(GOV_ACT, "中华人民共和国法治宣传教育法")).kb
    brief = BriefWriter(kb).write("县政府领导班子带头依法行政，学习《法治政府建设督察工作规定》")
    titles = [e.title for e in brief.laws]
    assert titles and titles[0] == GOV_ACT
    assert "《法治政府建设督察工作规定》不在知识库中" in brief.caution
    # page one names the laws the brief quotes, not those gathered and then cut
    assert all(f"《{t}》" in brief.caution for t in titles)
    assert all(t in titles for t in re.findall(r"《([^》]+)》", brief.caution.split("以下仅从")[-1]))
