"""Apply Alembic migrations from code (``sso-bot db upgrade`` and start-up)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.engine import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(db: Database, revision: str = "heads") -> str | None:
    """Bring the schema to ``revision`` (default: every head); returns the revision now current."""
    config = _config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return current_revision(db)


def current_revision(db: Database) -> str | None:
    """The current revision; several heads (features migrated in parallel, not yet merged) join with '+'."""
    with db.engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return "+".join(sorted(heads)) if heads else None


def head_revision() -> str | None:
    heads = ScriptDirectory.from_config(_config()).get_heads()
    return "+".join(sorted(heads)) if heads else None
