"""Storage against a real database: SQLite here, PostgreSQL too when CI provides one."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import StatementError
from sqlmodel import SQLModel

from storage import open_database
from storage.audit import record_audit, recent_audit
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import AuditEvent


def test_upgrade_reaches_head_and_is_idempotent(database_url):
    database = open_database(database_url)
    assert current_revision(database) is None
    assert upgrade(database) == head_revision()
    assert upgrade(database) == head_revision()
    database.dispose()


def test_migrations_match_the_models(db):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                SQLModel.metadata)
    assert diff == []


def test_audit_rows_round_trip_as_aware_utc(db):
    record_audit(db, team_id="T1", user_id="U1", action="diagnose", input_kinds=["jwt", "scim_url"], outcome="ok",
                 detail="token-expired")
    [row] = recent_audit(db)
    assert row.input_kinds == "jwt,scim_url"
    assert row.created_at.tzinfo is not None
    assert abs(row.created_at - datetime.now(timezone.utc)) < timedelta(minutes=1)


def test_recent_audit_is_newest_first_and_filters_by_team(db):
    for team in ("T1", "T2", "T1"):
        record_audit(db, team_id=team, user_id="U1", action="help", outcome="help")
    rows = recent_audit(db, team_id="T1")
    assert len(rows) == 2 and rows[0].id > rows[1].id


def test_a_naive_datetime_is_refused(db):
    with pytest.raises(StatementError, match="naive datetime"):
        with db.session() as session:
            session.add(AuditEvent(team_id="T", user_id="U", action="a", outcome="o",
                                   created_at=datetime(2026, 1, 1)))


def test_non_utc_input_is_stored_as_the_same_instant(db):
    plus_two = timezone(timedelta(hours=2))
    when = datetime(2026, 6, 1, 14, 0, tzinfo=plus_two)
    with db.session() as session:
        session.add(AuditEvent(team_id="T", user_id="U", action="a", outcome="o", created_at=when))
    [row] = recent_audit(db)
    assert row.created_at == when and row.created_at.utcoffset() == timedelta(0)


def test_overlong_values_are_clipped_not_rejected(db):
    record_audit(db, team_id="T" * 100, user_id="U", action="a" * 100, outcome="ok", detail="d" * 1000)
    [row] = recent_audit(db)
    assert len(row.team_id) == 32 and len(row.action) == 64 and len(row.detail) == 255


def test_ping_reports_an_unreachable_database(tmp_path):
    missing = open_database(f"sqlite:///{tmp_path}/no/such/dir/x.db")
    assert missing.ping() is False
    missing.dispose()


def test_url_hides_the_password():
    database = open_database("postgresql+psycopg://bot:hunter2@127.0.0.1:1/db")
    assert "hunter2" not in database.url
    database.dispose()


def test_audit_log_writes_in_the_background_and_flushes(db):
    from storage.audit import AuditLog

    audit = AuditLog(db)
    for n in range(450):  # more than one batch
        audit.record(team_id="T1", user_id=f"U{n}", action="help", outcome="help")
    audit.flush()
    assert len(recent_audit(db, limit=1000)) == 450
    audit.record(team_id="T1", user_id="last", action="help", outcome="help")
    audit.close()  # close writes what is still queued
    assert recent_audit(db, limit=1)[0].user_id == "last"


def test_old_snapshots_are_purged_and_new_ones_kept(db):
    from datetime import timedelta

    from bot.diagnostics.report import Report
    from bot.redaction import seal
    from storage.snapshots import KEEP_FOR, load_snapshot, purge_snapshots, save_snapshot
    from storage.types import utcnow

    now = utcnow()
    report = seal(Report(subject="diagnosis", inputs=("a",)))
    old = save_snapshot(db, team_id="T", user_id="U", report=report, now=now - KEEP_FOR - timedelta(hours=1))
    new = save_snapshot(db, team_id="T", user_id="U", report=report, now=now)
    assert purge_snapshots(db, now) == 1
    assert load_snapshot(db, old, team_id="T") is None and load_snapshot(db, new, team_id="T") is not None
    assert load_snapshot(db, new, team_id="OTHER") is None


def test_only_a_sealed_report_is_kept_for_sharing(db):
    import pytest

    from bot.diagnostics.report import Finding, Report, Severity
    from storage.snapshots import save_snapshot

    raw = Report(subject="diagnosis", findings=(Finding(code="x", severity=Severity.FAIL, title="t"),))
    with pytest.raises(TypeError, match="sealed"):
        save_snapshot(db, team_id="T", user_id="U", report=raw)
