"""Reminder settings and the Block Kit of reminders, recovery threads, lists and modals."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from bot.reminders import Band
from bot.settings import SettingsError, load_settings
from handlers.credentials.lists import home_section, tracked_list
from handlers.credentials.views import (recovery_message, renew_modal, reminder_message, resolved_message,
                                        track_modal)
from handlers.shared.dates import slack_date
from handlers.app import message_hooks
from handlers.credentials.messages import SlackMessages
from services.credentials import Tracked
from storage.models import Credential

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def cred(days: float, **fields) -> Tracked:
    base = dict(id=7, team_id="T1", label="prod Entra SCIM", label_key="prod entra scim", kind="scim-token",
                idp="entra", environment="prod", channel_id="C0REMIND1", expires_at=NOW + timedelta(days=days),
                expiry_source="jwt", fingerprint="ab12cd34", generation=3, active=True, added_by="U0ADMIN01",
                added_at=NOW - timedelta(days=170))
    base.update(fields)
    return Tracked.of(Credential(**base))


def test_settings_for_reminders():
    s = load_settings({"SSO_BOT_ADMINS": "U0ADMIN01, W0OWNER02", "SSO_BOT_REMINDER_SCHEDULE": "14,3,0,daily:2",
                       "SSO_BOT_REMINDER_PACE": "0.5"})
    assert s.admins == frozenset({"U0ADMIN01", "W0OWNER02"})
    assert s.reminder_schedule == "14,3,0,daily:2" and s.reminder_pace == 0.5
    defaults = load_settings({})
    assert defaults.admins == frozenset() and defaults.reminder_pace == 1.0
    assert defaults.reminder_schedule == "30,7,1,0,daily:7,weekly"


@pytest.mark.parametrize("env, variable", [
    ({"SSO_BOT_ADMINS": "alice"}, "SSO_BOT_ADMINS"),
    ({"SSO_BOT_REMINDER_SCHEDULE": "soon"}, "SSO_BOT_REMINDER_SCHEDULE"),
    ({"SSO_BOT_REMINDER_PACE": "fast"}, "SSO_BOT_REMINDER_PACE"),
    ({"SSO_BOT_REMINDER_PACE": "120"}, "SSO_BOT_REMINDER_PACE"),
])
def test_bad_reminder_settings_name_the_variable(env, variable):
    with pytest.raises(SettingsError) as error:
        load_settings(env)
    assert str(error.value).startswith(variable) and "\n" not in str(error.value)


def test_slack_date_shows_the_readers_timezone_with_a_utc_fallback():
    assert slack_date(datetime(2026, 12, 3, 0, 0, tzinfo=timezone.utc)) == \
        "<!date^1796256000^{date_long_pretty} {time}|2026-12-03 00:00 UTC>"


BAND_LEAD = {Band.YELLOW: ":large_yellow_circle: *Yellow:*", Band.RED: ":red_circle: *Red:*",
             Band.EXPIRED: ":rotating_light: *Expired:*"}


@pytest.mark.parametrize("days, band", [(20, Band.YELLOW), (5, Band.RED), (-2, Band.EXPIRED)])
def test_a_reminder_shows_the_band_as_a_marker_and_a_word_label_idp_days_and_buttons(days, band):
    recovery = message_hooks().buttons_for_reminder("scim-token", "entra")  # the checklist feature's, via hooks
    message = reminder_message(cred(days), NOW, extra_buttons=recovery)
    assert "attachments" not in message  # no legacy colour bar: the marker and the word carry the band
    section = message["blocks"][0]
    assert section["text"]["text"].startswith(BAND_LEAD[band])
    assert message["text"].startswith(BAND_LEAD[band])
    dumped = json.dumps(message)
    assert "prod Entra SCIM" in dumped and "Microsoft Entra ID" in dumped and "<!date^" in dumped
    assert "{date_long_pretty} {time}" in dumped and "ab12cd34" in dumped
    actions = next(b for b in message["blocks"] if b["type"] == "actions")
    names = [e["text"]["text"] for e in actions["elements"]]
    assert names == ["Mark renewed", "Snooze 1 day", "Snooze 1 week", "Snooze until…", "Start 401 recovery"]
    start = actions["elements"][-1]
    assert start["action_id"] == "checklist.start"
    assert json.loads(start["value"]) == {"checklist": "scim-401", "idp": "entra"}
    assert {e["value"] for e in actions["elements"][:4]} == {"7:3"}
    assert message["text"] and len(message["text"]) <= 3000


def test_tracked_by_is_said_once_with_or_without_a_fingerprint():
    for fingerprint in ("ab12cd34", ""):
        context = json.dumps(reminder_message(cred(5, fingerprint=fingerprint), NOW)["blocks"][1]).lower()
        assert context.count("tracked by") == 0 and context.count("added by") == 1
    assert "known by its dates only" in json.dumps(reminder_message(cred(5, fingerprint=""), NOW))


def test_days_left_wording():
    assert "5 days left" in json.dumps(reminder_message(cred(5.5), NOW))
    assert "expired 2 days ago" in json.dumps(reminder_message(cred(-2.5), NOW))
    assert "expired today" in json.dumps(reminder_message(cred(-0.2), NOW))


def test_the_band_passed_in_wins_at_the_exact_boundary():
    message = reminder_message(cred(7), NOW, band=Band.RED)
    assert message["text"].startswith(BAND_LEAD[Band.RED]) and message["blocks"][0]["text"]["text"].startswith(BAND_LEAD[Band.RED])


def test_no_401_button_for_other_kinds_or_idps():
    messages = SlackMessages(message_hooks())  # as the app draws them: with the checklist feature's buttons

    def drawn(c):
        return messages.reminder(c, NOW, with_recovery=False, band=Band.RED)

    snoozes = ["credential.snooze", "credential.snooze_week", "credential.snooze_until"]
    for extra in ({"kind": "saml-cert"}, {"kind": "client-secret"}, {"idp": "other"}):
        actions = drawn(cred(3, **extra))["blocks"][-1]
        assert [e["action_id"] for e in actions["elements"]] == ["credential.renew", *snoozes]
    okta = drawn(cred(3, idp="okta"))["blocks"][-1]["elements"][-1]
    assert json.loads(okta["value"]) == {"checklist": "scim-401", "idp": "okta"}


def test_the_entra_recovery_thread_has_the_steps_and_the_quarantine_clock():
    expired_at = NOW - timedelta(hours=1)
    message = recovery_message(cred(-1 / 24), NOW)
    text = json.dumps(message)
    assert "Admin Credentials" in text and "Generate Key" in text and "10 minutes" in text
    for moment in (expired_at + timedelta(hours=6), expired_at + timedelta(hours=12),
                   expired_at + timedelta(hours=24), expired_at + timedelta(days=28)):
        assert f"<!date^{int(moment.timestamp())}^" in text
    assert "Disabled on" in text and "Restart provisioning" in text
    okta = json.dumps(recovery_message(cred(-1, idp="okta"), NOW))
    assert "OAuth Bearer Token" in okta and "quarantine" not in okta
    assert len(message["blocks"]) <= 50


def test_resolved_reply_and_lists():
    renewed = cred(180, renewed_by="U0ADMIN02")
    assert "<@U0ADMIN02>" in resolved_message(renewed)["text"] and "Resolved" in resolved_message(renewed)["text"]
    assert "cli:root" in resolved_message(cred(180, renewed_by="cli:root"))["text"]
    listing = tracked_list([cred(40), cred(5, id=8, label="b"), cred(-3, id=9, label="c"), cred(20, id=10)], NOW)
    assert listing["response_type"] == "ephemeral" and "attachments" not in listing
    headings = [b["text"]["text"].split("\n")[0] for b in listing["blocks"][1:]]
    assert headings == [":rotating_light: *Expired* (expired): 1", ":red_circle: *Red* (under 7 days left): 1",
                        ":large_yellow_circle: *Yellow* (under 30 days left): 1",
                        ":large_green_circle: *OK* (30 days or more left): 1"]
    assert "Nothing is tracked" in tracked_list([], NOW)["text"]
    many = tracked_list([cred(d % 90 - 10, id=i, label=f"label number {i}") for i, d in enumerate(range(400))], NOW)
    assert len(many["blocks"]) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in many["blocks"])


def test_home_section_and_modals_stay_within_limits():
    blocks = [b.to_dict() for b in home_section([cred(d, id=i) for i, d in enumerate(range(40))], NOW, total=40)]
    assert len(blocks) <= 2 + 2 * 15 + 2
    names = {e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]}
    assert {"Mark renewed", "Stop tracking", "Track a credential"} <= names
    assert "25 more" in json.dumps(blocks)
    assert len({b["block_id"] for b in blocks if "block_id" in b}) == len([b for b in blocks if "block_id" in b])
    track = track_modal("C0REMIND1").to_dict()
    assert track["callback_id"] == "credential.track_modal" and len(track["blocks"]) <= 100
    channel = next(b for b in track["blocks"] if b.get("block_id") == "credential.channel")
    assert channel["element"]["type"] == "conversations_select"
    assert channel["element"]["initial_conversation"] == "C0REMIND1"
    renew = renew_modal(cred(3), NOW).to_dict()
    assert json.loads(renew["private_metadata"])["gen"] == 3
    issued = next(b for b in renew["blocks"] if b.get("block_id") == "credential.issued")
    assert issued["element"]["initial_date"] == "2026-11-28"
