"""Alembic environment: run migrations on the connection ``storage.migrate`` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

# Two replicas starting together must not both migrate: PostgreSQL serialises them on this lock.
_PG_LOCK_KEY = 0x550B07


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    is_pg = connection.dialect.name == "postgresql"
    if is_pg:
        connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
    try:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if is_pg:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
            connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `sso-bot db upgrade` against the database")
run_migrations_online()
