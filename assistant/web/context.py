"""`WebContext`: what every handler needs — services, accounts, the audit log. Papers in progress are held by
`services.desk` (assistant.exam.desk) in the database, so they survive a restart and every instance sees them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.accounts.service import Accounts
from assistant.exam.grading import user_dirname

from .audit import AuditLog
from .auth import LOCAL_USER, PermissionDenied, User


@dataclass
class WebContext:
    services: Any
    accounts: Accounts
    audit: AuditLog
    local_mode: bool | None = None  # no users configured at start: one local admin, loopback only

    def __post_init__(self) -> None:
        if self.local_mode is None:
            self.local_mode = self.accounts.empty

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

    def study(self, user: User, kind: str, target: str, **detail) -> None:
        """Add to the user's study record (学习档案); never fails the request."""
        self.services.study.record(user.name, kind, target, **detail)

    @property
    def max_bytes(self) -> int:
        return int(self.settings.max_upload_mb) * 1024 * 1024

    def exports_dir(self, user: User) -> Path:
        d = self.settings.home / "exports" / user_dirname(user.name) / uuid.uuid4().hex[:12]
        d.mkdir(parents=True, exist_ok=True)
        return d
