"""The parts of a search on their own: rrf(), the lexicon's whole-word triggers, article types, and the
weights expansions get. Pure functions and data files; no knowledge base needed except where named."""

from __future__ import annotations

import pytest

from knowledge.articletypes import default_types
from knowledge.lexicon import Lexicon, LexiconError, default_lexicon, parse_lexicon
from knowledge.models import Article, Law
from knowledge.search import SearchConfig, analyse, ask_clause, rrf


def test_rrf_is_weighted_reciprocal_rank_fusion():
    fused = rrf([["a", "b", "c"], ["c", "a"]], [1.0, 0.5], k=10)
    assert fused["a"] == pytest.approx(1 / 11 + 0.5 / 12)
    assert fused["c"] == pytest.approx(1 / 13 + 0.5 / 11)
    assert fused["b"] == pytest.approx(1 / 12)
    assert sorted(fused, key=lambda x: -fused[x]) == ["a", "c", "b"]
    assert rrf([]) == {}
    with pytest.raises(ValueError):
        rrf([["a"]], [1.0, 2.0])


@pytest.mark.parametrize("question, fired", [
    ("在厂里上班的干部收了红包", {"红包"}),
    ("企业家捐款", set()),  # no generic 企业 trigger
    ("政务处分的种类有哪些", set()),  # 处分 inside 政务处分 is no trigger
    ("晚上能不能施工", {"晚上"}),
    ("没批就开工了", {"没批"}),
    ("公务员开网店行不行", {"开网店"}),
    ("爱人在本单位经商", {"爱人", "经商"}),
    # everyday words of whole families map to the statutes' words
    ("过年前有个老板送了一张加油卡", {"加油卡"}),  # 过年 is no trigger: it misled gift questions to 节假日
    ("闺女办喜事，请同事来喝喜酒", {"喝喜酒"}),
    ("楼上扔下来个酒瓶子把人砸伤了", {"扔下来"}),
    ("把机密文件用手机拍了发到微信群里", {"拍了", "微信", "机密文件"}),
    ("他又跑到市里去反映同一件事", {"反映", "同一件事"}),
    ("在路边小饭馆吃了不新鲜的肉", {"不新鲜", "饭馆"}),
    # round 5: behaviour words of cadres' questions; the everyday words left out fire nothing
    ("领导说干脆给他们停水停电逼一逼", {"停水停电", "逼一逼"}),
    ("面试考官发现考生是我表弟", {"考官", "表弟"}),
    ("他把我家院子的光全挡了", set()),  # 挡 alone is no trigger (挡光 is)
    ("钱没了，他跑了好几趟", set()),  # 没了 / 跑了 were left out: they fire on anything
    # round 5 breadth: the everyday word of each area, and the neighbours that must stay silent
    ("老婆想在网上开个店卖我们县的土特产", {"老婆", "开个店"}),  # 土特产 for sale is no gift
    ("老同学送土特产到家里", {"送土特产"}),  # given, it is one
    ("一年能歇几天年假", {"几天", "年假"}),
    ("下了班想跑跑滴滴挣点外快", {"外快"}),
    ("领导给我穿小鞋，我能去哪告他", {"穿小鞋", "哪告"}),
    ("孙某的妻子是该科的会计", {"妻子", "该科"}),
    ("让机器把手轧了，老板说我是临时工", {"轧", "临时工"}),
    ("孩子才15岁，初中不想念了", {"孩子", "15岁", "不想念"}),
    ("村里说必须火化不让土葬", {"土葬"}),
    ("在外地交了十年，之前交的还算不算", {"之前交的"}),
    ("村的账好几年都没贴出来", {"账", "贴出来"}),
    ("我在网上发帖批评县里的工作", {"网上发帖"}),
    ("我想开个小饭馆，要办什么证", {"饭馆", "办什么证"}),
    ("他把借条拍下来了", {"借条", "拍下来"}),
    ("账户被冻结了", {"冻结"}),  # 账户 is not 账
    ("25岁的人能不能贷款", set()),  # 25 岁 is not 15岁
    ("我想念家里的老人", set()),  # 想念 is not 不想念
    ("在网吧门口吵架", {"网吧"}),
    ("周末公司组织去爬山", {"周末"}),  # no generic 公司 / 组织 trigger
    ("村里按人头收钱修路", {"按人头收钱"}),  # 收钱 alone is no gift trigger any more
    ("执法的人当场收钱", {"当场收钱"}),
    ("儿子不赡养老人", {"不赡养"}),
    ("单位私设小金库发奖金", {"小金库"}),
    ("过年在村里放鞭炮", {"放鞭炮"}),
    ("村主任没开会就把鱼塘包出去了", {"村主任", "没开会"}),
    ("罚了款不给收据", {"罚了", "不给收据"}),
    # round 6: everyday wordings of county and village matters; story words (老板, 厂里, 一分钱) fire nothing
    ("这宅子能卖给城里人不", {"宅子", "城里人"}),
    ("下了班打打小麻将带点彩头", {"麻将"}),
    ("老板让我走人，一分钱也不给", {"走人", "一分钱也不给"}),
    ("老板说厂里一分钱奖金也没有", set()),
    ("邻居家的狗天天叫，吵得睡不着", {"狗", "吵得睡不着"}),
    ("退休后想去企业做顾问", {"退休后", "做顾问"}),
    ("老婆想给他分管的工程供货", {"老婆", "分管的", "供货"}),
    ("在家摊的煎饼拿到网上卖", {"网上卖"}),
    ("自家做的豆腐做了卖要办证吗", {"自家做的", "做了卖", "办证"}),  # selling what a household makes: 食品小作坊
    ("煎饼卷大葱是哪里的特色小吃，怎么做", set()),  # a food alone is no subject (off-topic)
    ("村委会主任被判刑了", {"村委会", "判刑"}),  # 村委会 is what people call the 村民委员会
    ("事情拖着没人管，想去北京上访", {"没人管", "去北京", "上访"}),
])
def test_lexicon_fires_on_whole_words_only(question, fired):
    exp = default_lexicon().expand_text(question)
    assert set(exp.triggers) == fired


def test_everyday_words_map_to_their_own_area_not_a_neighbour():
    lex = default_lexicon()
    shop = lex.expand_text("老婆想在网上开个店卖我们县的土特产")
    assert "经营活动" in shop.terms and "礼品" not in shop.terms  # was the gift entry (收受 礼品)
    post = lex.expand_text("我在网上发帖批评县里的工作")
    assert "批评" in post.terms and "妄议" not in post.terms and post.laws == ("宪法",)
    village = lex.expand_text("村的账好几年都没贴出来")
    assert "政府信息公开条例" not in village.laws  # 贴出来 of a village is 公布, not 政府信息公开
    assert lex.expand_text("一年能歇几天年假").laws == ("职工带薪年休假条例",)
    assert "未满十六周岁" in lex.expand_text("孩子才15岁就去打工").terms


def test_village_and_county_wordings_map_to_the_rule_they_describe():
    """Everyday wordings of common county/village matters reach the statutes' words and the document that rules
    them (round-6 review: such questions were declined or led by a neighbour's rule; the wordings here are not its)."""
    lex = default_lexicon()
    house = lex.expand_text("村里的老宅子能不能卖给城里人")
    assert {"宅基地", "出卖"} <= set(house.terms) and house.laws[0] == "土地管理法"
    fired = lex.expand_text("老板一句话就让我走人，一分钱也不给")
    assert {"解除", "经济补偿"} <= set(fired.terms) and "劳动合同法" in fired.laws
    assert "赌博" in lex.expand_text("下班跟朋友打小麻将带点彩头").terms
    dog = lex.expand_text("邻居家的狗天天半夜叫")
    assert "饲养动物" in dog.terms and "治安管理处罚法" in dog.laws
    assert "土地经营权" in lex.expand_text("想把承包的地租给种粮大户").terms
    assert "低保" not in lex.expand_text("低保被停了找谁").terms and "最低生活保障" in lex.expand_text(
        "低保被停了找谁").terms


def test_every_fired_trigger_is_kept_for_the_support_judge():
    exp = default_lexicon().expand_text("楼上不知道哪家扔下来个酒瓶子把人砸伤了")
    assert exp.triggers.count("扔下来") == 1 and "砸伤" not in exp.triggers  # one expansion per entry
    assert {"扔下来", "砸伤"} <= {t for t, _ in exp.matches}  # but both words are credited
    assert all(terms for _, terms in exp.matches)


@pytest.mark.parametrize("question, asked", [
    # a story then the question: the trailing questions
    ("县公安局民警认定事实错误，对刘某作出行政拘留。刘某能否要求国家赔偿？赔偿怎么计算？",
     "刘某能否要求国家赔偿？赔偿怎么计算？"),
    # one sentence whose last comma clause asks
    ("这次招考我当面试考官，发现有个考生是我表弟，我得回避吗？", "我得回避吗？"),
    # a short question is its own ask clause
    ("监察机关对哪些人员进行监察？", "监察机关对哪些人员进行监察？"),
    ("党员参与赌博会受到什么处分", "党员参与赌博会受到什么处分"),
])
def test_ask_clause_is_the_asking_part_of_a_story(question, asked):
    assert ask_clause(question) == asked
    terms = analyse(question, default_lexicon(), default_types())
    assert set(terms.ask_words) <= set(terms.words) and terms.ask_words


def test_expansions_are_whole_words_not_bigrams():
    terms = analyse("晚上能不能施工", default_lexicon(), default_types())
    assert "夜间" in terms.expansion_words
    assert not any(w.startswith("#") for w in terms.expansion_words)
    split = analyse("晚上能不能施工", default_lexicon(), default_types(), expansion_bigrams=True)
    assert "#夜间" in split.expansion_words  # the ablation switch really changes something


def test_law_hints_are_a_third_column_and_follow_the_fired_entries():
    lex = Lexicon(parse_lexicon("礼金|红包\t收受 礼金\t中国共产党纪律处分条例|中华人民共和国公职人员政务处分法\n"
                                "晚上\t夜间\n"), "x")
    assert lex.expand_text("晚上收了红包").laws == ("中国共产党纪律处分条例", "公职人员政务处分法")
    assert lex.expand_text("晚上能不能施工").laws == ()
    with pytest.raises(LexiconError, match="第 1 行"):
        parse_lexicon("a\tb\tc\td\n")
    # the shipped file: gift words point to the party-discipline and public-servant sanction rules
    assert "中国共产党纪律处分条例" in default_lexicon().expand_text("收了一张加油卡").laws


def test_law_hint_votes_go_to_the_hinted_document_only():
    from knowledge.search import boost, law_hinted

    assert law_hinted({"公职人员政务处分法"}, "中华人民共和国公职人员政务处分法")
    assert not law_hinted({"公职人员政务处分法"}, "中华人民共和国监察法")
    terms = analyse("收了一张加油卡", default_lexicon(), default_types())
    arts = [_art("甲"), _art("乙")]
    laws = [Law("a", "中华人民共和国公职人员政务处分法"), Law("b", "中华人民共和国监察法")]
    fused = {0: 0.0, 1: 0.0}
    boost(fused, arts, terms, set(), SearchConfig(local_penalty=0.0, opening_boost=0.0, type_boost=0.0),
          lambda a: frozenset(), lambda k: laws[k])
    assert fused[0] > 0 and fused[1] == 0


def test_lexicon_file_errors_name_the_line():
    with pytest.raises(LexiconError, match="第 2 行"):
        parse_lexicon("# c\n只有一列\n")
    lex = Lexicon(parse_lexicon("老板娘|老板\t经营者\n"), "x")
    assert lex.expand_text("老板不给钱").terms == ("经营者",)


def _art(text: str, chapter: str | None = None) -> Article:
    return Article("t", 1, 1, text, chapter=chapter)


def test_article_types_come_from_the_text():
    types = default_types()
    assert "定义" in types.of(_art("本法所称公职人员，是指依法履行公职的人员。"))
    assert {"列举", "职责"} <= types.of(_art("监察委员会依照本法履行下列职责：\n（一）监督；\n（二）调查。"))
    assert "期限" in types.of(_art("行政机关应当自受理申请之日起二十日内作出决定。"))
    assert "禁止" in types.of(_art("公职人员不得从事营利性活动。"))
    assert "法律责任" in types.of(_art("违反本法规定的，处五千元以上罚款。", chapter="第七章 法律责任"))
    assert "附则" in types.of(_art("本法自2025年1月1日起施行。", chapter="第八章 附则"))


@pytest.mark.parametrize("question, asked, consequence", [
    ("监察机关对哪些人员进行监察？", {"列举"}, False),
    ("政务处分的种类有哪些", {"列举"}, False),
    ("行政许可多少日内作出决定", {"期限"}, False),
    ("违反安全生产法会怎样", {"法律责任"}, True),
    ("公职人员收受礼金会受到什么处分", set(), True),
    ("什么是政务处分", {"定义"}, False),
])
def test_questions_ask_for_types_and_consequence_needs_a_real_cue(question, asked, consequence):
    types = default_types()
    assert asked <= types.asked(question)
    assert types.consequence(question) is consequence


def test_search_config_defaults_are_the_tuned_ones():
    cfg = SearchConfig()
    assert 0 < cfg.expansion_weight < 1 and cfg.dense_weight < 1 and not cfg.expansion_bigrams


def test_readme_example_leads_with_the_right_article(kb_small):
    # known weak (see the issue report): "哪些人员属于监察对象", "监察的对象包括哪些人员" lead with 监察官法/第六十七条
    for q in ("监察机关对哪些人员进行监察？", "监察机关监察哪些人", "监察范围包括哪些人", "监委能监察哪些人员"):
        top = kb_small.search(q, top_k=3)[0]
        assert (top.law.title, top.article.number) == ("中华人民共和国监察法", 15), q


def test_index_fingerprint_covers_lexicon_types_and_model(kb_small):
    fp = kb_small.ranking_fingerprint()
    assert f"lex={kb_small.lexicon.fingerprint}" in fp and f"types={kb_small.types.fingerprint}" in fp
    assert "rank=" in fp


def test_plain_words_for_a_rules_own_terms_fire_it():
    """Round 6 (fresh-5 dev): 征走, 啤酒, 驾照, 拉走, 啥时候还 reached no statutory term, so the question's rule was
    never retrieved and the judge declined (colloquial declines 50%). Wordings here are not fresh-5's."""
    lex = default_lexicon()
    land = lex.expand_text("家里的承包地被征走了")
    assert "征收" in land.terms and "土地管理法" in land.laws
    assert "饮酒" in lex.expand_text("喝了点啤酒就开车被查了").terms
    assert "机动车驾驶证" in lex.expand_text("驾照被扣了还能拿回来吗").terms
    stall = lex.expand_text("摆的摊子被城管拉走了")
    assert "扣押" in stall.terms and "行政强制法" in stall.laws
    assert "借款期限" in lex.expand_text("朋友借钱没说啥时候还").terms
    assert "公开栏" in lex.expand_text("村务账目从来没贴出来过").terms


def test_the_market_regulators_everyday_names_reach_the_statutes_name():
    """fresh-5 (dev) s02: 市场监管局 matched no article (the statutes say 市场监督管理部门, 食品药品监督管理部门), so a
    scenario with its gold first was declined as too little of it found."""
    lex = default_lexicon()
    assert "市场监督管理部门" in lex.expand_text("市场监管局来检查我的小饭馆").terms
    assert "食品药品监督管理部门" in lex.expand_text("被工商所罚了款").terms


@pytest.mark.parametrize("question, terms, law", [
    # round 7 (fresh-6 dev: declined or led by a neighbour's rule because the everyday words reached no statutory
    # word); wordings here are not the review's, and each term is a word of the governing article
    ("我娘八十了，俺哥说放弃继承就不管老娘了", {"赡养", "放弃继承权"}, "老年人权益保障法"),  # 老年人权益保障法第十九条
    ("结婚以后攒钱买的房子离婚能不能要一半", {"共同财产", "婚姻关系存续期间"}, "民法典"),  # 民法典第一千零六十二条
    ("赶集时被人扇了几个耳光", {"殴打", "他人"}, "治安管理处罚法"),  # 治安管理处罚法第五十一条
    ("中午喝了几杯啤酒，下午开车回家被查", {"饮酒后驾驶", "驾驶", "机动车"}, "道路交通安全法"),
    ("后院邻居盖得那么高，俺家一年到头见不着太阳", {"采光", "日照"}, "民法典"),  # 民法典第二百九十三条
    ("花了三千买的说是新手机，拿回家发现是翻新机", {"欺诈"}, "消费者权益保护法"),  # 消费者权益保护法第五十五条
    ("有人在村里造谣说我家的羊是偷来的", {"诽谤", "名誉权"}, "治安管理处罚法"),
    ("骑三轮车被私家车撞了，保险公司先赔吗", {"强制保险", "机动车"}, "民法典"),  # 民法典第一千二百一十三条
    ("楼下KTV天天放音乐到半夜", {"社会生活噪声", "干扰他人正常生活"}, "治安管理处罚法"),  # 治安管理处罚法第八十八条
    ("在健身房办了年卡，没几天就关门了", {"预付款", "退回"}, "消费者权益保护法"),  # 消费者权益保护法第五十三条
    ("借钱时他先扣了一个月利息才给我", {"预先", "本金", "扣除"}, "民法典"),  # 民法典第六百七十条
    ("试用期没干满就让我走人", {"试用期", "不符合录用条件"}, "劳动合同法"),
    ("楼上天天装修，中午也不停，装修的声音太大", {"室内装修", "限定作业时间"}, "生态环境法典"),  # 第五百九十五条
    ("小饭店的碗筷都没洗干净", {"餐具", "消毒"}, "食品安全法"),
    ("在这家厂里已经干了十几年，还是一年一签", {"连续工作满十年", "无固定期限劳动合同"}, "劳动合同法"),  # 第十四条
    ("搭同事的顺风车出了车祸", {"无偿搭乘", "减轻"}, "民法典"),  # 民法典第一千二百一十七条
])
def test_everyday_words_of_each_domain_reach_the_governing_articles_words(question, terms, law):
    exp = default_lexicon().expand_text(question)
    assert terms <= set(exp.terms), exp.groups
    assert law in exp.laws


@pytest.mark.parametrize("question, fired", [
    ("烧烤怎么腌肉才入味", set()),  # 烧烤 is no trigger (烧烤店 is)
    ("想找个音乐老师学钢琴", set()),  # 音乐 alone is a hobby, not a noise complaint (放音乐 is)
    ("小孩晚上睡不着觉怎么办", {"晚上", "小孩"}),  # 睡不着觉 alone is no noise complaint (吵得睡不着 is)
    ("老板跑路了去哪找他", {"老板跑路"}),  # a boss who ran off owes wages: no 出境 (监察法)
])
def test_story_and_hobby_words_fire_no_domain_of_their_own(question, fired):
    exp = default_lexicon().expand_text(question)
    assert set(exp.triggers) == fired
    assert "噪声" not in exp.terms and "监察法" not in exp.laws
