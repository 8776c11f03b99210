"""The weekly digest's policy: parsing a schedule, the next send in a time zone, and the week key."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.digest import DigestInputError, DigestSchedule, next_send, parse_digest_schedule, week_key


def test_parsing_accepts_any_order_and_fills_defaults():
    assert parse_digest_schedule([]) == DigestSchedule(0, 9, "UTC")
    assert parse_digest_schedule(["friday", "5pm", "Europe/Berlin"]) == DigestSchedule(4, 17, "Europe/Berlin")
    assert parse_digest_schedule(["08:00", "Wed"]) == DigestSchedule(2, 8, "UTC")
    assert parse_digest_schedule(["mondays", "12am"], default_zone="America/New_York") == \
        DigestSchedule(0, 0, "America/New_York")
    assert DigestSchedule(4, 17, "Europe/Berlin").describe() == "Fridays at 17:00 (Europe/Berlin)"


@pytest.mark.parametrize("words, said", [(["someday"], "can't read"), (["monday", "25"], "can't read"),
                                         (["Mars/Olympus"], "not a time zone"), (["9:30"], "can't read")])
def test_bad_schedules_say_what_to_type(words, said):
    with pytest.raises(DigestInputError, match=said):
        parse_digest_schedule(words)


def test_next_send_follows_the_wall_clock_across_daylight_saving():
    berlin = DigestSchedule(0, 9, "Europe/Berlin")
    # Thursday 2026-10-22: next Monday is 10-26, after the clocks went back on 10-25 (CET, UTC+1).
    first = next_send(berlin, datetime(2026, 10, 22, 12, tzinfo=timezone.utc))
    assert first == datetime(2026, 10, 26, 8, tzinfo=timezone.utc)
    before = next_send(berlin, datetime(2026, 10, 15, 12, tzinfo=timezone.utc))
    assert before == datetime(2026, 10, 19, 7, tzinfo=timezone.utc)  # still CEST, UTC+2
    assert next_send(berlin, first) == first + timedelta(days=7)  # strictly after


def test_the_same_day_before_the_hour_is_still_this_week():
    utc = DigestSchedule(3, 9, "UTC")  # Thursday 09:00
    assert next_send(utc, datetime(2026, 12, 3, 8, 59, tzinfo=timezone.utc)) == \
        datetime(2026, 12, 3, 9, tzinfo=timezone.utc)
    assert next_send(utc, datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)) == \
        datetime(2026, 12, 10, 9, tzinfo=timezone.utc)


def test_week_key_is_the_local_iso_week():
    tokyo = DigestSchedule(0, 8, "Asia/Tokyo")
    monday_tokyo = datetime(2026, 11, 29, 23, tzinfo=timezone.utc)  # Monday 08:00 in Tokyo, Sunday in UTC
    assert week_key(monday_tokyo, tokyo) == "2026-W49"
    assert week_key(monday_tokyo, DigestSchedule(0, 8, "UTC")) == "2026-W48"


@settings(max_examples=200, deadline=None)
@given(weekday=st.integers(0, 6), hour=st.integers(0, 23),
       tz=st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]),
       start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1)))
def test_consecutive_sends_are_a_week_apart_in_distinct_weeks(weekday, hour, tz, start):
    schedule = DigestSchedule(weekday, hour, tz)
    first = next_send(schedule, start.replace(tzinfo=timezone.utc))
    second = next_send(schedule, first)
    assert first > start.replace(tzinfo=timezone.utc)
    assert timedelta(days=6, hours=22) <= second - first <= timedelta(days=7, hours=2)
    assert week_key(first, schedule) != week_key(second, schedule)
    assert first.astimezone(schedule_zone(tz)).weekday() == weekday


def schedule_zone(name):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
