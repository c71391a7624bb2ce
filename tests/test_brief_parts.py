"""Brief parts without a knowledge base: the topic registry (data, its errors), weighted terms, article kinds,
dates of the current version; and the sentence checker in knowledge/verify.py on the small knowledge base."""

from __future__ import annotations

import pytest

from assistant.brief import kinds
from assistant.brief.model import Quote, version_text
from assistant.brief.topics import GENERIC_WEIGHT, default_registry, load_registry, term_score, understand
from knowledge.errors import XuefaError
from knowledge.models import Article, Law


def _art(text: str, chapter: str | None = None, number: int = 5) -> Article:
    return Article("x", number, number, text, chapter=chapter)


def test_registry_maps_policy_words_to_statutory_terms_and_instruments():
    reg = default_registry()
    entry = reg.match("推进行政执法三项制度落实")[0]
    assert entry.name == "行政执法三项制度"
    assert {"全过程记录", "法制审核"} <= set(entry.terms)
    ins = next(i for i in entry.instruments if i.title == "中华人民共和国行政处罚法")
    assert {39, 47, 58} <= {n for n, _ in ins.articles}
    oath = reg.match("宪法宣誓")[0]
    constitution = next(i for i in oath.instruments if i.title == "中华人民共和国宪法")
    assert constitution.articles == ((27, 3),)
    assert "湿地" not in reg.regions and "黑土地" in reg.regions
    assert reg.match("元宇宙数字藏品") == []


def test_bad_registry_names_the_field(tmp_path):
    bad = tmp_path / "topics.yaml"
    bad.write_text("topics:\n  - name: 甲\n    match: [甲]\n    instruments:\n      - title: 乙法\n"
                   "        articles: [第三条]\n", encoding="utf-8")
    with pytest.raises(XuefaError, match="议题“甲”《乙法》.*第三条"):
        load_registry(bad)
    bad.write_text("topics:\n  - match: [甲]\n", encoding="utf-8")
    with pytest.raises(XuefaError, match="第1个议题 缺少 name"):
        load_registry(bad)
    bad.write_text("topics: [\n", encoding="utf-8")
    with pytest.raises(XuefaError, match="无法读取议题登记表"):
        load_registry(bad)


def test_core_terms_outweigh_generic_ones():
    reg = default_registry()
    counts = {"出庭": 3, "应诉": 2, "负责人": 4000, "行政": 9000, "机关": 9000}
    u = understand("行政机关负责人出庭应诉", reg, lambda t: counts.get(t, 0), total=26000)
    assert u.weights["出庭应诉"] > 3 * u.weights["负责人"]
    assert u.words["负责人"] == GENERIC_WEIGHT
    assert u.words["出庭"] > 2
    core = term_score("被诉行政机关负责人应当出庭应诉。", u.weights)
    generic = term_score("行政机关负责人应当依法履行职责。", u.weights)
    assert core > 3 * generic
    # a word the statutes never use is marked absent; a compound of known words splits into them
    u2 = understand("元宇宙数字藏品", reg, lambda t: {"数字": 300, "藏品": 20}.get(t, 0), total=26000)
    assert "宇宙" in u2.absent and "数字" not in u2.absent
    u3 = understand("道路交通安全", reg, lambda t: {"道路": 500, "交通": 900, "安全": 5000}.get(t, 0), total=26000)
    assert "道路交通" not in u3.words and {"道路", "交通"} <= set(u3.words) and not u3.absent
    assert understand("食品安全监管", reg, lambda t: 10, total=26000).words["安全监管"] == GENERIC_WEIGHT


def test_article_kinds():
    assert kinds.boilerplate(_art("本法自2021年9月1日起施行。")) == "施行日期"
    assert kinds.boilerplate(_art("本条例所称政府信息，是指……")) == "定义"
    assert kinds.boilerplate(_art("外国人的信访事项参照本条例执行。", chapter="第七章 附则")) == "附则"
    assert kinds.boilerplate(_art("行政机关应当公示。")) is None
    fifty_eight = ("有下列情形之一，在行政机关负责人作出行政处罚的决定之前，应当由从事行政处罚决定法制审核的人员进行法制审核；"
                   "未经法制审核或者审核未通过的，不得作出决定：\n（一）涉及重大公共利益的；")
    assert kinds.theme(_art(fifty_eight), fifty_eight) == "怎么办"
    ban = "行政机关及其工作人员不得干预、阻碍人民法院受理行政案件。"
    assert kinds.theme(_art(ban), ban) == "红线"
    duty = "国务院和县级以上地方各级人民政府应当加强对安全生产工作的领导，建立健全安全生产工作协调机制。"
    assert kinds.theme(_art(duty), duty) == "谁负责"
    liab = "负有安全生产监督管理职责的部门的工作人员，有下列行为之一的，给予降级或者撤职的处分："
    assert kinds.theme(_art(liab, chapter="第六章 法律责任"), liab) == "追责"
    assert kinds.audience(duty) > 1 > kinds.audience("生产经营单位应当建立健全全员安全生产责任制。")


def test_version_text_uses_current_dates():
    law = Law("nat-1", "中华人民共和国安全生产法", publish_date="2021-06-10", effective_date="2021-09-01")
    assert version_text(law) == "2021年6月10日公布，2021年9月1日施行"
    stale = Law("nat-2", "某法", publish_date="2019-04-23", effective_date="2004-07-01")
    assert version_text(stale) == "2019年4月23日公布"  # an effective date older than the text is not shown
    assert version_text(Law("nat-3", "某法")) == "日期不详"


def test_check_sentence_against_quoted_articles(kb_small):
    from knowledge.verify import check_sentence, verified_sentences

    law = kb_small.resolve_law("行政处罚法")
    art = kb_small.catalog.article(law.law_id, 39)
    q = Quote.of(law, art)
    good = "《中华人民共和国行政处罚法》第三十九条规定，“行政处罚的实施机关、立案依据、实施程序和救济渠道等信息应当公示”。"
    assert check_sentence(kb_small, good, [q])
    assert not check_sentence(kb_small, good.replace("三十九", "四十"), [q])  # not among the quoted articles
    assert not check_sentence(kb_small, "《中华人民共和国行政处罚法》第三十九条规定，“一切信息都应当公示”。", [q])
    kept, dropped = verified_sentences(kb_small, good + "《中华人民共和国监察法》第一条另有规定。", [q])
    assert kept == [good] and len(dropped) == 1


def test_revision_kind_from_the_catalog():
    from types import SimpleNamespace

    from assistant.brief.writer import BriefWriter

    law = Law("nat-1", "中华人民共和国安全生产法", publish_date="2021-06-10", effective_date="2021-09-01")
    decision = Law("nat-2", "全国人民代表大会常务委员会关于修改《中华人民共和国安全生产法》的决定", publish_date="2021-06-10")
    old = Law("nat-3", "中华人民共和国安全生产法", status="历史版本", publish_date="2014-08-31")

    def writer(*laws):
        return BriefWriter(SimpleNamespace(catalog=SimpleNamespace(laws=lambda: list(laws))))

    assert writer(law, decision)._revision(law) == "修正"
    assert writer(law, old)._revision(law) == "修订"
    assert writer(law)._revision(law) == "公布"
    assert version_text(law, "修正") == "2021年6月10日修正，2021年9月1日施行"


def test_an_amended_text_is_dated_by_its_first_effect_and_its_amendment():
    """山东省供热条例 is stored as of its 2021 amendment; its own 第五十五条 says it took effect in 2014: the table says
    both, and 修正, not 公布 (round-4 review: 把修正日期当成施行日期)."""
    from types import SimpleNamespace

    from knowledge.models import Article
    from assistant.brief.writer import BriefWriter

    heat = Law("loc-1", "山东省供热条例", level="地方性法规", publish_date="2021-12-03", effective_date="2021-12-03")
    arts = [Article(heat.law_id, 1, 1, "为了规范供热用热行为，制定本条例。"),
            Article(heat.law_id, 55, 55, "本条例自2014年9月1日起施行。")]
    w = BriefWriter(SimpleNamespace(catalog=SimpleNamespace(laws=lambda: [heat], articles=lambda _id: arts)))
    assert w._first_effective(heat) == "2014-09-01" and w._revision(heat) == "修正"
    assert version_text(heat, "修正", w._first_effective(heat)) == "2014年9月1日起施行，2021年12月3日修正"
    estate = Law("nat-9", "中华人民共和国城市房地产管理法", publish_date="2019-08-26", effective_date="2020-01-01")
    assert version_text(estate, "修正", "1995-01-01") == "1995年1月1日起施行，2019年8月26日修正，2020年1月1日施行"
    # a new law whose 施行 article names a later date is no amendment
    new = Law("nat-10", "某法", publish_date="2024-11-08", effective_date="2025-06-01")
    assert version_text(new, "公布", "2025-06-01") == "2024年11月8日公布，2025年6月1日施行"


def test_other_cities_regulations_stay_out_and_exact_titles_win():
    from types import SimpleNamespace

    from assistant.brief.scope import Scope
    from assistant.brief.select import Selector
    from assistant.brief.topics import Understanding

    national = Law("ref-1", "优化营商环境条例", level="行政法规", region="全国", source="national")
    jinan = Law("ref-2", "济南市优化营商环境条例", level="地方性法规", region="济南市", source="national")
    province = Law("ref-3", "山东省优化营商环境条例", level="地方性法规", region="山东省", source="national")
    uploaded = Law("loc-4", "泰安市优化营商环境若干规定", level="地方性法规", region="泰安市", source="local")
    kb = SimpleNamespace(catalog=SimpleNamespace(laws_by_title=lambda t: [x for x in (national, jinan) if x.title == t]),
                         resolve_law=lambda name: jinan)
    registry = default_registry()
    scope = Scope(kb, registry, Understanding("优化营商环境", [], {}, {}))
    assert scope.elsewhere(jinan) and not scope.elsewhere(province) and not scope.elsewhere(uploaded)
    assert not scope.elsewhere(national)
    assert not Scope(kb, registry, Understanding("济南优化营商环境", [], {}, {})).elsewhere(jinan)  # named city
    assert not Scope(kb, registry, Understanding("优化营商环境", [], {}, {}), region="济南市").elsewhere(jinan)
    assert Selector(kb, registry).resolve("优化营商环境条例") is national  # not the city's regulation


def test_a_liability_list_is_quoted_with_its_whole_sentence():
    """政府信息公开条例第五十三条: its last clause alone (“构成犯罪的，依法追究刑事责任：（一）不依法履行……”) read as if
    every listed case were a crime; the clauses joined by ； before the colon stay one sentence with the 项."""
    from assistant.brief.questions import _units

    text = ("行政机关违反本条例的规定，有下列情形之一的，由上一级行政机关责令改正；情节严重的，对负有责任的领导人员和"
            "直接责任人员依法给予处分；构成犯罪的，依法追究刑事责任：\n（一）不依法履行政府信息公开职能；\n"
            "（二）违反本条例规定的其他情形。")
    units = _units(text)
    assert len(units) == 1
    lead, items = units[0]
    assert lead.startswith("行政机关违反本条例的规定") and lead.endswith("依法追究刑事责任：") and len(items) == 2
    # sentences ended by 。 stay apart
    assert len(_units("县级人民政府负责本行政区域的工作。有下列情形之一的，责令改正：\n（一）甲；\n（二）乙。")) == 2
