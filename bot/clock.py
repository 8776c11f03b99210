"""Moments in UTC, written once: every aware/naive question and every "YYYY-MM-DD HH:MM UTC" goes here."""

from __future__ import annotations

from datetime import datetime, timezone


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive one is taken to be UTC already (what the database hands back)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def utc_text(moment: datetime, *, suffix: bool = True) -> str:
    """``2027-03-10 09:30 UTC`` (``suffix=False`` leaves out " UTC" for tables headed "(UTC)")."""
    text = aware(moment).strftime("%Y-%m-%d %H:%M")
    return f"{text} UTC" if suffix else text
