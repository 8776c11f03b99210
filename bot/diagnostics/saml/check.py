"""Read a SAML 2.0 Response the way a service provider would, and say what it would refuse.

An admin usually gets the Response from a browser trace: the ``SAMLResponse``
field of the form the IdP posts to the SP's Assertion Consumer Service (base64,
often URL-encoded and wrapped over lines; SAML Bindings §3.5.4), or the decoded
XML from a SAML tracer. :func:`find_saml_responses` finds either in free text;
:func:`check_saml_response` decodes and parses one and checks, against SAML 2.0
Core and the Web Browser SSO profile:

* the top-level ``<samlp:Status>`` (Core §3.2.2.1-§3.2.2.3): anything but
  ``Success`` is the IdP refusing, with a second-level code and a message;
* the ``Destination`` of the Response (Core §3.2.2; Bindings §3.5.5.2 requires
  it on a signed POST) and its ``Issuer`` against the assertion's (Core §2.3.3);
* how many assertions there are and where (Profiles §4.1.4.2 expects one;
  extra or nested ones, duplicate IDs and signatures that reference another
  element are the signs of XML signature wrapping; Core §5.4.2 has a signature
  reference the ID of the element that carries it);
* whether the Response or the assertion carries a ``<ds:Signature>`` (Core §5).
  The signature is *not* verified here: there is no IdP certificate to verify
  it with;
* ``<saml:Conditions>`` (Core §2.5.1): ``NotBefore``/``NotOnOrAfter`` against
  ``now`` (Core §2.5.1.2), and the ``<AudienceRestriction>`` (Core §2.5.1.4);
* the bearer ``<SubjectConfirmationData>`` (Core §2.4.1.2; Profiles §4.1.4.2):
  ``Recipient``, ``NotOnOrAfter`` and ``InResponseTo``;
* the ``<NameID>`` and its format (Core §2.2.3, §8.3), and the attributes
  (Core §2.7.3) an SP needs to create users just in time: given name, surname
  and email (the vendor guide, section 1.11).

The XML is parsed behind the one guard for outside XML (``bot.safe_xml``,
defusedxml): a document type declaration anywhere is refused before anything
in it is expanded or fetched, since a DTD is how XXE and "billion laughs"
payloads get in, and no IdP sends one. The value may come in either binding
(the POST binding's base64, the redirect binding's deflated and URL-encoded
query parameter), with the XML in UTF-8 or UTF-16. Findings never repeat a signature value, a
digest or a certificate; the NameID and attribute *names* may appear, attribute
values do not. Pure functions: no network; the clock only when ``now`` is
omitted. Never raises.

The parts live beside this module: find and b64 (finding and decoding a pasted
Response), decode (one value to XML), parsing (safe parsing), then one module per family of
findings, run in this order, which is the order of the findings: status, addressing (the
Destination), structure, signatures, and, when there is a readable assertion,
addressing again (the issuers), conditions, subject with nameid, and
attributes; all_clear goes first when nothing is wrong. reading holds what they
share about the Response; shared and times the rest.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding, Report
from bot.diagnostics.saml.addressing import check_destination, check_issuers
from bot.diagnostics.saml.all_clear import add_all_clear
from bot.diagnostics.saml.attributes import check_attributes
from bot.diagnostics.saml.conditions import check_conditions
from bot.diagnostics.saml.decode import decode
from bot.diagnostics.saml.find import find_saml_responses
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import (MAX_TEXT, NS_ASSERTION, NS_DSIG, NS_PROTOCOL, REF_BINDINGS,  # noqa: F401
                                         REF_CORE, REF_ENTRA_CLAIMS, REF_ENTRA_SAML, REF_OKTA_SAML, REF_PROFILES)
from bot.diagnostics.saml.signatures import check_signatures
from bot.diagnostics.saml.status import check_status
from bot.diagnostics.saml.structure import check_structure
from bot.diagnostics.saml.subject import check_subject
from bot.diagnostics.saml.times import aware
from bot.diagnostics.saml.parsing import not_a_response, parse
from bot.diagnostics.text import as_text

__all__ = ["check_saml_response", "find_saml_responses", "NS_PROTOCOL", "NS_ASSERTION"]

SUBJECT = "SAML response"


def check_saml_response(
    value: Any,
    *,
    now: datetime | None = None,
    expected_audience: str | None = None,
    expected_destination: str | None = None,
) -> Report:
    """Check a SAML 2.0 Response (a ``SAMLResponse`` form value or its XML) as an SP would.

    ``now`` is the clock for the validity windows of ``<Conditions>`` (SAML
    Core §2.5.1) and of the bearer ``<SubjectConfirmationData>`` (Core
    §2.4.1.2); naive values are taken as UTC and the real clock is used only
    when it is omitted. ``expected_audience`` is the SP's entity ID (compared
    with every ``<Audience>``, Core §2.5.1.4) and ``expected_destination`` its
    ACS URL (compared with the Response's ``Destination``, Core §3.2.2, and the
    confirmation's ``Recipient``). Only the first Response in ``value`` is
    checked. The signature is looked for, never verified. Never raises.
    """
    try:
        clock = aware(now) if isinstance(now, datetime) else datetime.now(timezone.utc)
        findings = _check(as_text(value)[:MAX_TEXT], clock, _optional(expected_audience),
                          _optional(expected_destination))
    except Exception:
        findings = [
            check_finding("saml-unreadable")
        ]
    return Report(subject=SUBJECT, findings=tuple(findings), inputs=("saml_response",))


def _optional(value: Any) -> str | None:
    text = as_text(value).strip()
    return text or None


def _check(text: str, now: datetime, audience: str | None, destination: str | None) -> list[Finding]:
    """Decode, parse, and read the Response; the first step that cannot go on says why, alone."""
    decoded = decode(text)
    if decoded.problem is not None:
        return [decoded.problem]
    root, problem = parse(decoded.xml or "")
    if problem is not None:
        return [problem]
    assert root is not None
    problem = not_a_response(root)
    if problem is not None:
        return [problem]
    reading = Reading(root, now, audience, destination, encoding=decoded.encoding, others=decoded.others)
    return _read(reading)


def _read(reading: Reading) -> list[Finding]:
    """Every family of checks in report order. A refusal by the IdP ends it: an error response carries
    no assertion. An encrypted assertion leaves only the envelope to check."""
    if not check_status(reading):
        return reading.findings
    check_destination(reading)
    check_structure(reading)
    check_signatures(reading)
    if reading.assertion is not None:
        check_issuers(reading)
        check_conditions(reading)
        check_subject(reading)
        check_attributes(reading)
    add_all_clear(reading)
    return reading.findings
