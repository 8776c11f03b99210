"""The weekly digest through the running app: ``/sso digest`` (signed slash commands), the scheduler's
ticks under freezegun, the ledger that keeps it to once a week per channel across 429s, restarts and
two processes, and yellow reminders left to the digest while red ones still post at once."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from bot.digest import DigestSchedule, next_send
from storage.digests import claim_digest, digest_ledger_rows, get_digest
from tests.integration.test_reminders_slack import _posts, _track
from tests.support.fake_slack import TEAM_ID, Fault
from tests.support.payloads import message_blocks, reminder_band
from tests.support.slack_app import RunningApp

ADMIN, MEMBER = "U0ADMIN01", "U0MEMBER1"
HERE, ELSEWHERE = "C0REMIND1", "C0REMIND2"


@pytest.fixture
def app(fake_slack, database_url):
    fake_slack.add_user(ADMIN, is_admin=True, tz="Europe/Berlin")
    fake_slack.add_user(MEMBER)
    running = RunningApp(fake_slack, database_url, reminder_pace=0.0).start()
    yield running
    running.stop()


def _said(app) -> str:
    return app.fake.calls_to("response_url")[-1].params["text"]


def _digests(app) -> list[dict]:
    return [p for p in _posts(app) if p.get("text", "").startswith("Weekly credentials digest")]


def _tick(app, moment: datetime) -> None:
    with freeze_time(moment):
        app.runtime.deps.scheduler.run_once()
    app.wait_idle()


def test_an_admin_sets_the_digest_in_the_channel_in_their_own_time_zone(app):
    app.command("digest", channel_id=HERE, user_id=MEMBER)
    assert "No weekly digest in this channel" in _said(app)
    app.command("digest friday 5pm", channel_id=HERE, user_id=MEMBER)
    assert "Only workspace admins" in _said(app) and get_digest(app.db, TEAM_ID, HERE) is None
    app.command("digest friday 5pm", channel_id=HERE, user_id=ADMIN)
    reply = app.fake.calls_to("response_url")[-1].params
    assert reply["response_type"] == "ephemeral" and "Fridays at 17:00 (Europe/Berlin)" in reply["text"]
    row = get_digest(app.db, TEAM_ID, HERE)
    assert (row.weekday, row.hour, row.timezone, row.enabled) == (4, 17, "Europe/Berlin", True)
    assert row.next_due_at == next_send(DigestSchedule(4, 17, "Europe/Berlin"), row.set_at)
    assert f"<!date^{int(row.next_due_at.timestamp())}^" in reply["text"]
    app.command("digest", channel_id=HERE, user_id=MEMBER)
    assert "Fridays at 17:00 (Europe/Berlin)" in _said(app)
    app.command("digest sometime", channel_id=HERE, user_id=ADMIN)
    assert "can't read 'sometime'" in _said(app)
    app.command("digest monday", channel_id="D0DIRECT1", user_id=ADMIN)
    assert "belongs to a channel" in _said(app)
    app.command("digest off", channel_id=HERE, user_id=ADMIN)
    assert "switched off" in _said(app) and not get_digest(app.db, TEAM_ID, HERE).enabled


def test_one_digest_a_week_with_the_channels_credentials_and_yellow_reminders_left_to_it(app):
    app.command("digest monday 09:00 UTC", channel_id=HERE, user_id=ADMIN)
    due = get_digest(app.db, TEAM_ID, HERE).next_due_at
    day = due.date()  # expiries counted from the digest's moment, whatever weekday the test runs on
    _track(app, label="yellow here", expires=(day + timedelta(days=20)).isoformat(), channel=HERE)
    _track(app, label="red here", expires=(day + timedelta(days=4)).isoformat(), channel=HERE)
    _track(app, label="fine here", expires=(day + timedelta(days=200)).isoformat(), channel=HERE)
    _track(app, label="yellow elsewhere", expires=(day + timedelta(days=20)).isoformat(), channel=ELSEWHERE)

    _tick(app, due - timedelta(minutes=1))  # reminders: red posts, yellow here waits, yellow elsewhere posts
    posted = {(p["channel"], reminder_band(p)) for p in _posts(app)}
    assert posted == {(HERE, "Red"), (ELSEWHERE, "Yellow")}
    assert _digests(app) == []
    _tick(app, due + timedelta(minutes=1))
    [digest] = _digests(app)
    assert digest["channel"] == HERE
    text = json.dumps(message_blocks(digest))
    assert "red here" in text and "yellow here" in text
    assert "fine here" not in text and "yellow elsewhere" not in text
    assert text.index(":red_circle: *Red*") < text.index(":large_yellow_circle: *Yellow*")
    assert "2 of 3 tracked expire within 30 days" in text and "Mondays at 09:00 (UTC)" in text
    _tick(app, due + timedelta(hours=3))
    assert len(_digests(app)) == 1  # once that week
    _tick(app, due + timedelta(days=7, minutes=1))
    assert len(_digests(app)) == 2  # and again the next
    assert [r.week_key for r in digest_ledger_rows(app.db)] == [
        f"{due.isocalendar()[0]}-W{due.isocalendar()[1]:02d}",
        f"{(due + timedelta(days=7)).isocalendar()[0]}-W{(due + timedelta(days=7)).isocalendar()[1]:02d}"]


def test_a_429_is_retried_after_retry_after_and_a_restart_never_sends_the_week_twice(fake_slack, database_url):
    fake_slack.add_user(ADMIN, is_admin=True)
    first = RunningApp(fake_slack, database_url, reminder_pace=0.0).start()
    try:
        first.command("digest wednesday 10:00 UTC", channel_id=HERE, user_id=ADMIN)
        due = get_digest(first.db, TEAM_ID, HERE).next_due_at
        fake_slack.fail_next("chat.postMessage", Fault(status=429, body={"ok": False, "error": "ratelimited"}, headers={"Retry-After": "120"}))
        _tick(first, due + timedelta(seconds=5))
        assert len(_digests(first)) == 1  # the attempt Slack answered with 429 (the fake records every call)
        [row] = digest_ledger_rows(first.db)
        assert row.status == "pending" and row.last_error == "ratelimited"
        assert row.lease_until == due + timedelta(seconds=125)
        _tick(first, due + timedelta(seconds=60))  # Retry-After has not passed: nobody tries
        assert len(_digests(first)) == 1
        _tick(first, due + timedelta(seconds=130))
        assert len(_digests(first)) == 2
        [row] = digest_ledger_rows(first.db)
        assert row.status == "done" and row.attempts == 2 and row.message_ts
    finally:
        first.stop()
    again = RunningApp(fake_slack, database_url, reminder_pace=0.0).start()  # a restart, same database
    try:
        _tick(again, due + timedelta(hours=1))
        assert len(_digests(again)) == 2  # nothing new
        assert get_digest(again.db, TEAM_ID, HERE).next_due_at == due + timedelta(days=7)
    finally:
        again.stop()


def test_a_bot_down_for_weeks_sends_one_digest_then_keeps_the_weekday(app):
    app.command("digest tuesday 07:00 UTC", channel_id=HERE, user_id=ADMIN)
    due = get_digest(app.db, TEAM_ID, HERE).next_due_at
    late = due + timedelta(days=23, hours=5)
    _tick(app, late)
    _tick(app, late + timedelta(minutes=1))
    assert len(_digests(app)) == 1
    following = get_digest(app.db, TEAM_ID, HERE).next_due_at
    assert following > late and following.weekday() == 1 and following.hour == 7


def test_of_two_claims_for_the_same_week_exactly_one_wins(app):
    app.command("digest monday", channel_id=HERE, user_id=ADMIN)
    digest = get_digest(app.db, TEAM_ID, HERE)
    now = datetime.now(timezone.utc)
    one = claim_digest(app.db, digest_id=digest.id, week_key="2026-W50", owner="a", now=now, lease=timedelta(minutes=10))
    two = claim_digest(app.db, digest_id=digest.id, week_key="2026-W50", owner="b", now=now, lease=timedelta(minutes=10))
    assert (one.won, two.won, two.status) == (True, False, "held")
    later = claim_digest(app.db, digest_id=digest.id, week_key="2026-W50", owner="b",
                         now=now + timedelta(minutes=11), lease=timedelta(minutes=10))
    assert later.won and later.ledger_id == one.ledger_id  # the first holder's lease ran out
