"""Issue 12 through the running app (signed requests, the fake Web API on loopback, a real database):
``/sso status``, the snooze choices on a reminder, and names in checklist exports."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from storage.credentials import find_credential
from tests.integration.test_checklists_slack import button_payload, start, thread_posts, tick_payload
from tests.integration.test_reminders_slack import _click, _posts, _submission, _track
from tests.support.fake_slack import TEAM_ID
from tests.support.payloads import message_blocks, reminder_band
from tests.support.slack_app import RunningApp

ADMIN, MEMBER, BOB = "U0ADMIN01", "U0MEMBER1", "U0ADMIN02"


@pytest.fixture
def app(fake_slack, database_url):
    fake_slack.add_user(ADMIN, is_admin=True, tz="Europe/Berlin", real_name="Ada Lovelace", display_name="ada")
    fake_slack.add_user(BOB, is_admin=True, real_name="Bob Hope")
    fake_slack.add_user(MEMBER)
    running = RunningApp(fake_slack, database_url, reminder_pace=0.0).start()
    yield running
    running.stop()


def _reply(app) -> dict:
    return app.fake.calls_to("response_url")[-1].params


def _text(params: dict) -> str:
    return json.dumps(message_blocks(params), ensure_ascii=False)


# --------------------------------------------------------------------------- /sso status


def test_status_with_nothing_tracked_or_open_is_all_clear_and_private(app):
    app.command("status", user_id=MEMBER)
    reply = _reply(app)
    assert reply["response_type"] == "ephemeral"
    blocks = message_blocks(reply)
    assert blocks[0]["text"]["text"].startswith(":white_check_mark: *All clear*")
    text = _text(reply)
    assert "Nothing is tracked yet" in text and "None open" in text and "<!date^" in text
    assert len(blocks) <= 50


def test_status_shows_what_expires_by_band_and_open_checklists_linked_to_their_threads(app):
    today = date.today()
    _track(app, label="red one", expires=(today + timedelta(days=4)).isoformat())
    _track(app, label="yellow one", expires=(today + timedelta(days=20)).isoformat(), channel="C0REMIND2")
    _track(app, label="fine one", expires=(today + timedelta(days=120)).isoformat())
    started = start(app, "401 okta")
    app.interaction(tick_payload(app, started, 0, "platform-open-settings"))
    app.fake.reset()
    app.command("status", user_id=MEMBER, channel_id="D0DIRECT1")  # from a DM: the whole workspace
    reply = _reply(app)
    blocks = message_blocks(reply)
    assert reply["response_type"] == "ephemeral" and "attachments" not in reply
    assert blocks[0]["text"]["text"] == ":eyes: *Needs attention*: 2 credentials expiring, 1 checklist open."
    text = _text(reply)
    assert "2 of 3 tracked expire within 30 days" in text
    assert text.index(":red_circle: *Red*") < text.index(":large_yellow_circle: *Yellow*")
    assert "red one" in text and "yellow one" in text and "fine one" not in text
    [link] = app.fake.calls_to("chat.getPermalink")
    assert link.params["message_ts"] == started.parent_ts
    permalink = f"https://sso-bot-test.slack.com/archives/C0SSO0001/p{started.parent_ts.replace('.', '')}"
    assert f"<{permalink}|SCIM 401 recovery: Okta>" in text
    assert f"1/{started.total}" in text and "last activity <!date^" in text


def test_status_says_when_the_next_credential_turns_yellow_and_survives_a_permalink_failure(app):
    _track(app, label="later", expires=(date.today() + timedelta(days=45)).isoformat())
    start(app, "sso")
    app.fake.reset()
    from tests.support.fake_slack import Fault

    app.fake.fail_next("chat.getPermalink", Fault(status=200, body={"ok": False, "error": "message_not_found"}))
    app.command("status")
    text = _text(_reply(app))
    assert "None expires within 30 days (1 tracked). Next: *later*" in text
    assert "• *SSO quick check* in <#C0SSO0001>" in text and "/archives/" not in text  # no link, still listed


def test_help_lists_status(app):
    response = app.post(app.command_body("help"))  # help is answered in the ack itself
    assert response.status_code == 200 and "/sso status" in response.text


# --------------------------------------------------------------------------- snooze choices


def _red_reminder(app, label="snoozy", days=5) -> tuple[dict, object]:
    _track(app, label=label, expires=(date.today() + timedelta(days=days)).isoformat())
    app.runtime.deps.scheduler.run_once()
    app.wait_idle()
    reminder = _posts(app)[-1]
    return reminder, find_credential(app.db, TEAM_ID, label)


def test_snooze_a_week_is_cut_at_the_expiry_and_the_reminder_resumes_then(app):
    reminder, cred = _red_reminder(app, days=4)
    assert reminder_band(reminder) == "Red"
    week = next(e for e in message_blocks(reminder)[-1]["elements"] if e["text"]["text"] == "Snooze 1 week")
    app.interaction(_click(app, week["action_id"], week["value"], message_ts=cred.thread_ts))
    snoozed = find_credential(app.db, TEAM_ID, "snoozy")
    assert snoozed.snoozed_until == snoozed.expires_at  # a week would pass the expiry: it ends there
    note = _posts(app)[-1]
    assert note["thread_ts"] == cred.thread_ts and "at the expiry" in note["text"]
    before = len(_posts(app))
    app.runtime.deps.scheduler.run_once()
    assert len(_posts(app)) == before  # held
    with freeze_time(snoozed.expires_at + timedelta(minutes=1)):
        app.runtime.deps.scheduler.run_once()
        app.wait_idle()
    resumed = _posts(app)[before:]
    assert reminder_band(resumed[0]) == "Expired"


def test_snooze_until_a_date_opens_a_date_picker_and_resumes_at_nine_in_the_users_zone(app):
    reminder, cred = _red_reminder(app, label="long one", days=20)
    assert reminder_band(reminder) == "Yellow"
    until_button = {"action_id": "credential.snooze_until", "value": f"{cred.id}:{cred.generation}"}
    app.interaction(_click(app, until_button["action_id"], until_button["value"], message_ts="1700000001.000100"))
    opened = app.fake.calls_to("views.open")[-1].params["view"]
    view = json.loads(opened) if isinstance(opened, str) else opened
    assert view["callback_id"] == "credential.snooze_modal"
    picker = next(b for b in view["blocks"] if b.get("block_id") == "credential.snooze_date")
    assert picker["element"]["type"] == "datepicker"
    picked = date.today() + timedelta(days=10)
    values = {"credential.snooze_date": {"value": {"type": "datepicker", "selected_date": picked.isoformat()}}}
    answer = app.interaction(_submission("credential.snooze_modal", values,
                                         private_metadata=view["private_metadata"]))
    assert answer.status_code == 200 and not answer.content
    snoozed = find_credential(app.db, TEAM_ID, "long one")
    from zoneinfo import ZoneInfo

    expected = datetime(picked.year, picked.month, picked.day, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert snoozed.snoozed_until == expected and snoozed.next_due_at == expected
    note = _posts(app)[-1]
    assert note["thread_ts"] == "1700000001.000100" and f"<!date^{int(expected.timestamp())}^" in note["text"]


def test_snooze_until_refuses_a_past_date_in_the_form(app):
    _reminder, cred = _red_reminder(app)
    app.interaction(_click(app, "credential.snooze_until", f"{cred.id}:{cred.generation}"))
    opened = app.fake.calls_to("views.open")[-1].params["view"]
    view = json.loads(opened) if isinstance(opened, str) else opened
    values = {"credential.snooze_date": {"value": {"type": "datepicker",
                                                   "selected_date": (date.today() - timedelta(days=1)).isoformat()}}}
    answer = app.interaction(_submission("credential.snooze_modal", values, private_metadata=view["private_metadata"]))
    body = answer.json()
    assert body["response_action"] == "errors" and "after today" in body["errors"]["credential.snooze_date"]
    assert find_credential(app.db, TEAM_ID, "snoozy").snoozed_until is None


def test_a_member_cannot_snooze(app):
    _reminder, cred = _red_reminder(app)
    app.interaction(_click(app, "credential.snooze_week", f"{cred.id}:{cred.generation}", user=MEMBER))
    assert find_credential(app.db, TEAM_ID, "snoozy").snoozed_until is None
    assert "Only workspace admins" in app.fake.calls_to("response_url")[-1].params["text"]


# --------------------------------------------------------------------------- names in exports


def test_a_checklist_export_names_people_and_falls_back_to_the_id(app):
    started = start(app, "401 okta", user=ADMIN)
    app.interaction(tick_payload(app, started, 0, "platform-open-settings", user=BOB))
    app.interaction(tick_payload(app, started, 1, "okta-base-url", user="U0GONE001"))  # users.info: not found
    app.interaction(button_payload(app, started.parent_post, "checklist.export", user=BOB,
                                   message_ts=started.parent_ts))
    export = thread_posts(app, started)[-1]
    text = "\n".join(b["text"]["text"] for b in message_blocks(export) if b["type"] == "section")
    assert "Started: " in text and "by ada" in text  # the display name
    assert "(Bob Hope, " in text and "(U0GONE001, " in text
    assert ADMIN not in text and BOB not in text
    looked_up = [c.params["user"] for c in app.fake.calls_to("users.info")]
    app.interaction(button_payload(app, started.parent_post, "checklist.export", user=BOB,
                                   message_ts=started.parent_ts))
    again = [c.params["user"] for c in app.fake.calls_to("users.info")][len(looked_up):]
    assert ADMIN not in again and BOB not in again  # cached; the unknown id is asked again
