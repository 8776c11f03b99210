"""What the command line's offline commands take from the process's outer layers: a migrated database,
and the workspace the bot token belongs to. Kept apart from ``runtime.compose`` so that ``sso-bot
credentials`` loads neither Bolt nor the Slack surface."""

from __future__ import annotations

from bot.settings import Settings
from storage import Database, open_database
from storage.migrate import upgrade

__all__ = ["open_migrated", "migrate", "MigrationFailed", "bot_workspace"]


def open_migrated(settings: Settings) -> Database:
    """The configured database, migrated to head (the caller disposes of it)."""
    db = open_database(settings.database_url)
    upgrade(db)
    return db


class MigrationFailed(RuntimeError):
    """The database could not be migrated; the message names it (without its password) and why."""


def migrate(settings: Settings) -> tuple[str, str]:
    """Migrate the configured database to head: (its URL without the password, the revision reached)."""
    db = open_database(settings.database_url)
    try:
        return db.url, upgrade(db)
    except Exception as error:  # any driver error: say which database, not the password
        raise MigrationFailed(f"cannot migrate {db.url}: {str(error).splitlines()[0] if str(error) else error!r}") \
            from error
    finally:
        db.dispose()


def bot_workspace(settings: Settings) -> str | None:
    """The team id of ``SLACK_BOT_TOKEN`` (Slack's ``auth.test``), or None without a token."""
    if not settings.bot_token:
        return None
    from slack_sdk import WebClient

    answer = WebClient(token=settings.bot_token, base_url=settings.slack_api_url, timeout=10).auth_test()
    return str(answer.get("team_id") or "") or None
