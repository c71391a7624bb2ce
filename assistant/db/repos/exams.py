"""Organised exam sessions, server-held papers and timed attempts."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from knowledge.errors import NotFoundError, XuefaError

from ..database import Database
from ..models import (COUNT_BEST, COUNT_RULES, PAPER_MODES, PAPER_PER_PERSON, Answer, Attempt, ExamSession,
                      ExamSessionUnit, Paper, utcnow)


class ExamSessionRepo:
    def __init__(self, db: Database):
        self.db = db

    def create(self, *, title: str, opens_at: datetime, closes_at: datetime, unit_ids: Iterable[int],
               blueprint: dict[str, Any] | None = None, minutes: int = 90, max_attempts: int = 1,
               counts: str = COUNT_BEST, pass_mark: float = 60, position_levels: Iterable[str] = (),
               paper_mode: str = PAPER_PER_PERSON, fixed_paper_id: str | None = None,
               results_after_close: bool = False, created_by: int | None = None) -> ExamSession:
        if closes_at <= opens_at:
            raise XuefaError("考试的截止时间必须晚于开始时间。")
        if counts not in COUNT_RULES:
            raise XuefaError(f"计分规则只能是 {'、'.join(COUNT_RULES)}。")
        if paper_mode not in PAPER_MODES:
            raise XuefaError(f"组卷方式只能是 {'、'.join(PAPER_MODES)}。")
        if not 1 <= int(max_attempts) <= 20:
            raise XuefaError("考试次数应在 1～20 之间。")
        if not 1 <= int(minutes) <= 600:
            raise XuefaError("考试时长应在 1～600 分钟之间。")
        units = sorted(set(unit_ids))
        if not units:
            raise XuefaError("请至少选择一个参加考试的单位。")
        session = ExamSession(title=title, blueprint=dict(blueprint or {}), opens_at=opens_at, closes_at=closes_at,
                              minutes=int(minutes), max_attempts=int(max_attempts), counts=counts,
                              pass_mark=float(pass_mark), position_levels=[lv for lv in position_levels if lv],
                              paper_mode=paper_mode, fixed_paper_id=fixed_paper_id,
                              results_after_close=bool(results_after_close), created_by=created_by, closed=False,
                              units=[ExamSessionUnit(unit_id=u) for u in units])
        with self.db.session() as s:
            s.add(session)
        return self.require(session.id)

    def get(self, session_id: int) -> ExamSession | None:
        with self.db.read() as s:
            return s.get(ExamSession, session_id)

    def require(self, session_id: int) -> ExamSession:
        found = self.get(session_id)
        if found is None:
            raise NotFoundError(f"没有编号为 {session_id} 的考试。")
        return found

    def list(self, *, include_closed: bool = True, unit_ids: Iterable[int] | None = None) -> list[ExamSession]:
        q = select(ExamSession).order_by(ExamSession.opens_at.desc(), ExamSession.id.desc())
        if not include_closed:
            q = q.where(ExamSession.closed.is_(False))
        if unit_ids is not None:
            q = q.where(ExamSession.id.in_(select(ExamSessionUnit.session_id)
                                           .where(ExamSessionUnit.unit_id.in_(list(unit_ids)))))
        with self.db.read() as s:
            return list(s.scalars(q))

    def update(self, session_id: int, **fields: Any) -> ExamSession:
        allowed = {"title", "closes_at", "opens_at", "pass_mark", "results_after_close", "fixed_paper_id", "closed"}
        if set(fields) - allowed:
            raise ValueError(f"unknown session fields: {sorted(set(fields) - allowed)}")
        with self.db.session() as s:
            if not s.execute(update(ExamSession).where(ExamSession.id == session_id).values(**fields)).rowcount:
                raise NotFoundError(f"没有编号为 {session_id} 的考试。")
        return self.require(session_id)

    def close(self, session_id: int) -> ExamSession:
        return self.update(session_id, closed=True)


class PaperRepo:
    def __init__(self, db: Database):
        self.db = db

    def save(self, data: dict[str, Any], *, user_id: int | None = None, session_id: int | None = None,
             kind: str = "practice", paper_id: str | None = None) -> Paper:
        """Store a paper (assistant.exam.Paper.to_json(), keys included); returns it with its random id."""
        row = Paper(id=paper_id or secrets.token_hex(16), user_id=user_id, session_id=session_id, kind=kind,
                    title=str(data.get("title", ""))[:200], seed=int(data.get("seed") or 0),
                    minutes=int(data.get("minutes") or 0), total=float(data.get("total") or 0),
                    pass_mark=float(data.get("pass_mark") or 0), data=data)
        with self.db.session() as s:
            s.add(row)
        return row

    def get(self, paper_id: str) -> Paper | None:
        if not paper_id:
            return None
        with self.db.read() as s:
            return s.get(Paper, paper_id)

    def for_session(self, session_id: int, user_id: int | None = None) -> list[Paper]:
        q = select(Paper).where(Paper.session_id == session_id).order_by(Paper.created_at)
        if user_id is not None:
            q = q.where(Paper.user_id == user_id)
        with self.db.read() as s:
            return list(s.scalars(q))


class AttemptRepo:
    def __init__(self, db: Database):
        self.db = db

    def start(self, paper_id: str, user_id: int, *, session_id: int | None = None, number: int = 1,
              deadline_at: datetime | None = None, title: str = "", started_at: datetime | None = None) -> Attempt:
        """Open an attempt; a session's attempt number is unique per user, so a double click cannot make two."""
        row = Attempt(paper_id=paper_id, user_id=user_id, session_id=session_id, number=number,
                      deadline_at=deadline_at, title=title[:200], late=False, started_at=started_at or utcnow())
        try:
            with self.db.session() as s:
                s.add(row)
        except IntegrityError as exc:
            raise XuefaError(f"第 {number} 次作答已经开始，不能重复开始。") from exc
        return row

    def get(self, attempt_id: int) -> Attempt | None:
        with self.db.read() as s:
            return s.get(Attempt, attempt_id)

    def for_paper(self, paper_id: str, user_id: int) -> Attempt | None:
        """The newest attempt on a paper by this user."""
        with self.db.read() as s:
            return s.scalar(select(Attempt).where(Attempt.paper_id == paper_id, Attempt.user_id == user_id)
                            .order_by(Attempt.id.desc()).limit(1))

    def submit(self, attempt_id: int, *, score: float, total: float, pass_mark: float, passed: bool,
               result: dict[str, Any], answers: Iterable[dict[str, Any]], late: bool = False,
               submitted_at: datetime | None = None) -> Attempt:
        """Record the graded attempt exactly once: a second submission of the same attempt is refused."""
        now = submitted_at or utcnow()
        with self.db.session() as s:
            n = s.execute(update(Attempt).where(Attempt.id == attempt_id, Attempt.submitted_at.is_(None))
                          .values(submitted_at=now, score=score, total=total, pass_mark=pass_mark, passed=passed,
                                  result=result, late=late)).rowcount
            if not n:
                raise XuefaError("这份试卷已经交过了，不能重复交卷。")
            s.add_all([Answer(attempt_id=attempt_id, number=int(a["number"]), item_uid=a.get("item_uid", ""),
                              given=a.get("given", "") or "", correct=bool(a.get("correct")),
                              score=float(a.get("score") or 0), citations=list(a.get("citations") or []))
                       for a in answers])
        found = self.get(attempt_id)
        assert found is not None
        return found

    def for_user(self, user_id: int, *, session_id: int | None = None, submitted: bool | None = None,
                 limit: int | None = None) -> list[Attempt]:
        """Newest first."""
        q = select(Attempt).where(Attempt.user_id == user_id).order_by(Attempt.started_at.desc(), Attempt.id.desc())
        if session_id is not None:
            q = q.where(Attempt.session_id == session_id)
        if submitted is not None:
            q = q.where(Attempt.submitted_at.is_not(None) if submitted else Attempt.submitted_at.is_(None))
        if limit:
            q = q.limit(limit)
        with self.db.read() as s:
            return list(s.scalars(q))

    def for_session(self, session_id: int) -> list[Attempt]:
        with self.db.read() as s:
            return list(s.scalars(select(Attempt).where(Attempt.session_id == session_id)
                                  .order_by(Attempt.user_id, Attempt.number)))

    def count(self, user_id: int, session_id: int) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(Attempt)
                            .where(Attempt.user_id == user_id, Attempt.session_id == session_id)) or 0
