"""Copy every row of one xuefa database into another (empty, migrated) one: how a deployment moves from the
default SQLite file to PostgreSQL without losing accounts, passwords, exams, mistakes, briefs or the audit log."""

from __future__ import annotations

from sqlalchemy import func, insert, select, text

from knowledge.errors import XuefaError

from .database import Database
from .models import Base

BATCH = 1000


def copy_database(source: Database, target: Database) -> dict[str, int]:
    """Rows copied per table, parents before children; refuses a target that already holds data."""
    if source.revision() != target.revision():
        raise XuefaError(f"两个数据库的版本不同（{source.revision()} 与 {target.revision()}），请先用同一版本的 xuefa 打开两者。")
    tables = Base.metadata.sorted_tables
    with target.read() as s:
        busy = [t.name for t in tables if s.scalar(select(func.count()).select_from(t))]
    if busy:
        raise XuefaError(f"目标数据库不是空的（{'、'.join(busy[:5])} 已有数据），请换一个新建的空库。")
    counts: dict[str, int] = {}
    with source.read() as src, target.session() as dst:
        for table in tables:
            n = 0
            result = src.execute(select(table)).mappings()
            while rows := result.fetchmany(BATCH):
                dst.execute(insert(table), [dict(r) for r in rows])
                n += len(rows)
            counts[table.name] = n
        if not target.is_sqlite:  # identity columns continue after the copied ids
            for table in tables:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and pk[0].autoincrement is not False and pk[0].type.python_type is int \
                        and counts.get(table.name):
                    dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                                     f"(SELECT MAX({pk[0].name}) FROM {table.name}))"))
    return counts
