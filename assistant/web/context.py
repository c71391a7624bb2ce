"""`WebContext`: what every handler needs — services, accounts, the audit log — and the server-held papers
(in the database, so a paper in progress survives a restart and is seen by every app instance)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.errors import XuefaError

from assistant.accounts.service import Accounts
from assistant.db import AttemptRepo, PaperRepo, utcnow
from assistant.exam.grading import user_dirname

from .audit import AuditLog
from .auth import LOCAL_USER, PermissionDenied, User


@dataclass
class PaperRecord:
    """A paper a user is taking or took: the paper (with keys), its attempt, and the graded result if any."""

    paper_id: str
    user: str
    paper: Any  # assistant.exam.Paper
    attempt_id: int
    started: float  # epoch seconds, set by the server
    deadline: float | None
    graded: dict | None
    session_id: int | None = None

    def __getitem__(self, key: str) -> Any:  # older handlers read rec["paper"], rec["graded"], rec["started"]
        return getattr(self, key)


@dataclass
class WebContext:
    services: Any
    accounts: Accounts
    audit: AuditLog
    local_mode: bool | None = None  # no users configured at start: one local admin, loopback only

    def __post_init__(self) -> None:
        if self.local_mode is None:
            self.local_mode = self.accounts.empty
        self._papers = PaperRepo(self.accounts.db)
        self._attempts = AttemptRepo(self.accounts.db)

    @classmethod
    def from_services(cls, services) -> WebContext:
        return cls(services=services, accounts=services.accounts, audit=AuditLog(services.db))

    @property
    def settings(self):
        return self.services.settings

    @property
    def db(self):
        return self.accounts.db

    def user(self, username: str | None) -> User:
        """The signed-in user (the local admin in local mode); PermissionDenied when unknown or disabled."""
        if self.local_mode:
            return LOCAL_USER
        user = self.accounts.get(username)
        if user is None:
            raise PermissionDenied("请先登录。")
        return user

    def user_id(self, user: User) -> int:
        return user.id if user.id is not None else self.accounts.ensure_record_holder(user.name)

    @property
    def max_bytes(self) -> int:
        return int(self.settings.max_upload_mb) * 1024 * 1024

    def exports_dir(self, user: User) -> Path:
        d = self.settings.home / "exports" / user_dirname(user.name) / uuid.uuid4().hex[:12]
        d.mkdir(parents=True, exist_ok=True)
        return d

    # ---- server-held papers -------------------------------------------------------------------------
    def keep_paper(self, user: User, paper, *, kind: str = "practice", session_id: int | None = None,
                   number: int = 1, minutes: int | None = None, paper_id: str | None = None) -> str:
        """Store the paper (unless `paper_id` names a stored one) and start the user's attempt now."""
        uid = self.user_id(user)
        if paper_id is None:
            paper_id = self._papers.save(paper.to_json(), user_id=uid, session_id=session_id, kind=kind).id
        from datetime import timedelta

        now = utcnow()
        minutes = minutes if minutes is not None else paper.minutes
        self._attempts.start(paper_id, uid, session_id=session_id, number=number, title=paper.title,
                             deadline_at=now + timedelta(minutes=minutes) if minutes else None, started_at=now)
        return paper_id

    def paper(self, user: User, paper_id: str) -> PaperRecord:
        from assistant.exam import Paper

        row = self._papers.get(paper_id or "")
        uid = self.user_id(user)
        attempt = self._attempts.for_paper(paper_id, uid) if row is not None else None
        if row is None or attempt is None:
            raise XuefaError("找不到这份试卷（可能已过期），请重新生成。")
        return PaperRecord(paper_id=row.id, user=user.name, paper=Paper.from_json(row.data), attempt_id=attempt.id,
                           started=attempt.started_at.timestamp(),
                           deadline=attempt.deadline_at.timestamp() if attempt.deadline_at else None,
                           graded=attempt.result if attempt.submitted_at is not None else None,
                           session_id=attempt.session_id)
