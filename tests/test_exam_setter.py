"""Round 3: each defect class a paper setter found in the reviewed papers of round 2, reproduced on the real laws.

- self-contradictory flips ("应当尊重事实，可以捏造事实", "有维护…的义务，可以有危害…的行为", "可以…不正当要求");
- an element of a graded series swapped ("被记过、记大过、开除、撤职的") or blanked ("调取、查封、（　　）");
- stems opening with their blank ("（　　）女性身体…") or not reading as a question ("…划分如下。下列选项中…");
- 多选 distractors from another kind of list (reward cases among 不得录用; 事项 among 人员 who may be agents);
- 解析 that do not say why each wrong option is wrong;
- the same article asked again across the papers of one batch, or twice in one paper;
- graded-rule scenarios ("…，情节较重。对王某可以给予的政务处分是") whose key follows from one cited article.
The independent checker (benchmarks/exam_checker.py) is run on the bad items too: each new rule must catch them."""

from __future__ import annotations

import re

import pytest

from assistant.exam import Blueprint, ExamService
from assistant.exam import text as T
from assistant.exam.generators import build_law_bank, same_list_kind
from benchmarks.exam_checker import Checker
from tests.exam_support import exam_kb, exam_service, fake_kb_of  # noqa: F401  (fixtures)

EXTRA = ("中华人民共和国公务员法", "中华人民共和国行政诉讼法", "中华人民共和国行政强制法", "中华人民共和国宪法",
         "中华人民共和国公职人员政务处分法", "中华人民共和国监察法")


@pytest.fixture(scope="module")
def wide_kb(tmp_path_factory):
    """A real catalog (real national corpus parsing) with the laws the bad items came from; `FakeExamKB` stands in
    for the knowledge base's lookups only (see tests/exam_support.py)."""
    return fake_kb_of(tmp_path_factory.mktemp("exam-wide"), EXTRA)


@pytest.fixture(scope="module")
def wide(wide_kb):
    return ExamService(wide_kb)


def bank_of(svc: ExamService, name: str):
    law = svc.resolve(name)
    return law, svc.bank(law)


def sentence_term(s: str, word: str) -> T.Term:
    at = s.index(word)
    return T.Term("modal", word, at, at + len(word))


# ---- self-contradictory flips -------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, plausible", [
    ("公务员提出申诉、控告，应当尊重事实，不得捏造事实，诬告、陷害他人", False),
    ("中华人民共和国公民有维护祖国的安全、荣誉和利益的义务，不得有危害祖国的安全、荣誉和利益的行为", False),
    ("行政机关实施行政许可，不得向申请人提出购买指定商品、接受有偿服务等不正当要求", False),
    ("强制到案持续的时间不得超过十二小时", False),
    ("受委托组织在委托范围内，以委托行政机关名义实施行政处罚；不得再委托其他组织或者个人实施行政处罚", True),
    ("县级以上的地方各级人民代表大会常务委员会的组成人员不得担任国家行政机关、监察机关、审判机关和检察机关的职务", True),
])
def test_a_prohibition_turns_into_a_permission_only_where_that_reads_as_a_rule(sentence, plausible):
    assert T.flip_plausible(sentence, sentence_term(sentence, "不得")) is plausible


def test_no_false_statement_in_the_banks_is_a_nonsense_flip(wide):
    seen = 0
    for name in ("公务员法", "宪法", "公职人员政务处分法"):
        _, bank = bank_of(wide, name)
        for c in bank["判断"]:
            st = c.statements[0]
            if st.truth or st.change[0] != "modal":
                continue
            seen += 1
            assert "可以捏造" not in st.text and "可以有危害" not in st.text and "可以损害" not in st.text, st.text
    assert seen >= 3  # plausible flips are still made


def test_an_element_of_a_graded_series_is_never_swapped_or_blanked(wide):
    for name in ("公职人员政务处分法", "监察法"):
        law, bank = bank_of(wide, name)
        for c in bank["判断"]:
            st = c.statements[0]
            if not st.truth and st.change[0] in ("sanction", "measure"):
                at = st.text.find(st.change[2])
                assert "、" not in st.text[at - 1:at] + st.text[at + len(st.change[2]):][:1], st.text
        for c in bank["单选"]:
            if c.form == "blank":
                before, after = c.blank
                assert not before.endswith("、") and not after.startswith("、"), c.stem
                assert before, c.stem  # "（　　）女性身体，应当由女性工作人员进行" is not a stem
    stems = [c.stem for c in bank_of(wide, "公职人员政务处分法")[1]["判断"]]
    assert not any("记大过、开除、撤职" in s for s in stems)


# ---- 多选 from lists of one kind ------------------------------------------------------------------------
def test_enumeration_distractors_come_from_lists_of_the_same_kind(wide):
    law, bank = bank_of(wide, "公务员法")
    hiring = [c for c in bank["多选"] if "不得录用为公务员" in c.stem]
    reward = "在抢险、救灾等特定环境中做出突出贡献的"
    for c in hiring:
        assert reward not in c.distractors and "在对外交往中为国家争得荣誉和利益的" not in c.distractors
    assert not same_list_kind("下列人员不得录用为公务员：", "公务员或者公务员集体有下列情形之一的，给予奖励：",
                              ("因犯罪受过刑事处罚的", "被开除中国共产党党籍的"), (reward,))
    # round 4: the setter rejected in-service rules (孕期不得辞退) offered among conditions of appointment
    assert not same_list_kind("下列人员不得录用为公务员：", "公务员有下列情形之一的，不得辞退：",
                              ("因犯罪受过刑事处罚的", "被开除中国共产党党籍的"), ("女性公务员在孕期、产假、哺乳期内的",))
    assert same_list_kind("公务员有下列情形之一的，予以辞退：", "公务员有下列情形之一的，不得辞退：",
                          ("在年度考核中，连续两年被确定为不称职的",), ("女性公务员在孕期、产假、哺乳期内的",)) is False
    _, suits = bank_of(wide, "行政诉讼法")
    agents = [c for c in suits["多选"] if "诉讼代理人" in c.stem]
    for c in agents:
        assert "国防、外交等国家行为" not in c.distractors
        assert not any("决定" in d for d in c.distractors), c.distractors


def test_enumeration_stems_read_as_questions(wide):
    stems = {c.stem for name in ("宪法", "行政强制法") for c in bank_of(wide, name)[1]["多选"]}
    assert not any("如下" in s or "下列选项中属于该规定内容" in s for s in stems)
    assert "根据《中华人民共和国行政强制法》，下列属于行政强制执行方式的有（　　）。" in stems
    assert all(s.endswith(("（　　）", "（　　）。")) for s in stems)


# ---- 解析 ----------------------------------------------------------------------------------------------
def test_every_explanation_cites_and_says_why_each_wrong_option_is_wrong(wide):
    bp = Blueprint(counts={"单选": 12, "多选": 6, "判断": 4, "填空": 0}, laws={"公务员法": 1, "公职人员政务处分法": 1},
                   seed=3)
    paper = wide.generate(bp)
    checker = Checker(wide.kb)
    for it in paper.items:
        d = it.to_json()
        assert "explanation_without_reason" not in checker.check(d), (it.stem, it.explanation)
        if it.type == "多选" and it.form == "enumeration":
            for i, o in enumerate(it.options):
                if "ABCD"[i] not in it.answer:
                    assert f"{'ABCD'[i]}项“{o}”" in it.explanation
                    assert re.search(rf"{'ABCD'[i]}项“[^”]+”(?:错误，)?出自《[^》]+》第", it.explanation), it.explanation


# ---- graded-rule scenarios -----------------------------------------------------------------------------
def test_graded_scenarios_have_one_answer_by_the_cited_article(wide):
    law, bank = bank_of(wide, "公职人员政务处分法")
    tiers = [c for c in bank["单选"] if c.kind == "tier"]
    assert len(tiers) >= 20
    for c in tiers:
        v = wide._validate(c)
        if v is None:
            continue
        cond, tier = c.blank
        assert cond in c.stem and tier in c.refs[0].article.text
        article = c.refs[0].article.text
        # the stated 情节 selects the tier in the article's own words; the key is in it, no distractor is
        m = re.search(rf"{cond}的，(?:予以|给予)([^；。：]+)", article)
        assert m, (cond, article[:80])
        allowed = m.group(1)
        assert v.key[0] in allowed
        assert not any(d in allowed for d in v.distractors), (c.stem, allowed, v.distractors)
    item = next(it for it in wide.generate(Blueprint(counts={"单选": 25, "多选": 0, "判断": 0, "填空": 0},
                                                     laws={"公职人员政务处分法": 1}, seed=1)).items
                if "情节" in it.stem.split("。")[0] and "可以给予的政务处分" in it.stem)
    assert "依据《中华人民共和国公职人员政务处分法》第" in item.explanation and "不适用于" in item.explanation


# ---- coverage across papers ----------------------------------------------------------------------------
def test_papers_of_one_batch_ask_different_articles(wide):
    # (多选 from these four laws are scarce since round 4 rejects distractors from lists about another topic, and
    # practice blueprints leave organ blanks to shortfalls unless asked: this one asks, like the practice tab)
    bp = Blueprint(counts={"单选": 6, "多选": 1, "判断": 5, "填空": 0}, laws={"公务员法": 1, "行政诉讼法": 1, "宪法": 1, "监察法": 1},
                   seed=11, organ_blanks=True)
    papers = wide.generate_batch(bp, 3)
    arts = [{a for it in p.items for a in it.article_ids} for p in papers]
    assert all(len(p.items) == 12 for p in papers)
    stems = [T.norm(it.stem) for p in papers for it in p.items]
    assert len(stems) == len(set(stems))
    # another sentence of an article an earlier paper asked may fill a law's share (round 6), the same sentence never
    quotes = [{q for it in p.items for q in it.sentences} for p in papers]
    assert not (quotes[0] & quotes[1]) and not (quotes[0] & quotes[2]) and not (quotes[1] & quotes[2])
    assert len(arts[0] & arts[1]) + len(arts[0] & arts[2]) + len(arts[1] & arts[2]) <= len(arts[0]) // 2
    for p in papers:  # and one paper never asks an article twice
        ids = [a for it in p.items for a in dict.fromkeys(it.article_ids)]
        assert len(ids) == len(set(ids))
    assert papers[1].seed == papers[0].seed + 1


# ---- the independent checker catches each bad item -----------------------------------------------------
def _item(stem, options, answer, citations, type_="单选", form="blank", explanation="依据《中华人民共和国宪法》第一条"):
    return {"type": type_, "stem": stem, "options": options, "answer": answer, "form": form,
            "citations": citations, "explanation": explanation}


def test_checker_rejects_the_reviewed_bad_items(wide_kb):
    ck = Checker(wide_kb)
    flip = _item("根据《中华人民共和国公务员法》，公务员提出申诉、控告，应当尊重事实，可以捏造事实，诬告、陷害他人。（　　）",
                 ["正确", "错误"], "B", [{"law": "中华人民共和国公务员法", "article": 99}], "判断", "false",
                 "本题错误。依据《中华人民共和国公务员法》第九十九条，题干将“不得”改为“可以”")
    assert "self_contradictory_flip" in ck.check(flip)
    duty = _item("根据《中华人民共和国宪法》，中华人民共和国公民有维护祖国的安全、荣誉和利益的义务，可以有危害祖国的安全、荣誉和利益的行为。（　　）",
                 ["正确", "错误"], "B", [{"law": "中华人民共和国宪法", "article": 54}], "判断", "false",
                 "本题错误。依据《中华人民共和国宪法》第五十四条，题干将“不得”改为“可以”")
    assert "self_contradictory_flip" in ck.check(duty)
    hiring = _item("根据《中华人民共和国公务员法》，下列哪些人员不得录用为公务员？（　　）",
                   ["被依法列为失信联合惩戒对象的", "在抢险、救灾等特定环境中做出突出贡献的", "在对外交往中为国家争得荣誉和利益的",
                    "被开除中国共产党党籍的"], "AD", [{"law": "中华人民共和国公务员法", "article": 26}], "多选",
                   "enumeration", "依据《中华人民共和国公务员法》第二十六条。其余选项不属于该款所列内容。")
    bad = ck.check(hiring)
    assert "distractor_from_another_list" in bad and "explanation_without_reason" in bad
    fragment = _item("根据《中华人民共和国宪法》，中华人民共和国的行政区域划分如下。下列选项中属于该规定内容的有（　　）。",
                     ["全国分为省、自治区、直辖市", "选举国家监察委员会主任", "省、自治区分为自治州、县、自治县、市",
                      "选举最高人民检察院检察长"], "AC", [{"law": "中华人民共和国宪法", "article": 30}], "多选", "enumeration")
    assert "incomplete_stem" in ck.check(fragment)
    opening = _item("根据《中华人民共和国监察法》，（　　）女性身体，应当由女性工作人员进行。", ["搜查", "讯问", "询问", "留置"],
                    "A", [{"law": "中华人民共和国监察法", "article": 27}])
    assert "incomplete_stem" in ck.check(opening)
    twice = [dict(flip, number=1), dict(flip, number=2)]
    assert ck.check_paper(twice)[1]["article_twice_in_paper"] == "第99条已在第1题考过"
    good = _item("根据《中华人民共和国公务员法》，新录用的公务员试用期为（　　）。", ["五年", "一年", "三年", "二年"], "B",
                 [{"law": "中华人民共和国公务员法", "article": 34}],
                 explanation="正确答案为B（一年）。依据《中华人民共和国公务员法》第三十四条。A项“五年”错误，条文规定的是"
                             "“一年”。B项“一年”正确。C项“三年”错误。D项“二年”错误。")  # round 4: option by option
    assert ck.check(good) == {}
