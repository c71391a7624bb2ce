"""`Database`: the one engine and session factory for user and organisation data.

SQLite (WAL, in XUEFA_HOME) by default; `XUEFA_DATABASE_URL=postgresql+psycopg://…` for a deployment with
several app instances. Migrations are applied when the database is opened. Nothing else creates an engine."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from knowledge.errors import ConfigError

log = logging.getLogger(__name__)

SQLITE_BUSY_MS = 30_000  # writers queue behind each other instead of failing


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path)}"


def _redact(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for messages
        return "（无法解析的地址）"


def _wal(cur) -> None:
    """WAL is stored in the file, so only a new file needs switching; the switch takes an exclusive lock and
    may report SQLITE_BUSY without waiting when another process opens the new file at the same moment."""
    import sqlite3
    import time

    for attempt in range(100):
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 99:
                raise
            time.sleep(0.05)


class Database:
    """Sessions over one engine. `session()` is a write transaction (on SQLite it takes the write lock at
    BEGIN, so read-modify-write never fails half way); `read()` is a plain snapshot for queries."""

    def __init__(self, url: str, *, migrate: bool = True, echo: bool = False):
        self.url = url
        try:
            parsed = make_url(url)
        except Exception as exc:  # noqa: BLE001
            raise ConfigError(f"XUEFA_DATABASE_URL 无法解析：{exc}；示例：postgresql+psycopg://用户:密码@主机/库名") from exc
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise ConfigError(f"不支持的数据库类型 {self.dialect}：只支持 SQLite 和 PostgreSQL（postgresql+psycopg://…）。")
        if self.dialect == "sqlite" and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine = self._make_engine(url, echo)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._reads = sessionmaker(self.engine.execution_options(xuefa_read=True), expire_on_commit=False)
        if migrate:
            self.migrate()

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def _make_engine(self, url: str, echo: bool) -> Engine:
        if self.dialect == "postgresql":
            return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)
        engine = create_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
            _wal(cur)
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn) -> None:
            # A deferred BEGIN that later writes fails with "database is locked" when another process wrote
            # in between; IMMEDIATE waits for the lock up front (busy_timeout) and then cannot fail that way.
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("xuefa_read") else "BEGIN IMMEDIATE")

        return engine

    # ---- sessions ---------------------------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any error."""
        with self._sessions() as s:
            with s.begin():
                yield s

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read snapshot; closing the session ends it (objects stay loaded, detached)."""
        with self._reads() as s:
            yield s

    # ---- schema -----------------------------------------------------------------------------------
    def migrate(self) -> str:
        """Bring the schema to the newest migration; returns the revision. Safe with several processes."""
        from .migrate import upgrade

        try:
            return upgrade(self.engine)
        except OperationalError as exc:
            raise ConfigError(f"无法连接或升级数据库 {_redact(self.url)}：{exc.orig}") from exc
        except SQLAlchemyError as exc:
            raise ConfigError(f"数据库 {_redact(self.url)} 升级失败：{exc}") from exc

    def revision(self) -> str | None:
        with self.read() as s:
            try:
                return s.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
            except SQLAlchemyError:
                return None

    def describe(self) -> str:
        return _redact(self.url)

    def close(self) -> None:
        self.engine.dispose()

