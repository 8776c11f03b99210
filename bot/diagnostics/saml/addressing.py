"""Who a Response is for and from: its ``Destination`` (SAML Core §3.2.2; Bindings §3.5.5.2 requires
it on a signed POST) against the SP's ACS URL, and its ``Issuer`` against the assertion's (Core §2.3.3).
"""

from __future__ import annotations

from bot.diagnostics.redirect import diverge_at
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import (REF_BINDINGS, REF_CORE, REF_ENTRA_SAML, REF_OKTA_SAML, WHERE_BASIC, A, clip,
                                         present, text_of)


def check_destination(reading: Reading) -> None:
    dest = reading.dest_attr
    if dest is None:
        reading.add(_destination_missing())
        return
    if not dest.strip():
        reading.add(_destination_empty())
        return
    reading.summary["destination"] = clip(dest.strip())
    expected = reading.expected_destination
    if expected is not None and dest.strip() != expected:
        reading.add(_destination_mismatch(dest.strip(), expected))


def _destination_missing() -> Finding:
    return Finding(
        code="saml-destination-missing", severity=Severity.WARN,
        title="The response has no Destination",
        detail="Destination names the URL the IdP meant the response for (Core §3.2.2). It is optional in "
        "general, but a signed response sent with HTTP-POST must carry it (Bindings §3.5.5.2), and many "
        "SPs refuse a response without it.",
        fix=("Make sure the IdP knows the SP's ACS URL (Reply URL / Single sign-on URL): "
             + " Or: ".join(WHERE_BASIC),),
        refs=(REF_CORE, REF_BINDINGS),
    )


def _destination_empty() -> Finding:
    return Finding(
        code="saml-destination-empty", severity=Severity.FAIL,
        title="The response's Destination is empty",
        detail="Destination=\"\" names no URL, so an SP that checks it (as Bindings §3.5.5.2 requires for signed "
        "POSTs) cannot match it with its own ACS URL and rejects the response.",
        fix=("Set the SP's ACS URL at the IdP: " + " Or: ".join(WHERE_BASIC),),
        refs=(REF_CORE, REF_BINDINGS),
    )


def _destination_mismatch(dest: str, expected: str) -> Finding:
    position = diverge_at(expected, dest)
    return Finding(
        code="saml-destination-mismatch", severity=Severity.FAIL,
        title="The Destination is not the SP's ACS URL",
        detail=f"The response is addressed to {clip(dest, 160)}, but the SP expects {clip(expected, 160)}"
        f" (they differ from character {position}). The SP compares the two as strings and refuses a "
        "response meant for another URL; scheme, host, path, case and a trailing slash all count.",
        fix=("Make the ACS URL at the IdP identical to the SP's: " + " Or: ".join(WHERE_BASIC),),
        refs=(REF_CORE, REF_BINDINGS, REF_ENTRA_SAML, REF_OKTA_SAML),
        facts=present({"destination": clip(dest), "expected": clip(expected), "diverge_at": str(position or "")}),
    )


def check_issuers(reading: Reading) -> None:
    """Core §2.3.3: the assertion names its issuer, the same one as the Response (when that names one)."""
    assert reading.assertion is not None
    issuer = text_of(reading.assertion.find(A + "Issuer"))
    reading.summary["issuer"] = clip(issuer or reading.response_issuer)
    if not issuer:
        reading.add(Finding(
            code="saml-assertion-issuer-missing", severity=Severity.FAIL,
            title="The assertion has no Issuer",
            detail="Every assertion names the IdP that issued it (Core §2.3.3); the SP uses it to pick the IdP's "
            "certificate and settings. Without it the SP rejects the assertion.",
            fix=("Check the IdP's SAML configuration (Issuer / IdP entity ID) and capture the response again.",),
            refs=(REF_CORE,),
        ))
    elif reading.response_issuer and issuer != reading.response_issuer:
        reading.add(_issuer_mismatch(reading.response_issuer, issuer))


def _issuer_mismatch(response_issuer: str, issuer: str) -> Finding:
    return Finding(
        code="saml-issuer-mismatch", severity=Severity.FAIL,
        title="The response and the assertion name different issuers",
        detail=f"The Response says {clip(response_issuer, 120)} and the assertion says {clip(issuer, 120)}. "
        "Both must be the IdP's entity ID, the one the SP has in its IdP settings, or the SP rejects the "
        "message. A mismatch usually means two IdP configurations (or tenants) got mixed up.",
        fix=("Compare both with the IdP entity ID configured at the SP (Entra: Microsoft Entra Identifier "
             "on the app's Single sign-on page; Okta: Issuer / Identity Provider Issuer in the app's Sign On "
             "tab), and correct the SP or the IdP.",),
        refs=(REF_CORE,),
        facts=present({"response_issuer": clip(response_issuer), "assertion_issuer": clip(issuer)}),
    )
