"""The assertion's attributes (SAML Core §2.7.3): which are sent, and whether the three an SP needs to
create users just in time are there: given name, surname and email (the vendor guide, section 1.11).

Attribute names are shown; their values never are.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from bot.diagnostics.explain import check_finding
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import A, clip, present, text_of

_GIVEN = {"givenname", "firstname", "fname", "first", "given", "forename"}
_SURNAME = {"sn", "surname", "lastname", "familyname", "lname", "last", "family"}
_EMAIL = {"mail", "email", "emailaddress", "emailaddr", "mailaddress", "primaryemail", "useremail"}
_OIDS = {"2.5.4.42": "given", "2.5.4.4": "surname", "0.9.2342.19200300.100.1.3": "email"}
_LABELS = {"given": "first name", "surname": "last name", "email": "email"}


def attribute_kind(name: str) -> str | None:
    """'given', 'surname' or 'email' for the usual spellings of those attributes (names, claim URIs, OIDs)."""
    if not name:
        return None
    lowered = name.strip().lower()
    if lowered.startswith("urn:oid:"):
        return _OIDS.get(lowered[8:])
    tail = re.split(r"[/:#]", lowered)[-1]
    for candidate in (tail, tail.rsplit(".", 1)[-1]):
        key = re.sub(r"[\s_\-.]", "", candidate)
        if key in _GIVEN:
            return "given"
        if key in _SURNAME:
            return "surname"
        if key in _EMAIL:
            return "email"
    return None


def check_attributes(reading: Reading) -> None:
    assert reading.assertion is not None
    names, kinds = _names_and_kinds(reading.assertion)
    if not names:
        reading.add(check_finding("saml-attributes-missing"))
        return
    shown = ", ".join(clip(n, 100) for n in names[:25]) + (f" and {len(names) - 25} more" if len(names) > 25
                                                          else "")
    reading.add(check_finding(
        "saml-attributes",
        present({"attributes": clip(shown, 1000), "count": str(len(names))}),
        values={"count_shown": f"{len(names)} attribute{'s' if len(names) != 1 else ''}", "shown": shown},
    ))
    _jit(reading, kinds, shown)


def _names_and_kinds(assertion: ET.Element) -> tuple[list[str], set[str]]:
    """The attribute names in order (each once), and which of given/surname/email they (or their
    friendly names) stand for."""
    names: list[str] = []
    kinds: set[str] = set()
    for statement in assertion.findall(A + "AttributeStatement"):
        for attribute in statement.findall(A + "Attribute"):
            name = (attribute.get("Name") or "").strip()
            friendly = (attribute.get("FriendlyName") or "").strip()
            if name and name not in names:
                names.append(name)
            for candidate in (name, friendly):
                kind = attribute_kind(candidate)
                if kind:
                    kinds.add(kind)
    return names, kinds


def _jit(reading: Reading, kinds: set[str], shown: str) -> None:
    """Just-in-time user creation needs all three of first name, last name and email."""
    assert reading.assertion is not None
    if not kinds:
        reading.add(check_finding("saml-jit-attributes-missing", present({"attributes": clip(shown, 1000)})))
    elif len(kinds) < 3:
        lacking = [_LABELS[k] for k in ("given", "surname", "email") if k not in kinds]
        nameid_kind = ""  # the note that the NameID may stand in for the email attribute
        if "email" not in kinds and "@" in text_of(reading.assertion.find(f"{A}Subject/{A}NameID")):
            nameid_kind = "an email address"
        reading.add(check_finding(
            "saml-jit-attributes-partial",
            present({"missing": ", ".join(lacking)}),
            values={"lacking": " or ".join(lacking), "nameid_kind": nameid_kind},
        ))
