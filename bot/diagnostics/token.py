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

The token is a secret. No field of any finding holds it or any 12-character
run of it: a token is shown only as :func:`fingerprint` (the first 8 hex
digits of its SHA-256), and a last pass over every finding hides any text that
overlaps the pasted input, whatever its origin.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Mapping

from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.text import as_text as _as_text, is_invisible as _is_invisible

__all__ = ["check_token", "fingerprint", "DEFAULT_LIFETIME_DAYS", "WARN_DAYS", "FAIL_DAYS"]

DEFAULT_LIFETIME_DAYS = 180
WARN_DAYS = 30
FAIL_DAYS = 7

SUBJECT = "Bearer token"
_WINDOW = 12  # no run of this many characters from the input may appear in the output
_MAX_CLAIM_LEN = 120
_SHORT_LIVED = timedelta(days=1)
_CLOCK_SKEW = timedelta(minutes=5)

REF_JWT = "https://www.rfc-editor.org/rfc/rfc7519#section-4.1"
REF_JWS = "https://www.rfc-editor.org/rfc/rfc7515#section-2"
REF_JWS_ALG = "https://www.rfc-editor.org/rfc/rfc7515#section-4.1.1"
REF_JWT_BCP = "https://www.rfc-editor.org/rfc/rfc8725#section-2.1"
REF_JWE = "https://www.rfc-editor.org/rfc/rfc7516#section-3"
REF_BEARER = "https://www.rfc-editor.org/rfc/rfc6750#section-2.1"
REF_ENTRA_QUARANTINE = (
    "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-quarantine-status"
)

_B64URL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_BEARER_PREFIX_RE = re.compile(r"(?i)^(?:authorization\s*:\s*)?(?:bearer\b\s*[:=]?\s*)?")
_MASK_CHARS = frozenset("•●∙·*xX•◦▪■")
_QUOTES = "\"'`“”‘’«»"

_RECOVERY_STEPS = (
    "Generate a new token in the product: Settings → SSO & Provisioning → SCIM 2.0 → Generate Key, "
    "and copy it at once (it is masked once you leave the page).",
    "Paste it into the IdP: Entra → Enterprise apps → your app → Provisioning → Admin Credentials → "
    "Secret Token; Okta → Applications → your app → Provisioning → Integration → OAuth Bearer Token.",
    "Run Test Connection (Entra) or Test API Credentials (Okta), save, and restart provisioning if it "
    "was paused or quarantined.",
    "Allow up to 10 minutes for the next sync cycle, then set a reminder before the new token's expiry.",
)


def fingerprint(token: Any) -> str:
    """The first 8 hex digits of the SHA-256 of ``token`` (a ``Bearer `` prefix is dropped first).

    Safe to show and to store: it identifies a token without revealing it.
    """
    try:
        cleaned = _strip_wrapping(_as_text(token))
        return hashlib.sha256(cleaned.encode("utf-8", errors="surrogatepass")).hexdigest()[:8]
    except Exception:
        return hashlib.sha256(b"").hexdigest()[:8]


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
        clock = _aware(now) if now is not None else datetime.now(timezone.utc)
        findings = _check(raw, clock, issued_at, lifetime_days)
    except Exception:
        findings = [
            Finding(
                code="token-unreadable",
                severity=Severity.INFO,
                title="This token could not be analysed",
                detail="Something in the pasted value stopped the check. Nothing from it is shown here.",
                fix=("Paste only the token, on its own, through the secret modal.",),
                facts={"fingerprint": fingerprint(raw)},
            )
        ]
    try:
        findings = _redact(findings, raw)
    except Exception:
        findings = [
            Finding(code="token-unreadable", severity=Severity.INFO, title="This token could not be analysed")
        ]
    return Report(subject=SUBJECT, findings=tuple(findings), inputs=("token",), secret_seen=True)


# --------------------------------------------------------------------------- parsing helpers


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _strip_wrapping(text: str) -> str:
    """Drop surrounding whitespace and quotes and a ``Bearer``/``Authorization:`` prefix."""
    out = text.strip()
    for _ in range(3):
        out = _BEARER_PREFIX_RE.sub("", out, count=1).strip()
        if len(out) >= 2 and out[0] in _QUOTES and out[-1] in _QUOTES:
            out = out[1:-1].strip()
    return out


def _b64url_decode(part: str) -> bytes | None:
    body = part.rstrip("=")
    if not body or any(c not in _B64URL_CHARS for c in body) or len(body) % 4 == 1:
        return None
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None


def _json_object(data: bytes) -> tuple[dict[str, Any] | None, str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, "is not UTF-8 text"
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None, "is not JSON"
    if not isinstance(value, dict):
        return None, "is JSON but not an object"
    return value, ""


def _numeric_date(value: Any) -> datetime | None:
    """RFC 7519 §2 NumericDate: seconds since the epoch, integer or not. None when unusable."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=value)
    except (OverflowError, ValueError, OSError):
        return None


def _fmt(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _span(delta: timedelta) -> str:
    """A human length of time: '3 days', '5 hours', '12 minutes' (about N years past 400 days)."""
    seconds = abs(delta.total_seconds())
    days = seconds / 86400
    if days >= 2:
        whole = int(days)
        text = f"{whole:,} days"
        if whole >= 400:
            text += f" (about {days / 365.25:.1f} years)"
        return text
    if seconds >= 7200:
        return f"{int(seconds // 3600)} hours"
    if seconds >= 120:
        return f"{int(seconds // 60)} minutes"
    return f"{int(seconds)} seconds"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _claim_text(value: Any) -> str:
    if isinstance(value, str):
        text = value
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value[:10] if isinstance(v, (str, int, float)))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(value)
    else:
        return ""
    text = "".join(ch if not _is_invisible(ch) or ch == " " else "?" for ch in text)
    return text if len(text) <= _MAX_CLAIM_LEN else text[: _MAX_CLAIM_LEN - 1] + "…"


# --------------------------------------------------------------------------- the check


def _check(raw: str, now: datetime, issued_at: date | datetime | None, lifetime_days: int) -> list[Finding]:
    token = _strip_wrapping(raw)
    fp = fingerprint(raw)
    base_facts = {"fingerprint": fp}
    if not token:
        return [
            Finding(
                code="token-empty",
                severity=Severity.INFO,
                title="No token to check",
                detail="The value was empty once spaces, quotes and a 'Bearer' prefix were removed.",
                fix=("Paste the token (or a JWT) through the secret modal, or give the date it was generated.",),
            )
        ]
    findings: list[Finding] = []
    stray = _stray_characters(token)
    if stray:
        findings.append(
            Finding(
                code="token-stray-characters",
                severity=Severity.WARN,
                title="The token has characters a token never contains",
                detail=(
                    f"Found {stray} inside it. A bearer token is one unbroken run of letters, digits and "
                    "'-._~+/='. If the IdP field holds these too, the server rejects the token and "
                    "provisioning fails with 401 Unauthorized."
                ),
                fix=(
                    "Copy the token again with the copy icon next to the Access Token field, not by selecting text.",
                    "Paste it into the IdP's Secret Token / OAuth Bearer Token field with nothing before or after it.",
                ),
                refs=(REF_BEARER,),
                facts=dict(base_facts),
            )
        )
        token = "".join(ch for ch in token if not _is_invisible(ch))

    if token and all(ch in _MASK_CHARS for ch in token):
        findings.append(
            Finding(
                code="token-masked",
                severity=Severity.FAIL,
                title="This is the masked placeholder, not the token",
                detail=(
                    "The Access Token field is masked once you leave the SSO & Provisioning page and cannot be "
                    "revealed again. Pasting the mask into the IdP sends a wrong token, so every SCIM call "
                    "gets 401 Unauthorized."
                ),
                fix=_RECOVERY_STEPS,
                facts=dict(base_facts),
            )
        )
        return findings

    parts = token.split(".")
    looks_jwt = (token.startswith("ey") and "." in token) or (
        len(parts) in (3, 5) and _json_object(_b64url_decode(parts[0]) or b"")[0] is not None
    )
    if looks_jwt:
        findings.extend(_check_jwt(token, parts, now, issued_at, lifetime_days, base_facts))
    else:
        findings.extend(_check_opaque(token, now, issued_at, lifetime_days, base_facts))
    return findings


def _stray_characters(token: str) -> str:
    kinds: list[str] = []
    if any(ch.isspace() for ch in token):
        kinds.append("spaces or line breaks")
    if any((not ch.isspace()) and _is_invisible(ch) for ch in token):
        kinds.append("invisible characters")
    if any(ch in _QUOTES for ch in token):
        kinds.append("quotes")
    if any(ch in "<>" for ch in token):
        kinds.append("angle brackets")
    return ", ".join(kinds)


def _check_opaque(
    token: str,
    now: datetime,
    issued_at: date | datetime | None,
    lifetime_days: int,
    base_facts: Mapping[str, str],
) -> list[Finding]:
    findings: list[Finding] = []
    facts = {**base_facts, "length": str(len(token))}
    findings.append(
        Finding(
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
    )
    if len(token) < 20:
        findings.append(
            Finding(
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
        )
    start = _issued(issued_at)
    if start is None:
        findings.append(_unknown_expiry(facts))
    else:
        findings.extend(_from_issued(start, now, lifetime_days, facts, "the generation date you gave"))
    return findings


def _issued(issued_at: date | datetime | None) -> datetime | None:
    if issued_at is None:
        return None
    if isinstance(issued_at, datetime):
        return _aware(issued_at)
    if isinstance(issued_at, date):
        return datetime(issued_at.year, issued_at.month, issued_at.day, tzinfo=timezone.utc)
    return None


def _lifetime(lifetime_days: Any) -> int:
    if isinstance(lifetime_days, bool) or not isinstance(lifetime_days, int) or not 0 < lifetime_days <= 36500:
        return DEFAULT_LIFETIME_DAYS
    return lifetime_days


def _unknown_expiry(facts: Mapping[str, str]) -> Finding:
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


def _from_issued(
    start: datetime, now: datetime, lifetime_days: int, facts: Mapping[str, str], source: str
) -> list[Finding]:
    days = _lifetime(lifetime_days)
    findings: list[Finding] = []
    try:
        expires = start + timedelta(days=days)
    except OverflowError:
        return [_unknown_expiry(facts)]
    extra = {**facts, "issued_at": _fmt(start), "lifetime_days": str(days), "expiry_source": "estimated"}
    if start > now + _CLOCK_SKEW:
        findings.append(
            Finding(
                code="token-issued-in-future",
                severity=Severity.WARN,
                title="The generation date is in the future",
                detail=(
                    f"It says {_fmt(start)}, which is {_span(start - now)} from now. Check the date (day and month "
                    "swapped?) or the clock of the system that issued the token."
                ),
                facts=dict(extra),
            )
        )
    findings.append(_band(expires, now, extra, f"estimated from {source} + {days} days"))
    return findings


def _band(expires: datetime, now: datetime, facts: Mapping[str, str], how: str) -> Finding:
    left = expires - now
    facts = {**facts, "expires_at": _fmt(expires)}
    if left <= timedelta(0):
        facts["expired_ago"] = _span(left)
        return Finding(
            code="token-expired",
            severity=Severity.FAIL,
            title=f"Expired {_span(left)} ago",
            detail=(
                f"The token expired on {_fmt(expires)} ({how}). If it is the SCIM token, the IdP's provisioning "
                "calls now get 401 Unauthorized: Entra puts the job into quarantine (retries at 6, 12 and 24 hours, "
                "then daily, disabled after 4 weeks) and Okta's Test API Credentials fails. SSO sign-in is not "
                "affected."
            ),
            fix=_RECOVERY_STEPS,
            refs=(REF_JWT, REF_ENTRA_QUARANTINE),
            facts=facts,
        )
    facts["days_left"] = str(left.days)
    facts["time_left"] = _span(left)
    if left < timedelta(days=FAIL_DAYS):
        return Finding(
            code="token-expiring-critical",
            severity=Severity.FAIL,
            title=f"Red: expires in {_span(left)}",
            detail=(
                f"The token expires on {_fmt(expires)} ({how}), less than {FAIL_DAYS} days away. After that "
                "every SCIM call from the IdP gets 401 Unauthorized."
            ),
            fix=("Rotate it now, before it expires:", *_RECOVERY_STEPS),
            refs=(REF_JWT,),
            facts=facts,
        )
    if left < timedelta(days=WARN_DAYS):
        return Finding(
            code="token-expiring-soon",
            severity=Severity.WARN,
            title=f"Yellow: expires in {_span(left)}",
            detail=(
                f"The token expires on {_fmt(expires)} ({how}), less than {WARN_DAYS} days away. Plan the rotation "
                "now so provisioning does not stop."
            ),
            fix=("Schedule the rotation before the expiry date:", *_RECOVERY_STEPS),
            refs=(REF_JWT,),
            facts=facts,
        )
    return Finding(
        code="token-valid",
        severity=Severity.OK,
        title=f"Not expired: {_span(left)} left",
        detail=f"The token expires on {_fmt(expires)} ({how}).",
        fix=(f"Set a reminder at least {WARN_DAYS} days before {_fmt(expires)}.",),
        refs=(REF_JWT,),
        facts=facts,
    )


def _check_jwt(
    token: str,
    parts: list[str],
    now: datetime,
    issued_at: date | datetime | None,
    lifetime_days: int,
    base_facts: Mapping[str, str],
) -> list[Finding]:
    findings: list[Finding] = []
    facts = dict(base_facts)
    if len(parts) == 5:
        findings.append(
            Finding(
                code="token-jwe",
                severity=Severity.INFO,
                title="Encrypted JWT (JWE): its claims cannot be read",
                detail=(
                    "It has five parts, so its claims are encrypted for the receiving server. Its expiry "
                    "cannot be read here."
                ),
                refs=(REF_JWE,),
                facts=dict(facts),
            )
        )
        start = _issued(issued_at)
        findings.append(
            _unknown_expiry(facts)
            if start is None
            else _from_issued(start, now, lifetime_days, facts, "the generation date you gave")[-1]
        )
        return findings
    if len(parts) != 3:
        findings.append(
            Finding(
                code="token-jwt-malformed",
                severity=Severity.FAIL,
                title=f"Looks like a JWT but has {len(parts)} part{'s' if len(parts) != 1 else ''}, not 3",
                detail=(
                    "A signed JWT is header.payload.signature. A part is missing or extra, which usually "
                    "means the token was cut short or two values were pasted together. The server will reject it."
                ),
                fix=("Copy the whole token again, in one piece.",),
                refs=(REF_JWS,),
                facts=dict(facts),
            )
        )
        return findings

    names = ("header", "payload", "signature")
    decoded: dict[str, bytes | None] = {}
    bad_b64: list[str] = []
    padded: list[str] = []
    for name, part in zip(names, parts):
        if part.endswith("="):
            padded.append(name)
        if name == "signature" and part == "":
            decoded[name] = b""
            continue
        decoded[name] = _b64url_decode(part)
        if decoded[name] is None:
            bad_b64.append(name)
    if bad_b64:
        findings.append(
            Finding(
                code="token-jwt-bad-base64",
                severity=Severity.FAIL,
                title=f"The JWT {' and '.join(bad_b64)} {'is' if len(bad_b64) == 1 else 'are'} not valid base64url",
                detail=(
                    "Each part must be base64url text (RFC 7515 §2). A damaged part means the token was changed "
                    "while it was copied, and the server will reject it."
                ),
                fix=("Copy the token again from its source, in one piece.",),
                refs=(REF_JWS,),
                facts={**facts, "parts": ", ".join(bad_b64)},
            )
        )
    if padded:
        findings.append(
            Finding(
                code="token-jwt-padding",
                severity=Severity.INFO,
                title="The JWT carries '=' padding",
                detail=(
                    f"The {' and '.join(padded)} ends with '='. JWTs use base64url without padding (RFC 7515 §2); "
                    "strict libraries reject it, lenient ones ignore it. Microsoft's published v1.0 sample token "
                    "has the same padding."
                ),
                refs=(REF_JWS,),
                facts={**facts, "parts": ", ".join(padded)},
            )
        )

    header: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None
    not_json: list[str] = []
    for name in ("header", "payload"):
        data = decoded.get(name)
        if data is None:
            continue
        obj, why = _json_object(data)
        if obj is None:
            not_json.append(f"the {name} {why}")
        elif name == "header":
            header = obj
        else:
            payload = obj
    if not_json:
        findings.append(
            Finding(
                code="token-jwt-not-json",
                severity=Severity.FAIL,
                title="A JWT part does not decode to a JSON object",
                detail=_sentence("; ".join(not_json)) + ". The header and the claims must be JSON objects (RFC 7519 §7.2).",
                fix=("Copy the token again from its source, in one piece.",),
                refs=(REF_JWT,),
                facts=dict(facts),
            )
        )

    if header is not None:
        findings.extend(_header_findings(header, parts[2], facts))
    if header is not None or payload is not None:
        findings.append(_decoded_finding(header or {}, payload or {}, facts))
    if payload is None:
        start = _issued(issued_at)
        if start is not None:
            findings.extend(_from_issued(start, now, lifetime_days, facts, "the generation date you gave"))
        return findings
    findings.extend(_claim_findings(payload, now, issued_at, lifetime_days, facts))
    return findings


def _header_findings(header: Mapping[str, Any], signature: str, facts: Mapping[str, str]) -> list[Finding]:
    findings: list[Finding] = []
    alg = header.get("alg")
    if isinstance(alg, str) and alg.strip().lower() == "none":
        findings.append(
            Finding(
                code="token-jwt-alg-none",
                severity=Severity.FAIL,
                title="Unsigned JWT: alg is 'none'",
                detail=(
                    "The header says the token carries no signature, so anyone could have written it. Servers "
                    "must reject such tokens (RFC 8725 §2.1); a real SCIM or access token is always signed."
                ),
                fix=("Do not use this token. Generate a new one from the product or the IdP.",),
                refs=(REF_JWT_BCP, REF_JWS_ALG),
                facts={**facts, "alg": "none"},
            )
        )
        return findings
    if not isinstance(alg, str) or not alg.strip():
        findings.append(
            Finding(
                code="token-jwt-bad-header",
                severity=Severity.WARN,
                title="The JWT header has no 'alg'",
                detail="Every JWS header must name its signing algorithm (RFC 7515 §4.1.1); servers reject a header without one.",
                refs=(REF_JWS_ALG,),
                facts=dict(facts),
            )
        )
    elif signature == "":
        findings.append(
            Finding(
                code="token-jwt-no-signature",
                severity=Severity.WARN,
                title="The JWT's signature part is empty",
                detail=(
                    f"The header says it is signed with {_claim_text(alg)}, but nothing follows the last dot. "
                    "The token was probably cut off when it was copied, and the server will reject it."
                ),
                fix=("Copy the whole token again.",),
                refs=(REF_JWS,),
                facts=dict(facts),
            )
        )
    return findings


_CLAIM_FACTS = (
    ("iss", "issuer"),
    ("aud", "audience"),
    ("sub", "subject"),
    ("appid", "appid"),
    ("azp", "azp"),
)


def _decoded_finding(header: Mapping[str, Any], payload: Mapping[str, Any], facts: Mapping[str, str]) -> Finding:
    found: dict[str, str] = dict(facts)
    for key in ("alg", "typ", "kid"):
        text = _claim_text(header.get(key))
        if text:
            found[key] = text
    for claim, label in _CLAIM_FACTS:
        text = _claim_text(payload.get(claim))
        if text:
            found[label] = text
    for claim, label in (("iat", "issued_at"), ("nbf", "not_before"), ("exp", "expires_at")):
        moment = _numeric_date(payload.get(claim))
        if moment is not None:
            found[label] = _fmt(moment)
    return Finding(
        code="token-jwt-decoded",
        severity=Severity.INFO,
        title="JWT decoded; signature NOT verified",
        detail=(
            "The header and claims below were read by base64url-decoding the token. The signature was not "
            "checked (no key is available here), so these values show what the token claims, not that it is "
            "genuine. The token itself is not shown, only its fingerprint."
        ),
        refs=(REF_JWT,),
        facts=found,
    )


def _claim_findings(
    payload: Mapping[str, Any],
    now: datetime,
    issued_at: date | datetime | None,
    lifetime_days: int,
    facts: Mapping[str, str],
) -> list[Finding]:
    findings: list[Finding] = []
    moments: dict[str, datetime | None] = {}
    bad: list[str] = []
    for claim in ("exp", "nbf", "iat"):
        if claim not in payload:
            moments[claim] = None
            continue
        moments[claim] = _numeric_date(payload[claim])
        if moments[claim] is None:
            bad.append(claim)
    if bad:
        findings.append(
            Finding(
                code="token-jwt-bad-claim",
                severity=Severity.WARN,
                title=f"Unreadable date claim: {', '.join(bad)}",
                detail=(
                    "Date claims must be NumericDate values, seconds since 1970 (RFC 7519 §2). These are not "
                    "numbers, or are out of range, so they were ignored."
                ),
                refs=(REF_JWT,),
                facts={**facts, "claims": ", ".join(bad)},
            )
        )
    exp, nbf, iat = moments["exp"], moments["nbf"], moments["iat"]
    base = dict(facts)
    if exp is not None and iat is not None and exp > iat:
        lifetime = exp - iat
        base["lifetime"] = _span(lifetime)
        if lifetime < _SHORT_LIVED:
            findings.append(
                Finding(
                    code="token-short-lived",
                    severity=Severity.INFO,
                    title=f"Short-lived token: valid for {_span(lifetime)}",
                    detail=(
                        "Its lifetime (exp - iat) is under a day, which is typical of an OAuth access or ID token "
                        "from a sign-in, not of a SCIM bearer token (180 days). Check that this is the token "
                        "configured for provisioning."
                    ),
                    refs=(REF_JWT,),
                    facts=dict(base),
                )
            )
    if nbf is not None and nbf > now:
        findings.append(
            Finding(
                code="token-not-yet-valid",
                severity=Severity.FAIL,
                title=f"Not valid yet: usable from {_fmt(nbf)}",
                detail=(
                    f"The nbf (not before) claim is {_span(nbf - now)} in the future (RFC 7519 §4.1.5), so servers "
                    "reject it until then. A few minutes usually means clock skew between the issuer and the server."
                ),
                fix=("Check the clocks of the issuing and receiving systems (NTP).", "Or wait until the nbf time."),
                refs=(REF_JWT,),
                facts={**base, "not_before": _fmt(nbf)},
            )
        )
    if iat is not None and iat > now + _CLOCK_SKEW:
        findings.append(
            Finding(
                code="token-issued-in-future",
                severity=Severity.WARN,
                title="Issued in the future",
                detail=(
                    f"The iat (issued at) claim is {_fmt(iat)}, {_span(iat - now)} from now. The issuer's clock "
                    "is probably wrong."
                ),
                refs=(REF_JWT,),
                facts={**base, "issued_at": _fmt(iat)},
            )
        )
    if exp is not None:
        findings.append(_band(exp, now, {**base, "expiry_source": "exp claim"}, "from its exp claim"))
        return findings
    findings.append(
        Finding(
            code="token-no-exp",
            severity=Severity.WARN,
            title="The JWT has no readable exp claim",
            detail=(
                "Nothing in the token says when it expires (RFC 7519 §4.1.4). The server may still enforce "
                "an expiry, such as the 180 days of the product's SCIM tokens."
            ),
            fix=("Track the expiry from the date the token was generated.",),
            refs=(REF_JWT,),
            facts=dict(base),
        )
    )
    start = _issued(issued_at)
    if start is not None:
        findings.extend(_from_issued(start, now, lifetime_days, base, "the generation date you gave"))
    elif iat is not None:
        findings.extend(_from_issued(iat, now, lifetime_days, base, "its iat claim"))
    return findings


# --------------------------------------------------------------------------- the secret guard

_HIDDEN = "[hidden: overlapped the pasted token]"


def _windows(secrets: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for secret in secrets:
        for i in range(len(secret) - _WINDOW + 1):
            out.add(secret[i : i + _WINDOW])
    return out


def _leaks(text: str, windows: set[str]) -> bool:
    if not windows:
        return False
    return any(text[i : i + _WINDOW] in windows for i in range(len(text) - _WINDOW + 1))


def _redact(findings: list[Finding], raw: str) -> list[Finding]:
    """Hide any field that shares a 12-character run with the pasted input.

    The check never copies the token on purpose; this pass guarantees it even
    when a decoded claim or our own wording happens to coincide with it.
    """
    cleaned = _strip_wrapping(raw)
    secrets = {raw, cleaned, "".join(ch for ch in cleaned if not _is_invisible(ch))}
    windows = _windows(s for s in secrets if len(s) >= _WINDOW)
    if not windows:
        return findings

    hidden = "[hidden]" if _leaks(_HIDDEN, windows) else _HIDDEN

    def clean(text: str) -> str:
        return hidden if _leaks(text, windows) else text

    out: list[Finding] = []
    for f in findings:
        out.append(
            replace(
                f,
                title=clean(f.title),
                detail=clean(f.detail),
                fix=tuple(clean(step) for step in f.fix),
                refs=tuple(clean(ref) for ref in f.refs),
                facts={clean(k): clean(v) for k, v in f.facts.items()},
            )
        )
    return out
