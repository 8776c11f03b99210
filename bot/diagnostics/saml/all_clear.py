"""The all-clear for a Response no check objected to: what was read and what was checked.

It goes first in the report and repeats the summary the checks noted (issuer, audience, NameID
format, signing, validity window), and says plainly that the signature itself was not verified.
"""

from __future__ import annotations

from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import REF_CORE, REF_PROFILES, clip, present
from bot.diagnostics.saml.times import fmt


def add_all_clear(reading: Reading) -> None:
    if any(f.severity in (Severity.WARN, Severity.FAIL) for f in reading.findings):
        return
    facts = dict(reading.summary)
    facts.setdefault("issuer", clip(reading.response_issuer))
    facts["checked_at"] = fmt(reading.now)
    reading.findings.insert(0, Finding(
        code="saml-ok", severity=Severity.OK,
        title="The SAML response looks right",
        detail=_what_was_checked(facts, encrypted=reading.assertion is None) + " The signature itself was not "
        "verified: that needs the IdP's certificate, which only the SP has.",
        refs=(REF_CORE, REF_PROFILES),
        facts=present(facts),
    ))


def _what_was_checked(facts: dict[str, str], *, encrypted: bool) -> str:
    issuer = facts.get("issuer") or "(none)"
    if encrypted:
        return (f"Issuer {issuer}. Checked: status, destination and the envelope around the encrypted "
                "assertion (one assertion, unique IDs). The assertion itself (audience, validity window, "
                "NameID, attributes, signature) is encrypted for the SP and could not be read here.")
    window = ""
    if "not_before" in facts or "not_on_or_after" in facts:
        window = (f" It is valid from {facts.get('not_before', '(no start)')} until "
                  f"{facts.get('not_on_or_after', '(no end)')}.")
    return (f"Issuer {issuer}, audience {facts.get('audience') or '(none)'}, NameID format "
            f"{facts.get('nameid_format') or '(none)'}, signed: {facts.get('signed') or 'no'}.{window} "
            "Checked: status, one assertion in its place, unique IDs, signature placement and references, "
            "validity window, audience, recipient and destination.")
