"""`sso-bot serve` as a real process, the way an operator runs it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.support.signing import signed_headers

SECRET = "process-test-signing-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "PORT"))}
    env.update(extra)
    return env


@pytest.fixture
def served(fake_slack, database_url, tmp_path):
    port = _free_port()
    env = _clean_env(SLACK_BOT_TOKEN="xoxb-process-test", SLACK_SIGNING_SECRET=SECRET,
                     SLACK_API_URL=fake_slack.api_url, DATABASE_URL=database_url)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    # Block on the server's own "serving" line rather than polling the port.
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if "is serving on" in line:
            break
    else:
        proc.wait(timeout=10)
        pytest.fail("sso-bot serve exited early:\n" + "".join(lines))
    yield proc, f"http://127.0.0.1:{port}"
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


def _command_body(fake_slack, text: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"team_id": "T0SSOBOT1", "user_id": "U0ADMIN01", "channel_id": "C0SSO0001",
                      "command": "/sso", "text": text, "response_url": fake_slack.response_url("p"),
                      "trigger_id": "1.2.3"})


def test_serve_http_end_to_end_then_sigterm(served, fake_slack):
    proc, url = served
    body = _command_body(fake_slack, "help")
    started = time.monotonic()
    ok = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(SECRET, body), timeout=5)
    assert ok.status_code == 200 and time.monotonic() - started < 3
    assert "/sso help" in ok.text
    forged = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers("wrong", body), timeout=5)
    assert forged.status_code == 401
    stale = httpx.post(f"{url}/slack/events", content=body,
                       headers=signed_headers(SECRET, body, timestamp=int(time.time()) - 600), timeout=5)
    assert stale.status_code == 401
    assert httpx.get(f"{url}/healthz", timeout=5).json() == {"status": "ok", "database": "ok"}
    assert fake_slack.calls_to("auth.test"), "the app checks its token at start-up"

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0
    assert "stopped" in proc.stderr.read()


def test_serve_without_slack_variables_explains_what_to_set(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], env=_clean_env(), cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr and "SLACK_SIGNING_SECRET" in result.stderr
    # Socket Mode first: it is what manifest.yml turns on, and it needs no public URL.
    first = result.stderr.splitlines()[0]
    assert "Socket Mode" in first and result.stderr.index("SLACK_APP_TOKEN") < result.stderr.index("SLACK_SIGNING_SECRET")
    assert "api.slack.com/apps" in result.stderr and "works offline" in result.stderr and " diagnose " in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_serve_with_a_rejected_token_says_so(fake_slack, tmp_path):
    from tests.support.fake_slack import Fault

    fake_slack.fail_next("auth.test", Fault(status=200, body={"ok": False, "error": "invalid_auth"}))
    env = _clean_env(SLACK_BOT_TOKEN="xoxb-revoked", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake_slack.api_url,
                     DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    result = subprocess.run([sys.executable, "-m", "bot", "serve", "--http", "--port", str(_free_port())],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "invalid_auth" in result.stderr and "Traceback" not in result.stderr


def test_bad_setting_is_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], env=_clean_env(PORT="eighty"), cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "sso-bot: configuration error: PORT must be a whole number, got 'eighty'"


def test_db_upgrade_command(tmp_path, database_url):
    result = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=_clean_env(DATABASE_URL=database_url),
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    from storage.migrate import head_revision

    assert f"is at revision {head_revision()}" in result.stdout
    assert "+" not in head_revision(), "migration branches must be merged into one head"
