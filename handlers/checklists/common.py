"""What every part of the checklist feature shares: reading who and where from a Slack payload, the run a
button names, and posting in a run's thread."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.shared.errors import UserError
from handlers.shared.payload import team_id as team_of, user_id as user_of  # noqa: F401 (used by the checklist modules)
from handlers.shared.owned import run_for
from services.checklists import PostedRun

# One logger for the whole feature, whichever module logs.
log = logging.getLogger("sso_bot.checklists")

# Errors that mean the bot cannot post where it was asked to: the user has to invite it.
NOT_THERE = ("not_in_channel", "channel_not_found", "is_archived")


def invite_error() -> UserError:
    return UserError("I can't post in this channel yet.",
                     "Invite me with `/invite @sso-bot`, then start the checklist again.")


def run_from_button(db, body: dict[str, Any]) -> PostedRun:
    """The run a button's value names, in the clicking workspace; a UserError when it is gone."""
    state = run_for(db, body, body["actions"][0].get("value"))
    if state is None:
        raise UserError("That checklist is no longer available.", "Start a new one with `/sso checklist`.")
    return state


def reply(client: WebClient, state: PostedRun, text: str, blocks: list) -> None:
    """Post in the run's thread."""
    if not state.parent_ts:
        return
    try:
        client.chat_postMessage(channel=state.channel_id, thread_ts=state.parent_ts, text=text,
                                blocks=blocks)
    except SlackApiError as error:
        if error.response.get("error") in NOT_THERE:
            raise invite_error() from error
        raise
