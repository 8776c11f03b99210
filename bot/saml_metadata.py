"""Read SAML 2.0 metadata (an IdP's or an SP's) into plain values, behind the one XML guard.

Used by ``bot.credentials`` (the expiry of a tracked SAML certificate) and by the metadata check
(``bot.diagnostics.live.saml``). What is read (SAML 2.0 Metadata, OASIS saml-metadata-2.0-os):

* ``EntityDescriptor`` elements, alone or inside ``EntitiesDescriptor``, with ``entityID``,
  ``validUntil`` and ``cacheDuration`` (§2.3.1, §2.3.2; also on the enclosing ``EntitiesDescriptor``);
* in each role (``IDPSSODescriptor``, ``SPSSODescriptor`` ...): ``SingleSignOnService`` and
  ``SingleLogoutService`` endpoints with their binding and location (§2.4.3, §2.2.2), and the
  ``KeyDescriptor`` certificates whose ``use`` is ``signing`` or absent (§2.4.1.1: no ``use`` means
  both signing and encryption).

A certificate is read whether its ``X509Certificate`` holds DER in base64 (the normal case) or, as
some Shibboleth and ruby-saml metadata do, a whole PEM block encoded in base64 once more.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timezone

from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning

from bot.safe_xml import parse_untrusted

__all__ = ["Metadata", "Entity", "Endpoint", "Certificate", "read_metadata", "parse_xml_time", "MD_NS", "DS_NS",
           "MetadataError", "NOT_X509", "read_certificate"]

MD_NS = "urn:oasis:names:tc:SAML:2.0:metadata"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
_BINDINGS = "urn:oasis:names:tc:SAML:2.0:bindings:"
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.DOTALL)


#: ``Certificate.error`` when the value decodes but is not a certificate (the other errors: empty, not base64).
NOT_X509 = "the value is not an X.509 certificate"


class MetadataError(ValueError):
    """Well-formed XML that is not SAML metadata (the message says what the root is instead)."""


@dataclass(frozen=True)
class Endpoint:
    service: str  # "SingleSignOnService" or "SingleLogoutService"
    binding: str  # the full binding URI
    location: str

    @property
    def binding_name(self) -> str:
        """``HTTP-Redirect`` for ``urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect``."""
        return self.binding[len(_BINDINGS):] if self.binding.startswith(_BINDINGS) else self.binding


@dataclass(frozen=True)
class Certificate:
    """One signing certificate. ``error`` is set (and the dates are None) when it cannot be read.

    ``fingerprint`` is the first 8 hex digits of the SHA-256 of the DER, as the credential tracker
    keeps it; ``sha1`` is the thumbprint Entra and AD FS show; ``double_encoded`` marks a base64 PEM."""

    role: str
    not_before: datetime | None = None
    not_after: datetime | None = None
    subject: str = ""
    fingerprint: str = ""
    sha256: str = ""
    sha1: str = ""
    double_encoded: bool = False
    error: str = ""


@dataclass(frozen=True)
class Entity:
    entity_id: str
    roles: tuple[str, ...]  # local names: "IDPSSODescriptor", "SPSSODescriptor", ...
    valid_until: datetime | None = None
    cache_duration: str = ""
    sso: tuple[Endpoint, ...] = ()
    slo: tuple[Endpoint, ...] = ()
    certificates: tuple[Certificate, ...] = ()

    @property
    def is_idp(self) -> bool:
        return "IDPSSODescriptor" in self.roles


@dataclass(frozen=True)
class Metadata:
    entities: tuple[Entity, ...]
    valid_until: datetime | None = None  # of an enclosing EntitiesDescriptor
    cache_duration: str = ""
    root: str = "EntityDescriptor"
    unreadable_times: tuple[str, ...] = field(default=())


def parse_xml_time(value: str) -> datetime | None:
    """An xs:dateTime as metadata uses it (``2027-01-01T00:00:00Z``; offsets and fractions allowed)."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def read_metadata(text: str) -> Metadata:
    """``text`` read as metadata. Raises ``bot.safe_xml.XMLRefused`` (a DTD), ``ET.ParseError``
    (not XML) or :class:`MetadataError` (XML, but not metadata)."""
    root = parse_untrusted(text)
    name = _local(root.tag)
    unreadable: list[str] = []
    if root.tag == f"{{{MD_NS}}}EntityDescriptor":
        return Metadata((_entity(root, unreadable),), root=name, unreadable_times=tuple(unreadable))
    if root.tag == f"{{{MD_NS}}}EntitiesDescriptor":
        entities = tuple(_entity(e, unreadable) for e in root.iter(f"{{{MD_NS}}}EntityDescriptor"))
        return Metadata(entities, _time(root, unreadable), root.get("cacheDuration", ""), name, tuple(unreadable))
    raise MetadataError(f"the document is a {name[:60]}, not an EntityDescriptor or EntitiesDescriptor")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _time(element: ET.Element, unreadable: list[str]) -> datetime | None:
    value = element.get("validUntil")
    if not value:
        return None
    moment = parse_xml_time(value)
    if moment is None:
        unreadable.append(value[:40])
    return moment


def _entity(element: ET.Element, unreadable: list[str]) -> Entity:
    roles, sso, slo, certs = [], [], [], []
    for role in element:
        if not role.tag.startswith(f"{{{MD_NS}}}") or not role.tag.endswith("Descriptor"):
            continue
        role_name = _local(role.tag)
        roles.append(role_name)
        for service, into in (("SingleSignOnService", sso), ("SingleLogoutService", slo)):
            for endpoint in role.findall(f"{{{MD_NS}}}{service}"):
                into.append(Endpoint(service, endpoint.get("Binding", ""), endpoint.get("Location", "")))
        for key in role.findall(f"{{{MD_NS}}}KeyDescriptor"):
            if key.get("use", "signing") != "signing":
                continue
            for cert in key.iter(f"{{{DS_NS}}}X509Certificate"):
                certs.append(read_certificate(cert.text or "", role_name))
    return Entity(element.get("entityID", ""), tuple(roles), _time(element, unreadable),
                  element.get("cacheDuration", ""), tuple(sso), tuple(slo), tuple(certs))


def read_certificate(encoded: str, role: str = "") -> Certificate:
    """A base64 X509Certificate value (DER, or a PEM block in base64) as a :class:`Certificate`."""
    cleaned = "".join(encoded.split())
    if not cleaned:
        return Certificate(role, error="the X509Certificate element is empty")
    try:
        der = base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        return Certificate(role, error="the certificate is not valid base64")
    double = False
    pem = _PEM.search(der)
    if pem is not None:
        try:
            der, double = base64.b64decode(b"".join(pem.group(1).split()), validate=True), True
        except (binascii.Error, ValueError):
            return Certificate(role, error="the embedded PEM block is not valid base64")
    try:
        with warnings.catch_warnings():  # a serial number of 0 (SimpleSAMLphp's samples) is not the admin's problem
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return Certificate(role, double_encoded=double, error=NOT_X509)
    digest = hashlib.sha256(der).hexdigest()
    return Certificate(role, cert.not_valid_before_utc, cert.not_valid_after_utc, cert.subject.rfc4514_string(),
                       digest[:8], digest, hashlib.sha1(der).hexdigest(), double)
