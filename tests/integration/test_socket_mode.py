"""`sso-bot serve` in Socket Mode, as a real process, against a fake Socket Mode endpoint."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.integration.test_serve_process import _clean_env
from tests.support.fake_socket_mode import FakeSocketMode


@pytest.fixture
def socket_endpoint(fake_slack):
    endpoint = FakeSocketMode().start()
    fake_slack.socket_mode_url = endpoint.url
    yield endpoint
    endpoint.stop()


def test_socket_mode_answers_a_slash_command_and_stops_on_sigterm(fake_slack, socket_endpoint, database_url, tmp_path):
    env = _clean_env(SLACK_BOT_TOKEN="xoxb-socket-test", SLACK_APP_TOKEN="xapp-1-A0SSOBOT1-socket-test",
                     SLACK_API_URL=fake_slack.api_url, DATABASE_URL=database_url)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=env, cwd=tmp_path,
                            stderr=subprocess.PIPE, text=True)
    try:
        socket_endpoint.wait_connected()
        socket_endpoint.send({
            "envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
            "payload": {"token": "unused", "team_id": "T0SSOBOT1", "team_domain": "sso-bot-test",
                        "channel_id": "C0SSO0001", "channel_name": "identity-ops", "user_id": "U0ADMIN01",
                        "user_name": "ada", "command": "/sso", "text": "help", "api_app_id": "A0SSOBOT1",
                        "response_url": fake_slack.response_url("s"), "trigger_id": "1.2.3"},
        })
        ack = socket_endpoint.receive()
        assert ack["envelope_id"] == "env-1"
        assert ack["payload"]["response_type"] == "ephemeral"
        assert "/sso help" in str(ack["payload"]["blocks"])
        assert fake_slack.calls_to("apps.connections.open")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=20)
    assert code == 0, proc.stderr.read()


def test_socket_mode_without_app_token_is_explained(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot", "serve", "--socket"],
                            env=_clean_env(SLACK_BOT_TOKEN="xoxb-x"), cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN" in result.stderr and "connections:write" in result.stderr
