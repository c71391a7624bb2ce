"""Study records and points: questions asked, articles opened, briefs read (stored as study records) and
practice papers and exams (read from the graded attempts themselves, so nothing is counted twice)."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from assistant.db import STUDY_EXAM, STUDY_KINDS, STUDY_PRACTICE, Database, StudyRepo, UnitRepo, UserRepo

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def points_table() -> dict[str, float]:
    data = json.loads(resources.files(__package__).joinpath("data/study_points.json").read_text(encoding="utf-8"))
    table = {k: float(v) for k, v in data.items() if not k.startswith("_")}
    unknown = set(table) - set(STUDY_KINDS)
    if unknown:
        raise ValueError(f"study_points.json: unknown kinds {sorted(unknown)}")
    return table


class StudyLog:
    """Records what a user studied; never lets a failure to record break the study itself."""

    def __init__(self, db: Database, user_id):
        self.repo = StudyRepo(db)
        self.users = UserRepo(db)
        self.units = UnitRepo(db)
        self._user_id = user_id  # name -> id

    def record(self, user: str, kind: str, target: str = "", **detail: Any) -> None:
        """Questions, articles and briefs; papers are counted from their attempts."""
        points = points_table().get(kind, 0.0)
        try:
            self.repo.record(self._user_id(user), kind, target, points, **detail)
        except Exception:  # noqa: BLE001 - a study record is secondary to answering the user
            log.exception("could not record study activity %s for %s", kind, user)

    def _attempts(self, user_ids, since, until) -> list[dict[str, Any]]:
        table = points_table()
        out = []
        for a in self.repo.submitted_attempts(user_ids, since, until):
            kind = STUDY_EXAM if a.session_id else STUDY_PRACTICE
            points = table.get(kind, 0.0) if (kind == STUDY_PRACTICE or a.passed) and not a.late else 0.0
            out.append({"user_id": a.user_id, "kind": kind, "target": a.title, "points": points,
                        "created_at": a.submitted_at})
        return out

    def _summaries(self, user_ids, since, until) -> dict[int, dict[str, Any]]:
        out = {uid: {"points": v["points"], "counts": dict(v["counts"])}
               for uid, v in self.repo.summary(user_ids, since, until).items()}
        for a in self._attempts(user_ids, since, until):
            d = out.setdefault(a["user_id"], {"points": 0.0, "counts": {}})
            d["points"] += a["points"]
            d["counts"][a["kind"]] = d["counts"].get(a["kind"], 0) + 1
        return out

    def user_summary(self, user_id: int, since: datetime | None = None, until: datetime | None = None) -> dict:
        s = self._summaries([user_id], since, until).get(user_id, {"points": 0.0, "counts": {}})
        return {"points": round(s["points"], 1), "counts": {k: s["counts"].get(k, 0) for k in STUDY_KINDS}}

    def records(self, user_id: int, since: datetime | None = None, until: datetime | None = None,
                limit: int = 200) -> list[dict[str, Any]]:
        """Newest first: {kind, target, points, created_at}."""
        rows = [{"kind": r.kind, "target": r.target, "points": r.points, "created_at": r.created_at}
                for r in self.repo.records(user_id, since, until, limit=limit)]
        rows += [dict(a) for a in self._attempts([user_id], since, until)]
        rows.sort(key=lambda r: r["created_at"], reverse=True)
        return rows[:limit]

    def unit_summary(self, unit_ids: set[int] | None, since: datetime | None = None,
                     until: datetime | None = None) -> list[dict[str, Any]]:
        """One row per user of the units (all users when None): unit, name, points, counts per kind."""
        users = [u for u in self.users.list(unit_ids=unit_ids) if u.password_hash != "!"]
        summary = self._summaries([u.id for u in users], since, until)
        paths = self.units.paths()
        rows = []
        for u in users:
            s = summary.get(u.id, {"points": 0.0, "counts": {}})
            rows.append({"unit": paths.get(u.unit_id, ""), "name": u.name, "display_name": u.display_name or u.name,
                         "points": round(s["points"], 1), **{k: s["counts"].get(k, 0) for k in STUDY_KINDS}})
        rows.sort(key=lambda r: (r["unit"], -r["points"], r["name"]))
        return rows
