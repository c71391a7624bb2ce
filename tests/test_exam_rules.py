"""Each generator rule, reproduced on the bad items a paper setter quoted in issue #11 (real laws, real catalog).

- organ distractors from one global menu ("村民委员会领导地方各级监察委员会的工作"; "县级以上人民政府居民委员会…");
- distractors that are instances of the key (上级监察机关 / 上一级监察委员会 / 监察机关);
- a "false" statement that another article makes true ("地方各级人民代表大会的组织和职权由法律规定");
- an enumeration 多选 whose distractor was a sibling 项 with the same sanction scale;
- sentences used without their antecedent ("但是，解除降级、（ ）的…", "处分的程序…适用…");
- 监察措施 words swapped into other laws (管护 → 询问)."""

from __future__ import annotations

import re

import pytest

from assistant.exam import text as T
from assistant.exam.generators import FALSE_KINDS, Statement, build_law_bank, same_consequence
from assistant.exam.lexicon import lexicon
from assistant.exam.validate import false_ok, validate
from tests.exam_support import exam_kb, exam_service  # noqa: F401  (fixtures)

MEASURES_JIANCHA = set(next(t for t in lexicon().lists if t.name == "监察措施").terms)


@pytest.fixture(scope="module")
def banks(exam_kb, exam_service):
    out = {}
    for name in ("宪法", "监察法", "公职人员政务处分法"):
        law = exam_service.resolve(name)
        out[name] = (law, exam_service.bank(law))
    return out


def organ_items(bank):
    return [c for c in bank["单选"] if c.form == "blank" and c.kind == "organ"]


def test_organ_distractors_come_from_the_keys_class_and_are_never_related():
    lex = lexicon()
    dis = lex.organ_distractors("国家监察委员会")
    assert not {"村民委员会", "居民委员会", "人民法院", "中央军事委员会"} & set(dis)
    assert all(lex.organ(d).klass == "supervision" for d in dis)
    # instances of the key, or the key of its instances, never side by side
    assert "上级监察机关" not in lex.organ_distractors("上一级监察委员会")
    assert "监察机关" not in lex.organ_distractors("上一级监察委员会")
    assert lex.related("监察机关", "上一级监察委员会") and lex.related("上级监察机关", "上一级监察委员会")
    assert lex.organ_distractors("监察机关") == []  # a generic name is never a key
    # a department blank behind "县级以上人民政府" is offered only departments, never 居民委员会
    assert "居民委员会" not in lex.organ_distractors("应急管理部门")
    assert not lex.compound_ok("县级以上人民政府", "国务院", "负责")


def test_banks_never_mix_organ_classes_or_offer_related_organs(banks):
    lex = lexicon()
    seen = 0
    for name, (law, bank) in banks.items():
        for c in organ_items(bank):
            key = lex.organ(c.key[0])
            assert key is not None and not key.generic, c.stem
            for d in c.distractors:
                o = lex.organ(d)
                assert o is not None and o.klass == key.klass, (c.stem, d)
                assert not lex.related(c.key[0], d), (c.stem, c.key[0], d)
            seen += 1
        stems = " ".join(c.stem for c in bank["单选"])
        assert "村民委员会领导" not in stems and "人民政府居民委员会" not in stems
    assert seen >= 5  # the rule was exercised


def test_organ_inside_a_longer_name_is_not_blanked(exam_service):
    law = exam_service.resolve("东平湖保护条例") if exam_service.kb.resolve_law("东平湖保护条例") else None
    if law is None:
        pytest.skip("../shared local regulations absent")
    bank = exam_service.bank(law)
    for c in organ_items(bank):
        before, after = c.blank
        assert not after.startswith(("水行政主管部门", "生态环境主管部门", "部门", "主管部门")), c.stem


def test_a_false_statement_true_under_another_article_is_rejected(exam_service):
    # 宪法 第一百二十四条 "监察委员会的组织和职权由法律规定" with the organ changed: 第九十五条 makes it true
    stmt = "地方各级人民代表大会的组织和职权由法律规定"
    assert exam_service.supports(stmt, "地方各级人民代表大会")
    st = Statement(stmt, False, None, ("organ", "监察委员会", "地方各级人民代表大会"))
    assert not false_ok(st, exam_service.contains, exam_service.supports)
    # a plainly false change is kept
    plain = Statement("总理、副总理、国务委员连续任职不得超过三届", False, None, ("number", "两届", "三届"))
    assert false_ok(plain, exam_service.contains, exam_service.supports)
    # organ swaps are not used for false statements at all (reviewed: none usable)
    assert "organ" not in FALSE_KINDS


def test_validated_false_items_are_false_everywhere(banks, exam_service):
    n = 0
    for name, (law, bank) in banks.items():
        for c in bank["判断"]:
            if c.form != "false":
                continue
            v = exam_service._validate(c)
            st = c.statements[0]
            if v is not None:
                assert exam_service.supports(st.text, st.change[2]) is None
                n += 1
    assert n >= 20


def test_enumeration_never_takes_a_distractor_from_a_list_with_the_same_consequence(banks):
    law, bank = banks["公职人员政务处分法"]
    articles = {a.article_id: a for a in law_articles(bank)}
    enums = [c for c in bank["多选"] if c.form == "enumeration"]
    assert enums
    lead_of = {}
    for a in articles.values():
        for en in T.enumerations(a):
            for it in en.items:
                lead_of.setdefault(it, []).append(en.lead)
    checked = 0
    for c in enums:
        own_lead = c.refs[0].article.paragraphs[c.refs[0].paragraph - 1].text
        for d in c.distractors:
            for lead in lead_of.get(d, []):
                # independent check: the sanction words of the two leads differ
                words = ("警告", "记过", "记大过", "降级", "撤职", "开除")
                assert {w for w in words if w in lead} != {w for w in words if w in own_lead} or \
                    not any(w in own_lead for w in words), (c.stem, d, lead)
                checked += 1
    assert checked
    assert same_consequence("有下列行为之一的，予以警告、记过或者记大过；情节较重的，予以降级或者撤职：",
                            "有下列行为之一的，予以警告、记过或者记大过；情节严重的，予以降级或者撤职：",
                            law.title)


def law_articles(bank):
    seen = {}
    for kind in bank.values():
        for c in kind:
            for r in c.refs:
                seen[r.article.article_id] = r.article
    return list(seen.values())


def test_dependent_sentences_keep_their_antecedent_or_are_skipped(banks):
    law, bank = banks["公职人员政务处分法"]
    stems = [c.stem for kind in bank.values() for c in kind]
    stems += [s.text for kind in bank.values() for c in kind for s in c.statements]
    for s in stems:
        body = re.sub(r"^根据《[^》]+》，", "", s)
        assert not body.startswith(("但是", "但")), s
        if "但是，解除降级" in s:
            assert "政务处分期满后自动解除" in s, s  # the antecedent sentence is in the stem
        assert "处分的程序、申诉等适用" not in s, s  # its antecedent points at 本法第二章 -> skipped
    # later sentences of a 款 are used with the sentences before them (the rule is exercised, not only skipping)
    joined = [c for kind in bank.values() for c in kind if c.type == "判断" and c.form == "true"
              and "。" in c.statements[0].text]
    assert joined
    for c in joined:
        assert T.norm_stmt(c.statements[0].text) in T.norm(c.refs[0].article.text)


def test_measure_words_stay_in_their_own_law(banks):
    assert not [t for t in T.terms("对违法行为人进行询问并可以查封场所", "中华人民共和国行政处罚法")
                if t.kind == "measure"]
    for name, (law, bank) in banks.items():
        for kind in ("单选", "判断"):
            for c in bank[kind]:
                if c.kind != "measure":
                    continue
                assert "监察法" in law.title, (name, c.stem)
                opts = c.key + c.distractors if kind == "单选" else [c.statements[0].change[2]]
                assert set(opts) <= MEASURES_JIANCHA, (c.stem, opts)
    law, bank = banks["公职人员政务处分法"]
    assert not any("管护" in d for c in bank["单选"] for d in c.distractors)


def test_numbers_and_sanctions_come_before_organ_blanks(exam_service):
    from assistant.exam import Blueprint

    paper = exam_service.generate(Blueprint(counts={"单选": 6, "多选": 0, "判断": 0, "填空": 0},
                                            laws={"公职人员政务处分法": 1}, seed=5))
    kinds = [it.form for it in paper.items]
    assert len(paper.items) == 6
    organ = [it for it in paper.items if it.form == "blank" and re.search(r"（　　）", it.stem)
             and lexicon().organ(it.options[0]) is not None]
    # known weak since round 6 (reported): the in-paper repeat rules (one key over one option set, one option set
    # per paper) thin the sanction blanks of a one-law paper, and one organ blank may take a slot
    assert len(organ) <= 1, [it.stem for it in organ]
    assert kinds


def test_negative_and_combination_forms_derive_from_their_articles(banks, exam_service):
    law, bank = banks["监察法"]
    neg = [exam_service._validate(c) for c in bank["单选"] if c.form == "negative"]
    combo = [exam_service._validate(c) for c in bank["单选"] if c.form == "combination"]
    neg, combo = [c for c in neg if c], [c for c in combo if c]
    assert neg and combo
    for c in neg:
        assert sum(not s.truth for s in c.statements) == 1 and c.key == [next(s.text for s in c.statements
                                                                               if not s.truth)]
    for c in combo:
        right = "".join("①②③④"[i] for i, s in enumerate(c.statements) if s.truth)
        assert c.key == [right] and right not in c.distractors
        for s in c.statements:
            if s.truth:
                assert T.norm_stmt(s.text) in T.norm(s.ref.article.text)


def test_whole_bank_builds_on_a_law_with_no_scoped_lists(exam_service):
    law = exam_service.resolve("宪法")
    bank = build_law_bank(law, exam_service.kb.catalog.articles(law.law_id))
    assert not [c for c in bank["判断"] if c.kind in ("sanction", "measure")]  # 宪法 has no sanction scale list
    v = [validate(c, exam_service.contains, supports=exam_service.supports) for c in bank["判断"][:50]]
    assert any(v)


def test_scenario_items_ask_for_the_consequence_of_a_behaviour(banks, exam_service):
    """A scenario from a rule "…的，予以…": the key is that article's consequence; no option's sanctions contain
    or are contained in the key's (so two options are never both defensible)."""
    from assistant.exam.generators import _sanctions_in

    law, bank = banks["公职人员政务处分法"]
    # (graded-rule scenarios, kind "tier", are tested in test_exam_setter.py). Round 4: options share no sanction
    # at all — "予以撤职或者开除" against "予以撤职；情节严重的，予以开除" left two defensible answers — so the
    # 政务处分法's six-rank scale, whose rules overlap, yields none; the party rules do (test_exam_round4.py).
    cands = [c for c in bank["单选"] if c.form == "scenario" and c.kind == "scenario"]
    items = [c for c in (exam_service._validate(c) for c in cands) if c]
    assert len(items) == len(cands)
    for c in items:
        assert c.stem.endswith("应当（　　）。") and "某" in c.stem
        assert c.key[0] in c.refs[0].quote and T.norm(c.key[0]) in T.norm(c.refs[0].article.text)
        key = _sanctions_in(c.key[0], law)
        for d in c.distractors:
            other = _sanctions_in(d, law)
            assert other and not (other & key), (c.key[0], d)
