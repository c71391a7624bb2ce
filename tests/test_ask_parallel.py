"""A cadre's misconduct under both the party rule and the 政务处分 rule (fresh-4 s01, k01: one was left out)."""

from __future__ import annotations

from assistant.ask.models import Citation
from assistant.ask.offline import add_parallel, render
from knowledge.models import Article, Hit, Law

PARTY = Law(law_id="p", title="中国共产党纪律处分条例", level="党内法规")
GOV = Law(law_id="g", title="中华人民共和国公职人员政务处分法", level="法律")
CRIME_GOV = Article("g", 14, 14, "公职人员犯罪，有下列情形之一的，予以开除：\n（一）因故意犯罪被判处管制、拘役或者有期徒刑以上刑罚"
                    "（含宣告缓刑）的；\n（二）因过失犯罪被判处有期徒刑，刑期超过三年的；\n（三）因犯罪被单处或者并处剥夺政治权利的。")
CRIME_PARTY = Article("p", 34, 34, "党员犯罪，有下列情形之一的，应当给予开除党籍处分：\n（一）因故意犯罪被依法判处刑法规定的主刑（含宣告"
                      "缓刑）；\n（二）被单处或者附加剥夺政治权利；\n（三）因过失犯罪，被依法判处三年以上（不含三年）有期徒刑。")
FINE_PARTY = Article("p", 33, 33, "党员依法受到刑事责任追究的，党组织应当根据司法机关的生效判决、裁定、决定及其认定的事实、性质和情节，"
                     "依照本条例规定给予党纪处分。")
GIFT_PARTY = Article("p", 97, 97, "收受可能影响公正执行公务的礼品、礼金、消费卡（券）和有价证券、股权、其他金融产品等财物，情节较轻的，"
                     "给予警告或者严重警告处分；情节较重的，给予撤销党内职务或者留党察看处分。")
GIVE_PARTY = Article("p", 98, 98, "向从事公务的人员及其配偶、子女及其配偶等亲属和其他特定关系人赠送明显超出正常礼尚往来的礼品、礼金、"
                     "消费卡（券）和有价证券、股权、其他金融产品等财物，情节较轻的，给予警告或者严重警告处分。")
GIFT_GOV = Article("g", 34, 34, "收受可能影响公正行使公权力的礼品、礼金、有价证券等财物的，予以警告、记过或者记大过；情节较重的，"
                   "予以降级或者撤职；情节严重的，予以开除。")


def test_the_party_rule_on_the_same_crime_follows_a_government_lead_ranked_sixth():
    """s01: 党员 科长 judged for 醉驾 was led by 政务处分法第十四条第（一）项 and 纪律处分条例第三十四条 (retrieved sixth)
    was never cited; it now follows the lead, labelled, at its matching 项."""
    hits = [Hit(CRIME_GOV, GOV, 1.8), Hit(FINE_PARTY, PARTY, -1.0), Hit(CRIME_PARTY, PARTY, -1.6)]
    cites = [Citation.of(GOV, CRIME_GOV, None, 1)]
    add_parallel(cites, hits[0], hits)
    assert [(c.law_id, c.article, c.item, c.role) for c in cites] == [("g", 14, 1, "primary"), ("p", 34, 1, "parallel")]
    text = render(cites)
    assert text.split("\n")[1] == ("党纪处分方面：依据《中国共产党纪律处分条例》第三十四条第一项：党员犯罪，有下列情形之一的，"
                                   "应当给予开除党籍处分：……（一）因故意犯罪被依法判处刑法规定的主刑（含宣告缓刑）；")


def test_a_party_lead_on_gifts_gets_the_government_rule_not_a_related_one():
    """k01 the other way round: 纪律处分条例第九十七条 (收受) gets 政务处分法第三十四条, moved up from the related
    articles; 第九十八条 (赠送) is no parallel of a 政务处分 lead on 收受."""
    hits = [Hit(GIFT_PARTY, PARTY, 3.5), Hit(GIVE_PARTY, PARTY, 1.6), Hit(GIFT_GOV, GOV, 1.0)]
    cites = [Citation.of(PARTY, GIFT_PARTY), Citation.of(PARTY, GIVE_PARTY, role="related"),
             Citation.of(GOV, GIFT_GOV, role="related")]
    add_parallel(cites, hits[0], hits)
    assert [(c.article, c.role) for c in cites] == [(97, "primary"), (34, "parallel"), (98, "related")]
    assert cites[1].aspect == "政务处分方面"
    back = [Hit(GIFT_GOV, GOV, 3.6), Hit(GIVE_PARTY, PARTY, 1.6)]
    lone = [Citation.of(GOV, GIFT_GOV)]
    add_parallel(lone, back[0], back)
    assert len(lone) == 1  # 赠送 is not 收受: nothing is invented


def test_no_parallel_without_a_strong_match_or_outside_the_pairs():
    other = Law(law_id="x", title="中华人民共和国公务员法", level="法律")
    art = Article("x", 59, 59, "公务员应当遵纪守法，不得有下列行为：\n（一）收受可能影响公正执行公务的礼品；")
    hits = [Hit(art, other, 1.5), Hit(GIFT_PARTY, PARTY, 1.0)]
    cites = [Citation.of(other, art)]
    add_parallel(cites, hits[0], hits)
    assert len(cites) == 1  # 公务员法 pairs with nothing (data/parallel.json)
    hits = [Hit(CRIME_GOV, GOV, 1.8), Hit(GIFT_PARTY, PARTY, 1.0)]
    cites = [Citation.of(GOV, CRIME_GOV, None, 1)]
    add_parallel(cites, hits[0], hits)
    assert len(cites) == 1


def test_the_web_chat_message_shows_the_parallel_basis_under_the_lead():
    """The chat message had only the lead and a list of other cites: the parallel rule reads like the lead."""
    from assistant.ask.models import Answer, Lead
    from assistant.web.render import answer_markdown

    hits = [Hit(CRIME_GOV, GOV, 1.8), Hit(CRIME_PARTY, PARTY, -1.6)]
    cites = [Citation.of(GOV, CRIME_GOV, None, 1)]
    add_parallel(cites, hits[0], hits)
    first = cites[0]
    lead = Lead(first.cite, first.text, "g", 14, 0, None, 1, "公职人员犯罪，有下列情形之一的，予以开除：")
    md = answer_markdown(Answer(question="问", text=render(cites), citations=cites, supported=True, lead=lead))
    second = md.split("\n\n")[1]
    assert second.startswith("**党纪处分方面：依据《中国共产党纪律处分条例》第三十四条第一项**：党员犯罪")
    assert "因故意犯罪被依法判处刑法规定的主刑" in second


def test_an_article_asked_for_by_number_gets_no_parallel():
    """纪律处分条例第九十七条讲的什么 asks for that article only; a topic question led by it gets the parallel."""
    from assistant.ask.offline import OfflineComposer
    from assistant.ask.query import Query

    q = Query(question="问", search="问")
    asked = [Hit(GIFT_PARTY, PARTY, 1.0, via=("ref",)), Hit(GIFT_GOV, GOV, 0.5, via=("hybrid",))]
    ans = OfflineComposer(None).compose(q, asked, None)
    assert [c.article for c in ans.citations] == [97]
    topic = [Hit(GIFT_PARTY, PARTY, 1.0, via=("hybrid",), paragraph=1), Hit(GIFT_GOV, GOV, 0.5, via=("hybrid",))]
    ans = OfflineComposer(None).compose(q, topic, None)
    assert [(c.article, c.role) for c in ans.citations] == [(97, "primary"), (34, "parallel")]
