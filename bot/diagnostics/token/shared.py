"""What every part of the token check shares: the clock skew allowed, and how moments and lengths of
time are shown.

Each part emits its findings as ``check_finding("token-...", facts)`` at the place it decides on them;
their titles, details, fix steps and references are the entries of bot/knowledge/data/checks.toml.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

# A generation or issue time this far ahead is the issuer's clock, not the token.
CLOCK_SKEW = timedelta(minutes=5)


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def fmt(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def span(delta: timedelta) -> str:
    """A human length of time: '3 days', '5 hours', '12 minutes' (about N years past 400 days)."""
    seconds = abs(delta.total_seconds())
    days = seconds / 86400
    if days >= 2:
        whole = int(days)
        text = f"{whole:,} days"
        if whole >= 400:
            text += f" (about {days / 365.25:.1f} years)"
        return text
    if seconds >= 7200:
        return f"{int(seconds // 3600)} hours"
    if seconds >= 120:
        return f"{int(seconds // 60)} minutes"
    return f"{int(seconds)} seconds"
