"""The question bank on a real database: generated items wait for review, edits send them back, retired ones are
never drawn, official papers come from approved items once there are enough; Excel in and out; roles checked."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.db import BankRepo, PaperRepo
from assistant.exam import Blueprint, Paper
from assistant.exam.bank import EXCEL_HEADER, QuestionBank
from assistant.exam.desk import ExamDesk
from assistant.web.auth import PermissionDenied
from knowledge.errors import XuefaError
from tests.exam_support import exam_kb, exam_service  # noqa: F401  (fixtures)

SMALL = {"单选": 2, "多选": 1, "判断": 2, "填空": 0}


@pytest.fixture
def bank(db, exam_service):
    return QuestionBank(db, exam_service)


def test_harvested_items_wait_for_review_and_edits_send_them_back(bank):
    n = bank.harvest(["监察法"], per_type=3)
    assert n >= 8
    assert bank.repo.counts()["待审核"] == n and bank.repo.counts()["已审核"] == 0
    assert bank.harvest(["监察法"], per_type=3) == 0  # the same items are not added twice
    row = bank.repo.list(type="单选")[0]
    bank.approve(row.id, None)
    assert bank.repo.get(row.id).status == "已审核"
    bank.edit(row.id, stem=row.stem + "（修改）", options=list(row.options), answer=row.answer,
              explanation=row.explanation)
    assert bank.repo.get(row.id).status == "待审核"  # an edited item needs another review
    with pytest.raises(XuefaError, match="答案应为选项字母"):
        bank.edit(row.id, stem=row.stem, options=list(row.options), answer="Z", explanation="")


def test_official_papers_come_from_approved_items_when_there_are_enough(db, bank, exam_service):
    bp = Blueprint.preset("任前法律知识考试", counts=dict(SMALL), laws={"监察法": 1})
    laws = [law.title for law, _ in exam_service.scope(bp)]
    bank.harvest(["监察法"], per_type=4)
    import random

    assert bank.draw(bp, random.Random(1), laws) is None  # nothing approved yet
    rows = bank.repo.list()
    retired = rows[0]
    bank.retire(retired.id, None)
    for r in rows[1:]:
        bank.approve(r.id, None)
    paper = bank.draw(bp, random.Random(1), laws)
    assert paper is not None and len(paper.items) == sum(SMALL.values())
    approved = {r.uid for r in bank.repo.list(status="已审核")}
    assert all(it.uid in approved for it in paper.items) and retired.uid not in {it.uid for it in paper.items}
    assert paper.pass_mark == int(paper.pass_mark)
    # the desk uses the bank for official papers
    desk = ExamDesk(exam_service, db, bank=bank)
    desk_bp = Blueprint.preset("任前法律知识考试", counts=dict(SMALL), laws={"监察法": 1})
    view = desk.start("zhang", blueprint=desk_bp, kind="official")
    stored = Paper.from_json(PaperRepo(db).get(view["paper_id"]).data)
    assert "本卷题目均取自已审核题库" in stored.notes and all(it.uid in approved for it in stored.items)


def test_hand_written_items_and_excel_round_trip(bank, tmp_path):
    with pytest.raises(XuefaError, match="第999条"):
        bank.add_handwritten("单选", "监察机关是（　　）。", ["甲", "乙"], "A", "", "监察法", 999)
    row = bank.add_handwritten("判断", "监察委员会是国家的监察机关。", [], "正确", "宪法如是规定。", "监察法", 7)
    assert row.status == "待审核" and row.answer == "A" and row.source == "hand-written"
    out = bank.export_excel(tmp_path / "bank.xlsx")
    from assistant.export.xlsx import read_rows, write_workbook

    header, rows = read_rows(out)
    assert header == EXCEL_HEADER and len(rows) == 1
    good = ["", "", "单选", "监察机关对（　　）进行监察。", "所有行使公权力的公职人员", "外国人", "全体公民", "", "",
            "A", "", "监察法", "15", ""]
    bad = ["", "", "单选", "题干", "甲", "乙", "", "", "", "Q", "", "监察法", "15", ""]
    write_workbook(tmp_path / "in.xlsx", [("题库", EXCEL_HEADER, [good, bad])])
    before = bank.repo.counts()["待审核"]
    with pytest.raises(XuefaError, match="第3行"):
        bank.import_excel(tmp_path / "in.xlsx")
    assert bank.repo.counts()["待审核"] == before  # all or nothing
    write_workbook(tmp_path / "ok.xlsx", [("题库", EXCEL_HEADER, [good])])
    assert bank.import_excel(tmp_path / "ok.xlsx") == {"added": 1}
    write_workbook(tmp_path / "cols.xlsx", [("题库", ["题干"], [["x"]])])
    with pytest.raises(XuefaError, match="缺少列"):
        bank.import_excel(tmp_path / "cols.xlsx")


def test_only_admins_and_setters_manage_the_bank(bank, tmp_path):
    from assistant.accounts.service import Account
    from assistant.web import bank_page

    ctx = SimpleNamespace(services=SimpleNamespace(bank=bank), user_id=lambda u: None,
                          exports_dir=lambda u: tmp_path)
    learner, setter = Account("li", "学员"), Account("wang", "出题人")
    with pytest.raises(PermissionDenied):
        bank_page.bank_rows(ctx, learner)
    with pytest.raises(PermissionDenied):
        bank_page.bank_review(ctx, learner, 1, "通过")
    assert "新增" in bank_page.bank_harvest(ctx, setter, "监察法", 2)
    first = bank_page.bank_rows(ctx, setter, "待审核")[0]
    assert bank_page.bank_review(ctx, setter, first[0], "通过").endswith("已审核。")
    assert BankRepo(bank.repo.db).get(first[0]).status == "已审核"
    assert bank_page.bank_export(ctx, setter).endswith(".xlsx")
