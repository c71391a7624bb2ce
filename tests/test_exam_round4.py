"""Round 4: each defect class the setter found in the three reviewed papers of round 3 (67.6% accepted as-is),
reproduced on the real laws with the bad item quoted, and shown fixed at its cause.

- graded-scenario 解析 repeating itself ("情节较重的，情节较重的，") or denying a sanction the article lists
  ("B项“警告”不在该条规定的处分之列" for 第一百五十二条, whose ordinary case is 警告或者严重警告);
- garbled scenario stems ("某镇党委委员张某党员领导干部不重视家风建设…"), a rule for 党员领导干部 asked about anyone;
- absurd alterations ("情节严重的，予以降级或者警告", "警告或者开除党籍", 丧失党员条件 -> "应当给予警告", 留置 -> 冻结);
- blanks the stem gives away ("专门性问题" -> 鉴定, "防止…逃匿境外" -> 限制出境) or on non-points ("拍卖（没收非法财物）",
  "警告或者（严重警告）"); 多选 distractors about another topic (a non-crime among 犯罪 cases);
- low-value sentences (判决书发送时限, 不予执行裁定, 适用本法, 律师阅卷, "应当实施有效监督");
- a later 款 cut from the 款 it needs (复议法第三十二条第二款), "不适用第一款…" out of its article;
- 解析 naming options by truncated quotes instead of A/B/C/D;
- pass marks off a 100 scale (84/51) for custom scopes; repeats across the papers of one batch;
- multi-blank 填空 (new), graded blank by blank.
The independent checker (benchmarks/exam_checker.py) is run on the quoted bad items: each new rule must catch them."""

from __future__ import annotations

import json
import re

import pytest

from assistant.exam import Blueprint, ExamService
from assistant.exam import text as T
from assistant.exam.assemble import render
from assistant.exam.lexicon import lexicon, quality
from assistant.exam.models import Item
from assistant.exam.points import fit
from benchmarks.exam_checker import Checker
from tests.exam_support import fake_kb_of

LAWS = ("中华人民共和国宪法", "中华人民共和国监察法", "中华人民共和国公职人员政务处分法", "中华人民共和国公务员法",
        "中华人民共和国行政处罚法", "中华人民共和国行政许可法", "中华人民共和国行政强制法", "中华人民共和国行政复议法",
        "中华人民共和国行政诉讼法",
        "中国共产党纪律处分条例")
PARTY, ZWCF = "中国共产党纪律处分条例", "中华人民共和国公职人员政务处分法"


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    """A real catalog (real national corpus parsing) with the laws of the reviewed papers; `FakeExamKB` stands in
    for the knowledge base's lookups only (see tests/exam_support.py)."""
    return fake_kb_of(tmp_path_factory.mktemp("exam-r4"), LAWS)


@pytest.fixture(scope="module")
def svc(kb):
    return ExamService(kb)


@pytest.fixture(scope="module")
def checker(kb):
    return Checker(kb)


def bank(svc, name):
    law = svc.resolve(name)
    return law, svc.bank(law)


def valid(svc, cands):
    return [v for v in (svc._validate(c) for c in cands) if v is not None]


def rendered(c, seed=0):
    import random

    return render(c, 2, random.Random(seed))


# ---- graded scenarios: 解析 and stems ---------------------------------------------------------------------
def test_sanctions_named_reads_warning_beside_serious_warning():
    words = lexicon().scoped_terms("sanction", PARTY)
    assert T.sanctions_named("给予警告或者严重警告处分", words) == {"警告", "严重警告"}
    assert T.sanctions_named("给予严重警告处分", words) == {"严重警告"}


def test_graded_scenario_explanations_place_every_option_in_its_tier(svc):
    law, b = bank(svc, "纪律处分条例")
    tiers = valid(svc, [c for c in b["单选"] if c.kind == "tier"])
    assert len(tiers) >= 20
    words = lexicon().scoped_terms("sanction", law.title)
    for c in tiers:
        it = rendered(c)
        ex = it.explanation
        # "情节较重的，情节较重的，给予撤销党内职务或者留党察看处分" (卷二第7题)
        assert not re.search(r"(情节[^，]{2,4}的，)\1", ex), ex
        named = T.sanctions_named(c.refs[0].quote, words)
        for i, o in enumerate(it.options):
            assert f"{'ABCD'[i]}项“{o}”" in ex
            if o in named:  # "B项“警告”不在该条规定的处分之列" while the ordinary case gives 警告 (卷二第5、7、9、13、14题)
                assert f"{'ABCD'[i]}项“{o}”错误，所引规定对这一行为没有设" not in ex, ex
    # 第一百五十二条 (家风建设): the ordinary case lists 警告, so 警告 is placed there, not denied
    home = [c for c in tiers if "家风" in c.stem and c.blank[0] == "情节严重"]
    assert home
    for c in home:
        it = rendered(c)
        if "警告" in it.options:
            letter = "ABCD"[it.options.index("警告")]
            assert f"{letter}项“警告”错误，是该条对一般情形规定的处分" in it.explanation


def test_scenario_stems_cast_a_person_the_rule_binds(svc):
    _, b = bank(svc, "纪律处分条例")
    tiers = [c for c in b["单选"] if c.form == "scenario"]
    leaders = ("书记", "局长", "党组成员")
    for c in tiers:
        # "某镇党委委员张某党员领导干部不重视家风建设" / "某县党员干部王某党员领导干部政绩观错位" (卷二第5、7、13题)
        assert not re.search(r"[王李张赵刘陈]某(?:党员领导干部|领导干部|党员|公职人员)", c.stem), c.stem
    bound = [c for c in tiers if c.refs[0].quote.lstrip().startswith("党员领导干部")]
    assert bound, "rules binding 党员领导干部 still give scenarios"
    for c in bound:
        from assistant.exam.people import name_of

        person = c.stem[:c.stem.index(name_of(c.stem.split("，")[0])) + 2]  # "原任某镇党委书记张某" too (round 6)
        assert any(t in person for t in leaders), c.stem
        assert f"对{name_of(person)}可以给予" in c.stem, c.stem  # never "对休后可以给予"


# ---- plausible alterations ------------------------------------------------------------------------------
@pytest.mark.parametrize("law, sentence, word, new, plausible", [
    (ZWCF, "有下列行为之一的，予以警告、记过或者记大过；情节较重的，予以降级或者撤职；情节严重的，予以开除",
     "开除", "警告", False),  # heavier case, lighter sanction ("情节严重的，予以降级或者警告", 卷一第4题②)
    (PARTY, "对直接责任者和领导责任者，情节较重的，给予警告或者严重警告处分；情节严重的，给予撤销党内职务处分",
     "严重警告", "开除党籍", False),  # "警告或者开除党籍处分；情节严重的，给予撤销党内职务" (卷二第4题②)
    (PARTY, "党员有嫖娼或者吸食、注射毒品等丧失党员条件，严重败坏党的形象行为的，应当给予开除党籍处分",
     "开除党籍", "警告", False),  # four ranks down (卷二第4题④)
    (PARTY, "党员有嫖娼或者吸食、注射毒品等丧失党员条件，严重败坏党的形象行为的，应当给予开除党籍处分",
     "开除党籍", "留党察看", True),  # the reviewer's own suggestion
    (PARTY, "党员领导干部违反有关规定组织、参加自发成立的老乡会、校友会、战友会等，情节严重的，给予警告、严重警告或者"
     "撤销党内职务处分", "撤销党内职务", "开除党籍", True),  # accepted (卷二第19题D)
])
def test_sanction_swaps_keep_the_scale_in_order(law, sentence, word, new, plausible):
    at = sentence.rindex(word)
    term = T.Term("sanction", word, at, at + len(word))
    assert T.scale_plausible(sentence, term, new, law) is plausible


def test_a_bound_of_a_range_is_never_swapped_or_blanked(svc):
    s = "公务员受开除以外的处分，在受处分期间有悔改表现，并且没有再发生违纪违法行为的，处分期满后自动解除"
    at = s.index("开除")
    assert T.bounds_a_range(s, T.Term("sanction", "开除", at, at + 2))
    # "受撤职以外的处分…期满后自动解除" is true of 警告…降级: it was keyed 错误
    _, b = bank(svc, "公务员法")
    for c in b["判断"] + b["多选"] + b["单选"]:
        for st in c.statements:
            assert not re.search(r"受(?:撤职|降级|记大过|记过)以外的处分", st.text), st.text


def test_measures_are_swapped_only_within_their_kind(svc):
    lex = lexicon()
    kin = lex.siblings("measure", "中华人民共和国监察法", "留置")
    assert "管护" in kin and "冻结" not in kin and "查封" not in kin
    assert "查封" not in lex.siblings("measure", "中华人民共和国监察法", "鉴定")
    law, b = bank(svc, "监察法")
    person, things = {"留置", "管护", "责令候查", "限制出境", "强制到案", "通缉"}, {"冻结", "查封", "扣押", "查询"}
    for c in b["判断"] + b["多选"] + b["单选"]:
        for st in c.statements:
            if st.change and st.change[0] == "measure":  # "作出冻结决定" after 管护 (卷一第35题A)
                old, new = st.change[1], st.change[2]
                assert not ({old, new} & person and {old, new} & things), st.text


# ---- blanks -----------------------------------------------------------------------------------------------
def test_blanks_the_stem_gives_away_are_not_made(svc):
    _, b = bank(svc, "监察法")
    blanks = [c for c in b["单选"] + b["填空"] if c.form == "blank"]
    assert blanks
    for c in blanks:
        assert not (c.key[0] == "鉴定" and "专门性问题" in c.stem), c.stem  # 卷一第19题
        assert not (c.key[0] == "限制出境" and "境外" in c.stem), c.stem  # 卷一第21题
    assert quality().gives_away("鉴定", "监察机关在调查过程中，对于案件中的专门性问题，可以指派、聘请有专门知识的人进行")


def test_sanction_blanks_need_an_imposing_verb_and_a_real_choice(svc):
    _, b = bank(svc, "行政处罚法")
    for c in b["单选"] + b["填空"]:
        if c.form == "blank" and c.kind == "sanction":
            assert not c.blank[0].endswith("拍卖"), c.stem  # "…或者没收非法财物拍卖的款项" (卷三第3题)
    _, p = bank(svc, "纪律处分条例")
    for c in p["单选"] + p["填空"]:
        if c.form == "blank" and c.kind == "sanction":
            assert not c.blank[0].endswith("警告或者"), c.stem  # "警告或者____" (卷二第36、38题)


def test_enumeration_distractors_come_from_lists_about_the_same_topic(svc):
    _, b = bank(svc, "公职人员政务处分法")
    crimes = [c for c in b["多选"] if "犯罪" in c.stem and c.form == "enumeration"]
    for c in crimes:  # "散布有损宪法权威…言论" among 公职人员犯罪 cases (卷一第26题)
        assert not any("散布" in d for d in c.distractors), c.distractors
    _, g = bank(svc, "公务员法")
    for c in g["多选"]:
        if "不得录用" in c.stem:  # 孕期不得辞退, 未满最低服务年限不得辞职 among 录用 conditions (卷一第28题)
            assert not any("孕期" in d or "最低服务年限" in d for d in c.distractors), c.distractors


# ---- what is worth asking ----------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence", [
    "人民法院对公开审理和不公开审理的案件，一律公开宣告判决。当庭宣判的，应当在十日内发送判决书",  # 卷一第6题
    "人民法院应当在五日内将不予执行的裁定送达行政机关",  # 卷一第9题
    "行政许可的设定和实施，适用本法",  # 卷二第25题
    "代理诉讼的律师，有权按照规定查阅、复制本案有关材料",  # 卷一第41题
    "自由贸易试验区应当发挥引领示范作用",  # 卷三第15题
])
def test_low_value_sentences_are_never_material(sentence):
    assert quality().low(sentence)


def test_slogans_are_no_true_judgement(svc):
    _, b = bank(svc, "行政许可法")
    trues = [c for c in b["判断"] if c.form == "true"]
    assert trues
    for c in trues:  # "行政机关应当对…实施有效监督" (卷一第42题)
        assert "有效监督" not in c.stem, c.stem
    _, s = bank(svc, "行政诉讼法")
    for kind in ("判断", "单选", "多选", "填空"):
        for c in s[kind]:
            assert "律师" not in c.stem and "发送判决书" not in c.stem, c.stem


def test_a_later_paragraph_keeps_the_first_paragraph_it_needs(svc):
    _, b = bank(svc, "行政复议法")
    art32 = [c for c in b["单选"] + b["填空"] + b["判断"] if any(r.article.number == 32 for r in c.refs)
             and "行政机关收到行政复议申请后" in c.stem]
    assert art32  # 卷一第18题: "行政机关收到行政复议申请后…五日内" without who that 行政机关 is
    for c in art32:
        assert "可以通过作出行政处罚决定的行政机关提交行政复议申请" in c.stem, c.stem
        assert c.refs[0].citation().paragraph is None  # the quote spans both 款: the article is cited
    # "…不适用第一款减轻处分的规定" (卷二第8题D) cannot stand alone
    assert T._DEPENDENT.search("不适用第一款减轻处分的规定")


# ---- 解析 option by option ----------------------------------------------------------------------------------
def test_explanations_go_option_by_option_by_letter(svc):
    law, b = bank(svc, "行政诉讼法")
    negs = valid(svc, [c for c in b["单选"] if c.form == "negative"])[:6]
    blanks = valid(svc, [c for c in b["单选"] if c.form == "blank"])[:6]
    assert negs and blanks
    for c in negs + blanks:
        it = rendered(c)
        for i in range(len(it.options)):
            assert f"{'ABCD'[i]}项" in it.explanation, it.explanation
        assert "…”" not in it.explanation  # no option named by a truncated quote (卷一第25题)


# ---- 100 points, whole pass marks ---------------------------------------------------------------------------
def test_points_fit_a_hundred_with_whole_numbers():
    base = {"单选": 2.0, "多选": 3.0, "判断": 2.0, "填空": 2.0}
    assert fit({"单选": 25, "多选": 10, "判断": 10, "填空": 0}, base, 100) == (
        {"单选": 25, "多选": 10, "判断": 10, "填空": 0}, base)
    counts, points = fit({"单选": 16, "多选": 6, "判断": 10, "填空": 6}, base, 100)
    assert sum(counts[k] * points[k] for k in counts) == 100
    assert all(float(v).is_integer() for v in points.values()) and points["多选"] >= points["单选"] >= points["判断"]
    assert fit({"单选": 1, "多选": 0, "判断": 0, "填空": 0}, base, 100) is None


def test_a_custom_scope_paper_is_on_a_hundred_scale(svc):
    # 卷二 (公务员法、行政许可法、行政复议法、纪律处分条例) came out as 38 items, 84 points, pass 51
    bp = Blueprint.preset("任前法律知识考试", laws={"公务员法": 1, "行政许可法": 1, "行政复议法": 1, "纪律处分条例": 1},
                          seed=5202)
    paper = svc.generate(bp)
    assert paper.total == 100 and paper.pass_mark == 60
    assert all(float(it.points).is_integer() for it in paper.items)
    # the user's own counts and points are kept as given
    mine = Blueprint(counts={"单选": 5, "多选": 0, "判断": 5, "填空": 0}, laws={"宪法": 1}, seed=1)
    assert svc.generate(mine).total == 20


# ---- batches ------------------------------------------------------------------------------------------------
def test_a_batch_repeats_no_stem_and_no_statement(svc):
    bp = Blueprint.preset("任前法律知识考试", party_member=True, seed=5201)
    papers = svc.generate_batch(bp, 3)
    stems = [T.norm(it.stem) for p in papers for it in p.items if it.form not in ("statements", "negative", "combination")]
    assert len(stems) == len(set(stems))  # 卷一1＝卷二3, 卷一24＝卷二1, 卷一3＝卷三8
    said = []
    for p in papers:
        for it in p.items:
            said += [T.norm_stmt(o) for o in it.options] if it.form in ("statements", "negative") else []
            if it.type == "判断":
                said.append(T.norm(it.stem))
    assert len(said) == len(set(said))  # 卷一14 and 卷二18: the same four statements
    arts = [{a for it in p.items for a in it.article_ids} for p in papers]
    quotes = [{q for it in p.items for q in it.sentences} for p in papers]
    # since round 6 a paper fills a law's quota from another sentence of an article an earlier paper asked before
    # any law goes past its share (a setter accepts parallel items across A/B/C卷, not one law at 36% of a paper)
    assert len(arts[0] & arts[1]) <= len(arts[1]) // 3, len(arts[0] & arts[1])
    # the third paper runs out of unasked articles for 单选 (the non-organ 单选 bank of the syllabus is ~80 blanks
    # and the scenarios): it may take another sentence of an asked article, almost never the same sentence
    third = papers[2].items
    # (fewer 多选 since distractor lists may share no sanction with the key's list: up to two thirds)
    assert sum(bool(set(it.article_ids) & (arts[0] | arts[1])) for it in third) <= 2 * len(third) // 3
    # known weak (reported): since distractor lists must share no sanction with the key's (a wrong key in review 5),
    # 多选 run short and the third paper's 单选 made up for them reuse up to a third of the earlier sentences
    assert sum(bool(set(it.sentences) & (quotes[0] | quotes[1])) for it in third) <= len(third) // 3


def test_papers_made_after_others_do_not_repeat_them(svc):
    first = svc.generate(Blueprint.preset("任前法律知识考试", seed=7))
    other = svc.generate_batch(Blueprint.preset("任前法律知识考试", laws={"行政处罚法": 1, "行政许可法": 1}, seed=8), 1,
                               after=[first])[0]
    mine = {T.norm(it.stem) for it in first.items}
    assert not mine & {T.norm(it.stem) for it in other.items}
    assert other.total == 100


# ---- multi-blank 填空 --------------------------------------------------------------------------------------
def test_multi_blank_items_restore_their_article_and_are_graded_per_blank(svc):
    from assistant.exam.grading import score_item, understand

    law, b = bank(svc, "监察法")
    items = valid(svc, [c for c in b["填空"] if c.form == "blanks"])
    _, p = bank(svc, "纪律处分条例")
    items += valid(svc, [c for c in p["填空"] if c.form == "blanks"])
    assert len(items) >= 10
    for c in items:
        assert c.stem.count("________") == 2 and c.key[0] != c.key[1]
        before, mid, after = c.blank
        assert T.norm(before + c.key[0] + mid + c.key[1] + after) in T.norm(c.refs[0].article.text)
    guard = next(c for c in items if "管护" in c.stem and c.key == ["七", "三"])  # 监察法第四十五条
    it = rendered(guard)
    it.points = 4
    assert it.answer == "七；三"
    assert score_item(it, "七；三") == 4 and score_item(it, "7 3") == 4 and score_item(it, "七日；三日") == 4
    assert score_item(it, "七；五") == 2 and score_item(it, "五；七") == 0
    ans, why = understand(it, "七")
    assert ans == "七" and "2个空" in why and score_item(it, ans) == 2


# ---- the checker catches each quoted bad item ---------------------------------------------------------------
def _cite(law, art, para=None):
    return [{"law": law, "article": art, "paragraph": para, "item": None}]


def test_the_checker_catches_each_quoted_bad_item(checker):
    tier = {"type": "单选", "form": "scenario", "answer": "C",
            "stem": "某镇党委委员张某党员领导干部不重视家风建设，对配偶、子女及其配偶失管失教，造成不良影响或者严重后果，"
                    "情节严重。根据《中国共产党纪律处分条例》，对张某可以给予的党纪处分是（　　）。",
            "options": ["留党察看", "警告", "撤销党内职务", "开除党籍"], "citations": _cite(PARTY, 152),
            "explanation": "正确答案为C（撤销党内职务）。依据《中国共产党纪律处分条例》第一百五十二条：“党员领导干部不重视家风建设，对配偶、子女及其配偶失管失教，造成"
                           "不良影响或者严重后果的，给予警告或者严重警告处分；情节严重的，给予撤销党内职务处分。”。题述行为属于该条规定"
                           "的行为，情节严重的，情节严重的，给予撤销党内职务处分，故可以给予撤销党内职务。A项“留党察看”不在该条规定的处分"
                           "之列。B项“警告”不在该条规定的处分之列。D项“开除党籍”不在该条规定的处分之列。"}
    bad = checker.check(tier)
    for rule in ("explanation_repeats_itself", "explanation_denies_a_listed_sanction", "scenario_stem_garbled",
                 "scenario_person_outside_rule", "explanation_not_by_letter"):
        assert rule in bad, (rule, bad)
    flip = {"type": "判断", "form": "false", "answer": "B", "options": ["正确", "错误"], "citations": _cite(PARTY, 30, 3),
            "stem": "根据《中国共产党纪律处分条例》，党员有嫖娼或者吸食、注射毒品等丧失党员条件，严重败坏党的形象行为的，应当给予"
                    "警告处分。（　　）",
            "explanation": "本题错误。依据《中国共产党纪律处分条例》第三十条第三款：“…”题干将“开除党籍”改为“警告”，与原文不符。"}
    assert "sanction_swap_out_of_order" in checker.check(flip)
    cue = {"type": "单选", "form": "blank", "answer": "A", "citations": _cite("中华人民共和国监察法", 30),
           "stem": "根据《中华人民共和国监察法》，监察机关在调查过程中，对于案件中的专门性问题，可以指派、聘请有专门知识的人进行"
                   "（　　）。", "options": ["鉴定", "询问", "冻结", "查封"],
           "explanation": "正确答案为A。依据《中华人民共和国监察法》第三十条：“…”。B项…"}
    bad = checker.check(cue)
    assert "key_cued_by_stem" in bad and "measure_of_another_kind" in bad
    low = {"type": "判断", "form": "true", "answer": "A", "options": ["正确", "错误"],
           "citations": _cite("中华人民共和国行政许可法", 3),
           "stem": "根据《中华人民共和国行政许可法》，行政许可的设定和实施，适用本法。（　　）",
           "explanation": "本题正确。依据《中华人民共和国行政许可法》第三条第一款：“行政许可的设定和实施，适用本法。”"}
    assert "low_value_point" in checker.check(low)
    cut = {"type": "单选", "form": "blank", "answer": "D", "citations": _cite("中华人民共和国行政复议法", 32, 2),
           "stem": "根据《中华人民共和国行政复议法》，行政机关收到行政复议申请后，应当及时处理；认为需要维持行政处罚决定的，应当自"
                   "收到行政复议申请之日起（　　）内转送行政复议机关。", "options": ["三日", "十日", "七日", "五日"],
           "explanation": "正确答案为D（五日）。依据《中华人民共和国行政复议法》第三十二条第二款：“…”。A项、B项、C项、D项"}
    assert "later_paragraph_without_context" in checker.check(cut)


def test_the_checker_passes_this_rounds_items(svc, checker):
    bp = Blueprint.preset("任前法律知识考试", party_member=True, seed=404)
    paper = svc.generate(bp).to_json()
    new_rules = Checker.RULES[Checker.RULES.index("explanation_repeats_itself"):]
    for it in paper["items"]:
        bad = {r: w for r, w in checker.check(it).items() if r in new_rules}
        assert not bad, (it["stem"][:60], bad)
    assert json.dumps(paper, ensure_ascii=False)


def test_a_practice_header_names_the_kind_once():
    """A practice blueprint's title already ends in （练习）; the header showed 任前法律知识考试（练习）（练习）."""
    from assistant.web import render

    view = {"official": False, "title": "任前法律知识考试（练习）", "items": [{}, {}], "total": 4, "pass_mark": 3,
            "minutes": 5, "scope": ["中华人民共和国监察法"], "notes": []}
    head = render.paper_header(view)
    assert "（练习）（练习）" not in head and head.startswith("### 任前法律知识考试（练习）\n共 2 题")
    official = render.paper_header(dict(view, official=True, title="任前法律知识考试"))
    assert official.startswith("### 任前法律知识考试（正式考试）")
