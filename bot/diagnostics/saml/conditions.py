"""The assertion's ``<saml:Conditions>`` (SAML Core §2.5.1): its validity window against the time of
the check (§2.5.1.2) and its ``<AudienceRestriction>`` against the SP's entity ID (§2.5.1.4).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import (REF_CORE, REF_ENTRA_SAML, REF_OKTA_SAML, REF_PROFILES, WHERE_BASIC, A, clip,
                                         present, text_of)
from bot.diagnostics.saml.times import bad_times, fmt, parse_time, span


def check_conditions(reading: Reading) -> None:
    assert reading.assertion is not None
    conditions = reading.assertion.find(A + "Conditions")
    if conditions is None:
        reading.add(Finding(
            code="saml-conditions-missing", severity=Severity.WARN,
            title="The assertion has no <Conditions>",
            detail="Conditions carry the validity window and the audience (Core §2.5.1). Without them the "
            "assertion never expires and is not limited to this SP; SPs that require an audience refuse it.",
            fix=("Check the SP's entity ID is set at the IdP (it becomes the Audience): "
                 + " Or: ".join(WHERE_BASIC),),
            refs=(REF_CORE,),
        ))
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
    return Finding(
        code="saml-not-yet-valid", severity=Severity.FAIL,
        title=f"SAML response is not yet valid: it starts {span(ahead)} from now",
        detail=f"Conditions NotBefore is {fmt(not_before)}, later than the time of this check "
        f"({fmt(now)}). The SP refuses an assertion before NotBefore (Core §2.5.1.2). This is "
        "almost always clock skew: the IdP's clock is ahead, or the SP's is behind. Many SPs allow a "
        "few minutes of skew; a larger gap fails every sign-in.",
        fix=("Synchronise the SP server's clock (NTP); Entra's and Okta's clocks are reliable.",
             "If the SP has a clock-skew allowance, a couple of minutes is reasonable; do not use it to "
             "hide a wrong clock."),
        refs=(REF_CORE,),
        facts=present({"not_before": fmt(not_before), "now": fmt(now), "ahead_by": span(ahead)}),
    )


def _expired(not_after: datetime, now: datetime) -> Finding:
    ago = now - not_after
    return Finding(
        code="saml-expired", severity=Severity.FAIL,
        title=f"SAML response expired {span(ago)} ago",
        detail=f"Conditions NotOnOrAfter is {fmt(not_after)}, before the time of this check ({fmt(now)})"
        ". The SP refuses the assertion from that moment on (Core §2.5.1.2). A response captured "
        "earlier and checked now is expected to have expired; if it failed at sign-in time, the SP's "
        "clock is ahead, the IdP's is behind, or the response was replayed.",
        fix=("Check the SP server's clock (NTP).",
             "If the response was captured earlier, re-run the check with the time it was captured."),
        refs=(REF_CORE,),
        facts=present({"not_on_or_after": fmt(not_after), "now": fmt(now), "expired_ago": span(ago)}),
    )


def _audience(reading: Reading, conditions: ET.Element) -> None:
    """The audiences named (Core §2.5.1.4), which must include the SP's entity ID when it is known."""
    audiences = [text_of(a) for r in conditions.findall(A + "AudienceRestriction")
                 for a in r.findall(A + "Audience")]
    reading.audiences = [a for a in audiences if a]
    if not reading.audiences:
        reading.add(Finding(
            code="saml-audience-missing", severity=Severity.WARN,
            title="The assertion names no Audience",
            detail="The <AudienceRestriction> says which SP the assertion is for (Core §2.5.1.4), and the Web "
            "SSO profile requires the SP's entity ID in it (Profiles §4.1.4.2). Without it most SPs refuse the "
            "assertion, and any SP could accept it.",
            fix=("Set the SP's entity ID at the IdP: " + " Or: ".join(WHERE_BASIC),),
            refs=(REF_CORE, REF_PROFILES),
        ))
        return
    reading.summary["audience"] = clip(", ".join(reading.audiences))
    expected = reading.expected_audience
    if expected is not None and expected not in reading.audiences:
        reading.add(_audience_mismatch(reading.audiences, expected))


def _audience_mismatch(audiences: list[str], expected: str) -> Finding:
    return Finding(
        code="saml-audience-mismatch", severity=Severity.FAIL,
        title="The assertion is for a different audience",
        detail=f"The Audience is {clip(', '.join(audiences), 200)}, but the SP's entity ID is "
        f"{clip(expected, 160)}. The SP only accepts assertions addressed to itself (Core §2.5.1.4), "
        "compared as exact strings. (Entra reports the same mismatch at sign-in as AADSTS700016 when the "
        "request names an unknown identifier.)",
        fix=("Make the Identifier (Entity ID) / Audience URI at the IdP identical to the SP's entity ID: "
             + " Or: ".join(WHERE_BASIC),),
        refs=(REF_CORE, REF_PROFILES, REF_ENTRA_SAML, REF_OKTA_SAML),
        facts=present({"audience": clip(", ".join(audiences)), "expected": clip(expected)}),
    )
