"""Tracked credentials and the reminder ledger: intent-named queries.

The policy (what is due, the next due time) lives in ``bot.reminders``; callers pass its
answers in as plain values, so nothing here imports ``bot``.

Exactly once, in three steps the poster follows for every reminder:

1. :func:`claim_reminder` inserts the ledger row for (credential, key), or, when the row
   exists and is not done, takes it over only if its lease has run out. Both are single
   atomic statements (``INSERT … ON CONFLICT DO NOTHING``, ``UPDATE … WHERE lease_until <=
   now``), so of two processes exactly one wins, on SQLite and PostgreSQL alike.
2. The winner posts. :func:`mark_posted` records the message (its thread follow-up
   may still be pending), :func:`complete_reminder` marks it done and moves the
   credential's ``next_due_at`` on, in one transaction.
3. A failed post calls :func:`release_reminder`: the row stays not-done with a short (or
   Retry-After) lease, and the next tick claims it again. A process that dies between
   claim and record leaves a lease that runs out, so nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

from sqlalchemy import and_, case, exists, func, literal, or_, true, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from storage.engine import Database
from storage.models import Credential, ReminderLedger
from storage.probes import drop_in_session

__all__ = [
    "AddResult", "Claim", "add_credential", "mark_renewed", "remove_credential", "snooze_credential",
    "get_credential", "find_credential", "list_credentials", "list_due_credentials", "count_credentials",
    "claim_reminder", "mark_posted", "complete_reminder", "complete_notice", "release_reminder",
    "set_next_due", "ledger_rows",
]


def _label_key(label: str) -> str:
    return " ".join(label.split()).casefold()[:80]


@dataclass(frozen=True)
class AddResult:
    credential: Credential
    created: bool  # a new row (or a removed label tracked again)
    renewed: bool  # the label was tracked already: this is a renewal
    previous_expires_at: datetime | None = None


def add_credential(db: Database, *, team_id: str, label: str, kind: str, idp: str, environment: str,
                   channel_id: str, expires_at: datetime, expiry_source: str, fingerprint: str, added_by: str,
                   now: datetime, next_due_at: datetime | None) -> AddResult:
    """Track a credential. A label already tracked in the workspace is renewed instead (new
    expiry and generation; a 'resolved' reply is queued for its last reminder's thread)."""
    fields = dict(kind=kind[:16], idp=idp[:16], environment=environment[:80], channel_id=channel_id[:32])
    for attempt in range(2):
        existing = find_credential(db, team_id, label, include_removed=True)
        if existing is not None and existing.active:
            renewed = mark_renewed(db, existing.id, expires_at=expires_at, expiry_source=expiry_source,
                                   fingerprint=fingerprint, renewed_by=added_by, now=now, next_due_at=next_due_at,
                                   **fields)
            assert renewed is not None
            return AddResult(renewed, created=False, renewed=True, previous_expires_at=existing.expires_at)
        try:
            with db.session() as session:
                if existing is not None:  # removed earlier: track it again as a fresh series
                    row = session.get(Credential, existing.id)
                    assert row is not None
                    row.generation += 1
                    row.active = True
                    row.removed_by, row.removed_at = "", None
                    row.renewed_by, row.renewed_at = "", None
                    row.label = label[:80]
                else:
                    row = Credential(team_id=team_id[:32], label=label[:80], label_key=_label_key(label), **fields,
                                     expires_at=expires_at, added_by=added_by[:32])
                    session.add(row)
                for name, value in fields.items():
                    setattr(row, name, value)
                row.expires_at = expires_at
                row.expiry_source = expiry_source[:16]
                row.fingerprint = fingerprint[:8]
                row.added_by, row.added_at = added_by[:32], now
                row.last_sent_at = row.snoozed_until = None
                row.thread_channel = row.thread_ts = ""
                row.notice_key = row.notice_channel = row.notice_ts = ""
                row.next_due_at = next_due_at
                session.flush()
                session.refresh(row)
            return AddResult(row, created=True, renewed=False)
        except IntegrityError:
            if attempt:
                raise
            # Someone tracked the same label a moment ago: go round again and renew theirs.
    raise AssertionError("unreachable")


def mark_renewed(db: Database, credential_id: int, *, expires_at: datetime, expiry_source: str, fingerprint: str,
                 renewed_by: str, now: datetime, next_due_at: datetime | None,
                 expected_generation: int | None = None, **fields: str) -> Credential | None:
    """Record a renewal: the new expiry starts a new generation of reminders. When a reminder
    was posted for the old one, a 'resolved' reply to its thread is queued (and made due now).
    Returns None when the credential is gone or was renewed by someone else meanwhile."""
    with db.session() as session:
        row = session.get(Credential, credential_id, with_for_update=True)
        if row is None or not row.active:
            return None
        if expected_generation is not None and row.generation != expected_generation:
            return None
        if row.thread_ts:
            row.notice_key = f"{row.generation}:resolved"
            row.notice_channel, row.notice_ts = row.thread_channel, row.thread_ts
        row.generation += 1
        drop_in_session(session, credential_id)  # the old token's ciphertext goes with its generation
        row.expires_at = expires_at
        row.expiry_source = expiry_source[:16]
        row.fingerprint = fingerprint[:8]
        row.renewed_by, row.renewed_at = renewed_by[:32], now
        row.last_sent_at = row.snoozed_until = None
        row.thread_channel = row.thread_ts = ""
        for name, value in fields.items():
            setattr(row, name, value)
        row.next_due_at = _earliest(next_due_at, now if row.notice_key else None)
        session.flush()
        session.refresh(row)
        return row


def remove_credential(db: Database, credential_id: int, *, removed_by: str, now: datetime) -> Credential | None:
    """Stop tracking: no more reminders. The row stays (inactive) for the ledger and the audit trail."""
    with db.session() as session:
        row = session.get(Credential, credential_id, with_for_update=True)
        if row is None or not row.active:
            return None
        row.active = False
        row.removed_by, row.removed_at = removed_by[:32], now
        row.next_due_at = None
        drop_in_session(session, credential_id)  # no sealed token outlives the tracking
        row.notice_key = row.notice_channel = row.notice_ts = ""
        session.flush()
        session.refresh(row)
        return row


def snooze_credential(db: Database, credential_id: int, *, generation: int, until: datetime) -> Credential | None:
    """Hold reminders until ``until``; then one reminder posts. None when renewed or removed meanwhile."""
    with db.session() as session:
        row = session.get(Credential, credential_id, with_for_update=True)
        if row is None or not row.active or row.generation != generation:
            return None
        row.snoozed_until = until
        row.next_due_at = _earliest(until, row.renewed_at if row.notice_key else None)
        session.flush()
        session.refresh(row)
        return row


def get_credential(db: Database, credential_id: int) -> Credential | None:
    with db.session() as session:
        return session.get(Credential, credential_id)


def find_credential(db: Database, team_id: str, label: str, *, include_removed: bool = False) -> Credential | None:
    query = select(Credential).where(Credential.team_id == team_id[:32], Credential.label_key == _label_key(label))
    if not include_removed:
        query = query.where(col(Credential.active).is_(True))
    with db.session() as session:
        return session.exec(query).first()


def list_credentials(db: Database, *, team_id: str | None = None, limit: int | None = None,
                     include_removed: bool = False, channel_id: str | None = None,
                     expires_before: datetime | None = None) -> Sequence[Credential]:
    """Tracked credentials, soonest expiry first; optionally only one channel's, or only those
    expiring before a moment."""
    query = select(Credential).order_by(col(Credential.expires_at), col(Credential.id))
    if team_id is not None:
        query = query.where(Credential.team_id == team_id[:32])
    if channel_id is not None:
        query = query.where(Credential.channel_id == channel_id[:32])
    if expires_before is not None:
        query = query.where(col(Credential.expires_at) < expires_before)
    if not include_removed:
        query = query.where(col(Credential.active).is_(True))
    if limit is not None:
        query = query.limit(limit)
    with db.session() as session:
        return session.exec(query).all()


def count_credentials(db: Database, *, team_id: str | None = None, channel_id: str | None = None,
                      expires_before: datetime | None = None) -> int:
    query = select(func.count()).select_from(Credential).where(col(Credential.active).is_(True))
    if team_id is not None:
        query = query.where(Credential.team_id == team_id[:32])
    if channel_id is not None:
        query = query.where(Credential.channel_id == channel_id[:32])
    if expires_before is not None:
        query = query.where(col(Credential.expires_at) < expires_before)
    with db.session() as session:
        return int(session.exec(query).one())


def list_due_credentials(db: Database, now: datetime, limit: int,
                         after: tuple[datetime, int] | None = None) -> Sequence[Credential]:
    """Active credentials whose ``next_due_at`` is at or before ``now``, oldest first, one page.

    Keyset paging: pass the last row's ``(next_due_at, id)`` as ``after`` for the next
    page. Served by the ``next_due_at`` index, so nothing due costs one index probe.
    """
    query = (select(Credential)
             .where(col(Credential.next_due_at).is_not(None), col(Credential.next_due_at) <= now,
                    col(Credential.active).is_(True))
             .order_by(col(Credential.next_due_at), col(Credential.id))
             .limit(limit))
    if after is not None:
        due, last_id = after
        query = query.where(or_(col(Credential.next_due_at) > due,
                                and_(col(Credential.next_due_at) == due, col(Credential.id) > last_id)))
    with db.session() as session:
        return session.exec(query).all()


def set_next_due(db: Database, credential_id: int, *, generation: int, next_due_at: datetime | None) -> bool:
    """Move ``next_due_at`` (e.g. when a claim shows the reminder was already posted elsewhere)."""
    with db.session() as session:
        result = session.connection().execute(
            update(Credential).where(Credential.id == credential_id, Credential.generation == generation,
                                     Credential.notice_key == "")
            .values(next_due_at=next_due_at))
        return result.rowcount == 1


# --------------------------------------------------------------------------- the ledger


@dataclass(frozen=True)
class Claim:
    """The outcome of :func:`claim_reminder`. ``won`` means this caller may post; ``status`` is
    the row's status ('pending': post the message; 'posted': only its thread follow-up is left;
    'done': someone posted it; 'held': another process holds it now; 'stale': the credential was
    renewed or removed meanwhile)."""

    won: bool
    status: str
    ledger_id: int | None = None
    message_ts: str = ""
    channel_id: str = ""


_LEDGER_COLUMNS = ("credential_id", "reminder_key", "status", "lease_owner", "lease_until", "attempts", "channel_id",
                   "message_ts", "last_error", "created_at", "updated_at")


def _insert_claim(session, values: dict, generation: int | None) -> int | None:
    """``INSERT … SELECT … WHERE <the credential is still this generation> ON CONFLICT DO NOTHING
    RETURNING id``: one statement claims a fresh reminder. None when nothing was inserted."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    ledger, cred = ReminderLedger.__table__, Credential.__table__
    source = select(*[literal(values[name], type_=ledger.c[name].type).label(name) for name in _LEDGER_COLUMNS])
    if generation is not None:
        source = source.where(exists().where(cred.c.id == values["credential_id"], cred.c.generation == generation,
                                             cred.c.active.is_(True)))
    else:
        source = source.where(true())  # SQLite needs a WHERE in INSERT … SELECT … ON CONFLICT
    statement = (insert(ledger).from_select(list(_LEDGER_COLUMNS), source)
                 .on_conflict_do_nothing(index_elements=["credential_id", "reminder_key"])
                 .returning(ledger.c.id))
    # RETURNING, not rowcount: it is exact on both drivers (one row inserted, or none).
    row = session.connection().execute(statement).first()
    return None if row is None else int(row[0])


def claim_reminder(db: Database, *, credential_id: int, key: str, generation: int | None, owner: str,
                   now: datetime, lease: timedelta) -> Claim:
    """Claim the right to post reminder ``key`` of a credential (see the module docstring).
    ``generation``, when given, must still be the credential's (else the claim is 'stale')."""
    key = key[:64]
    with db.session() as session:
        inserted = _insert_claim(session, dict(
            credential_id=credential_id, reminder_key=key, status="pending", lease_owner=owner[:64],
            lease_until=now + lease, attempts=1, channel_id="", message_ts="", last_error="",
            created_at=now, updated_at=now), generation)
        if inserted is not None:
            return Claim(True, "pending", inserted)
        if generation is not None:
            current = session.exec(select(Credential.generation, Credential.active)
                                   .where(Credential.id == credential_id)).first()
            if current is None or not current[1] or current[0] != generation:
                return Claim(False, "stale")
        ledger = ReminderLedger.__table__
        taken = session.connection().execute(
            update(ledger)
            .where(ledger.c.credential_id == credential_id, ledger.c.reminder_key == key, ledger.c.status != "done",
                   or_(ledger.c.lease_until.is_(None), ledger.c.lease_until <= now))
            .values(lease_owner=owner[:64], lease_until=now + lease, attempts=ledger.c.attempts + 1, updated_at=now)
            .returning(ledger.c.id, ledger.c.status, ledger.c.message_ts, ledger.c.channel_id)).first()
        if taken is not None:
            return Claim(True, taken.status, taken.id, taken.message_ts, taken.channel_id)
        row = session.exec(select(ReminderLedger).where(ReminderLedger.credential_id == credential_id,
                                                        ReminderLedger.reminder_key == key)).one()
        return Claim(False, "done" if row.status == "done" else "held", row.id, row.message_ts, row.channel_id)


def _own(ledger_id: int, owner: str):
    return and_(ReminderLedger.id == ledger_id, ReminderLedger.lease_owner == owner[:64])


def mark_posted(db: Database, *, ledger_id: int, owner: str, channel_id: str, message_ts: str, now: datetime,
                credential_id: int, generation: int) -> bool:
    """The message is out but its thread follow-up is not: keep the claim, remember the message
    (so a renewal can reply in its thread). False when the lease was lost meanwhile."""
    with db.session() as session:
        owned = session.connection().execute(
            update(ReminderLedger).where(_own(ledger_id, owner))
            .values(status="posted", channel_id=channel_id[:32], message_ts=message_ts[:32], updated_at=now,
                    last_error="")).rowcount
        session.connection().execute(
            update(Credential).where(Credential.id == credential_id, Credential.generation == generation)
            .values(thread_channel=channel_id[:32], thread_ts=message_ts[:32]))
        return owned == 1


def complete_reminder(db: Database, *, ledger_id: int, owner: str, channel_id: str, message_ts: str, now: datetime,
                      credential_id: int, generation: int, last_sent_at: datetime,
                      next_due_at: datetime | None, snooze: bool) -> bool:
    """Mark the reminder done and move the credential on, in one transaction. The credential is
    left alone if it was renewed meanwhile (its generation changed). False when the lease was lost."""
    with db.session() as session:
        connection = session.connection()
        owned = connection.execute(
            update(ReminderLedger).where(_own(ledger_id, owner))
            .values(status="done", channel_id=channel_id[:32], message_ts=message_ts[:32], lease_until=None,
                    updated_at=now, last_error="")).rowcount
        cred = Credential.__table__
        values: dict = dict(last_sent_at=last_sent_at, thread_channel=channel_id[:32], thread_ts=message_ts[:32],
                            # A queued 'resolved' reply keeps the credential due until it is posted.
                            next_due_at=case(
                                (cred.c.notice_key == "", literal(next_due_at, type_=cred.c.next_due_at.type)),
                                else_=cred.c.next_due_at))
        if snooze:
            values["snoozed_until"] = None
        connection.execute(update(cred).where(cred.c.id == credential_id, cred.c.generation == generation,
                                              cred.c.active.is_(True)).values(**values))
        return owned == 1


def complete_notice(db: Database, *, ledger_id: int, owner: str, message_ts: str, now: datetime,
                    credential_id: int, notice_key: str, next_due_at: datetime | None) -> bool:
    """The 'resolved' reply is posted: clear it from the credential and mark its ledger row done."""
    with db.session() as session:
        owned = session.connection().execute(
            update(ReminderLedger).where(_own(ledger_id, owner))
            .values(status="done", message_ts=message_ts[:32], lease_until=None, updated_at=now,
                    last_error="")).rowcount
        clear_notice(session, credential_id, notice_key, next_due_at)
        return owned == 1


def clear_notice(session, credential_id: int, notice_key: str, next_due_at: datetime | None) -> None:
    session.connection().execute(
        update(Credential).where(Credential.id == credential_id, Credential.notice_key == notice_key)
        .values(notice_key="", notice_channel="", notice_ts="", next_due_at=next_due_at))


def drop_notice(db: Database, *, credential_id: int, notice_key: str, next_due_at: datetime | None) -> None:
    """Forget a queued 'resolved' reply that was already posted (its ledger row is done)."""
    with db.session() as session:
        clear_notice(session, credential_id, notice_key, next_due_at)


def release_reminder(db: Database, *, ledger_id: int, owner: str, now: datetime, error: str,
                     retry_at: datetime | None = None) -> bool:
    """Give a claim back after a failed post: claimable again at ``retry_at`` (None: at once)."""
    with db.session() as session:
        return session.connection().execute(
            update(ReminderLedger).where(_own(ledger_id, owner))
            .values(lease_until=retry_at, last_error=error[:64], updated_at=now)).rowcount == 1


def ledger_rows(db: Database, credential_id: int | None = None) -> Sequence[ReminderLedger]:
    query = select(ReminderLedger).order_by(col(ReminderLedger.id))
    if credential_id is not None:
        query = query.where(ReminderLedger.credential_id == credential_id)
    with db.session() as session:
        return session.exec(query).all()


def _earliest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return min(present) if present else None
