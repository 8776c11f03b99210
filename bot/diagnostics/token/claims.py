"""What a decoded JWT says: the header's ``alg`` (an unsigned or truncated token), the claims shown as
facts (``iss``, ``aud``, ``sub``/``appid``/``azp``; ``alg``/``typ``/``kid``), and the date claims
``exp``, ``nbf`` and ``iat`` read as NumericDate values (RFC 7519 §2, §4.1.4-§4.1.6).

Claim values are shown one line each and clipped; the redaction boundary (``bot.redaction.seal``)
still hides any that happen to overlap the pasted token.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding
from bot.diagnostics.text import clip, marked
from bot.diagnostics.token.expiry import band, from_issued, issued
from bot.diagnostics.token.shared import CLOCK_SKEW, fmt, span

_MAX_CLAIM_LEN = 120
# Under a day is a sign-in's access or ID token, not a SCIM bearer token.
_SHORT_LIVED = timedelta(days=1)

_CLAIM_FACTS = (
    ("iss", "issuer"),
    ("aud", "audience"),
    ("sub", "subject"),
    ("appid", "appid"),
    ("azp", "azp"),
)


def numeric_date(value: Any) -> datetime | None:
    """RFC 7519 §2 NumericDate: seconds since the epoch, integer or not. None when unusable."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=value)
    except (OverflowError, ValueError, OSError):
        return None


def claim_text(value: Any) -> str:
    """A claim as one clipped line: strings, lists of scalars and numbers; "" for anything else."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value[:10] if isinstance(v, (str, int, float)))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(value)
    else:
        return ""
    return clip(text, _MAX_CLAIM_LEN, show=marked)


# --------------------------------------------------------------------------- the header


def header_findings(header: Mapping[str, Any], signature: str, facts: Mapping[str, str]) -> list[Finding]:
    alg = header.get("alg")
    if isinstance(alg, str) and alg.strip().lower() == "none":
        return [_alg_none(facts)]
    if not isinstance(alg, str) or not alg.strip():
        return [check_finding("token-jwt-bad-header", dict(facts))]
    if signature == "":
        return [_no_signature(alg, facts)]
    return []


def _alg_none(facts: Mapping[str, str]) -> Finding:
    return check_finding("token-jwt-alg-none", {**facts, "alg": "none"})


def _no_signature(alg: str, facts: Mapping[str, str]) -> Finding:
    return check_finding("token-jwt-no-signature", dict(facts), values={"alg": claim_text(alg)})


def decoded_finding(header: Mapping[str, Any], payload: Mapping[str, Any], facts: Mapping[str, str]) -> Finding:
    """What the token claims, as facts, with the warning that none of it is verified."""
    found: dict[str, str] = dict(facts)
    for key in ("alg", "typ", "kid"):
        text = claim_text(header.get(key))
        if text:
            found[key] = text
    for claim, label in _CLAIM_FACTS:
        text = claim_text(payload.get(claim))
        if text:
            found[label] = text
    for claim, label in (("iat", "issued_at"), ("nbf", "not_before"), ("exp", "expires_at")):
        moment = numeric_date(payload.get(claim))
        if moment is not None:
            found[label] = fmt(moment)
    return check_finding("token-jwt-decoded", found)


# --------------------------------------------------------------------------- the date claims


def claim_findings(
    payload: Mapping[str, Any],
    now: datetime,
    issued_at: date | datetime | None,
    lifetime_days: int,
    facts: Mapping[str, str],
) -> list[Finding]:
    """Unreadable dates, a short lifetime, nbf and iat against ``now``, then the band of the expiry."""
    findings: list[Finding] = []
    moments, bad = _date_claims(payload)
    if bad:
        findings.append(_bad_claim(bad, facts))
    exp, nbf, iat = moments["exp"], moments["nbf"], moments["iat"]
    base = dict(facts)
    if exp is not None and iat is not None and exp > iat:
        lifetime = exp - iat
        base["lifetime"] = span(lifetime)
        if lifetime < _SHORT_LIVED:
            findings.append(_short_lived(lifetime, base))
    if nbf is not None and nbf > now:
        findings.append(_not_yet_valid(nbf, now, base))
    if iat is not None and iat > now + CLOCK_SKEW:
        findings.append(_issued_in_future(iat, now, base))
    if exp is not None:
        findings.append(band(exp, now, {**base, "expiry_source": "exp claim"}, "from its exp claim"))
        return findings
    findings.append(_no_exp(base))
    start = issued(issued_at)
    if start is not None:
        findings.extend(from_issued(start, now, lifetime_days, base, "the generation date you gave"))
    elif iat is not None:
        findings.extend(from_issued(iat, now, lifetime_days, base, "its iat claim"))
    return findings


def _date_claims(payload: Mapping[str, Any]) -> tuple[dict[str, datetime | None], list[str]]:
    """exp, nbf and iat as datetimes (None when absent or unreadable), and the ones present but unreadable."""
    moments: dict[str, datetime | None] = {}
    bad: list[str] = []
    for claim in ("exp", "nbf", "iat"):
        if claim not in payload:
            moments[claim] = None
            continue
        moments[claim] = numeric_date(payload[claim])
        if moments[claim] is None:
            bad.append(claim)
    return moments, bad


def _bad_claim(bad: list[str], facts: Mapping[str, str]) -> Finding:
    return check_finding("token-jwt-bad-claim", {**facts, "claims": ", ".join(bad)})


def _short_lived(lifetime: timedelta, base: dict[str, str]) -> Finding:
    return check_finding("token-short-lived", dict(base))


def _not_yet_valid(nbf: datetime, now: datetime, base: dict[str, str]) -> Finding:
    return check_finding("token-not-yet-valid", {**base, "not_before": fmt(nbf)}, values={"ahead": span(nbf - now)})


def _issued_in_future(iat: datetime, now: datetime, base: dict[str, str]) -> Finding:
    return check_finding("token-issued-in-future", {**base, "issued_at": fmt(iat)}, values={"ahead": span(iat - now)})


def _no_exp(base: dict[str, str]) -> Finding:
    return check_finding("token-no-exp", dict(base))
