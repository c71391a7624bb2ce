"""Round 7 (fresh-7 dev causes): a word that names a matter only in a context. 月饼 led a question on a moldy,
expired 月饼 bought at a shop with 纪律处分条例第九十七条 (gifts); a trigger joined by + (月饼+送) fires only when every
part occurs as whole words of the question."""

from __future__ import annotations

from knowledge.lexical import segment
from knowledge.lexicon import Lexicon, default_lexicon, parse_lexicon


def _lexicon(text: str) -> Lexicon:
    return Lexicon(parse_lexicon(text), "test")


def test_a_joined_trigger_fires_only_when_every_part_is_in_the_question():
    lx = _lexicon("粽子+送|粽子+收了\t礼品 收受\t中国共产党纪律处分条例\n")
    given = lx.expand(segment("端午节下属送了两箱粽子，我能收吗？"))
    assert given.terms == ("礼品", "收受") and given.laws == ("中国共产党纪律处分条例",)
    assert given.triggers == ("粽子",)  # the question's own word stands for the entry
    assert not lx.expand(segment("菜市场买的粽子馊了，找谁说理？")).terms


def test_a_food_bought_spoiled_is_a_food_safety_matter_not_a_gift():
    lx = default_lexicon()
    bought = lx.expand(segment("在小卖部买的粽子长毛了，还过期了，能要十倍吗？"))
    assert "食品安全法" in bought.laws and "中国共产党纪律处分条例" not in bought.laws
    given = lx.expand(segment("中秋节老板给科长送了几盒月饼，科长收了，算违纪吗？"))
    assert "中国共产党纪律处分条例" in given.laws


def test_everyday_words_of_a_domain_reach_its_statute():
    lx = default_lexicon()
    cases = [("俺爸在世时啥话没留，他的存款谁能分？", "法定继承"),
             ("我妈七十多了，我弟一分钱不出，过年也不回来看她", "精神上慰藉"),
             ("秋收后在地里烧玉米秆，乡里说要罚款", "露天焚烧"),
             ("想去法院申请不让他靠近我和孩子", "人身安全保护令"),
             ("孩子在学校被高年级的勒索零花钱", "学生欺凌")]
    for question, term in cases:
        assert term in lx.expand(segment(question)).terms, question
