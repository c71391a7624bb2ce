"""Numerals, article references and law names: pure functions, no index needed."""

from __future__ import annotations

import pytest

from knowledge.citations import find_references
from knowledge.lawnames import LawNames
from knowledge.models import Article, Law, split_paragraphs
from knowledge.numerals import article_label, cn_to_int, int_to_cn, parse_article_label


@pytest.mark.parametrize("text,value", [
    ("一", 1), ("十", 10), ("十五", 15), ("二十", 20), ("一百零三", 103), ("一百一十", 110),
    ("一千二百六十", 1260), ("一千零八", 1008), ("两千", 2000), ("15", 15), ("１５", 15),
])
def test_cn_to_int(text, value):
    assert cn_to_int(text) == value


def test_int_to_cn_round_trips_up_to_1260():
    for n in range(1, 1261):
        assert cn_to_int(int_to_cn(n)) == n
    assert int_to_cn(15) == "十五"
    assert int_to_cn(103) == "一百零三"
    assert int_to_cn(1260) == "一千二百六十"
    assert int_to_cn(110) == "一百一十"


def test_article_labels():
    assert article_label(17, 1) == "第十七条之一"
    assert parse_article_label("第十七条之一") == (17, 1)
    assert parse_article_label("第一千二百六十条") == (1260, 0)
    assert parse_article_label("第15条") == (15, 0)
    assert parse_article_label("全文") is None


def _law(title, status="现行有效", source="national", law_id=None, date="2020-01-01"):
    return Law(law_id=law_id or f"id-{title}-{status}", title=title, status=status, source=source,
               effective_date=date)


NAMES = LawNames([
    _law("中华人民共和国宪法"), _law("中华人民共和国宪法", status="历史版本", date="1982-12-04"),
    _law("中华人民共和国监察法"), _law("中华人民共和国监察官法"),
    _law("中华人民共和国公职人员政务处分法"), _law("中华人民共和国安全生产法"),
    _law("山东省安全生产条例", source="local"), _law("山东省东平湖保护条例", source="local"),
    _law("中华人民共和国行政处罚法"), _law("中华人民共和国环境保护法", status="已废止"),
])


@pytest.mark.parametrize("name,title", [
    ("宪法", "中华人民共和国宪法"), ("监察法", "中华人民共和国监察法"), ("监察官法", "中华人民共和国监察官法"),
    ("政务处分法", "中华人民共和国公职人员政务处分法"), ("《中华人民共和国安全生产法》", "中华人民共和国安全生产法"),
    ("安全生产条例", "山东省安全生产条例"), ("东平湖保护条例", "山东省东平湖保护条例"),
    ("处罚法", "中华人民共和国行政处罚法"),
])
def test_law_names_resolve(name, title):
    law = NAMES.resolve(name)
    assert law is not None and law.title == title
    assert law.status == "现行有效"


def test_law_names_current_first_and_repealed_only_when_asked():
    assert NAMES.resolve("环境保护法") is None
    assert NAMES.resolve("环境保护法", current_only=False).status == "已废止"
    assert NAMES.resolve("宪法", current_only=False).status == "现行有效"
    assert NAMES.resolve("某某市养犬管理条例") is None


def test_law_names_detect_in_free_text():
    found = {law.title for law, _ in NAMES.detect("根据监察法和政务处分法，国有企业管理人员违反安全生产法的")}
    assert found == {"中华人民共和国监察法", "中华人民共和国公职人员政务处分法", "中华人民共和国安全生产法"}


def test_find_references_forms():
    text = ("依据宪法第五条、《中华人民共和国公职人员政务处分法》第二十八条第二款和监察法第15条第（三）项，"
            "以及本法第十六条至第十八条。")
    refs = find_references(text, resolve=NAMES.resolve)
    got = [(r.law_name, r.article, r.paragraph, r.item) for r in refs]
    assert got == [
        ("宪法", 5, None, None),
        ("中华人民共和国公职人员政务处分法", 28, 2, None),
        ("监察法", 15, None, 3),
        ("监察法", 16, None, None), ("监察法", 17, None, None), ("监察法", 18, None, None),
    ]


def test_find_references_strips_leading_words_and_handles_sub_articles():
    refs = find_references("违反安全生产法第二十一条的，参照《刑法》第一百三十四条之一", resolve=NAMES.resolve)
    assert [(r.law_name, r.article, r.sub) for r in refs] == [("安全生产法", 21, 0), ("刑法", 134, 1)]
    assert find_references("第十五条讲什么") == []
    # a known short name inside an unknown longer one is not that law
    unknown = find_references("行政监察法第二条", resolve=NAMES.resolve)
    assert [(r.law_name, r.article) for r in unknown] == [("行政监察法", 2)]
    assert NAMES.resolve("行政监察法") is None
    assert find_references("这个办法第三条", resolve=NAMES.resolve) == []
    bare = find_references("那第十六条呢", context_law="监察法", include_bare=True)
    assert [(r.law_name, r.article) for r in bare] == [("监察法", 16)]


def test_paragraphs_and_items_are_verbatim_slices():
    text = ("监察机关对下列公职人员和有关人员进行监察：\n（一）公务员；\n（二）国有企业管理人员。\n"
            "前款规定的人员，依法履行公职。")
    paras = split_paragraphs(text)
    assert [p.text for p in paras] == ["监察机关对下列公职人员和有关人员进行监察：", "前款规定的人员，依法履行公职。"]
    assert paras[0].items == ("（一）公务员；", "（二）国有企业管理人员。")
    art = Article("x", 1, 15, text)
    assert art.paragraph_text(1, 2) == "（二）国有企业管理人员。"
    assert art.paragraph_text(None, 1) == "（一）公务员；"
    assert art.paragraph_text(2) == "前款规定的人员，依法履行公职。"
    assert art.paragraph_text(3) is None and art.paragraph_text(1, 3) is None
    assert art.label == "第十五条"


def test_find_references_without_di_only_for_a_known_law():
    """People type "监察法11条"; without 第 only a law the names resolve counts ("管理办法3条意见" is not one)."""
    refs = find_references("监察法11条说的啥，宪法三十三条呢", resolve=NAMES.resolve)
    assert [(r.law_name, r.article) for r in refs] == [("监察法", 11), ("宪法", 33)]
    assert find_references("我们制定了管理办法3条意见", resolve=NAMES.resolve) == []
    assert find_references("监察法11条") == []  # nothing to resolve the name against


def test_a_name_without_region_means_the_national_document_in_force():
    """`xuefa article 优化营商环境条例 31` opened 济南市优化营商环境条例; 农业法 opened the 2027 text not yet in force."""
    from knowledge.lawnames import LawNames
    from knowledge.models import Law

    laws = [Law("c1", "济南市优化营商环境条例", level="地方性法规", region="济南市", source="national", effective_date="2022-03-01"),
            Law("p1", "山东省优化营商环境条例", level="地方性法规", region="山东省", source="national", effective_date="2021-01-01"),
            Law("n1", "优化营商环境条例", level="行政法规", region="全国", source="national", effective_date="2020-01-01"),
            Law("a2", "中华人民共和国农业法", level="法律", status="尚未生效", source="national", effective_date="2027-01-01"),
            Law("a1", "中华人民共和国农业法", level="法律", source="national", effective_date="2013-01-01")]
    names = LawNames(laws)
    assert [law.law_id for law in names.candidates("优化营商环境条例")] == ["n1", "p1", "c1"]
    assert names.resolve("济南市优化营商环境条例").law_id == "c1"
    assert names.resolve("农业法").law_id == "a1"
    assert names.resolve("中华人民共和国农业法").law_id == "a1"
