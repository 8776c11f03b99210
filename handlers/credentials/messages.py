"""The reminder and digest use cases' messages (``services.reminders``; posting is ``handlers.shared.slack_api.WebClientPoster``):
drawn with this feature's views plus the buttons other features add (``hooks.reminder_actions``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.reminders import Band
from handlers.credentials.views import recovery_message, reminder_message, resolved_message
from handlers.shared.hooks import Hooks
from handlers.credentials.lists import digest_message
from services.credentials import Expiring, Tracked
from services.digests import Digest


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


class SlackDigestMessages:
    """The weekly digest's message (``services.digests.DigestPoster``)."""

    def digest(self, digest: Digest, found: Expiring, now: datetime) -> dict[str, Any]:
        return digest_message(digest, found, now)
