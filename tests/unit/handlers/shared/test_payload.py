from __future__ import annotations

import pytest

from handlers.shared.payload import team_id, user_id


@pytest.mark.parametrize("body, team, user", [
    ({"team_id": "T1", "user_id": "U1", "command": "/sso"}, "T1", "U1"),              # slash command
    ({"team": {"id": "T2"}, "user": {"id": "U2", "team_id": "T9"}}, "T2", "U2"),       # block_actions
    ({"team": None, "user": {"id": "U3", "team_id": "T3"}}, "T3", "U3"),               # Grid: team on the user
    ({"team_id": "T4", "event": {"user": "U4"}}, "T4", ""),                           # event envelope
    ({}, "", ""),
])
def test_every_payload_shape(body, team, user):
    assert team_id(body) == team and user_id(body) == user
