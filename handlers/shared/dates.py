"""Times in Slack messages: ``<!date^…>`` so each reader sees their own time zone.

Slack renders ``<!date^<unix>^<format>|<fallback>>`` in the reader's time zone and shows the
fallback where it cannot (notifications, old clients, exports), so the fallback names UTC.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import aware, utc_text

__all__ = ["slack_date", "slack_time", "slack_day"]


def slack_date(moment: datetime, fmt: str = "{date_long_pretty} {time}") -> str:
    """A date and time, e.g. "Thursday, December 3rd 2026 at 14:05" for a reader in Berlin."""
    return f"<!date^{int(aware(moment).timestamp())}^{fmt}|{utc_text(moment)}>"


def slack_time(moment: datetime) -> str:
    """A short moment for lists and tick lines: "Dec 3, 2026 14:05" in the reader's time zone."""
    return slack_date(moment, "{date_short} {time}")


def slack_day(moment: datetime) -> str:
    """A day only ("Dec 3, 2026"); the fallback keeps the UTC date and time it stands for."""
    return slack_date(moment, "{date_short}")
