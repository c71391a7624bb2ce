"""Alembic environment: always run on the connection `assistant.db.migrate.upgrade` hands over."""

from alembic import context

from assistant.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `assistant.db.migrate` runs migrations
    raise RuntimeError("run migrations through assistant.db.migrate.upgrade(engine)")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
