"""One parsed SAML Response as the checks read it: its parts, what the SP expects, the findings so
far, and the summary the all-clear reports.

The checks run in a fixed order (see ``saml.py``) and some read what an earlier one noted: the
NameID check compares its qualifier with the audiences the conditions check found, and the
all-clear repeats the summary every check added to.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from bot.diagnostics.report import Finding
from bot.diagnostics.saml.shared import A, local_name, text_of


class Reading:
    """The Response under check and what has been found in it."""

    def __init__(self, root: ET.Element, now: datetime, audience: str | None, destination: str | None, *,
                 encoding: str, others: int) -> None:
        self.root = root
        self.now = now
        self.expected_audience = audience
        self.expected_destination = destination
        self.findings: list[Finding] = []
        self.parents: dict[ET.Element, ET.Element] = {}
        for parent in root.iter():
            for child in parent:
                self.parents[child] = parent
        self.assertions = list(root.iter(A + "Assertion"))
        self.encrypted = list(root.iter(A + "EncryptedAssertion"))
        # The assertion read is the one directly under the Response; a nested one only when there is none.
        direct = root.findall(A + "Assertion")
        self.assertion = direct[0] if direct else (self.assertions[0] if self.assertions else None)
        self.response_issuer = text_of(root.find(A + "Issuer"))
        self.dest_attr = root.get("Destination")
        self.audiences: list[str] = []
        self.summary: dict[str, str] = {"encoding": encoding}
        if others:
            self.summary["other_responses_in_paste"] = str(others)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def path(self, element: ET.Element) -> str:
        """Where ``element`` sits, as ``Response/Extensions/Assertion`` (at most 12 levels)."""
        parts = [local_name(element.tag)]
        node = element
        while node in self.parents and len(parts) < 12:
            node = self.parents[node]
            parts.append(local_name(node.tag))
        return "/".join(reversed(parts))

    def audience_list(self) -> list[str]:
        """The SP's entity ID when it was given, else the audiences the assertion names."""
        if self.expected_audience is not None:
            return [self.expected_audience]
        return self.audiences
