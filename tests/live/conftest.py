"""Fixtures for the live-check tests: the test CA, policies that reach loopback, and a machine with no sockets."""

from __future__ import annotations

import socket
from typing import Callable, Iterable, Mapping

import pytest

from bot.live.policy import ProbePolicy, parse_allowance
from tests.live.peers import TestCA


@pytest.fixture(scope="session")
def ca(tmp_path_factory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("ca"))


def names_to(mapping: Mapping[str, Iterable[str]]) -> Callable[[str, int], list[str]]:
    """A resolver for the tests: the given names only. Any other name fails the test instead of reaching DNS."""
    calls: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        if host not in mapping:
            raise AssertionError(f"the test did not expect a lookup of {host!r}")
        return list(mapping[host])

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.fixture
def loopback_policy(ca) -> Callable[..., ProbePolicy]:
    """``loopback_policy(allow="127.0.0.1", names={...}, deadline=...)``: a policy whose name lookups come from
    ``names`` (never DNS), trusting only the test CA."""

    def make(allow: str = "127.0.0.1", names: Mapping[str, Iterable[str]] | None = None, **limits) -> ProbePolicy:
        return ProbePolicy(allow=parse_allowance(allow), ssl_context=ca.context(), resolver=names_to(names or {}),
                           **limits)

    return make


@pytest.fixture
def no_sockets(monkeypatch):
    """Opening any socket, or looking up any name through the system, fails the test at once."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a socket or lookup was attempted: {args[:2]!r}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)


@pytest.fixture
def loopback_only(monkeypatch):
    """Connections are allowed to 127.0.0.1 only, and recorded; any other address fails the test."""
    real = socket.create_connection
    dialled: list[str] = []

    def connect(address, *args, **kwargs):
        dialled.append(address[0])
        if address[0] != "127.0.0.1":
            raise AssertionError(f"a connection to {address[0]} was attempted")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)
    return dialled
