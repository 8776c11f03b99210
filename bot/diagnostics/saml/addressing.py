"""Who a Response is for and from: its ``Destination`` (SAML Core §3.2.2; Bindings §3.5.5.2 requires
it on a signed POST) against the SP's ACS URL, and its ``Issuer`` against the assertion's (Core §2.3.3).
"""

from __future__ import annotations

from bot.diagnostics.explain import check_finding
from bot.diagnostics.redirect import diverge_at
from bot.diagnostics.report import Finding
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import A, clip, present, text_of


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
    return check_finding("saml-destination-missing")


def _destination_empty() -> Finding:
    return check_finding("saml-destination-empty")


def _destination_mismatch(dest: str, expected: str) -> Finding:
    position = diverge_at(expected, dest)
    return check_finding(
        "saml-destination-mismatch",
        present({"destination": clip(dest), "expected": clip(expected), "diverge_at": str(position or "")}),
        values={"destination_shown": clip(dest, 160), "expected_shown": clip(expected, 160), "position": str(position)},
    )


def check_issuers(reading: Reading) -> None:
    """Core §2.3.3: the assertion names its issuer, the same one as the Response (when that names one)."""
    assert reading.assertion is not None
    issuer = text_of(reading.assertion.find(A + "Issuer"))
    reading.summary["issuer"] = clip(issuer or reading.response_issuer)
    if not issuer:
        reading.add(check_finding("saml-assertion-issuer-missing"))
    elif reading.response_issuer and issuer != reading.response_issuer:
        reading.add(_issuer_mismatch(reading.response_issuer, issuer))


def _issuer_mismatch(response_issuer: str, issuer: str) -> Finding:
    return check_finding(
        "saml-issuer-mismatch",
        present({"response_issuer": clip(response_issuer), "assertion_issuer": clip(issuer)}),
        values={"response_issuer_shown": clip(response_issuer, 120), "assertion_issuer_shown": clip(issuer, 120)},
    )
