"""``SafeReport``: the only kind of report that may be rendered, logged, stored or shared.

``seal(report, *pasted)`` is the boundary. It finds the secrets in what was pasted, replaces every
trace of them in every field of every finding (title, detail, fix steps, references, facts) by a hint,
replaces anything else shaped like a secret, and wraps the result in a ``SafeReport``, which nothing
else can construct. The Slack views, the command-line renderers, the snapshot store, the checklist
store and the audit outcome all refuse a plain ``Report`` (``require_safe``), so a check whose report
skipped the boundary fails the first test that renders it.
"""

from __future__ import annotations

from typing import Any, Iterable

from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.text import as_text, without_invisible
from bot.diagnostics.token import strip_wrapping  # the token check's own idea of a paste's wrapping
from bot.redaction.scrub import Scrubber
from bot.redaction.shapes import Secret, find_secrets

__all__ = ["SafeReport", "seal", "reseal", "require_safe", "secrets_in"]

_KEY = object()  # only ``seal`` holds it, so only ``seal`` makes a SafeReport


class SafeReport:
    """A report that went through ``seal``: no secret from the paste, and nothing shaped like one, is in it.

    Read-only; it reads like a ``Report`` (``findings``, ``inputs``, ``worst`` ...). ``sealed`` is the
    marker the storage layer checks, since storage may not import the core.
    """

    __slots__ = ("_report",)
    sealed = True

    def __init__(self, report: Report, key: object) -> None:
        if key is not _KEY:
            raise TypeError("a SafeReport is made only by bot.redaction.seal (or bot.checks.run_check)")
        object.__setattr__(self, "_report", report)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a SafeReport cannot be changed; seal a new report instead")

    def __reduce__(self):  # crossing to a worker process re-seals, it never trusts the bytes
        return (seal, (self._report,))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SafeReport) and other._report == self._report

    def __hash__(self) -> int:
        return hash(self._report)

    def __repr__(self) -> str:
        return f"SafeReport({self._report!r})"

    @property
    def subject(self) -> str:
        return self._report.subject

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self._report.findings

    @property
    def inputs(self) -> tuple[str, ...]:
        return self._report.inputs

    @property
    def secret_seen(self) -> bool:
        return self._report.secret_seen

    @property
    def worst(self) -> Severity:
        return self._report.worst

    @property
    def failed(self) -> bool:
        return self._report.failed

    def to_dict(self) -> dict[str, Any]:
        return self._report.to_dict()

    def shareable(self) -> "SafeReport":
        """The same report without findings computed from a token (those stay with whoever pasted it)."""
        kept = tuple(f for f in self.findings if not f.from_secret)
        report = Report(subject=self.subject, findings=kept, inputs=self.inputs, secret_seen=False)
        return SafeReport(report, _KEY)


def secrets_in(*pasted: Any, whole: bool = False) -> list[Secret]:
    """The secrets in what was pasted; with ``whole``, the pasted text itself is one too (a token modal's
    field holds nothing else, whatever its shape)."""
    found: list[Secret] = []
    for item in pasted:
        text = as_text(item)
        found += find_secrets(text)
        if whole:
            found += _whole(text)
    return found


def _whole(text: str) -> list[Secret]:
    stripped = strip_wrapping(text)
    forms = dict.fromkeys(f for f in (stripped, without_invisible(stripped), text.strip()) if f)
    kind = "jwt" if stripped.startswith("eyJ") and stripped.count(".") >= 2 else "token"
    return [Secret(form, kind, 0, len(form)) for form in forms]


def seal(report: Report | SafeReport, *pasted: Any, whole: bool = False) -> SafeReport:
    """``report`` with every trace of a secret in ``pasted`` (and anything shaped like a secret) replaced by
    its hint. ``whole`` marks the pasted text as a secret in its entirety (the token check)."""
    if isinstance(report, SafeReport):
        report = report._report
    if not isinstance(report, Report):
        raise TypeError(f"seal takes a Report, not {type(report).__name__}")
    secrets = secrets_in(*pasted, whole=whole)
    scrubber = Scrubber(secrets)
    clean = scrubber.clean
    findings = tuple(_clean_finding(f, clean) for f in report.findings)
    sealed = Report(subject=clean(report.subject), findings=findings, inputs=tuple(clean(k) for k in report.inputs),
                    secret_seen=report.secret_seen or bool(secrets))
    return SafeReport(sealed, _KEY)


def _clean_finding(finding: Finding, clean) -> Finding:
    return Finding(code=clean(finding.code), severity=finding.severity, title=clean(finding.title),
                   detail=clean(finding.detail), fix=tuple(clean(step) for step in finding.fix),
                   refs=tuple(clean(ref) for ref in finding.refs),
                   facts={clean(k): clean(v) for k, v in finding.facts.items()}, confidence=finding.confidence)


def require_safe(report: Any) -> SafeReport:
    """``report`` if it went through the boundary; a TypeError naming the fix otherwise."""
    if not isinstance(report, SafeReport):
        raise TypeError(f"expected a SafeReport, got {type(report).__name__}: pass the report through "
                        "bot.checks.run_check (or bot.redaction.seal) before rendering, storing or sharing it")
    return report


def reseal(findings: Iterable[Finding], inputs: Iterable[str]) -> SafeReport:
    """A report read back from storage, sealed again (its paste is long gone, so by shape only)."""
    return seal(Report(subject="diagnosis", findings=tuple(findings), inputs=tuple(inputs)))
