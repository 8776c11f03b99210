"""Parse the XML of a SAML message safely, and say when it is not a Response.

The parsing is :func:`bot.safe_xml.parse_untrusted`, the guard every XML from outside goes through:
a document type declaration anywhere is refused before anything in it is defined, expanded or
fetched (a DTD is how XXE and "billion laughs" payloads get in, and no IdP sends one). The parser
gets text, never bytes, so an encoding declaration cannot change how it is read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding
from bot.diagnostics.saml.shared import MAX_XML, P, clip, local_name, present
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
    return check_finding(
        "saml-not-a-response",
        present({"root_element": clip(local_name(root.tag), 60), "namespace": clip(namespace, 120)}),
        values={"root_shown": clip(local_name(root.tag), 60), "what": what},
    )


def _dtd_refused(refused: XMLRefused) -> Finding:
    return check_finding("saml-dtd-refused", present({"declaration": refused.declaration, "line": str(refused.line)}))


def _too_large(body: str) -> Finding:
    return check_finding(
        "saml-xml-too-large", present({"characters": str(len(body))}), values={"characters_shown": f"{len(body):,}"},
    )


def _not_well_formed(body: str, error: ET.ParseError) -> Finding:
    line, column = getattr(error, "position", (0, 0))
    message = clip(str(error).split(":", 1)[0], 80)
    last_line = body.count("\n") + 1
    cut = message in ("no element found", "unclosed token") or (
        line >= last_line and column >= len(body.rsplit("\n", 1)[-1]) - 1)
    return check_finding(
        "saml-xml-invalid",
        present({"error": message, "line": str(line), "column": str(column)}),
        values={"cut_short": "cut short" if cut else ""},
    )
