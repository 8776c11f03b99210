"""Track, renew, snooze and remove an expiring credential: the use cases behind ``sso-bot credentials``
and the Slack track/renew modals and reminder buttons. One audit format for all of them.

Callers turn what was typed or pasted into an ``bot.credentials.Expiry`` first (the secret is dropped
there); here only the expiry, the fingerprint and the dates reach storage. Views get
:class:`Tracked` values, never the stored rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.credentials import Expiry
from bot.reminders import SNOOZE, WARN_DAYS, ReminderState, Schedule, band_of, next_check
from services.ports import Audit
from storage import Database
from storage.credentials import (add_credential, count_credentials, find_credential, get_credential, list_credentials,
                                 mark_renewed, remove_credential, snooze_credential)
from storage.models import Credential


@dataclass(frozen=True)
class Tracked:
    """A tracked credential as views and the command line show it."""

    id: int
    team_id: str
    label: str
    label_key: str
    kind: str
    idp: str
    environment: str
    channel_id: str
    expires_at: datetime
    expiry_source: str
    fingerprint: str
    generation: int
    active: bool
    added_by: str
    renewed_by: str
    next_due_at: datetime | None
    snoozed_until: datetime | None
    notice_key: str

    @classmethod
    def of(cls, row: Credential) -> "Tracked":
        assert row.id is not None
        return cls(id=row.id, team_id=row.team_id, label=row.label, label_key=row.label_key, kind=row.kind,
                   idp=row.idp, environment=row.environment, channel_id=row.channel_id, expires_at=row.expires_at,
                   expiry_source=row.expiry_source, fingerprint=row.fingerprint, generation=row.generation,
                   active=row.active, added_by=row.added_by, renewed_by=row.renewed_by, next_due_at=row.next_due_at,
                   snoozed_until=row.snoozed_until, notice_key=row.notice_key)


@dataclass(frozen=True)
class TrackResult:
    credential: Tracked
    renewed: bool  # the label was tracked already: this was recorded as its renewal


def track(db: Database, audit: Audit, *, team_id: str, label: str, kind: str, idp: str, environment: str,
          channel_id: str, expiry: Expiry, user_id: str, now: datetime, schedule: Schedule) -> TrackResult:
    """Track a credential; tracking a label the workspace tracks already renews it."""
    added = add_credential(db, team_id=team_id, label=label, kind=kind, idp=idp, environment=environment,
                           channel_id=channel_id, expires_at=expiry.expires_at, expiry_source=expiry.source,
                           fingerprint=expiry.fingerprint, added_by=user_id, now=now,
                           next_due_at=next_check(ReminderState(expiry.expires_at), schedule))
    cred = Tracked.of(added.credential)
    _audit(audit, team_id, user_id, "credential.renew" if added.renewed else "credential.track", cred,
           band_of(cred.expires_at, now).value, (kind, expiry.source))
    return TrackResult(credential=cred, renewed=added.renewed)


def renew(db: Database, audit: Audit, credential: Tracked, *, generation: int, expiry: Expiry, user_id: str,
          now: datetime, schedule: Schedule) -> Tracked | None:
    """Record a renewal of the generation the user saw; None when someone renewed or removed it meanwhile."""
    row = mark_renewed(db, credential.id, expires_at=expiry.expires_at, expiry_source=expiry.source,
                       fingerprint=expiry.fingerprint, renewed_by=user_id, now=now, expected_generation=generation,
                       next_due_at=next_check(ReminderState(expiry.expires_at), schedule))
    if row is None:
        return None
    renewed = Tracked.of(row)
    _audit(audit, credential.team_id, user_id, "credential.renew", renewed, band_of(renewed.expires_at, now).value,
           (renewed.kind, expiry.source))
    return renewed


def snooze(db: Database, audit: Audit, credential: Tracked, *, generation: int, user_id: str,
           now: datetime, until: datetime | None = None) -> Tracked | None:
    """Hold the reminders of that generation until ``until`` (default: a day; see
    ``bot.reminders.snooze_end`` for the choices); the next reminder posts then. None when the
    reminder is out of date (renewed or removed meanwhile)."""
    until = until if until is not None else now + SNOOZE
    if until <= now:
        raise ValueError("a snooze must end in the future")
    row = snooze_credential(db, credential.id, generation=generation, until=until)
    if row is None:
        return None
    snoozed = Tracked.of(row)
    _audit(audit, credential.team_id, user_id, "credential.snooze", snoozed, "ok", (snoozed.kind,))
    return snoozed


def remove(db: Database, audit: Audit, credential: Tracked, *, user_id: str, now: datetime) -> Tracked | None:
    """Stop tracking; None when it was removed already."""
    row = remove_credential(db, credential.id, removed_by=user_id, now=now)
    if row is None:
        return None
    removed = Tracked.of(row)
    _audit(audit, removed.team_id, user_id, "credential.remove", removed, "ok", (removed.kind,))
    return removed


def get(db: Database, credential_id: int) -> Tracked | None:
    row = get_credential(db, credential_id)
    return Tracked.of(row) if row is not None else None


def listing(db: Database, *, team_id: str | None = None, limit: int | None = None) -> list[Tracked]:
    """Active credentials, soonest expiry first."""
    return [Tracked.of(row) for row in list_credentials(db, team_id=team_id, limit=limit)]


def count(db: Database, *, team_id: str | None = None) -> int:
    return count_credentials(db, team_id=team_id)


@dataclass(frozen=True)
class Expiring:
    """The credentials that need attention (expired, red or yellow), soonest first, and the counts."""

    soonest: list[Tracked]  # at most the ``limit`` asked for
    expiring: int  # all that expire within WARN_DAYS (or have expired)
    tracked: int  # all tracked in that scope
    next_after: Tracked | None  # the first one still fine, to say when the next turns yellow


def expiring(db: Database, *, team_id: str, now: datetime, limit: int, channel_id: str | None = None) -> Expiring:
    """What expires within 30 days (or has expired) in a workspace, or in one of its channels: the
    question behind ``/sso status`` and the weekly digest."""
    horizon = now + timedelta(days=WARN_DAYS)
    rows = list_credentials(db, team_id=team_id, channel_id=channel_id, expires_before=horizon, limit=limit)
    total = len(rows) if len(rows) < limit else count_credentials(db, team_id=team_id, channel_id=channel_id,
                                                                  expires_before=horizon)
    following = [r for r in list_credentials(db, team_id=team_id, channel_id=channel_id, limit=total + 1)
                 if r.expires_at >= horizon][:1] if total < limit else []
    return Expiring(soonest=[Tracked.of(r) for r in rows], expiring=total,
                    tracked=count_credentials(db, team_id=team_id, channel_id=channel_id),
                    next_after=Tracked.of(following[0]) if following else None)


def by_label(db: Database, label: str, *, team_id: str | None = None) -> list[Tracked]:
    """The active credentials labelled ``label`` (case and spacing aside): in one workspace, or in all."""
    if team_id:
        row = find_credential(db, team_id, label)
        return [Tracked.of(row)] if row is not None else []
    key = " ".join(label.split()).casefold()
    return [c for c in listing(db) if c.label_key == key]


def _audit(audit: Audit, team_id: str, user_id: str, action: str, cred: Tracked, outcome: str,
           kinds: tuple[str, ...]) -> None:
    audit.record(team_id=team_id, user_id=user_id, action=action, input_kinds=kinds, outcome=outcome,
                 detail=f"credential={cred.id} gen={cred.generation} fp={cred.fingerprint or '-'}")
