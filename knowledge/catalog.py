"""SQLite catalog: the system of record for documents and articles.

The lexical and vector indexes are derived from it and can always be rebuilt from it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path

from .models import DEFAULT_STATUSES, SOURCE_LOCAL, Article, Law

_SCHEMA = """
CREATE TABLE IF NOT EXISTS laws (
    law_id TEXT PRIMARY KEY, title TEXT NOT NULL, level TEXT, issuer TEXT, region TEXT,
    status TEXT, source TEXT, publish_date TEXT, effective_date TEXT, doc_type TEXT,
    category TEXT, content_hash TEXT, origin TEXT, structured INTEGER DEFAULT 1, note TEXT,
    added_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_laws_title ON laws(title);
CREATE INDEX IF NOT EXISTS idx_laws_hash ON laws(content_hash);
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY, law_id TEXT NOT NULL REFERENCES laws(law_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, number INTEGER NOT NULL, sub INTEGER NOT NULL DEFAULT 0,
    part TEXT, chapter TEXT, section TEXT, text TEXT NOT NULL, is_paragraph INTEGER DEFAULT 0
);
CREATE INDEX IF NOT EXISTS idx_articles_law ON articles(law_id, number, sub);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""

_LAW_FIELDS = [f.name for f in fields(Law)]
_ART_FIELDS = [f.name for f in fields(Article)]


class Catalog:
    """Documents and their articles in one SQLite file; safe to share between threads."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)
        columns = {row[1] for row in self._conn.execute("PRAGMA table_info(laws)")}
        if "note" not in columns:  # catalogs made before the note column
            self._conn.execute("ALTER TABLE laws ADD COLUMN note TEXT")
        self._lock = threading.RLock()
        self._laws: dict[str, Law] | None = None
        self.version = 0  # bumped on every change so caches elsewhere know to reload
        self._data_version = self._conn.execute("PRAGMA data_version").fetchone()[0]

    @property
    def version(self) -> int:
        """Bumped on every change, this process's or another's (a second app instance or `xuefa ingest`
        writing the same file), so caches built on the catalog know to reload."""
        self._poll_other_writers()
        return self._version

    @version.setter
    def version(self, value: int) -> None:
        self._version = value

    def _poll_other_writers(self) -> None:
        """SQLite's data_version changes when another connection committed: drop what we cached."""
        with self._lock:
            current = self._conn.execute("PRAGMA data_version").fetchone()[0]
            if current != getattr(self, "_data_version", current):
                self._data_version = current
                self._laws = None
                self._version += 1

    # ---- laws -------------------------------------------------------------------------------
    def _load_laws(self) -> dict[str, Law]:
        with self._lock:
            self._poll_other_writers()
            if self._laws is None:
                rows = self._conn.execute(f"SELECT {', '.join(_LAW_FIELDS)} FROM laws").fetchall()
                laws = {}
                for row in rows:
                    d = dict(zip(_LAW_FIELDS, row))
                    d["structured"] = bool(d["structured"])
                    laws[d["law_id"]] = Law(**d)
                self._laws = laws
            return self._laws

    def law(self, law_id: str) -> Law | None:
        return self._load_laws().get(law_id)

    def laws(self, source: str | None = None, statuses: Iterable[str] | None = None) -> list[Law]:
        """All documents, national first then by title."""
        wanted = set(statuses) if statuses is not None else None
        out = [law for law in self._load_laws().values()
               if (source is None or law.source == source) and (wanted is None or law.status in wanted)]
        return sorted(out, key=lambda law: (law.source != "national", law.title, law.effective_date or ""))

    def laws_by_title(self, title: str) -> list[Law]:
        """Every version of a title, current ones first, newest first."""
        found = [law for law in self._load_laws().values() if law.title == title]
        found.sort(key=lambda law: law.effective_date or "", reverse=True)
        found.sort(key=lambda law: law.status not in DEFAULT_STATUSES)  # stable: keeps date order
        return found

    def law_by_hash(self, content_hash: str) -> Law | None:
        for law in self._load_laws().values():
            if law.content_hash == content_hash:
                return law
        return None

    def article_count(self, law_id: str) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM articles WHERE law_id=?", (law_id,)).fetchone()[0]

    def article_counts(self) -> dict[str, int]:
        return dict(self._conn.execute("SELECT law_id, COUNT(*) FROM articles GROUP BY law_id").fetchall())

    # ---- articles ---------------------------------------------------------------------------
    @staticmethod
    def _article(row: tuple) -> Article:
        d = dict(zip(_ART_FIELDS, row))
        d["is_paragraph"] = bool(d["is_paragraph"])
        return Article(**d)

    def _select(self, where: str = "", args: tuple = ()) -> list[Article]:
        sql = f"SELECT {', '.join(_ART_FIELDS)} FROM articles {where}"
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        return [self._article(r) for r in rows]

    def articles(self, law_id: str) -> list[Article]:
        return self._select("WHERE law_id=? ORDER BY ordinal", (law_id,))

    def article(self, law_id: str, number: int, sub: int = 0) -> Article | None:
        found = self._select("WHERE law_id=? AND number=? AND sub=? ORDER BY ordinal LIMIT 1",
                             (law_id, number, sub))
        return found[0] if found else None

    def article_by_id(self, article_id: str) -> Article | None:
        found = self._select("WHERE article_id=?", (article_id,))
        return found[0] if found else None

    def neighbours(self, article: Article, before: int = 1, after: int = 1) -> list[Article]:
        """The article with the ones around it, in order."""
        return self._select("WHERE law_id=? AND ordinal BETWEEN ? AND ? ORDER BY ordinal",
                            (article.law_id, article.ordinal - before, article.ordinal + after))

    def iter_articles(self) -> Iterator[Article]:
        """Every article, ordered by law then position (the order indexes are built in)."""
        yield from self._select("ORDER BY law_id, ordinal")

    def max_number(self, law_id: str) -> int:
        row = self._conn.execute("SELECT MAX(number) FROM articles WHERE law_id=?", (law_id,)).fetchone()
        return row[0] or 0

    # ---- changes ----------------------------------------------------------------------------
    def add(self, law: Law, articles: list[Article]) -> None:
        """Store a document and its articles in one transaction (replacing the same law_id)."""
        self.replace((), law, articles)

    def replace(self, old_law_ids: str | Iterable[str] | None, law: Law, articles: list[Article]) -> None:
        """Insert `law` and retire (delete) the versions it supersedes, committed together.

        This is the one commit point of a version replacement: a crash or an exception anywhere
        before COMMIT leaves the old version as it was, after it only the new one exists."""
        old = [old_law_ids] if isinstance(old_law_ids, str) else [i for i in (old_law_ids or ()) if i]
        with self._write() as cur:
            self._delete_rows(cur, law.law_id)
            self._insert_rows(cur, law, articles)
            for law_id in old:
                if law_id != law.law_id:
                    self._delete_rows(cur, law_id)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT), rolled back on any error; caches reset either way."""
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            finally:
                self._changed()

    @staticmethod
    def _insert_rows(cur: sqlite3.Cursor, law: Law, articles: list[Article]) -> None:
        values = [getattr(law, f) for f in _LAW_FIELDS]
        cur.execute(f"INSERT INTO laws ({', '.join(_LAW_FIELDS)}) VALUES "
                    f"({', '.join('?' * len(_LAW_FIELDS))})", values)
        cur.executemany(
            f"INSERT INTO articles (article_id, {', '.join(_ART_FIELDS)}) VALUES "
            f"(?, {', '.join('?' * len(_ART_FIELDS))})",
            [(a.article_id, *[getattr(a, f) for f in _ART_FIELDS]) for a in articles])

    @staticmethod
    def _delete_rows(cur: sqlite3.Cursor, law_id: str) -> int:
        cur.execute("DELETE FROM articles WHERE law_id=?", (law_id,))
        return cur.execute("DELETE FROM laws WHERE law_id=?", (law_id,)).rowcount

    def add_many(self, docs: list[tuple[Law, list[Article]]]) -> None:
        """Store many documents in one transaction (the built-in corpus: ~2,000 documents in seconds)."""
        if not docs:
            return
        with self._write() as cur:
            for law, articles in docs:
                self._delete_rows(cur, law.law_id)
                self._insert_rows(cur, law, articles)

    def remove_many(self, law_ids: list[str]) -> None:
        if not law_ids:
            return
        with self._write() as cur:
            for law_id in law_ids:
                self._delete_rows(cur, law_id)

    def remove(self, law_id: str) -> bool:
        with self._write() as cur:
            n = self._delete_rows(cur, law_id)
        return n > 0

    def duplicate_current_versions(self) -> list[list[Law]]:
        """Groups of local documents with one title and region that are all current, newest first.

        Replacement keeps exactly one; a group here is left by an older xuefa or an interrupted run."""
        with self._lock:
            rows = self._conn.execute("SELECT law_id FROM laws ORDER BY added_at DESC, rowid DESC").fetchall()
        order = {r[0]: k for k, r in enumerate(rows)}  # later inserts are newer
        groups: dict[tuple, list[Law]] = {}
        for law in self._load_laws().values():
            if law.source == SOURCE_LOCAL and law.is_current:
                groups.setdefault((law.title, law.region or ""), []).append(law)
        out = []
        for laws in groups.values():
            if len(laws) > 1:
                out.append(sorted(laws, key=lambda law: order.get(law.law_id, 0)))
        return out

    def repair_duplicates(self) -> list[Law]:
        """Keep the newest current version of each local title, delete the others; returns the deleted."""
        removed: list[Law] = []
        for newest, *older in self.duplicate_current_versions():
            for law in older:
                if self.remove(law.law_id):
                    removed.append(law)
        return removed

    def _changed(self) -> None:
        self._laws = None
        self.version += 1

    # ---- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def data_version(self) -> str:
        """A fingerprint of the catalog's content; indexes store it to know if they are stale."""
        row = self._conn.execute("SELECT COUNT(*), COALESCE(GROUP_CONCAT(law_id || content_hash), '') "
                                 "FROM (SELECT law_id, content_hash FROM laws ORDER BY law_id)").fetchone()
        return f"{row[0]}-" + hashlib.sha1(row[1].encode()).hexdigest()[:16]

    def close(self) -> None:
        self._conn.close()
