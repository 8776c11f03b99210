"""What features register into at build time, so that no feature imports another.

Each feature's ``register(app, deps)`` adds its subcommands to the router, its part of the Home tab
to ``home_sections`` (and ``home_buttons``), and the buttons it puts on other features' messages (a *Start checklist* under
a diagnosis, *Start 401 recovery* on a reminder) to ``report_actions`` and ``reminder_actions``.
The feature that draws the message asks the hooks and never names the feature that answers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from slack_sdk import WebClient
from slack_sdk.models.blocks import Block, ButtonElement
from slack_sdk.models.views import View

from bot.redaction import SafeReport
from handlers.shared.commands import Router

log = logging.getLogger("sso_bot.home")

SectionProvider = Callable[[str, str], list[Block]]
# Buttons under a diagnosis. Must be a module-level function: the reply is drawn in a worker process,
# which receives these functions by name (pickled with the job).
ReportActions = Callable[[SafeReport], list[ButtonElement]]
# Buttons on a reminder, from the credential's kind and IdP (``bot.credentials.Kind`` / ``Idp`` values).
ReminderActions = Callable[[str, str], list[ButtonElement]]


@dataclass(frozen=True)
class StatusPart:
    """One feature's part of ``/sso status``: its blocks, how many of its items need someone (expiring
    credentials, open checklists; 0 means all clear) and a short phrase for the headline."""

    blocks: list[Block]
    attention: int
    summary: str


# A feature's part of /sso status, from (the client, team id, user id, now).
StatusProvider = Callable[[WebClient, str, str, datetime], StatusPart]


class HomeSections:
    """The features' parts of the Home tab: each a function of (team_id, user_id) returning blocks."""

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


def _no_home(_client: WebClient, _team_id: str, _user_id: str) -> None:
    """Until the home feature registers, there is no Home tab to refresh."""


@dataclass
class Hooks:
    router: Router = field(default_factory=Router)
    home_sections: HomeSections = field(default_factory=HomeSections)
    report_actions: list[ReportActions] = field(default_factory=list)
    reminder_actions: list[ReminderActions] = field(default_factory=list)
    home_buttons: list[ButtonElement] = field(default_factory=list)
    # The features' parts of /sso status, in the order shown (handlers/status draws the whole).
    status_parts: list[tuple[str, StatusProvider]] = field(default_factory=list)
    # Buttons offered as a next step at the end of another feature's flow ("Diagnose an error").
    next_steps: list[ButtonElement] = field(default_factory=list)
    # Re-draw a user's Home tab after a change (set by handlers/home).
    publish_home: Callable[[WebClient, str, str], None] = _no_home
    # The diagnose form, for other ways into it (the global shortcut); set by handlers/diagnose.
    diagnose_modal: Callable[[], View] | None = None

    def buttons_for_report(self, report: SafeReport) -> list[ButtonElement]:
        return [button for actions in self.report_actions for button in actions(report)]

    def buttons_for_reminder(self, kind: str, idp: str) -> list[ButtonElement]:
        return [button for actions in self.reminder_actions for button in actions(kind, idp)]
