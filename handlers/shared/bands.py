"""How an expiry band reads in Slack, wherever a credential is shown (reminders, lists, the digest,
``/sso status``): a marker emoji *and* a word, never colour alone, so the meaning survives a
screen reader, a colour-blind reader and a plain-text notification."""

from __future__ import annotations

from bot.reminders import FAIL_DAYS, WARN_DAYS, Band

__all__ = ["BAND_MARK", "BAND_WORD", "BAND_RULE", "band_heading"]

BAND_MARK = {Band.OK: ":large_green_circle:", Band.YELLOW: ":large_yellow_circle:", Band.RED: ":red_circle:",
             Band.EXPIRED: ":rotating_light:"}
BAND_WORD = {Band.OK: "OK", Band.YELLOW: "Yellow", Band.RED: "Red", Band.EXPIRED: "Expired"}
BAND_RULE = {Band.EXPIRED: "expired", Band.RED: f"under {FAIL_DAYS} days left",
             Band.YELLOW: f"under {WARN_DAYS} days left", Band.OK: f"{WARN_DAYS} days or more left"}


def band_heading(band: Band, count: int) -> str:
    """``:red_circle: *Red* (under 7 days left): 2``."""
    return f"{BAND_MARK[band]} *{BAND_WORD[band]}* ({BAND_RULE[band]}): {count}"
