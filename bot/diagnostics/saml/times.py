"""Times in a SAML Response: reading xs:dateTime values, showing moments and spans, and the finding
for a time that cannot be read (the conditions and the bearer confirmation both have one)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from bot.diagnostics.explain import check_finding
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import clip, present

# xs:dateTime as SAML uses it (Core §1.3.3: UTC, usually with a Z).
_DATETIME_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,12}))?(Z|[+-]\d{2}:?\d{2})?\s*$"
)


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive one is taken to be UTC already."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def fmt(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def span(delta: timedelta) -> str:
    """How long, in at most two units: '4 minutes 10 seconds', '3 days 2 hours', '12 years'."""
    seconds = int(abs(delta.total_seconds()))
    units = (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
    parts: list[str] = []
    for name, size in units:
        if seconds >= size or (name == "second" and not parts):
            count, seconds = divmod(seconds, size)
            parts.append(f"{count} {name}{'s' if count != 1 else ''}")
            if len(parts) == 2 or name == "year":
                break
        elif parts:
            break
    return " ".join(parts)


def parse_time(value: str | None) -> datetime | None:
    """An xs:dateTime as an aware UTC datetime; None when absent or unreadable (a leap second reads as :59)."""
    if value is None:
        return None
    match = _DATETIME_RE.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), min(int(second), 59),
                          int((fraction or "0")[:6].ljust(6, "0")), tzinfo=timezone.utc)
        if zone and zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    except (ValueError, OverflowError):
        return None
    return moment


def bad_times(reading: Reading, items: Iterable[tuple[str, str | None, datetime | None]]) -> None:
    """Add one finding naming every (name, raw value, parsed) that was given but could not be read."""
    bad = [f"{name}={clip(raw, 40)!r}" for name, raw, parsed in items if raw is not None and parsed is None]
    if bad:
        reading.add(check_finding(
            "saml-bad-timestamp", present({"values": clip("; ".join(bad), 300)}), values={"bad": "; ".join(bad)},
        ))
