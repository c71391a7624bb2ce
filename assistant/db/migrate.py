"""Apply the Alembic migrations shipped in this package (no alembic.ini at run time)."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from knowledge.errors import ConfigError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_LOCK = 0x78756566  # "xuef": one migrator at a time across app instances


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine) -> str:
    """Upgrade to head in one transaction; on SQLite the write lock (BEGIN IMMEDIATE) and on PostgreSQL an
    advisory lock keep two starting processes from migrating at once."""
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    target = script.get_current_head()
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
        current = MigrationContext.configure(conn).get_current_revision()
        if current == target:
            return target
        if current is not None and current not in {s.revision for s in script.walk_revisions()}:
            raise ConfigError(f"数据库的版本 {current} 比本程序新（本程序支持到 {target}），请升级 xuefa 后再启动。")
        log.info("数据库升级：%s -> %s", current or "空库", target)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return target
