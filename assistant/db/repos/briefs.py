"""会前学法 briefs with their history: 草稿 → 待审核 → 已批准 (or 退回 to 草稿); every change is a revision."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from knowledge.errors import NotFoundError, XuefaError

from ..database import Database
from ..models import BRIEF_APPROVED, BRIEF_DRAFT, BRIEF_PENDING, Brief, BriefRevision, utcnow

# (from, to) -> the revision's action name
TRANSITIONS = {(BRIEF_DRAFT, BRIEF_PENDING): "送审", (BRIEF_PENDING, BRIEF_APPROVED): "批准",
               (BRIEF_PENDING, BRIEF_DRAFT): "退回", (BRIEF_APPROVED, BRIEF_DRAFT): "撤回"}


class BriefRepo:
    def __init__(self, db: Database):
        self.db = db

    def create(self, topic: str, content: dict[str, Any], markdown: str, *, title: str = "",
               author_id: int | None = None, unit_id: int | None = None) -> Brief:
        brief = Brief(topic=topic, title=title or topic, content=content, markdown=markdown, status=BRIEF_DRAFT,
                      version=1, author_id=author_id, unit_id=unit_id, review_note="")
        with self.db.session() as s:
            s.add(brief)
            s.flush()
            s.add(BriefRevision(brief_id=brief.id, version=1, status=BRIEF_DRAFT, content=content,
                                markdown=markdown, editor_id=author_id, action="创建", note=""))
        return self.require(brief.id)

    def get(self, brief_id: int) -> Brief | None:
        with self.db.read() as s:
            return s.get(Brief, brief_id)

    def require(self, brief_id: int) -> Brief:
        brief = self.get(brief_id)
        if brief is None:
            raise NotFoundError(f"没有编号为 {brief_id} 的学习材料。")
        return brief

    def list(self, *, status: str | Iterable[str] | None = None, author_id: int | None = None,
             unit_ids: Iterable[int] | None = None) -> list[Brief]:
        q = select(Brief).order_by(Brief.updated_at.desc(), Brief.id.desc())
        if status is not None:
            q = q.where(Brief.status.in_([status] if isinstance(status, str) else list(status)))
        if author_id is not None:
            q = q.where(Brief.author_id == author_id)
        if unit_ids is not None:
            q = q.where(Brief.unit_id.in_(list(unit_ids)))
        with self.db.read() as s:
            return list(s.scalars(q))

    def save(self, brief_id: int, content: dict[str, Any], markdown: str, *, editor_id: int | None = None,
             title: str | None = None, note: str = "") -> Brief:
        """A new version of the text. Editing a brief under review or approved returns it to 草稿."""
        with self.db.session() as s:
            brief = self._locked(s, brief_id)
            brief.version += 1
            brief.content, brief.markdown = content, markdown
            if title:
                brief.title = title
            if brief.status != BRIEF_DRAFT:
                brief.status, brief.approved_at = BRIEF_DRAFT, None
            s.add(BriefRevision(brief_id=brief.id, version=brief.version, status=brief.status, content=content,
                                markdown=markdown, editor_id=editor_id, action="保存", note=note))
        return self.require(brief_id)

    def transition(self, brief_id: int, status: str, *, user_id: int | None = None, note: str = "") -> Brief:
        """送审 (草稿→待审核), 批准 (待审核→已批准), 退回 (待审核→草稿), 撤回 (已批准→草稿)."""
        with self.db.session() as s:
            brief = self._locked(s, brief_id)
            action = TRANSITIONS.get((brief.status, status))
            if action is None:
                raise XuefaError(f"学习材料当前为“{brief.status}”，不能改为“{status}”。")
            brief.status = status
            brief.version += 1
            if status == BRIEF_APPROVED:
                brief.reviewer_id, brief.approved_at, brief.review_note = user_id, utcnow(), note
            elif action == "退回":
                brief.reviewer_id, brief.review_note = user_id, note
            else:
                brief.approved_at = None
            s.add(BriefRevision(brief_id=brief.id, version=brief.version, status=status, content=brief.content,
                                markdown=brief.markdown, editor_id=user_id, action=action, note=note))
        return self.require(brief_id)

    def revisions(self, brief_id: int) -> list[BriefRevision]:
        """Oldest first."""
        with self.db.read() as s:
            return list(s.scalars(select(BriefRevision).where(BriefRevision.brief_id == brief_id)
                                  .order_by(BriefRevision.version)))

    def remove(self, brief_id: int) -> bool:
        with self.db.session() as s:
            brief = s.get(Brief, brief_id)
            if brief is None:
                return False
            s.delete(brief)
            return True

    def _locked(self, s, brief_id: int) -> Brief:
        q = select(Brief).where(Brief.id == brief_id)
        if not self.db.is_sqlite:
            q = q.with_for_update()
        brief = s.scalar(q)
        if brief is None:
            raise NotFoundError(f"没有编号为 {brief_id} 的学习材料。")
        return brief
