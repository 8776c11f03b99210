"""The assertion's ``<Subject>``: who the user is (the NameID, see ``nameid``) and the bearer
``<SubjectConfirmationData>`` (SAML Core §2.4.1.2; Profiles §4.1.4.2): its ``Recipient``,
``NotOnOrAfter`` and ``InResponseTo``, the proof that this browser may deliver the assertion.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bot.diagnostics.redirect import diverge_at
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.saml.nameid import check_name_id
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import BEARER, REF_CORE, REF_PROFILES, WHERE_BASIC, A, clip, present, short
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
    return Finding(
        code="saml-subject-confirmation-missing", severity=Severity.FAIL,
        title="No bearer SubjectConfirmation",
        detail=f"Browser sign-in needs a SubjectConfirmation with Method "
        f"urn:oasis:names:tc:SAML:2.0:cm:bearer (Profiles §4.1.4.2); found: {clip(methods, 80)}. "
        "Without it the SP has no proof the browser that posted the assertion may use it.",
        fix=("Check the IdP's SAML app type and settings; a standard SAML app at Entra or Okta sends a "
             "bearer confirmation.",),
        refs=(REF_PROFILES, REF_CORE),
        facts=present({"methods": clip(methods, 120)}),
    )


def _complete(reading: Reading, recipient: str, not_after_raw: str | None, response_irt: str,
              scd_irt: str) -> None:
    """Recipient and NotOnOrAfter are required; InResponseTo too when the Response answers a request."""
    missing = [name for name, value in (("Recipient", recipient), ("NotOnOrAfter", not_after_raw)) if not value]
    if response_irt and not scd_irt:
        missing.append("InResponseTo")
    if not missing:
        return
    reading.add(Finding(
        code="saml-subject-confirmation-incomplete", severity=Severity.WARN,
        title=f"The bearer confirmation lacks {', '.join(missing)}",
        detail="For browser sign-in the <SubjectConfirmationData> must give the Recipient (the ACS URL), a "
        "NotOnOrAfter time and, when the SP sent a request, its InResponseTo (Core §2.4.1.2; Profiles "
        "§4.1.4.2). Strict SPs refuse an assertion without them.",
        fix=("Check the ACS URL (Reply URL / Single sign-on URL) is set at the IdP: "
             + " Or: ".join(WHERE_BASIC),),
        refs=(REF_CORE, REF_PROFILES),
        facts=present({"missing": ", ".join(missing)}),
    ))


def _in_response_to(reading: Reading, response_irt: str, scd_irt: str) -> None:
    """Which request the sign-in answers: none (IdP-initiated), or the same one in both places."""
    if not response_irt and not scd_irt:
        reading.add(Finding(
            code="saml-idp-initiated", severity=Severity.INFO,
            title="IdP-initiated sign-in (no InResponseTo)",
            detail="Neither the Response nor its confirmation answers a request, so the sign-in started at the "
            "IdP (a tile in My Apps or the Okta dashboard), not at the SP. SPs that accept only SP-initiated "
            "sign-in refuse it; others accept it.",
            fix=("If the SP rejects IdP-initiated sign-in, start from the SP's login page, or enable "
                 "IdP-initiated SSO in the SP.",),
            refs=(REF_PROFILES,),
        ))
    elif response_irt and scd_irt and response_irt != scd_irt:
        reading.add(_requests_differ(response_irt, scd_irt))
    elif scd_irt and not response_irt:
        reading.add(Finding(
            code="saml-inresponseto-mismatch", severity=Severity.FAIL,
            title="Only the confirmation names a request",
            detail=f"The confirmation says it answers request {clip(scd_irt, 80)}, but the Response has no "
            "InResponseTo. The two must agree (Core §2.4.1.2, §3.2.2).",
            fix=("Capture a fresh sign-in from the SP's login page and check again.",),
            refs=(REF_CORE, REF_PROFILES),
            facts=present({"confirmation_in_response_to": clip(scd_irt)}),
        ))


def _requests_differ(response_irt: str, scd_irt: str) -> Finding:
    return Finding(
        code="saml-inresponseto-mismatch", severity=Severity.FAIL,
        title="InResponseTo differs between the response and the confirmation",
        detail=f"The Response answers request {clip(response_irt, 80)} but the confirmation names "
        f"{clip(scd_irt, 80)}. Both must be the ID of the SP's AuthnRequest (Core §2.4.1.2, §3.2.2); "
        "the SP refuses an assertion that answers a request it did not send.",
        fix=("Capture a fresh sign-in from the SP's login page; if it repeats, the IdP or a proxy is "
             "mixing up requests (e.g. responses cached or replayed).",),
        refs=(REF_CORE, REF_PROFILES),
        facts=present({"response_in_response_to": clip(response_irt), "confirmation_in_response_to": clip(scd_irt)}),
    )


def _recipient(reading: Reading, recipient: str) -> None:
    """The Recipient must be the SP's ACS URL: the one given, else the Response's Destination."""
    target = reading.expected_destination or (reading.dest_attr or "").strip()
    if not (recipient and target and recipient != target):
        return
    which = "the SP's ACS URL" if reading.expected_destination else "the response's Destination"
    reading.add(Finding(
        code="saml-recipient-mismatch", severity=Severity.FAIL,
        title=f"The confirmation's Recipient is not {which}",
        detail=f"Recipient is {clip(recipient, 160)} but {which} is {clip(target, 160)} (they differ from "
        f"character {diverge_at(target, recipient)}). The SP checks that the Recipient is its own ACS URL "
        "(Profiles §4.1.4.3) and refuses the assertion otherwise.",
        fix=("Make the ACS URL at the IdP identical to the SP's: " + " Or: ".join(WHERE_BASIC),),
        refs=(REF_PROFILES, REF_CORE),
        facts=present({"recipient": clip(recipient), "expected": clip(target)}),
    ))


def _expiry(reading: Reading, not_after_raw: str | None) -> None:
    """The confirmation's own NotOnOrAfter, usually minutes after issue (Core §2.4.1.2)."""
    not_after = parse_time(not_after_raw)
    bad_times(reading, (("SubjectConfirmationData NotOnOrAfter", not_after_raw, not_after),))
    if not_after is None or not_after > reading.now:
        return
    ago = reading.now - not_after
    reading.add(Finding(
        code="saml-subject-confirmation-expired", severity=Severity.FAIL,
        title=f"The bearer confirmation expired {span(ago)} ago",
        detail=f"SubjectConfirmationData NotOnOrAfter is {fmt(not_after)}, before the time of this check "
        f"({fmt(reading.now)}). This window is usually only minutes long: the browser must deliver the "
        "assertion before it closes (Core §2.4.1.2). If this fails at sign-in time, look at the SP's "
        "clock, or at a slow or replayed post.",
        fix=("Check the SP server's clock (NTP).",
             "If the response was captured earlier, re-run the check with the time it was captured."),
        refs=(REF_CORE, REF_PROFILES),
        facts=present({"not_on_or_after": fmt(not_after), "now": fmt(reading.now), "expired_ago": span(ago)}),
    ))
