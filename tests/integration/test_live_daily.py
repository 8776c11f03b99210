"""The opt-in daily live check through the running app: keep a token from the SCIM modal, then the
scheduler's nightly run finds the endpoint rejecting it before its expiry date and posts the recovery
steps, once. The endpoint is a real SCIM server (scim2-server), restarted on the same port with a new
token the way a platform's "regenerate token" leaves the IdP's old one behind."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from bot.credentials import Expiry, expiry_from_date
from bot.live.policy import parse_allowance
from bot.live.vault import new_key
from bot.reminders import parse_schedule
from services import credentials as tracked
from services.ports import DirectAudit
from storage.models import ProbeSecret
from tests.live.peers import scim2_server
from tests.support.payloads import view_submission
from tests.support.slack_app import RunningApp

TOKEN = "7d3e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e"
NEW_TOKEN = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
CHANNEL = "C0SSO0001"


@pytest.fixture
def keyed_app(fake_slack, database_url):
    app = RunningApp(fake_slack, database_url, probe_allow=parse_allowance("127.0.0.1"), probe_key=new_key()).start()
    yield app
    app.stop()


def _track(app, label="prod Entra SCIM", days=60):
    now = app.runtime.deps.clock()
    expiry = Expiry(expires_at=expiry_from_date((now + timedelta(days=days)).date()), source="typed")
    return tracked.track(app.db, DirectAudit(app.db), team_id="T0SSOBOT1", label=label, kind="scim-token", idp="entra",
                         environment="prod", channel_id=CHANNEL, expiry=expiry, user_id="U0ADMIN01", now=now,
                         schedule=parse_schedule("30,7,1,0")).credential


def _submit(app, url, token, keep_for):
    values = {"live.url": {"value": {"type": "plain_text_input", "value": url}},
              "live.token": {"value": {"type": "plain_text_input", "value": token}},
              "live.idp": {"value": {"type": "static_select", "selected_option": {"value": "entra"}}},
              "live.keep": {"value": {"type": "static_select", "selected_option": {"value": str(keep_for)}}}}
    app.interaction(view_submission("live.scim_modal", values))
    app.wait_idle()


def test_a_kept_token_rejected_before_expiry_posts_the_recovery_steps_once(keyed_app):
    cred = _track(keyed_app)
    keyed_app.command("check scim")
    keyed_app.wait_idle()
    assert "prod Entra SCIM" in json.dumps(keyed_app.fake.calls_to("views.open")[-1].params)  # offered
    with scim2_server(TOKEN) as base:
        _submit(keyed_app, base, TOKEN, cred.id)
        port = urlsplit(base).port
    assert "I will check" in json.dumps(keyed_app.fake.calls_to("views.update")[-1].params)
    with keyed_app.db.session() as session:
        [row] = session.exec(select(ProbeSecret)).all()
    assert TOKEN[:12] not in row.sealed_token and row.credential_id == cred.id

    scheduler = keyed_app.runtime.deps.scheduler
    with scim2_server(NEW_TOKEN, port=port):  # the platform regenerated the token; the IdP still sends the old one
        first = scheduler.run_once()["live.daily"]
        second = scheduler.run_once()["live.daily"]
    assert (first.checked, first.alerts) == (1, 1) and second.checked == 0
    posts = [c for c in keyed_app.fake.calls_to("chat.postMessage") if c.params.get("channel") == CHANNEL]
    assert len(posts) == 1
    alert = json.dumps(posts[0].params)
    assert "rejected the token" in alert and "Recover now" in alert
    assert TOKEN[:12] not in keyed_app.fake.everything_sent()


def test_renewing_the_credential_deletes_the_kept_token(keyed_app):
    cred = _track(keyed_app)
    with scim2_server(TOKEN) as base:
        _submit(keyed_app, base, TOKEN, cred.id)
    _track(keyed_app, days=180)  # tracking the same label again is a renewal
    with keyed_app.db.session() as session:
        assert session.exec(select(ProbeSecret)).all() == []


def test_without_a_key_the_daily_check_is_not_offered(slack_app):
    _track(slack_app)
    slack_app.command("check scim")
    slack_app.wait_idle()
    assert "live.keep" not in json.dumps(slack_app.fake.calls_to("views.open")[-1].params)
    assert "live.daily" not in slack_app.runtime.deps.scheduler.jobs


def test_another_workspaces_credential_is_never_kept_for(keyed_app):
    cred = _track(keyed_app)
    values = {"live.url": {"value": {"type": "plain_text_input", "value": "https://127.0.0.1:9/scim/v2"}},
              "live.token": {"value": {"type": "plain_text_input", "value": TOKEN}},
              "live.idp": {"value": {"type": "static_select", "selected_option": {"value": "entra"}}},
              "live.keep": {"value": {"type": "static_select", "selected_option": {"value": str(cred.id)}}}}
    with scim2_server(TOKEN) as base:
        values["live.url"]["value"]["value"] = base
        keyed_app.interaction(view_submission("live.scim_modal", values, team="T0OTHER01", user="U0OTHER01"))
        keyed_app.wait_idle()
    with keyed_app.db.session() as session:
        assert session.exec(select(ProbeSecret)).all() == []
    assert "no longer tracked in this workspace" in json.dumps(keyed_app.fake.calls_to("views.update")[-1].params)


def test_the_command_line_keeps_a_working_token_for_the_same_daily_check(db, database_url):
    """``sso-bot check scim … --keep-for LABEL`` goes through the same use case as the Slack form."""
    import subprocess
    import sys

    from services.ports import DirectAudit
    from storage.types import utcnow
    from tests.integration.test_serve_process import _clean_env

    now = utcnow()
    cred = tracked.track(db, DirectAudit(db), team_id="T0SSOBOT1", label="prod Entra SCIM", kind="scim-token",
                         idp="entra", environment="", channel_id=CHANNEL,
                         expiry=Expiry(expiry_from_date((now + timedelta(days=60)).date()), "typed"),
                         user_id="U0ADMIN01", now=now, schedule=parse_schedule("30,7,1,0")).credential
    env = _clean_env(DATABASE_URL=database_url, SSO_BOT_PROBE_KEY=new_key(), SSO_BOT_PROBE_ALLOW="127.0.0.1")
    with scim2_server(TOKEN) as base:
        done = subprocess.run([sys.executable, "-m", "bot", "check", "scim", base, "--token-stdin", "--keep-for",
                               "PROD entra scim"], input=TOKEN, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "kept for the daily check of 'prod Entra SCIM'" in done.stderr and TOKEN[:12] not in done.stdout + done.stderr
    with db.session() as session:
        [row] = session.exec(select(ProbeSecret)).all()
    assert row.credential_id == cred.id and TOKEN[:12] not in row.sealed_token
    without_key = subprocess.run([sys.executable, "-m", "bot", "check", "scim", "https://x.example/scim",
                                  "--token-stdin", "--keep-for", "prod Entra SCIM"], input=TOKEN, capture_output=True,
                                 text=True, timeout=120, env=_clean_env(DATABASE_URL=database_url,
                                                                        SSO_BOT_PROBE_KEY=""))
    assert without_key.returncode == 2 and "SSO_BOT_PROBE_KEY" in without_key.stderr
