"""Expiry reminders as pure policy: bands, the schedule, what is due at ``now``.

Nothing here talks to Slack or a database. The poster (``services.reminders``)
asks this module three questions about one tracked credential and stores the answers:

* :func:`due_at`: is a reminder due now, under which ledger key, in which band, and
  does it carry the 401-recovery thread?
* :func:`next_check`: the earliest moment anything can become due (the indexed
  ``next_due_at`` column), so a tick with nothing due reads no row.
* :func:`band_of`: yellow under 30 days, red under 7, expired at or past the expiry
  (the same bands as the platform's SSO & Provisioning page).

The default schedule posts 30, 7 and 1 day before the expiry, at the expiry, daily
for the first week after it and weekly after that until the credential is renewed
or no longer tracked. **Catch-up rule:** only the latest occurrence at or before
``now`` is ever due, so a bot that was down for days posts one reminder for the
current band, not a burst of stale ones.

Each reminder has a ledger key, ``<generation>:<expiry>:<occurrence>``: unique per
credential, so a renewal (a new generation) starts a fresh series and a key, once
posted, is never posted again.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Iterator

from bot.clock import aware

__all__ = [
    "Band", "Schedule", "Occurrence", "ReminderState", "Due",
    "DEFAULT_SCHEDULE_TEXT", "WARN_DAYS", "FAIL_DAYS", "SNOOZE",
    "parse_schedule", "band_of", "occurrences", "latest_occurrence", "due_at", "next_check",
    "time_left", "days_left", "reminder_key", "notice_key", "SnoozeChoice", "snooze_end", "MAX_SNOOZE",
]

WARN_DAYS = 30
FAIL_DAYS = 7
SNOOZE = timedelta(days=1)
MAX_SNOOZE = timedelta(days=90)
SNOOZE_RESUME = time(9, 0)  # a snooze "until a date" ends at 09:00 that day in the reader's time zone
DEFAULT_SCHEDULE_TEXT = "30,7,1,0,daily:7,weekly"
_DAY = timedelta(days=1)


class Band(StrEnum):
    OK = "ok"
    YELLOW = "yellow"
    RED = "red"
    EXPIRED = "expired"

    @property
    def rank(self) -> int:
        return {"ok": 0, "yellow": 1, "red": 2, "expired": 3}[self.value]


def band_of(expires_at: datetime, now: datetime) -> Band:
    """The colour of a credential at ``now``: expired at or past the expiry, red under
    7 days left, yellow under 30, otherwise fine."""
    left = aware(expires_at) - aware(now)
    if left <= timedelta(0):
        return Band.EXPIRED
    if left < timedelta(days=FAIL_DAYS):
        return Band.RED
    if left < timedelta(days=WARN_DAYS):
        return Band.YELLOW
    return Band.OK


def days_left(expires_at: datetime, now: datetime) -> int:
    """Whole days left (negative once expired: -1 the day after, and so on)."""
    left = aware(expires_at) - aware(now)
    return math.floor(left.total_seconds() / 86400)


def time_left(expires_at: datetime, now: datetime) -> str:
    """A short human phrase: 'in 5 days', 'in 3 hours', 'today', '2 days ago'."""
    seconds = (aware(expires_at) - aware(now)).total_seconds()
    ahead = seconds > 0
    seconds = abs(seconds)
    if seconds >= 2 * 86400:
        span = f"{int(seconds // 86400)} days"
    elif seconds >= 86400:
        hours = int((seconds - 86400) // 3600)
        span = "1 day" + (f" {hours} hour{'s' if hours != 1 else ''}" if hours else "")
    elif seconds >= 7200:
        span = f"{int(seconds // 3600)} hours"
    elif seconds >= 120:
        span = f"{int(seconds // 60)} minutes"
    else:
        return "just now" if not ahead else "in under 2 minutes"
    return f"in {span}" if ahead else f"{span} ago"


# --------------------------------------------------------------------------- snoozing


class SnoozeChoice(StrEnum):
    DAY = "day"
    WEEK = "week"


def snooze_end(choice: SnoozeChoice | date, now: datetime, expires_at: datetime, tz: tzinfo | None = None) -> datetime:
    """When a snooze chosen at ``now`` ends: a day or a week on, or 09:00 on the date picked (in ``tz``,
    the reader's time zone; UTC when unknown).

    A snooze never outlasts the expiry of a credential that has not expired yet: it ends at the expiry,
    so the reminder that says "expired" always comes on time. Raises ``ValueError`` with a sentence for
    a date that is not in the future or more than 90 days away.
    """
    now = aware(now)
    if isinstance(choice, date) and not isinstance(choice, datetime):
        end = datetime.combine(choice, SNOOZE_RESUME, tzinfo=tz or aware(now).tzinfo)
        if end <= now:
            raise ValueError("Pick a date after today: the snooze has to end in the future.")
    else:
        end = now + (timedelta(weeks=1) if SnoozeChoice(choice) is SnoozeChoice.WEEK else SNOOZE)
    if end - now > MAX_SNOOZE:
        raise ValueError(f"Snooze for at most {MAX_SNOOZE.days} days; to stop reminders for good, stop tracking it.")
    expires = aware(expires_at)
    return min(end, expires) if now < expires else end


# --------------------------------------------------------------------------- the schedule


@dataclass(frozen=True)
class Schedule:
    """When to remind, relative to the expiry.

    ``days_before``: days before the expiry (0 is the moment of expiry), largest first.
    ``daily_after``: after the expiry, one reminder a day for this many days.
    ``weekly``: after that, one a week until renewed or untracked.
    """

    days_before: tuple[int, ...] = (30, 7, 1, 0)
    daily_after: int = 7
    weekly: bool = True

    def describe(self) -> str:
        parts = [("at expiry" if d == 0 else f"{d} day{'s' if d != 1 else ''} before") for d in self.days_before]
        if self.daily_after:
            parts.append(f"daily for {self.daily_after} day{'s' if self.daily_after != 1 else ''} after")
        if self.weekly:
            parts.append("then weekly until renewed")
        return ", ".join(parts)


_TOKEN_RE = re.compile(r"^(?:(\d{1,4})|daily:(\d{1,3})|weekly)$")


def parse_schedule(text: str) -> Schedule:
    """Read a schedule like ``30,7,1,0,daily:7,weekly`` (the default).

    Whole numbers are days before the expiry (0 = at the expiry); ``daily:N`` posts
    every day for N days after the expiry; ``weekly`` then posts every 7 days until the
    credential is renewed. Raises ``ValueError`` with a one-line message.
    """
    before: set[int] = set()
    daily = 0
    weekly = False
    items = [item.strip().lower() for item in text.replace(";", ",").split(",") if item.strip()]
    if not items:
        raise ValueError("the reminder schedule is empty; the default is " + DEFAULT_SCHEDULE_TEXT)
    for item in items:
        match = _TOKEN_RE.match(item)
        if not match:
            raise ValueError(f"unknown reminder schedule item {item!r}; use days before expiry (30,7,1,0), "
                             f"daily:N and weekly, e.g. {DEFAULT_SCHEDULE_TEXT}")
        if match.group(1) is not None:
            days = int(match.group(1))
            if days > 3650:
                raise ValueError(f"reminder schedule item {item!r} is more than 10 years before the expiry")
            before.add(days)
        elif match.group(2) is not None:
            daily = int(match.group(2))
        else:
            weekly = True
    return Schedule(days_before=tuple(sorted(before, reverse=True)), daily_after=daily, weekly=weekly)


@dataclass(frozen=True)
class Occurrence:
    """One scheduled reminder moment. ``name`` is stable ('d-30', 'expiry', 'd+1', 'd+14')."""

    at: datetime
    days: int  # days relative to the expiry: -30 before, 0 at, +14 after

    @property
    def name(self) -> str:
        return "expiry" if self.days == 0 else f"d{self.days:+d}"

    @property
    def band(self) -> Band:
        """The band this occurrence announces: the 30-day reminder is yellow and the 7-day one red,
        although at that very instant exactly 30 (or 7) days are left."""
        if self.days >= 0:
            return Band.EXPIRED
        if -self.days <= FAIL_DAYS:
            return Band.RED
        if -self.days <= WARN_DAYS:
            return Band.YELLOW
        return Band.OK


def occurrences(expires_at: datetime, schedule: Schedule) -> Iterator[Occurrence]:
    """Every occurrence in time order. Infinite when the schedule is weekly."""
    expires = aware(expires_at)
    for days in sorted(set(schedule.days_before), reverse=True):
        yield Occurrence(expires - days * _DAY, -days)
    for day in range(1, schedule.daily_after + 1):
        yield Occurrence(expires + day * _DAY, day)
    if schedule.weekly:
        day = (schedule.daily_after // 7 + 1) * 7
        while True:
            yield Occurrence(expires + day * _DAY, day)
            day += 7


def latest_occurrence(expires_at: datetime, now: datetime, schedule: Schedule) -> Occurrence | None:
    """The last occurrence at or before ``now`` (None before the first one). Constant time."""
    now = aware(now)
    expires = aware(expires_at)
    latest: Occurrence | None = None
    for days in sorted(set(schedule.days_before), reverse=True):
        if expires - days * _DAY <= now:
            latest = Occurrence(expires - days * _DAY, -days)
    if now <= expires:
        return latest
    elapsed = math.floor((now - expires) / _DAY)  # whole days since the expiry
    if elapsed >= 1 and schedule.daily_after:
        day = min(elapsed, schedule.daily_after)
        latest = Occurrence(expires + day * _DAY, day)
    if schedule.weekly:
        first = (schedule.daily_after // 7 + 1) * 7
        if elapsed >= first:
            day = first + ((elapsed - first) // 7) * 7
            latest = Occurrence(expires + day * _DAY, day)
    return latest


def _first_after(expires_at: datetime, moment: datetime | None, schedule: Schedule) -> Occurrence | None:
    """The first occurrence strictly after ``moment`` (the very first when ``moment`` is None). Constant time."""
    expires = aware(expires_at)
    if moment is None:
        return next(occurrences(expires, schedule), None)
    moment = aware(moment)
    for days in sorted(set(schedule.days_before), reverse=True):
        if expires - days * _DAY > moment:
            return Occurrence(expires - days * _DAY, -days)
    # Days after the expiry: the smallest whole d >= 1 with expires + d days > moment.
    d = max(1, math.floor((moment - expires) / _DAY) + 1)
    if d <= schedule.daily_after:
        return Occurrence(expires + d * _DAY, d)
    if schedule.weekly:
        first = (schedule.daily_after // 7 + 1) * 7
        day = first if d <= first else first + math.ceil((d - first) / 7) * 7
        return Occurrence(expires + day * _DAY, day)
    return None


# --------------------------------------------------------------------------- what is due


@dataclass(frozen=True)
class ReminderState:
    """What the policy needs to know about one tracked credential."""

    expires_at: datetime
    generation: int = 1
    last_sent_at: datetime | None = None  # the scheduled moment the last posted reminder covered
    snoozed_until: datetime | None = None


@dataclass(frozen=True)
class Due:
    key: str  # the ledger key: posted at most once per credential
    band: Band  # the colour to show: now's band, or the occurrence's when that is worse
    occurrence: str  # 'd-7', 'expiry', 'd+14' or 'snooze'
    covers_until: datetime  # store as last_sent_at once posted
    with_recovery: bool  # the first reminder at or after the expiry: post the recovery steps in its thread
    snooze: bool = False


def _compact(moment: datetime) -> str:
    return aware(moment).strftime("%Y%m%dT%H%M%SZ")


def reminder_key(state: ReminderState, occurrence: str) -> str:
    return f"{state.generation}:{_compact(state.expires_at)}:{occurrence}"


def notice_key(generation: int) -> str:
    """The ledger key of the 'resolved' reply posted when generation ``generation`` is renewed."""
    return f"{generation}:resolved"


def _snooze_pending(state: ReminderState) -> bool:
    return state.snoozed_until is not None and (state.last_sent_at is None or
                                                aware(state.snoozed_until) > aware(state.last_sent_at))


def due_at(state: ReminderState, now: datetime, schedule: Schedule) -> Due | None:
    """The one reminder due at ``now``, or None.

    Only the latest occurrence at or before ``now`` can be due (catch-up rule), and only
    when it is later than what the last posted reminder covered. While a snooze is
    pending nothing is due until it ends; then one reminder posts and covers whatever
    fell inside the snooze.
    """
    now = aware(now)
    expires = aware(state.expires_at)
    band = band_of(expires, now)
    last = aware(state.last_sent_at) if state.last_sent_at is not None else None
    first_after_expiry = band is Band.EXPIRED and (last is None or last < expires)
    latest = latest_occurrence(expires, now, schedule)
    if _snooze_pending(state):
        until = aware(state.snoozed_until)  # type: ignore[arg-type]
        if now < until:
            return None
        covers = max(until, latest.at) if latest is not None else until
        return Due(key=reminder_key(state, f"snooze-{_compact(until)}"), band=band, occurrence="snooze",
                   covers_until=covers, with_recovery=first_after_expiry, snooze=True)
    if latest is None or (last is not None and latest.at <= last):
        return None
    if latest.band.rank > band.rank:
        band = latest.band
    return Due(key=reminder_key(state, latest.name), band=band, occurrence=latest.name,
               covers_until=latest.at, with_recovery=first_after_expiry)


def next_check(state: ReminderState, schedule: Schedule) -> datetime | None:
    """The earliest moment :func:`due_at` can return something: the ``next_due_at`` to index.

    It does not depend on ``now``: it is the pending snooze's end, else the first
    occurrence after what was last covered. None when nothing will ever be due.
    """
    if _snooze_pending(state):
        return aware(state.snoozed_until)  # type: ignore[arg-type]
    occ = _first_after(state.expires_at, state.last_sent_at, schedule)
    return occ.at if occ is not None else None
