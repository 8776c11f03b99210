"""``/sso status``: in one glance, what expires soon and which checklists are open, privately.

The scope is the whole workspace, not the channel it is typed in: credentials and checklists belong to
the identity team, reminders go to whichever channel each was given, and admins ask from a DM as often
as from a channel. (A channel's own view is its weekly digest, ``/sso digest``.)

Each feature draws its own part (``hooks.status_parts``), so this module names none of them; a part
that fails is reported as such, the others still shown.
"""

from __future__ import annotations

import logging

from slack_bolt import App

from handlers.shared.commands import CommandContext, Outcome, Subcommand
from handlers.shared.deps import Deps
from handlers.shared.hooks import StatusPart
from handlers.status.views import render_status

log = logging.getLogger("sso_bot.status")

USAGE = "/sso status"
SUMMARY = "What expires soon and which checklists are open, at a glance (only you see it)."


def register(app: App, deps: Deps) -> None:
    deps.hooks.router.add(Subcommand("status", USAGE, SUMMARY, run=lambda ctx: status(deps, ctx)))


def status(deps: Deps, ctx: CommandContext) -> Outcome:
    now = deps.clock()
    parts: list[StatusPart] = []
    failed: list[str] = []
    for name, provider in deps.hooks.status_parts:
        try:
            parts.append(provider(ctx.client, ctx.team_id, ctx.user_id, now))
        except Exception:
            log.exception("status part %s failed", name)
            failed.append(name)
    ctx.respond(**render_status(parts, now, failed=failed))
    attention = sum(p.attention for p in parts)
    return Outcome(outcome="ok" if not failed else "partial", detail=f"attention={attention}")
