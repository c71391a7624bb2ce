"""The lead chosen by what the question asks (assistant/ask/lead.py, data/lead.json): round-6 review cases.

Each case is the ranking the review saw, cut down to the articles that matter (texts as stored, shortened where
the rest plays no part); kb=None: article types from article_types.json, every word weighs the same."""

from __future__ import annotations

from assistant.ask.lead import LeadChooser
from knowledge.models import Article, Hit, Law

LDHT = Law(law_id="ldht", title="中华人民共和国劳动合同法", level="法律")
CWH = Law(law_id="cwh", title="中华人民共和国村民委员会组织法", level="法律")
FY = Law(law_id="xzfy", title="中华人民共和国行政复议法", level="法律")
SS = Law(law_id="xzss", title="中华人民共和国行政诉讼法", level="法律")
XF = Law(law_id="xf", title="中华人民共和国宪法", level="宪法")
GB = Law(law_id="grxx", title="中华人民共和国个人信息保护法", level="法律")
NMG = Law(law_id="nmg", title="保障农民工工资支付条例", level="行政法规")
OTHER = Law(law_id="ldf", title="中华人民共和国劳动法", level="法律")


def hit(law: Law, number: int, text: str, chapter: str = "", score: float = 1.0) -> Hit:
    return Hit(Article(law.law_id, number, number, text, chapter=chapter), law, score, via=("hybrid", "rerank"))


def lead(question: str, hits: list[Hit]) -> tuple[int, int | None]:
    first = LeadChooser(None).choose(question, hits)[0]
    return first.article.number, first.paragraph


def test_a_question_on_what_can_be_claimed_is_led_by_the_remedy_not_the_duty():
    """周某能主张什么 was led by 劳动合同法第十条 (应当订立书面劳动合同), 第八十二条 (二倍工资) third (f6-25, fresh5-s12)."""
    hits = [hit(LDHT, 10, "建立劳动关系，应当订立书面劳动合同。\n已建立劳动关系，未同时订立书面劳动合同的，应当自用工之日起一个月内订立书面劳动合同。",
                "第二章 劳动合同的订立", 2.4),
            hit(LDHT, 14, "无固定期限劳动合同，是指用人单位与劳动者约定无确定终止时间的劳动合同。", "第二章 劳动合同的订立", 0.6),
            hit(LDHT, 82, "用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资。",
                "第七章 法律责任", 0.5)]
    assert lead("某公司招用周某干了五个月，一直没签书面劳动合同，周某能主张什么？", hits)[0] == 82
    assert lead("某公司招用周某干了五个月，一直没签书面劳动合同，应当什么时候签？", hits)[0] == 10  # no remedy asked
    other = [hits[0], hit(OTHER, 91, "用人单位克扣劳动者工资的，由劳动行政部门责令支付劳动者的工资报酬。", "第十二章 法律责任")]
    assert lead("一直没签书面劳动合同，周某能主张什么？", other)[0] == 10  # never from another law


def test_a_remedy_must_be_on_the_first_hits_topic():
    """用人单位约定了六个月试用期…能主张什么: 第八十二条 (二倍工资, no 试用期) is no answer on a 试用期."""
    hits = [hit(LDHT, 19, "劳动合同期限一年以上不满三年的，试用期不得超过二个月；三年以上固定期限和无固定期限的劳动合同，试用期不得超过六个月。",
                "第二章 劳动合同的订立"),
            hit(LDHT, 82, "用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资。",
                "第七章 法律责任"),
            hit(LDHT, 83, "违反本法规定与劳动者约定试用期的，由劳动行政部门责令改正；违法约定的试用期已经履行的，由用人单位以劳动者试用期满月工资"
                          "为标准，按已经履行的超过法定试用期的期间向劳动者支付赔偿金。", "第七章 法律责任")]
    assert lead("用人单位跟新员工约定了六个月试用期，劳动合同只签一年，员工能主张什么？", hits)[0] == 83
    assert lead("用人单位跟新员工约定了六个月试用期，劳动合同只签一年，员工能主张什么？", hits[:2])[0] == 19


def test_a_question_on_how_an_authority_handles_it_is_led_by_the_handling_article():
    """镇政府应当怎么处理 was led by 村民委员会组织法第三十五条 (村务公开), 第三十六条 (调查核实，责令依法公布) sixth (f6-17)."""
    hits = [hit(CWH, 35, "村民委员会实行村务公开制度。\n村民委员会应当及时公布下列事项，接受村民的监督：\n（一）本村财务收支情况；",
                "第五章 民主管理和民主监督", 1.7),
            hit(CWH, 40, "村民委员会成员实行任期和离任经济责任审计，审计包括下列事项：\n（一）本村财务收支情况；",
                "第五章 民主管理和民主监督", 1.4),
            hit(CWH, 36, "村民委员会不及时公布应当公布的事项或者公布的事项不真实的，村民有权向乡、民族乡、镇的人民政府或者县级人民政府及其有关"
                         "主管部门反映，有关人民政府或者主管部门应当负责调查核实，责令依法公布；", "第五章 民主管理和民主监督", -0.5)]
    assert lead("某村村委会一年多没公布财务收支，村民李某到镇政府反映，镇政府应当怎么处理？", hits)[0] == 36
    assert lead("村委会多长时间公布一次财务收支？", hits)[0] == 35


def test_a_latest_date_question_is_led_by_the_article_stating_the_period_for_that_act():
    """最晚什么时候要提出 was led by 行政复议法第十一条 (受案范围); 第二十条 (六十日内提出) fifth, behind 第三十条 (五日内审查)
    (f6-20). Cited at its 第一款, where the period is."""
    hits = [hit(FY, 11, "有下列情形之一的，公民、法人或者其他组织可以依照本法申请行政复议：\n（一）对行政机关作出的行政处罚决定不服；"),
            hit(FY, 23, "有下列情形之一的，申请人应当先向行政复议机关申请行政复议：\n（一）对当场作出的行政处罚决定不服；"),
            hit(FY, 30, "行政复议机关收到行政复议申请后，应当在五日内进行审查。"),
            hit(FY, 20, "公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请；"
                        "但是法律规定的申请期限超过六十日的除外。\n因不可抗力或者其他正当理由耽误法定申请期限的，申请期限自障碍消除之日起继续计算。"
                        "\n行政机关作出行政行为时，未告知公民、法人或者其他组织申请行政复议的权利、申请期限的，申请期限自知道之日起计算，但"
                        "最长不得超过一年。"),
            hit(FY, 62, "适用普通程序审理的行政复议案件，行政复议机关应当自受理申请之日起六十日内作出行政复议决定。")]
    assert lead("村民刘某对县公安局作出的罚款决定不服，想申请行政复议，最晚什么时候要提出？", hits) == (20, 1)
    assert lead("村民刘某对县公安局作出的罚款决定不服，可以申请行政复议吗？", hits)[0] == 11


def test_a_period_sentence_about_what_the_question_rules_out_does_not_lead():
    """不申请复议直接到法院起诉，起诉期限是多久 was led by 行政诉讼法第四十八条 (耽误起诉期限, 十日内申请延长); 第四十五条 (不服复议
    决定 十五日内) is about the 复议 the question rules out; 第四十六条 (直接起诉 六个月内) answers (f6-21)."""
    hits = [hit(SS, 26, "公民、法人或者其他组织直接向人民法院提起诉讼的，作出行政行为的行政机关是被告。"),
            hit(SS, 48, "公民、法人或者其他组织因不可抗力或者其他不属于其自身的原因耽误起诉期限的，被耽误的时间不计算在起诉期限内。\n"
                        "公民、法人或者其他组织因前款规定以外的其他特殊情况耽误起诉期限的，在障碍消除后十日内，可以申请延长期限。"),
            hit(SS, 45, "公民、法人或者其他组织不服复议决定的，可以在收到复议决定书之日起十五日内向人民法院提起诉讼。"),
            hit(SS, 46, "公民、法人或者其他组织直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出。")]
    assert lead("个体户陈某不服县自然资源局的处罚决定，不申请复议直接到法院起诉，起诉期限是多久？", hits)[0] == 46
    assert lead("陈某不服复议决定，到法院起诉，起诉期限是多久？", hits)[0] == 45


def test_an_age_question_is_led_by_the_article_whose_age_is_of_what_is_asked():
    """选举权和被选举权的年龄条件 was led by 宪法第七十九条 (年满四十五周岁…可以被选为主席), 第三十四条 (年满十八周岁…都有选举权和
    被选举权) second (f6-30)."""
    hits = [hit(XF, 79, "中华人民共和国主席、副主席由全国人民代表大会选举。\n有选举权和被选举权的年满四十五周岁的中华人民共和国公民可以被选为"
                        "中华人民共和国主席、副主席。", "第三章 国家机构", 1.6),
            hit(XF, 34, "中华人民共和国年满十八周岁的公民，不分民族、种族、性别、职业、家庭出身、宗教信仰、教育程度、财产状况、居住期限，都有"
                        "选举权和被选举权；但是依照法律被剥夺政治权利的人除外。", "第二章 公民的基本权利和义务", 1.5)]
    assert lead("我国宪法规定，公民享有选举权和被选举权的年龄条件是什么？", hits)[0] == 34
    assert lead("当选国家主席的年龄条件是什么？", hits)[0] == 79


def test_a_which_cases_question_is_led_by_the_list_whose_opening_clause_answers():
    """在哪些情形下才可以处理个人信息 was led by 个人信息保护法第五十五条 (应当事前进行影响评估的情形); 第十三条 (符合下列情形之一的，
    方可处理) third (f6-38)."""
    hits = [hit(GB, 55, "有下列情形之一的，个人信息处理者应当事前进行个人信息保护影响评估，并对处理情况进行记录：\n（一）处理敏感个人信息；"),
            hit(GB, 47, "有下列情形之一的，个人信息处理者应当主动删除个人信息；个人信息处理者未删除的，个人有权请求删除：\n（一）处理目的已实现；"),
            hit(GB, 13, "符合下列情形之一的，个人信息处理者方可处理个人信息：\n（一）取得个人的同意；")]
    assert lead("个人信息处理者在哪些情形下才可以处理个人信息？", hits)[0] == 13
    assert lead("个人信息处理者在哪些情形下应当事前进行个人信息保护影响评估？", hits)[0] == 55


def test_the_lead_names_the_party_the_question_is_about():
    """包工头卷钱跑了 was led by 农民工工资支付条例第三十条 (分包单位拖欠); a 包工头 is an individual: 第三十六条 (分包给个人) (f6-04,
    fresh5-c06)."""
    hits = [hit(NMG, 30, "分包单位对所招用农民工的实名制管理和工资支付负直接责任。\n分包单位拖欠农民工工资的，由施工总承包单位先行清偿，再依法"
                         "进行追偿。", "第四章 工程建设领域特别规定", 2.9),
            hit(NMG, 36, "建设单位或者施工总承包单位将建设工程发包或者分包给个人或者不具备合法经营资格的单位，导致拖欠农民工工资的，由建设单位"
                         "或者施工总承包单位清偿。", "第四章 工程建设领域特别规定", 1.3)]
    assert lead("在工地上干了半年活，包工头卷钱跑了，工钱一分没给，俺该找谁要？", hits)[0] == 36
    assert lead("在工地上干了半年活，分包单位卷钱跑了，工钱一分没给，俺该找谁要？", hits)[0] == 30


def test_an_article_asked_for_by_number_keeps_its_lead():
    h = hit(LDHT, 10, "建立劳动关系，应当订立书面劳动合同。")
    h.via = ("ref",)
    hits = [h, hit(LDHT, 82, "未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资。", "第七章 法律责任")]
    assert LeadChooser(None).choose("劳动合同法第十条，没签合同能主张什么？", hits) == hits


def test_only_a_skipped_step_rules_articles_out():
    """不申请复议直接到法院起诉 skips 复议; 老板不给报工伤 refuses, and 工伤保险条例第十七条 (工伤认定申请 三十日内) still answers
    得在多长时间里去 (fresh5-c05), found from the clause before the cue (俺自己能去申请不)."""
    from assistant.ask.lead import negated

    assert negated("不申请复议直接到法院起诉，起诉期限是多久？", ["申请", "复议", "法院", "起诉"]) == {"申请", "复议"}
    assert negated("老板不给报工伤，说俺是临时工。俺自己能去申请不？", ["老板", "工伤", "申请"]) == set()
    gs = Law(law_id="gs", title="工伤保险条例", level="行政法规")
    hits = [hit(gs, 14, "职工有下列情形之一的，应当认定为工伤：\n（一）在工作时间和工作场所内，因工作原因受到事故伤害的；"),
            hit(gs, 15, "职工有下列情形之一的，视同工伤：\n（一）在工作时间和工作岗位，突发疾病死亡或者在48小时之内经抢救无效死亡的；"),
            hit(gs, 17, "职工发生事故伤害，所在单位应当自事故伤害发生之日起30日内，向统筹地区社会保险行政部门提出工伤认定申请。\n"
                        "用人单位未按前款规定提出工伤认定申请的，工伤职工或者其近亲属、工会组织在事故伤害发生之日起1年内，可以直接向用人"
                        "单位所在地统筹地区社会保险行政部门提出工伤认定申请。")]
    assert lead("俺在厂里干活摔断了腿，老板不给报工伤，说俺是临时工。俺自己能去申请不？得在多长时间里去？", hits)[0] == 17
    assert lead("俺在厂里干活摔断了腿。得在多长时间里去？", hits)[0] == 14  # none of the articles is of what
    assert lead("要多长时间？", hits)[0] == 14  # nothing says of what: 视同工伤的四十八小时 would be a guess


def test_a_penalty_figure_is_not_the_period_asked():
    """厂长接到报告后应当在多长时间内报告 moved 安全生产法第八十三条 (立即报告) behind 第一百一十条 (法律责任: 不立即组织抢救或者
    迟报…处…罚款; 十五日以下拘留) (fresh5-s03)."""
    aq = Law(law_id="aq", title="中华人民共和国安全生产法", level="法律")
    hits = [hit(aq, 83, "生产经营单位发生生产安全事故后，事故现场有关人员应当立即报告本单位负责人。\n单位负责人接到事故报告后，应当迅速"
                        "采取有效措施，组织抢救，防止事故扩大，并按照国家有关规定立即如实报告当地负有安全生产监督管理职责的部门。",
                "第五章 生产安全事故的应急救援与调查处理"),
            hit(aq, 110, "生产经营单位的主要负责人在本单位发生生产安全事故时，不立即组织抢救或者在事故调查处理期间擅离职守或者逃匿的，给予"
                         "降级、撤职的处分，并由应急管理部门处上一年年收入百分之六十至百分之一百的罚款；对逃匿的处十五日以下拘留；构成犯罪的，"
                         "依照刑法有关规定追究刑事责任。\n"
                         "生产经营单位的主要负责人对生产安全事故隐瞒不报、谎报或者迟报的，依照前款规定处罚。", "第六章 法律责任")]
    assert lead("某镇一家机械加工厂发生车间事故，一名工人死亡。厂长接到现场人员报告后，应当在多长时间内向哪些部门报告？", hits)[0] == 83


def test_a_list_whose_opening_clause_shares_one_word_does_not_lead():
    """能否申请行政许可公开？在什么情况下可以申请不公开 moved 行政许可法第五条 (公开原则, 商业秘密) behind 第十二条 (下列事项可以设定
    行政许可：) (STARD)."""
    xk = Law(law_id="xk", title="中华人民共和国行政许可法", level="法律")
    hits = [hit(xk, 5, "设定和实施行政许可，应当遵循公开、公平、公正、非歧视的原则。\n有关行政许可的规定应当公布；未经公布的，不得作为实施"
                       "行政许可的依据。行政许可的实施和结果，除涉及国家秘密、商业秘密或者个人隐私的外，应当公开。\n符合法定条件、标准的，"
                       "申请人有依法取得行政许可的平等权利，行政机关不得歧视任何人。"),
            hit(xk, 12, "下列事项可以设定行政许可：\n（一）直接涉及国家安全、公共安全、经济宏观调控、生态环境保护以及直接关系人身健康、生命财产"
                        "安全等特定活动，需要按照法定条件予以批准的事项；")]
    assert lead("能否申请行政许可公开？在什么情况下可以申请不公开行政许可？涉及商业秘密的行政许可可以不予公开吗？只要当事人同意就可以不"
                "公开行政许可吗？设定行政许可是否需要在政府网站公开？", hits)[0] == 5
    assert lead("什么情形下可以设定行政许可？", hits)[0] == 12


def test_a_plain_what_can_i_get_question_is_led_by_the_remedy():
    """没签合同…俺能要点啥补偿不 was led by 劳动合同法第十条 (订立书面合同): 能要点啥 asks for the remedy too (f7-09)."""
    hits = [hit(LDHT, 10, "建立劳动关系，应当订立书面劳动合同。", "第二章 劳动合同的订立", 2.4),
            hit(LDHT, 82, "用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资。",
                "第七章 法律责任", 0.5)]
    assert lead("干了八个月，单位一直不跟我订立书面劳动合同，我能拿点啥赔偿？", hits)[0] == 82
    assert lead("单位一直不跟我订立书面劳动合同，我能要什么材料证明劳动关系", hits)[0] == 10  # no remedy asked


def test_a_definition_question_is_led_by_the_defining_article():
    """…对“见义勇为”是怎么定义的 was led by 第五条 (政府负责见义勇为人员奖励和保护工作), not 第二条 (本条例所称见义勇为，是指) (f7-50)."""
    law = Law(law_id="jyyw", title="山东省见义勇为人员奖励和保护条例", level="地方性法规")
    hits = [hit(law, 5, "县级以上人民政府负责见义勇为人员奖励和保护工作，将其纳入社会管理综合治理规划。", "第一章 总则", 2.0),
            hit(law, 2, "本条例所称见义勇为，是指在法定职责或者特定义务之外的人员，挺身而出，保护他人人身、财产安全的行为。",
                "第一章 总则", 1.5)]
    assert lead("这个条例里“见义勇为”指的是什么？", hits)[0] == 2
    assert lead("这个条例里见义勇为人员奖励和保护工作由谁负责？", hits)[0] == 5
