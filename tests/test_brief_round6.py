"""Round-5 second review (县司法局, mean 2.0/5): truncated enumerations, no currency check, no 红线 part, action items
for organs the county has not, a closing line implying completeness, a dishonest length estimate."""

from __future__ import annotations

import io
from types import SimpleNamespace

from assistant.brief import currency
from assistant.brief.actions import action_items
from assistant.brief.model import Brief, LawEntry, Quote
from assistant.brief.outline import CLOSING, study_minutes
from assistant.brief.questions import _derived, _see, clause, key_points, topic_phrase
from assistant.brief.redlines import red_lines
from assistant.brief.topics import Understanding
from knowledge.models import STATUS_CURRENT, Article, Law

WATER = "取水许可和水资源费征收管理条例"
# 第四十七条第一款: who is punished, how, then the criminal clause, then the items
LIABILITY = ("县级以上地方人民政府水行政主管部门、流域管理机构或者其他有关部门及其工作人员，有下列行为之一的，由其上级行政"
             "机关或者监察机关责令改正；情节严重的，对直接负责的主管人员和其他直接责任人员依法给予行政处分；构成犯罪的，"
             "依法追究刑事责任：\n（一）对符合法定条件的取水申请不予受理或者不在法定期限内批准的；\n"
             "（二）对不符合法定条件的申请人签发取水申请批准文件或者发放取水许可证的；\n"
             "（三）违反审批权限签发取水申请批准文件或者发放取水许可证的；\n"
             "（四）不按照规定征收水资源费，或者对不符合缓缴条件而批准缓缴水资源费的；\n（五）侵占、截留、挪用水资源费的；\n"
             "（六）不履行监督职责，发现违法行为不予查处的；\n（七）其他滥用职权、玩忽职守、徇私舞弊的行为。")
REFUSE = ("有下列情形之一的，审批机关不予批准，并在作出不批准的决定时，书面告知申请人不批准的理由和依据：\n"
          "（一）在地下水禁采区取用地下水的；\n（二）在取水许可总量已经达到取水许可控制总量的地区增加取水量的；\n"
          "（三）可能对水功能区水域使用功能造成重大损害的；\n（四）取水、退水布局不合理的；\n"
          "（五）城市公共供水管网能够满足用水需要时，建设项目自备取水设施取用地下水的；\n"
          "（六）可能对第三者或者社会公共利益产生重大损害的；\n（七）属于备案项目，未报送备案的；\n（八）法律、行政法规规定的其他情形。")
U = Understanding("取用水管理", [], {"取水": 3.0, "取水许可": 4.0}, {"取水": 3.0, "取水许可": 4.0})


def _water(*quotes) -> Brief:
    b = Brief(topic="强化水资源刚性约束和取用水管理", length="standard", quotes=list(quotes), date="2026-12-01")
    b.laws = [LawEntry("w", WATER, "行政法规", None, "", STATUS_CURRENT, "主题点名", effective="2017-03-01")]
    return b


# ---- 1. an enumeration is quoted whole or not at all ---------------------------------------------------------
def test_a_liability_list_too_long_for_its_line_is_never_cut_from_its_items():
    q = Quote("w", WATER, 47, 0, LIABILITY, theme="追责", paragraph=1)
    for n in (70, 120, 160):
        c = clause(q, U, n)
        assert c is None or ("……" not in c and (("（一）" in c) <= ("有下列行为之一的" in c)))
    whole = clause(q, U, 400)
    assert whole is not None and whole.startswith("县级以上") and "（七）" in whole
    point = dict(key_points(_water(q), U)).get("追责", "")
    assert "……" not in point and not point.startswith("责任：《取水许可和水资源费征收管理条例》第四十七条第一款规定，“构成犯罪")


def test_a_question_stem_never_embeds_an_enumeration_nor_names_a_bare_item():
    refuse = Quote("w", WATER, 20, 0, REFUSE + "\n审批的取水量不得超过取水工程或者设施设计的取水量。", theme="怎么办")
    liab = Quote("w", WATER, 47, 0, LIABILITY, theme="追责", paragraph=1)
    for q in (refuse, liab):
        stem = _derived(q.theme, q, U)
        assert "（一）" not in stem and "……" not in stem, stem
    ban = Quote("w", WATER, 20, 0, "任何单位和个人不得在地下水禁采区取用地下水。", theme="红线")
    stem = _derived("红线", ban, Understanding(
        "学习《中华人民共和国水法》《取水许可和水资源费征收管理条例》，强化水资源刚性约束和取用水管理", [], U.words, U.weights))
    assert "。强化水资源刚性约束和取用水管理中哪些做法" in stem and "学习《" not in stem


def test_a_reference_answer_never_is_the_state_councils_sentence():
    fire = Quote("f", "中华人民共和国消防法", 3, 0, "国务院领导全国的消防工作。地方各级人民政府负责本行政区域内的消防工作。",
                 theme="谁负责")
    u = Understanding("消防安全管理", [], {"消防": 3.0}, {"消防": 3.0})
    stem = _derived("谁负责", fire, u)
    answer = _see("谁负责", fire, u, stem)
    assert "国务院领导全国" not in answer and "国务院领导全国" not in stem


def test_topic_phrase_drops_the_study_of_named_laws():
    assert topic_phrase("学习《中华人民共和国水法》《取水许可和水资源费征收管理条例》，强化水资源刚性约束和取用水管理") == \
        "强化水资源刚性约束和取用水管理"
    assert topic_phrase("燃气安全专项整治") == "燃气安全专项整治"


# ---- 2. currency -------------------------------------------------------------------------------------------------
def test_old_names_in_quoted_articles_are_flagged_with_year_and_source():
    a = Quote("s", "山东省消防条例", 39, 0, "公安机关消防机构应当加强消防法律、法规的宣传。", theme="谁负责")
    b = Quote("s", "山东省消防条例", 58, 0, "公安机关消防机构对消防设计审核不合格的，不予批准。", theme="追责")
    ok = Quote("x", "中华人民共和国消防法", 4, 0, "由本级人民政府消防救援机构负责实施。", theme="谁负责")
    notes = currency.term_notes([a, b, ok])
    fire = next(n for n in notes if "“公安机关消防机构”" in n)
    assert "第三十九条、第五十八条" in fire and "2018年" in fire and "消防救援机构" in fire and "请核对" in fire
    assert any("“消防设计审核”" in n and "住房和城乡建设" in n for n in notes)
    assert not any("消防法》第四条" in n for n in notes)
    eco = currency.old_terms("县级以上人民政府环境保护行政主管部门负责")
    assert [t.old for t in eco] == ["环境保护行政主管部门"]
    assert any(t.old == "水资源费" and t.year == 2024 for t in currency.old_terms(LIABILITY))


def test_an_old_current_version_asks_to_check_for_a_revision():
    old = LawEntry("b", "殡葬管理条例", "行政法规", None, "", STATUS_CURRENT, "主题点名", effective="2012-11-09")
    new = LawEntry("f", "中华人民共和国消防法", "法律", None, "", STATUS_CURRENT, "主题点名", effective="2021-04-29")
    notes = currency.age_notes([old, new], "2026-12-01")
    assert len(notes) == 1 and "《殡葬管理条例》" in notes[0] and "请核对是否已修订" in notes[0]


def test_currency_notes_are_a_visible_part_of_markdown_and_word():
    from docx import Document

    from assistant.brief import brief_docx_bytes

    b = _water(Quote("w", WATER, 47, 0, LIABILITY, theme="追责", paragraph=1))
    b.currency = currency.term_notes(b.quotes)
    md = b.to_markdown()
    assert "时效提示" in md and "水资源税" in md
    text = "\n".join(p.text for p in Document(io.BytesIO(brief_docx_bytes(b))).paragraphs)
    assert "时效提示" in text and "水资源税" in text


# ---- 5. what the knowledge base lacks -------------------------------------------------------------------------
def test_lacking_rules_are_said_and_the_closing_claims_no_completeness():
    rule = SimpleNamespace(level="部门规章", title="高层民用建筑消防安全管理规定", is_current=True)
    catalog = SimpleNamespace(laws=lambda: [rule])
    laws = [LawEntry("w", WATER, "行政法规", None, "", STATUS_CURRENT, "主题点名"),
            LawEntry("f", "中华人民共和国消防法", "法律", None, "", STATUS_CURRENT, "主题点名")]
    notes = currency.unheld_notes(catalog, laws, "山东省")
    assert any(f"《{WATER}》" in n and "部门规章" in n and "山东省政府规章" in n and "需人工核对" in n for n in notes)
    assert any("《中华人民共和国消防法》" in n and "部门规章" not in n for n in notes)  # a 消防 rule is held
    assert "引文均为原文" not in CLOSING and "人工核对" in CLOSING


# ---- 6. red lines, the meeting's decisions, length ------------------------------------------------------------
def test_a_brief_without_a_ban_gets_the_selected_laws_own_red_line():
    law = Law("g", "中华人民共和国政府信息公开条例", "行政法规")
    arts = [Article("g", 1, 1, "为了保障公民、法人和其他组织依法获取政府信息，制定本条例。"),
            Article("g", 15, 15, "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开。"),
            Article("g", 40, 40, "禁止在公共场所吸烟。"),
            Article("g", 33, 33, "行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复。")]
    kb = SimpleNamespace(catalog=SimpleNamespace(articles=lambda _lid: arts))
    quoted = [Quote.of(law, arts[3], theme="怎么办")]
    u = Understanding("政府信息依申请公开", [], {"政府信息": 4.0}, {"政府信息": 4.0})
    reds = red_lines(kb, [SimpleNamespace(law=law)], quoted, u)
    assert [(q.number, q.theme) for q in reds] == [(15, "红线")]
    assert red_lines(kb, [SimpleNamespace(law=law)], [*quoted, *reds], u) == []


def test_action_items_leave_out_organs_the_county_has_not_and_case_deadlines():
    watch = Quote("w", WATER, 38, 0, "县级以上人民政府水行政主管部门或者流域管理机构应当依照本条例规定，加强对取水许可制度实施的"
                  "监督管理。", theme="谁负责")
    deadline = Quote("w", WATER, 13, 0, "县级以上地方人民政府水行政主管部门或者流域管理机构，应当自收到取水申请之日起5个工作日内"
                     "对申请材料进行审查。", theme="怎么办")
    basin = Quote("w", WATER, 3, 0, "流域管理机构应当依照本条例规定负责所管辖范围内取水许可制度的组织实施。", theme="谁负责")
    report = Quote("g", "中华人民共和国政府信息公开条例", 49, 0, "县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作"
                   "主管部门提交本行政机关上一年度政府信息公开工作年度报告。", theme="怎么办")
    items = action_items(_water(watch, deadline, basin, report))
    assert items == ["县水行政主管部门应当依照本条例规定，加强对取水许可制度实施的监督管理（《取水许可和水资源费征收管理条例》"
                     "第三十八条）"]


def test_the_length_estimate_counts_the_whole_brief():
    q = Quote("w", WATER, 20, 0, "取" * 2500, theme="怎么办")
    b = _water(q)
    assert study_minutes(b) == 10
    b.questions = [SimpleNamespace(question="问" * 100, answer="答" * 150)] * 5
    assert study_minutes(b) == 10 + 5 + 10


# ---- 3. the topic's own words -----------------------------------------------------------------------------------
def test_study_verb_and_title_words_are_no_topic_words():
    from assistant.brief.topics import topic_words

    words = topic_words("学习《中华人民共和国政府信息公开条例》，规范政府信息依申请公开办理")
    assert "学习" not in words and "中华人民共和国" not in words and "条例" not in words
    assert "政府信息公开" in words and "依申请公开" in words


def test_a_neighbouring_sub_topic_weighs_little_and_the_statutes_word_order_counts():
    from assistant.brief.topics import default_registry, understand

    counts = {"政府信息公开": 300, "政府信息": 400, "依申请公开": 3, "公开申请": 40, "申请": 5000, "公开": 3000,
              "办理": 2000, "规范": 3000, "政府": 9000, "信息": 2000, "主动公开": 30}
    u = understand("学习《中华人民共和国政府信息公开条例》，规范政府信息依申请公开办理", default_registry(),
                   lambda t: counts.get(t, 0), total=26000)
    assert u.weights.get("主动公开", 0) <= 0.3 < u.weights["依申请公开"]  # the registry's 主动公开 is a sibling
    assert u.has("依申请公开", "行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复。")
    assert u.weights["政府信息公开"] > 1  # the named law's own subject is no sibling


# ---- 4. related instruments ---------------------------------------------------------------------------------------
def test_a_closely_related_instrument_is_added_only_when_its_title_and_several_articles_carry_the_subject():
    from assistant.brief.related import related

    def arts(lid, n, text):
        return [Article(lid, i, i, text) for i in range(1, n + 1)]

    named = arts("q", 5, "取水单位应当按照用水计划取水，节约水资源。")
    laws = {"s": Law("s", "节约用水条例", "行政法规"), "t": Law("t", "中华人民共和国反恐怖主义法", "法律"),
            "g": Law("g", "地下水管理条例", "行政法规")}
    found = {"s": arts("s", 4, "县级以上人民政府水行政主管部门应当加强用水定额管理，取水单位应当节约用水。"),
             "t": arts("t", 4, "取水、用水设施的安全防范……"), "g": arts("g", 2, "取用地下水的单位应当安装取水计量设施，用水……")}
    kb = SimpleNamespace(catalog=SimpleNamespace(articles=lambda lid: named if lid == "q" else [],
                                                 law=lambda lid: laws[lid]),
                         articles_with=lambda words, least=2: found)
    scope = SimpleNamespace(usable=lambda law: True, provincial=lambda law: False)
    scorer = SimpleNamespace(candidate=lambda law, a, r: SimpleNamespace(terms=6.0, score=6.0))
    words = {"取水": 2.2, "用水": 1.6, "水资源": 2.1}
    u = Understanding("学习《取水许可和水资源费征收管理条例》，强化取用水管理", [], words, words)
    out = related(kb, scope, scorer, u, {"q"}, set(), 9.0, 2)
    assert [law.title for law, _c in out] == ["节约用水条例"]  # 反恐怖主义法's title names no 用水; 地下水 has 2 only
    plain = Understanding("强化取用水管理", [], words, words)  # a registry-style topic naming no law adds none
    assert related(kb, scope, scorer, plain, {"q"}, set(), 9.0, 2) == []


def test_the_length_cut_keeps_a_named_law_and_drops_an_article_about_a_superseded_system_first():
    from assistant.brief.writer import BriefWriter

    fee = Quote("w", WATER, 33, 0, "取水审批机关确定水资源费缴纳数额后，应当送达水资源费缴纳通知单。" + "水资源费" * 3,
                theme="怎么办", score=9.0)
    assert currency.superseded(fee.text) and not currency.superseded(LIABILITY)
    duty = Quote("w", WATER, 38, 0, "县级以上人民政府水行政主管部门应当加强对取水许可制度实施的监督管理。" * 20,
                 theme="谁负责", score=5.0)
    law = Quote("s", "中华人民共和国水法", 30, 0, "县级以上人民政府水行政主管部门……应当注意维持江河的合理流量。" * 5,
                theme="谁负责", score=1.0)
    plan = Quote("w", WATER, 6, 0, "实施取水许可必须符合水资源综合规划。", theme="是什么", score=7.0)
    b = _water(fee, duty, law, plan)
    b.topic = "学习《中华人民共和国水法》《取水许可和水资源费征收管理条例》，强化取用水管理"
    b.laws.append(LawEntry("s", "中华人民共和国水法", "法律", None, "", STATUS_CURRENT, "主题点名"))
    writer = BriefWriter.__new__(BriefWriter)
    writer.kb = SimpleNamespace(catalog=SimpleNamespace(laws=lambda: []))
    writer.selector = SimpleNamespace(resolve=lambda _t: None)
    limits = SimpleNamespace(total=len(b.to_markdown()) - 10, questions=0)
    writer._fit(b, U, limits)
    assert [q.number for q in b.quotes] == [38, 30, 6]  # the 水资源费 article went; the named 水法's one stayed


def test_a_liability_question_names_the_case_with_who_is_liable_and_how():
    liab = Quote("w", WATER, 47, 0, LIABILITY, theme="追责", paragraph=1)
    stem = _derived("追责", liab, U)
    # never "（一）……的要被追究责任" alone, nor the criminal clause as the consequence of every case
    assert "工作人员有“对符合法定条件的取水申请不予受理或者不在法定期限内批准”等行为的，依照本条追究责任" in stem


def test_a_topic_on_a_revised_law_is_told_the_stored_text_may_be_the_old_one():
    old = LawEntry("b", "殡葬管理条例", "行政法规", None, "", STATUS_CURRENT, "主题点名", effective="2012-11-09")
    notes = currency.revised_notes("学习修订后的《殡葬管理条例》，推进农村公益性公墓建设管理", [old])
    assert len(notes) == 1 and "2012年施行" in notes[0] and "人工核对" in notes[0]
    assert currency.revised_notes("学习《殡葬管理条例》", [old]) == []


def test_the_general_subject_is_no_sub_topic_and_a_sibling_key_article_is_no_key():
    from assistant.brief.topics import default_registry, understand

    counts = {"政府信息公开": 300, "主动公开": 30, "依申请公开": 3, "公开申请": 40}
    general = understand("政府信息公开工作", default_registry(), lambda t: counts.get(t, 100), total=26000)
    assert general.weights["主动公开"] > 1  # 政府信息公开 is the whole topic: 主动公开 is part of it, no sibling
    from assistant.brief.select import Selector

    active = "行政机关应当依照本条例第十九条的规定，主动公开本行政机关的下列政府信息：（一）行政法规、规章和规范性文件。"
    answer = "对政府信息公开申请，行政机关根据下列情况分别作出答复：（一）所申请公开信息已经主动公开的，告知申请人获取方式。"
    texts = {20: active, 36: answer, 5: "行政机关公开政府信息，应当坚持以公开为常态、不公开为例外。"}
    law = Law("g", "中华人民共和国政府信息公开条例", "行政法规")
    kb = SimpleNamespace(catalog=SimpleNamespace(law=lambda _lid: law,
                                                 article=lambda _lid, n, _s: Article("g", n, n, texts[n])))
    sel = Selector.__new__(Selector)
    sel.kb = kb
    u = understand("学习《中华人民共和国政府信息公开条例》，规范政府信息依申请公开办理", default_registry(),
                   lambda t: counts.get(t, 100), total=26000)
    keys = {"g": {5: None, 20: None, 36: None}}
    sel._drop_sibling_keys(u, keys)
    assert keys == {"g": {5: None, 36: None}}  # 第二十条 (主动公开) is no key of an 依申请公开 brief
    keys = {"g": {5: None, 20: None, 36: None}}
    sel._drop_sibling_keys(general, keys)
    assert keys == {"g": {5: None, 20: None, 36: None}}


def test_a_paragraph_of_a_document_without_articles_is_cited_as_a_paragraph():
    """A 决议 stored as numbered 段 was cited 《…决议》第二十八条 (the official text has no 条): a reviewer took it
    for a fabricated article number."""
    from assistant.brief.model import Quote
    from knowledge.models import Article

    para = Article(law_id="jueyi", ordinal=28, number=28, text="人民政府应当依法支持检察机关履行法律监督职责。",
                   is_paragraph=True)
    law = type("L", (), {"law_id": "jueyi", "title": "山东省人民代表大会常务委员会关于加强新时代检察机关法律监督工作的决议"})()
    q = Quote.of(law, para)
    assert q.label == "第二十八段" and q.cite.endswith("》第二十八段")
    art = Article(law_id="x", ordinal=3, number=3, text="某条。")
    assert Quote.of(law, art).label == "第三条"


def test_the_meeting_sets_no_tasks_for_courts_procuratorates_or_supervision_organs():
    """“需研究落实的事项”: “人民法院、人民检察院应当加强信息化建设” — a county government's meeting cannot task them."""
    from assistant.brief.actions import county_subject

    assert county_subject("人民法院、人民检察院应当加强信息化建设，推进矛盾纠纷多元化解") is None
    assert county_subject("县级以上人民政府、人民法院应当加强矛盾纠纷多元化解工作") == "县级以上人民政府应当加强矛盾纠纷多元化解工作"
    kept = "县级以上人民政府应当将矛盾纠纷多元化解工作纳入经济社会发展规划"
    assert county_subject(kept) == kept


def test_the_real_estate_department_name_gets_a_currency_note():
    """物业管理条例's “县级以上地方人民政府房地产行政主管部门” went unflagged (round-6 review, topic 2)."""
    hits = currency.old_terms("县级以上地方人民政府房地产行政主管部门负责本行政区域内物业管理活动的监督管理工作。")
    assert [t.old for t in hits] == ["房地产行政主管部门"] and hits[0].year == 2008 and "住房和城乡建设" in hits[0].new
