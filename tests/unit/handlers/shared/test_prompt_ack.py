"""The prompt runner answers with the listener's ack without polling for it, and keeps Bolt's meaning
for everything else (events acked at once, a listener still running after its ack, a Bolt failure).

No timing is asserted: "without polling" is checked by making the poll impossible (``time.sleep`` in
Bolt's runner raises), and the ordering by events the test holds.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_bolt import BoltRequest
from slack_bolt.listener import thread_runner
from slack_sdk import WebClient

from handlers.shared.errors import GuardedApp
from handlers.shared.prompt_ack import PromptListenerRunner


class _NoSleep:
    """The ``time`` module as Bolt's runner sees it, with ``sleep`` (its poll) refused."""

    time = staticmethod(time.time)

    @staticmethod
    def sleep(_seconds):
        raise AssertionError("the runner polled for the ack")


@pytest.fixture()
def no_polling(monkeypatch):
    monkeypatch.setattr(thread_runner, "time", _NoSleep)


@pytest.fixture()
def executor():
    pool = ThreadPoolExecutor(max_workers=4)
    yield pool
    pool.shutdown(wait=True)


@pytest.fixture()
def make_app(fake_slack, executor):
    def build() -> GuardedApp:
        client = WebClient(token="xoxb-test", base_url=fake_slack.api_url)
        return GuardedApp(name="t", client=client, signing_secret="s", token_verification_enabled=False,
                          request_verification_enabled=False, listener_executor=executor)
    return build


def command(text: str = "help") -> BoltRequest:
    body = {"command": "/sso", "text": text, "user_id": "U1", "team_id": "T1", "channel_id": "C1",
            "response_url": "http://127.0.0.1:9/r", "trigger_id": "1.2.3"}
    return BoltRequest(body=body, mode="socket_mode")


def event() -> BoltRequest:
    body = {"type": "event_callback", "team_id": "T1", "event_id": "Ev1",
            "event": {"type": "app_mention", "user": "U1", "text": "hi", "channel": "C1", "ts": "1.1"}}
    return BoltRequest(body=body, mode="socket_mode")


def test_the_app_uses_the_prompt_runner(make_app):
    assert isinstance(make_app().listener_runner, PromptListenerRunner)


def test_a_command_is_answered_with_its_ack_while_the_listener_still_runs(make_app, no_polling):
    app = make_app()
    release, finished = threading.Event(), threading.Event()

    @app.command("/sso")
    def on_sso(ack):
        # Acking a little late puts a polling runner in its loop first (so a regression fails here);
        # the correct runner passes whatever the delay.
        threading.Event().wait(0.2)
        ack(text="here is help")
        release.wait(10)  # the work after the ack must not hold the answer back
        finished.set()

    response = app.dispatch(command())
    assert response.status == 200 and "here is help" in response.body
    assert not finished.is_set()
    release.set()
    assert finished.wait(10)


def test_an_event_is_acknowledged_before_its_listener_runs(make_app, no_polling):
    app = make_app()
    release, ran = threading.Event(), threading.Event()

    @app.event("app_mention")
    def on_mention():
        release.wait(10)
        ran.set()

    response = app.dispatch(event())
    assert response.status == 200
    assert not ran.is_set()
    release.set()
    assert ran.wait(10)


def test_a_failure_of_bolt_around_the_listener_is_a_500_not_a_timeout(make_app, no_polling, monkeypatch):
    app = make_app()

    @app.command("/sso")
    def on_sso(ack):
        ack()

    def broken(**_kwargs):
        raise RuntimeError("Bolt's kwargs building failed")
    monkeypatch.setattr(app.listener_runner.listener_start_handler, "handle", broken)
    assert app.dispatch(command()).status == 500


def test_a_listener_that_never_acks_gets_bolts_timeout_and_no_answer(make_app, no_polling):
    app = make_app()
    done = threading.Event()

    @app.command("/sso")
    def on_sso():
        done.set()  # returns without ack()

    for listener in app._listeners:
        listener.ack_timeout = 0  # Bolt's default is 3 s; the meaning is the same, the test is quick
    response = app.dispatch(command())
    assert done.wait(10)
    assert response.status == 404  # Bolt's "unhandled request", as with its own runner
