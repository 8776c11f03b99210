"""People's names for plain text that Slack does not render (a checklist export pasted into a ticket):
``users.info``, cached, and the user id itself whenever Slack cannot say.

In messages Slack renders ``<@U…>`` as the name itself, so only text that leaves Slack needs this.
"""

from __future__ import annotations

import logging
import time
from typing import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.shared.ttl_cache import TtlCache

log = logging.getLogger("sso_bot.names")

__all__ = ["UserNames"]


class UserNames:
    """A small time-limited cache of display names by user id. Failed look-ups are not cached (a Slack
    hiccup should not leave ids in exports for an hour); ids that are not Slack user ids (``cli:root``)
    are returned as they are, with no call."""

    def __init__(self, ttl: float = 3600.0, limit: int = 5000,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._cache: TtlCache[str, str] = TtlCache(ttl, limit=limit, monotonic=monotonic)

    def resolver(self, client: WebClient) -> Callable[[str], str]:
        """A one-argument function for the core's text builders (``bot.checklists.export_text``)."""
        return lambda user_id: self.name(client, user_id)

    def name(self, client: WebClient, user_id: str) -> str:
        if not user_id or user_id[0] not in "UW" or not user_id.isalnum():
            return user_id or "-"
        hit = self._cache.get(user_id)
        if hit is not None:
            return hit
        try:
            user = client.users_info(user=user_id).get("user") or {}
        except SlackApiError as error:
            log.info("users.info failed for %s: %s; the export shows the id", user_id, error.response.get("error"))
            return user_id
        name = _display(user) or user_id
        self._cache.put(user_id, name)
        return name


def _display(user: dict) -> str:
    """What Slack shows for a person: the display name, else the full name, else the handle."""
    profile = user.get("profile") or {}
    for value in (profile.get("display_name"), profile.get("real_name"), user.get("real_name"), user.get("name")):
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:80]
    return ""
