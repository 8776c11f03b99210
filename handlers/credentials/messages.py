"""The reminder use case's two Slack ports (``services.reminders``): posting with a ``WebClient``, and
the messages drawn with this feature's views plus the buttons other features add (``hooks.reminder_actions``)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.reminders import Band
from handlers.credentials.views import recovery_message, reminder_message, resolved_message
from handlers.shared.hooks import Hooks
from handlers.shared.slack_api import error_code, retry_after
from services.credentials import Tracked
from services.ports import Posted

log = logging.getLogger("sso_bot.reminders")

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
                log.warning("cannot post a reminder in %s: %s (retrying in an hour)", channel, code)
                return Posted(error=code, blocked=True)
            log.warning("reminder post to %s failed: %s (retrying next tick)", channel, code)
            return Posted(error=code)
        except Exception as error:  # timeouts, refused connections, DNS: all worth a retry
            log.warning("reminder post to %s failed: %s (retrying next tick)", channel, type(error).__name__)
            return Posted(error=type(error).__name__)


class SlackMessages:
    def __init__(self, hooks: Hooks) -> None:
        self.hooks = hooks

    def reminder(self, cred: Tracked, now: datetime, *, with_recovery: bool, band: Band) -> dict[str, Any]:
        extra = self.hooks.buttons_for_reminder(cred.kind, cred.idp)
        return reminder_message(cred, now, with_recovery=with_recovery, band=band, extra_buttons=extra)

    def recovery(self, cred: Tracked, now: datetime) -> dict[str, Any]:
        return recovery_message(cred, now)

    def resolved(self, cred: Tracked) -> dict[str, Any]:
        return resolved_message(cred)
