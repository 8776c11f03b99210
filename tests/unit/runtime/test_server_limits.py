"""The HTTP server's rules for slow connections and its connection limit, without sockets or clocks."""

from __future__ import annotations

import resource
from types import SimpleNamespace

import pytest

import runtime.server as server
from runtime.server import _overdue, client_connection_limit

NOW = 1_800_000_000.0
DEADLINE = 5.0


def channel(*, opened: float, last: float | None = None, partial_since: float | None = None, answering: bool = False,
            closing: bool = False) -> SimpleNamespace:
    return SimpleNamespace(creation_time=opened, last_activity=opened if last is None else last,
                           request=SimpleNamespace(started=partial_since) if partial_since is not None else None,
                           requests=[object()] if answering else [], will_close=closing)


@pytest.mark.parametrize("state, overdue", [
    (channel(opened=NOW - 6), True),                                   # connected, silent past the deadline
    (channel(opened=NOW - 4), False),                                  # connected, silent, still within it
    (channel(opened=NOW - 60, last=NOW - 1, partial_since=NOW - 6), True),   # trickling: the first byte counts
    (channel(opened=NOW - 60, last=NOW - 1, partial_since=NOW - 4), False),  # a request arriving, within it
    (channel(opened=NOW - 60, last=NOW - 20), False),                  # idle between requests: waitress's timeout
    (channel(opened=NOW - 60, partial_since=NOW - 30, answering=True), False),  # a whole request being answered
    (channel(opened=NOW - 60, partial_since=NOW - 30, closing=True), False),    # closing already
])
def test_which_connections_are_overdue(state, overdue):
    assert _overdue(state, NOW, DEADLINE) is overdue


def _limits(monkeypatch, soft: int, hard: int) -> list[tuple[int, int]]:
    current = {"soft": soft}
    raised: list[tuple[int, int]] = []

    def setrlimit(_which, limits):
        raised.append(limits)
        current["soft"] = limits[0]

    monkeypatch.setattr(server.resource, "getrlimit", lambda _which: (current["soft"], hard))
    monkeypatch.setattr(server.resource, "setrlimit", setrlimit)
    return raised


def test_the_connection_limit_follows_the_file_limit(monkeypatch):
    raised = _limits(monkeypatch, soft=1024, hard=524288)
    assert client_connection_limit() == server.MAX_CONNECTIONS
    assert raised == [(server.MAX_CONNECTIONS + server._RESERVED_FDS, 524288)]  # the soft limit raised to what is needed


def test_a_low_hard_limit_lowers_the_connection_limit_but_never_below_waitress_default(monkeypatch):
    _limits(monkeypatch, soft=1024, hard=1024)
    assert client_connection_limit() == 1024 - server._RESERVED_FDS
    _limits(monkeypatch, soft=256, hard=256)
    assert client_connection_limit() == 100


def test_an_unlimited_file_limit_is_capped(monkeypatch):
    _limits(monkeypatch, soft=resource.RLIM_INFINITY, hard=resource.RLIM_INFINITY)
    assert client_connection_limit() == server.MAX_CONNECTIONS
