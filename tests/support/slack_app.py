"""sso-bot running for real on a loopback port, driven by signed requests.

The app is the production composition (``runtime.compose.prepare``): the
same Bolt app, WSGI layer and waitress server as ``sso-bot serve --http``,
pointed at the fake Web API and a test database. After a request, tests call
``wait_idle()``, which blocks on the listener futures, instead of sleeping.
"""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.settings import Settings
from runtime.compose import Runtime, close, prepare
from runtime.server import HttpServer
from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.signing import signed_headers

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token-for-the-fake-web-api"


class RunningApp:
    def __init__(self, fake: FakeSlack, database_url: str, *, http: dict[str, Any] | None = None,
                 **settings: Any) -> None:
        self.fake = fake
        self.http_options = http or {}  # HttpServer's own options (a shorter request deadline, say)
        # In-process by default (fast, and monkeypatching reaches the code); a test that wants the
        # production worker process passes worker_processes=1.
        settings.setdefault("worker_processes", 0)
        self.settings = Settings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, slack_api_url=fake.api_url,
                                 database_url=database_url, **settings)
        self.runtime: Runtime | None = None
        self.server: HttpServer | None = None
        self._thread: threading.Thread | None = None
        self.http = httpx.Client(timeout=10)
        self._counter = 0

    def start(self) -> "RunningApp":
        self.runtime = prepare(self.settings)
        self.server = HttpServer(self.runtime.wsgi(SIGNING_SECRET), host="127.0.0.1", port=0, threads=8,
                                 **self.http_options)
        self._thread = threading.Thread(target=self.server.run, name="sso-bot-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.http.close()  # a kept-alive connection would hold the server's loop open
        if self.runtime is not None:
            self.runtime.deps.executor.wait_idle()
        if self.server is not None:
            self.server.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.runtime is not None:
            close(self.runtime)  # the production shutdown order

    @property
    def db(self):
        assert self.runtime is not None
        return self.runtime.deps.db

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}"

    def wait_idle(self) -> None:
        assert self.runtime is not None
        self.runtime.deps.executor.wait_idle()
        self.runtime.deps.jobs.wait_idle()
        self.runtime.deps.executor.wait_idle()
        self.runtime.deps.audit.flush()

    # -- sending ----------------------------------------------------------
    def post(self, body: str, *, content_type: str = "application/x-www-form-urlencoded",
             timestamp: int | None = None, secret: str = SIGNING_SECRET,
             headers: dict[str, str] | None = None) -> httpx.Response:
        sent = signed_headers(secret, body, timestamp=timestamp, content_type=content_type)
        sent.update(headers or {})
        return self.http.post(f"{self.url}/slack/events", content=body.encode("utf-8"), headers=sent)

    def command_body(self, text: str, *, user_id: str = "U0ADMIN01", channel_id: str = "C0SSO0001",
                     command: str = "/sso") -> str:
        """A slash-command form body with the fields Slack sends (shape: corpus slash_command.json)."""
        self._counter += 1
        return urlencode({
            "token": "unused-verification-token", "team_id": TEAM_ID, "team_domain": "sso-bot-test",
            "channel_id": channel_id, "channel_name": "identity-ops", "user_id": user_id, "user_name": "ada",
            "command": command, "text": text, "api_app_id": "A0SSOBOT1", "is_enterprise_install": "false",
            "response_url": self.fake.response_url(str(self._counter)),
            "trigger_id": f"{self._counter}.222.abcdef",
        })

    def command(self, text: str, **kwargs: Any) -> httpx.Response:
        response = self.post(self.command_body(text, **kwargs))
        self.wait_idle()
        return response

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        response = self.post(urlencode({"payload": json.dumps(payload)}))
        self.wait_idle()
        return response

    def event(self, envelope: dict[str, Any]) -> httpx.Response:
        response = self.post(json.dumps(envelope), content_type="application/json")
        self.wait_idle()
        return response
