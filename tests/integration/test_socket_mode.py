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


def test_socket_mode_drops_a_malformed_payload_with_an_ack_and_no_traceback(fake_slack, socket_endpoint, database_url,
                                                                           tmp_path):
    """The HTTP edge's shape check runs in front of Socket Mode too: acknowledged (Slack would resend), dropped."""
    env = _clean_env(SLACK_BOT_TOKEN="xoxb-socket-test", SLACK_APP_TOKEN="xapp-1-A0SSOBOT1-socket-test",
                     SLACK_API_URL=fake_slack.api_url, DATABASE_URL=database_url)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=env, cwd=tmp_path,
                            stderr=subprocess.PIPE, text=True)
    try:
        socket_endpoint.wait_connected()
        socket_endpoint.send({"envelope_id": "bad-1", "type": "interactive", "accepts_response_payload": False,
                              "payload": {"type": "block_actions", "team": {"id": "T0SSOBOT1"},
                                          "user": {"id": "U0ADMIN01"}, "trigger_id": "1", "actions": []}})
        socket_endpoint.send({"envelope_id": "bad-2", "type": "events_api", "accepts_response_payload": False,
                              "payload": {"type": "event_callback", "team_id": "T0SSOBOT1",
                                          "event": {"type": "app_home_opened", "user": 5}}})
        acks = [socket_endpoint.receive(), socket_endpoint.receive()]
        assert sorted(a["envelope_id"] for a in acks) == ["bad-1", "bad-2"]
        assert all("payload" not in a for a in acks)
        assert not fake_slack.calls_to("views.publish")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=20)
    stderr = proc.stderr.read()
    assert code == 0, stderr
    assert stderr.count("dropped a malformed Socket Mode") == 2 and "Traceback" not in stderr
