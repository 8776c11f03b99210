"""How many assertions a Response holds and where, and whether its IDs are unique.

Profiles §4.1.4.2 expects one assertion, directly under the Response. Extra or nested
assertions, nested Responses and duplicate IDs are the signs of XML signature wrapping: a forged
element placed where the SP reads it while the signature still covers the genuine one.
"""

from __future__ import annotations

from collections import Counter

from bot.diagnostics.explain import check_finding
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import P, clip, present


def check_structure(reading: Reading) -> None:
    _count(reading)
    _placement(reading)
    _unique_ids(reading)


def _count(reading: Reading) -> None:
    total = len(reading.assertions) + len(reading.encrypted)
    if total == 0:
        reading.add(check_finding("saml-assertion-missing"))
    if total > 1:
        ids = [a.get("ID") or "(no ID)" for a in reading.assertions + reading.encrypted]
        reading.add(check_finding(
            "saml-multiple-assertions", present({"count": str(total), "assertion_ids": clip(", ".join(ids), 300)}),
        ))


def _placement(reading: Reading) -> None:
    root = reading.root
    misplaced = [el for el in reading.assertions + reading.encrypted if reading.parents.get(el) is not root]
    misplaced += [el for el in root.iter(P + "Response") if el is not root]
    if not misplaced:
        return
    paths = [reading.path(el) for el in misplaced[:5]]
    reading.add(check_finding(
        "saml-misplaced-element", present({"where": clip("; ".join(paths), 300)}), values={"paths": "; ".join(paths)},
    ))


def _unique_ids(reading: Reading) -> None:
    counts = Counter(el.get("ID") for el in reading.root.iter() if el.get("ID"))
    duplicates = sorted(str(i) for i, n in counts.items() if n > 1)
    if not duplicates:
        return
    reading.add(check_finding(
        "saml-duplicate-ids",
        present({"ids": clip(", ".join(duplicates), 300)}),
        values={"duplicates_shown": clip(", ".join(duplicates), 200),
                "appear": "appears" if len(duplicates) == 1 else "each appear"},
    ))
