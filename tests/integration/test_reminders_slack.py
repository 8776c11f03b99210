"""Expiring credentials through the running app: signed slash commands, modal submissions and
button clicks, the Home tab, and scheduler ticks driven by hand (``deps.scheduler.run_once()``)."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, select

from storage.credentials import find_credential, ledger_rows, list_credentials
from storage.models import AuditEvent
from tests.support.payloads import message_blocks, reminder_band
from tests.support.fake_slack import TEAM_ID
from tests.support.slack_app import RunningApp
from tests.unit.test_credentials import make_jwt

ADMIN, OWNER, MEMBER, CONFIGURED = "U0ADMIN01", "U0OWNER01", "U0MEMBER1", "U0HELPER1"


@pytest.fixture
def app(fake_slack, database_url):
    fake_slack.add_user(ADMIN, is_admin=True)
    fake_slack.add_user(OWNER, is_owner=True)
    fake_slack.add_user(MEMBER)
    fake_slack.add_user(CONFIGURED)
    running = RunningApp(fake_slack, database_url, admins=frozenset({CONFIGURED}), reminder_pace=0.0).start()
    yield running
    running.stop()


def _view(params) -> dict:
    view = params["view"]
    return json.loads(view) if isinstance(view, str) else view


def _submission(callback_id: str, values: dict, *, user: str = ADMIN, private_metadata: str = "") -> dict:
    return {
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": "sso-bot-test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID}, "api_app_id": "A0SSOBOT1",
        "token": "unused", "trigger_id": "111.222.trigger",
        "view": {"id": "V0001", "team_id": TEAM_ID, "type": "modal", "callback_id": callback_id,
                 "private_metadata": private_metadata, "state": {"values": values}, "hash": "h",
                 "title": {"type": "plain_text", "text": "x"}, "blocks": []},
    }


def _track_values(*, label="prod Entra SCIM", kind="scim-token", idp="entra", channel="C0REMIND1", secret=None,
                  issued=None, expires=None, env="prod") -> dict:
    return {
        "credential.label": {"value": {"type": "plain_text_input", "value": label}},
        "credential.kind": {"value": {"type": "static_select", "selected_option": {"value": kind}}},
        "credential.idp": {"value": {"type": "static_select", "selected_option": {"value": idp}}},
        "credential.env": {"value": {"type": "plain_text_input", "value": env}},
        "credential.channel": {"value": {"type": "conversations_select", "selected_conversation": channel}},
        **_source_values(secret=secret, issued=issued, expires=expires),
    }


def _source_values(*, secret=None, issued=None, expires=None) -> dict:
    return {
        "credential.secret": {"value": {"type": "plain_text_input", "value": secret}},
        "credential.issued": {"value": {"type": "datepicker", "selected_date": issued}},
        "credential.expires": {"value": {"type": "datepicker", "selected_date": expires}},
    }


def _click(app, action_id: str, value: str, *, user: str = ADMIN, home: bool = False,
           message_ts: str = "1700000001.000100") -> dict:
    payload = {
        "type": "block_actions", "team": {"id": TEAM_ID, "domain": "sso-bot-test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID}, "api_app_id": "A0SSOBOT1",
        "token": "unused", "trigger_id": "333.444.trigger",
        "actions": [{"action_id": action_id, "block_id": "b", "text": {"type": "plain_text", "text": "x"},
                     "value": value, "type": "button", "action_ts": "1700000002.000200"}],
    }
    if home:
        payload["container"] = {"type": "view", "view_id": "V0HOME01"}
        payload["view"] = {"id": "V0HOME01", "type": "home", "team_id": TEAM_ID, "blocks": [], "state": {"values": {}}}
    else:
        payload["container"] = {"type": "message", "message_ts": message_ts, "channel_id": "C0REMIND1",
                                "is_ephemeral": False}
        payload["channel"] = {"id": "C0REMIND1", "name": "identity-ops"}
        payload["message"] = {"type": "message", "ts": message_ts, "text": "reminder"}
        payload["response_url"] = app.fake.response_url("click")
    return payload


def _posts(app) -> list[dict]:
    return [c.params for c in app.fake.calls_to("chat.postMessage")]


def _track(app, **values) -> dict:
    response = app.interaction(_submission("credential.track_modal", _track_values(**values)))
    assert response.status_code == 200
    return response.json() if response.content else {}


def _audit(app) -> list[AuditEvent]:
    app.wait_idle()
    with app.db.session() as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)).all())


def test_track_opens_the_private_modal_for_an_admin(app):
    app.command("track", user_id=ADMIN)
    [opened] = app.fake.calls_to("views.open")
    view = _view(opened.params)
    assert view["callback_id"] == "credential.track_modal"
    channel = next(b for b in view["blocks"] if b.get("block_id") == "credential.channel")
    assert channel["element"]["type"] == "conversations_select" and channel["element"]["initial_conversation"] == \
        "C0SSO0001"
    assert app.fake.calls_to("users.info")[0].params["user"] == ADMIN


@pytest.mark.parametrize("user", [OWNER, CONFIGURED])
def test_owners_and_configured_users_may_track(app, user):
    app.command("track", user_id=user)
    assert len(app.fake.calls_to("views.open")) == 1


def test_a_member_gets_a_polite_refusal_and_it_is_audited(app):
    app.command("track", user_id=MEMBER)
    assert app.fake.calls_to("views.open") == []
    reply = app.fake.calls_to("response_url")[-1].params
    assert reply["response_type"] == "ephemeral" and "Only workspace admins and owners" in reply["text"]
    assert [(a.action, a.outcome) for a in _audit(app)] == [("track", "refused")]
    body = _submission("credential.track_modal", _track_values(expires="2027-01-01"), user=MEMBER)
    answer = app.interaction(body).json()
    assert answer["response_action"] == "errors" and list_credentials(app.db) == []


def test_text_after_track_is_ignored_and_never_echoed(app):
    token = make_jwt(datetime.now(timezone.utc) + timedelta(days=5))
    app.command(f"track {token}", user_id=ADMIN)
    replies = json.dumps([c.params for c in app.fake.calls_to("response_url")])
    assert "ignored" in replies
    assert token.split(".")[1][:16] not in app.fake.everything_sent()


def test_tracking_a_jwt_in_the_modal_stores_dates_and_fingerprint_only(app, caplog):
    token = make_jwt(datetime.now(timezone.utc) + timedelta(days=5, hours=1))
    with caplog.at_level(logging.DEBUG):
        answer = _track(app, secret=token)
        app.runtime.deps.scheduler.run_once()
        app.wait_idle()
    assert answer["response_action"] == "update"
    assert "Tracking prod Entra SCIM" in json.dumps(answer["view"])
    [cred] = list_credentials(app.db, team_id=TEAM_ID)
    assert cred.expiry_source == "jwt" and len(cred.fingerprint) == 8 and cred.channel_id == "C0REMIND1"
    [reminder] = _posts(app)
    assert reminder["channel"] == "C0REMIND1" and "*Red:*" in reminder["text"]
    audit = _audit(app)
    track_row = next(a for a in audit if a.action == "credential.track")
    assert track_row.user_id == ADMIN and "scim-token" in track_row.input_kinds and track_row.outcome == "red"
    dumped = [app.fake.everything_sent(), caplog.text, json.dumps(answer)]
    with app.db.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            dumped.append(" ".join(str(r) for r in conn.execute(text(f"SELECT * FROM {table.name}"))))
    everything = "\n".join(dumped)
    for part in token.split("."):
        assert part[:16] not in everything and part[-16:] not in everything


def test_modal_errors_are_shown_inline(app):
    nothing = _track(app)
    assert nothing["response_action"] == "errors" and "credential.secret" in nothing["errors"]
    opaque = _track(app, secret="Zm9vYmFyYmF6cXV4LXNlY3JldC10b2tlbi12YWx1ZS0xMjM0NTY3ODkw")
    assert "credential.secret" in opaque["errors"] and "Zm9vYmFy" not in json.dumps(opaque)
    bad_label = _track(app, label=make_jwt(None), expires="2027-01-01")
    assert "credential.label" in bad_label["errors"]
    no_channel = _track(app, channel=None, expires="2027-01-01")
    assert "credential.channel" in no_channel["errors"]
    assert list_credentials(app.db) == []


def test_done_when_through_signed_requests(app):
    """Five days left: one red reminder, then nothing; ninety days: none; after Mark renewed: no more."""
    soon = (date.today() + timedelta(days=6)).isoformat()  # 00:00 UTC: five days and some hours away
    _track(app, label="soon", expires=soon)
    _track(app, label="later", expires=(date.today() + timedelta(days=90)).isoformat(), channel="C0REMIND2")
    scheduler = app.runtime.deps.scheduler
    scheduler.run_once()
    app.wait_idle()
    [red] = _posts(app)
    assert red["channel"] == "C0REMIND1" and reminder_band(red) == "Red"
    scheduler.run_once()
    assert len(_posts(app)) == 1

    cred = find_credential(app.db, TEAM_ID, "soon")
    renew_button = next(e for e in message_blocks(red)[-1]["elements"] if e["text"]["text"] == "Mark renewed")
    app.interaction(_click(app, renew_button["action_id"], renew_button["value"], message_ts=cred.thread_ts))
    [opened] = app.fake.calls_to("views.open")
    renew_view = _view(opened.params)
    assert renew_view["callback_id"] == "credential.renew_modal"
    answer = app.interaction(_submission("credential.renew_modal", _source_values(issued=date.today().isoformat()),
                                         private_metadata=renew_view["private_metadata"])).json()
    assert answer["response_action"] == "update" and "Renewed" in json.dumps(answer["view"])
    app.wait_idle()
    resolved = _posts(app)[-1]
    assert resolved["thread_ts"] == cred.thread_ts and "Resolved" in resolved["text"]
    for _ in range(2):
        scheduler.run_once()
    assert len(_posts(app)) == 2
    renewed = find_credential(app.db, TEAM_ID, "soon")
    assert renewed.generation == 2 and renewed.renewed_by == ADMIN and renewed.notice_key == ""
    assert {a.action for a in _audit(app)} >= {"credential.track", "credential.renew"}


def test_tracking_the_same_label_again_renews_and_replies_in_the_thread(app):
    _track(app, label="rotating", expires=(date.today() + timedelta(days=3)).isoformat())
    app.runtime.deps.scheduler.run_once()
    first_ts = find_credential(app.db, TEAM_ID, "rotating").thread_ts
    answer = _track(app, label="Rotating", expires=(date.today() + timedelta(days=180)).isoformat())
    assert "already tracked" in json.dumps(answer["view"])
    app.wait_idle()
    reply = _posts(app)[-1]
    assert reply["thread_ts"] == first_ts and "Resolved" in reply["text"]
    assert len(list_credentials(app.db)) == 1


def test_snooze_holds_the_next_reminder_for_a_day(app):
    _track(app, label="snoozy", expires=(date.today() + timedelta(days=3)).isoformat())
    app.runtime.deps.scheduler.run_once()
    cred = find_credential(app.db, TEAM_ID, "snoozy")
    app.interaction(_click(app, "credential.snooze", f"{cred.id}:{cred.generation}", message_ts=cred.thread_ts))
    snoozed = find_credential(app.db, TEAM_ID, "snoozy")
    assert snoozed.snoozed_until is not None and snoozed.next_due_at == snoozed.snoozed_until
    note = _posts(app)[-1]
    assert note["thread_ts"] == cred.thread_ts and "snoozed" in note["text"]
    assert any(a.action == "credential.snooze" for a in _audit(app))


def test_a_member_clicking_a_reminder_button_is_refused_ephemerally(app):
    _track(app, label="x", expires=(date.today() + timedelta(days=3)).isoformat())
    cred = find_credential(app.db, TEAM_ID, "x")
    app.interaction(_click(app, "credential.renew", f"{cred.id}:{cred.generation}", user=MEMBER))
    assert app.fake.calls_to("views.open") == []
    reply = app.fake.calls_to("response_url")[-1].params
    assert reply["response_type"] == "ephemeral" and "Only workspace admins" in reply["text"]
    app.interaction(_click(app, "credential.untrack", str(cred.id), user=MEMBER, home=True))
    assert "Only workspace admins" in json.dumps(_view(app.fake.calls_to("views.open")[-1].params))
    assert find_credential(app.db, TEAM_ID, "x") is not None


def test_an_old_reminders_renew_button_says_it_was_renewed_already(app):
    _track(app, label="old", expires=(date.today() + timedelta(days=3)).isoformat())
    cred = find_credential(app.db, TEAM_ID, "old")
    _track(app, label="old", expires=(date.today() + timedelta(days=180)).isoformat())
    app.interaction(_click(app, "credential.renew", f"{cred.id}:{cred.generation}"))
    assert app.fake.calls_to("views.open") == []
    assert "renewed already" in app.fake.calls_to("response_url")[-1].params["text"]


def test_tracked_lists_with_colours_for_everyone(app):
    _track(app, label="red one", expires=(date.today() + timedelta(days=3)).isoformat())
    _track(app, label="fine one", expires=(date.today() + timedelta(days=120)).isoformat())
    app.command("tracked", user_id=MEMBER)
    reply = app.fake.calls_to("response_url")[-1].params
    assert reply["response_type"] == "ephemeral"
    headings = [b["text"]["text"].split("\n")[0] for b in reply["blocks"][1:]]
    assert headings == [":red_circle: *Red* (under 7 days left): 1", ":large_green_circle: *OK* (30 days or more left): 1"]
    assert "red one" in json.dumps(reply) and "days left" in json.dumps(reply)


def test_home_shows_tracked_credentials_and_stop_tracking_works(app, corpus):
    _track(app, label="home one", expires=(date.today() + timedelta(days=20)).isoformat())
    envelopes = json.loads((corpus / "slack" / "bolt_python_payloads" / "event_app_home_opened.json").read_text())
    envelope = json.loads(json.dumps(envelopes[0]["payload"]))
    envelope["event"].update(tab="home", user=ADMIN)
    envelope["team_id"] = TEAM_ID
    envelope.pop("enterprise_id", None)
    envelope["authorizations"] = [{"team_id": TEAM_ID, "user_id": "U0SSOBOT1", "is_bot": True,
                                   "is_enterprise_install": False, "enterprise_id": None}]
    app.event(envelope)
    home = json.dumps(_view(app.fake.calls_to("views.publish")[-1].params))
    assert "Tracked credentials" in home and "home one" in home
    assert "Mark renewed" in home and "Stop tracking" in home
    cred = find_credential(app.db, TEAM_ID, "home one")
    app.interaction(_click(app, "credential.untrack", str(cred.id), home=True))
    assert find_credential(app.db, TEAM_ID, "home one") is None
    republished = json.dumps(_view(app.fake.calls_to("views.publish")[-1].params))
    assert "home one" not in republished and "Nothing is tracked yet" in republished
    assert any(a.action == "credential.remove" and a.user_id == ADMIN for a in _audit(app))
    app.runtime.deps.scheduler.run_once()
    assert _posts(app) == []


def test_expired_reminder_gets_the_recovery_thread(app):
    _track(app, label="expired", idp="okta", expires=(date.today() - timedelta(days=2)).isoformat())
    app.runtime.deps.scheduler.run_once()
    main, thread = _posts(app)
    assert "Expired" in main["text"] and thread["thread_ts"] and "OAuth Bearer Token" in json.dumps(thread)
    rows = ledger_rows(app.db)
    assert len(rows) == 1 and rows[0].status == "done"


def test_without_the_users_read_scope_only_configured_admins_may_track(app, caplog):
    from tests.support.fake_slack import Fault

    app.fake.fail_next("users.info", Fault(status=200, body={"ok": False, "error": "missing_scope",
                                                             "needed": "users:read"}))
    with caplog.at_level(logging.ERROR):
        app.command("track", user_id=ADMIN)
    assert app.fake.calls_to("views.open") == []
    assert "Only workspace admins" in app.fake.calls_to("response_url")[-1].params["text"]
    assert "users:read" in caplog.text
    app.command("track", user_id=CONFIGURED)
    assert len(app.fake.calls_to("views.open")) == 1
