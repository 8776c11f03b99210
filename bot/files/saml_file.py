"""A SAML Response attached as a file (its XML, or the base64 ``SAMLResponse`` value saved as text), and the
audience of any Response, in a file or posted in a captured flow, against the SP's entity ID when known.

A Response saved from SAML-tracer or a browser's form post is what admins attach when a SAML sign-in
fails: it goes through the same checks as a pasted one (``bot.checks.run_check``). The Audience is
compared with the SP's entity ID only when the admin gives it (``--expect-audience`` on the command
line, the *SP entity ID* field of the Slack form): nothing in the Response says which SP it was meant
for, so without it only the SP's own refusal tells.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime

from bot.checks import run_check
from bot.diagnostics import explain  # a finding's text from the knowledge (not a check: nothing is judged there)
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.saml import decode as decode_saml
from bot.safe_xml import parse_untrusted

__all__ = ["looks_like_saml", "analyse_saml", "audience_findings", "saml_audiences", "MAX_SAML_BYTES"]

MAX_SAML_BYTES = 2 * 1024 * 1024  # a Response with a few certificates and many attributes is well under 1 MB
_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
_ASSERTION = "{urn:oasis:names:tc:SAML:2.0:assertion}"
_RESPONSE_TAG = re.compile(r"<(?:[\w.-]+:)?Response[\s>]")
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]+")


def looks_like_saml(text: str) -> bool:
    """``text`` (the start of a file, stripped) is a SAML 2.0 Response: its XML, or that XML in base64."""
    if text.startswith("<"):
        return _PROTOCOL in text[:8192] and bool(_RESPONSE_TAG.search(text[:8192]))
    sample = "".join(text[:8192].split())
    if len(sample) < 40 or not _BASE64.fullmatch(sample):
        return False
    try:
        xml = base64.b64decode(sample[: len(sample) // 4 * 4]).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return False
    return xml.lstrip("\ufeff \r\n\t").startswith("<") and bool(_RESPONSE_TAG.search(xml))


def analyse_saml(text: str, *, now: datetime | None, expect_audience: str = "") -> tuple[list[Finding], list[str]]:
    """The SAML checks on the Response in ``text`` (as if pasted), and its audience against ``expect_audience``."""
    report = run_check("diagnose", text, now=now)
    findings = audience_findings(text, expect_audience, where="The Response in this file")
    findings += [f for f in report.findings if not (expect_audience and f.code == "saml-audience-mismatch")]
    findings.sort(key=lambda f: -f.severity.rank)  # stable: the engine's order within each severity stays
    return findings, ["saml_file", *report.inputs]


def audience_findings(value: str, expected: str, *, where: str) -> list[Finding]:
    """Whether the Response in ``value`` (XML or base64) is addressed to ``expected`` (the SP's entity ID,
    compared as the exact string SAML Core §2.5.1.4 asks for); nothing when no entity ID was given or the
    Response cannot be read (the SAML checks say why)."""
    expected = expected.strip()
    audiences = saml_audiences(value) if expected else None
    if audiences is None:
        return []
    facts = {"where": where, "expected": expected, "audience": ", ".join(audiences)}
    if not audiences:
        return [explain.check_finding("file-saml-audience-absent", facts)]
    if expected in audiences:
        return [explain.check_finding("file-saml-audience-match", facts, severity=Severity.OK)]
    return [explain.check_finding("file-saml-audience-mismatch", facts, values={"near": _near_miss(audiences, expected)})]


def saml_audiences(value: str) -> list[str] | None:
    """Every ``<Audience>`` of the Response in ``value``; None when it holds no readable Response."""
    decoded = decode_saml(value)
    if decoded.xml is None:
        return None
    try:
        root = parse_untrusted(decoded.xml)
    except Exception:  # the SAML checks report what is wrong with it
        return None
    return [(a.text or "").strip() for a in root.iter(f"{_ASSERTION}Audience") if (a.text or "").strip()]


def _near_miss(audiences: list[str], expected: str) -> str:
    """What tells the two apart when it is small: a trailing slash, the letter case, the scheme."""
    for audience in audiences:
        if audience.rstrip("/") == expected.rstrip("/"):
            return "They differ only by a trailing slash, which is enough for the SP to refuse it."
        if audience.lower() == expected.lower():
            return "They differ only in upper and lower case, which is enough for the SP to refuse it."
        if audience.split("://", 1)[-1] == expected.split("://", 1)[-1]:
            return "They differ only in the scheme (http or https), which is enough for the SP to refuse it."
    return ""
