"""Reading the credentials feature's Slack payloads: modal values, where a button was clicked, and the
clicking user's time zone."""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.shared.modals import INPUT_ACTION
from handlers.shared.payload import json_object, row_number

def modal_meta(view: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    """A credential modal's private metadata and the credential generation it was opened for (None when the
    metadata is missing or not ours: the submission is then treated as out of date)."""
    try:
        meta = json_object(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    return meta, row_number(meta.get("gen"))


def _values(view: dict[str, Any]) -> dict[str, Any]:
    return (view.get("state") or {}).get("values") or {}


def _element(values: dict[str, Any], block: str) -> dict[str, Any]:
    return (values.get(block) or {}).get(INPUT_ACTION) or {}


def _text(values: dict[str, Any], block: str) -> str:
    return str(_element(values, block).get("value") or "")


def _selected(values: dict[str, Any], block: str) -> str | None:
    option = _element(values, block).get("selected_option") or {}
    return option.get("value")


def _conversation(values: dict[str, Any], block: str) -> str:
    return str(_element(values, block).get("selected_conversation") or "")


def _date(values: dict[str, Any], block: str) -> date | None:
    raw = _element(values, block).get("selected_date")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _where_clicked(body: dict[str, Any]) -> tuple[str, str]:
    """(channel, message ts) of the message a button sits on; empty strings elsewhere (the Home tab)."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    return str(channel), str(container.get("message_ts") or "")


def user_zone(client: WebClient, user: str) -> tzinfo | None:
    """The user's time zone from ``users.info`` (``tz``, an IANA name); None when Slack does not say."""
    try:
        name = str((client.users_info(user=user).get("user") or {}).get("tz") or "")
        return ZoneInfo(name) if name else None
    except (SlackApiError, ZoneInfoNotFoundError, ValueError):
        return None


def _from_home(body: dict[str, Any]) -> bool:
    return ((body.get("container") or {}).get("type") == "view"
            or (body.get("view") or {}).get("type") == "home")
