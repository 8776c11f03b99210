"""The weekly digest per channel: switch it on or off, list it, and post the digests that are due.

The same functions serve ``/sso digest …`` and ``sso-bot reminders digest …``. A channel with its digest
on gets one message a week summarising the credentials that remind it (by band, worst first), and its
*yellow* reminders are left to that message (``services.reminders`` asks :func:`absorbs_yellow`). Red,
1-day, expiry and after-expiry reminders still post at once: those are the ones someone must act on now.

:class:`DigestPoster` is the scheduler's job (and part of ``sso-bot reminders run-once``): for each digest
due it claims (digest, ISO week) in the ledger, posts, and records it; a 429 gives the claim back with a
lease that ends when its Retry-After does and stops the tick; a 5xx or a network error gives it back at once;
a channel the bot is not in backs off for an hour. A restart or a second replica never sends a week twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Protocol

from bot.digest import DigestSchedule, next_send, week_key
from services import credentials as credential_cases
from services.credentials import Expiring
from services.ports import Audit, Posted, SlackPoster
from services.pacing import BLOCKED_BACKOFF, Pacer, default_owner
from storage import Database
from storage.digests import (advance_digest, claim_digest, complete_digest, digest_enabled, disable_digest,
                             get_digest, list_digests, list_due_digests, release_digest, save_digest)
from storage.models import DigestSetting
from storage.types import utcnow

log = logging.getLogger("sso_bot.digests")

DIGEST_LIMIT = 40  # credentials listed in one digest; the rest are counted


@dataclass(frozen=True)
class Digest:
    """A channel's digest setting as views and the command line show it."""

    id: int
    team_id: str
    channel_id: str
    enabled: bool
    schedule: DigestSchedule
    next_due_at: datetime | None
    last_sent_at: datetime | None
    set_by: str

    @classmethod
    def of(cls, row: DigestSetting) -> "Digest":
        assert row.id is not None
        return cls(id=row.id, team_id=row.team_id, channel_id=row.channel_id, enabled=row.enabled,
                   schedule=DigestSchedule(row.weekday, row.hour, row.timezone), next_due_at=row.next_due_at,
                   last_sent_at=row.last_sent_at, set_by=row.set_by)


def configure(db: Database, audit: Audit, *, team_id: str, channel_id: str, schedule: DigestSchedule, user_id: str,
              now: datetime) -> Digest:
    """Switch the channel's weekly digest on (or change its schedule); the first one comes at the next
    matching moment after ``now``."""
    row = save_digest(db, team_id=team_id, channel_id=channel_id, weekday=schedule.weekday, hour=schedule.hour,
                      timezone=schedule.timezone, set_by=user_id, now=now, next_due_at=next_send(schedule, now))
    digest = Digest.of(row)
    audit.record(team_id=team_id, user_id=user_id, action="digest.on", outcome="ok",
                 detail=f"channel={channel_id} day={schedule.weekday} hour={schedule.hour} tz={schedule.timezone}")
    return digest


def switch_off(db: Database, audit: Audit, *, team_id: str, channel_id: str, user_id: str, now: datetime) -> Digest | None:
    """Switch it off: the channel's yellow reminders post one by one again. None when it was not on."""
    row = disable_digest(db, team_id=team_id, channel_id=channel_id, set_by=user_id, now=now)
    if row is None:
        return None
    audit.record(team_id=team_id, user_id=user_id, action="digest.off", outcome="ok", detail=f"channel={channel_id}")
    return Digest.of(row)


def current(db: Database, *, team_id: str, channel_id: str) -> Digest | None:
    row = get_digest(db, team_id, channel_id)
    return Digest.of(row) if row is not None else None


def listing(db: Database, *, team_id: str | None = None) -> list[Digest]:
    return [Digest.of(row) for row in list_digests(db, team_id=team_id)]


def absorbs_yellow(db: Database, team_id: str, channel_id: str) -> bool:
    """Whether this channel's yellow reminders are left to its weekly digest."""
    return digest_enabled(db, team_id, channel_id)


# --------------------------------------------------------------------------- posting


class DigestMessages(Protocol):
    """Draws one digest as ``chat.postMessage`` arguments (``handlers/credentials``)."""

    def digest(self, digest: Digest, found: Expiring, now: datetime) -> dict[str, Any]: ...


@dataclass
class DigestResult:
    posted: int = 0
    skipped: int = 0  # this week's was posted, or is being posted, by another process
    failed: int = 0  # given back, to retry on a later tick
    rate_limited: int = 0
    planned: list[tuple[str, str]] = field(default_factory=list)  # (channel, week) a dry run would post

    def summary(self) -> str:
        return (f"posted {self.posted} digest(s); {self.skipped} skipped, {self.failed} to retry, "
                f"{self.rate_limited} rate-limited")


class DigestPoster:
    """The digest job. Call it with ``now`` (the scheduler does) or use :meth:`tick`."""

    def __init__(self, db: Database, slack: SlackPoster, messages: DigestMessages, *,
                 clock: Callable[[], datetime] = utcnow, pacer: Pacer | None = None, audit: Audit | None = None,
                 owner: str | None = None, page_size: int = 50, lease: timedelta = timedelta(minutes=10)) -> None:
        self.db = db
        self.slack = slack
        self.messages = messages
        self.clock = clock
        self.pacer = pacer or Pacer()
        self.audit = audit
        self.owner = owner or default_owner()
        self.page_size = page_size
        self.lease = lease

    def __call__(self, now: datetime) -> DigestResult:
        result = self.tick(now)
        busy = result.posted or result.failed or result.rate_limited
        log.log(logging.INFO if busy else logging.DEBUG, "digest tick: %s", result.summary())
        return result

    def tick(self, now: datetime | None = None, *, dry_run: bool = False) -> DigestResult:
        """Post every digest due at ``now``: one page (a backlog past it waits for the next tick)."""
        now = now or self.clock()
        result = DigestResult()
        for row in list_due_digests(self.db, now, self.page_size):
            digest = Digest.of(row)
            if dry_run:
                result.planned.append((digest.channel_id, week_key(row.next_due_at, digest.schedule)))
                continue
            limited = result.rate_limited
            try:
                self._one(digest, now, result)
            except Exception:  # one bad row must not stop the others; its claim's lease runs out
                log.exception("digest %s failed; it is retried on a later tick", digest.id)
                result.failed += 1
            if result.rate_limited > limited:
                break  # Slack asked us to slow down: the rest stay due for a later tick
        return result

    def _one(self, digest: Digest, now: datetime, result: DigestResult) -> None:
        due = digest.next_due_at
        assert due is not None
        week = week_key(due, digest.schedule)
        following = next_send(digest.schedule, max(due, now))  # a late catch-up sends once, then moves on
        claim = claim_digest(self.db, digest_id=digest.id, week_key=week, owner=self.owner, now=self.clock(),
                             lease=self.lease)
        if not claim.won:
            if claim.status == "done":
                advance_digest(self.db, digest_id=digest.id, sent_for=due, next_due_at=following)
            result.skipped += 1
            return
        assert claim.ledger_id is not None
        found = credential_cases.expiring(self.db, team_id=digest.team_id, channel_id=digest.channel_id, now=now,
                                          limit=DIGEST_LIMIT)
        sent = self._send(digest.channel_id, self.messages.digest(digest, found, now), result)
        if not sent.ok:
            retry_at = (self.clock() + timedelta(seconds=sent.retry_after) if sent.retry_after is not None
                        else self.clock() + BLOCKED_BACKOFF if sent.blocked else None)
            release_digest(self.db, ledger_id=claim.ledger_id, owner=self.owner, now=self.clock(), error=sent.error,
                           retry_at=retry_at)
            result.failed += 1
            return
        result.posted += 1
        complete_digest(self.db, ledger_id=claim.ledger_id, owner=self.owner, message_ts=sent.ts, now=self.clock(),
                        digest_id=digest.id, sent_for=due, next_due_at=following)
        if self.audit is not None:
            self.audit.record(team_id=digest.team_id, user_id="sso-bot", action="digest.post", outcome="ok",
                              detail=f"channel={digest.channel_id} week={week} expiring={found.expiring}")

    def _send(self, channel: str, message: dict[str, Any], result: DigestResult) -> Posted:
        """One post, paced per channel. A 429 is not waited out here: the claim is given back with a lease
        that ends when Retry-After does (on the ledger's clock), and the tick stops posting."""
        self.pacer.acquire(channel)
        sent = self.slack.post(channel, message)
        if sent.retry_after is not None:
            result.rate_limited += 1
        return sent
