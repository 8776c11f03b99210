"""How many assertions a Response holds and where, and whether its IDs are unique.

Profiles §4.1.4.2 expects one assertion, directly under the Response. Extra or nested
assertions, nested Responses and duplicate IDs are the signs of XML signature wrapping: a forged
element placed where the SP reads it while the signature still covers the genuine one.
"""

from __future__ import annotations

from collections import Counter

from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import REF_CORE, REF_PROFILES, WHERE_BASIC, P, clip, present


def check_structure(reading: Reading) -> None:
    _count(reading)
    _placement(reading)
    _unique_ids(reading)


def _count(reading: Reading) -> None:
    total = len(reading.assertions) + len(reading.encrypted)
    if total == 0:
        reading.add(Finding(
            code="saml-assertion-missing", severity=Severity.FAIL,
            title="The response says Success but holds no assertion",
            detail="A successful response to a sign-in carries one assertion (plain or encrypted) about the user "
            "(Profiles §4.1.4.2). This one has none, so there is nobody to sign in.",
            fix=("Capture the response again; if it is still empty, look at the IdP's sign-in log and the "
                 "app's SAML configuration: " + " Or: ".join(WHERE_BASIC),),
            refs=(REF_PROFILES,),
        ))
    if total > 1:
        ids = [a.get("ID") or "(no ID)" for a in reading.assertions + reading.encrypted]
        reading.add(Finding(
            code="saml-multiple-assertions", severity=Severity.FAIL,
            title=f"The response holds {total} assertions",
            detail="IdPs send one assertion per sign-in. More than one is what an XML signature-wrapping attack "
            "looks like: a forged assertion is added next to (or around) the signed one, hoping the SP checks "
            "the signature of one and reads the user from the other. Many SPs refuse such a response outright.",
            fix=("Do not trust this response. Find out where it came from (a proxy or plug-in that rewrites "
                 "responses, or someone testing the SP).",
                 "Make sure the SP's SAML library rejects responses with more than one assertion."),
            refs=(REF_PROFILES, REF_CORE),
            facts=present({"count": str(total), "assertion_ids": clip(", ".join(ids), 300)}),
        ))


def _placement(reading: Reading) -> None:
    root = reading.root
    misplaced = [el for el in reading.assertions + reading.encrypted if reading.parents.get(el) is not root]
    misplaced += [el for el in root.iter(P + "Response") if el is not root]
    if not misplaced:
        return
    paths = [reading.path(el) for el in misplaced[:5]]
    reading.add(Finding(
        code="saml-misplaced-element", severity=Severity.FAIL,
        title="An assertion or response is hidden inside another element",
        detail="Assertions belong directly under the Response, and a Response is never nested in another. "
        "Found: " + "; ".join(paths) + ". Moving a signed element somewhere the SP does not look is how "
        "signature wrapping works.",
        fix=("Treat this response as forged or corrupted; capture a fresh one straight from the IdP.",),
        refs=(REF_CORE,),
        facts=present({"where": clip("; ".join(paths), 300)}),
    ))


def _unique_ids(reading: Reading) -> None:
    counts = Counter(el.get("ID") for el in reading.root.iter() if el.get("ID"))
    duplicates = sorted(str(i) for i, n in counts.items() if n > 1)
    if not duplicates:
        return
    reading.add(Finding(
        code="saml-duplicate-ids", severity=Severity.FAIL,
        title="Two elements share the same ID",
        detail=f"{clip(', '.join(duplicates), 200)} {'appears' if len(duplicates) == 1 else 'each appear'} more "
        "than once. A signature points at its element by ID, so with duplicates the SP may verify one copy "
        "and use another: a classic signature-wrapping trick. IDs must be unique within the document "
        "(Core §1.3.4).",
        fix=("Do not trust this response; capture a fresh one straight from the IdP.",),
        refs=(REF_CORE,),
        facts=present({"ids": clip(", ".join(duplicates), 300)}),
    ))
