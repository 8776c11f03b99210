"""Parse the XML of a SAML message safely, and say when it is not a Response.

The parsing is :func:`bot.safe_xml.parse_untrusted`, the guard every XML from outside goes through:
a document type declaration anywhere is refused before anything in it is defined, expanded or
fetched (a DTD is how XXE and "billion laughs" payloads get in, and no IdP sends one). The parser
gets text, never bytes, so an encoding declaration cannot change how it is read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.saml.shared import MAX_XML, REF_CORE, P, clip, local_name, present
from bot.safe_xml import XMLRefused, parse_untrusted

_XML_DECL_RE = re.compile(r"^\ufeff?\s*<\?xml\b[^<>]{0,300}\?>")

# What the other SAML messages a paste may hold are, for the "not a Response" finding.
_NOT_A_RESPONSE = {
    "AuthnRequest": "the SP's sign-in request (SAMLRequest), not the IdP's answer",
    "LogoutRequest": "a logout request",
    "LogoutResponse": "a logout response",
    "Assertion": "a bare assertion, without the Response around it",
    "EntityDescriptor": "metadata, not a response",
}


def parse(xml: str) -> tuple[ET.Element | None, Finding | None]:
    """Parse ``xml`` behind the one XML guard: a DTD anywhere is refused; text (not bytes) is fed."""
    body = _XML_DECL_RE.sub("", xml, count=1).lstrip("\ufeff")
    if len(body) > MAX_XML:
        return None, _too_large(body)
    try:
        return parse_untrusted(body), None
    except XMLRefused as refused:
        return None, _dtd_refused(refused)
    except ET.ParseError as error:
        return None, _not_well_formed(body, error)


def not_a_response(root: ET.Element) -> Finding | None:
    """The finding for a root element that is not a SAML 2.0 protocol ``Response``; None when it is one."""
    if root.tag == P + "Response":
        return None
    namespace = root.tag[1:].split("}", 1)[0] if isinstance(root.tag, str) and root.tag.startswith("{") else ""
    what = _NOT_A_RESPONSE.get(local_name(root.tag), "not a SAML 2.0 Response")
    return Finding(
        code="saml-not-a-response", severity=Severity.INFO,
        title=f"This XML is a <{clip(local_name(root.tag), 60)}>: {what}",
        detail="The check reads a <samlp:Response> in the SAML 2.0 protocol namespace (Core §3.2.2), the message "
        "the IdP posts to the SP's Assertion Consumer Service URL.",
        fix=("Paste the SAMLResponse field of the POST to the SP's ACS URL (not the SAMLRequest).",),
        refs=(REF_CORE,),
        facts=present({"root_element": clip(local_name(root.tag), 60), "namespace": clip(namespace, 120)}),
    )


def _dtd_refused(refused: XMLRefused) -> Finding:
    return Finding(
        code="saml-dtd-refused", severity=Severity.FAIL,
        title="Refused: this XML declares a DTD; SAML responses never do, so it was not read",
        detail="A document type declaration can define entities, which is how XML external entity (XXE) and "
        "entity-expansion (\"billion laughs\") attacks work. No IdP puts one in a SAML message, so reading "
        "stopped at the declaration: nothing in it was expanded or fetched. A service provider should refuse "
        "it too.",
        fix=("If this came from your IdP, treat it as tampering and investigate where the response came from.",
             "Check that the SP's SAML library rejects DTDs (most current ones do)."),
        refs=("https://owasp.org/www-community/vulnerabilities/XML_External_Entity_(XXE)_Processing", REF_CORE),
        facts=present({"declaration": refused.declaration, "line": str(refused.line)}),
    )


def _too_large(body: str) -> Finding:
    return Finding(
        code="saml-xml-invalid", severity=Severity.FAIL,
        title="The XML is too large to be a SAML response",
        detail=f"It has {len(body):,} characters once decoded; real responses are a few kilobytes to a few "
        "hundred. It was not parsed.",
        refs=(REF_CORE,),
        facts=present({"characters": str(len(body))}),
    )


def _not_well_formed(body: str, error: ET.ParseError) -> Finding:
    line, column = getattr(error, "position", (0, 0))
    message = clip(str(error).split(":", 1)[0], 80)
    last_line = body.count("\n") + 1
    cut = message in ("no element found", "unclosed token") or (
        line >= last_line and column >= len(body.rsplit("\n", 1)[-1]) - 1)
    detail = f"The XML parser stopped at line {line}, column {column}: {message}."
    if cut:
        detail += " The text ends before the XML does, so the value was probably cut short while copying."
    return Finding(
        code="saml-xml-invalid", severity=Severity.FAIL,
        title="The SAML response is not well-formed XML",
        detail=detail + " An SP cannot read it either.",
        fix=("Copy the whole SAMLResponse value again (browser developer tools or a SAML tracer) and paste "
             "all of it.",),
        refs=(REF_CORE,),
        facts=present({"error": message, "line": str(line), "column": str(column)}),
    )
