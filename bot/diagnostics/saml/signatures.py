"""Whether the Response or its assertion carries a ``<ds:Signature>`` (SAML Core §5), and what it signs.

The signature is looked for, never verified: that needs the IdP's certificate, which only the SP
has. A signature must reference the ID of the element that carries it (Core §5.4.2); one that
points elsewhere signs content the SP does not read. An encrypted assertion hides its signature,
so it is only noted.
"""

from __future__ import annotations

from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import DS, REF_CORE, REF_PROFILES, WHERE_SIGNING, P, clip, local_name, present


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
    return Finding(
        code="saml-unsigned", severity=Severity.FAIL,
        title="Neither the response nor the assertion is signed",
        detail="There is no <ds:Signature> directly in the Response or in its assertion, so nothing shows the "
        "IdP issued it: anyone could have written it. SPs require a signature on the response, the "
        "assertion or both (Core §5; Profiles §4.1.4.2), and reject this one.",
        fix=("Turn signing on at the IdP: " + " Or: ".join(WHERE_SIGNING),
             "If the IdP does sign, something in between stripped the signature: capture the response "
             "straight from the browser."),
        refs=(REF_CORE, REF_PROFILES),
    )


def _reference_mismatch(unique: list[str]) -> Finding:
    return Finding(
        code="saml-signature-reference-mismatch", severity=Severity.FAIL,
        title="A signature points at a different element than the one carrying it",
        detail="A SAML signature must reference the ID of the element it sits in (Core §5.4.2). Here "
        + "; ".join(unique[:4]) + ". The signed content is then not the content the SP reads, which is "
        "a signature-wrapping pattern (or a copy-paste of a signature between messages).",
        fix=("Do not trust this response; capture a fresh one straight from the IdP.",),
        refs=(REF_CORE,),
        facts=present({"references": clip("; ".join(unique), 300)}),
    )


def _encrypted() -> Finding:
    return Finding(
        code="saml-assertion-encrypted", severity=Severity.INFO,
        title="The assertion is encrypted",
        detail="Only the SP, with its private key, can read an <EncryptedAssertion> (Core §2.3.4), so its "
        "conditions, subject, attributes and signature were not checked here. If the SP says it cannot "
        "decrypt it, the IdP holds the wrong encryption certificate for this SP.",
        fix=("To check the content, turn assertion encryption off for a test, or take the decrypted "
             "assertion from the SP's debug log.",
             "Entra: Enterprise apps → <app> → Single sign-on → Token encryption. Okta: General → SAML "
             "Settings → Edit → Show Advanced Settings → Assertion Encryption."),
        refs=(REF_CORE,),
    )
