"""Reading who and where from Slack payloads, whatever their shape.

Slash commands carry ``team_id``/``user_id``; interactions carry ``team``/``user`` objects (and a
user's ``team_id`` in Enterprise Grid); events carry ``team_id``. One reader for all of them.
"""

from __future__ import annotations

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
