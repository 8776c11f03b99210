"""Interaction and event payloads shaped like Slack's (``corpus/slack/shape_skeletons`` and bolt-python's
samples in ``corpus/slack/bolt_python_payloads``), for any workspace: team isolation tests send the same
click from two."""

from __future__ import annotations

import itertools
from typing import Any

from tests.support.fake_slack import TEAM_ID

ADMIN = "U0ADMIN01"
CHANNEL = "C0SSO0001"
_ts = itertools.count(1)


def block_actions(action_id: str, value: str | None = "", *, team: str = TEAM_ID, user: str = ADMIN,
                  block_id: str = "b", response_url: str | None = None, channel: str = CHANNEL,
                  message_ts: str = "1700000000.000100", home: bool = False,
                  action: dict[str, Any] | None = None) -> dict[str, Any]:
    """A click on a button (or, with ``action``, any element) in a message, or in the Home tab."""
    clicked = {"action_id": action_id, "block_id": block_id, "type": "button",
               "text": {"type": "plain_text", "text": "x"}, "action_ts": f"1700009999.{next(_ts):06d}"}
    if value is not None:
        clicked["value"] = value
    clicked.update(action or {})
    payload: dict[str, Any] = {
        "type": "block_actions", "team": {"id": team, "domain": "workspace"},
        "user": {"id": user, "username": user.lower(), "team_id": team}, "api_app_id": "A0SSOBOT1",
        "token": "unused", "trigger_id": f"{next(_ts)}.222.trigger", "actions": [clicked],
    }
    if home:
        payload["container"] = {"type": "view", "view_id": "V0HOME01"}
        payload["view"] = {"id": "V0HOME01", "type": "home", "team_id": team, "blocks": [], "state": {"values": {}}}
    else:
        payload["container"] = {"type": "message", "message_ts": message_ts, "channel_id": channel,
                                "is_ephemeral": False}
        payload["channel"] = {"id": channel, "name": "identity-ops"}
        payload["message"] = {"type": "message", "ts": message_ts, "text": "x", "user": "U0SSOBOT1"}
        if response_url:
            payload["response_url"] = response_url
    return payload


def view_submission(callback_id: str, values: dict[str, Any], *, team: str = TEAM_ID, user: str = ADMIN,
                    private_metadata: str = "") -> dict[str, Any]:
    """A modal's submit: ``values`` is ``view.state.values`` (block id -> action id -> element state)."""
    return {
        "type": "view_submission", "team": {"id": team, "domain": "workspace"},
        "user": {"id": user, "username": user.lower(), "team_id": team}, "api_app_id": "A0SSOBOT1",
        "token": "unused", "trigger_id": f"{next(_ts)}.333.trigger",
        "view": {"id": "V0MODAL01", "team_id": team, "type": "modal", "callback_id": callback_id,
                 "private_metadata": private_metadata, "state": {"values": values}, "hash": "h",
                 "title": {"type": "plain_text", "text": "x"}, "blocks": []},
    }


def app_home_opened(user: str = ADMIN, *, team: str = TEAM_ID) -> dict[str, Any]:
    return {"token": "unused", "team_id": team, "api_app_id": "A0SSOBOT1", "type": "event_callback",
            "event": {"type": "app_home_opened", "user": user, "channel": "D0HOME001", "tab": "home",
                      "event_ts": "1700000000.000300"},
            "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": "U0SSOBOT1", "is_bot": True,
                                "is_enterprise_install": False}],
            "event_id": f"Ev{next(_ts):08d}", "event_time": 1700000000}


def app_mention(text: str, *, channel: str = CHANNEL, ts: str = "1700000100.000100", thread_ts: str | None = None,
                user: str = ADMIN, team: str = TEAM_ID) -> dict[str, Any]:
    """``@sso-bot`` mentioned in a channel message (in a thread when ``thread_ts`` is given)."""
    event = {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {"token": "unused", "team_id": team, "api_app_id": "A0SSOBOT1", "type": "event_callback", "event": event,
            "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": "U0SSOBOT1", "is_bot": True,
                                "is_enterprise_install": False}],
            "event_id": f"Ev{next(_ts):08d}", "event_time": 1700000100}


def message_action(message: dict[str, Any], *, callback_id: str = "shortcut.diagnose_message",
                   channel: str = CHANNEL, user: str = ADMIN, team: str = TEAM_ID,
                   response_url: str = "https://hooks.slack.com/app/T0SSOBOT1/1/x") -> dict[str, Any]:
    """A message shortcut used on ``message`` (shape: corpus bolt_python_payloads/message_action.json)."""
    message = {"type": "message", "user": "U0OTHER01", "ts": "1700000200.000100", "team": team, **message}
    return {"type": "message_action", "token": "unused", "action_ts": f"1700009999.{next(_ts):06d}",
            "team": {"id": team, "domain": "workspace"}, "user": {"id": user, "name": user.lower()},
            "channel": {"id": channel, "name": "identity-ops"}, "callback_id": callback_id,
            "trigger_id": f"{next(_ts)}.444.trigger", "message_ts": message["ts"], "message": message,
            "response_url": response_url}


def global_shortcut(callback_id: str = "shortcut.open_diagnose", *, user: str = ADMIN,
                    team: str = TEAM_ID) -> dict[str, Any]:
    """A global shortcut from the shortcuts menu (shape: corpus bolt_python_payloads/shortcut.json)."""
    return {"type": "shortcut", "token": "unused", "action_ts": f"1700009999.{next(_ts):06d}",
            "team": {"id": team, "domain": "workspace"}, "user": {"id": user, "username": user.lower(), "team_id": team},
            "callback_id": callback_id, "trigger_id": f"{next(_ts)}.555.trigger"}


def link_shared(*urls: str, channel: str = CHANNEL, message_ts: str = "1700000300.000100", user: str = ADMIN,
                team: str = TEAM_ID, composer: bool = False) -> dict[str, Any]:
    """Links on the unfurl domains posted in a message, or (``composer``) still being typed (shape: the example
    on https://api.slack.com/events/link_shared)."""
    event: dict[str, Any] = {"type": "link_shared", "channel": channel, "is_bot_user_member": True, "user": user,
                             "message_ts": message_ts, "source": "conversations_history",
                             "links": [{"domain": url.split("/")[2], "url": url} for url in urls],
                             "event_ts": message_ts}
    if composer:
        event.update(channel="COMPOSER", message_ts=f"{user}-909b5454-75f8-4ac4-b325-1b40e230bbd8",
                     source="composer", unfurl_id=f"{user}-909b5454-75f8-4ac4-b325-1b40e230bbd8")
    return {"token": "unused", "team_id": team, "api_app_id": "A0SSOBOT1", "type": "event_callback", "event": event,
            "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": "U0SSOBOT1", "is_bot": True,
                                "is_enterprise_install": False}],
            "event_id": f"Ev{next(_ts):08d}", "event_time": 1700000300}


def reminder_band(params: dict[str, Any]) -> str | None:
    """The band a posted reminder announces ("Yellow", "Red", "Expired"), read from its first block the way a
    reader sees it (a marker emoji and a word); None for a message that is not a reminder."""
    import json as _json
    import re as _re

    blocks = params.get("blocks") or []
    blocks = _json.loads(blocks) if isinstance(blocks, str) else blocks
    if not blocks or blocks[0].get("type") != "section":
        return None
    match = _re.match(r":[a-z_]+: \*(Yellow|Red|Expired|OK):\*", blocks[0]["text"]["text"])
    return match.group(1) if match else None


def message_blocks(params: dict[str, Any]) -> list[dict[str, Any]]:
    """A posted message's blocks, whether the client sent them as JSON text or as a list."""
    import json as _json

    blocks = params.get("blocks") or []
    return _json.loads(blocks) if isinstance(blocks, str) else blocks
