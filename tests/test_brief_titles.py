"""Laws made for a topic judged by their title core (round-4 司法局 review: 普及 -> 科普法, 住房 -> 住房公积金管理条例,
a false "no dedicated law" for 冬季城镇供热保障, 住房租赁条例 missing unsaid, old provincial rules beside a new law)."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.brief import kinds, titles
from assistant.brief.scope import Scope
from assistant.brief.select import LawPick, Selector, superseded_pairs
from assistant.brief.topics import Understanding, default_registry
from knowledge.models import Law

NATIONAL = dict(region="全国", source="national")


def _law(i: int, title: str, level: str = "法律", region: str = "全国", effective: str = "2020-01-01") -> Law:
    return Law(f"ref-{i}", title, level=level, region=region, source="national", effective_date=effective)


def _scope(topic: str, words: dict[str, float], laws: list[Law], aliases=None) -> Scope:
    kb = SimpleNamespace(catalog=SimpleNamespace(laws=lambda: laws,
                                                 laws_by_title=lambda t: [x for x in laws if x.title == t]),
                         resolve_law=lambda name: next((x for x in laws if x.title == name), None))
    u = Understanding(topic, [], dict(words), dict(words), aliases=aliases or {})
    return Scope(kb, default_registry(), u)


def test_title_core_strips_nation_region_and_kind():
    assert titles.title_core("政府投资条例") == "政府投资"
    assert titles.title_core("山东省供热条例", "山东省") == "供热"
    assert titles.title_core("山东省实施《中华人民共和国村民委员会组织法》办法", "山东省") == "村民委员会组织"
    assert titles.title_core("山东省村民委员会选举办法") == "村民委员会选举"  # a known title, no region given
    assert titles.core_words("中华人民共和国就业促进法", "全国") == ["就业"]  # 促进 is a generic word
    assert titles.core_words("中华人民共和国宪法", "全国") == []


def test_whole_title_core_leads_and_half_covered_titles_do_not():
    preschool = _law(1, "中华人民共和国学前教育法", effective="2025-06-01")
    science = _law(2, "中华人民共和国科学技术普及法")
    education = _law(3, "中华人民共和国教育法")
    s = _scope("学前教育普及普惠发展", {"学前教育": 3.5, "普及": 2.5, "普惠": 3.0, "发展": 0.3},
               [preschool, science, education])
    assert s.title_fit(preschool) == titles.FULL and s.specific(preschool)
    assert s.title_fit(science) == titles.HALF and not s.specific(science)  # 普及 alone: 科普法 is not for it
    assert not s.specific(education)  # 教育 is only part of the topic's 学前教育
    assert s.dedicated() == [preschool]

    fund = _law(4, "住房公积金管理条例", "行政法规")
    s = _scope("住房租赁市场规范管理", {"住房": 3.0, "租赁": 3.0, "市场": 1.0, "规范": 0.3, "管理": 0.3}, [fund])
    assert s.title_fit(fund) == titles.HALF and not s.specific(fund) and s.dedicated() == []


def test_word_order_and_the_province_dedicated_regulation():
    employ = _law(1, "中华人民共和国就业促进法")
    disabled = _law(2, "残疾人就业条例", "行政法规")
    old = _law(3, "劳动就业服务企业管理规定", "行政法规")
    s = _scope("促进就业工作", {"促进": 0.3, "就业": 3.0}, [employ, disabled, old])
    assert s.specific(employ) and not s.specific(disabled) and not s.specific(old)  # 就业促进 = 促进就业

    heat = _law(4, "山东省供热条例", "地方性法规", "山东省")
    linyi = _law(5, "临沂市供热条例", "地方性法规", "临沂市")
    elderly = _law(6, "山东省老年人权益保障条例", "地方性法规", "山东省")
    s = _scope("冬季城镇供热保障", {"冬季": 3.0, "城镇": 2.0, "供热": 3.5, "保障": 1.0}, [heat, linyi, elderly])
    assert s.dedicated() == [heat] and s.title_carries_subject(heat)  # so no "没有专门规定" caution
    assert not s.specific(elderly)


def test_beside_a_titled_law_searched_laws_must_name_its_subject():
    invest = _law(1, "政府投资条例", "行政法规")
    s = _scope("政府投资项目管理", {"政府": 0.3, "投资": 3.0, "项目管理": 2.5}, [invest])
    assert s.core_phrases(invest) == {"政府投资", "投资政府"}  # 投资 alone is in 慈善条例's articles


def test_known_missing_instrument_is_named():
    civil = _law(1, "中华人民共和国民法典")
    s = _scope("住房租赁市场规范管理", {"住房": 3.0, "租赁": 3.0, "市场": 1.0}, [civil])
    sel = Selector(s.kb, default_registry())
    missing = sel._known_missing(s)
    assert ("住房租赁条例", "行政法规") in missing
    assert all("供热" not in t for t, _lv in missing)
    s = _scope("村民委员会换届选举", {"村民": 2.0, "委员会": 1.0, "换届选举": 3.5}, [civil])
    assert ("山东省村民委员会选举办法", "地方性法规") in Selector(s.kb, default_registry())._known_missing(s)


def test_older_provincial_regulation_under_a_newer_law_is_flagged():
    law = _law(1, "中华人民共和国村民委员会组织法", effective="2026-01-01")
    rules = _law(2, "山东省实施《中华人民共和国村民委员会组织法》办法", "地方性法规", "山东省", "2013-01-01")
    newer = _law(3, "山东省就业促进条例", "地方性法规", "山东省", "2016-03-30")
    employ = _law(4, "中华人民共和国就业促进法", effective="2015-04-24")
    older = superseded_pairs([LawPick(law, "主题点名", 1.0), LawPick(rules, "主题点名", 1.0),
                              LawPick(newer, "主题点名", 1.0), LawPick(employ, "主题点名", 1.0)])
    assert older == {rules.law_id: law}


def test_reward_and_encouragement_articles_are_peripheral():
    assert kinds.peripheral("对在促进就业工作中作出显著成绩的单位和个人，依照国家有关规定给予表彰和奖励。")
    assert not kinds.peripheral("县级以上人民政府应当在财政预算中安排就业专项资金用于促进就业工作。")
    assert not kinds.peripheral("国家鼓励社会力量举办普惠性幼儿园。地方各级人民政府应当予以扶持。")
    assert not kinds.peripheral("承租人请求解除合同的，人民法院应予支持。")  # a holding, not an encouragement


def test_in_a_titled_law_the_topics_further_words_rank_first():
    from assistant.brief.score import Scorer
    from knowledge.models import Article

    law = _law(1, "中华人民共和国村民委员会组织法", effective="2026-01-01")
    s = _scope("村民委员会换届选举", {"村民": 1.8, "委员会": 0.9, "换届选举": 3.6}, [law])
    s.read_whole.add(law.law_id)
    scorer = Scorer(s)
    text = "年满十八周岁的村民，不分民族、种族、性别、职业，都有{}权和被{}权；但是，依照法律被剥夺政治权利的人除外。"
    vote = Article(law.law_id, 16, 16, text.format("选举", "选举"), chapter="第三章 村民委员会的选举")
    other = Article(law.law_id, 16, 16, text.format("表决", "表决"), chapter="第三章 村民委员会的选举")
    a, b = scorer.candidate(law, vote, 0.0), scorer.candidate(law, other, 0.0)
    # 选举, a part of the topic's 换届选举 that the law's title does not carry, lifts the article
    assert a is not None and b is not None and a.score > b.score
    assert kinds.titled_weight("幼儿园不得采用小学化的教育方式") == kinds.BAN_WEIGHT
    assert kinds.titled_weight("县级以上地方人民政府应当以县级行政区划为单位制定幼儿园布局规划") == kinds.COUNTY_WEIGHT


def test_questions_ask_about_the_quoted_deadline_actor_and_liability_case():
    from assistant.brief.model import Quote
    from assistant.brief.questions import _derived

    u = Understanding("冬季城镇供热保障", [], {"供热": 3.5}, {"供热": 3.5, "冬季": 3.0})
    heat = "山东省供热条例"
    temp = Quote("h", heat, 21, 0, "供热企业应当在接到用户室温检测要求后二十四小时内进行检测。", theme="怎么办")
    assert "“二十四小时内”" in _derived("怎么办", temp, u)  # the deadline itself, not “是否做到了”
    duty = Quote("h", heat, 4, 0, "县级以上人民政府应当将供热事业纳入国民经济和社会发展规划，建立完善的供热保障体系。",
                 theme="谁负责")
    q = _derived("谁负责", duty, u)
    assert "县政府落实这项职责" in q and "由哪个部门牵头" not in q
    liable = Quote("h", heat, 53, 0, "违反本条例规定，供热主管部门和其他有关部门有下列行为之一的，依法给予处分：\n"
                   "（一）未按照规定编制或者擅自变更供热专项规划的；\n（二）其他玩忽职守的。", theme="追责")
    assert "未按照规定编制或者擅自变更供热专项规划" in _derived("追责", liable, u)


def test_regulated_duties_only_from_the_law_made_for_the_topic():
    """供热企业应当保证……不低于十八摄氏度 is what the county must supervise when it is the law made for 供热 that says it;
    the same duty in a law made for something else (老年人权益保障) is no part of the brief."""
    from knowledge.models import Article
    from assistant.brief.score import Scorer

    heat = _law(1, "山东省供热条例", "地方性法规", "山东省")
    elderly = _law(2, "山东省老年人权益保障条例", "地方性法规", "山东省")
    s = _scope("冬季城镇供热保障", {"冬季": 3.0, "城镇": 2.0, "供热": 3.5, "保障": 1.0}, [heat, elderly])
    text = "供热企业应当保证采暖供热期内用户卧室、起居室的温度不低于十八摄氏度。"
    scorer = Scorer(s)
    own = scorer.candidate(heat, Article(heat.law_id, 21, 21, text), 0.0)
    assert own is not None and own.theme == "监管" and own.target == "监管对象"
    assert scorer.candidate(elderly, Article(elderly.law_id, 21, 21, text), 0.0) is None
    # of a regulated party's duties, one with a checkable standard ranks above a bare one
    bare = scorer.candidate(heat, Article(heat.law_id, 34, 34, "供热企业应当对其负责运营管理的供热设施进行定期检查和维护。"), 0.0)
    assert bare is not None and own.score > bare.score
    # a company's mere option (可以) is no duty to supervise
    assert scorer.candidate(heat, Article(heat.law_id, 24, 24, "供热企业可以自行向用户收取热费。"), 0.0) is None


def test_a_ban_lifts_an_article_of_the_titled_law_even_when_the_topic_says_no_more_than_its_title():
    """促进就业工作 adds nothing to 就业促进法's title: its bans (不得实施就业歧视) still rank above plain duties."""
    from knowledge.models import Article
    from assistant.brief.score import Scorer

    employ = _law(1, "中华人民共和国就业促进法")
    s = _scope("促进就业工作", {"促进": 0.3, "就业": 3.0}, [employ])
    scorer = Scorer(s)
    ban = scorer.candidate(employ, Article(employ.law_id, 26, 26, "地方各级人民政府和有关部门不得实施就业歧视。"), 0.0)
    plain = scorer.candidate(employ, Article(employ.law_id, 27, 27, "地方各级人民政府和有关部门应当反对就业歧视。"), 0.0)
    assert ban is not None and plain is not None and ban.score > plain.score


def test_an_organ_named_in_a_procedure_is_no_duty_word():
    """报投资主管部门审批 names an organ; the article is a procedure (怎么办), not a division of duties (政府投资条例 第九条)."""
    from knowledge.models import Article

    text = ("政府采取直接投资方式、资本金注入方式投资的项目，项目单位应当编制项目建议书、可行性研究报告、初步设计，"
            "按照政府投资管理权限和规定的程序，报投资主管部门或者其他有关部门审批。")
    assert kinds.theme(Article("x", 9, 9, text), text) == "怎么办"
    duty = "县级以上人民政府投资主管部门负责本行政区域内政府投资的综合管理工作。"
    assert kinds.theme(Article("x", 7, 7, duty), duty) == "谁负责"


def test_a_citizens_application_duty_is_nothing_the_county_supervises():
    """法律援助工作: 申请人应当如实说明经济困难状况 is how to apply, not a regulated party's duty; 律师事务所 duties are."""
    assert not kinds.regulated_duty("因经济困难申请法律援助的，申请人应当如实说明经济困难状况。")
    assert not kinds.regulated_duty("公民申请代理、刑事辩护的法律援助应当提交下列证件、证明材料：")
    assert kinds.regulated_duty("律师事务所应当依法履行法律援助义务，支持和保障本所律师提供法律援助。")
    assert kinds.regulated_duty("房屋租赁，出租人和承租人应当签订书面租赁合同，并向房产管理部门登记备案。")


def test_page_one_never_quotes_a_delegation_and_a_regulated_duty_reads_as_the_partys():
    from assistant.brief.model import Quote
    from assistant.brief.questions import clause

    u = Understanding("冬季城镇供热保障", [], {"供热": 3.5, "城镇": 2.0}, {"供热": 3.5, "城镇": 2.0})
    subsidy = Quote("x", "山东省供热条例", 27, 0, "对城镇低收入困难家庭和其他需要特殊照顾的家庭，实行政府采暖热费补贴。"
                    "具体办法由设区的市、县（市）人民政府制定。", theme="是什么")
    assert clause(subsidy, u) == "对城镇低收入困难家庭和其他需要特殊照顾的家庭，实行政府采暖热费补贴"
    fee = Quote("x", "山东省供热条例", 23, 0, "用户具备分户用热计量条件的，供热企业应当按照用热量收费。\n"
                "设区的市、县（市）供热计量整体改造完成前，超过部分的收费上限，由设区的市、县（市）人民政府确定。",
                theme="监管", target="监管对象")
    assert clause(fee, u, 120) == "用户具备分户用热计量条件的，供热企业应当按照用热量收费"


def test_standard_budget_gives_the_titled_law_twenty_places_and_the_regulated_part_its_own_room():
    """促进就业工作, 政府投资项目管理: eighteen places left 就业促进法 第五十八条 and 政府投资条例 第五条 out of a brief
    of 4,500 characters; the regulated parties' duties come on top and never displace the government's."""
    from knowledge.models import Article
    from assistant.brief.score import Candidate
    from assistant.brief.writer import LIMITS, BriefWriter

    law = _law(1, "政府投资条例", "行政法规")
    themes = ["是什么"] * 3 + ["谁负责"] * 9 + ["怎么办"] * 5 + ["红线"] * 4 + ["追责"] * 3
    cands = [Candidate(law, Article(law.law_id, i, i, f"县级人民政府应当做第{i}件事。"), None,
                       f"县级人民政府应当做第{i}件事。", 30.0 - i, 3.0, theme=t) for i, t in enumerate(themes, 1)]
    regulated = [Candidate(law, Article(law.law_id, 50 + i, 50 + i, f"项目单位应当做第{i}件事。"), None,
                           f"项目单位应当做第{i}件事。", 1.0, 3.0, audience=0.55, theme="监管") for i in range(1, 6)]
    regulated.append(Candidate(law, Article(law.law_id, 60, 60, "违反本条例规定，项目单位擅自停工的，处十万元以上罚款。"), None,
                               "违反本条例规定，项目单位擅自停工的，处十万元以上罚款。", 1.0, 3.0, audience=0.5, theme="追责"))
    pick = LawPick(law, "主题点名", 10.0, cands + regulated)
    out = BriefWriter._budget([pick], LIMITS["standard"])
    government = [q for q in out if not q.target]
    assert len(government) == 20
    assert sum(q.theme == "监管" for q in out) == 3 and all(q.target == "监管对象" for q in out if q.theme == "监管")
    assert any(q.number == 60 for q in out)  # and the one sanction of a regulated party beside them


def test_over_length_the_regulated_part_gives_way_first():
    from assistant.brief.model import Brief, Quote
    from assistant.brief.writer import LIMITS, BriefWriter

    u = Understanding("冬季城镇供热保障", [], {"供热": 3.5}, {"供热": 3.5})
    gov = [Quote("x", "山东省供热条例", i, 0, f"县级以上人民政府应当做好供热第{i}项工作。" + "甲" * 400, theme="谁负责", score=4.0)
           for i in range(1, 15)]
    reg = [Quote("x", "山东省供热条例", 20 + i, 0, f"供热企业应当做好第{i}项供热服务。" + "乙" * 100, theme="监管",
                 score=9.0, target="监管对象") for i in range(1, 4)]
    brief = Brief("冬季城镇供热保障", "standard", quotes=gov + reg)
    w = BriefWriter(SimpleNamespace(catalog=SimpleNamespace(laws=lambda: [])))
    w._fit(brief, u, LIMITS["standard"])
    assert len(brief.to_markdown()) <= 6000
    assert not brief.themed("监管") and len(brief.themed("谁负责")) >= 10  # the part on top went before any duty


def test_a_courts_rule_in_a_judicial_interpretation_is_no_duty_of_the_countys_organs():
    """人民法院按照下列顺序确定履行合同的承租人 was quoted under 谁负责 and asked about as 政府和部门的职责."""
    from knowledge.models import Article
    from assistant.brief.score import Scorer

    interp = _law(1, "最高人民法院关于审理城镇房屋租赁合同纠纷案件具体应用法律若干问题的解释", "司法解释")
    s = _scope("房屋租赁纠纷化解", {"房屋": 2.0, "租赁": 3.0, "纠纷": 1.0}, [interp])
    text = "出租人就同一房屋订立数份租赁合同，在合同均有效的情况下，承租人均主张履行合同的，人民法院按照下列顺序确定履行合同的承租人："
    c = Scorer(s).candidate(interp, Article(interp.law_id, 5, 5, text), 0.5)
    assert c is not None and kinds.theme(Article("x", 5, 5, text), text) == "谁负责" and c.theme == "是什么"


def test_the_countys_own_duties_in_the_titled_law_pass_their_themes_share():
    """促进就业工作: 就业促进法 第五十八条 (县级以上人民政府……目标责任制) was the seventh 谁负责 article and lost its
    place to weaker 怎么办 articles (国家采取措施建立健全劳动预备制度) kept by that theme's share."""
    from knowledge.models import Article
    from assistant.brief.score import Candidate
    from assistant.brief.writer import LIMITS, BriefWriter

    law = _law(1, "中华人民共和国就业促进法")
    cands = []
    for i, (theme, score, county, audience) in enumerate(
            [("是什么", 20.0, 0.0, 1.0)] * 3 + [("谁负责", 18.0, 5.0, 1.4)] * 8 + [("怎么办", 6.0, 0.0, 0.7)] * 5 +
            [("红线", 6.0, 0.0, 1.0)] * 4 + [("追责", 6.0, 0.0, 1.0)] * 3, 1):
        text = f"县级以上人民政府应当做第{i}件事。"
        cands.append(Candidate(law, Article(law.law_id, i, i, text), None, text, score - i * 0.01, 3.0,
                               county=county, audience=audience, theme=theme))
    out = BriefWriter._budget([LawPick(law, "主题点名", 10.0, cands)], LIMITS["standard"])
    assert len(out) == 20 and sum(q.theme == "谁负责" for q in out) >= 7
    assert sum(q.theme == "怎么办" for q in out) >= 3  # each theme keeps its first places


def test_an_agenda_kind_names_the_instrument_its_title_does_not_spell():
    # round-5 review: 校园食品安全管理 lacked 学校食品安全与营养健康管理规定 unsaid (学校, 营养, 健康 are not in the
    # topic), and 八项规定 named none of 厉行节约条例, 问责条例, 公务接待规定
    civil = _law(1, "中华人民共和国食品安全法")
    s = _scope("校园食品安全管理", {"校园": 3.0, "食品安全": 3.0, "管理": 0.3}, [civil])
    missing = [t for t, _lv in Selector(s.kb, default_registry())._known_missing(s)]
    assert "学校食品安全与营养健康管理规定" in missing
    s = _scope("深入贯彻中央八项规定精神", {"八项规定": 3.5, "精神": 1.0}, [civil])
    missing = [t for t, _lv in Selector(s.kb, default_registry())._known_missing(s)]
    assert {"党政机关厉行节约反对浪费条例", "中国共产党问责条例"} <= set(missing) and len(missing) <= 4
    s = _scope("农村公路养护", {"农村公路": 3.0, "养护": 3.0}, [civil])
    assert "党政机关厉行节约反对浪费条例" not in [t for t, _lv in Selector(s.kb, default_registry())._known_missing(s)]


def test_older_implementing_regulation_and_same_subject_province_rules_are_flagged():
    # round-5 review: 行政复议法实施条例 (2007) led beside 行政复议法 (2023) unflagged; 山东省民营经济发展促进条例
    # (2022) was quoted beside 民营经济促进法 (2025) with no word on which governs
    law = _law(1, "中华人民共和国行政复议法", effective="2024-01-01")
    impl = _law(2, "中华人民共和国行政复议法实施条例", "行政法规", effective="2007-08-01")
    private = _law(3, "中华人民共和国民营经济促进法", effective="2025-05-20")
    rules = _law(4, "山东省民营经济发展促进条例", "地方性法规", "山东省", "2022-01-01")
    picks = [LawPick(x, "主题点名", 1.0) for x in (law, impl, private, rules)]
    assert superseded_pairs(picks) == {impl.law_id: law, rules.law_id: private}
    newer = _law(5, "中华人民共和国行政复议法实施条例", "行政法规", effective="2025-01-01")
    assert superseded_pairs([LawPick(law, "主题点名", 1.0), LawPick(newer, "主题点名", 1.0)]) == {}


def test_a_law_not_yet_in_force_is_quoted_last_and_only_under_what_it_is():
    from assistant.brief.score import Candidate
    from assistant.brief.writer import LIMITS, BriefWriter
    from knowledge.models import Article

    pending = _law(1, "中华人民共和国医疗保障法", effective="2027-01-01")
    current = _law(2, "医疗保障基金使用监督管理条例", "行政法规")
    text = "违反本法规定，骗取医疗保障基金支出的，由医疗保障行政部门责令退回，处骗取金额二倍以上五倍以下的罚款。"
    art = Article(pending.law_id, 49, 49, text)
    cand = Candidate(pending, art, None, text, 9.0, 0.0)
    cand.theme = "追责"
    now = Article(current.law_id, 40, 40, "定点医药机构通过伪造医学文书等方式骗取医疗保障基金支出的，责令退回。")
    cand2 = Candidate(current, now, None, now.text, 1.0, 0.0)
    cand2.theme = "追责"
    picks = [LawPick(pending, "主题点名", 9.0, [cand]), LawPick(current, "主题点名", 1.0, [cand2])]
    quotes = BriefWriter._budget(picks, LIMITS["standard"], {pending.law_id})
    assert [q.law_id for q in quotes] == [current.law_id, pending.law_id]
    assert quotes[1].theme == "是什么" and quotes[0].theme == "追责"
