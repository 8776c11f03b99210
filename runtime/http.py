"""The WSGI application HTTP mode serves: ``POST /slack/events`` and ``GET /healthz``.

The signature is checked here, before Bolt parses anything, so a forged or
stale request is answered 401 even when its body or its headers are malformed;
then ``runtime.inbound`` parses the body once and checks its shape, so a
signed request Slack would never send gets a 400 (or a quiet 200 for an event)
and one log line instead of a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from typing import Any, Callable, Iterable

from slack_bolt import App, BoltRequest

from handlers.shared.errors import new_ref
from runtime.inbound import Refused, read_request
from storage import Database

log = logging.getLogger("sso_bot.http")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's own payloads are far smaller; refusing early keeps a huge paste from costing memory.
MAX_BODY_BYTES = 1_048_576

StartResponse = Callable[..., Any]


class SlackWsgiApp:
    def __init__(self, app: App, db: Database, signing_secret: str, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.app = app
        self.db = db
        self.signature = SlackSignature(signing_secret, clock)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH:
            return self._health(start_response) if method in ("GET", "HEAD") else _reply(start_response, 405, {"error": "use GET"})
        if path == EVENTS_PATH:
            return self._events(environ, start_response) if method == "POST" else _reply(start_response, 405, {"error": "use POST"})
        return _reply(start_response, 404, {"error": "not found", "paths": [EVENTS_PATH, HEALTH_PATH]})

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        if self.db.ping():
            return _reply(start_response, 200, {"status": "ok", "database": "ok"})
        return _reply(start_response, 503, {"status": "unavailable", "database": "unreachable"})

    def _events(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        body, error = _read_body(environ)
        if error is not None:
            return _reply(start_response, error[0], {"error": error[1]})
        headers = _headers(environ)
        refusal = self.signature.problem(headers, body)
        if refusal is not None:
            log.info("rejected a request: %s", refusal)
            return _reply(start_response, 401, {"error": "invalid signature"})
        try:
            inbound = read_request(body, headers.get("content-type", ""))
        except Refused as refused:
            if refused.status == 200:
                log.info("ignored a signed but malformed event: %s", refused.reason)
                return _reply(start_response, 200, {"ignored": "malformed event"})
            log.info("rejected a signed but malformed request: %s", refused.reason)
            return _reply(start_response, refused.status, {"error": refused.reason})
        # Bolt gets the dict that was checked, not the text: its own parser could read the text otherwise
        # (see runtime.inbound). Bolt calls an already-parsed body "socket_mode"; the name changes nothing
        # else here, as Bolt's signature check is off (done above) and no listener is lazy.
        request = BoltRequest(body=inbound.body, query=environ.get("QUERY_STRING", ""), mode="socket_mode",
                              headers={k: [v] for k, v in headers.items()})
        try:
            response = self.app.dispatch(request)
        except Exception:  # a bug of ours or Bolt's: a reference in the log and the answer, never a bare 500
            ref = new_ref()
            log.exception("dispatching a %s request failed ref=%s", inbound.kind, ref)
            return _reply(start_response, 500, {"error": "internal error", "ref": ref})
        out_headers = [(name, value) for name, values in response.headers.items() for value in values]
        start_response(f"{response.status} {_REASONS.get(response.status, 'Status')}", out_headers)
        return [response.body.encode("utf-8")]


class SlackSignature:
    """Slack's v0 request signature: HMAC-SHA256 of ``v0:<timestamp>:<raw body>`` with the signing secret,
    within five minutes of the timestamp. Both headers are checked to be what Slack sends (digits; ``v0=``
    and 64 hex digits) before anything is computed from them."""

    MAX_AGE = 300

    def __init__(self, signing_secret: str, clock: Callable[[], float]) -> None:
        self._key = signing_secret.encode("utf-8")
        self._clock = clock

    def problem(self, headers: dict[str, str], body: bytes) -> str | None:
        """Why the request is not Slack's (for the log), or None when its signature holds."""
        timestamp = headers.get("x-slack-request-timestamp")
        signature = headers.get("x-slack-signature")
        if timestamp is None or signature is None:
            return "no signature"
        if not _TIMESTAMP.fullmatch(timestamp):
            return "malformed timestamp"
        if abs(self._clock() - int(timestamp)) > self.MAX_AGE:
            return "stale or future timestamp"
        if not _SIGNATURE.fullmatch(signature):
            return "malformed signature"
        expected = hmac.new(self._key, b"v0:" + timestamp.encode("ascii") + b":" + body, hashlib.sha256).hexdigest()
        return None if hmac.compare_digest(expected, signature[3:]) else "wrong signature"


# Unix seconds: ASCII digits only (``[0-9]`` is ASCII in ``re``, unlike ``int()``, which takes any digits).
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_LENGTH = re.compile(r"[0-9]{1,12}")


def _read_body(environ: dict[str, Any]) -> tuple[bytes, tuple[int, str] | None]:
    raw = environ.get("CONTENT_LENGTH") or "0"
    if not _LENGTH.fullmatch(raw):
        return b"", (400, "bad Content-Length")
    length = int(raw)
    if length > MAX_BODY_BYTES:
        return b"", (413, f"request body over {MAX_BODY_BYTES} bytes")
    return environ["wsgi.input"].read(length) if length > 0 else b"", None


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def _reply(start_response: StartResponse, status: int, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode("utf-8")
    start_response(f"{status} {_REASONS.get(status, 'Status')}",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
            413: "Payload Too Large", 500: "Internal Server Error", 503: "Service Unavailable"}
