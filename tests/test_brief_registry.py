"""The topic registry as data, and briefs on a small real knowledge base built for it: registry topics quote their
key articles and name what the knowledge base lacks; topics outside the registry (the fallback) keep to the
government's duties, label a 监管对象's bans, and leave out laws that only share a side word of the topic.

Knowledge base: 招标投标法, 特种设备安全法, 粮食安全保障法, 信访工作条例 (real parsing, Chroma, embeddings)."""

from __future__ import annotations

import re

import pytest

from assistant.brief import kinds
from assistant.brief.topics import DATA, default_registry, load_registry, term_score, understand
from knowledge.errors import XuefaError
from knowledge.models import Article
from tests.conftest import make_services

LAWS = ("中华人民共和国招标投标法", "中华人民共和国特种设备安全法", "中华人民共和国粮食安全保障法", "信访工作条例")


# ---- the registry file ---------------------------------------------------------------------------------------
def test_the_shipped_registry_covers_common_county_agenda_topics():
    reg = default_registry()
    assert len(reg.topics) >= 60
    for topic, name in (("农村集体“三资”管理", "农村集体“三资”管理"), ("招标投标活动监督", "招标投标活动监督"),
                        ("公务员年度考核", "公务员考核与奖惩"), ("城管综合执法", "城市管理综合行政执法"),
                        ("根治欠薪", "保障农民工工资支付"), ("垃圾分类", "固体废物与生活垃圾分类")):
        assert reg.match(topic) and reg.match(topic)[0].name == name, topic
    # 三资 is a policy word: the registry says which statutory words and which instruments it means
    sanzi = reg.match("农村集体“三资”管理")[0]
    assert sanzi.terms["集体财产"] >= 4
    titles = {i.title: i for i in sanzi.instruments}
    assert {261, 265} <= {n for n, _ in titles["中华人民共和国民法典"].articles}
    assert "中华人民共和国农村集体经济组织法" in titles
    # every topic names at least one instrument, and no topic lists the same article twice
    for e in reg.topics:
        assert e.instruments or e.name == "文明城市创建", e.name
        for ins in e.instruments:
            assert len(set(ins.articles)) == len(ins.articles), (e.name, ins.title)
    assert reg.match("殡葬管理改革") == []  # a held-out benchmark topic has no entry


def _write(tmp_path, body: str):
    p = tmp_path / "topics.yaml"
    p.write_text(body, encoding="utf-8")
    return p


@pytest.mark.parametrize("body, message", [
    ("topics:\n  - name: 甲\n    match: [甲]\n    instrument: []\n", r"topics\.yaml 的 议题“甲” 有无法识别的字段 instrument"),
    ("topics:\n  - name: 甲\n    match: [甲]\n    instruments:\n      - title: 乙法\n        artciles: [3]\n",
     r"议题“甲”《乙法》 有无法识别的字段 artciles"),
    ("topics:\n  - name: 甲\n    match: [甲]\n  - name: 乙\n    match: [丙, 甲]\n", r"议题“乙” 的 match 用语“甲”已用于议题“甲”"),
    ("topics:\n  - name: 甲\n    match: [甲]\n  - name: 甲\n    match: [乙]\n", r"议题“甲” 重复出现"),
    ("topics:\n  - name: 甲\n    match: [甲]\n    instruments:\n      - title: 乙法\n        level: 法规\n",
     r"《乙法》 的 level “法规”不是效力级别"),
    ("topics:\n  - name: 甲\n    match: [甲]\n    instruments:\n      - title: 《乙法》\n", r"第1个依据 title “《乙法》”不要带书名号"),
    ("topics:\n  - name: 甲\n    match: [甲]\n    instruments:\n      - title: 乙法\n        articles: 3\n",
     r"《乙法》 的 articles 应为条号列表"),
    ("topics:\n  - name: 甲\n    match: [甲]\n    instruments:\n      - title: 乙法\n        articles: [0]\n",
     r"条号“0”无法识别"),
    ("topics:\n  - name: 甲\n    match: [甲]\n    instruments:\n      - title: 乙法\n        articles: [3, 3]\n",
     r"《乙法》 的 articles 有重复的条号"),
    ("topics:\n  - name: 甲\n    match: [甲]\n    terms: {甲: 50}\n", r"议题“甲” 的 terms 应为“用语: 权重”，权重为 0 到 10"),
    ("topics:\n  - name: 甲\n    match: 甲\n", r"议题“甲” 的 match 应为非空的用语列表"),
    ("- 甲\n", r"议题登记表 topics\.yaml 应为一个映射"),
])
def test_bad_registry_data_is_refused_with_the_file_and_field(tmp_path, body, message):
    before = DATA.read_bytes()
    with pytest.raises(XuefaError, match=message):
        load_registry(_write(tmp_path, body))
    assert DATA.read_bytes() == before and len(default_registry().topics) >= 60  # nothing changed


def test_article_audience_and_scope_rules():
    assert kinds.audience("特种设备安装、改造、修理的施工单位应当在施工前书面告知。") < 1
    assert kinds.audience("招标人不得以不合理的条件限制或者排斥潜在投标人。") < 1
    assert kinds.audience("县级以上地方人民政府应当建立协调机制。") > 1
    scope = Article("x", 2, 2, "市场监督管理部门对特种设备生产、经营、使用单位和检验、检测机构实施监督检查，适用本办法。")
    assert kinds.boilerplate(scope) == "适用范围"
    assert kinds.boilerplate(Article("x", 1, 1, "根据《中华人民共和国矿山安全法》，制定本条例。")) == "制定依据"
    assert kinds.boilerplate(Article("x", 3, 3, "本办法所称监督检查，适用于下列情形之一的，应当……")) != "适用范围"


# ---- briefs on a small real knowledge base -------------------------------------------------------------------
@pytest.fixture(scope="module")
def services(tmp_path_factory, embeddings):
    return make_services(tmp_path_factory.mktemp("xuefa-registry"), embeddings, national=LAWS, local=False)


@pytest.fixture(scope="module")
def writer(services):
    return services.briefs


def _cited(brief) -> set[tuple[str, int]]:
    return {(q.law_title, q.number) for q in brief.quotes}


def test_registry_topic_quotes_the_governments_articles_and_names_the_missing_regulation(writer):
    brief = writer.write("招标投标活动监督", date="2026-12-01")
    cited = _cited(brief)
    for n in (7, 62, 63):  # 监督, 干预的处分, 监督人员徇私舞弊
        assert ("中华人民共和国招标投标法", n) in cited, n
    # the 实施条例 (第八十条: 国家工作人员非法干涉) is not in this knowledge base: page one says so
    assert "中华人民共和国招标投标法实施条例" in {m.title for m in brief.missing}
    md = brief.to_markdown()
    assert "本材料未收录《中华人民共和国招标投标法实施条例》" in md[: md.index("## 一、")]
    assert {e.title for e in brief.laws} == {"中华人民共和国招标投标法"}  # nothing else is padded in
    # page one leads with the registry's key article, not with the law's purpose or scope
    assert brief.points[0][1].startswith("要义：《中华人民共和国招标投标法》第七条")
    assert len(md) <= 6000


def test_fallback_keeps_to_government_duties_and_labels_bans_on_regulated_parties(writer, services):
    topic = "特种设备安全监管"
    assert not default_registry().match(topic)
    brief = writer.write(topic, date="2026-12-01")
    assert brief.laws[0].title == "中华人民共和国特种设备安全法"
    cited = _cited(brief)
    assert ("中华人民共和国特种设备安全法", 6) in cited  # 地方各级人民政府应当加强对特种设备安全工作的领导
    # the law holds many duties of 生产/使用单位 (第二十三条 施工单位告知 …): none is presented as a duty of government.
    # The law is made for the topic, so a few of them are what the county must see done: they stand in their own
    # labelled part (监管对象的义务), or as labelled bans and sanctions, never under 谁负责/怎么办
    law = brief.laws[0]
    private = [a.number for a in services.kb.catalog.articles(law.law_id) if kinds.audience(a.text) < 1]
    assert len(private) > 20
    md = brief.to_markdown()
    for q in brief.quotes:
        if kinds.audience(q.text) < 1:
            assert q.theme in ("监管", "红线", "追责") and q.target == "监管对象", q.cite
            if q.theme == "红线":
                assert f"**{q.cite}（监管对象义务）**" in md
    regulated = brief.themed("监管")
    assert len(regulated) <= 4 and "监管对象的义务（县政府及部门监督落实）" in md
    assert not any(q.theme in ("是什么", "谁负责", "怎么办") and kinds.audience(q.text) < 1 for q in brief.quotes)
    duties = brief.themed("谁负责")
    assert duties and all(kinds.audience(q.text) >= 1 for q in duties)


def test_fallback_leaves_out_a_law_that_shares_only_a_side_word(writer):
    brief = writer.write("粮食安全党政同责", date="2026-12-01")
    assert not default_registry().match("粮食安全党政同责")
    titles = [e.title for e in brief.laws]
    assert titles[0] == "中华人民共和国粮食安全保障法"
    assert "信访工作条例" not in titles  # its 党政同责 is about 信访, not 粮食
    cited = _cited(brief)
    assert ("中华人民共和国粮食安全保障法", 3) in cited
    # not thin: the law made for the topic gives the county's duties and the officials' liability too
    assert len(brief.quotes) >= 6 and brief.themed("追责")
    assert all(re.search("粮食", q.text) for q in brief.quotes)


def test_adjacent_topic_words_weigh_as_one_phrase_and_parts_do_not_count_twice():
    reg = default_registry()
    counts = {"气象": 400, "灾害": 900, "防御": 120, "气象灾害": 80}
    u = understand("气象灾害防御", reg, lambda t: counts.get(t, 0), total=90000)
    assert not u.entries and set(u.phrases) == {"气象灾害"}
    assert u.phrases["气象灾害"] > u.words["气象"] + u.words["灾害"]
    # 气象 later in the article adds nothing once 气象灾害 has been counted; 防御 still counts
    s = term_score("县级以上人民政府应当加强气象灾害防御工作。气象台站应当……", u.weights)
    assert s == pytest.approx(u.phrases["气象灾害"] + u.words["防御"])
    # two words the statutes never use together make no phrase
    u2 = understand("人居保障", reg, lambda t: {"人居": 30, "保障": 900}.get(t, 0), total=90000)
    assert u2.phrases == {} and {"人居", "保障"} <= set(u2.words)


def test_fallback_without_a_law_made_for_the_topic_says_so_on_page_one(writer):
    topic = "党政同责"  # no law in this knowledge base is made for it; two touch it (粮食安全, 信访)
    assert not default_registry().match(topic)
    brief = writer.write(topic, date="2026-12-01")
    assert brief.quotes and brief.caution and topic in brief.caution
    md = brief.to_markdown()
    assert md.index("知识库中没有专门规定“党政同责”的法律法规") < md.index("## 一、")
    made_for = writer.write("粮食安全党政同责", date="2026-12-01")
    assert made_for.caution is None  # 粮食安全保障法 is made for that one
