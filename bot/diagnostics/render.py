"""Plain-text and JSON renderings of a Report, for the command line."""

from __future__ import annotations

import json
import textwrap

from bot.diagnostics.report import Report, Severity

_LABEL = {Severity.FAIL: "FAIL", Severity.WARN: "WARN", Severity.INFO: "INFO", Severity.OK: " OK "}
_COLOUR = {Severity.FAIL: "31", Severity.WARN: "33", Severity.INFO: "36", Severity.OK: "32"}


def verdict_line(report: Report) -> str:
    fails = sum(f.severity is Severity.FAIL for f in report.findings)
    warns = sum(f.severity is Severity.WARN for f in report.findings)
    if fails:
        head = f"{fails} problem{'s' if fails > 1 else ''} found"
    elif warns:
        head = f"{warns} warning{'s' if warns > 1 else ''}"
    elif report.inputs == ("unrecognised",):
        head = "Nothing I recognise"
    else:
        head = "Nothing failed"
    kinds = ", ".join(k.replace("_", " ") for k in report.inputs)
    return f"{head} (recognised: {kinds})" if kinds else head


def render_text(report: Report, *, colour: bool = False, width: int = 100) -> str:
    """A readable report: verdict, then each finding with its detail, fix steps and references."""
    lines = [verdict_line(report)]
    if report.secret_seen:
        lines.append("Your input held a token or secret: it is not repeated here, only its fingerprint.")
    for finding in report.findings:
        label = _LABEL[finding.severity]
        if colour:
            label = f"\033[1;{_COLOUR[finding.severity]}m{label}\033[0m"
        lines += ["", f"[{label}] {finding.title}"]
        for paragraph in finding.detail.split("\n") if finding.detail else []:
            lines += _wrap(paragraph, "    ", width)
        if finding.fix:
            lines.append("    Fix:")
            for n, step in enumerate(finding.fix, start=1):
                lines += _wrap(step, f"      {n}. ", width, hang="         ")
        for key, value in finding.facts.items():
            lines += _wrap(f"{key}: {value}", "    · ", width, hang="      ")
        for ref in finding.refs:
            lines.append(f"    see {ref}")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    """``{"inputs": [...], "findings": [{code, severity, title, detail, fix, refs, facts}]}``, most likely first."""
    data = {
        "inputs": list(report.inputs),
        "secret_seen": report.secret_seen,
        "verdict": report.worst.value,
        "findings": [f.to_dict() for f in report.findings],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _wrap(text: str, first: str, width: int, hang: str | None = None) -> list[str]:
    if not text.strip():
        return [""]
    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=hang or first.replace("·", " "),
                         break_long_words=True, break_on_hyphens=False) or [first.rstrip()]
