"""App Home: publish the Home tab when a user opens it.

Features add their own part of the Home tab (tracked credentials, open
checklists) with ``HomeSections.add``: a function of (team_id, user_id) that
returns blocks. The tab is re-published by ``publish_home`` after a change.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from handlers.router.commands import Router
from handlers.shared.payload import team_id as team_of
from handlers.home.views import render_home

log = logging.getLogger("sso_bot.home")

SectionProvider = Callable[[str, str], list[Block]]


class HomeSections:
    def __init__(self) -> None:
        self._providers: list[tuple[str, SectionProvider]] = []

    def add(self, name: str, provider: SectionProvider) -> None:
        self._providers.append((name, provider))

    def blocks(self, team_id: str, user_id: str) -> list[Block]:
        blocks: list[Block] = []
        for name, provider in self._providers:
            try:
                blocks += provider(team_id, user_id)
            except Exception:
                # One broken section must not blank the whole tab.
                log.exception("home section %s failed", name)
        return blocks


def publish_home(client: WebClient, router: Router, sections: HomeSections, team_id: str, user_id: str) -> None:
    client.views_publish(user_id=user_id, view=render_home(router.help_entries(), sections.blocks(team_id, user_id)))


def register(app: App, router: Router, sections: HomeSections) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(client, router, sections, team_of(body), event["user"])
