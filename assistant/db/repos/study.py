"""Study records (questions asked, articles opened, briefs read, practice papers, exams) and study points."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ..database import Database
from ..models import STUDY_KINDS, Attempt, StudyRecord, User


class StudyRepo:
    def __init__(self, db: Database):
        self.db = db

    def record(self, user_id: int, kind: str, target: str = "", points: float = 0, *,
               time: datetime | None = None, **detail: Any) -> StudyRecord:
        if kind not in STUDY_KINDS:
            raise ValueError(f"unknown study record kind {kind!r}")
        row = StudyRecord(user_id=user_id, kind=kind, target=(target or "")[:300], points=float(points),
                          detail=detail)
        if time is not None:
            row.created_at = time
        with self.db.session() as s:
            s.add(row)
        return row

    def _window(self, q, since: datetime | None, until: datetime | None):
        if since is not None:
            q = q.where(StudyRecord.created_at >= since)
        if until is not None:
            q = q.where(StudyRecord.created_at < until)
        return q

    def records(self, user_id: int, since: datetime | None = None, until: datetime | None = None,
                limit: int | None = 500) -> list[StudyRecord]:
        """Newest first."""
        q = self._window(select(StudyRecord).where(StudyRecord.user_id == user_id), since, until)
        q = q.order_by(StudyRecord.created_at.desc(), StudyRecord.id.desc())
        if limit:
            q = q.limit(limit)
        with self.db.read() as s:
            return list(s.scalars(q))

    def summary(self, user_ids: Iterable[int] | None = None, since: datetime | None = None,
                until: datetime | None = None) -> dict[int, dict[str, Any]]:
        """Per user: {"points": total, "counts": {kind: n}}."""
        q = select(StudyRecord.user_id, StudyRecord.kind, func.count(), func.coalesce(func.sum(StudyRecord.points), 0))
        if user_ids is not None:
            q = q.where(StudyRecord.user_id.in_(list(user_ids)))
        q = self._window(q, since, until).group_by(StudyRecord.user_id, StudyRecord.kind)
        out: dict[int, dict[str, Any]] = {}
        with self.db.read() as s:
            for uid, kind, n, pts in s.execute(q):
                d = out.setdefault(uid, {"points": 0.0, "counts": {}})
                d["counts"][kind] = int(n)
                d["points"] += float(pts)
        return out

    def unit_points(self, since: datetime | None = None, until: datetime | None = None) -> dict[int | None, float]:
        """Study points per unit (users' current unit)."""
        q = select(User.unit_id, func.coalesce(func.sum(StudyRecord.points), 0)).join(
            User, User.id == StudyRecord.user_id)
        q = self._window(q, since, until).group_by(User.unit_id)
        with self.db.read() as s:
            return {uid: float(p) for uid, p in s.execute(q)}

    def submitted_attempts(self, user_ids: Iterable[int] | None = None, since: datetime | None = None,
                           until: datetime | None = None) -> list[Attempt]:
        """Graded attempts (practice and organised exams) in a period: study records without a second copy."""
        q = select(Attempt).where(Attempt.submitted_at.is_not(None))
        if user_ids is not None:
            q = q.where(Attempt.user_id.in_(list(user_ids)))
        if since is not None:
            q = q.where(Attempt.submitted_at >= since)
        if until is not None:
            q = q.where(Attempt.submitted_at < until)
        with self.db.read() as s:
            return list(s.scalars(q.order_by(Attempt.submitted_at.desc())))
