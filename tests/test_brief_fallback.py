"""Briefs on topics the registry does not know: whom an article addresses (the county first, 国务院 and the
province down), agenda wording and policy short forms, the catalog search by title for the law made for a topic,
versions not yet in force, clauses that end in a colon, and — on the small real knowledge base — a topic with no
law made for it assembled from general laws instead of declined."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.brief import kinds
from assistant.brief.model import Quote
from assistant.brief.questions import clause
from assistant.brief.scope import Scope
from assistant.brief.topics import Understanding, default_registry, load_registry, understand
from knowledge.errors import XuefaError
from knowledge.models import Law
from tests.conftest import shared_corpus


def test_the_county_is_addressed_first_and_the_state_council_below_it():
    county = "县级以上地方人民政府应当建立非法集资监测预警机制。"
    council = "国务院建立处置非法集资部际联席会议制度。联席会议由国务院有关部门牵头。"
    province = "省、自治区、直辖市人民政府可以根据本行政区域实际建立产粮大县利益补偿机制。"
    company = "金融机构、非银行支付机构应当履行下列防范非法集资的义务："
    assert kinds.above_county(council) and kinds.above_county(province) and not kinds.above_county(county)
    assert kinds.audience(county) > kinds.audience("行业主管部门应当加强监管。") > 1
    assert 1 > kinds.audience(council) > kinds.audience(company)  # 金融机构 is no organ though 机构 names organs
    # the State names the framework and the county's share in one article: the county's duty counts
    both = "国家建立粮食安全责任制。县级以上地方人民政府应当承担保障本行政区域粮食安全的具体责任。"
    assert not kinds.above_county(both) and kinds.audience(both) > 1


def test_agenda_wording_goes_and_short_forms_get_their_statutory_words():
    reg = default_registry()
    counts = {"电动": 40, "自行车": 60, "电动自行车": 30, "安全隐患": 120, "涉企": 30, "企业": 16000, "检查": 6000,
              "行政检查": 4}
    u = understand("电动自行车安全隐患全链条整治", reg, lambda t: counts.get(t, 0), total=90000)
    assert not any("链条" in w for w in u.words)  # 全链条 is how agenda items are worded, not what they are about
    assert "电动自行车" in u.phrases
    assert [f.name for f in u.frameworks] and all(not e for e in [u.entries])
    v = understand("规范涉企行政检查", reg, lambda t: counts.get(t, 0), total=90000)
    assert v.aliases["涉企"] == ("企业",) and v.has("涉企", "控制对企业进行经济检查的规定")
    assert "行政检查" in v.phrases  # a rare phrase of a generic and a topic word
    # a colloquial word the statutes spell out (抛物 -> 抛掷物) counts as its statutory wording
    w = understand("高空抛物治理", reg, lambda t: {"高空": 50, "抛物": 1, "抛掷物": 20, "治理": 900}.get(t, 0),
                   total=90000, variants=lambda word: ["抛掷物"] if word == "抛物" else [])
    assert w.has("抛物", "从建筑物中抛掷物品") and "抛物" not in w.absent


def test_registry_frameworks_expansions_and_agenda_words_are_checked(tmp_path):
    bad = tmp_path / "topics.yaml"
    bad.write_text("expansions:\n  涉企: 3\n", encoding="utf-8")
    with pytest.raises(XuefaError, match="expansions “涉企”"):
        load_registry(bad)
    bad.write_text("agenda_words: [全链条, '']\n", encoding="utf-8")
    with pytest.raises(XuefaError, match="agenda_words"):
        load_registry(bad)
    bad.write_text("frameworks:\n  - name: 消防安全\n    match: [消防]\n    instruments:\n      - title: 消防法\n"
                   "        articles: [三]\n", encoding="utf-8")
    with pytest.raises(XuefaError, match="通用依据“消防安全”《消防法》.*三"):
        load_registry(bad)
    bad.write_text("topic: []\n", encoding="utf-8")
    with pytest.raises(XuefaError, match="无法识别的字段 topic"):
        load_registry(bad)


def _catalog(*laws: Law):
    return SimpleNamespace(catalog=SimpleNamespace(laws=lambda: list(laws),
                                                   laws_by_title=lambda t: [x for x in laws if x.title == t]))


def test_the_catalog_titles_are_searched_for_the_law_made_for_the_topic():
    check = Law("a", "控制对企业进行经济检查的规定", level="行政法规", region="全国")
    fees = Law("b", "企业收费管理规定", level="部门规章", region="全国")
    power = Law("c", "电力安全事故应急处置和调查处理条例", level="行政法规", region="全国")
    u = Understanding("规范涉企行政检查", [], {"涉企": 3.6, "检查": 1.2}, {"涉企": 3.6, "行政": 0.3, "检查": 1.2},
                      aliases={"涉企": ("企业",)})
    many = [Law(f"e{i}", f"企业{k}条例", level="行政法规", region="全国")
            for i, k in enumerate(("信息公示", "国有资产", "破产", "职工", "名称登记", "所得税", "环境信用"))]
    scope = Scope(_catalog(check, fees, power, *many), default_registry(), u)
    assert scope.dedicated() == [check]  # 企业 names many titles; 企业 and 检查 together name one
    assert scope.specific(check)
    # one side word of a topic in a title (处置) does not make a law one made for the topic
    v = Understanding("防范和处置非法集资", [], {}, {"防范": 2.2, "处置": 1.6, "非法": 1.5, "集资": 2.5})
    assert Scope(_catalog(check, fees, power), default_registry(), v).dedicated() == []


def test_a_version_not_yet_in_force_gives_way_to_the_one_in_force():
    new = Law("n", "中华人民共和国农业法", level="法律", status="尚未生效", effective_date="2027-01-01")
    old = Law("o", "中华人民共和国农业法", level="法律", effective_date="2013-01-01")
    alone = Law("p", "中华人民共和国耕地保护和质量提升法", level="法律", effective_date="2027-01-01")
    scope = Scope(_catalog(new, old, alone), default_registry(), Understanding("粮食安全", [], {}, {}),
                  today="2026-12-01")
    assert scope.superseded_by_pending(new) and not scope.usable(new) and scope.usable(old)
    assert scope.pending(alone) and not scope.superseded_by_pending(alone)  # quoted, under a notice
    from assistant.brief.select import Selector

    assert Selector(_catalog(new, old), default_registry(), today="2026-12-01").resolve("中华人民共和国农业法") is old


def test_a_clause_ending_in_a_colon_keeps_its_items():
    text = ("国家机关工作人员有下列行为之一的，依法给予处分：\n（一）明知所主管的单位有涉嫌非法集资行为，未依法及时处理；\n"
            "（二）在防范和处置非法集资过程中滥用职权、玩忽职守、徇私舞弊。")
    q = Quote("x", "防范和处置非法集资条例", 37, 0, text, theme="追责")
    u = Understanding("非法集资", [], {"非法集资": 5.0}, {"非法集资": 5.0})
    got = clause(q, u, 90)
    assert got.startswith("国家机关工作人员有下列行为之一的，依法给予处分：（一）明知") and "（二）" in got
    # too long for all items: not quoted at all, since a lead cut from some of its items changes what it says
    # (round-5 second review: "构成犯罪的，依法追究刑事责任：（一）……")
    assert clause(q, u, 20) is None


@pytest.fixture(scope="module")
def small_writer(services_small):
    shared_corpus()
    return services_small.briefs


def test_a_topic_no_law_is_made_for_is_assembled_not_declined(small_writer):
    brief = small_writer.write("危险化学品安全隐患排查", date="2026-12-01")
    assert not brief.declined and brief.quotes
    cited = {(q.law_title, q.number) for q in brief.quotes}
    # the general law of its 安全隐患 part: the county government's duties
    assert {("中华人民共和国安全生产法", 3), ("中华人民共和国安全生产法", 9)} <= cited
    assert brief.caution and "中华人民共和国安全生产法" in brief.caution  # says what it is assembled from
    md = brief.to_markdown()
    assert md.index("知识库中没有专门规定") < md.index("## 一、")
    assert small_writer.write("元宇宙数字藏品").declined  # no legal basis at all: still declined


def test_an_older_regulation_gives_way_to_the_newer_law_on_its_subject():
    from assistant.brief.select import LawPick, superseded_pairs

    law = Law("l", "中华人民共和国无障碍环境建设法", level="法律", effective_date="2023-09-01")
    old = Law("r", "无障碍环境建设条例", level="行政法规", effective_date="2012-08-01")
    rules = Law("i", "中华人民共和国无障碍环境建设法实施条例", level="行政法规", effective_date="2024-01-01")
    other = Law("o", "残疾人教育条例", level="行政法规", effective_date="2017-05-01")
    got = superseded_pairs([LawPick(x, "主题点名", 1.0) for x in (law, old, rules, other)])
    assert got == {"r": law}  # not its own implementing rules, not another subject's regulation


def test_boilerplate_and_criminal_liability_are_told_apart():
    from knowledge.models import Article

    assert kinds.boilerplate(Article("x", 19, 19, "其他行政机关对企业的检查，参照本规定执行。")) == "参照"
    crime = "从建筑物或者其他高空抛掷物品，情节严重的，处一年以下有期徒刑、拘役或者管制，并处或者单处罚金。"
    assert kinds.theme(Article("x", 291, 291, crime), crime) == "追责"
    principle = "社区矫正工作坚持监督管理与教育帮扶相结合，专门机关与社会力量相结合。"
    assert kinds.is_principle(principle) and not kinds.is_principle("县级以上地方人民政府应当加强领导。")
