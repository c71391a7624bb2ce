"""`ExamSessions`: an admin organises an exam for units (and position levels) within a window; learners see
待参加的考试, start timed attempts on the server and submit through the exam service's grading.

Rules: an attempt starts only inside the window and while attempts are left; its deadline is the earlier of
start + duration and the window's close; a submission more than the grace after the deadline is recorded as
超时 and does not count; the counted result is the best, last or first on-time attempt; with
`results_after_close` the candidate sees scores only once the session is closed or its window has passed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from knowledge.errors import NotFoundError, XuefaError

from assistant.accounts.service import Account, Accounts, PermissionDenied
from assistant.db import (COUNT_BEST, COUNT_FIRST, COUNT_LAST, PAPER_PER_PERSON, PAPER_SHARED, ROLE_ADMIN,
                          AttemptRepo, Database, ExamSessionRepo, PaperRepo, utcnow)
from assistant.db.models import Attempt, ExamSession

COUNT_NAMES = {COUNT_BEST: "取最高分", COUNT_LAST: "取最后一次", COUNT_FIRST: "取第一次"}


@dataclass
class Pending:
    """A session as one invited learner sees it."""

    session: ExamSession
    used: int  # attempts started
    left: int
    in_progress: Attempt | None
    counted: Attempt | None
    now: datetime

    @property
    def window_seconds_left(self) -> int:
        return max(0, int((self.session.closes_at - self.now).total_seconds()))

    @property
    def attempt_seconds_left(self) -> int | None:
        a = self.in_progress
        if a is None or a.deadline_at is None:
            return None
        return max(0, int((a.deadline_at - self.now).total_seconds()))


def counted_attempt(attempts: list[Attempt], rule: str) -> Attempt | None:
    """The attempt that counts: on-time submitted ones only, by the session's rule."""
    done = sorted((a for a in attempts if a.submitted_at is not None and not a.late), key=lambda a: a.number)
    if not done:
        return None
    if rule == COUNT_FIRST:
        return done[0]
    if rule == COUNT_LAST:
        return done[-1]
    return max(done, key=lambda a: (a.score or 0, -a.number))


class ExamSessions:
    def __init__(self, db: Database, accounts: Accounts, exams: Any):
        self.db = db
        self.accounts = accounts
        self.exams = exams  # assistant.exam.ExamService (papers, grading)
        self.sessions = ExamSessionRepo(db)
        self.papers = PaperRepo(db)
        self.attempts = AttemptRepo(db)

    # ---- organising ---------------------------------------------------------------------------
    def create(self, actor: Account | None, *, title: str, blueprint: Any, units: list[str | int],
               opens_at: datetime | None = None, closes_at: datetime | None = None, days: float | None = None,
               minutes: int | None = None, max_attempts: int = 1, counts: str = COUNT_BEST,
               pass_mark: float | None = None, position_levels: list[str] | None = None,
               paper_mode: str = PAPER_PER_PERSON, results_after_close: bool = False) -> ExamSession:
        """`blueprint` is an assistant.exam.Blueprint (or a preset name). `actor` None is the CLI operator."""
        from assistant.exam import Blueprint

        title = (title or "").strip()
        if not title:
            raise XuefaError("请填写考试名称。")
        if isinstance(blueprint, str):
            from assistant.exam import PRESETS

            if blueprint not in PRESETS:
                raise XuefaError(f"没有这个预设：{blueprint}（可选：{'、'.join(PRESETS)}）")
            blueprint = Blueprint.preset(blueprint)
        unit_rows = [self.accounts.units.require(u) for u in units if u not in (None, "")]
        if not unit_rows:
            raise XuefaError("请至少选择一个参加考试的单位。")
        if actor is not None:
            for u in unit_rows:
                self.accounts.require_manager(actor, u.id)
        opens_at = opens_at or utcnow()
        if closes_at is None:
            if not days or float(days) <= 0:
                raise XuefaError("请设置考试窗口：截止时间或天数（--days）。")
            closes_at = opens_at + timedelta(days=float(days))
        if self.exams is not None:
            self.exams.scope(blueprint)  # unknown or repealed laws in the scope fail now, not when learners start
        minutes = int(minutes or blueprint.minutes)
        blueprint.minutes = minutes
        if pass_mark is not None:
            blueprint.pass_mark = float(pass_mark)
        created_by = actor.id if actor is not None else None
        session = self.sessions.create(
            title=title, opens_at=opens_at, closes_at=closes_at, unit_ids=[u.id for u in unit_rows],
            blueprint=blueprint.to_json(), minutes=minutes, max_attempts=max_attempts, counts=counts,
            pass_mark=float(pass_mark if pass_mark is not None else self._default_pass_mark(blueprint)),
            position_levels=position_levels or [], paper_mode=paper_mode, results_after_close=results_after_close,
            created_by=created_by)
        if paper_mode == PAPER_SHARED:
            paper = self._generate(session, seed_parts=("shared",))
            row = self.papers.save(paper.to_json(), session_id=session.id, kind="fixed")
            session = self.sessions.update(session.id, fixed_paper_id=row.id)
        return session

    @staticmethod
    def _default_pass_mark(blueprint) -> float:
        """The preset's pass mark, or 60% of the blueprint's total when the counts were changed."""
        if blueprint.pass_mark is not None:
            return float(blueprint.pass_mark)
        total = sum(int(n or 0) * float(blueprint.points.get(k, 0)) for k, n in blueprint.counts.items())
        return round(total * 0.6, 1)

    def close(self, session_id: int, actor: Account | None = None) -> ExamSession:
        session = self.sessions.require(session_id)
        if actor is not None:
            for uid in session.unit_ids:
                self.accounts.require_manager(actor, uid)
        return self.sessions.close(session_id)

    def visible_to(self, actor: Account) -> list[ExamSession]:
        """Sessions an admin (all) or unit admin (those touching their units) may manage."""
        if actor.is_admin:
            return self.sessions.list()
        scope = self.accounts.scope(actor)
        return [s for s in self.sessions.list() if set(s.unit_ids) & scope] if scope else []

    def require_visible(self, actor: Account, session_id: int) -> ExamSession:
        session = self.sessions.require(session_id)
        if not actor.is_admin and not set(session.unit_ids) & self.accounts.scope(actor):
            raise PermissionDenied("只能查看本单位参加的考试。")
        return session

    # ---- who takes it -------------------------------------------------------------------------
    def invited(self, session: ExamSession):
        """Enabled users of the session's units (and sub-units), of its position levels if any; not 管理员."""
        unit_ids: set[int] = set()
        for uid in session.unit_ids:
            unit_ids |= self.accounts.units.descendants(uid)
        users = self.accounts.users.list(unit_ids=unit_ids, include_disabled=False,
                                         position_levels=session.position_levels or None)
        return [u for u in users if u.role != ROLE_ADMIN and u.password_hash != "!"]

    def is_invited(self, session: ExamSession, user_id: int | None) -> bool:
        return user_id is not None and any(u.id == user_id for u in self.invited(session))

    def pending(self, user: Account, now: datetime | None = None) -> list[Pending]:
        """Open sessions the user is invited to, with attempts used and time left."""
        now = now or utcnow()
        out = []
        for s in self.sessions.list(include_closed=False):
            if not (s.opens_at <= now < s.closes_at) or not self.is_invited(s, user.id):
                continue
            attempts = self.attempts.for_user(user.id, session_id=s.id)
            running = [a for a in attempts if a.submitted_at is None and (a.deadline_at is None or a.deadline_at > now)]
            out.append(Pending(s, len(attempts), max(0, s.max_attempts - len(attempts)), running[0] if running else None,
                               counted_attempt(attempts, s.counts), now))
        return out

    # ---- taking it ----------------------------------------------------------------------------
    def _generate(self, session: ExamSession, seed_parts: tuple):
        from assistant.exam import Blueprint

        bp = Blueprint.from_json(session.blueprint)
        digest = hashlib.sha256("|".join(map(str, (session.id, *seed_parts))).encode()).hexdigest()
        bp.seed = int(digest[:8], 16) % 1_000_000  # server-side seed: per person and attempt, reproducible
        bp.title = session.title
        paper = self.exams.generate(bp)
        if not paper.items:
            raise XuefaError("按这场考试的范围出不了题，请联系管理员检查考试范围。")
        paper.pass_mark = session.pass_mark
        paper.minutes = session.minutes
        return paper

    def start(self, user: Account, session_id: int, now: datetime | None = None) -> tuple[str, Any, int]:
        """(paper_id, paper, seconds left): resumes an attempt in progress, else starts the next one."""
        from assistant.exam import Paper

        now = now or utcnow()
        session = self.sessions.require(session_id)
        if session.closed or not (session.opens_at <= now < session.closes_at):
            raise XuefaError(f"考试“{session.title}”不在开放时间内。")
        if not self.is_invited(session, user.id):
            raise PermissionDenied(f"您不在考试“{session.title}”的参考范围内。")
        attempts = self.attempts.for_user(user.id, session_id=session.id)
        for a in attempts:
            if a.submitted_at is None and (a.deadline_at is None or a.deadline_at > now):
                row = self.papers.get(a.paper_id)
                left = int((a.deadline_at - now).total_seconds()) if a.deadline_at else session.minutes * 60
                return a.paper_id, Paper.from_json(row.data), left
        if len(attempts) >= session.max_attempts:
            raise XuefaError(f"考试“{session.title}”最多可参加 {session.max_attempts} 次，您已用完。")
        number = len(attempts) + 1
        if session.paper_mode == PAPER_SHARED and session.fixed_paper_id:
            paper = Paper.from_json(self.papers.get(session.fixed_paper_id).data)  # everyone's copy is the same
        else:
            paper = self._generate(session, seed_parts=(user.id, number))
        paper_id = self.papers.save(paper.to_json(), user_id=user.id, session_id=session.id, kind="session").id
        deadline = min(now + timedelta(minutes=session.minutes), session.closes_at)
        self.attempts.start(paper_id, user.id, session_id=session.id, number=number, deadline_at=deadline,
                            title=session.title, started_at=now)
        return paper_id, paper, int((deadline - now).total_seconds())

    def results_visible(self, session: ExamSession, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return not session.results_after_close or session.closed or now >= session.closes_at

    def session_of_paper(self, paper_id: str) -> ExamSession | None:
        row = self.papers.get(paper_id)
        return self.sessions.get(row.session_id) if row is not None and row.session_id else None

    def require(self, session_id: int) -> ExamSession:
        found = self.sessions.get(session_id)
        if found is None:
            raise NotFoundError(f"没有编号为 {session_id} 的考试。")
        return found
