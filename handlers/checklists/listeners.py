"""Interactive checklists in Slack threads: /sso checklist, the Start button, ticking, checks,
export, the 401 follow-up and the 24-hour nudge, and the Home tab's open checklists.

A slash command cannot run inside a thread, so a checklist starts with a parent
message in the channel (title, who started it, IdP, progress) and posts its
steps in that message's thread, one message per group. Every tick is saved
per item before the messages are redrawn from the database, so the last
``chat.update`` Slack receives always shows every tick.

The use cases (what is saved, in which order) are ``services.checklists``. The
parts here live beside this module, one kind of interaction each: start (the
command and the Start button), ticks and tick_job (ticking and redrawing),
checks (the "Run check" modal), followups (export, close, the follow-up and the
nudge) and common. This module binds them to the app and draws the Home section.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

import handlers.checklists.views as views
from bot.checklist_defs import ChecklistLibrary, load_checklists
from handlers.checklists.checks import ChecklistChecks
from handlers.checklists.followups import ChecklistFollowUps
from handlers.checklists.ids import RUN_CHECK_PATTERN, ChecklistIds
from handlers.checklists.start import ChecklistStarts, checklist_buttons, recovery_buttons
from handlers.checklists.ticks import ChecklistTicks
from handlers.shared.commands import Subcommand
from handlers.shared.deps import Deps
from handlers.checklists.common import log
from handlers.shared.hooks import Hooks, StatusPart
from services import checklists

__all__ = ["Checklists", "SUMMARY", "USAGE", "contribute", "register"]

_HOME_RUNS = 8
_STATUS_RUNS = 10  # one chat.getPermalink each, after the ack


def _permalink(client: WebClient, channel: str, ts: str | None) -> str | None:
    """A link to the run's parent message (its thread), or None when Slack will not give one."""
    if not ts:
        return None
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink") or "") or None
    except SlackApiError as error:
        log.info("no permalink for %s/%s: %s", channel, ts, error.response.get("error"))
        return None

USAGE = "/sso checklist [401 entra|okta | sso | scim | setup]"
SUMMARY = "Work through a recovery checklist together in a thread (401 recovery, SSO or SCIM checks)."


class Checklists:
    """The feature, bound to settings and dependencies: one part per kind of interaction.

    Closing and answering a follow-up redraw the run, so they share the ticks' busy slots.
    """

    def __init__(self, deps: Deps, library: ChecklistLibrary | None = None) -> None:
        self.deps = deps
        self.library = library or load_checklists()
        self.starts = ChecklistStarts(deps, self.library)
        self.ticks = ChecklistTicks(deps)
        self.checks = ChecklistChecks(deps)
        self.followups = ChecklistFollowUps(deps, self.ticks)

    def status_part(self, client: WebClient, team_id: str, _user_id: str, _now) -> StatusPart:
        """``/sso status``: the workspace's open checklists, each linked to its thread."""
        states, more = checklists.open_runs(self.deps.db, team_id, limit=_STATUS_RUNS)
        runs = [(s.run, s.channel_id, _permalink(client, s.channel_id, s.parent_ts)) for s in states]
        count = len(states) + more
        return StatusPart(blocks=views.render_status_section(runs, more=more), attention=count,
                          summary=f"{count} checklist{'s' if count != 1 else ''} open" if count else "no checklist open")

    def home_section(self, team_id: str, _user_id: str) -> list:
        states, more = checklists.open_runs(self.deps.db, team_id, limit=_HOME_RUNS)
        return views.render_home_section([(s.run, s.channel_id) for s in states], more=more)


def contribute(hooks: Hooks) -> None:
    """The buttons this feature puts on others' messages: a "Start checklist" under a matching
    diagnosis, and "Start 401 recovery" on an expiring SCIM token's reminder."""
    hooks.report_actions.append(checklist_buttons)
    hooks.reminder_actions.append(recovery_buttons)


def register(app: App, deps: Deps) -> None:
    feature = Checklists(deps)
    deps.hooks.router.add(Subcommand("checklist", USAGE, SUMMARY, run=feature.starts.command,
                                     aliases=("checklists", "cl")))
    deps.hooks.home_sections.add("checklists", feature.home_section)
    deps.hooks.status_parts.append(("checklists", feature.status_part))
    contribute(deps.hooks)
    deps.scheduler.add("checklists", lambda now: feature.followups.scheduled(app.client, now))
    _register_steps(app, feature)
    _register_wrap_up(app, feature)


def _register_steps(app: App, feature: Checklists) -> None:
    """Starting a run, ticking its steps, and running a step's check."""

    @app.action(ChecklistIds.START)
    def on_start(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        feature.starts.start_from_button(body, client, respond)

    @app.action(ChecklistIds.TICK)
    def on_tick(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.ticks.tick(body, client)

    @app.action(RUN_CHECK_PATTERN)
    def on_run_check(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.checks.open_check(body, client)

    @app.view(ChecklistIds.CHECK_MODAL)
    def on_check_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        feature.checks.check_submitted(ack, body, view, client)  # acks itself: with errors, a result, or nothing


def _register_wrap_up(app: App, feature: Checklists) -> None:
    """Export, close, and the answers to the 401 follow-up."""

    @app.action(ChecklistIds.EXPORT)
    def on_export(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.followups.export(body, client)

    @app.action(ChecklistIds.CLOSE)
    def on_close(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.followups.close(body, client)

    @app.action(ChecklistIds.RESUMED_YES)
    def on_resumed(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.followups.resumed(body, client, yes=True)

    @app.action(ChecklistIds.RESUMED_NO)
    def on_not_resumed(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        feature.followups.resumed(body, client, yes=False)
