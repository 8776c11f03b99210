"""Reading who and where from Slack payloads, whatever their shape.

Slash commands carry ``team_id``/``user_id``; interactions carry ``team``/``user`` objects (and a
user's ``team_id`` in Enterprise Grid); events carry ``team_id``. One reader for all of them, and
one for the JSON our own buttons and modals carry back (``json_object``).
"""

from __future__ import annotations

import json
from typing import Any


def team_id(body: dict[str, Any]) -> str:
    """The workspace id of the request, or "" when the payload names none."""
    team = body.get("team")
    if isinstance(team, dict) and team.get("id"):
        return str(team["id"])
    if isinstance(team, str) and team:
        return team
    user = body.get("user")
    if isinstance(user, dict) and user.get("team_id"):
        return str(user["team_id"])
    return str(body.get("team_id") or "")


def user_id(body: dict[str, Any]) -> str:
    """The id of the user who acted, or "" when the payload names none."""
    user = body.get("user")
    if isinstance(user, dict):
        return str(user.get("id") or "")
    return str(user or body.get("user_id") or "")


# The largest id a database column holds (a signed 64-bit integer); a bigger one is no id of ours.
MAX_ROW_ID = 2**63 - 1


def row_number(value: object) -> int | None:
    """A whole number from a payload (an id or a generation), or None: a JSON integer, or a string of
    ASCII digits, from 0 to ``MAX_ROW_ID`` (``int()`` alone takes "١٢" and numbers no column can hold)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ROW_ID:
        return value
    return None


# Slack's deepest payloads (rich text inside a message inside block_actions) stay under 20 levels.
MAX_JSON_DEPTH = 64


def json_object(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> dict[str, Any]:
    """A JSON object from a payload field (a request body, ``private_metadata``, a button's value).

    Raises ValueError, with a reason that echoes none of the text, for anything else: invalid JSON,
    not an object, or nested deeper than ``max_depth`` (deep enough nesting makes the parser raise
    RecursionError, which is not a ValueError and would escape a ``except ValueError``)."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("is nested too deeply") from None
    except ValueError:
        raise ValueError("is not valid JSON") from None
    if not isinstance(value, dict):
        raise ValueError("is not a JSON object")
    if deeper_than(value, max_depth):
        raise ValueError(f"is nested deeper than {max_depth} levels")
    return value


def deeper_than(value: Any, limit: int) -> bool:
    """Whether objects and arrays nest deeper than ``limit``; iterative, so depth itself cannot hurt it."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
