"""The issue's "done when", against real `sso-bot serve --http` processes and the fake Slack:

`/sso checklist 401 okta` posts a parent with 0/N and the Okta steps as checkboxes in its
thread; ticking one item shows 1/N; after restarting the app, ticking a second shows 2/N.

The process answers Slack before it posts, so the test waits on the fake Slack recording the
call it expects (a condition variable, not sleeping and polling).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from typing import Callable
from urllib.parse import urlencode

import httpx
import pytest

from storage import open_database
from storage.checklists import load_run
from tests.integration.test_checklists_slack import blocks_of, checkbox_elements
from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.signing import signed_headers

SECRET = "checklist-process-signing-secret"
CHANNEL = "C0SSO0001"

pytestmark = pytest.mark.slow


class WatchedSlack(FakeSlack):
    """The fake Slack, plus a way to wait until a call matching a predicate has arrived."""

    def __init__(self) -> None:
        super().__init__()
        self._arrived = threading.Condition()
        self.posted_ts: list[str] = []  # the ts each chat.postMessage was answered with, in order

    def _answer(self, method, params):
        answer = super()._answer(method, params)
        if method == "chat.postMessage":
            with self._arrived:
                self.posted_ts.append(answer["ts"])
        return answer

    def _record(self, method, params, headers):
        fault = super()._record(method, params, headers)
        with self._arrived:
            self._arrived.notify_all()
        return fault

    def wait_for(self, what: str, predicate: Callable[["WatchedSlack"], bool], timeout: float = 15) -> None:
        with self._arrived:
            if not self._arrived.wait_for(lambda: predicate(self), timeout=timeout):
                raise AssertionError(f"fake Slack never received {what}; calls: "
                                     f"{[c.method for c in self.calls]}")


@pytest.fixture
def watched_slack():
    fake = WatchedSlack().start()
    yield fake
    fake.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, fake: FakeSlack, database_url: str, cwd) -> None:
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "PORT"))}
        env.update(SLACK_BOT_TOKEN="xoxb-process-test", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.api_url,
                   DATABASE_URL=database_url, LOG_LEVEL="WARNING")
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1",
                                      "--port", str(self.port)], env=env, cwd=cwd, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        for line in self.proc.stderr:
            self.lines.append(line)
            if "is serving on" in line:
                break
        else:
            self.proc.wait(timeout=10)
            pytest.fail("sso-bot serve exited early:\n" + "".join(self.lines))
        self._drain = threading.Thread(target=lambda: self.lines.extend(self.proc.stderr), daemon=True)
        self._drain.start()

    def post(self, body: str) -> httpx.Response:
        return httpx.post(f"http://127.0.0.1:{self.port}/slack/events", content=body,
                          headers=signed_headers(SECRET, body), timeout=5)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            assert self.proc.wait(timeout=20) == 0, "".join(self.lines)
        self._drain.join(timeout=5)


def _command(fake: FakeSlack, text: str) -> str:
    return urlencode({"team_id": TEAM_ID, "user_id": "U0ADMIN01", "channel_id": CHANNEL, "command": "/sso",
                      "text": text, "response_url": fake.response_url("p"), "trigger_id": "1.2.3"})


def _tick(fake: FakeSlack, blocks: list[dict], item_id: str, *, user: str, message_ts: str, parent_ts: str) -> str:
    block_id, element = next((b, e) for b, e in checkbox_elements(blocks)
                             if item_id in {o["value"] for o in e["options"]})
    chosen = {o["value"] for o in element.get("initial_options") or []} | {item_id}
    selected = [o for o in element["options"] if o["value"] in chosen]
    payload = {
        "type": "block_actions", "team": {"id": TEAM_ID, "domain": "sso-bot-test"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0SSOBOT1", "token": "unused",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": CHANNEL, "is_ephemeral": False,
                      "thread_ts": parent_ts},
        "trigger_id": "9.9.9", "channel": {"id": CHANNEL, "name": "identity-ops"},
        "message": {"type": "message", "ts": message_ts, "thread_ts": parent_ts, "text": "", "blocks": blocks},
        "state": {"values": {block_id: {element["action_id"]: {"type": "checkboxes", "selected_options": selected}}}},
        "response_url": fake.response_url("tick"),
        "actions": [{"action_id": element["action_id"], "block_id": block_id, "type": "checkboxes",
                     "selected_options": selected, "action_ts": "1700009999.000001"}],
    }
    return urlencode({"payload": json.dumps(payload)})


def _parent_updates(fake: FakeSlack, parent_ts: str) -> list[str]:
    return [c.params["text"] for c in fake.calls_to("chat.update") if c.params.get("ts") == parent_ts]


def test_checklist_401_okta_ticks_survive_a_restart_of_sso_bot_serve(watched_slack, database_url, tmp_path):
    fake = watched_slack
    first = Served(fake, database_url, tmp_path)
    try:
        assert first.post(_command(fake, "checklist 401 okta")).status_code == 200
        fake.wait_for("the parent and three thread messages", lambda f: len(f.posted_ts) >= 4)
        posts = [c.params for c in fake.calls_to("chat.postMessage")]
        ts_by_text = dict(zip((p["text"] for p in posts), fake.posted_ts))
        parent, thread = posts[0], posts[1:]
        assert "thread_ts" not in parent and parent["channel"] == CHANNEL
        parent_ts = thread[0]["thread_ts"]
        assert all(p["thread_ts"] == parent_ts for p in thread)
        options = [o for p in thread for _, e in checkbox_elements(blocks_of(p)) for o in e["options"]]
        total = len(options)
        assert f"0/{total}" in parent["text"] and "Okta" in parent["text"]
        okta = next(p for p in thread if "Okta" in p["text"])
        okta_texts = " ".join(o["text"]["text"] for _, e in checkbox_elements(blocks_of(okta)) for o in e["options"])
        assert "SCIM 2.0 Base URL" in okta_texts and "OAuth Bearer Token" in okta_texts
        okta_ts = ts_by_text[okta["text"]]

        assert first.post(_tick(fake, blocks_of(okta), "okta-base-url", user="U0ADMIN01",
                                message_ts=okta_ts, parent_ts=parent_ts)).status_code == 200
        fake.wait_for("the parent at 1/N", lambda f: any(f"1/{total}" in t for t in _parent_updates(f, parent_ts)))
    finally:
        first.stop()

    second = Served(fake, database_url, tmp_path)
    try:
        updated_okta = [c.params for c in fake.calls_to("chat.update") if c.params["ts"] == okta_ts][-1]
        assert "okta-base-url" in json.dumps(updated_okta)  # the thread message shows the first tick
        assert second.post(_tick(fake, blocks_of(updated_okta), "okta-bearer-token", user="U0ADMIN02",
                                 message_ts=okta_ts, parent_ts=parent_ts)).status_code == 200
        fake.wait_for("the parent at 2/N", lambda f: any(f"2/{total}" in t for t in _parent_updates(f, parent_ts)))
        assert _parent_updates(fake, parent_ts)[-1].startswith(f"SCIM 401 recovery: Okta: 2/{total}")
        db = open_database(database_url)
        try:
            record = load_run(db, parent["blocks"][-1]["block_id"].split("|")[1])
        finally:
            db.dispose()
        assert {i.item_id: i.done_by for i in record.items if i.done} == {"okta-base-url": "U0ADMIN01",
                                                                          "okta-bearer-token": "U0ADMIN02"}
    finally:
        second.stop()
