"""What every part of the SAML Response check shares: the SAML names, the references, where the SP
side is configured at each IdP, the size limits, and how a value from the XML is shown in a finding.

Each part emits its findings as a code and facts, ``check_finding("saml-...", facts, values=...)``, at the
place it decides on them; their titles, details, fix steps and references are the entries' in
bot/knowledge/data/checks.toml. A fact with no value says nothing, so facts go through :func:`present`.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from typing import Any

from bot.diagnostics.text import clip as _clip
from bot.diagnostics.text import is_invisible

NS_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
NS_ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion"
NS_DSIG = "http://www.w3.org/2000/09/xmldsig#"
P = "{" + NS_PROTOCOL + "}"
A = "{" + NS_ASSERTION + "}"
DS = "{" + NS_DSIG + "}"

STATUS_PREFIX = "urn:oasis:names:tc:SAML:2.0:status:"
SUCCESS = STATUS_PREFIX + "Success"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"

REF_CORE = "https://docs.oasis-open.org/security/saml/v2.0/saml-core-2.0-os.pdf"
REF_PROFILES = "https://docs.oasis-open.org/security/saml/v2.0/saml-profiles-2.0-os.pdf"
REF_BINDINGS = "https://docs.oasis-open.org/security/saml/v2.0/saml-bindings-2.0-os.pdf"
REF_ENTRA_SAML = "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/add-application-portal-setup-sso"
REF_ENTRA_CLAIMS = "https://learn.microsoft.com/en-us/entra/identity-platform/saml-claims-customization"
REF_OKTA_SAML = "https://help.okta.com/en-us/content/topics/apps/apps_app_integration_wizard_saml.htm"

MAX_TEXT = 2_000_000  # characters of input looked at
MAX_XML = 1_000_000  # characters of XML parsed (after base64 / inflate)
_FACT = 200

# Where the SP side of SAML is configured at each IdP.
WHERE_BASIC = (
    "Entra admin center → Entra ID → Enterprise apps → <app> → Single sign-on → Basic SAML Configuration "
    "(Identifier (Entity ID) and Reply URL (Assertion Consumer Service URL)).",
    "Okta Admin Console → Applications → Applications → <app> → General → SAML Settings → Edit "
    "(Single sign-on URL and Audience URI (SP Entity ID)).",
)
WHERE_CLAIMS = (
    "Entra admin center → Entra ID → Enterprise apps → <app> → Single sign-on → Attributes & Claims.",
    "Okta Admin Console → Applications → Applications → <app> → General → SAML Settings → Edit → "
    "Attribute Statements.",
)
WHERE_NAMEID = (
    "Entra admin center → Entra ID → Enterprise apps → <app> → Single sign-on → Attributes & Claims → "
    "Unique User Identifier (Name ID).",
    "Okta Admin Console → Applications → Applications → <app> → General → SAML Settings → Edit → "
    "Name ID format and Application username.",
)
WHERE_SIGNING = (
    "Entra admin center → Entra ID → Enterprise apps → <app> → Single sign-on → SAML Certificates → "
    "Signing Option (sign the response, the assertion, or both).",
    "Okta Admin Console → Applications → Applications → <app> → General → SAML Settings → Edit → "
    "Show Advanced Settings → Response and Assertion Signature.",
)
WHERE_LOGS = (
    "Entra admin center → Entra ID → Monitoring & health → Sign-in logs → the failed sign-in.",
    "Okta Admin Console → Reports → System Log (search for the user or the app).",
)

# A form field name before a value ("SAMLResponse=", URL-encoded or not).
FIELD_PREFIX_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,40}(?:=|%3[Dd])")
# Any document type declaration: how XXE and "billion laughs" payloads get in, so it is never parsed.
DTD_RE = re.compile(r"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)


def present(facts: dict[str, str]) -> dict[str, str]:
    """The facts that have a value: an empty one says nothing to the reader."""
    return {k: v for k, v in facts.items() if v}


def _blanked(ch: str) -> str:
    """A space for characters a finding should not carry: invisible ones and lone surrogates."""
    return " " if is_invisible(ch) or unicodedata.category(ch) == "Cs" else ch


def clip(text: str | None, limit: int = _FACT) -> str:
    """One line, no control or invisible characters, at most ``limit`` characters."""
    return _clip(text, limit, show=_blanked, one_line=True)


def short(uri: str) -> str:
    """The last part of a URN or URI: ``...:status:Responder`` -> ``Responder``."""
    uri = uri.strip()
    for sep in (":", "/", "#"):
        if sep in uri:
            uri = uri.rsplit(sep, 1)[-1] or uri
    return uri


def local_name(tag: Any) -> str:
    """An element's name without its namespace (``?`` for comments and processing instructions)."""
    if not isinstance(tag, str):
        return "?"
    return tag.rsplit("}", 1)[-1]


def text_of(element: ET.Element | None) -> str:
    """All the text inside ``element``, white space collapsed ("" for no element)."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
