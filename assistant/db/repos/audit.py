"""Audit log: who changed what, when (knowledge base, accounts, exams, reviews)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..database import Database
from ..models import AuditEntry, utcnow


class AuditRepo:
    def __init__(self, db: Database):
        self.db = db

    def record(self, user: str, action: str, target: str = "", *, time: datetime | None = None,
               **detail: Any) -> AuditEntry:
        entry = AuditEntry(user=user, action=action, target=target[:300], detail=detail, time=time or utcnow())
        with self.db.session() as s:
            s.add(entry)
        return entry

    def entries(self, limit: int | None = 200, action: str | None = None) -> list[AuditEntry]:
        """Newest first."""
        q = select(AuditEntry).order_by(AuditEntry.time.desc(), AuditEntry.id.desc())
        if action:
            q = q.where(AuditEntry.action == action)
        if limit:
            q = q.limit(limit)
        with self.db.read() as s:
            return list(s.scalars(q))
