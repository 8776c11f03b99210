"""When a token expires and which band that puts it in, as on the product's SSO & Provisioning page:
30 days or more left is fine; under 30 is yellow (warn); under 7 is red (fail); at or past the
expiry the token is expired (fail) and the IdP's provisioning calls get 401.

The expiry is read from a JWT's ``exp`` claim, or estimated as the generation date plus the
token's lifetime (180 days for the product's SCIM tokens).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.token.shared import CLOCK_SKEW, RECOVERY_STEPS, REF_ENTRA_QUARANTINE, REF_JWT, aware, fmt, span

DEFAULT_LIFETIME_DAYS = 180
WARN_DAYS = 30
FAIL_DAYS = 7


def issued(issued_at: date | datetime | None) -> datetime | None:
    """The generation time given, as an aware UTC datetime (a date is its midnight UTC)."""
    if issued_at is None:
        return None
    if isinstance(issued_at, datetime):
        return aware(issued_at)
    if isinstance(issued_at, date):
        return datetime(issued_at.year, issued_at.month, issued_at.day, tzinfo=timezone.utc)
    return None


def _lifetime(lifetime_days: Any) -> int:
    """The lifetime asked for, or the default when it is not a whole number of days up to 100 years."""
    if isinstance(lifetime_days, bool) or not isinstance(lifetime_days, int) or not 0 < lifetime_days <= 36500:
        return DEFAULT_LIFETIME_DAYS
    return lifetime_days


def unknown_expiry(facts: Mapping[str, str]) -> Finding:
    return Finding(
        code="token-expiry-unknown",
        severity=Severity.INFO,
        title="When was this token generated?",
        detail=(
            "Without the generation date the expiry is unknown. Give the date and I will work out the expiry "
            "(generation date + 180 days) and whether it is in the yellow (under 30 days) or red (under 7 days) band."
        ),
        fix=("Re-run the check with the date the token was generated, e.g. 2026-06-01.",),
        facts=dict(facts),
    )


def from_issued(
    start: datetime, now: datetime, lifetime_days: int, facts: Mapping[str, str], source: str
) -> list[Finding]:
    """The band of the expiry estimated from ``start`` (after a warning when ``start`` is in the future)."""
    days = _lifetime(lifetime_days)
    findings: list[Finding] = []
    try:
        expires = start + timedelta(days=days)
    except OverflowError:
        return [unknown_expiry(facts)]
    extra = {**facts, "issued_at": fmt(start), "lifetime_days": str(days), "expiry_source": "estimated"}
    if start > now + CLOCK_SKEW:
        findings.append(
            Finding(
                code="token-issued-in-future",
                severity=Severity.WARN,
                title="The generation date is in the future",
                detail=(
                    f"It says {fmt(start)}, which is {span(start - now)} from now. Check the date (day and month "
                    "swapped?) or the clock of the system that issued the token."
                ),
                facts=dict(extra),
            )
        )
    findings.append(band(expires, now, extra, f"estimated from {source} + {days} days"))
    return findings


def band(expires: datetime, now: datetime, facts: Mapping[str, str], how: str) -> Finding:
    """One finding for the time left until ``expires``; ``how`` says where the expiry comes from."""
    left = expires - now
    facts = {**facts, "expires_at": fmt(expires)}
    if left <= timedelta(0):
        facts["expired_ago"] = span(left)
        return _expired(expires, left, facts, how)
    facts["days_left"] = str(left.days)
    facts["time_left"] = span(left)
    if left < timedelta(days=FAIL_DAYS):
        return _red(expires, left, facts, how)
    if left < timedelta(days=WARN_DAYS):
        return _yellow(expires, left, facts, how)
    return Finding(
        code="token-valid",
        severity=Severity.OK,
        title=f"Not expired: {span(left)} left",
        detail=f"The token expires on {fmt(expires)} ({how}).",
        fix=(f"Set a reminder at least {WARN_DAYS} days before {fmt(expires)}.",),
        refs=(REF_JWT,),
        facts=facts,
    )


def _expired(expires: datetime, left: timedelta, facts: dict[str, str], how: str) -> Finding:
    return Finding(
        code="token-expired",
        severity=Severity.FAIL,
        title=f"Expired {span(left)} ago",
        detail=(
            f"The token expired on {fmt(expires)} ({how}). If it is the SCIM token, the IdP's provisioning "
            "calls now get 401 Unauthorized: Entra puts the job into quarantine (retries at 6, 12 and 24 hours, "
            "then daily, disabled after 4 weeks) and Okta's Test API Credentials fails. SSO sign-in is not "
            "affected."
        ),
        fix=RECOVERY_STEPS,
        refs=(REF_JWT, REF_ENTRA_QUARANTINE),
        facts=facts,
    )


def _red(expires: datetime, left: timedelta, facts: dict[str, str], how: str) -> Finding:
    return Finding(
        code="token-expiring-critical",
        severity=Severity.FAIL,
        title=f"Red: expires in {span(left)}",
        detail=(
            f"The token expires on {fmt(expires)} ({how}), less than {FAIL_DAYS} days away. After that "
            "every SCIM call from the IdP gets 401 Unauthorized."
        ),
        fix=("Rotate it now, before it expires:", *RECOVERY_STEPS),
        refs=(REF_JWT,),
        facts=facts,
    )


def _yellow(expires: datetime, left: timedelta, facts: dict[str, str], how: str) -> Finding:
    return Finding(
        code="token-expiring-soon",
        severity=Severity.WARN,
        title=f"Yellow: expires in {span(left)}",
        detail=(
            f"The token expires on {fmt(expires)} ({how}), less than {WARN_DAYS} days away. Plan the rotation "
            "now so provisioning does not stop."
        ),
        fix=("Schedule the rotation before the expiry date:", *RECOVERY_STEPS),
        refs=(REF_JWT,),
        facts=facts,
    )
