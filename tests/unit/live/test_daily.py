"""Judging a night's check of a tracked SCIM token (``bot.live.daily``)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.live.daily import EVERY, RETRY_UNREACHABLE, judge_probe

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(days=40)


@pytest.mark.parametrize("code", ["live-scim-unauthorized", "live-scim-forbidden", "live-scim-token-audience"])
def test_a_401_before_the_expiry_date_is_the_alarm(code):
    verdict = judge_probe(["live-scim-replay", code], failed=True, expires_at=LATER, now=NOW)
    assert verdict.outcome == "unauthorized" and verdict.alert and verdict.code == code
    assert verdict.next_probe_at == NOW + EVERY


def test_a_401_after_the_expiry_date_is_left_to_the_expiry_reminders():
    verdict = judge_probe(["live-scim-unauthorized"], failed=True, expires_at=NOW - timedelta(hours=1), now=NOW)
    assert verdict.outcome == "unauthorized" and not verdict.alert


def test_an_unreachable_endpoint_is_retried_sooner_twice_then_daily_and_never_alarms():
    first = judge_probe(["live-timeout"], failed=True, expires_at=LATER, now=NOW)
    assert (first.outcome, first.alert, first.failures, first.next_probe_at) == ("unreachable", False, 1,
                                                                                NOW + RETRY_UNREACHABLE)
    third = judge_probe(["live-tls-expired"], failed=True, expires_at=LATER, now=NOW, previous_failures=2)
    assert third.failures == 3 and third.next_probe_at == NOW + EVERY and not third.alert


def test_a_wrong_answer_is_a_set_up_problem_and_a_pass_resets_the_count():
    broken = judge_probe(["live-scim-replay", "live-scim-not-found"], failed=True, expires_at=LATER, now=NOW,
                         previous_failures=2)
    assert (broken.outcome, broken.code, broken.failures) == ("broken", "live-scim-not-found", 0)
    passed = judge_probe(["live-scim-ok"], failed=False, expires_at=LATER, now=NOW, previous_failures=2)
    assert (passed.outcome, passed.alert, passed.failures) == ("ok", False, 0)
