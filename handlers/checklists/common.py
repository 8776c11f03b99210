"""What every part of the checklist feature shares: the core's view of a stored run, reading who and
where from a Slack payload, and posting in a run's thread."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.checklists import CheckRun, Group, Item, Run, checks_from_mapping
from handlers.shared.errors import UserError
from handlers.shared.payload import team_id as team_of, user_id as user_of  # noqa: F401 (used by the checklist modules)
from handlers.shared.owned import run_for
from storage.checklists import RunRecord

# One logger for the whole feature, whichever module logs.
log = logging.getLogger("sso_bot.checklists")

# Errors that mean the bot cannot post where it was asked to: the user has to invite it.
NOT_THERE = ("not_in_channel", "channel_not_found", "is_archived")


def invite_error() -> UserError:
    return UserError("I can't post in this channel yet.",
                     "Invite me with `/invite @sso-bot`, then start the checklist again.")


def to_run(record: RunRecord) -> Run:
    """The core's view of a stored run (its own snapshot, never the current definition)."""
    row = record.run
    groups_raw = json.loads(row.groups_json or "[]")
    groups = tuple(Group(index=n, key=str(g.get("key", n)), title=str(g.get("title", "")),
                         intro=str(g.get("intro", ""))) for n, g in enumerate(groups_raw))
    items = tuple(Item(id=i.item_id, group=i.group_index, text=i.text, detail=i.detail, check=i.check_kind,
                       done=i.done, done_by=i.done_by, done_at=i.done_at) for i in record.items)
    return Run(id=row.id, definition_id=row.definition_id, title=row.title, idp=row.idp, started_by=row.started_by,
               started_at=row.started_at, groups=groups, items=items, last_activity_at=row.last_activity_at,
               completed_at=row.completed_at, closed_at=row.closed_at, closed_by=row.closed_by,
               resolution=row.resolution, follow_up_minutes=row.follow_up_minutes, version=row.version,
               checks=_check_runs(record))


def _check_runs(record: RunRecord) -> tuple[CheckRun, ...]:
    """The checks run from the thread, as saved with the run."""
    checks = []
    for event in record.checks:
        data = json.loads(event.detail or "{}")
        checks.append(CheckRun(item_id=event.item_id or "", check=str(data.get("check", "")), user_id=event.user_id,
                               at=event.at, findings=checks_from_mapping(data.get("findings", []))))
    return tuple(checks)


def record_from_button(db, body: dict[str, Any]) -> RunRecord:
    """The run a button's value names, in the clicking workspace; a UserError when it is gone."""
    record = run_for(db, body, body["actions"][0].get("value"))
    if record is None:
        raise UserError("That checklist is no longer available.", "Start a new one with `/sso checklist`.")
    return record


def reply(client: WebClient, record: RunRecord, text: str, blocks: list) -> None:
    """Post in the run's thread."""
    if not record.run.parent_ts:
        return
    try:
        client.chat_postMessage(channel=record.run.channel_id, thread_ts=record.run.parent_ts, text=text,
                                blocks=blocks)
    except SlackApiError as error:
        if error.response.get("error") in NOT_THERE:
            raise invite_error() from error
        raise
