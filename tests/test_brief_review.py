"""Review before the meeting: draft -> edit -> 待审核 -> approved by an admin, the reviewer and date printed on the
final version, history kept. One contract suite runs on the fake store and on the real database (SQLite and
PostgreSQL through the `db` fixture); the Markdown the web app edits is parsed back into Word."""

from __future__ import annotations

import pytest

from assistant.brief.model import Brief, LawEntry, Question, Quote
from assistant.brief.review import APPROVED, DRAFT, PENDING, BriefReviews, DbBriefStore, MemoryBriefStore
from knowledge.errors import NotFoundError, XuefaError
from knowledge.models import Law


class _User:
    def __init__(self, name: str, admin: bool):
        self.name, self.is_admin = name, admin


ADMIN, CLERK = _User("司法局王局长", True), _User("法制股李四", False)


def _brief() -> Brief:
    law = Law("nat-x", "中华人民共和国行政处罚法", level="法律", publish_date="2021-01-22", effective_date="2021-07-15")
    q = Quote("nat-x", law.title, 39, 0, "行政处罚的实施机关、立案依据、实施程序和救济渠道等信息应当公示。", theme="怎么办")
    b = Brief("行政执法三项制度", "standard", laws=[LawEntry.of(law, "主管依据")], quotes=[q], unit="某县司法局",
              date="2026-12-01")
    b.questions = [Question("我县是否已公示实施机关？", f"{q.cite}规定：“行政处罚的实施机关、立案依据、实施程序和救济渠道等信息应当公示”。", (q,))]
    return b


def _db_store(db) -> DbBriefStore:
    from assistant.db import UserRepo

    UserRepo(db).add(ADMIN.name, "x", "管理员")
    UserRepo(db).add(CLERK.name, "x", "学员")
    return DbBriefStore(db)


def test_review_flow_on_the_fake():
    _review_flow(MemoryBriefStore())


def test_review_flow_on_the_database(db):
    _review_flow(_db_store(db))


def test_bad_input_on_the_fake():
    _bad_input(MemoryBriefStore())


def test_bad_input_on_the_database(db):
    _bad_input(_db_store(db))


def _review_flow(store):
    reviews = BriefReviews(store)
    rec = reviews.save_draft(_brief(), CLERK.name)
    assert rec.status == DRAFT and rec.version == 1 and rec.author == CLERK.name
    assert rec.markdown.startswith("# 会前学法材料：行政执法三项制度")
    edited = rec.markdown.replace("## 一、学习提要", "## 一、学习提要\n\n本县2025年行政处罚案件1200件。", 1)
    rec = reviews.edit(rec.id, edited, CLERK.name, note="补充本地情况")
    assert "本县2025年" in rec.markdown and rec.version == 2
    with pytest.raises(XuefaError, match="尚未批准"):
        reviews.final_markdown(rec.id)
    rec = reviews.submit(rec.id, CLERK.name)
    assert rec.status == PENDING
    with pytest.raises(XuefaError, match="只有管理员"):
        reviews.approve(rec.id, CLERK)
    with pytest.raises(XuefaError, match="修改意见"):
        reviews.send_back(rec.id, ADMIN, "  ")
    rec = reviews.send_back(rec.id, ADMIN, "请补充以案释法案例")
    assert rec.status == DRAFT and rec.note == "请补充以案释法案例"
    rec = reviews.submit(rec.id, CLERK.name)
    rec = reviews.approve(rec.id, ADMIN, "同意")
    assert rec.status == APPROVED and rec.reviewer == ADMIN.name and rec.approved_at is not None
    final = reviews.final_markdown(rec.id)
    assert "本县2025年" in final
    assert f"审核：{ADMIN.name}" in final and f"{rec.approved_at.year}年{rec.approved_at.month}月" in final
    actions = [r.action for r in store.revisions(rec.id)]
    assert actions == ["创建", "保存", "送审", "退回", "送审", "批准"]
    assert store.revisions(rec.id)[1].note == "补充本地情况"
    # editing an approved brief returns it to 草稿: the approval does not carry over to new text
    rec = reviews.edit(rec.id, final.replace("同意", ""), CLERK.name)
    assert rec.status == DRAFT
    with pytest.raises(XuefaError):
        reviews.final_markdown(rec.id)
    assert [r.id for r in store.list(DRAFT)] == [rec.id] and store.list(APPROVED) == []


def _bad_input(store):
    reviews = BriefReviews(store)
    rec = reviews.save_draft(_brief(), None)
    with pytest.raises(XuefaError, match="不能为空"):
        reviews.edit(rec.id, "   ", None)
    with pytest.raises(XuefaError, match="过长"):
        reviews.edit(rec.id, "字" * 70_000, None)
    assert store.get(rec.id).version == 1  # nothing changed
    with pytest.raises(NotFoundError):
        store.get(99999)
    with pytest.raises(XuefaError, match="不能改为"):
        store.transition(rec.id, APPROVED, ADMIN.name, "")
    declined = Brief("元宇宙数字藏品", "standard", declined="没有法律依据")
    with pytest.raises(XuefaError, match="不能保存"):
        reviews.save_draft(declined, None)


def test_approved_word_from_edited_markdown(tmp_path):
    from docx import Document

    from assistant.brief.markdown import parse_markdown, render_markdown
    from assistant.brief.outline import build_outline

    brief = _brief()
    md = render_markdown(build_outline(brief))
    assert render_markdown(parse_markdown(md)) == md  # the edited text keeps the generated shape
    reviews = BriefReviews(MemoryBriefStore())
    rec = reviews.save_draft(brief, CLERK.name)
    rec = reviews.edit(rec.id, md.replace("## 二、主要依据", "## 二、本县情况\n\n县政府已出台实施办法。\n\n## 三、主要依据"),
                       CLERK.name)
    reviews.submit(rec.id, CLERK.name)
    reviews.approve(rec.id, ADMIN)
    doc = Document(str(reviews.final_docx(rec.id, tmp_path / "定稿.docx")))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "县政府已出台实施办法。" in body and f"审核：{ADMIN.name}" in body
    assert "行政处罚的实施机关、立案依据、实施程序和救济渠道等信息应当公示。" in body
    assert len(doc.tables) == 1 and doc.tables[0].rows[0].cells[1].text == "名称"
