"""Work out when a tracked credential expires, and a fingerprint for it, without keeping it.

Four ways in, matching the issue:

* a pasted token: a JWT's ``exp`` claim, read by :func:`bot.diagnostics.token.check_token`
  (the same decoding the diagnosis uses); an opaque token needs a date as well;
* a generation date plus the kind's lifetime (SCIM access tokens live 180 days);
* a PEM certificate's ``notAfter``, or SAML metadata XML: the earliest of its signing
  certificates' ``notAfter`` and the metadata's own ``validUntil``;
* a typed expiry date.

The secret is read, measured and dropped: the result holds dates, a source name and a
fingerprint (the first 8 hex digits of a SHA-256) only. Errors never quote the input.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from bot.clock import aware
from bot.diagnostics.text import as_text
from bot.diagnostics.token import check_token, fingerprint
from bot.redaction import looks_secret
from bot.safe_xml import XMLRefused
from bot.saml_metadata import NOT_X509, MetadataError, read_metadata

__all__ = [
    "Kind", "Idp", "Expiry", "CredentialInputError", "LIFETIME_DAYS", "KIND_LABELS", "IDP_LABELS",
    "expiry_from_input", "expiry_from_token", "expiry_from_issued", "expiry_from_date", "expiry_from_certificate",
    "looks_like_certificate", "clean_label", "clean_environment", "MAX_LABEL",
]

MAX_LABEL = 80


class Kind(StrEnum):
    SCIM_TOKEN = "scim-token"
    CLIENT_SECRET = "client-secret"
    SAML_CERT = "saml-cert"


class Idp(StrEnum):
    ENTRA = "entra"
    OKTA = "okta"
    OTHER = "other"


# Default lifetimes for "generated on" + lifetime. SCIM tokens: 180 days (the platform's rule).
# Entra proposes 180 days for a new client secret and issues SAML signing certificates for 3 years.
LIFETIME_DAYS = {Kind.SCIM_TOKEN: 180, Kind.CLIENT_SECRET: 180, Kind.SAML_CERT: 3 * 365}
KIND_LABELS = {Kind.SCIM_TOKEN: "SCIM access token", Kind.CLIENT_SECRET: "OIDC client secret",
               Kind.SAML_CERT: "SAML signing certificate"}
IDP_LABELS = {Idp.ENTRA: "Microsoft Entra ID", Idp.OKTA: "Okta", Idp.OTHER: "other IdP"}


class CredentialInputError(ValueError):
    """What was given cannot be tracked. ``field`` names the input to fix ('secret', 'issued',
    'expires', 'label', 'environment'); the message never repeats the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Expiry:
    expires_at: datetime
    source: str  # 'jwt', 'issued', 'certificate', 'metadata', 'typed'
    fingerprint: str = ""  # 8 hex digits, '' when only dates were given
    note: str = ""  # e.g. 'earliest of 2 signing certificates'


def _utc_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def expiry_from_issued(issued: date | datetime, kind: Kind | str, lifetime_days: int | None = None) -> datetime:
    """The generation date plus the kind's lifetime (a date means 00:00 UTC that day)."""
    start = aware(issued) if isinstance(issued, datetime) else _utc_midnight(issued)
    days = lifetime_days if lifetime_days is not None else LIFETIME_DAYS[Kind(kind)]
    if not 0 < days <= 36500:
        raise CredentialInputError("issued", "The lifetime must be between 1 and 36500 days.")
    return start + timedelta(days=days)


def expiry_from_date(value: date | datetime) -> datetime:
    """A typed expiry: a date means 00:00 UTC that day, the earliest reading of it."""
    return aware(value) if isinstance(value, datetime) else _utc_midnight(value)


def expiry_from_token(token: str, *, now: datetime) -> Expiry | None:
    """A JWT's expiry from its ``exp`` claim; None for an opaque token (or a JWT without ``exp``)."""
    report = check_token(token, now=now)
    for finding in report.findings:
        facts = finding.facts
        if facts.get("expiry_source") == "exp claim" and "expires_at" in facts:
            moment = datetime.strptime(facts["expires_at"], "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=timezone.utc)
            return Expiry(moment, "jwt", fingerprint(token))
    return None


# --------------------------------------------------------------------------- certificates

_PEM_RE = re.compile(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.DOTALL)
_PRIVATE_RE = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")


def looks_like_certificate(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith("-----BEGIN") or stripped.startswith("<")


def _not_after(der: bytes) -> datetime:
    from cryptography import x509  # a pure-Python wrapper over a parser: no Slack, no SQL

    cert = x509.load_der_x509_certificate(der)
    return cert.not_valid_after_utc


def _der_fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()[:8]


def expiry_from_certificate(text: str | bytes) -> Expiry:
    """The expiry of a PEM certificate (or several: the earliest) or of SAML metadata XML.

    A PEM holding a private key is refused (and not kept). Raises CredentialInputError.
    """
    text = as_text(text)  # bytes: UTF-8, or UTF-16 when a byte-order mark or the zero bytes say so
    if _PRIVATE_RE.search(text):
        raise CredentialInputError("secret", "That holds a private key. Never paste one: give only the certificate "
                                             "(-----BEGIN CERTIFICATE-----) or the metadata XML.")
    stripped = text.strip()
    if stripped.startswith("<"):
        return _from_metadata(stripped)
    blocks = _PEM_RE.findall(text)
    if not blocks:
        raise CredentialInputError("secret", "No certificate found: expected -----BEGIN CERTIFICATE----- … "
                                             "-----END CERTIFICATE----- or SAML metadata XML.")
    found: list[tuple[datetime, bytes]] = []
    for body in blocks:
        der = _b64(body)
        if der is None:
            raise CredentialInputError("secret", "The certificate is damaged (its base64 does not decode). "
                                                 "Copy it again in one piece.")
        found.append((_safe_not_after(der), der))
    moment, der = min(found, key=lambda item: item[0])
    note = f"earliest of {len(found)} certificates" if len(found) > 1 else ""
    return Expiry(moment, "certificate", _der_fingerprint(der), note)


def _b64(body: str) -> bytes | None:
    cleaned = "".join(body.split())
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        return None


def _safe_not_after(der: bytes) -> datetime:
    try:
        return _not_after(der)
    except Exception:
        raise CredentialInputError("secret", "That is not a readable X.509 certificate.") from None


def _from_metadata(xml_text: str) -> Expiry:
    try:
        metadata = read_metadata(xml_text)  # behind the one XML guard: a DTD anywhere is refused, nothing expanded
    except XMLRefused as refused:
        raise CredentialInputError("secret", str(refused)) from None
    except ET.ParseError:
        raise CredentialInputError("secret", "That is not well-formed XML. Paste the whole metadata document, "
                                             "or just its signing certificate in PEM form.") from None
    except MetadataError:
        raise CredentialInputError("secret", "No signing certificate or validUntil found in that metadata.") from None
    candidates: list[tuple[datetime, str, str]] = []  # (moment, source, fingerprint)
    for moment in [metadata.valid_until, *(entity.valid_until for entity in metadata.entities)]:
        if moment is not None:
            candidates.append((moment, "metadata", ""))
    certs: list[tuple[datetime, str]] = []
    for entity in metadata.entities:
        for cert in entity.certificates:
            if cert.not_after is not None:
                certs.append((cert.not_after, cert.fingerprint))
            elif cert.error == NOT_X509:
                raise CredentialInputError("secret", "That is not a readable X.509 certificate.")
    candidates += [(moment, "certificate", fp) for moment, fp in certs]
    if not candidates:
        raise CredentialInputError("secret", "No signing certificate or validUntil found in that metadata.")
    moment, source, fp = min(candidates, key=lambda item: item[0])
    if not fp and certs:
        fp = min(certs)[1]
    parts = []
    if len(certs) > 1:
        parts.append(f"{len(certs)} signing certificates")
    if any(c[1] == "metadata" for c in candidates):
        parts.append("metadata validUntil")
    note = ("earliest of " + " and ".join(parts)) if parts else ""
    return Expiry(moment, "metadata", fp, note)


# --------------------------------------------------------------------------- one entry point


def expiry_from_input(
    *,
    kind: Kind | str,
    now: datetime,
    secret: str | None = None,
    issued: date | datetime | None = None,
    expires: date | datetime | None = None,
    lifetime_days: int | None = None,
) -> Expiry:
    """Decide the expiry from whatever was given, with the same rules for Slack and the CLI.

    * ``secret`` alone: a certificate or metadata (their dates), or a JWT (its ``exp``);
    * ``secret`` plus ``issued`` or ``expires``: an opaque token with its date (the
      fingerprint comes from the token);
    * ``issued`` alone: the generation date plus the kind's lifetime;
    * ``expires`` alone: that date.

    Giving both dates, or nothing at all, is an error. Raises CredentialInputError.
    """
    kind = Kind(kind)
    secret = (secret or "").strip() or None
    if issued is not None and expires is not None:
        raise CredentialInputError("expires", "Give either the generation date or the expiry date, not both.")
    if issued is not None:
        start = issued if isinstance(issued, date) and not isinstance(issued, datetime) else None
        if start is not None and start > aware(now).date() + timedelta(days=1):
            raise CredentialInputError("issued", "The generation date is in the future.")
    if secret is not None and looks_like_certificate(secret):
        if issued is not None or expires is not None:
            raise CredentialInputError("secret", "A certificate carries its own dates: leave the date fields empty.")
        return expiry_from_certificate(secret)
    if secret is not None:
        if kind is Kind.SAML_CERT:
            raise CredentialInputError("secret", "For a SAML signing certificate paste the PEM certificate or the "
                                                 "metadata XML, or give a date.")
        fp = fingerprint(secret)
        if expires is not None:
            return Expiry(expiry_from_date(expires), "typed", fp)
        if issued is not None:
            return Expiry(expiry_from_issued(issued, kind, lifetime_days), "issued", fp)
        from_jwt = expiry_from_token(secret, now=now)
        if from_jwt is not None:
            return from_jwt
        raise CredentialInputError("secret", "This token does not say when it expires (it is not a JWT with an exp "
                                             "claim). Also give the date it was generated or its expiry date.")
    if expires is not None:
        return Expiry(expiry_from_date(expires), "typed")
    if issued is not None:
        return Expiry(expiry_from_issued(issued, kind, lifetime_days), "issued")
    raise CredentialInputError("secret", "Paste the token or certificate, or give the generation date or the "
                                         "expiry date.")


def clean_label(label: str) -> str:
    """A label as stored: trimmed, single-spaced, at most 80 characters. A label that looks like
    a pasted secret is refused, so nobody puts a token where it would be shown to everyone."""
    text = " ".join((label or "").split())
    if not text:
        raise CredentialInputError("label", "Give the credential a label, e.g. 'prod Entra SCIM'.")
    if len(text) > MAX_LABEL:
        raise CredentialInputError("label", f"Keep the label to {MAX_LABEL} characters.")
    if looks_secret(text):
        raise CredentialInputError("label", "That label looks like a token or key. Use a short name; paste the "
                                            "secret only in the secret field.")
    return text


def clean_environment(environment: str) -> str:
    """An environment or tenant name as stored: single-spaced, at most 80 characters, and never a
    secret (it is shown in every reminder, like the label)."""
    text = " ".join((environment or "").split())
    if looks_secret(text):  # the whole of it: cut first, a secret could lose the context that marks it
        raise CredentialInputError("environment", "That environment looks like a token or key. Give a name such "
                                                  "as 'prod' or the tenant's domain.")
    if len(text) > MAX_LABEL:
        raise CredentialInputError("environment", f"Keep the environment to {MAX_LABEL} characters.")
    return text
