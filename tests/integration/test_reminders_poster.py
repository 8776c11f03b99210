"""The reminder poster against the fake Slack Web API and a real database: the band walk under
freezegun, exactly-once under faults (429, 500, timeouts, a crash mid-tick), pacing, catch-up,
renewal, and no secret anywhere. Ticks are driven by hand; pacing runs on a fake clock."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time
from slack_sdk import WebClient
from sqlalchemy import text
from sqlmodel import SQLModel

from bot.credentials import expiry_from_input
from bot.reminders import ReminderState, next_check, parse_schedule
from handlers.app import message_hooks
from handlers.credentials.messages import SlackMessages
from handlers.shared.slack_api import WebClientPoster
from services.reminders import Pacer, ReminderPoster
from storage.credentials import (add_credential, claim_reminder, get_credential, ledger_rows, mark_posted,
                                 mark_renewed)
from tests.support.payloads import reminder_band
from tests.support.fake_slack import Fault
from tests.unit.test_credentials import make_jwt

T = datetime(2027, 3, 10, 9, 30, tzinfo=timezone.utc)


def slack_reminders(db, client, schedule, **kwargs) -> ReminderPoster:
    """The poster as the app composes it: posting through ``client``, the app's messages and buttons."""
    return ReminderPoster(db, WebClientPoster(client), SlackMessages(message_hooks()), schedule, **kwargs)
D = timedelta(days=1)
SCHEDULE = parse_schedule("30,7,1,0,daily:7,weekly")


class FakeClock:
    """Wall clock for the policy, monotonic clock and sleep for the pacer: nothing really sleeps."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.t = 1000.0
        self.sleeps: list[float] = []

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def poster_for(db, fake, clock: FakeClock | None = None, *, pace: float = 1.0, timeout: float = 5, **kwargs):
    clock = clock or FakeClock(T)
    client = WebClient(token="xoxb-poster-test", base_url=fake.api_url, timeout=timeout, retry_handlers=[])
    return slack_reminders(db, client, SCHEDULE, clock=clock.wall,
                          pacer=Pacer(pace, monotonic=clock.monotonic, sleep=clock.sleep), **kwargs)


def track(db, label="prod Entra SCIM", *, expires=T, channel="C0REMIND1", idp="entra", kind="scim-token",
          fingerprint="ab12cd34", now=None):
    now = now or T - 60 * D
    return add_credential(db, team_id="T0SSOBOT1", label=label, kind=kind, idp=idp, environment="prod",
                          channel_id=channel, expires_at=expires, expiry_source="jwt", fingerprint=fingerprint,
                          added_by="U0ADMIN01", now=now,
                          next_due_at=next_check(ReminderState(expires), SCHEDULE)).credential


def posts(fake) -> list[dict]:
    return [c.params for c in fake.calls_to("chat.postMessage")]


def colour(params: dict) -> str | None:
    """The band a reminder shows, as its marker and word (no colour bar since the legacy attachments went)."""
    assert "attachments" not in params
    return reminder_band(params)


def test_band_walk_under_freezegun_posts_each_reminder_once(db, fake_slack):
    cred = track(db)
    seen = []
    with freeze_time(T - 31 * D) as frozen:
        poster = slack_reminders(db, WebClient(token="xoxb-t", base_url=fake_slack.api_url, retry_handlers=[]),
                                SCHEDULE, pacer=Pacer(0))  # the real clock, frozen
        for moment in (T - 31 * D, T - 30 * D, T - 7 * D, T - 7 * D + timedelta(hours=1), T - D, T, T + D,
                       T + 8 * D, T + 15 * D):
            frozen.move_to(moment)
            before = len(posts(fake_slack))
            poster.tick()
            new = posts(fake_slack)[before:]
            seen.append([(colour(p), "thread" if p.get("thread_ts") else "main") for p in new])
    yellow, red, expired = "Yellow", "Red", "Expired"
    assert seen == [[], [(yellow, "main")], [(red, "main")], [], [(red, "main")],
                    [(expired, "main"), (None, "thread")], [(expired, "main")], [(expired, "main")],
                    [(expired, "main")]]
    keys = [r.reminder_key.rsplit(":", 1)[1] for r in ledger_rows(db, cred.id)]
    assert keys == ["d-30", "d-7", "d-1", "expiry", "d+1", "d+7", "d+14"]
    assert all(r.status == "done" for r in ledger_rows(db, cred.id))
    expiry_post = posts(fake_slack)[3]
    thread = posts(fake_slack)[4]
    assert thread["thread_ts"] and thread["channel"] == expiry_post["channel"] == "C0REMIND1"
    assert "Admin Credentials" in json.dumps(thread) and "Disabled on" in json.dumps(thread)


def test_done_when_five_days_gets_one_red_ninety_days_none_and_renewed_stops(db, fake_slack):
    clock = FakeClock(T - 5 * D)
    soon = track(db, "five days", now=clock.now)
    track(db, "ninety days", expires=T + 85 * D, channel="C0REMIND2", now=clock.now)
    poster = poster_for(db, fake_slack, clock)
    first = poster.tick()
    assert first.posted == 1 and first.failed == 0
    [red] = posts(fake_slack)
    assert red["channel"] == "C0REMIND1" and colour(red) == "Red" and "five days" in red["text"]
    assert poster.tick().posted == 0 and len(posts(fake_slack)) == 1  # the second run posts nothing

    reminder_ts = get_credential(db, soon.id).thread_ts
    assert reminder_ts
    renewed = mark_renewed(db, soon.id, expires_at=T + 175 * D, expiry_source="issued", fingerprint="",
                           renewed_by="U0ADMIN01", now=clock.now,
                           next_due_at=next_check(ReminderState(T + 175 * D), SCHEDULE))
    assert renewed is not None and renewed.notice_key
    result = poster.tick()
    assert result.notices == 1 and result.posted == 0
    reply = posts(fake_slack)[-1]
    assert reply["thread_ts"] == reminder_ts and get_credential(db, soon.id).notice_key == ""
    assert "Resolved" in reply["text"] and reply["channel"] == "C0REMIND1"
    for days in (1, 2, 5, 8, 30):  # the old expiry passes: nothing more for it
        clock.now = T - 5 * D + days * D
        assert poster.tick().posted == 0
    assert len(posts(fake_slack)) == 2


def test_a_429_is_waited_out_for_its_retry_after_then_posted_once(db, fake_slack):
    track(db)
    clock = FakeClock(T - 5 * D)
    fake_slack.fail_next("chat.postMessage", Fault(status=429, body={"ok": False, "error": "ratelimited"},
                                                   headers={"Retry-After": "7"}))
    result = poster_for(db, fake_slack, clock).tick()
    assert result.rate_limited == 1 and result.posted == 1 and result.failed == 0
    assert len(posts(fake_slack)) == 2  # the refused one and the retry
    assert sum(clock.sleeps) >= 7  # waited Retry-After (on the fake clock)
    assert [r.status for r in ledger_rows(db)] == ["done"]


def test_a_long_retry_after_releases_the_claim_until_then(db, fake_slack):
    track(db)
    clock = FakeClock(T - 5 * D)
    fake_slack.fail_next("chat.postMessage", Fault(status=429, body={"ok": False, "error": "ratelimited"},
                                                   headers={"Retry-After": "120"}))
    poster = poster_for(db, fake_slack, clock)
    first = poster.tick()
    assert first.posted == 0 and first.failed == 1
    [row] = ledger_rows(db)
    assert row.status == "pending" and row.lease_until == clock.now + timedelta(seconds=120)
    other = poster_for(db, fake_slack, clock, owner="replica-2")
    clock.now += timedelta(seconds=60)
    assert other.tick().posted == 0 and len(posts(fake_slack)) == 1  # no one retries before Retry-After
    clock.now += timedelta(seconds=61)
    assert other.tick().posted == 1 and len(posts(fake_slack)) == 2


@pytest.mark.parametrize("fault", [Fault(status=500), Fault(status=503, body="<html>down</html>"),
                                   Fault(status=502, body={"ok": False, "error": "fatal_error"})])
def test_a_slack_5xx_is_retried_on_the_next_tick(db, fake_slack, fault):
    track(db)
    poster = poster_for(db, fake_slack, FakeClock(T - 5 * D))
    fake_slack.fail_next("chat.postMessage", fault)
    first = poster.tick()
    assert first.failed == 1 and first.posted == 0
    assert ledger_rows(db)[0].status == "pending" and ledger_rows(db)[0].lease_until is None
    second = poster.tick()
    assert second.posted == 1 and len(posts(fake_slack)) == 2
    assert poster.tick().posted == 0


def test_a_timeout_is_retried_on_the_next_tick(db, fake_slack):
    track(db)
    poster = poster_for(db, fake_slack, FakeClock(T - 5 * D), timeout=0.3)
    fake_slack.fail_next("chat.postMessage", Fault(status=200, body={"ok": True, "ts": "1.1"}, delay=1.5))
    assert poster.tick().failed == 1
    assert poster.tick().posted == 1
    assert len(posts(fake_slack)) == 2


def test_the_network_being_down_is_retried(db, fake_slack):
    track(db)
    clock = FakeClock(T - 5 * D)
    down = slack_reminders(db, WebClient(token="xoxb-t", base_url="http://127.0.0.1:9/api/", timeout=1,
                                        retry_handlers=[]), SCHEDULE, clock=clock.wall,
                          pacer=Pacer(1, monotonic=clock.monotonic, sleep=clock.sleep))
    assert down.tick().failed == 1
    assert poster_for(db, fake_slack, clock).tick().posted == 1


def test_a_channel_the_bot_cannot_post_in_backs_off_for_an_hour(db, fake_slack):
    track(db)
    clock = FakeClock(T - 5 * D)
    fake_slack.fail_next("chat.postMessage", Fault(status=200, body={"ok": False, "error": "not_in_channel"}))
    poster = poster_for(db, fake_slack, clock)
    assert poster.tick().failed == 1
    assert ledger_rows(db)[0].last_error == "not_in_channel"
    clock.now += timedelta(minutes=59)
    assert poster.tick().posted == 0 and len(posts(fake_slack)) == 1
    clock.now += timedelta(minutes=2)
    assert poster.tick().posted == 1


def test_a_crash_after_claiming_loses_nothing_once_the_lease_runs_out(db, fake_slack):
    cred = track(db)
    clock = FakeClock(T - 5 * D)
    # Process A claimed the d-7 reminder and died before posting.
    key = f"{cred.generation}:{T.strftime('%Y%m%dT%H%M%SZ')}:d-7"
    dead = claim_reminder(db, credential_id=cred.id, key=key, generation=1, owner="dead", now=clock.now,
                          lease=timedelta(minutes=10))
    assert dead.won
    restarted = poster_for(db, fake_slack, clock)
    assert restarted.tick().skipped == 1 and posts(fake_slack) == []  # A's lease still holds
    clock.now += timedelta(minutes=10)
    assert restarted.tick().posted == 1 and len(posts(fake_slack)) == 1
    assert restarted.tick().posted == 0


def test_a_crash_between_the_reminder_and_its_thread_posts_only_the_thread(db, fake_slack):
    cred = track(db)
    clock = FakeClock(T + timedelta(hours=2))
    key = f"{cred.generation}:{T.strftime('%Y%m%dT%H%M%SZ')}:expiry"
    dead = claim_reminder(db, credential_id=cred.id, key=key, generation=1, owner="dead", now=clock.now,
                          lease=timedelta(minutes=10))
    mark_posted(db, ledger_id=dead.ledger_id, owner="dead", channel_id="C0REMIND1", message_ts="1699999999.000100",
                now=clock.now, credential_id=cred.id, generation=1)
    clock.now += timedelta(minutes=11)
    result = poster_for(db, fake_slack, clock).tick()
    assert result.posted == 0 and result.threads == 1
    [thread] = posts(fake_slack)
    assert thread["thread_ts"] == "1699999999.000100" and "401 recovery" in thread["text"]
    assert ledger_rows(db)[0].status == "done"


def test_a_thread_that_fails_is_retried_without_reposting_the_reminder(db, fake_slack):
    track(db)
    clock = FakeClock(T + timedelta(hours=1))
    poster = poster_for(db, fake_slack, clock)
    fake_slack.fail_next("chat.postMessage", Fault(status=200, body={"ok": True, "ts": "1700000500.000100"}))
    fake_slack.fail_next("chat.postMessage", Fault(status=500))
    first = poster.tick()
    assert (first.posted, first.threads, first.failed) == (1, 0, 1)
    second = poster.tick()
    assert (second.posted, second.threads) == (0, 1)
    assert posts(fake_slack)[-1]["thread_ts"] == "1700000500.000100"
    assert poster.tick().posted == 0


def test_pacing_is_one_message_per_second_per_channel_and_serves_other_channels_meanwhile(db, fake_slack):
    for n in range(3):
        track(db, f"busy {n}", channel="C0BUSY001")
    track(db, "quiet", channel="C0QUIET01")
    clock = FakeClock(T - 5 * D)
    stamps: list[tuple[str, float]] = []
    poster = poster_for(db, fake_slack, clock)
    original = poster.slack.post

    def timed(channel, message):
        stamps.append((channel, clock.t))
        return original(channel, message)

    poster.slack.post = timed  # type: ignore[method-assign]
    assert poster.tick().posted == 4
    busy = [t for c, t in stamps if c == "C0BUSY001"]
    assert [round(b - a, 6) for a, b in zip(busy, busy[1:], strict=False)] == [1.0, 1.0]
    quiet = [t for c, t in stamps if c == "C0QUIET01"]
    assert quiet[0] == busy[0]  # not queued behind the busy channel
    assert sum(clock.sleeps) == pytest.approx(2.0)


def test_a_tick_reads_due_rows_a_page_at_a_time(db, fake_slack):
    for n in range(120):
        track(db, f"c{n:03d}", channel=f"C0CH{n % 12:05d}")
    result = poster_for(db, fake_slack, FakeClock(T - 5 * D), pace=1.0, page_size=20, max_pending=40).tick()
    assert result.posted == 120 and result.considered == 120
    assert result.max_in_memory <= 40 + 20
    assert poster_for(db, fake_slack, FakeClock(T - 5 * D)).tick().considered == 0


def test_a_long_outage_catches_up_with_one_reminder(db, fake_slack):
    track(db)
    clock = FakeClock(T + 40 * D)  # nothing ran from T-60d until T+40d
    result = poster_for(db, fake_slack, clock).tick()
    assert result.posted == 1 and result.threads == 1
    assert [r.reminder_key.rsplit(":", 1)[1] for r in ledger_rows(db)] == ["d+35"]


def test_dry_run_claims_and_posts_nothing(db, fake_slack):
    track(db)
    result = poster_for(db, fake_slack, FakeClock(T - 5 * D)).tick(dry_run=True)
    assert [(p.band, p.key.rsplit(":", 1)[1]) for p in result.planned] == [("red", "d-7")]
    assert posts(fake_slack) == [] and ledger_rows(db) == []


def test_the_token_is_nowhere_in_the_database_the_log_or_slack(db, fake_slack, caplog, database_url):
    token = make_jwt(T, iat=int((T - 180 * D).timestamp()), aud="scim")
    expiry = expiry_from_input(kind="scim-token", now=T - 5 * D, secret=token)
    cred = add_credential(db, team_id="T0SSOBOT1", label="from a jwt", kind="scim-token", idp="entra",
                          environment="prod", channel_id="C0REMIND1", expires_at=expiry.expires_at,
                          expiry_source=expiry.source, fingerprint=expiry.fingerprint, added_by="U0ADMIN01",
                          now=T - 5 * D, next_due_at=next_check(ReminderState(expiry.expires_at), SCHEDULE)).credential
    clock = FakeClock(T - 5 * D)
    with caplog.at_level(logging.DEBUG):
        poster = poster_for(db, fake_slack, clock)
        for when in (T - 5 * D, T - D, T + timedelta(hours=1)):
            clock.now = when
            poster.tick()
        renewed = expiry_from_input(kind="scim-token", now=clock.now, secret=make_jwt(T + 180 * D))
        mark_renewed(db, cred.id, expires_at=renewed.expires_at, expiry_source=renewed.source,
                     fingerprint=renewed.fingerprint, renewed_by="U0ADMIN01", now=clock.now,
                     next_due_at=next_check(ReminderState(renewed.expires_at), SCHEDULE))
        poster.tick()
    assert len(posts(fake_slack)) == 5  # d-7, d-1, expiry + thread, resolved
    dumped = [fake_slack.everything_sent(), caplog.text]
    with db.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            dumped.append(" ".join(str(row) for row in conn.execute(text(f"SELECT * FROM {table.name}"))))
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        for suffix in ("", "-wal"):
            try:
                dumped.append(open(path + suffix, "rb").read().decode("latin-1"))
            except FileNotFoundError:
                pass
    everything = "\n".join(dumped)
    assert expiry.fingerprint in everything  # the fingerprint is what we keep
    for part in token.split("."):
        for start in range(0, len(part) - 12, 6):
            assert part[start:start + 12] not in everything


def test_a_time_budget_leaves_the_rest_for_the_next_tick(db, fake_slack):
    for n in range(6):
        track(db, f"same channel {n}", channel="C0BUSY001")
    clock = FakeClock(T - 5 * D)
    poster = poster_for(db, fake_slack, clock)
    first = poster.tick(budget=2.5)
    assert 0 < first.posted < 6 and first.deferred >= 1
    assert "left for the next tick" in first.summary()
    second = poster.tick()
    assert first.posted + second.posted == 6 and len(posts(fake_slack)) == 6
