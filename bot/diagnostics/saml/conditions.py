"""The assertion's ``<saml:Conditions>`` (SAML Core §2.5.1): its validity window against the time of
the check (§2.5.1.2) and its ``<AudienceRestriction>`` against the SP's entity ID (§2.5.1.4).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import A, clip, present, text_of
from bot.diagnostics.saml.times import bad_times, fmt, parse_time, span


def check_conditions(reading: Reading) -> None:
    assert reading.assertion is not None
    conditions = reading.assertion.find(A + "Conditions")
    if conditions is None:
        reading.add(check_finding("saml-conditions-missing"))
        return
    _window(reading, conditions)
    _audience(reading, conditions)


def _window(reading: Reading, conditions: ET.Element) -> None:
    """NotBefore and NotOnOrAfter against the time of the check (Core §2.5.1.2)."""
    not_before_raw, not_after_raw = conditions.get("NotBefore"), conditions.get("NotOnOrAfter")
    not_before, not_after = parse_time(not_before_raw), parse_time(not_after_raw)
    bad_times(reading, (("Conditions NotBefore", not_before_raw, not_before),
                        ("Conditions NotOnOrAfter", not_after_raw, not_after)))
    if not_before is not None:
        reading.summary["not_before"] = fmt(not_before)
        if not_before > reading.now:
            reading.add(_not_yet_valid(not_before, reading.now))
    if not_after is not None:
        reading.summary["not_on_or_after"] = fmt(not_after)
        if not_after <= reading.now:
            reading.add(_expired(not_after, reading.now))


def _not_yet_valid(not_before: datetime, now: datetime) -> Finding:
    ahead = not_before - now
    return check_finding(
        "saml-not-yet-valid", present({"not_before": fmt(not_before), "now": fmt(now), "ahead_by": span(ahead)}),
    )


def _expired(not_after: datetime, now: datetime) -> Finding:
    ago = now - not_after
    return check_finding(
        "saml-expired", present({"not_on_or_after": fmt(not_after), "now": fmt(now), "expired_ago": span(ago)}),
    )


def _audience(reading: Reading, conditions: ET.Element) -> None:
    """The audiences named (Core §2.5.1.4), which must include the SP's entity ID when it is known."""
    audiences = [text_of(a) for r in conditions.findall(A + "AudienceRestriction")
                 for a in r.findall(A + "Audience")]
    reading.audiences = [a for a in audiences if a]
    if not reading.audiences:
        reading.add(check_finding("saml-audience-missing"))
        return
    reading.summary["audience"] = clip(", ".join(reading.audiences))
    expected = reading.expected_audience
    if expected is not None and expected not in reading.audiences:
        reading.add(_audience_mismatch(reading.audiences, expected))


def _audience_mismatch(audiences: list[str], expected: str) -> Finding:
    return check_finding(
        "saml-audience-mismatch",
        present({"audience": clip(", ".join(audiences)), "expected": clip(expected)}),
        values={"audience_shown": clip(", ".join(audiences), 200), "expected_shown": clip(expected, 160)},
    )
