"""The reminder policy (bot.reminders): bands, the schedule, what is due, the catch-up rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from itertools import islice

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.recovery import entra_quarantine_clock, recovery_steps
from bot.reminders import (Band, ReminderState, Schedule, band_of, days_left, due_at, latest_occurrence, next_check,
                           occurrences, parse_schedule, time_left)

T = datetime(2027, 3, 10, 9, 30, tzinfo=timezone.utc)  # the expiry
D = timedelta(days=1)
DEFAULT = parse_schedule("30,7,1,0,daily:7,weekly")


def _post(state: ReminderState, now: datetime) -> tuple[ReminderState, str | None]:
    """What the poster does: post what is due, then record what it covered."""
    due = due_at(state, now, DEFAULT)
    if due is None:
        return state, None
    state = replace(state, last_sent_at=due.covers_until, snoozed_until=None if due.snooze else state.snoozed_until)
    return state, due.key.rsplit(":", 1)[-1] + ("+recovery" if due.with_recovery else "") + f"/{due.band.value}"


@pytest.mark.parametrize("left, band", [
    (timedelta(days=31), Band.OK), (timedelta(days=30), Band.OK),
    (timedelta(days=30) - timedelta(seconds=1), Band.YELLOW),
    (timedelta(days=7), Band.YELLOW), (timedelta(days=7) - timedelta(seconds=1), Band.RED),
    (timedelta(seconds=1), Band.RED), (timedelta(0), Band.EXPIRED), (-D, Band.EXPIRED),
])
def test_bands_match_the_platform_page(left, band):
    assert band_of(T, T - left) is band


def test_the_default_schedule_and_its_parsing():
    assert DEFAULT == Schedule(days_before=(30, 7, 1, 0), daily_after=7, weekly=True)
    assert parse_schedule(" 14 ; 3 , 0, daily:2 ") == Schedule((14, 3, 0), 2, False)
    assert "30 days before" in DEFAULT.describe() and "weekly" in DEFAULT.describe()
    for bad in ("", "thirty", "daily:x", "weekly:2", "99999"):
        with pytest.raises(ValueError):
            parse_schedule(bad)


def test_the_band_walk_posts_each_reminder_once():
    """T-31d, T-30d, T-7d, T-7d+1h (no duplicate), T-1d, T, T+1d, T+8d, T+15d."""
    state = ReminderState(expires_at=T)
    seen = []
    for moment in (T - 31 * D, T - 30 * D, T - 7 * D, T - 7 * D + timedelta(hours=1), T - D, T, T + D, T + 8 * D,
                   T + 15 * D):
        state, posted = _post(state, moment)
        seen.append(posted)
    assert seen == [None, "d-30/yellow", "d-7/red", None, "d-1/red", "expiry+recovery/expired", "d+1/expired",
                    "d+7/expired", "d+14/expired"]


def test_a_bot_down_for_days_catches_up_with_one_reminder_for_the_current_band():
    state = ReminderState(expires_at=T)
    state, posted = _post(state, T - 40 * D)
    assert posted is None
    state, posted = _post(state, T - 3 * D)  # down from T-40 to T-3: d-30 and d-7 both missed
    assert posted == "d-7/red"
    assert _post(state, T - 3 * D + timedelta(minutes=1))[1] is None
    state, posted = _post(state, T + 40 * D)  # down again through the expiry
    assert posted == "d+35+recovery/expired"  # one reminder, and the recovery steps were never posted yet


def test_every_reminder_after_expiry_is_daily_for_a_week_then_weekly():
    first = list(islice(occurrences(T, DEFAULT), 14))
    assert [o.days for o in first if o.days > 0] == [1, 2, 3, 4, 5, 6, 7, 14, 21, 28]
    assert [o.name for o in first][:5] == ["d-30", "d-7", "d-1", "expiry", "d+1"]


def test_a_new_credential_with_five_days_left_gets_its_red_reminder_at_once():
    state = ReminderState(expires_at=T)
    due = due_at(state, T - 5 * D, DEFAULT)
    assert due is not None and due.band is Band.RED and due.key.endswith(":d-7")
    assert next_check(state, DEFAULT) == T - 30 * D  # <= now: it is picked up by the next tick
    assert due_at(ReminderState(expires_at=T), T - 90 * D, DEFAULT) is None
    assert next_check(ReminderState(expires_at=T), DEFAULT) == T - 30 * D


def test_next_check_is_the_first_occurrence_after_what_was_covered():
    state = ReminderState(expires_at=T, last_sent_at=T - 7 * D)
    assert next_check(state, DEFAULT) == T - D
    assert next_check(replace(state, last_sent_at=T + 7 * D), DEFAULT) == T + 14 * D
    no_weekly = parse_schedule("7,0")
    assert next_check(ReminderState(T, last_sent_at=T), no_weekly) is None


def test_snooze_holds_reminders_then_posts_one_that_covers_the_gap():
    state = ReminderState(expires_at=T, last_sent_at=T - D)  # the T-1d reminder went out
    state = replace(state, snoozed_until=T + timedelta(hours=12))  # snoozed across the expiry
    assert due_at(state, T + timedelta(hours=1), DEFAULT) is None
    assert next_check(state, DEFAULT) == T + timedelta(hours=12)
    due = due_at(state, T + timedelta(hours=12), DEFAULT)
    assert due is not None and due.snooze and due.with_recovery and due.band is Band.EXPIRED
    state, _ = _post(state, T + timedelta(hours=12))
    assert due_at(state, T + timedelta(hours=13), DEFAULT) is None  # the expiry reminder is covered
    assert next_check(state, DEFAULT) == T + D


def test_a_renewal_starts_a_new_series_with_new_keys():
    old = ReminderState(expires_at=T, generation=1)
    new = ReminderState(expires_at=T + 180 * D, generation=2)
    now = T - 5 * D
    assert due_at(old, now, DEFAULT).key.startswith("1:")  # type: ignore[union-attr]
    assert due_at(new, now, DEFAULT) is None
    assert due_at(new, T + 175 * D, DEFAULT).key.startswith("2:")  # type: ignore[union-attr]


def test_recovery_comes_only_with_the_first_reminder_after_expiry():
    state = ReminderState(expires_at=T, last_sent_at=T)
    due = due_at(state, T + D, DEFAULT)
    assert due is not None and not due.with_recovery


def test_quarantine_clock_dates():
    clock = entra_quarantine_clock(T)
    assert clock.retries == (T + timedelta(hours=6), T + timedelta(hours=12), T + timedelta(hours=24))
    assert clock.daily_from == T + 2 * D
    assert clock.disabled_at == T + 28 * D
    assert clock.next_retry(T) == T + timedelta(hours=6)
    assert clock.next_retry(T + timedelta(hours=30)) == T + 2 * D
    assert clock.next_retry(T + 2 * D + timedelta(hours=1)) == T + 3 * D
    assert clock.next_retry(T + 28 * D) is None


def test_recovery_steps_name_the_places_to_click():
    entra = " ".join(recovery_steps("scim-token", "entra"))
    okta = " ".join(recovery_steps("scim-token", "okta"))
    other = " ".join(recovery_steps("scim-token", "other"))
    assert "Admin Credentials" in entra and "Secret Token" in entra and "Restart provisioning" in entra
    assert "Integration" in okta and "OAuth Bearer Token" in okta and "Test API Credentials" in okta
    for text in (entra, okta, other):
        assert "Generate Key" in text and "masked" in text and "10 minutes" in text
    assert "Certificates & secrets" in " ".join(recovery_steps("client-secret", "entra"))
    assert "SAML" in " ".join(recovery_steps("saml-cert", "okta"))
    assert recovery_steps("saml-cert", "unknown-idp") == recovery_steps("saml-cert", "other")


def test_time_phrases():
    assert time_left(T, T - 5 * D) == "in 5 days"
    assert time_left(T, T - D - timedelta(hours=3)) == "in 1 day 3 hours"
    assert time_left(T, T - timedelta(hours=5)) == "in 5 hours"
    assert time_left(T, T + 3 * D) == "3 days ago"
    assert days_left(T, T - 5 * D + timedelta(minutes=1)) == 4
    assert days_left(T, T + timedelta(hours=1)) == -1


_moments = st.integers(min_value=-400 * 24, max_value=400 * 24).map(lambda h: T + timedelta(hours=h))
_schedules = st.builds(
    lambda before, daily, weekly: Schedule(tuple(sorted(set(before), reverse=True)), daily, weekly),
    st.lists(st.integers(0, 60), max_size=5), st.integers(0, 10), st.booleans())


@settings(max_examples=300, deadline=None)
@given(now=_moments, schedule=_schedules)
def test_latest_occurrence_agrees_with_walking_the_schedule(now, schedule):
    walked = None
    for occ in occurrences(T, schedule):
        if occ.at > now:
            break
        walked = occ
    assert latest_occurrence(T, now, schedule) == walked


@settings(max_examples=300, deadline=None)
@given(covered=_moments, schedule=_schedules)
def test_next_check_agrees_with_walking_the_schedule(covered, schedule):
    walked = next((occ.at for occ in occurrences(T, schedule) if occ.at > covered), None)
    assert next_check(ReminderState(T, last_sent_at=covered), schedule) == walked


@settings(max_examples=200, deadline=None)
@given(moments=st.lists(_moments, min_size=1, max_size=30))
def test_any_sequence_of_ticks_never_posts_a_key_twice_nor_goes_back(moments):
    state = ReminderState(expires_at=T)
    keys: list[str] = []
    for now in sorted(moments):
        due = due_at(state, now, DEFAULT)
        if due is not None:
            assert due.key not in keys
            assert due.covers_until <= now
            keys.append(due.key)
            state = replace(state, last_sent_at=due.covers_until)
        assert due_at(state, now, DEFAULT) is None  # a second tick at the same moment posts nothing
        follow = next_check(state, DEFAULT)
        assert follow is None or follow > now


# --------------------------------------------------------------------------- snooze choices


def test_snooze_choices_end_a_day_or_a_week_on_or_at_nine_on_the_date_in_the_readers_zone():
    from datetime import date
    from zoneinfo import ZoneInfo

    from bot.reminders import SnoozeChoice, snooze_end

    now = datetime(2026, 12, 3, 15, 0, tzinfo=timezone.utc)
    far = now + timedelta(days=200)
    assert snooze_end(SnoozeChoice.DAY, now, far) == now + timedelta(days=1)
    assert snooze_end(SnoozeChoice.WEEK, now, far) == now + timedelta(days=7)
    berlin = snooze_end(date(2026, 12, 10), now, far, ZoneInfo("Europe/Berlin"))
    assert berlin == datetime(2026, 12, 10, 8, 0, tzinfo=timezone.utc)
    assert snooze_end(date(2026, 12, 10), now, far) == datetime(2026, 12, 10, 9, 0, tzinfo=timezone.utc)


def test_a_snooze_never_outlasts_the_expiry_and_refuses_the_past_and_far_future():
    from datetime import date

    from bot.reminders import SnoozeChoice, snooze_end

    now = datetime(2026, 12, 3, 15, 0, tzinfo=timezone.utc)
    soon = now + timedelta(days=3)
    assert snooze_end(SnoozeChoice.WEEK, now, soon) == soon
    assert snooze_end(date(2026, 12, 20), now, soon) == soon
    expired = now - timedelta(days=2)  # already expired: the snooze is what was asked
    assert snooze_end(SnoozeChoice.WEEK, now, expired) == now + timedelta(days=7)
    with pytest.raises(ValueError, match="after today"):
        snooze_end(date(2026, 12, 3), now, soon)
    with pytest.raises(ValueError, match="at most 90 days"):
        snooze_end(date(2027, 6, 1), now, now + timedelta(days=400))


def test_after_a_snooze_the_schedule_resumes_with_one_reminder():
    schedule = Schedule()
    expires = datetime(2027, 1, 30, tzinfo=timezone.utc)
    until = datetime(2027, 1, 10, 9, tzinfo=timezone.utc)
    state = ReminderState(expires, last_sent_at=expires - timedelta(days=30), snoozed_until=until)
    assert next_check(state, schedule) == until
    assert due_at(state, until - timedelta(minutes=1), schedule) is None
    due = due_at(state, until, schedule)
    assert due is not None and due.snooze and due.band is Band.YELLOW
    resumed = ReminderState(expires, last_sent_at=due.covers_until, snoozed_until=None)
    assert next_check(resumed, schedule) == expires - timedelta(days=7)  # the red one, on time
