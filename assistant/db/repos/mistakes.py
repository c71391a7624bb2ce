"""错题本 rows, keyed by (user, document title, article number, sub) so a re-ingested regulation keeps them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..database import Database
from ..models import Mistake, User, utcnow

KEEP_ITEMS = 10  # the last few wrong items per article, for the notebook view


@dataclass(frozen=True)
class MistakeMark:
    """One graded answer's verdict on one cited article."""

    doc_key: str  # the law's title
    article: int
    correct: bool
    sub: int = 0
    law_id: str = ""
    label: str = ""
    item: dict[str, Any] = field(default_factory=dict)  # {uid, type, stem, answer, your_answer}


class MistakeRepo:
    def __init__(self, db: Database):
        self.db = db

    def record(self, user_id: int, marks: Iterable[MistakeMark], *, time: datetime | None = None) -> int:
        """Count wrong answers per article, and right ones only against mistakes made before this paper.
        One transaction, serialised per user, so two papers graded at once both count. Returns rows touched."""
        marks = list(marks)
        if not marks:
            return 0
        now = time or utcnow()
        keys = {(m.doc_key, m.article, m.sub) for m in marks}
        touched = 0
        with self.db.session() as s:
            if not self.db.is_sqlite:  # SQLite's BEGIN IMMEDIATE already holds the only write lock
                # lock the user's row: two papers graded at once queue here instead of both inserting
                # the first mistake on the same article
                s.execute(select(User.id).where(User.id == user_id).with_for_update())
            q = select(Mistake).where(Mistake.user_id == user_id,
                                      Mistake.doc_key.in_(sorted({k[0] for k in keys})))
            rows = {(r.doc_key, r.article, r.sub): r for r in s.scalars(q)}
            before = set(rows)
            for m in marks:
                key = (m.doc_key, m.article, m.sub)
                if m.correct and key not in before:
                    continue
                row = rows.get(key)
                if row is None:
                    row = rows[key] = Mistake(user_id=user_id, doc_key=m.doc_key, article=m.article, sub=m.sub,
                                              law_id=m.law_id, label=m.label, wrong=0, right=0, items=[])
                    s.add(row)
                if m.law_id:
                    row.law_id = m.law_id
                if m.correct:
                    row.right += 1
                else:
                    row.wrong += 1
                    row.last_wrong = now
                    uid = m.item.get("uid")
                    if m.item and uid not in [x.get("uid") for x in row.items]:
                        row.items = (list(row.items) + [dict(m.item)])[-KEEP_ITEMS:]
                touched += 1
        return touched

    def all(self, user_id: int) -> list[Mistake]:
        with self.db.read() as s:
            return list(s.scalars(select(Mistake).where(Mistake.user_id == user_id)
                                  .order_by(Mistake.doc_key, Mistake.article, Mistake.sub)))

    def entries(self, user_id: int) -> list[Mistake]:
        """Articles still worth practising (more wrong than right), worst first, then most recent."""
        rows = [r for r in self.all(user_id) if r.wrong > r.right]
        rows.sort(key=lambda r: (-(r.wrong - r.right), -(r.last_wrong.timestamp() if r.last_wrong else 0)))
        return rows

    def clear(self, user_id: int) -> int:
        with self.db.session() as s:
            rows = list(s.scalars(select(Mistake).where(Mistake.user_id == user_id)))
            for r in rows:
                s.delete(r)
            return len(rows)
