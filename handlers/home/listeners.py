"""App Home: publish the Home tab when a user opens it, and again when a feature asks (``hooks.publish_home``).

The tab is drawn from what the features registered at build time: their buttons and sections
(``deps.hooks``) and the subcommand table for the list of commands.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from handlers.home.views import render_home
from handlers.shared.deps import Deps
from handlers.shared.hooks import Hooks
from handlers.shared.payload import team_id as team_of


def publish_home(hooks: Hooks, client: WebClient, team_id: str, user_id: str) -> None:
    view = render_home(hooks.router.help_entries(), hooks.home_sections.blocks(team_id, user_id), hooks.home_buttons)
    client.views_publish(user_id=user_id, view=view)


def register(app: App, deps: Deps) -> None:
    hooks = deps.hooks
    hooks.publish_home = lambda client, team, user: publish_home(hooks, client, team, user)

    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(hooks, client, team_of(body), event["user"])
