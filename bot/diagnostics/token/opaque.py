"""An opaque token (RFC 6750 §2.1 only says it is a ``b64token``): nothing in it tells its expiry,
so the expiry is estimated from the generation date, when it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.token.expiry import from_issued, issued, unknown_expiry
from bot.diagnostics.token.shared import REF_BEARER


def check_opaque(
    token: str,
    now: datetime,
    issued_at: date | datetime | None,
    lifetime_days: int,
    base_facts: Mapping[str, str],
) -> list[Finding]:
    facts = {**base_facts, "length": str(len(token))}
    findings = [_opaque(facts)]
    # Generated tokens are far longer: a short one lost part of itself in the copy.
    if len(token) < 20:
        findings.append(_too_short(token, facts))
    start = issued(issued_at)
    if start is None:
        findings.append(unknown_expiry(facts))
    else:
        findings.extend(from_issued(start, now, lifetime_days, facts, "the generation date you gave"))
    return findings


def _opaque(facts: dict[str, str]) -> Finding:
    return Finding(
        code="token-opaque",
        severity=Severity.INFO,
        title="Opaque token: its expiry cannot be read from it",
        detail=(
            "This is not a JWT, so it carries no readable dates; only the server that issued it knows "
            "when it expires. The product's SCIM tokens last 180 days from the day they are generated. "
            "The token itself is not shown here, only its fingerprint."
        ),
        fix=(
            "Look up the Token Expiry next to the Access Token under Settings → SSO & Provisioning, "
            "or tell me the date the token was generated.",
        ),
        refs=(REF_BEARER,),
        facts=facts,
    )


def _too_short(token: str, facts: dict[str, str]) -> Finding:
    return Finding(
        code="token-suspiciously-short",
        severity=Severity.WARN,
        title="The token looks too short to be complete",
        detail=(
            f"It has {len(token)} characters. Generated bearer tokens are much longer, so part of it "
            "was probably lost when it was copied."
        ),
        fix=("Copy it again with the copy icon next to the Access Token field.",),
        facts=dict(facts),
    )
