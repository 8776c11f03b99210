"""Post due expiry reminders into Slack: exactly once, paced, resumable.

One tick (``ReminderPoster.tick``, the scheduler job inside ``sso-bot serve`` and the
body of ``sso-bot reminders run-once``):

1. reads due credentials a page at a time (``next_due_at <= now`` through its index;
   keyset paging, at most ``max_pending`` rows in memory however many are due);
2. for each, asks the policy (``bot.reminders.due_at``) which reminder is due;
3. claims it in the ledger, posts it, and records it (see ``storage.credentials``);
   a claim someone else holds, or a reminder already posted, is skipped;
4. paces posts to one message per ``pace`` seconds per channel (Slack allows about one a
   second per channel), serving whichever channel is ready first rather than waiting on
   one; the clock and the sleep are injectable, so tests never sleep.

Failures: a Slack 5xx, a timeout or a network error releases the claim and the next tick
retries. A 429 pauses all posting for its Retry-After, then retries (up to
``max_in_tick_wait`` seconds; longer, the claim is released with a lease that ends
when Retry-After does, so no process retries early). Errors that a retry cannot fix
(``channel_not_found``, ``not_in_channel`` …) back off for an hour.

The one gap no ledger closes: a process killed after Slack accepted a message but
before the ledger row was written (milliseconds) leaves a claim whose lease runs out,
and the reminder is posted again. A timed-out post that Slack did accept is the same.
"""

from __future__ import annotations

import heapq
import logging
import os
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Callable, Protocol

from bot.reminders import Band, Due, ReminderState, Schedule, due_at, next_check
from services.credentials import Tracked
from services.digests import absorbs_yellow
from services.pacing import BLOCKED_BACKOFF, Pacer, default_owner
from services.ports import Audit, Posted, SlackPoster
from storage import Database
from storage.credentials import (claim_reminder, complete_notice, complete_reminder, drop_notice, get_credential,
                                 list_due_credentials, mark_posted, release_reminder, set_next_due)
from storage.models import Credential
from storage.types import utcnow

log = logging.getLogger("sso_bot.reminders")



class ReminderMessages(Protocol):
    """The three messages a reminder tick posts, as ``chat.postMessage`` arguments (handlers/credentials)."""

    def reminder(self, cred: Tracked, now: datetime, *, with_recovery: bool, band: Band) -> dict[str, Any]: ...

    def recovery(self, cred: Tracked, now: datetime) -> dict[str, Any]: ...

    def resolved(self, cred: Tracked) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Planned:
    """A reminder a dry run would post."""

    credential_id: int
    label: str
    channel_id: str
    key: str
    band: str
    with_recovery: bool
    notice: bool = False


@dataclass
class TickResult:
    posted: int = 0  # reminder messages
    threads: int = 0  # recovery steps posted in a reminder's thread
    notices: int = 0  # 'resolved' replies
    skipped: int = 0  # posted or held by another process, or renewed meanwhile
    failed: int = 0  # released, to retry on a later tick
    rate_limited: int = 0  # 429 answers seen
    considered: int = 0  # due rows read
    max_in_memory: int = 0  # most due rows held at once
    deferred: int = 0  # left for the next tick when the time budget ran out (at least this many)
    digested: int = 0  # yellow reminders left to their channel's weekly digest (recorded, not posted)
    planned: list[Planned] = field(default_factory=list)

    def summary(self) -> str:
        digested = f", {self.digested} left to weekly digests" if self.digested else ""
        deferred = f", {self.deferred}+ left for the next tick" if self.deferred else ""
        return (f"posted {self.posted} reminder(s), {self.threads} recovery thread(s), {self.notices} resolved "
                f"reply(ies){digested}; {self.skipped} skipped, {self.failed} to retry, {self.rate_limited} "
                f"rate-limited ({self.considered} due read{deferred})")


class ReminderPoster:
    """The reminder job. Call it with ``now`` (the scheduler does) or use :meth:`tick`."""

    def __init__(self, db: Database, slack: SlackPoster, messages: ReminderMessages, schedule: Schedule, *,
                 clock: Callable[[], datetime] = utcnow, pacer: Pacer | None = None, audit: Audit | None = None,
                 owner: str | None = None, page_size: int = 100, max_pending: int = 300,
                 lease: timedelta = timedelta(minutes=10), max_in_tick_wait: float = 30.0,
                 attempts_per_tick: int = 3, tick_budget: float | None = 50.0) -> None:
        self.db = db
        self.slack = slack
        self.messages = messages
        self.schedule = schedule
        self.clock = clock
        self.pacer = pacer or Pacer()
        self.audit = audit
        self.owner = owner or default_owner()
        self.page_size = page_size
        self.max_pending = max(page_size, max_pending)
        self.lease = lease
        self.max_in_tick_wait = max_in_tick_wait
        self.attempts_per_tick = attempts_per_tick
        self.tick_budget = tick_budget
        self._digest_channels: dict[tuple[str, str], bool] = {}  # per tick: is the channel's digest on?

    def __call__(self, now: datetime) -> TickResult:
        result = self.tick(now, budget=self.tick_budget)
        busy = result.posted or result.failed or result.notices or result.rate_limited or result.skipped
        log.log(logging.INFO if busy else logging.DEBUG, "reminder tick: %s", result.summary())
        return result

    # -- the tick ------------------------------------------------------------
    def tick(self, now: datetime | None = None, *, limit: int | None = None, dry_run: bool = False,
             budget: float | None = None) -> TickResult:
        """Post everything due at ``now`` (default: the clock). ``limit`` caps the due rows read;
        ``budget`` (seconds) stops starting new posts after that long, so a backlog does not hold the
        scheduler's other jobs (what is left is still due next tick); ``dry_run`` claims and posts
        nothing and lists what would be posted in ``planned``."""
        now = now or self.clock()
        result = TickResult()
        self._digest_channels = {}  # asked once per channel per tick
        started = self.pacer.monotonic()
        heap: list[tuple[float, int, Credential]] = []
        cursor: tuple[datetime, int] | None = None
        exhausted = False
        seq = 0
        while True:
            # Refill: keep a bounded window of due rows, so the next ready channel is always at hand.
            while not exhausted and len(heap) < self.max_pending and (limit is None or result.considered < limit):
                size = self.page_size if limit is None else min(self.page_size, limit - result.considered)
                page = list_due_credentials(self.db, now, size, after=cursor)
                if len(page) < size:
                    exhausted = True
                if not page:
                    break
                cursor = (page[-1].next_due_at, page[-1].id)  # type: ignore[assignment]
                result.considered += len(page)
                for row in page:
                    seq += 1
                    heapq.heappush(heap, (self.pacer.ready_at(row.channel_id), seq, row))
                result.max_in_memory = max(result.max_in_memory, len(heap))
            if not heap:
                break
            if budget is not None and self.pacer.monotonic() - started >= budget:
                result.deferred = len(heap) + (0 if exhausted else 1)
                break
            ready, order, row = heapq.heappop(heap)
            current = self.pacer.ready_at(row.channel_id)
            if current > ready and not dry_run:
                heapq.heappush(heap, (current, order, row))  # its channel was used meanwhile
                continue
            try:
                if dry_run:
                    self._plan(row, now, result)
                else:
                    self._process(row, now, result)
            except Exception:  # one bad row must not stop the others; its claim's lease runs out
                log.exception("reminder for credential %s failed; it is retried on a later tick", row.id)
                result.failed += 1
        return result

    def post_notice_now(self, credential_id: int) -> TickResult:
        """Post a queued 'resolved' reply right away (after "Mark renewed"), through the ledger."""
        result = TickResult()
        row = get_credential(self.db, credential_id)
        if row is not None and row.active and row.notice_key:
            self._notice(row, result)
        return result

    # -- one credential -------------------------------------------------------
    @staticmethod
    def _state(row: Credential) -> ReminderState:
        return ReminderState(expires_at=row.expires_at, generation=row.generation, last_sent_at=row.last_sent_at,
                             snoozed_until=row.snoozed_until)

    def _plan(self, row: Credential, now: datetime, result: TickResult) -> None:
        if row.notice_key:
            result.planned.append(Planned(row.id, row.label, row.notice_channel, row.notice_key, "resolved",
                                          False, notice=True))
        due = due_at(self._state(row), now, self.schedule)
        if due is not None:
            band = "yellow, left to the weekly digest" if self._digested(row, due) else due.band.value
            result.planned.append(Planned(row.id, row.label, row.channel_id, due.key, band, due.with_recovery))

    def _process(self, row: Credential, now: datetime, result: TickResult) -> None:
        if row.notice_key:
            self._notice(row, result)
        state = self._state(row)
        due = due_at(state, now, self.schedule)
        if due is None:
            # Nothing due after all (e.g. the notice was all there was): index the next moment.
            set_next_due(self.db, row.id, generation=row.generation, next_due_at=next_check(state, self.schedule))
            return
        claim = claim_reminder(self.db, credential_id=row.id, key=due.key, generation=row.generation,
                               owner=self.owner, now=self.clock(), lease=self.lease)
        if not claim.won:
            result.skipped += 1
            return
        assert claim.ledger_id is not None
        channel = row.channel_id
        ts = claim.message_ts
        if claim.status == "pending" and self._digested(row, due):
            # Recorded as covered without a post: the channel's weekly digest lists it. The credential keeps
            # the thread of its last posted reminder (for the 'resolved' reply after a renewal).
            channel, ts = row.thread_channel or channel, row.thread_ts
            result.digested += 1
            self._audit(row, "reminder.digest", due.band.value, due.key)
        elif claim.status == "pending":
            message = self.messages.reminder(Tracked.of(row), now, with_recovery=due.with_recovery, band=due.band)
            sent = self._send(channel, message, result)
            if not sent.ok:
                self._release(claim.ledger_id, sent, result, row.id)
                return
            ts = sent.ts
            result.posted += 1
            self._audit(row, "reminder.post", due.band.value, due.key)
            if due.with_recovery:
                mark_posted(self.db, ledger_id=claim.ledger_id, owner=self.owner, channel_id=channel, message_ts=ts,
                            now=self.clock(), credential_id=row.id, generation=row.generation)
        else:
            channel = claim.channel_id or channel
        if due.with_recovery:
            sent = self._send(channel, {**self.messages.recovery(Tracked.of(row), now), "thread_ts": ts}, result)
            if not sent.ok:
                self._release(claim.ledger_id, sent, result, row.id)
                return
            result.threads += 1
        covered = replace(state, last_sent_at=due.covers_until,
                          snoozed_until=None if due.snooze else state.snoozed_until)
        if not complete_reminder(self.db, ledger_id=claim.ledger_id, owner=self.owner, channel_id=channel,
                                 message_ts=ts, now=self.clock(), credential_id=row.id, generation=row.generation,
                                 last_sent_at=due.covers_until, next_due_at=next_check(covered, self.schedule),
                                 snooze=due.snooze):
            log.warning("reminder %s for credential %s: lease lost while posting (a slow post); "
                        "another process may post it too", due.key, row.id)

    def _digested(self, row: Credential, due: Due) -> bool:
        """A yellow reminder (no recovery thread) in a channel whose weekly digest is on is left to the
        digest; red, expired and the recovery thread always post at once."""
        if due.band is not Band.YELLOW or due.with_recovery:
            return False
        key = (row.team_id, row.channel_id)
        if key not in self._digest_channels:
            self._digest_channels[key] = absorbs_yellow(self.db, row.team_id, row.channel_id)
        return self._digest_channels[key]

    def _notice(self, row: Credential, result: TickResult) -> None:
        key = row.notice_key
        claim = claim_reminder(self.db, credential_id=row.id, key=key, generation=None, owner=self.owner,
                               now=self.clock(), lease=self.lease)
        state = self._state(row)
        if not claim.won:
            if claim.status == "done":
                drop_notice(self.db, credential_id=row.id, notice_key=key, next_due_at=next_check(state, self.schedule))
            result.skipped += 1
            return
        assert claim.ledger_id is not None
        sent = self._send(row.notice_channel, {**self.messages.resolved(Tracked.of(row)), "thread_ts": row.notice_ts}, result)
        if not sent.ok:
            self._release(claim.ledger_id, sent, result, row.id)
            return
        result.notices += 1
        complete_notice(self.db, ledger_id=claim.ledger_id, owner=self.owner, message_ts=sent.ts, now=self.clock(),
                        credential_id=row.id, notice_key=key, next_due_at=next_check(state, self.schedule))

    # -- Slack ------------------------------------------------------------------
    def _send(self, channel: str, message: dict[str, Any], result: TickResult) -> Posted:
        """Post with pacing; a 429 pauses every channel for Retry-After and retries, within limits."""
        waited = 0.0
        for attempt in range(1, self.attempts_per_tick + 1):
            self.pacer.acquire(channel)
            sent = self.slack.post(channel, message)
            if sent.retry_after is None:
                return sent
            result.rate_limited += 1
            self.pacer.pause(sent.retry_after)
            waited += sent.retry_after
            if waited > self.max_in_tick_wait or attempt == self.attempts_per_tick:
                return sent
            log.info("Slack asked us to slow down (429); retrying in %.0f s", sent.retry_after)
        return Posted(error="rate_limited")  # not reached

    def _release(self, ledger_id: int, sent: Posted, result: TickResult, credential_id: int) -> None:
        now = self.clock()
        retry_at = None
        if sent.retry_after is not None:
            retry_at = now + timedelta(seconds=sent.retry_after)
        elif sent.blocked:
            retry_at = now + BLOCKED_BACKOFF
        release_reminder(self.db, ledger_id=ledger_id, owner=self.owner, now=now, error=sent.error, retry_at=retry_at)
        result.failed += 1

    def _audit(self, row: Credential, action: str, outcome: str, detail: str) -> None:
        if self.audit is not None:
            self.audit.record(team_id=row.team_id, user_id="sso-bot", action=action, input_kinds=(row.kind,),
                              outcome=outcome, detail=f"credential={row.id} key={detail}")
