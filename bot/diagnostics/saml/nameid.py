"""The ``<NameID>`` of the assertion's subject (SAML Core §2.2.3, §2.4.1) and its format (§8.3).

The value is shown (it names the user, not a secret), with the format an SP must expect. A
transient NameID or an "email" that is not one breaks matching users; an ``SPNameQualifier`` for
another SP is refused by strict SPs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import EMAIL_FORMAT, TRANSIENT, UNSPECIFIED, A, clip, present, short, text_of


def check_name_id(reading: Reading, subject: ET.Element | None) -> None:
    name_id = subject.find(A + "NameID") if subject is not None else None
    encrypted = subject.find(A + "EncryptedID") if subject is not None else None
    if name_id is None and encrypted is not None:
        reading.summary["nameid_format"] = "encrypted"
        reading.add(check_finding("saml-nameid-encrypted", present({"nameid_format": "encrypted"})))
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
    return check_finding("saml-nameid-missing", values={"nameid_state": "" if name_id is None else "empty"})


def _identified(value: str, fmt: str, qualifier: str) -> Finding:
    return check_finding(
        "saml-nameid-format",
        present({"nameid": clip(value, 160), "nameid_format": clip(fmt), "sp_name_qualifier": clip(qualifier)}),
        values={"nameid_title": clip(value, 80), "format_short": short(fmt), "nameid_shown": clip(value, 120),
                "format_shown": clip(fmt, 120)},
    )


def _format(reading: Reading, value: str, fmt: str) -> None:
    """A transient NameID changes at every sign-in; an emailAddress one must hold an address."""
    if fmt == TRANSIENT:
        reading.add(check_finding("saml-nameid-transient", present({"nameid_format": short(fmt)})))
    elif fmt == EMAIL_FORMAT and "@" not in value:
        reading.add(check_finding(
            "saml-nameid-not-email", present({"nameid": clip(value, 160)}), values={"nameid_shown": clip(value, 80)},
        ))


def _qualifier(reading: Reading, qualifier: str) -> None:
    """Core §2.2.2: the SPNameQualifier names the SP the identifier was issued for."""
    audiences = reading.audience_list()
    if not (qualifier and audiences and qualifier not in audiences):
        return
    reading.add(check_finding(
        "saml-nameid-spnamequalifier",
        present({"sp_name_qualifier": clip(qualifier), "audience": clip(", ".join(audiences))}),
        values={"qualifier_shown": clip(qualifier, 120), "audience_shown": clip(", ".join(audiences), 160)},
    ))
