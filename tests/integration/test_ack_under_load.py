"""Slow listeners (a 429 sleep, a slow database) must not keep another request from its ack."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import handlers.app
from handlers.shared.commands import Outcome, Subcommand
from tests.support.slack_app import RunningApp

SLOW_CALLS = 12


@pytest.fixture
def app_with_slow_command(fake_slack, database_url, monkeypatch):
    release = threading.Event()
    started = threading.Semaphore(0)
    real = handlers.app.build_router

    def slow(ctx) -> Outcome:
        started.release()
        release.wait(30)  # stands in for sleeping out a Retry-After after ack()
        return Outcome()

    def router():
        r = real()
        r.add(Subcommand("slow", "/sso slow", "blocks after ack", run=slow))
        return r

    monkeypatch.setattr(handlers.app, "build_router", router)
    app = RunningApp(fake_slack, database_url).start()
    yield app, release, started
    release.set()
    app.stop()


def test_help_is_acknowledged_while_many_listeners_are_stuck(app_with_slow_command):
    app, release, started = app_with_slow_command
    with ThreadPoolExecutor(SLOW_CALLS) as pool:
        acks = list(pool.map(lambda _: app.post(app.command_body("slow")), range(SLOW_CALLS)))
    assert all(r.status_code == 200 for r in acks)  # each slow call was acked before blocking
    for _ in range(SLOW_CALLS):
        assert started.acquire(timeout=10)  # all of them are now holding a listener thread
    t0 = time.monotonic()
    response = app.post(app.command_body("help"))
    assert response.status_code == 200 and "/sso help" in response.text
    assert time.monotonic() - t0 < 3
    release.set()
    app.wait_idle()
