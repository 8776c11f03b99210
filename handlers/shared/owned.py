"""Rows named by an id that came back in a Slack payload, loaded for the request's workspace only, as the
services' values (``PostedRun``, ``Tracked``, ``KeptReport``), never as ORM rows.

Our buttons, modal metadata and action values carry our own ids. Slack signs the request, but an id
inside it says only which row a message was about, not that the person acting may touch it: a
reminder in a channel shared with another workspace (Slack Connect) is clicked from there too. So
every listener that loads a row by such an id loads it here, and gets it only when the row's
workspace is the request's; otherwise a polite refusal (``OtherWorkspace``) and a log line.

(Ticking a checklist box reads its run in a worker process with one query that filters on the
workspace, ``services.checklists.tick``: that is the click path, kept to a single query.)
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from handlers.shared.errors import UserError
from handlers.shared.payload import row_number, team_id
from services import checklists, credentials, sharing
from storage import Database

log = logging.getLogger("sso_bot.owned")

Value = TypeVar("Value")


class OtherWorkspace(UserError):
    """The row exists, in another workspace than the request's."""


def credential_for(db: Database, body: dict[str, Any], credential_id: object) -> credentials.Tracked | None:
    """The tracked credential ``credential_id`` names; None when there is none."""
    number = row_number(credential_id)
    tracked = credentials.get(db, number) if number is not None else None
    return _mine(tracked, tracked.team_id if tracked else "", body, "credential", number)


def run_for(db: Database, body: dict[str, Any], run_id: object, *,
            with_checks: bool = True) -> checklists.PostedRun | None:
    """The checklist run ``run_id`` names, with its items; None when there is none."""
    state = checklists.load(db, run_id, with_checks=with_checks)
    return _mine(state, state.team_id if state else "", body, "checklist", run_id)


def snapshot_for(db: Database, body: dict[str, Any], snapshot_id: object) -> sharing.KeptReport | None:
    """The saved report ``snapshot_id`` names (for Share in channel); None when there is none."""
    kept = sharing.kept(db, snapshot_id)
    return _mine(kept, kept.team_id if kept else "", body, "report", snapshot_id)


def _mine(row: Value | None, row_team: str, body: dict[str, Any], what: str, row_id: object) -> Value | None:
    if row is None:
        return None
    team = team_id(body)
    if team and row_team == team:
        return row
    log.warning("refused %s %s to workspace %s: it belongs to another workspace", what, row_id, team or "?")
    raise OtherWorkspace(f"That {what} belongs to another Slack workspace, so it can't be used from here.",
                         "Ask someone in the workspace that set it up.")
