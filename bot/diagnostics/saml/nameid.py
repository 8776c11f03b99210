"""The ``<NameID>`` of the assertion's subject (SAML Core §2.2.3, §2.4.1) and its format (§8.3).

The value is shown (it names the user, not a secret), with the format an SP must expect. A
transient NameID or an "email" that is not one breaks matching users; an ``SPNameQualifier`` for
another SP is refused by strict SPs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import (EMAIL_FORMAT, REF_CORE, TRANSIENT, UNSPECIFIED, WHERE_BASIC, WHERE_NAMEID, A,
                                         clip, present, short, text_of)


def check_name_id(reading: Reading, subject: ET.Element | None) -> None:
    name_id = subject.find(A + "NameID") if subject is not None else None
    encrypted = subject.find(A + "EncryptedID") if subject is not None else None
    if name_id is None and encrypted is not None:
        reading.summary["nameid_format"] = "encrypted"
        reading.add(Finding(
            code="saml-nameid-format", severity=Severity.INFO,
            title="The NameID is encrypted",
            detail="The subject is an <EncryptedID> (Core §2.2.4): only the SP can read which user this is.",
            refs=(REF_CORE,),
            facts=present({"nameid_format": "encrypted"}),
        ))
        return
    value = text_of(name_id)
    if name_id is None or not value:
        reading.add(_missing(name_id))
        return
    fmt = (name_id.get("Format") or "").strip() or UNSPECIFIED
    qualifier = (name_id.get("SPNameQualifier") or "").strip()
    reading.summary["nameid_format"] = short(fmt)
    reading.add(_identified(value, fmt, qualifier))
    _format(reading, value, fmt)
    _qualifier(reading, qualifier)


def _missing(name_id: ET.Element | None) -> Finding:
    return Finding(
        code="saml-nameid-missing", severity=Severity.FAIL,
        title="The assertion does not say who the user is" if name_id is None else "The NameID is empty",
        detail="The <Subject> has no usable <NameID> (Core §2.4.1, §2.2.3). The SP keys the user on it (or on "
        "an attribute it is told to use) and refuses or cannot match a sign-in without it. At the IdP "
        "this usually means the source attribute for the Name ID is empty for this user.",
        fix=("Check which user attribute feeds the Name ID, and that this user has a value: "
             + " Or: ".join(WHERE_NAMEID),),
        refs=(REF_CORE,),
    )


def _identified(value: str, fmt: str, qualifier: str) -> Finding:
    return Finding(
        code="saml-nameid-format", severity=Severity.INFO,
        title=f"NameID: {clip(value, 80)} ({short(fmt)})",
        detail=f"The user is identified as {clip(value, 120)} with NameID format {clip(fmt, 120)} (Core §8.3). "
        "The SP must expect this format and match the value to its user (usually the email address).",
        refs=(REF_CORE,),
        facts=present({"nameid": clip(value, 160), "nameid_format": clip(fmt), "sp_name_qualifier": clip(qualifier)}),
    )


def _format(reading: Reading, value: str, fmt: str) -> None:
    """A transient NameID changes at every sign-in; an emailAddress one must hold an address."""
    if fmt == TRANSIENT:
        reading.add(Finding(
            code="saml-nameid-transient", severity=Severity.WARN,
            title="The NameID is transient",
            detail="A transient NameID is a new random value at every sign-in (Core §8.3.8). The SP cannot use it "
            "to recognise a returning user: JIT provisioning creates a new account each time, or an existing "
            "account is never matched, unless the SP keys users on an attribute such as email instead.",
            fix=("Send a stable identifier instead: the email address (emailAddress format) or a persistent "
                 "ID: " + " Or: ".join(WHERE_NAMEID),),
            refs=(REF_CORE,),
            facts=present({"nameid_format": short(fmt)}),
        ))
    elif fmt == EMAIL_FORMAT and "@" not in value:
        reading.add(Finding(
            code="saml-nameid-not-email", severity=Severity.WARN,
            title="The NameID claims to be an email address but is not one",
            detail=f"The format is emailAddress but the value {clip(value, 80)} has no '@'. An SP that matches "
            "users by email will not find this user (or will create a wrong one). Usually the IdP maps the "
            "Name ID to an ID attribute while declaring the email format.",
            fix=("Map the Name ID to the user's email (e.g. user.mail in Entra, Email in Okta), or declare the "
                 "format the value really has: " + " Or: ".join(WHERE_NAMEID),),
            refs=(REF_CORE,),
            facts=present({"nameid": clip(value, 160)}),
        ))


def _qualifier(reading: Reading, qualifier: str) -> None:
    """Core §2.2.2: the SPNameQualifier names the SP the identifier was issued for."""
    audiences = reading.audience_list()
    if not (qualifier and audiences and qualifier not in audiences):
        return
    reading.add(Finding(
        code="saml-nameid-spnamequalifier", severity=Severity.WARN,
        title="The NameID is qualified for a different SP",
        detail=f"SPNameQualifier is {clip(qualifier, 120)}, but the assertion's audience is "
        f"{clip(', '.join(audiences), 160)}. The qualifier names the SP the identifier was "
        "issued for (Core §2.2.2); strict SPs refuse a NameID issued for another SP.",
        fix=("Check the SP entity ID configured at the IdP: " + " Or: ".join(WHERE_BASIC),),
        refs=(REF_CORE,),
        facts=present({"sp_name_qualifier": clip(qualifier), "audience": clip(", ".join(audiences))}),
    ))
