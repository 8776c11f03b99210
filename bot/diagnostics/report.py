"""The shape every diagnostic returns.

A check is a pure function ``check_x(value, *, now=None) -> Report``. A
``Finding`` is one thing we can say about the input; its ``code`` is a stable
slug that keys into the knowledge base (``bot/knowledge``), so the wording of a
finding can change without breaking the Slack views, the audit log or the JSON
that other tools read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Iterable, Mapping


class Severity(StrEnum):
    """How bad a finding is. Ordered: ok < info < warn < fail."""

    OK = "ok"
    INFO = "info"
    WARN = "warn"
    FAIL = "fail"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.OK: 0, Severity.INFO: 1, Severity.WARN: 2, Severity.FAIL: 3}


@dataclass(frozen=True)
class Finding:
    """One statement about the input: what is wrong (or fine), why, and how to fix it.

    ``facts`` holds values pulled from the input that help the reader (an
    attribute name, an HTTP status, days left, a fingerprint). It must never
    hold a secret: a token is represented by its fingerprint only.

    ``confidence`` (0..1) says how sure the diagnosis is that this finding is
    the cause: 1.0 for what a check computed from the value itself, less for
    a status code or a free-text match (``engine.candidates`` sets it).
    """

    code: str
    severity: Severity
    title: str
    detail: str = ""
    fix: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    facts: Mapping[str, str] = field(default_factory=dict)
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "title": self.title,
            "detail": self.detail,
            "fix": list(self.fix),
            "refs": list(self.refs),
            "facts": dict(self.facts),
            "confidence": round(self.confidence, 2),
        }

    def with_confidence(self, confidence: float) -> "Finding":
        """This finding with another ``confidence`` (the engine sets one on every finding it reports). A copy
        of its fields, made directly: the ``__init__`` of a frozen dataclass sets each field through
        ``object.__setattr__``, several times slower, and there is nothing to check in a copy."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.__dict__["confidence"] = confidence
        return copy

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Finding":
        """The inverse of ``to_dict`` (for findings kept in storage)."""
        return cls(
            code=str(data["code"]),
            severity=Severity(data["severity"]),
            title=str(data.get("title", "")),
            detail=str(data.get("detail", "")),
            fix=tuple(str(x) for x in data.get("fix", ())),
            refs=tuple(str(x) for x in data.get("refs", ())),
            facts={str(k): str(v) for k, v in dict(data.get("facts", {})).items()},
            confidence=float(data.get("confidence", 1.0)),
        )

    @property
    def from_secret(self) -> bool:
        """True for findings computed from a token or secret (kept out of anything shared)."""
        return self.code.startswith("token-")


@dataclass(frozen=True)
class Report:
    """What a diagnosis found about one subject.

    ``inputs`` names the kinds of thing recognised (``"aadsts_code"``,
    ``"scim_url"``, ``"jwt"`` ...). ``secret_seen`` is true when the input held
    a credential: callers must then avoid echoing the input anywhere.
    """

    subject: str
    findings: tuple[Finding, ...] = ()
    inputs: tuple[str, ...] = ()
    secret_seen: bool = False

    @property
    def worst(self) -> Severity:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=Severity.OK)

    @property
    def failed(self) -> bool:
        return self.worst is Severity.FAIL

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "inputs": list(self.inputs),
            "secret_seen": self.secret_seen,
            "findings": [f.to_dict() for f in self.findings],
        }


def merge(subject: str, reports: Iterable[Report]) -> Report:
    """Combine several reports into one, keeping every finding once (by code and title)."""
    seen: set[tuple[str, str]] = set()
    findings: list[Finding] = []
    inputs: list[str] = []
    secret = False
    for report in reports:
        secret = secret or report.secret_seen
        for kind in report.inputs:
            if kind not in inputs:
                inputs.append(kind)
        for finding in report.findings:
            key = (finding.code, finding.title)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    return Report(subject=subject, findings=tuple(findings), inputs=tuple(inputs), secret_seen=secret)
