"""Round-5 司法局 review: no brief said what the meeting should decide (本次会议需研究落实的事项), and the
lacking-instrument note was worded for an administrator (建议导入)."""

from __future__ import annotations

from assistant.brief.actions import action_items
from assistant.brief.model import Brief, LawEntry, Missing, Quote
from knowledge.models import STATUS_CURRENT

GAS = "城镇燃气管理条例"


def _brief(quotes, status=STATUS_CURRENT) -> Brief:
    b = Brief(topic="城镇燃气安全管理", length="standard", quotes=list(quotes))
    b.laws = [LawEntry("g", GAS, "行政法规", None, "", status, "主管依据")]
    return b


def test_action_items_are_the_countys_own_duty_sentences_cited():
    plan = Quote("g", GAS, 33, 0, "县级以上地方人民政府燃气管理部门应当会同城乡规划等有关部门按照国家有关标准和规定"
                 "划定燃气设施保护范围，并向社会公布。", theme="谁负责")
    user = Quote("g", GAS, 29, 0, "燃气用户有权就燃气收费、服务等事项向县级以上地方人民政府价格主管部门、燃气管理部门"
                 "以及其他有关部门进行投诉，有关部门应当自收到投诉之日起15个工作日内予以处理。", theme="怎么办", paragraph=2)
    firm = Quote("g", GAS, 20, 0, "管道燃气经营者应当向燃气用户持续、稳定、安全供应符合国家质量标准的燃气。",
                 theme="监管", target="监管对象")
    state = Quote("g", GAS, 5, 0, "国务院建设主管部门负责全国的燃气管理工作。", theme="谁负责")
    items = action_items(_brief([plan, user, firm, state]))
    # the subject is the county's organ; the rest is the article's own words; the citation follows
    assert items == ["县燃气管理部门应当会同城乡规划等有关部门按照国家有关标准和规定划定燃气设施保护范围，并向社会公布"
                     "（《城镇燃气管理条例》第三十三条）"]


def test_a_law_not_yet_in_force_gives_no_action_item():
    duty = Quote("g", GAS, 12, 0, "县级以上地方人民政府应当建立健全燃气应急储备制度，组织编制燃气应急预案。",
                 theme="谁负责")
    assert action_items(_brief([duty]))
    assert action_items(_brief([duty], status="尚未生效")) == []


def test_the_meeting_section_is_rendered_before_the_questions():
    duty = Quote("g", GAS, 12, 0, "县级以上地方人民政府应当建立健全燃气应急储备制度，组织编制燃气应急预案。",
                 theme="谁负责")
    b = _brief([duty])
    b.actions = action_items(b)
    md = b.to_markdown()
    assert "本次会议需研究落实的事项" in md and "县政府应当建立健全燃气应急储备制度" in md


def test_missing_instrument_note_speaks_to_the_county_head():
    note = Missing("学校食品安全与营养健康管理规定", "部门规章").notice
    assert note.startswith("本材料未收录《学校食品安全与营养健康管理规定》") and "会前请对照原文" in note
    assert "建议导入" not in note


def test_a_long_duty_is_cut_at_a_comma_and_never_before_its_deed():
    lists = Quote("f", "山东省地方金融条例", 44, 0, "县级以上人民政府应当组织地方金融监管机构和发展改革、经济和信息化、"
                  "财政、公安、商务、税务、审计、工商行政管理、国有资产监督管理等部门，建立防范和处置非法集资工作机制。",
                  theme="谁负责")
    aside = Quote("f", "防范和处置非法集资条例", 5, 0, "县级以上地方人民政府应当明确防范和处置非法集资工作机制的牵头部门"
                  "（以下简称处置非法集资牵头部门）。", theme="谁负责")
    b = _brief([lists, aside])
    assert action_items(b) == ["县政府应当明确防范和处置非法集资工作机制的牵头部门（《防范和处置非法集资条例》第五条）"]


def test_page_one_red_line_and_liability_are_the_governments_not_an_applicants():
    from assistant.brief.questions import key_points
    from assistant.brief.topics import Understanding

    law = "中华人民共和国行政复议法"
    applicant = Quote("r", law, 74, 0, "申请人撤回行政复议申请的，不得再以同一事实和理由提出行政复议申请。", theme="红线",
                      paragraph=2, score=9.0)
    organ = Quote("r", law, 77, 0, "被申请人不得拒绝或者无正当理由拖延履行行政复议决定书、调解书、意见书。",
                  theme="红线", score=1.0)
    firm = Quote("r", law, 73, 0, "大型企业违反合同约定，拖欠中小民营经济组织账款的，依法承担法律责任。", theme="追责",
                 score=9.0)
    officials = Quote("r", law, 80, 0, "行政复议机关不依照本法规定履行行政复议职责，对负有责任的领导人员和直接责任人员"
                      "依法给予警告、记过、记大过的处分。", theme="追责", score=1.0)
    b = Brief(topic="行政复议", length="standard", quotes=[applicant, organ, firm, officials])
    b.laws = [LawEntry("r", law, "法律", None, "", STATUS_CURRENT, "主管依据")]
    points = dict(key_points(b, Understanding("行政复议", [], {"行政复议": 3.0}, {"行政复议": 3.0})))
    assert "第八十条" in points["追责"] and "第七十四条" not in points.get("红线", "")


def test_liability_point_quotes_the_organs_sentence_not_the_large_companys():
    from assistant.brief.questions import key_points
    from assistant.brief.topics import Understanding

    law = "中华人民共和国民营经济促进法"
    both = Quote("m", law, 73, 0, "国家机关、事业单位、国有企业违反法律、行政法规规定或者合同约定，拒绝或者拖延支付民营经济"
                 "组织账款的，对负有责任的领导人员和直接责任人员依法给予处分。\n大型企业违反法律、行政法规规定或者合同约定，"
                 "拒绝或者拖延支付中小民营经济组织账款的，依法承担法律责任。", theme="追责")
    b = Brief(topic="清理拖欠企业账款", length="standard", quotes=[both])
    b.laws = [LawEntry("m", law, "法律", None, "", STATUS_CURRENT, "主管依据")]
    u = Understanding("清理拖欠企业账款", [], {"拖欠": 3.0, "账款": 3.0}, {"拖欠": 3.0, "账款": 3.0})
    assert "国家机关" in dict(key_points(b, u))["追责"]


def test_a_duty_question_asks_what_the_county_must_do_and_answers_with_its_action_item():
    from assistant.brief.questions import write_questions
    from assistant.brief.topics import Understanding

    duty = Quote("g", GAS, 12, 0, "县级以上地方人民政府应当建立健全燃气应急储备制度，组织编制燃气应急预案。"
                 "燃气应急预案应当明确燃气应急气源和种类、应急供应方式。", theme="谁负责")
    b = _brief([duty])
    b.actions = action_items(b)
    u = Understanding("城镇燃气安全管理", [], {"燃气": 3.0}, {"燃气": 3.0})
    q = write_questions(b, u, lambda _t: None, 3)[0]
    assert "我县必须做什么" in q.question and "由谁牵头" in q.question
    # the answer is the county's duty, not the article's other sentence (燃气应急预案应当明确……)
    assert "县政府应当建立健全燃气应急储备制度" in q.answer and "应急气源" not in q.answer
