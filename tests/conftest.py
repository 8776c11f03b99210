"""Shared test fixtures: where the read-only corpus lives, and a fixed clock."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# CI clones main into a fresh folder with a copy of shared/ beside it, as on a developer's machine.
SHARED = Path(os.environ.get("SSO_BOT_SHARED", REPO.parent / "shared")).resolve()
CORPUS = SHARED / "corpus"
GUIDE = SHARED / "reference" / "sso-scim-troubleshooting-guide.md"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}; set SSO_BOT_SHARED to the shared/ folder")
    return CORPUS


@pytest.fixture
def now() -> datetime:
    """A fixed, timezone-aware 'now' for pure checks that take an explicit clock."""
    return datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


# --- databases and the running app -------------------------------------------------------

import uuid  # noqa: E402

from tests.support.fake_slack import FakeSlack  # noqa: E402

PG_ADMIN_URL = os.environ.get("SSO_BOT_TEST_POSTGRES_URL", "")


def postgres_available() -> bool:
    return bool(PG_ADMIN_URL)


@pytest.fixture
def database_url(tmp_path, request) -> str:
    """A fresh, empty database for one test: SQLite by default, PostgreSQL when
    SSO_BOT_TEST_POSTGRES_URL names a server (CI sets it)."""
    if not postgres_available():
        yield f"sqlite:///{tmp_path / 'sso-bot-test.db'}"
        return
    from sqlalchemy import create_engine, text

    name = f"ssobot_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fake_slack():
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def slack_app(fake_slack, database_url):
    from tests.support.slack_app import RunningApp

    app = RunningApp(fake_slack, database_url).start()
    yield app
    app.stop()


@pytest.fixture
def db(database_url):
    """The test database, migrated to head."""
    from storage import open_database
    from storage.migrate import upgrade

    database = open_database(database_url)
    upgrade(database)
    yield database
    database.dispose()
