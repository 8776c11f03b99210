"""Requests an attacker or a careless client sends, through the running app (real waitress, real Bolt).

Each asserts the status and that nothing reached the log as a traceback or an error: bad signature
headers, every malformed shape of ``tests/unit/test_inbound.py`` over HTTP, deep nesting, listeners
failing before and after their ack, and slow or idle connections (small crowds; waits on sockets,
never on a clock)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import select
import socket
import time
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select as sql_select

import services.diagnose
from storage.models import AuditEvent
from tests.support import payloads
from tests.support.signing import signature
from tests.support.slack_app import SIGNING_SECRET, RunningApp
from tests.unit.runtime.test_inbound import REFUSED


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def assert_no_traceback(logs) -> None:
    bad = [f"{r.name} {r.levelname}: {r.getMessage()[:200]}" for r in logs.records
           if r.exc_info or r.levelno >= logging.ERROR or "Traceback" in r.getMessage()]
    assert not bad, "\n".join(bad)


def slack_calls(app: RunningApp) -> list[str]:
    """Web API methods the app called for requests (auth.test at start-up does not count)."""
    return [c.method for c in app.fake.calls if c.method != "auth.test"]


def audit_rows(app: RunningApp) -> list[AuditEvent]:
    app.wait_idle()
    with app.db.session() as session:
        return list(session.exec(sql_select(AuditEvent)).all())


def raw_exchange(app: RunningApp, request: bytes, timeout: float = 10) -> tuple[int, bytes]:
    """Send bytes as they are (headers httpx would refuse to send) and read the whole answer."""
    with socket.create_connection(("127.0.0.1", app.server.port), timeout=timeout) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer


def signed_raw(body: bytes, timestamp: str | bytes, sig: str | bytes | None = None,
               content_type: str = "application/x-www-form-urlencoded") -> bytes:
    ts = timestamp if isinstance(timestamp, bytes) else timestamp.encode("utf-8")
    if sig is None:
        digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts + b":" + body, hashlib.sha256).hexdigest()
        sig = f"v0={digest}"
    sig = sig if isinstance(sig, bytes) else sig.encode("utf-8")
    return (b"POST /slack/events HTTP/1.1\r\nHost: sso-bot\r\nConnection: close\r\n"
            b"Content-Type: " + content_type.encode() + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n"
            b"X-Slack-Request-Timestamp: " + ts + b"\r\nX-Slack-Signature: " + sig + b"\r\n\r\n" + body)


# --------------------------------------------------------------------------- before the signature holds

BAD_TIMESTAMPS = {"abc": b"abc", "empty": b"", "huge": b"9" * 400, "negative": b"-5", "float": b"1.5e9",
                  "arabic digits": "\u0661\u0662\u0663".encode(), "fullwidth digits": "\uff11\uff12".encode(),
                  "hex": b"0x10", "plus sign": b"+1700000000", "inner space": b"17 00",
                  "latin-1 byte": b"17\xff00"}


@pytest.mark.parametrize("name", list(BAD_TIMESTAMPS))
def test_a_malformed_timestamp_is_a_401_and_no_traceback(slack_app, logs, name):
    body = slack_app.command_body("help").encode()
    status, _ = raw_exchange(slack_app, signed_raw(body, BAD_TIMESTAMPS[name]))
    assert status == 401
    assert any("malformed timestamp" in r.getMessage() for r in logs.records)
    assert_no_traceback(logs)
    assert audit_rows(slack_app) == [] and slack_calls(slack_app) == []


@pytest.mark.parametrize("sig", [b"", b"v0=", b"v0=" + b"\xff" * 64, b"v0=" + "\u00e9".encode() * 32,
                                 b"v0=" + b"A" * 64, b"sha256=" + b"a" * 64, b"v0=" + b"a" * 64 + b", v0=x"])
def test_a_malformed_signature_is_a_401_and_no_traceback(slack_app, logs, sig):
    body = slack_app.command_body("help").encode()
    status, _ = raw_exchange(slack_app, signed_raw(body, str(int(time.time())), sig))
    assert status == 401
    assert_no_traceback(logs)


def test_a_wrong_signature_on_a_malformed_body_is_a_401_not_a_400(slack_app, logs):
    status, _ = raw_exchange(slack_app, signed_raw(b"payload=%7Bnot+json", str(int(time.time())), "v0=" + "0" * 64))
    assert status == 401
    assert_no_traceback(logs)


@pytest.mark.parametrize("length", [b"abc", b"-1", b"1e3"])
def test_a_malformed_content_length_is_refused_by_the_server(slack_app, logs, length):
    request = (b"POST /slack/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + length
               + b"\r\n\r\nabc")
    status, _ = raw_exchange(slack_app, request)
    assert status == 400
    assert_no_traceback(logs)


def test_a_body_over_the_cap_is_refused_before_it_is_sent(slack_app, logs):
    """413 as soon as the headers announce it: the server never reads (or buffers) the body."""
    with socket.create_connection(("127.0.0.1", slack_app.server.port), timeout=10) as sock:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 413")
    assert_no_traceback(logs)


# --------------------------------------------------------------------------- signed, but not what Slack sends


def signed_post(app: RunningApp, body: bytes, content_type: str) -> httpx.Response:
    ts = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    response = app.http.post(f"{app.url}/slack/events", content=body,
                             headers={"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                                      "X-Slack-Signature": f"v0={digest}"})
    app.wait_idle()
    return response


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_signed_malformed_request_is_refused_with_one_log_line(slack_app, logs, name):
    body, content_type, status = REFUSED[name]
    response = signed_post(slack_app, body if isinstance(body, bytes) else body.encode(), content_type)
    assert response.status_code == status
    lines = [r for r in logs.records if r.name == "sso_bot.http"]
    assert len(lines) == 1 and ("malformed" in lines[0].getMessage())
    assert_no_traceback(logs)
    assert audit_rows(slack_app) == [] and slack_calls(slack_app) == []


def test_a_command_whose_text_says_payload_is_answered(slack_app, logs):
    """Bolt's own form parser read this body as empty: no listener, a 404 in Slack."""
    response = slack_app.command("domains example.com payload jane@example.com")
    assert response.status_code == 200
    assert slack_app.fake.calls_to("response_url"), "the domains reply never came"
    assert_no_traceback(logs)


# --------------------------------------------------------------------------- listeners that fail


@pytest.mark.parametrize("subcommand", ["scim", "domains", "explain", "redirect"])
def test_an_argument_less_subcommand_answers_every_time(slack_app, logs, subcommand):
    """It acks, then raises a UserError: every call is a 200 with the hint, never a late 404."""
    for _ in range(5):
        assert slack_app.command(subcommand).status_code == 200
    replies = slack_app.fake.calls_to("response_url")
    assert len(replies) == 5 and all(r.params["text"].startswith(":warning: Give me") for r in replies)
    assert not [r for r in logs.records if "ack()" in r.getMessage()]
    assert_no_traceback(logs)


def test_a_listener_failing_before_its_ack_is_answered_not_a_500(slack_app, logs, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(services.diagnose, "run_check", broken)  # every check runs through bot.checks.run_check
    submission = payloads.view_submission("diagnose.modal", {"diagnose.input": {"value": {
        "type": "plain_text_input", "value": "AADSTS50105"}}})
    response = slack_app.interaction(submission)
    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "update" and "Something went wrong on our side (ref " in json.dumps(body)
    errors = [r for r in logs.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None  # our bug: one line, with its reference


def test_every_listener_is_registered_inside_the_error_boundary(slack_app):
    listeners = slack_app.runtime.app._listeners
    assert len(listeners) >= 15
    assert all(getattr(listener.ack_function, "guarded", False) for listener in listeners)


# --------------------------------------------------------------------------- anything that passes the edge is handled

_json_values = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.text(max_size=12),
                            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                        max_size=3), max_leaves=6)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, prefix + (index,))


def _replace(value, path, new):
    if not path:
        return new
    copy = value.copy()
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


def _bases(app: RunningApp) -> list[tuple[str, dict]]:
    url = app.fake.response_url("fuzz")
    return [
        ("form", payloads.block_actions("report.share", "0123456789abcdef", response_url=url)),
        ("form", payloads.block_actions("credential.renew", "1:1", response_url=url)),
        ("form", payloads.block_actions("checklist.tick", None, response_url=url, action={
            "type": "checkboxes", "block_id": "cl.tick|0123abcd|0.0|00",
            "selected_options": [{"value": "a", "text": {"type": "plain_text", "text": "a"}}]})),
        ("form", payloads.block_actions("checklist.check.1", "0123abcd|step", response_url=url)),
        ("form", payloads.view_submission("credential.renew_modal", {"credential.expires": {"value": {
            "type": "datepicker", "selected_date": "2030-01-01"}}}, private_metadata='{"id": 1, "gen": 1}')),
        ("form", payloads.view_submission("checklist.check_modal", {"checklist.check_input": {"value": {
            "type": "plain_text_input", "value": "https://a.example.com/scim/v2"}}},
            private_metadata='{"run": "0123abcd", "item": "step"}')),
        ("json", payloads.app_home_opened()),
    ]


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_anything_that_passes_the_edge_is_handled_without_a_traceback(slack_app, logs, data):
    kind, base = data.draw(st.sampled_from(_bases(slack_app)))
    path = data.draw(st.sampled_from(list(_paths(base))[1:]))
    mutated = _replace(base, path, data.draw(_json_values))
    logs.clear()
    if kind == "json":
        response = signed_post(slack_app, json.dumps(mutated).encode(), "application/json")
    else:
        response = signed_post(slack_app, urlencode({"payload": json.dumps(mutated)}).encode(),
                               "application/x-www-form-urlencoded")
    assert response.status_code in (200, 400, 404), (path, response.text[:200])
    assert_no_traceback(logs)


# --------------------------------------------------------------------------- slow and idle connections

CROWD = 150  # more than waitress's default connection limit (100), at which it used to stop accepting


def _crowd(app: RunningApp) -> list[socket.socket]:
    """A third silent, a third sending headers and withholding the body, a third started on a trickle."""
    sockets = []
    for n in range(CROWD):
        sock = socket.create_connection(("127.0.0.1", app.server.port), timeout=10)
        if n % 3 == 1:
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        elif n % 3 == 2:
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nX-Slow: a")
        sockets.append(sock)
    return sockets


def _still_open(sock: socket.socket) -> bool:
    readable, _, _ = select.select([sock], [], [], 0)
    return not readable  # a closed connection reads as end-of-file at once


@pytest.fixture
def patient_app(fake_slack, database_url):
    """A deadline far longer than the test, so the crowd is certainly still open while it is probed."""
    app = RunningApp(fake_slack, database_url, http={"request_deadline": 600}).start()
    yield app
    app.stop()


def test_a_crowd_of_slow_connections_does_not_block_anyone_else(patient_app, logs):
    assert patient_app.server.connection_limit > CROWD
    crowd = _crowd(patient_app)
    try:
        with httpx.Client(timeout=10, limits=httpx.Limits(max_keepalive_connections=0)) as fresh:
            assert fresh.get(f"{patient_app.url}/healthz").status_code == 200
            body = patient_app.command_body("help")
            answer = fresh.post(f"{patient_app.url}/slack/events", content=body,
                                headers={"Content-Type": "application/x-www-form-urlencoded",
                                         "X-Slack-Request-Timestamp": str(int(time.time())),
                                         "X-Slack-Signature": signature(SIGNING_SECRET, int(time.time()), body)})
            assert answer.status_code == 200 and "/sso help" in answer.text
        assert all(_still_open(sock) for sock in crowd), "the crowd was dropped, so it proves nothing"
    finally:
        for sock in crowd:
            sock.close()
    assert_no_traceback(logs)


@pytest.fixture
def strict_app(fake_slack, database_url):
    app = RunningApp(fake_slack, database_url, http={"request_deadline": 1.0}).start()
    yield app
    app.stop()


def _closed_by_server(sock: socket.socket, trickle: bytes | None = None, rounds: int = 100) -> bool:
    """Wait (on the socket) until the server closes it, sending ``trickle`` a byte at a time meanwhile."""
    for n in range(rounds):
        readable, _, _ = select.select([sock], [], [], 0.2)
        if readable:
            try:
                return sock.recv(65536) == b""
            except ConnectionResetError:
                return True
        if trickle:
            sock.sendall(trickle[n % len(trickle):][:1])
    return False


@pytest.mark.parametrize("start, trickle", [
    (b"", None),  # connects and says nothing
    (b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n", None),  # withholds the body
    (b"POST /slack/events HTTP/1.1\r\n", b"X-Slow-Header-Forever: aaaa"),  # a byte at a time, never done
], ids=["silent", "headers-only", "trickle"])
def test_a_connection_that_never_completes_a_request_is_closed(strict_app, logs, start, trickle):
    with socket.create_connection(("127.0.0.1", strict_app.server.port), timeout=10) as sock:
        if start:
            sock.sendall(start)
        assert _closed_by_server(sock, trickle)
    assert any("sent no complete request" in r.getMessage() for r in logs.records)
    assert_no_traceback(logs)
