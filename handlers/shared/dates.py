"""Times in Slack messages: ``<!date^…>`` so each reader sees their own time zone.

Slack renders ``<!date^<unix>^<format>|<fallback>>`` in the reader's time zone and shows the
fallback where it cannot (notifications, old clients, exports), so the fallback names UTC.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from bot.clock import aware, utc_text

__all__ = ["slack_date", "slack_time", "slack_day", "localise_times"]


def slack_date(moment: datetime, fmt: str = "{date_long_pretty} {time}") -> str:
    """A date and time, e.g. "Thursday, December 3rd 2026 at 14:05" for a reader in Berlin."""
    return f"<!date^{int(aware(moment).timestamp())}^{fmt}|{utc_text(moment)}>"


def slack_time(moment: datetime) -> str:
    """A short moment for lists and tick lines: "Dec 3, 2026 14:05" in the reader's time zone."""
    return slack_date(moment, "{date_short} {time}")


def slack_day(moment: datetime) -> str:
    """A day only ("Dec 3, 2026"); the fallback keeps the UTC date and time it stands for."""
    return slack_date(moment, "{date_short}")


# A moment as the core writes it in plain text ("2026-11-25 12:00 UTC", seconds optional), alone in a code
# span or in running text; only UTC moments are turned, so a time of unknown zone is never shifted.
_UTC_MOMENT = re.compile(r"`?\b(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))? UTC\b`?")


def localise_times(mrkdwn: str) -> str:
    """``mrkdwn`` with every UTC moment the core wrote shown in the reader's time zone (``slack_time``). A
    moment in a code span leaves the span (Slack does not render a date inside one); one that is not a real
    date (2026-02-31) is left as written."""
    return _UTC_MOMENT.sub(_localised, mrkdwn)


def _localised(match: re.Match[str]) -> str:
    whole = match.group(0)
    if whole.startswith("`") != whole.endswith("`"):  # half a code span: leave the text as it is
        return whole
    year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
    except ValueError:
        return whole
    return slack_time(moment)
