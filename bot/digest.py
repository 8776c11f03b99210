"""The weekly digest as pure policy: when a channel's digest is due, which week a send belongs to, and
how ``/sso digest …`` and ``sso-bot reminders digest …`` spell a schedule.

A digest has a weekday, an hour and an IANA time zone (the person who set it up, or one they named).
:func:`next_send` gives the next such moment in UTC; daylight-saving changes move it with the wall
clock, as a calendar would. Each send carries :func:`week_key`, the ISO week of its local date: the
ledger stores one row per (digest, week), so however many processes tick, and however late a bot that
was down catches up, a channel gets at most one digest a week.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.clock import aware

__all__ = ["WEEKDAYS", "DigestSchedule", "DigestInputError", "parse_digest_schedule", "next_send", "week_key",
           "zone"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_WEEKDAY = 0  # Monday
DEFAULT_HOUR = 9


class DigestInputError(ValueError):
    """A schedule that cannot be read; the message says what to type instead."""


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``UTC`` included); DigestInputError when Python's database lacks it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DigestInputError(f"{name[:40]!r} is not a time zone I know; use an IANA name such as "
                               "Europe/Berlin, America/New_York or UTC.") from None


@dataclass(frozen=True)
class DigestSchedule:
    weekday: int = DEFAULT_WEEKDAY  # 0 Monday … 6 Sunday
    hour: int = DEFAULT_HOUR  # 0 … 23, on the hour
    timezone: str = "UTC"  # an IANA name

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6 or not 0 <= self.hour <= 23:
            raise DigestInputError("The weekday is 0-6 (Monday first) and the hour 0-23.")
        zone(self.timezone)

    def describe(self) -> str:
        """'Mondays at 09:00 (Europe/Berlin)'."""
        return f"{WEEKDAYS[self.weekday].capitalize()}s at {self.hour:02d}:00 ({self.timezone})"


_HOUR_RE = re.compile(r"^(\d{1,2})(?::00)?(am|pm)?$")


def _weekday(word: str) -> int | None:
    word = word.lower().rstrip("s") if len(word) > 3 else word.lower()  # "mondays" reads as "monday"
    for number, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def _hour(word: str) -> int | None:
    match = _HOUR_RE.match(word.lower())
    if not match:
        return None
    hour, half = int(match.group(1)), match.group(2)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    return hour if 0 <= hour <= 23 else None


def parse_digest_schedule(words: list[str], *, default_zone: str = "UTC") -> DigestSchedule:
    """Read ``monday 09:00 Europe/Berlin`` (any order, each part optional: Monday, 09:00 and
    ``default_zone`` otherwise). Hours are whole: ``9``, ``09:00``, ``9am``, ``17``, ``5pm``."""
    weekday = hour = None
    tz = None
    for word in words:
        if (day := _weekday(word)) is not None and weekday is None:
            weekday = day
        elif (at := _hour(word)) is not None and hour is None:
            hour = at
        elif ("/" in word or word.upper() in ("UTC", "GMT")) and tz is None:
            tz = "UTC" if word.upper() in ("UTC", "GMT") else word
        else:
            raise DigestInputError(f"I can't read {word[:40]!r}: give a weekday (monday), a whole hour (09:00, 9am) "
                                   "and optionally a time zone (Europe/Berlin), e.g. `monday 09:00 Europe/Berlin`.")
    return DigestSchedule(weekday=DEFAULT_WEEKDAY if weekday is None else weekday,
                          hour=DEFAULT_HOUR if hour is None else hour, timezone=tz or default_zone)


def next_send(schedule: DigestSchedule, after: datetime) -> datetime:
    """The first moment strictly after ``after`` that is the schedule's weekday and hour in its time zone
    (in UTC). A wall-clock hour that does not exist that day (a spring-forward gap) is read with the
    offset before the change, as Python does: it lands an hour later on that day's wall clock."""
    tz = zone(schedule.timezone)
    local = aware(after).astimezone(tz)
    day = local.date() + timedelta(days=(schedule.weekday - local.weekday()) % 7)
    for _ in range(3):
        candidate = datetime(day.year, day.month, day.day, schedule.hour, tzinfo=tz).astimezone(timezone.utc)
        if candidate > aware(after):
            return candidate
        day += timedelta(days=7)
    raise AssertionError("unreachable: a week later is always after")


def week_key(moment: datetime, schedule: DigestSchedule) -> str:
    """``2026-W49``: the ISO week of ``moment``'s local date, the ledger key of the send due then."""
    year, week, _ = aware(moment).astimezone(zone(schedule.timezone)).isocalendar()
    return f"{year}-W{week:02d}"
