"""Check a bearer token's expiry without ever repeating the token.

Two kinds of token reach this check:

* A JWT (RFC 7519): three base64url parts joined by dots (RFC 7515 §7.1). We
  decode the header and the claims **without verifying the signature** (we hold
  no key, and verification is the server's job), then read ``exp``, ``nbf`` and
  ``iat`` as NumericDate values (RFC 7519 §2, §4.1.4-§4.1.6), plus ``iss``,
  ``aud``, ``sub``/``appid``/``azp`` and the header's ``alg``/``typ``/``kid``.
* An opaque token (RFC 6750 §2.1 only says it is a ``b64token``): nothing in
  it tells its expiry, so we ask when it was generated. The product's SCIM
  tokens live 180 days, so ``issued_at`` + ``lifetime_days`` is the expiry.

Bands, as in the product's SSO & Provisioning page: 30 days or more left is
fine; under 30 is yellow (warn); under 7 is red (fail); at or past the expiry
the token is expired (fail) and the IdP's provisioning calls get 401.

The token is a secret. No finding is built from it except through
:func:`fingerprint` (the first 8 hex digits of its SHA-256); the redaction
boundary (``bot.checks.run_check`` with ``check="token"``) then treats the whole
pasted text as a secret and hides any 12-character run of it, whatever its origin.

The parts live beside this module: paste (the wrapping around a paste, the fingerprint,
stray characters), jwt (a JWT's shape) with claims (what it says), opaque,
expiry (the bands); shared holds the references
and how times are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding, Report
from bot.diagnostics.text import as_text as _as_text
from bot.diagnostics.text import without_invisible
from bot.diagnostics.token.expiry import DEFAULT_LIFETIME_DAYS, FAIL_DAYS, WARN_DAYS
from bot.diagnostics.token.jwt import check_jwt, looks_like_jwt
from bot.diagnostics.token.opaque import check_opaque
from bot.diagnostics.token.paste import fingerprint, is_masked, stray_characters, strip_wrapping
from bot.diagnostics.token.shared import aware

__all__ = ["check_token", "fingerprint", "DEFAULT_LIFETIME_DAYS", "WARN_DAYS", "FAIL_DAYS"]

SUBJECT = "Bearer token"


def check_token(
    token: Any,
    *,
    now: datetime | None = None,
    issued_at: date | datetime | None = None,
    lifetime_days: int = DEFAULT_LIFETIME_DAYS,
) -> Report:
    """Say how long ``token`` has left, reading a JWT's claims or estimating from ``issued_at``.

    ``now`` is the clock (UTC assumed for naive values; the real clock only
    when omitted). ``issued_at`` is the date the token was generated; with an
    opaque token (or a JWT without ``exp``) the expiry is ``issued_at`` +
    ``lifetime_days`` (180 for the product's SCIM tokens). Never raises; the
    report always has ``secret_seen=True``.
    """
    raw = ""
    try:
        raw = _as_text(token)
        clock = aware(now) if now is not None else datetime.now(timezone.utc)
        findings = _check(raw, clock, issued_at, lifetime_days)
    except Exception:
        findings = [
            check_finding("token-unreadable", {"fingerprint": fingerprint(raw)})
        ]
    return Report(subject=SUBJECT, findings=tuple(findings), inputs=("token",), secret_seen=True)


def _check(raw: str, now: datetime, issued_at: date | datetime | None, lifetime_days: int) -> list[Finding]:
    """Clean the paste (saying what had to go), stop at a masked placeholder, then read it as a JWT or
    as an opaque token."""
    token = strip_wrapping(raw)
    base_facts = {"fingerprint": fingerprint(raw)}
    if not token:
        return [
            check_finding("token-empty")
        ]
    findings: list[Finding] = []
    stray = stray_characters(token)
    if stray:
        findings.append(_stray(stray, base_facts))
        token = without_invisible(token)
    if is_masked(token):
        findings.append(_masked(base_facts))
        return findings
    parts = token.split(".")
    if looks_like_jwt(token, parts):
        findings.extend(check_jwt(token, parts, now, issued_at, lifetime_days, base_facts))
    else:
        findings.extend(check_opaque(token, now, issued_at, lifetime_days, base_facts))
    return findings


def _stray(stray: str, base_facts: Mapping[str, str]) -> Finding:
    return check_finding("token-stray-characters", dict(base_facts), values={"stray": stray})


def _masked(base_facts: Mapping[str, str]) -> Finding:
    return check_finding("token-masked", dict(base_facts))
