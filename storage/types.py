"""Column types shared by the tables."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python.

    SQLite has no time zones, so values are stored as naive UTC and given their
    zone back on the way out; PostgreSQL stores ``timestamptz``. Naive values
    are refused on the way in: a naive datetime is a bug waiting to happen.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use datetime.now(timezone.utc)")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def require_sealed(report: Any) -> Any:
    """``report`` if it went through the redaction boundary (``bot.redaction.SafeReport``); a TypeError
    otherwise. Storage may not import the core, so the check reads the marker only a SafeReport carries."""
    if getattr(type(report), "sealed", False) is not True:
        raise TypeError(f"only a sealed report may be stored, not {type(report).__name__}: pass it through "
                        "bot.checks.run_check (or bot.redaction.seal) first")
    return report
