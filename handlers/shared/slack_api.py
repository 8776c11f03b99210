"""Slack Web API plumbing every feature shares: reading errors (the code, how long a 429 asks us to wait)
and posting a message as the use cases' ``SlackPoster`` port (``services.ports``)."""

from __future__ import annotations

from typing import Any

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from services.ports import Posted

log = logging.getLogger("sso_bot.slack")


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


# Errors a retry next minute cannot fix: the ledger backs off for an hour instead of hammering Slack.
_BLOCKED = frozenset({"channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "account_inactive",
                      "token_revoked", "missing_scope", "restricted_action", "invalid_blocks", "msg_too_long",
                      "no_permission", "ekm_access_denied", "team_access_not_granted"})
# A Retry-After longer than this is not waited out within a tick: the claim is released until then.
_MAX_RETRY_AFTER = 3600.0


class WebClientPoster:
    """``chat.postMessage`` through a client without slack_sdk's own retries; every failure is an answer."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def post(self, channel: str, message: dict[str, Any]) -> Posted:
        try:
            response = self.client.chat_postMessage(channel=channel, **message)
            return Posted(ts=str(response.get("ts") or ""))
        except SlackApiError as error:
            status = getattr(error.response, "status_code", 0) or 0
            code = error_code(error)
            if status == 429 or code == "ratelimited":
                return Posted(error="ratelimited",
                              retry_after=retry_after(getattr(error.response, "headers", {}), cap=_MAX_RETRY_AFTER))
            if status < 500 and code in _BLOCKED:
                log.warning("cannot post in %s: %s (retrying in an hour)", channel, code)
                return Posted(error=code, blocked=True)
            log.warning("post to %s failed: %s (retrying next tick)", channel, code)
            return Posted(error=code)
        except Exception as error:  # timeouts, refused connections, DNS: all worth a retry
            log.warning("post to %s failed: %s (retrying next tick)", channel, type(error).__name__)
            return Posted(error=type(error).__name__)
