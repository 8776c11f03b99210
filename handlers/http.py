"""The WSGI application HTTP mode serves: ``POST /slack/events`` and ``GET /healthz``.

The signature is checked here, before Bolt parses anything, so a forged or
stale request is answered 401 even when its body is malformed, and a body
that is signed but not parseable gets a 400 instead of a traceback.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from storage import Database

log = logging.getLogger("sso_bot.http")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's own payloads are far smaller; refusing early keeps a huge paste from costing memory.
MAX_BODY_BYTES = 1_048_576

StartResponse = Callable[..., Any]


class SlackWsgiApp:
    def __init__(self, app: App, db: Database, signing_secret: str) -> None:
        self.app = app
        self.db = db
        self.verifier = SignatureVerifier(signing_secret)

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
        text = body.decode("utf-8", errors="replace")
        if not self.verifier.is_valid_request(text, headers):
            log.info("rejected a request with a missing, wrong or stale signature")
            return _reply(start_response, 401, {"error": "invalid signature"})
        problem = _malformed(text, headers.get("content-type", ""))
        if problem:
            log.info("rejected a signed but malformed request: %s", problem)
            return _reply(start_response, 400, {"error": problem})
        request = BoltRequest(body=text, query=environ.get("QUERY_STRING", ""),
                              headers={k: [v] for k, v in headers.items()})
        response = self.app.dispatch(request)
        out_headers = [(name, value) for name, values in response.headers.items() for value in values]
        start_response(f"{response.status} {_REASONS.get(response.status, 'Status')}", out_headers)
        return [response.body.encode("utf-8")]


def _read_body(environ: dict[str, Any]) -> tuple[bytes, tuple[int, str] | None]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return b"", (400, "bad Content-Length")
    if length > MAX_BODY_BYTES:
        return b"", (413, f"request body over {MAX_BODY_BYTES} bytes")
    return environ["wsgi.input"].read(length) if length > 0 else b"", None


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def _malformed(text: str, content_type: str) -> str | None:
    """Why Bolt could not parse this body, or None when it can."""
    if content_type.startswith("application/json"):
        try:
            parsed = json.loads(text)
        except ValueError:
            return "body is not valid JSON"
        return None if isinstance(parsed, dict) else "JSON body is not an object"
    form = parse_qs(text, keep_blank_values=True)
    if "payload" in form:
        try:
            payload = json.loads(form["payload"][0])
        except ValueError:
            return "payload field is not valid JSON"
        if not isinstance(payload, dict):
            return "payload field is not a JSON object"
    elif "command" not in form and "ssl_check" not in form:
        return "form body has neither a command nor a payload"
    return None


def _reply(start_response: StartResponse, status: int, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode("utf-8")
    start_response(f"{status} {_REASONS.get(status, 'Status')}",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
            413: "Payload Too Large", 500: "Internal Server Error", 503: "Service Unavailable"}
