"""The question bank: items 待审核 → 已审核 (or 停用), generated or hand-written, each citing a law article."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from knowledge.errors import NotFoundError, XuefaError

from ..database import Database
from ..models import ITEM_PENDING, ITEM_SOURCES, ITEM_STATUSES, BankItem, utcnow

_EDITABLE = ("type", "stem", "options", "answer", "explanation", "doc_key", "article", "sub", "paragraph",
             "item_no", "citations", "difficulty", "data")


class BankRepo:
    def __init__(self, db: Database):
        self.db = db

    def add(self, *, uid: str, type: str, stem: str, answer: str, doc_key: str, article: int,
            options: list[str] | None = None, explanation: str = "", sub: int = 0, paragraph: int | None = None,
            item_no: int | None = None, citations: list[dict[str, Any]] | None = None, difficulty: int = 2,
            source: str, status: str = ITEM_PENDING, data: dict[str, Any] | None = None,
            created_by: int | None = None) -> tuple[BankItem, bool]:
        """Store an item; an item with the same uid is kept as is. Returns (item, added)."""
        if source not in ITEM_SOURCES:
            raise XuefaError(f"题目来源只能是 {'、'.join(ITEM_SOURCES)}，而不是 {source}。")
        if status not in ITEM_STATUSES:
            raise XuefaError(f"题目状态只能是 {'、'.join(ITEM_STATUSES)}，而不是 {status}。")
        existing = self.by_uid(uid)
        if existing is not None:
            return existing, False
        row = BankItem(uid=uid, type=type, stem=stem, options=list(options or []), answer=answer,
                       explanation=explanation, doc_key=doc_key, article=int(article), sub=int(sub or 0),
                       paragraph=paragraph, item_no=item_no, citations=list(citations or []),
                       difficulty=int(difficulty), source=source, status=status, data=dict(data or {}),
                       created_by=created_by, review_note="")
        try:
            with self.db.session() as s:
                s.add(row)
        except IntegrityError:  # the same item added by another process meanwhile
            found = self.by_uid(uid)
            if found is None:
                raise
            return found, False
        return row, True

    def get(self, item_id: int) -> BankItem | None:
        with self.db.read() as s:
            return s.get(BankItem, item_id)

    def by_uid(self, uid: str) -> BankItem | None:
        with self.db.read() as s:
            return s.scalar(select(BankItem).where(BankItem.uid == uid))

    def list(self, *, status: str | Iterable[str] | None = None, type: str | None = None,
             doc_keys: Iterable[str] | None = None, source: str | None = None, limit: int | None = None,
             offset: int = 0) -> list[BankItem]:
        q = select(BankItem).order_by(BankItem.doc_key, BankItem.article, BankItem.sub, BankItem.id)
        if status is not None:
            q = q.where(BankItem.status.in_([status] if isinstance(status, str) else list(status)))
        if type is not None:
            q = q.where(BankItem.type == type)
        if doc_keys is not None:
            q = q.where(BankItem.doc_key.in_(list(doc_keys)))
        if source is not None:
            q = q.where(BankItem.source == source)
        if offset:
            q = q.offset(offset)
        if limit:
            q = q.limit(limit)
        with self.db.read() as s:
            return list(s.scalars(q))

    def counts(self) -> dict[str, int]:
        """Items per status."""
        with self.db.read() as s:
            rows = s.execute(select(BankItem.status, func.count()).group_by(BankItem.status))
            return {status: 0 for status in ITEM_STATUSES} | {st: int(n) for st, n in rows}

    def review(self, item_id: int, status: str, reviewer_id: int | None, note: str = "") -> BankItem:
        """Set an item's status (已审核, 停用, or back to 待审核) with who and when."""
        if status not in ITEM_STATUSES:
            raise XuefaError(f"题目状态只能是 {'、'.join(ITEM_STATUSES)}，而不是 {status}。")
        with self.db.session() as s:
            row = s.get(BankItem, item_id)
            if row is None:
                raise NotFoundError(f"题库中没有编号为 {item_id} 的题目。")
            row.status, row.reviewer_id, row.reviewed_at, row.review_note = status, reviewer_id, utcnow(), note
        return row

    def edit(self, item_id: int, **fields: Any) -> BankItem:
        """Change an item's content; an edited item goes back to 待审核."""
        unknown = set(fields) - set(_EDITABLE)
        if unknown:
            raise ValueError(f"unknown bank item fields: {sorted(unknown)}")
        with self.db.session() as s:
            row = s.get(BankItem, item_id)
            if row is None:
                raise NotFoundError(f"题库中没有编号为 {item_id} 的题目。")
            for k, v in fields.items():
                setattr(row, k, v)
            row.status, row.reviewer_id, row.reviewed_at = ITEM_PENDING, None, None
        return row

    def remove(self, item_id: int) -> bool:
        with self.db.session() as s:
            row = s.get(BankItem, item_id)
            if row is None:
                return False
            s.delete(row)
            return True
