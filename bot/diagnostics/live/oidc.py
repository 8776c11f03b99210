"""Read an OpenID Provider's discovery document and JWKS, fetched live (``bot.live.run``).

What is checked, and where the rule comes from:

* the document answers 200 with a JSON object (OpenID Connect Discovery 1.0 §4.2);
* ``issuer`` is identical to the issuer the document was fetched for (Discovery §4.3: the issuer
  used as the prefix of ``/.well-known/openid-configuration`` MUST equal the ``issuer`` value), so a
  trailing slash, a letter's case or another tenant make ID tokens fail validation. Entra's
  multi-tenant documents (``/common``, ``/organizations``) publish the template
  ``https://login.microsoftonline.com/{tenantid}/v2.0``: not an error, but a validator must put the
  token's ``tid`` into it;
* the required metadata are there (Discovery §3) and every endpoint is an absolute https URL;
* ``id_token_signing_alg_values_supported`` includes RS256 (Discovery §3 requires it);
* the JWKS (RFC 7517) answers with at least one signing key; keys have a ``kid`` when there are
  several (RFC 7517 §4.5, clients choose by it), RSA keys have at least 2048 bits (RFC 7518 §3.3),
  and an ``x5c`` certificate (RFC 7517 §4.7) carries the same key and has not expired;
* the server's clock, from its ``Date`` header (RFC 9110 §6.6.1), against ours: validators allow a
  few minutes of skew for ``iat``/``nbf``/``exp``, five at most by common default.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Mapping
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.diagnostics.live.shared import clip, failure_finding, html_page, live_finding, short_url, truncated_finding
from bot.diagnostics.report import Finding, Report, Severity
from bot.live.exchange import Exchange

__all__ = ["read_discovery", "jwks_uri_of", "discovery_url", "SUBJECT"]

SUBJECT = "OpenID Provider (live)"
REQUIRED = ("issuer", "authorization_endpoint", "jwks_uri", "response_types_supported", "subject_types_supported",
            "id_token_signing_alg_values_supported")
SKEW_FAIL = timedelta(minutes=5)
SKEW_WARN = timedelta(seconds=60)
CERT_SOON = timedelta(days=30)
MIN_RSA_BITS = 2048
_ENTRA_TEMPLATE = "{tenantid}"


def discovery_url(issuer: str) -> str:
    """Where the document of ``issuer`` lives: a terminating slash removed, then the well-known path
    appended (Discovery §4.1)."""
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def jwks_uri_of(discovery: Exchange) -> str | None:
    """The document's ``jwks_uri``, when it is a string (what to fetch next)."""
    body = discovery.json() if discovery.answered and discovery.status == 200 else None
    value = body.get("jwks_uri") if isinstance(body, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def read_discovery(issuer: str, discovery: Exchange, jwks: Exchange | None, *, now: datetime,
                   max_bytes: int = 1_000_000) -> Report:
    findings = _read(issuer, discovery, jwks, now, max_bytes)
    problems = sorted((f for f in findings if f.severity in (Severity.WARN, Severity.FAIL)), key=lambda f: -f.severity.rank)
    rest = [f for f in findings if f.severity not in (Severity.WARN, Severity.FAIL)]
    if not problems and discovery.answered and discovery.status == 200:
        rest.insert(0, live_finding("live-oidc-ok", {"issuer": clip(issuer, 200)},
                                    values={"issuer_shown": clip(issuer, 100)}, severity=Severity.OK))
    return Report(subject=SUBJECT, findings=tuple(problems + rest), inputs=("oidc_issuer",))


def _read(issuer: str, discovery: Exchange, jwks: Exchange | None, now: datetime, max_bytes: int) -> list[Finding]:
    if not discovery.answered:
        return [failure_finding(discovery, "the discovery document")]
    findings: list[Finding] = []
    request = f"GET {short_url(discovery.final_url or discovery.url)}"
    if discovery.truncated:
        findings.append(truncated_finding(discovery, "the discovery document", max_bytes))
    if discovery.redirects:
        findings.append(live_finding("live-oidc-redirected", {"request": f"GET {short_url(discovery.url)}",
                                                              "served_from": short_url(discovery.final_url)},
                                     values={"redirects": str(len(discovery.redirects))}))
    body = discovery.json()
    if discovery.status != 200 or not isinstance(body, dict):
        findings.append(_no_document(issuer, request, discovery, body))
        return findings
    findings += _clock(discovery, now)
    findings += _issuer(issuer, body)
    findings += _metadata(body)
    findings.append(_summary(body))
    if isinstance(body.get("jwks_uri"), str):
        findings += _keys(body, jwks, now, max_bytes)
    return findings


def _no_document(issuer: str, request: str, discovery: Exchange, body: Any) -> Finding:
    facts = {"request": request, "status": str(discovery.status), "content_type": discovery.header("content-type")
             or "(none)"}
    page = html_page(discovery)
    if page is not None and page.title:
        facts["page_title"] = page.title
    if discovery.status != 200:
        return live_finding("live-oidc-discovery-status", facts, values={"url": short_url(discovery.url)})
    return live_finding("live-oidc-discovery-not-json", facts,
                        values={"if_html": "yes"} if page is not None else {"if_other": "yes"})


# ---------------------------------------------------------------------- issuer


def _issuer(expected: str, body: Mapping[str, Any]) -> list[Finding]:
    published = body.get("issuer")
    if not isinstance(published, str) or published == expected:
        return []  # a missing issuer is reported with the other missing fields
    facts = {"expected": clip(expected, 200), "published": clip(published, 200)}
    if _ENTRA_TEMPLATE in published:
        return [live_finding("live-oidc-issuer-template", facts)]
    if published.rstrip("/") == expected.rstrip("/"):
        difference = "a trailing slash"
    elif published.lower() == expected.lower():
        difference = "letter case"
    elif urlsplit(published).hostname != urlsplit(expected).hostname:
        difference = "the host"
    else:
        difference = "the path (another tenant, realm or authorization server)"
    facts["difference"] = difference
    return [live_finding("live-oidc-issuer-mismatch", facts, values={"expected_shown": clip(expected, 80)})]


# ---------------------------------------------------------------------- metadata


def _metadata(body: Mapping[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    missing = [name for name in REQUIRED if not body.get(name)]
    grants = body.get("response_types_supported")
    implicit_only = isinstance(grants, list) and grants and all("code" not in str(g).split() for g in grants)
    if not body.get("token_endpoint") and not implicit_only:
        missing.append("token_endpoint")
    if missing:
        findings.append(live_finding("live-oidc-missing-fields", {"missing": ", ".join(missing)}))
    insecure = {name: value for name, value in body.items()
                if (name.endswith("_endpoint") or name == "jwks_uri") and isinstance(value, str)
                and urlsplit(value).scheme != "https"}
    if insecure:
        findings.append(live_finding("live-oidc-endpoint-not-https",
                                     {name: clip(value, 160) for name, value in sorted(insecure.items())},
                                     values={"names": ", ".join(sorted(insecure))}))
    algs = body.get("id_token_signing_alg_values_supported")
    if isinstance(algs, list) and algs and "RS256" not in algs:
        findings.append(live_finding("live-oidc-no-rs256", {"algorithms": ", ".join(str(a) for a in algs[:10])}))
    return findings


def _summary(body: Mapping[str, Any]) -> Finding:
    facts = {name: clip(str(body[name]), 200) for name in ("issuer", "authorization_endpoint", "token_endpoint",
                                                            "userinfo_endpoint", "end_session_endpoint", "jwks_uri")
             if isinstance(body.get(name), str)}
    algs = body.get("id_token_signing_alg_values_supported")
    if isinstance(algs, list):
        facts["id_token_algorithms"] = ", ".join(str(a) for a in algs[:10])
    return live_finding("live-oidc-discovery", facts)


# ---------------------------------------------------------------------- the clock


def _clock(discovery: Exchange, now: datetime) -> list[Finding]:
    """The server's Date against our clock when the answer arrived (Date has one-second resolution)."""
    stamp = discovery.header("date")
    arrived = discovery.received_at or now
    try:
        server = parsedate_to_datetime(stamp) if stamp else None
    except (TypeError, ValueError):
        server = None
    if server is None:
        return []
    if server.tzinfo is None:
        server = server.replace(tzinfo=timezone.utc)
    skew = server - arrived.replace(microsecond=0)
    facts = {"server_date": clip(stamp, 60), "our_clock": arrived.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
             "skew_seconds": str(int(skew.total_seconds()))}
    size = abs(skew)
    if size <= SKEW_WARN:
        return []
    span = {"ahead": _span(size)} if skew > timedelta(0) else {"behind": _span(size)}
    return [live_finding("live-oidc-clock-skew" if size > SKEW_FAIL else "live-oidc-clock-drift", facts, values=span)]


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds >= 2 * 86400:
        return f"{seconds // 86400:,} days"
    if seconds >= 7200:
        return f"{seconds // 3600} hours"
    if seconds >= 120:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"


# ---------------------------------------------------------------------- the keys


def _keys(body: Mapping[str, Any], jwks: Exchange | None, now: datetime, max_bytes: int) -> list[Finding]:
    if jwks is None:
        return []
    if not jwks.answered:
        return [failure_finding(jwks, "the signing keys (JWKS)")]
    request = f"GET {short_url(jwks.final_url or jwks.url)}"
    findings: list[Finding] = [truncated_finding(jwks, "the JWKS", max_bytes)] if jwks.truncated else []
    document = jwks.json()
    keys = document.get("keys") if isinstance(document, dict) else None
    if jwks.status != 200 or not isinstance(keys, list):
        findings.append(live_finding("live-oidc-jwks-unusable", {"request": request, "status": str(jwks.status)},
                                     values={"if_status": "yes"} if jwks.status != 200 else {"if_no_keys": "yes"}))
        return findings
    read = [_read_key(key, now) for key in keys if isinstance(key, dict)]
    signing = [k for k in read if k.signing]
    if not signing:
        findings.append(live_finding("live-oidc-jwks-no-signing-key", {"request": request, "keys": str(len(keys))}))
    kids = [k.kid for k in signing]
    if len(signing) > 1 and any(not kid for kid in kids):
        findings.append(live_finding("live-oidc-key-no-kid", {"keys": str(len(signing))}))
    duplicates = sorted({kid for kid in kids if kid and kids.count(kid) > 1})
    if duplicates:
        findings.append(live_finding("live-oidc-key-duplicate-kid", {"kids": ", ".join(duplicates)},
                                     values={"kid": duplicates[0]}))
    for key in read:
        findings += key.findings
    findings.append(live_finding("live-oidc-keys", {f"kid {k.kid or '(none)'}": k.describe() for k in read[:20]},
                                 values={"count": str(len(signing))}))
    return findings


class _Key:
    def __init__(self, kid: str, kty: str, alg: str, use: str) -> None:
        self.kid, self.kty, self.alg, self.use = kid, kty, alg, use
        self.bits = 0
        self.unreadable = False
        self.cert_until: datetime | None = None
        self.findings: list[Finding] = []

    @property
    def signing(self) -> bool:
        return self.use in ("", "sig") and self.kty in ("RSA", "EC", "OKP") and not self.unreadable

    def describe(self) -> str:
        parts = [self.kty or "?"]
        if self.bits:
            parts.append(f"{self.bits} bits")
        if self.alg:
            parts.append(self.alg)
        if self.use:
            parts.append(f"use {self.use}")
        if self.cert_until:
            parts.append(f"certificate until {self.cert_until:%Y-%m-%d}")
        return ", ".join(parts)


def _read_key(key: Mapping[str, Any], now: datetime) -> _Key:
    read = _Key(*(str(key.get(name) or "") for name in ("kid", "kty", "alg", "use")))
    label = read.kid or "(no kid)"
    public = None
    if read.kty == "RSA":
        n, e = _b64url_int(key.get("n")), _b64url_int(key.get("e"))
        if n is None or e is None:
            read.unreadable = True
            read.findings.append(live_finding("live-oidc-key-unreadable", {"kid": label}, values={"if_rsa": "yes"}))
            return read
        read.bits = n.bit_length()
        public = (n, e)
        if read.bits < MIN_RSA_BITS:
            read.findings.append(live_finding("live-oidc-key-weak", {"kid": label, "bits": str(read.bits)}))
    chain = key.get("x5c")
    if isinstance(chain, list) and chain and isinstance(chain[0], str):
        read.findings += _certificate(read, label, chain[0], public, now)
    return read


def _certificate(read: _Key, label: str, encoded: str, public: tuple[int, int] | None, now: datetime) -> list[Finding]:
    try:
        cert = x509.load_der_x509_certificate(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError):
        return [live_finding("live-oidc-key-unreadable", {"kid": label}, values={"if_x5c": "yes"})]
    until = cert.not_valid_after_utc
    read.cert_until = until
    facts = {"kid": label, "certificate_expires": until.strftime("%Y-%m-%d %H:%M UTC"),
             "subject": clip(cert.subject.rfc4514_string(), 120)}
    found: list[Finding] = []
    if until <= now:
        found.append(live_finding("live-oidc-key-cert-expired", facts, values={"day": f"{until:%Y-%m-%d}"}))
    elif until - now < CERT_SOON:
        found.append(live_finding("live-oidc-key-cert-expiring", facts, values={"day": f"{until:%Y-%m-%d}"}))
    key = cert.public_key()
    if public is not None and isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()
        if (numbers.n, numbers.e) != public:
            found.append(live_finding("live-oidc-key-cert-mismatch", facts))
    return found


def _b64url_int(value: Any) -> int | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None
    return int.from_bytes(raw, "big") if raw else None
