"""Interactive checklists in Slack threads: /sso checklist, the Start button, ticking, checks,
export, the 401 follow-up and the 24-hour nudge, and the Home tab's open checklists.

A slash command cannot run inside a thread, so a checklist starts with a parent
message in the channel (title, who started it, IdP, progress) and posts its
steps in that message's thread, one message per group. Every tick is saved
per item before the messages are redrawn from the database, so the last
``chat.update`` Slack receives always shows every tick.

The parts live beside this module, one kind of interaction each: checklist_start
(the command and the Start button), checklist_ticks (ticking and redrawing),
checklist_checks (the "Run check" modal), checklist_followups (export, close,
the follow-up and the nudge) and checklist_shared. This module binds them to
the app and draws the Home section.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

import handlers.checklists.views as views
from bot.checklist_defs import ChecklistLibrary, load_checklists
from handlers.checklists.checks import ChecklistChecks
from handlers.checklists.common import to_run
from handlers.checklists.followups import ChecklistFollowUps
from handlers.checklists.ids import RUN_CHECK_PATTERN, ChecklistIds
from handlers.checklists.start import ChecklistStarts, checklist_buttons, recovery_buttons
from handlers.checklists.ticks import ChecklistTicks
from handlers.shared.commands import Subcommand
from handlers.shared.deps import Deps
from handlers.shared.hooks import Hooks
from storage.checklists import count_open_runs, list_open_runs

__all__ = ["Checklists", "SUMMARY", "USAGE", "contribute", "register"]

_HOME_RUNS = 8

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

    def home_section(self, team_id: str, _user_id: str) -> list:
        records = list_open_runs(self.deps.db, team_id, limit=_HOME_RUNS)
        more = max(0, count_open_runs(self.deps.db, team_id) - len(records))
        return views.render_home_section([(to_run(r), r.run.channel_id) for r in records], more=more)


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
