"""An opaque token (RFC 6750 §2.1 only says it is a ``b64token``): nothing in it tells its expiry,
so the expiry is estimated from the generation date, when it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding
from bot.diagnostics.token.expiry import from_issued, issued, unknown_expiry


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
    return check_finding("token-opaque", facts)


def _too_short(token: str, facts: dict[str, str]) -> Finding:
    return check_finding("token-suspiciously-short", dict(facts), values={"length": str(len(token))})
