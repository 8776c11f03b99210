"""Weekly digests per channel and their ledger: intent-named queries.

The policy (when the next send is, which week it belongs to) lives in ``bot.digest``; callers pass its
answers in as plain values. Exactly once a week per channel, as with reminders (``storage.credentials``):
:func:`claim_digest` inserts the ledger row for (digest, week) in one ``INSERT … ON CONFLICT DO
NOTHING`` (or takes over a row whose lease ran out), the winner posts, then :func:`complete_digest`
marks it done and moves ``next_due_at`` on in one transaction; a failed post calls
:func:`release_digest` and a later tick claims the row again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

from sqlalchemy import literal, or_, true, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from storage.engine import Database
from storage.models import DigestLedger, DigestSetting

__all__ = ["DigestClaim", "save_digest", "disable_digest", "get_digest", "list_digests", "digest_enabled",
           "list_due_digests", "claim_digest", "complete_digest", "release_digest", "advance_digest",
           "digest_ledger_rows"]


def save_digest(db: Database, *, team_id: str, channel_id: str, weekday: int, hour: int, timezone: str,
                set_by: str, now: datetime, next_due_at: datetime) -> DigestSetting:
    """Switch a channel's digest on with this schedule (a new row, or the existing one changed)."""
    for attempt in range(2):
        try:
            with db.session() as session:
                row = session.exec(select(DigestSetting).where(DigestSetting.team_id == team_id[:32],
                                                               DigestSetting.channel_id == channel_id[:32])
                                   .with_for_update()).first()
                if row is None:
                    row = DigestSetting(team_id=team_id[:32], channel_id=channel_id[:32], set_by=set_by[:32])
                    session.add(row)
                row.enabled = True
                row.weekday, row.hour, row.timezone = weekday, hour, timezone[:64]
                row.set_by, row.set_at = set_by[:32], now
                row.next_due_at = next_due_at
                session.flush()
                session.refresh(row)
                return row
        except IntegrityError:
            if attempt:
                raise
            # Someone set the same channel up a moment ago: go round again and change theirs.
    raise AssertionError("unreachable")


def disable_digest(db: Database, *, team_id: str, channel_id: str, set_by: str, now: datetime) -> DigestSetting | None:
    """Switch a channel's digest off (the row stays, with its ledger); None when it was not on."""
    with db.session() as session:
        row = session.exec(select(DigestSetting).where(DigestSetting.team_id == team_id[:32],
                                                       DigestSetting.channel_id == channel_id[:32])
                           .with_for_update()).first()
        if row is None or not row.enabled:
            return None
        row.enabled = False
        row.next_due_at = None
        row.set_by, row.set_at = set_by[:32], now
        session.flush()
        session.refresh(row)
        return row


def get_digest(db: Database, team_id: str, channel_id: str) -> DigestSetting | None:
    with db.session() as session:
        return session.exec(select(DigestSetting).where(DigestSetting.team_id == team_id[:32],
                                                        DigestSetting.channel_id == channel_id[:32])).first()


def list_digests(db: Database, *, team_id: str | None = None, enabled_only: bool = True) -> Sequence[DigestSetting]:
    query = select(DigestSetting).order_by(col(DigestSetting.team_id), col(DigestSetting.channel_id))
    if team_id is not None:
        query = query.where(DigestSetting.team_id == team_id[:32])
    if enabled_only:
        query = query.where(col(DigestSetting.enabled).is_(True))
    with db.session() as session:
        return session.exec(query).all()


def digest_enabled(db: Database, team_id: str, channel_id: str) -> bool:
    """Whether the channel's yellow reminders are left to its weekly digest."""
    with db.session() as session:
        return session.exec(select(DigestSetting.id).where(
            DigestSetting.team_id == team_id[:32], DigestSetting.channel_id == channel_id[:32],
            col(DigestSetting.enabled).is_(True))).first() is not None


def list_due_digests(db: Database, now: datetime, limit: int) -> Sequence[DigestSetting]:
    """Switched-on digests whose ``next_due_at`` is at or before ``now``, oldest first (the index)."""
    query = (select(DigestSetting)
             .where(col(DigestSetting.next_due_at).is_not(None), col(DigestSetting.next_due_at) <= now,
                    col(DigestSetting.enabled).is_(True))
             .order_by(col(DigestSetting.next_due_at), col(DigestSetting.id)).limit(limit))
    with db.session() as session:
        return session.exec(query).all()


# --------------------------------------------------------------------------- the ledger


@dataclass(frozen=True)
class DigestClaim:
    """``won``: this caller may post. ``status``: 'pending' (won), 'done' (posted already), 'held'
    (another process holds it now)."""

    won: bool
    status: str
    ledger_id: int | None = None


_COLUMNS = ("digest_id", "week_key", "status", "lease_owner", "lease_until", "attempts", "message_ts", "last_error",
            "created_at", "updated_at")


def claim_digest(db: Database, *, digest_id: int, week_key: str, owner: str, now: datetime,
                 lease: timedelta) -> DigestClaim:
    """Claim the right to post this week's digest: one atomic statement each way, so of two processes
    exactly one wins, on SQLite and PostgreSQL alike."""
    values = dict(digest_id=digest_id, week_key=week_key[:16], status="pending", lease_owner=owner[:64],
                  lease_until=now + lease, attempts=1, message_ts="", last_error="", created_at=now, updated_at=now)
    with db.session() as session:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        ledger = DigestLedger.__table__
        source = select(*[literal(values[n], type_=ledger.c[n].type).label(n) for n in _COLUMNS]).where(true())
        inserted = connection.execute(
            insert(ledger).from_select(list(_COLUMNS), source)
            .on_conflict_do_nothing(index_elements=["digest_id", "week_key"]).returning(ledger.c.id)).first()
        if inserted is not None:
            return DigestClaim(True, "pending", int(inserted[0]))
        taken = connection.execute(
            update(ledger)
            .where(ledger.c.digest_id == digest_id, ledger.c.week_key == week_key[:16], ledger.c.status != "done",
                   or_(ledger.c.lease_until.is_(None), ledger.c.lease_until <= now))
            .values(lease_owner=owner[:64], lease_until=now + lease, attempts=ledger.c.attempts + 1, updated_at=now)
            .returning(ledger.c.id)).first()
        if taken is not None:
            return DigestClaim(True, "pending", int(taken[0]))
        row = session.exec(select(DigestLedger).where(DigestLedger.digest_id == digest_id,
                                                      DigestLedger.week_key == week_key[:16])).one()
        return DigestClaim(False, "done" if row.status == "done" else "held", row.id)


def complete_digest(db: Database, *, ledger_id: int, owner: str, message_ts: str, now: datetime, digest_id: int,
                    sent_for: datetime, next_due_at: datetime) -> bool:
    """Mark the week's digest posted and move the channel on to the next one, in one transaction. The
    schedule is moved only if it still says ``sent_for`` (a change made meanwhile stands). False when the
    lease was lost while posting."""
    with db.session() as session:
        connection = session.connection()
        owned = connection.execute(
            update(DigestLedger).where(DigestLedger.id == ledger_id, DigestLedger.lease_owner == owner[:64])
            .values(status="done", message_ts=message_ts[:32], lease_until=None, updated_at=now,
                    last_error="")).rowcount
        connection.execute(update(DigestSetting).where(DigestSetting.id == digest_id,
                                                       DigestSetting.next_due_at == sent_for)
                           .values(next_due_at=next_due_at, last_sent_at=now))
        return owned == 1


def advance_digest(db: Database, *, digest_id: int, sent_for: datetime, next_due_at: datetime) -> None:
    """Move a digest that someone else posted this week on to its next send."""
    with db.session() as session:
        session.connection().execute(update(DigestSetting).where(DigestSetting.id == digest_id,
                                                                 DigestSetting.next_due_at == sent_for)
                                     .values(next_due_at=next_due_at))


def release_digest(db: Database, *, ledger_id: int, owner: str, now: datetime, error: str,
                   retry_at: datetime | None = None) -> bool:
    """Give a claim back after a failed post: claimable again at ``retry_at`` (None: at once)."""
    with db.session() as session:
        return session.connection().execute(
            update(DigestLedger).where(DigestLedger.id == ledger_id, DigestLedger.lease_owner == owner[:64])
            .values(lease_until=retry_at, last_error=error[:64], updated_at=now)).rowcount == 1


def digest_ledger_rows(db: Database, digest_id: int | None = None) -> Sequence[DigestLedger]:
    query = select(DigestLedger).order_by(col(DigestLedger.id))
    if digest_id is not None:
        query = query.where(DigestLedger.digest_id == digest_id)
    with db.session() as session:
        return session.exec(query).all()
