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

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.token.shared import CLOCK_SKEW, aware, fmt, span

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
    return check_finding("token-expiry-unknown", dict(facts))


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
            check_finding("token-issued-in-future", dict(extra), values={"ahead": span(start - now)})
        )
    findings.append(band(expires, now, extra, f"estimated from {source} + {days} days"))
    return findings


def band(expires: datetime, now: datetime, facts: Mapping[str, str], how: str) -> Finding:
    """One finding for the time left until ``expires``; ``how`` says where the expiry comes from."""
    left = expires - now
    facts = {**facts, "expires_at": fmt(expires)}
    if left <= timedelta(0):
        facts["expired_ago"] = span(left)
        return check_finding("token-expired", facts, values={"how": how})
    facts["days_left"] = str(left.days)
    facts["time_left"] = span(left)
    if left < timedelta(days=FAIL_DAYS):
        return check_finding("token-expiring-critical", facts, values={"how": how})
    if left < timedelta(days=WARN_DAYS):
        return check_finding("token-expiring-soon", facts, values={"how": how})
    return check_finding("token-valid", facts, severity=Severity.OK, values={"how": how})
