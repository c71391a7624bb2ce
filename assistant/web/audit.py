"""Audit log of knowledge-base changes: one JSON line per change (who, when, what) in <home>/audit.jsonl."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Any


class AuditLog:
    _lock = threading.Lock()

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def record(self, user: str, action: str, target: str, **detail: Any) -> dict[str, Any]:
        entry = {"time": datetime.now().isoformat(timespec="seconds"), "user": user, "action": action,
                 "target": target, **detail}
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return entry

    def record_ingest(self, user: str, report: dict[str, list[dict[str, Any]]], via: str = "网页") -> None:
        """One entry per document an ingest added or replaced (unchanged and failed files change nothing)."""
        from pathlib import Path as _Path

        for kind, action in (("added", "上传"), ("replaced", "更新")):
            for d in report.get(kind, []):
                self.record(user, action, d["title"], law_id=d.get("law_id"), articles=d["articles"],
                            file=_Path(d["path"]).name, level=d.get("level"), region=d.get("region"), via=via)

    def entries(self, limit: int | None = 200) -> list[dict[str, Any]]:
        """Newest first."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        out = []
        for line in reversed(lines):
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
            if limit and len(out) >= limit:
                break
        return out
