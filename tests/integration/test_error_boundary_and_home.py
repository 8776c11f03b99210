"""The error boundary and the App Home, through the running app."""

from __future__ import annotations

import json
import logging
import re

import pytest

import handlers.app
from handlers.shared.commands import Outcome, Subcommand
from handlers.shared.errors import UserError
from tests.support.slack_app import RunningApp


def _boom(ctx) -> Outcome:
    raise RuntimeError("database exploded with token xoxb-1234567890-abcdefghij")


def _polite(ctx) -> Outcome:
    raise UserError("That SCIM URL has no host.", "Try `/sso help`.")


@pytest.fixture
def failing_app(fake_slack, database_url, monkeypatch):
    real = handlers.app.build_router

    def router_with_failures():
        router = real()
        router.add(Subcommand("boom", "/sso boom", "fails unexpectedly", run=_boom))
        router.add(Subcommand("polite", "/sso polite", "fails politely", run=_polite))
        return router

    monkeypatch.setattr(handlers.app, "build_router", router_with_failures)
    app = RunningApp(fake_slack, database_url).start()
    yield app
    app.stop()


def test_unexpected_error_gives_a_reference_and_logs_the_traceback(failing_app, caplog):
    with caplog.at_level(logging.ERROR, logger="sso_bot.errors"):
        response = failing_app.command("boom")
    assert response.status_code == 200  # acknowledged before the failure
    replies = failing_app.fake.calls_to("response_url")
    assert len(replies) == 1
    text = replies[0].params["text"]
    match = re.search(r"ref ([A-Z0-9]{6})", text)
    assert match and "Something went wrong" in text
    assert replies[0].params["response_type"] == "ephemeral"
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert "database exploded" not in text  # the cause stays in the log


def test_user_error_is_a_friendly_ephemeral_message(failing_app):
    failing_app.command("polite")
    replies = failing_app.fake.calls_to("response_url")
    assert replies[0].params["text"].startswith(":warning: That SCIM URL has no host.")
    assert "ref " not in replies[0].params["text"]


def test_failures_are_audited_with_their_outcome(failing_app):
    from sqlmodel import select

    from storage.models import AuditEvent

    failing_app.command("boom")
    failing_app.command("polite")
    with failing_app.db.session() as session:
        rows = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(r.action, r.outcome) for r in rows] == [("boom", "error"), ("polite", "user_error")]


def test_home_tab_is_published_when_opened(slack_app, corpus):
    envelopes = json.loads((corpus / "slack" / "bolt_python_payloads" / "event_app_home_opened.json").read_text())
    envelope = json.loads(json.dumps(envelopes[0]["payload"]))
    envelope["event"]["tab"] = "home"
    envelope["team_id"] = "T0SSOBOT1"
    envelope.pop("enterprise_id", None)
    envelope["authorizations"] = [{"team_id": "T0SSOBOT1", "user_id": "U0SSOBOT1", "is_bot": True,
                                   "is_enterprise_install": False, "enterprise_id": None}]
    response = slack_app.event(envelope)
    assert response.status_code == 200
    published = slack_app.fake.calls_to("views.publish")
    assert len(published) == 1
    view = json.loads(published[0].params["view"]) if isinstance(published[0].params["view"], str) \
        else published[0].params["view"]
    assert view["type"] == "home"
    assert published[0].params["user_id"] == envelope["event"]["user"]
    assert "/sso help" in json.dumps(view["blocks"])
    assert "this message" not in json.dumps(view["blocks"])  # help's own wording, wrong on the Home tab


def test_messages_tab_open_publishes_nothing(slack_app, corpus):
    envelopes = json.loads((corpus / "slack" / "bolt_python_payloads" / "event_app_home_opened.json").read_text())
    envelope = json.loads(json.dumps(envelopes[0]["payload"]))
    envelope["team_id"] = "T0SSOBOT1"
    assert envelope["event"]["tab"] == "messages"
    slack_app.event(envelope)
    assert slack_app.fake.calls_to("views.publish") == []
