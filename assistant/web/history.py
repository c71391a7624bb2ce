"""Each user's exam history: one JSON line per graded paper in <users_dir>/<user>/exams.jsonl."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from assistant.exam.grading import user_dirname  # the 错题本's rule: one directory per user


def user_dir(users_dir: Path | str, user: str) -> Path:
    return Path(users_dir) / user_dirname(user)


class ExamHistory:
    _lock = threading.Lock()

    def __init__(self, users_dir: Path | str, user: str):
        self.path = user_dir(users_dir, user) / "exams.jsonl"

    def record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def entries(self) -> list[dict[str, Any]]:
        """Newest first."""
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out[::-1]
