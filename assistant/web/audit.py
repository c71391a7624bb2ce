"""Audit log of changes (knowledge base, accounts, exams) in the database: who, when, what."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.db import AuditRepo, Database


class AuditLog:
    def __init__(self, db: Database):
        self._repo = AuditRepo(db)

    def record(self, user: str, action: str, target: str, **detail: Any) -> dict[str, Any]:
        e = self._repo.record(user, action, target, **detail)
        return self._row(e)

    @staticmethod
    def _row(e) -> dict[str, Any]:
        local: datetime = e.time.astimezone().replace(tzinfo=None)
        return {"time": local.isoformat(timespec="seconds"), "user": e.user, "action": e.action, "target": e.target,
                **(e.detail or {})}

    def record_ingest(self, user: str, report: dict[str, list[dict[str, Any]]], via: str = "网页") -> None:
        """One entry per document an ingest added or replaced (unchanged and failed files change nothing)."""
        from pathlib import Path as _Path

        for kind, action in (("added", "上传"), ("replaced", "更新")):
            for d in report.get(kind, []):
                self.record(user, action, d["title"], law_id=d.get("law_id"), articles=d["articles"],
                            file=_Path(d["path"]).name, level=d.get("level"), region=d.get("region"), via=via)

    def entries(self, limit: int | None = 200) -> list[dict[str, Any]]:
        """Newest first; times in the server's local zone."""
        return [self._row(e) for e in self._repo.entries(limit)]
