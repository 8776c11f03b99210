"""The core writes moments as UTC text; in Slack each reader sees them in their own time zone."""

from __future__ import annotations

from handlers.shared.dates import localise_times

DEC_3 = 1796307900  # 2026-12-03 14:25 UTC


def test_a_utc_moment_in_running_text_becomes_a_slack_date_with_the_utc_text_as_fallback():
    out = localise_times("The token expired on 2026-12-03 14:25:00 UTC (from its exp claim).")
    assert out == f"The token expired on <!date^{DEC_3}^{{date_short}} {{time}}|2026-12-03 14:25 UTC> (from its exp claim)."


def test_a_moment_alone_in_a_code_span_leaves_the_span():
    assert localise_times("last seen: `2026-12-03 14:25 UTC`") == (
        f"last seen: <!date^{DEC_3}^{{date_short}} {{time}}|2026-12-03 14:25 UTC>")


def test_what_is_not_a_utc_moment_stays_as_written():
    for text in ("2026-12-03 14:25", "2026-12-03 14:25 CET", "2026-02-31 10:00 UTC", "`2026-12-03 14:25 UTC and more`",
                 "build 12026-12-03 14:25 UTCX"):
        assert localise_times(text) == text
