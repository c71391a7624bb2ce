"""Syllabi as data (laws and weights, party rules, chosen local regulations, quotas capped by bank size, whole
pass marks) and grading that reads what people write (units, 2/3, √/×), reporting what it could not read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.exam import PRESETS, Blueprint
from assistant.exam.assemble import capped_quotas
from assistant.exam.grading import MistakeBook, grade, understand
from assistant.exam.models import Citation, Item, Paper
from knowledge.errors import XuefaError
from tests.exam_support import exam_kb, exam_scope, exam_service  # noqa: F401  (fixtures)

DATA = Path(__file__).resolve().parents[1] / "assistant" / "exam" / "data" / "syllabi.json"


def test_presets_are_read_from_the_data_file():
    spec = json.loads(DATA.read_text(encoding="utf-8"))["presets"]["任前法律知识考试"]
    bp = PRESETS["任前法律知识考试"]
    assert set(bp.syllabus) == set(spec["laws"])
    for name in ("宪法", "监察法", "公职人员政务处分法", "公务员法", "行政处罚法", "行政许可法", "行政强制法", "行政复议法",
                 "行政诉讼法"):
        assert name in bp.syllabus
    assert "中国共产党纪律处分条例" in bp.party and bp.official and bp.max_attempts_per_day == spec["max_attempts_per_day"]


def test_syllabus_laws_missing_from_the_knowledge_base_are_left_out_with_a_note(exam_service):
    laws, notes = exam_service.scope_with_notes(Blueprint.preset("任前法律知识考试", party_member=True))
    titles = {law.title for law, _ in laws}
    assert "中华人民共和国宪法" in titles and "中华人民共和国监察法" in titles
    for name in PRESETS["任前法律知识考试"].syllabus:
        if exam_service.kb.resolve_law(name) is None:
            assert any(name in n for n in notes), (name, notes)
    if exam_service.kb.resolve_law("中国共产党纪律处分条例") is None:
        assert any("纪律处分条例" in n for n in notes)
    with pytest.raises(XuefaError):  # a law the user names must exist
        exam_service.scope(Blueprint(laws={"不存在的条例": 1}))


def test_every_local_document_is_not_in_a_preset_unless_chosen(exam_service):
    laws = exam_service.scope(Blueprint.preset("任前法律知识考试"))
    assert all(law.source != "local" for law, _ in laws)
    if exam_service.kb.resolve_law("东平湖保护条例") is not None:
        chosen = exam_service.scope(Blueprint.preset("任前法律知识考试", local=["东平湖保护条例"]))
        assert [law.title for law, _ in chosen if law.source == "local"] == ["山东省东平湖保护条例"]


def test_quotas_are_capped_by_bank_size():
    # a 2-item bank gets at most its share; the rest goes to the big banks by weight
    q = capped_quotas(25, [1, 1, 1], [300, 200, 2])
    assert sum(q) == 25 and q[2] == 1 and q[0] >= q[1] - 1
    assert capped_quotas(10, [1, 1], [3, 3]) == [5, 5]  # everything capped: still a full paper


def test_pass_marks_are_whole_numbers(exam_service, exam_scope):
    bp = Blueprint(counts={"单选": 7, "多选": 3, "判断": 2, "填空": 0}, points={"单选": 1.5, "多选": 3, "判断": 1, "填空": 2},
                   laws=exam_scope, seed=2)
    p = exam_service.generate(bp)
    assert p.pass_mark == int(p.pass_mark) and p.pass_mark >= 0.6 * p.total > p.pass_mark - 1


def _item(type_, answer, options=(), aliases=()):
    return Item(type=type_, stem="根据《某法》，应当在________日内作出决定。", options=list(options), answer=answer,
                explanation="", citations=[Citation("某法", 3)], aliases=list(aliases), number=1)


def test_fill_answers_with_units_and_aliases():
    it = _item("填空", "三")
    for given in ("三", "3", "三日", "3日", " 3 日 "):
        assert grade(Paper("t", 10, [it], 1), {"1": given}).score == it.points, given
    frac = _item("填空", "三分之二")
    assert grade(Paper("t", 10, [frac], 1), {"1": "2/3"}).score == frac.points
    alias = _item("填空", "监察委员会", aliases=["监委"])
    assert grade(Paper("t", 10, [alias], 1), {"1": "监委"}).score == alias.points
    assert grade(Paper("t", 10, [it], 1), {"1": "五日"}).score == 0


def test_judge_symbols_and_unreadable_answers():
    it = _item("判断", "A", ["正确", "错误"])
    for given in ("√", "✓", "✔", "对", "正确", "A", "a", "Ａ", "T", "A. 正确", "○"):
        assert understand(it, given) == ("A", None), given
    for given in ("×", "✗", "✘", "错", "错误", "B", "F", "X"):
        assert understand(it, given) == ("B", None), given
    ans, why = understand(it, "可能对吧")
    assert ans is None and "无法识别" in why
    single = _item("单选", "B", ["甲", "乙", "丙", "丁"])
    assert understand(single, "E")[0] is None and understand(single, "AC")[1]
    result = grade(Paper("t", 10, [it], 1), {"1": "可能对吧"})
    assert result.not_understood and result.not_understood[0]["number"] == 1


def test_a_wrong_item_counts_once_in_the_mistakes_notebook(tmp_path):
    cites = [Citation("某法", 5, law_id="L", article_id="L:5"), Citation("某法", 5, item=1, law_id="L", article_id="L:5"),
             Citation("某法", 5, item=3, law_id="L", article_id="L:5")]
    it = Item(type="多选", stem="下列哪些", options=["甲", "乙", "丙", "丁"], answer="AC", explanation="",
              citations=cites, number=1, uid="u1")
    paper = Paper("t", 10, [it], 1)
    book = MistakeBook(tmp_path, "zhang")
    book.record(paper, grade(paper, {"1": "B"}))
    assert book.load()["L:5"]["wrong"] == 1
