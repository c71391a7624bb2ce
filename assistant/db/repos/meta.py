"""Key/value facts about the database (e.g. which JSON files were already migrated)."""

from __future__ import annotations

from ..database import Database
from ..models import MetaEntry


class MetaRepo:
    def __init__(self, db: Database):
        self.db = db

    def get(self, key: str) -> str | None:
        with self.db.read() as s:
            row = s.get(MetaEntry, key)
            return row.value if row else None

    def set(self, key: str, value: str) -> None:
        with self.db.session() as s:
            row = s.get(MetaEntry, key)
            if row is None:
                s.add(MetaEntry(key=key, value=value))
            else:
                row.value = value
