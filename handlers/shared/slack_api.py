"""Reading Slack Web API errors: the error code, and how long a 429 asks us to wait."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError


def error_code(error: SlackApiError) -> str:
    """Slack's error code (``channel_not_found`` …), or ``http_<status>`` when the body names none."""
    response = error.response
    data = response.data if isinstance(getattr(response, "data", None), dict) else {}
    return str(data.get("error") or f"http_{getattr(response, 'status_code', 0) or 0}")


def retry_after(headers: Any, *, cap: float) -> float:
    """Seconds from a Retry-After header (Slack sends whole seconds), between 0 and ``cap``; 1 s when
    missing or odd."""
    value = None
    try:
        for key, raw in dict(headers or {}).items():
            if str(key).lower() == "retry-after":
                value = raw[0] if isinstance(raw, list) else raw
                break
        seconds = float(value) if value is not None else 1.0
    except (TypeError, ValueError):
        seconds = 1.0
    return min(max(seconds, 0.0), cap)


def rate_limit_wait(error: SlackApiError, *, cap: float) -> float | None:
    """How long a rate-limited call asks us to wait (see :func:`retry_after`), or None if it was not a 429."""
    response = error.response
    if getattr(response, "status_code", None) != 429:
        return None
    return retry_after(getattr(response, "headers", None), cap=cap)
