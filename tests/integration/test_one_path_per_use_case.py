"""The command line and Slack reach each use case through the same function in ``services/``.

For every use case both offer, the test spies on the service function, drives ``sso-bot ...`` (the
real ``bot.cli.main``, in this process) and a signed Slack request through the running app, and
checks that each went through the spy once, with the effect showing in the shared database.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable

import pytest

import services.credentials
import services.diagnose
import services.reminders
from bot.cli import main
from storage.credentials import find_credential
from tests.support.fake_slack import TEAM_ID
from tests.support.slack_app import RunningApp

ADMIN = "U0ADMIN01"


class Spy:
    """Counts the calls of service functions, which keep doing their work."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.calls: list[str] = []

    def on(self, owner: Any, name: str) -> "Spy":
        real: Callable = getattr(owner, name)

        def spying(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return real(*args, **kwargs)

        self.monkeypatch.setattr(owner, name, spying)
        return self

    def take(self) -> list[str]:
        calls, self.calls = self.calls, []
        return calls


@pytest.fixture
def app(fake_slack, database_url, monkeypatch):
    running = RunningApp(fake_slack, database_url, admins=frozenset({ADMIN}), reminder_pace=0.0).start()
    for name, value in {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "xoxb-cli", "SLACK_API_URL": fake_slack.api_url,
                        "SSO_BOT_REMINDER_PACE": "0"}.items():
        monkeypatch.setenv(name, value)
    yield running
    running.stop()


@pytest.fixture
def spy(monkeypatch) -> Spy:
    return Spy(monkeypatch)


def _cli(*argv: str) -> int:
    return main(list(argv))


def _track_submission(label: str, expires: str) -> dict:
    values = {
        "credential.label": {"value": {"type": "plain_text_input", "value": label}},
        "credential.kind": {"value": {"type": "static_select", "selected_option": {"value": "scim-token"}}},
        "credential.idp": {"value": {"type": "static_select", "selected_option": {"value": "entra"}}},
        "credential.env": {"value": {"type": "plain_text_input", "value": "prod"}},
        "credential.channel": {"value": {"type": "conversations_select", "selected_conversation": "C0REMIND1"}},
        "credential.secret": {"value": {"type": "plain_text_input", "value": None}},
        "credential.issued": {"value": {"type": "datepicker", "selected_date": None}},
        "credential.expires": {"value": {"type": "datepicker", "selected_date": expires}},
    }
    return {"type": "view_submission", "team": {"id": TEAM_ID, "domain": "sso-bot-test"},
            "user": {"id": ADMIN, "username": "ada", "team_id": TEAM_ID}, "api_app_id": "A0SSOBOT1",
            "token": "unused", "trigger_id": "111.222.trigger",
            "view": {"id": "V0001", "team_id": TEAM_ID, "type": "modal", "callback_id": "credential.track_modal",
                     "private_metadata": "", "state": {"values": values}, "hash": "h",
                     "title": {"type": "plain_text", "text": "x"}, "blocks": []}}


def _untrack_click(app: RunningApp, credential_id: int) -> dict:
    return {"type": "block_actions", "team": {"id": TEAM_ID, "domain": "sso-bot-test"},
            "user": {"id": ADMIN, "username": "ada", "team_id": TEAM_ID}, "api_app_id": "A0SSOBOT1",
            "token": "unused", "trigger_id": "333.444.trigger",
            "container": {"type": "message", "message_ts": "1700000001.000100", "channel_id": "C0REMIND1",
                          "is_ephemeral": False},
            "channel": {"id": "C0REMIND1", "name": "identity-ops"},
            "message": {"type": "message", "ts": "1700000001.000100", "text": "reminder"},
            "response_url": app.fake.response_url("click"),
            "actions": [{"action_id": "credential.untrack", "block_id": "b", "value": str(credential_id),
                         "text": {"type": "plain_text", "text": "x"}, "type": "button",
                         "action_ts": "1700000002.000200"}]}


def _in_a_month() -> str:
    return (date.today() + timedelta(days=30)).isoformat()


def test_track_and_remove_go_through_the_same_service_functions(app, spy):
    spy.on(services.credentials, "track").on(services.credentials, "remove")

    assert _cli("credentials", "add", "--label", "from the cli", "--kind", "scim-token", "--idp", "entra",
                "--channel", "C0REMIND1", "--team", TEAM_ID, "--expires-at", _in_a_month()) == 0
    assert spy.take() == ["track"]
    assert app.interaction(_track_submission("from slack", _in_a_month())).status_code == 200
    assert spy.take() == ["track"]
    cli_row, slack_row = find_credential(app.db, TEAM_ID, "from the cli"), find_credential(app.db, TEAM_ID, "from slack")
    assert cli_row is not None and slack_row is not None

    assert _cli("credentials", "remove", "from slack", "--team", TEAM_ID) == 0
    assert spy.take() == ["remove"]
    assert app.interaction(_untrack_click(app, cli_row.id)).status_code == 200
    assert spy.take() == ["remove"]
    assert find_credential(app.db, TEAM_ID, "from the cli") is None
    assert find_credential(app.db, TEAM_ID, "from slack") is None


def test_listing_goes_through_the_same_service_function(app, spy, capsys):
    assert _cli("credentials", "add", "--label", "listed", "--kind", "client-secret", "--idp", "okta",
                "--channel", "C0REMIND1", "--team", TEAM_ID, "--expires-at", _in_a_month()) == 0
    spy.on(services.credentials, "listing")
    assert _cli("credentials", "list", "--json") == 0
    assert spy.take() == ["listing"] and "listed" in capsys.readouterr().out
    app.command("tracked")
    assert spy.take() == ["listing"] and "listed" in app.fake.everything_sent()


def test_diagnose_goes_through_the_same_service_function(app, spy, capsys):
    spy.on(services.diagnose, "diagnose")
    assert _cli("diagnose", "AADSTS50011: The redirect URI does not match") == 1  # a failing finding: exit 1
    assert spy.take() == ["diagnose"] and "AADSTS50011" in capsys.readouterr().out
    app.command("diagnose AADSTS50011: The redirect URI does not match")
    assert spy.take() == ["diagnose"] and "AADSTS50011" in app.fake.everything_sent()


def test_posting_due_reminders_goes_through_the_same_service_function(app, spy, capsys, monkeypatch):
    # run-once sets up the process's logging (a stderr handler on the root logger): not this test process's.
    monkeypatch.setattr("bot.logs.configure_logging", lambda *_args, **_kwargs: None)
    assert _cli("credentials", "add", "--label", "due now", "--kind", "scim-token", "--idp", "entra",
                "--channel", "C0REMIND1", "--team", TEAM_ID,
                "--expires-at", (date.today() + timedelta(days=3)).isoformat()) == 0
    spy.on(services.reminders.ReminderPoster, "tick")
    assert _cli("reminders", "run-once", "--dry-run") == 0
    assert spy.take() == ["tick"] and "would post red reminder for 'due now'" in capsys.readouterr().out
    app.runtime.deps.scheduler.run_once()  # what `sso-bot serve` runs every minute
    assert spy.take() == ["tick"]
    assert [c.params["channel"] for c in app.fake.calls_to("chat.postMessage")] == ["C0REMIND1"]


def test_the_weekly_digest_is_set_and_posted_through_the_same_service_functions(app, spy, capsys, monkeypatch):
    import json as _json
    from datetime import datetime, timezone

    from freezegun import freeze_time

    import services.digests

    monkeypatch.setattr("bot.logs.configure_logging", lambda *_args, **_kwargs: None)
    spy.on(services.digests, "configure")
    assert _cli("reminders", "digest", "set", "--channel", "C0REMIND1", "--team", TEAM_ID, "--day", "friday",
                "--hour", "17", "--tz", "Europe/Berlin") == 0
    assert spy.take() == ["configure"] and "Fridays at 17:00 (Europe/Berlin)" in capsys.readouterr().out
    app.command("digest thursday 08:00 UTC", channel_id="C0REMIND2")
    assert spy.take() == ["configure"]
    assert _cli("reminders", "digest", "list", "--json") == 0
    listed = {row["channel"]: row["schedule"] for row in _json.loads(capsys.readouterr().out)}
    assert listed == {"C0REMIND1": "Fridays at 17:00 (Europe/Berlin)", "C0REMIND2": "Thursdays at 08:00 (UTC)"}

    spy.on(services.digests.DigestPoster, "tick")
    with freeze_time(datetime.now(timezone.utc) + timedelta(days=8)):  # both are due within a week
        assert _cli("reminders", "run-once", "--dry-run") == 0
        assert spy.take() == ["tick"] and "would post the weekly digest in C0REMIND1" in capsys.readouterr().out
        app.runtime.deps.scheduler.run_once()  # what `sso-bot serve` runs every minute
    assert spy.take() == ["tick"]
    assert sorted(c.params["channel"] for c in app.fake.calls_to("chat.postMessage")) == ["C0REMIND1", "C0REMIND2"]
