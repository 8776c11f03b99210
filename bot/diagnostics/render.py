"""Plain-text and JSON renderings of a Report, for the command line.

The text puts, for each finding: its title, the likely cause, the fix steps, then where to look
and what to collect, the facts taken from the paste, and the references. Findings come in the
report's order, which is the most likely cause first. Colour (ANSI) only when asked for; the CLI
asks only when standard output is a terminal.
"""

from __future__ import annotations

import json
import textwrap

from bot.diagnostics.report import Finding, Severity
from bot.redaction import SafeReport, require_safe

_LABEL = {Severity.FAIL: "FAIL", Severity.WARN: "WARN", Severity.INFO: "INFO", Severity.OK: " OK "}
_COLOUR = {Severity.FAIL: "31", Severity.WARN: "33", Severity.INFO: "36", Severity.OK: "32"}
_CAUSE_HEADS = ("Likely cause", "Likely causes")


def verdict_line(report: SafeReport) -> str:
    require_safe(report)
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
    if fails + warns > 1:
        head += ", most likely cause first"
    kinds = ", ".join(k.replace("_", " ") for k in report.inputs)
    return f"{head} (recognised: {kinds})" if kinds else head


def render_text(report: SafeReport, *, colour: bool = False, width: int = 100) -> str:
    """A readable report: verdict, then each finding with its cause, fix steps, where to look and references.
    Only a sealed report is accepted (``bot.redaction``)."""
    require_safe(report)
    lines = [verdict_line(report)]
    if report.secret_seen:
        lines.append("Your input held a token or secret: it is not repeated here, only its fingerprint.")
    for finding in report.findings:
        lines.append("")
        lines += _finding_lines(finding, colour=colour, width=width)
    return "\n".join(lines) + "\n"


def _finding_lines(finding: Finding, *, colour: bool, width: int) -> list[str]:
    label = _LABEL[finding.severity]
    if colour:
        label = f"\033[1;{_COLOUR[finding.severity]}m{label}\033[0m"
    lines = _wrap(finding.title, f"[{label}] ", width, hang="       ")
    paragraphs = [p for p in finding.detail.split("\n\n") if p.strip()] if finding.detail else []
    cause = [p for p in paragraphs[:1] if p.startswith(_CAUSE_HEADS)]
    for paragraph in cause:
        lines += _block(paragraph, width)
    if finding.fix:
        lines.append("    Fix:")
        for n, step in enumerate(finding.fix, start=1):
            lines += _wrap(step, f"      {n}. ", width, hang="         ")
    for paragraph in paragraphs[len(cause):]:
        lines += _block(paragraph, width)
    for key, value in finding.facts.items():
        lines += _wrap(f"{key}: {value}", "    · ", width, hang="      ")
    for ref in finding.refs:
        lines.append(f"    see {ref}")
    return lines


def _block(paragraph: str, width: int) -> list[str]:
    """One paragraph of a finding's detail; list items ("• x", "1. x") keep a hanging indent."""
    out: list[str] = []
    for line in paragraph.split("\n"):
        stripped = line.lstrip()
        marker = stripped.split(" ", 1)[0] if stripped else ""
        if marker == "•" or (marker.endswith(".") and marker[:-1].isdigit()):
            hang = " " * (4 + len(marker) + 1)
            out += _wrap(stripped[len(marker):].lstrip(), f"    {marker} ", width, hang=hang)
        else:
            out += _wrap(line, "    ", width)
    return out


def render_json(report: SafeReport) -> str:
    """``{"inputs": [...], "findings": [{code, severity, title, detail, fix, refs, facts}]}``, most likely first.
    Only a sealed report is accepted (``bot.redaction``)."""
    require_safe(report)
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
