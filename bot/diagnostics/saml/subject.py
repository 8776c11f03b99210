"""The assertion's ``<Subject>``: who the user is (the NameID, see ``nameid``) and the bearer
``<SubjectConfirmationData>`` (SAML Core §2.4.1.2; Profiles §4.1.4.2): its ``Recipient``,
``NotOnOrAfter`` and ``InResponseTo``, the proof that this browser may deliver the assertion.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bot.diagnostics.explain import check_finding
from bot.diagnostics.redirect import diverge_at
from bot.diagnostics.report import Finding
from bot.diagnostics.saml.nameid import check_name_id
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import BEARER, A, clip, present, short
from bot.diagnostics.saml.times import bad_times, fmt, parse_time, span


def check_subject(reading: Reading) -> None:
    assert reading.assertion is not None
    subject = reading.assertion.find(A + "Subject")
    check_name_id(reading, subject)
    confirmations = subject.findall(A + "SubjectConfirmation") if subject is not None else []
    bearer = [c for c in confirmations if (c.get("Method") or "").strip() == BEARER]
    if not bearer:
        reading.add(_no_bearer(confirmations))
        return
    data = bearer[0].find(A + "SubjectConfirmationData")
    attrs = data.attrib if data is not None else {}
    recipient = (attrs.get("Recipient") or "").strip()
    scd_irt = (attrs.get("InResponseTo") or "").strip()
    response_irt = (reading.root.get("InResponseTo") or "").strip()
    _complete(reading, recipient, attrs.get("NotOnOrAfter"), response_irt, scd_irt)
    _in_response_to(reading, response_irt, scd_irt)
    _recipient(reading, recipient)
    _expiry(reading, attrs.get("NotOnOrAfter"))


def _no_bearer(confirmations: list[ET.Element]) -> Finding:
    methods = ", ".join(short(c.get("Method") or "?") for c in confirmations) or "none"
    return check_finding(
        "saml-subject-confirmation-missing", present({"methods": clip(methods, 120)}),
        values={"methods_shown": clip(methods, 80)},
    )


def _complete(reading: Reading, recipient: str, not_after_raw: str | None, response_irt: str,
              scd_irt: str) -> None:
    """Recipient and NotOnOrAfter are required; InResponseTo too when the Response answers a request."""
    missing = [name for name, value in (("Recipient", recipient), ("NotOnOrAfter", not_after_raw)) if not value]
    if response_irt and not scd_irt:
        missing.append("InResponseTo")
    if not missing:
        return
    reading.add(check_finding("saml-subject-confirmation-incomplete", present({"missing": ", ".join(missing)})))


def _in_response_to(reading: Reading, response_irt: str, scd_irt: str) -> None:
    """Which request the sign-in answers: none (IdP-initiated), or the same one in both places."""
    if not response_irt and not scd_irt:
        reading.add(check_finding("saml-idp-initiated"))
    elif response_irt and scd_irt and response_irt != scd_irt:
        reading.add(_requests_differ(response_irt, scd_irt))
    elif scd_irt and not response_irt:
        reading.add(check_finding(
            "saml-inresponseto-response-missing", present({"confirmation_in_response_to": clip(scd_irt)}),
            values={"confirmation_shown": clip(scd_irt, 80)},
        ))


def _requests_differ(response_irt: str, scd_irt: str) -> Finding:
    return check_finding(
        "saml-inresponseto-mismatch",
        present({"response_in_response_to": clip(response_irt), "confirmation_in_response_to": clip(scd_irt)}),
        values={"response_shown": clip(response_irt, 80), "confirmation_shown": clip(scd_irt, 80)},
    )


def _recipient(reading: Reading, recipient: str) -> None:
    """The Recipient must be the SP's ACS URL: the one given, else the Response's Destination."""
    target = reading.expected_destination or (reading.dest_attr or "").strip()
    if not (recipient and target and recipient != target):
        return
    which = "the SP's ACS URL" if reading.expected_destination else "the response's Destination"
    reading.add(check_finding(
        "saml-recipient-mismatch",
        present({"recipient": clip(recipient), "expected": clip(target)}),
        values={"which": which, "recipient_shown": clip(recipient, 160), "target_shown": clip(target, 160),
                "position": str(diverge_at(target, recipient))},
    ))


def _expiry(reading: Reading, not_after_raw: str | None) -> None:
    """The confirmation's own NotOnOrAfter, usually minutes after issue (Core §2.4.1.2)."""
    not_after = parse_time(not_after_raw)
    bad_times(reading, (("SubjectConfirmationData NotOnOrAfter", not_after_raw, not_after),))
    if not_after is None or not_after > reading.now:
        return
    ago = reading.now - not_after
    reading.add(check_finding(
        "saml-subject-confirmation-expired",
        present({"not_on_or_after": fmt(not_after), "now": fmt(reading.now), "expired_ago": span(ago)}),
    ))
