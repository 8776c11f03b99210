"""Whether the Response or its assertion carries a ``<ds:Signature>`` (SAML Core §5), and what it signs.

The signature is looked for, never verified: that needs the IdP's certificate, which only the SP
has. A signature must reference the ID of the element that carries it (Core §5.4.2); one that
points elsewhere signs content the SP does not read. An encrypted assertion hides its signature,
so it is only noted.
"""

from __future__ import annotations

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import DS, P, clip, local_name, present


def check_signatures(reading: Reading) -> None:
    signed: list[str] = []
    if reading.root.find(DS + "Signature") is not None:
        signed.append("response")
    if reading.assertion is not None and reading.assertion.find(DS + "Signature") is not None:
        signed.append("assertion")
    reading.summary["signed"] = " and ".join(signed) if signed else ""
    encrypted_only = reading.assertion is None and bool(reading.encrypted)
    if not signed and not encrypted_only:
        reading.add(_unsigned())
    wrong = _wrong_references(reading)
    if wrong:
        reading.add(_reference_mismatch(list(dict.fromkeys(wrong))))
    if encrypted_only:
        reading.add(_encrypted())


def _wrong_references(reading: Reading) -> list[str]:
    """Each signature reference (of the Responses and plain assertions) that is not its own element."""
    wrong: list[str] = []
    for element in [*reading.root.iter(P + "Response"), *reading.assertions]:
        signature = element.find(DS + "Signature")
        if signature is None:
            continue
        own = element.get("ID") or ""
        for reference in signature.iter(DS + "Reference"):
            uri = reference.get("URI")
            # URI="" signs the whole document, which is the Response itself.
            if uri == "#" + own or (uri == "" and element is reading.root):
                continue
            wrong.append(f"the {local_name(element.tag)} {clip(own, 60) or '(no ID)'} signs "
                         f"{clip(uri, 60) or '(nothing)'}")
    return wrong


def _unsigned() -> Finding:
    return check_finding("saml-unsigned")


def _reference_mismatch(unique: list[str]) -> Finding:
    return check_finding(
        "saml-signature-reference-mismatch",
        present({"references": clip("; ".join(unique), 300)}),
        values={"first_references": "; ".join(unique[:4])},
    )


def _encrypted() -> Finding:
    return check_finding("saml-assertion-encrypted")
