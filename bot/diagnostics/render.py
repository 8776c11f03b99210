"""Plain-text and JSON renderings of a Report, for the command line.

The text reads like the Slack answer (``bot.diagnostics.present``): the verdict, then for the most
likely finding its cause in one sentence, the first fix steps and the values from the paste put to
use; the other findings one line each. With ``full`` every finding follows in full: the remaining
fix steps, the other likely causes, where to look, what to collect, related entries (by name, with the
``sso-bot explain`` command that opens them), what the finding measured, and the references (labelled).
Colour (ANSI) only when asked for; the CLI asks only when standard output is a terminal and neither
``NO_COLOR`` nor ``FORCE_COLOR`` says otherwise.
"""

from __future__ import annotations

import json
import shlex
import textwrap

from bot.diagnostics.present import Framing, Presentation, Shown, next_check_label, present
from bot.diagnostics.report import Severity
from bot.knowledge import load_knowledge
from bot.redaction import SafeReport, require_safe

_LABEL = {Severity.FAIL: "FAIL", Severity.WARN: "WARN", Severity.INFO: "INFO", Severity.OK: " OK "}
_COLOUR = {Severity.FAIL: "31", Severity.WARN: "33", Severity.INFO: "36", Severity.OK: "32"}
_HEAD_COLOUR = {Framing.PROBLEMS: "31", Framing.WARNINGS: "33", Framing.LOOKUP: "36", Framing.GUIDE: "36",
                Framing.CLEAR: "32", Framing.UNRECOGNISED: "36"}


def verdict_line(report: SafeReport, *, lookup: bool = False) -> str:
    """The first line: what kind of answer this is, and what was recognised."""
    require_safe(report)
    view = present(report, lookup=lookup)
    kinds = ", ".join(k.replace("_", " ") for k in report.inputs)
    return f"{view.heading} (recognised: {kinds})" if kinds else view.heading


def render_text(report: SafeReport, *, colour: bool = False, width: int = 100, full: bool = True,
                lookup: bool = False, more_hint: str = "add --full") -> str:
    """A readable report (see the module docstring); ``full=False`` keeps to the first view. Only a sealed
    report is accepted (``bot.redaction``)."""
    require_safe(report)
    view = present(report, lookup=lookup)
    paint = _painter(colour)
    kinds = ", ".join(k.replace("_", " ") for k in report.inputs)
    head = paint(view.heading, _HEAD_COLOUR[view.framing], bold=True)
    lines = [f"{head} (recognised: {kinds})" if kinds else head]
    if report.secret_seen:
        lines.append("Your input held a token or secret: it is not repeated here, only its fingerprint.")
    if not view.shown:
        return "\n".join(lines) + "\n"
    if full:
        for shown in view.shown:
            lines.append("")
            lines += _first_view(shown, paint, width, lookup=view.framing is Framing.LOOKUP)
            lines += _details(shown, width)
        return "\n".join(lines) + "\n"
    lines.append("")
    lines += _first_view(view.shown[0], paint, width, lookup=view.framing is Framing.LOOKUP)
    if len(view.shown) > 1:
        lines += ["", "Also found (most likely first):"]
        for other in view.shown[1:]:
            label = paint(_LABEL[other.severity], _COLOUR[other.severity], bold=True)
            lines += _wrap(other.title, f"  [{label}] ", width, hang="         ")
    if any(s.has_details for s in view.shown) or len(view.shown) > 1:
        lines += ["", f"More (other causes, where to look, what to collect, links): {more_hint}"]
    return "\n".join(lines) + "\n"


def _painter(colour: bool):
    def paint(text: str, code: str, *, bold: bool = False) -> str:
        if not colour:
            return text
        return f"\033[{'1;' if bold else ''}{code}m{text}\033[0m"
    return paint


def _first_view(shown: Shown, paint, width: int, *, lookup: bool = False) -> list[str]:
    # A look-up is not a problem found: its entries read as notes, whatever their severity.
    label = paint("NOTE", _COLOUR[Severity.INFO], bold=True) if lookup else \
        paint(_LABEL[shown.severity], _COLOUR[shown.severity], bold=True)
    lines = _wrap(shown.title, f"[{label}] ", width, hang="       ")
    if shown.cause:
        head = "Likely cause: " if shown.cause_is_likely else ""
        lines += _wrap(head + shown.cause, "    ", width)
    if shown.first_fix:
        lines.append("    Fix:")
        for n, step in enumerate(shown.first_fix, start=1):
            lines += _wrap(step, f"      {n}. ", width, hang="         ")
        if shown.more_fix:
            lines.append(f"      (and {len(shown.more_fix)} more step{'s' if len(shown.more_fix) > 1 else ''})")
    for label_, use in shown.values:
        lines += _wrap(f"{label_}: {use}", "    ▸ ", width, hang="      ")
    if "check:redirect" in shown.checks and any(k == "Redirect URI in the error" for k, _ in shown.values):
        sent = shown.finding.facts.get("redirect_uri", "")
        lines += _wrap(f"Compare it with a registered one: sso-bot diagnose {shlex.quote(f'registered <URI>, app sends {sent}')}",
                       "    ▸ ", width, hang="      ")
    return lines




def _details(shown: Shown, width: int) -> list[str]:
    lines: list[str] = []
    if shown.more_fix:
        lines.append("    More fix steps:")
        for n, step in enumerate(shown.more_fix, start=len(shown.first_fix) + 1):
            lines += _wrap(step, f"      {n}. ", width, hang="         ")
    if shown.explanation:
        lines += _block(shown.explanation, width)
    others = shown.causes[1:] if shown.causes and shown.cause == shown.causes[0] else shown.causes
    if others:
        lines.append("    Other likely causes:" if others is not shown.causes else "    Likely causes, most likely first:")
        start = 2 if others is not shown.causes else 1
        for n, cause in enumerate(others, start=start):
            lines += _wrap(cause, f"      {n}. ", width, hang="         ")
    for heading, items in (("Where to look:", shown.where), ("What to collect:", shown.collect)):
        if items:
            lines.append(f"    {heading}")
            for item in items:
                lines += _wrap(item, "    • ", width, hang="      ")
    if shown.checks or shown.related:
        lines.append("    Next:")
        for check in shown.checks:
            lines += _wrap(next_check_label(check), "    • ", width, hang="      ")
        for related in shown.related:
            lines += _wrap(f"{related.name}: sso-bot explain {shlex.quote(related.explain_as)}", "    • ", width, hang="      ")
    for also in shown.also:
        lines += _wrap(f"Also reported as: {also.title}", "    ", width, hang="      ")
    for key, value in shown.facts:
        lines += _wrap(f"{key}: {value}", "    · ", width, hang="      ")
    for link in shown.links:  # the address on its own line, never broken: a terminal makes it clickable
        lines += _wrap(link.label, "    see ", width, hang="        ")
        lines.append(f"        {link.url}")
    return lines


def _block(paragraph: str, width: int) -> list[str]:
    """A finding's own text; list items ("• x", "1. x") keep a hanging indent, and a caret pointer (a line
    holding only ``^``) keeps its columns."""
    out: list[str] = []
    lines = paragraph.split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        marker = stripped.split(" ", 1)[0] if stripped else ""
        pointer = stripped == "^" or (i + 1 < len(lines) and lines[i + 1].strip() == "^") or \
            (i + 2 < len(lines) and lines[i + 2].strip() == "^")
        if pointer:
            out.append("    " + line)
        elif marker == "•" or (marker.endswith(".") and marker[:-1].isdigit()):
            hang = " " * (4 + len(marker) + 1)
            out += _wrap(stripped[len(marker):].lstrip(), f"    {marker} ", width, hang=hang)
        else:
            out += _wrap(line, "    ", width)
    return out


def render_json(report: SafeReport, *, lookup: bool = False) -> str:
    """``{"inputs", "secret_seen", "verdict", "framing", "heading", "findings": [...]}``, most likely first.
    Each finding keeps ``code, severity, title, detail, fix, refs, facts, confidence`` and adds the
    structured ``causes``, ``where``, ``collect``, ``related`` (by name and code), ``links`` (labelled)
    and ``restates`` (the code of the finding it only restates, or null). Only a sealed report is
    accepted (``bot.redaction``)."""
    require_safe(report)
    view = present(report, lookup=lookup)
    by_code = {s.code: s for s in view.shown}
    kb = load_knowledge()
    findings = []
    for finding in report.findings:
        data = finding.to_dict()
        shown = by_code.get(finding.code)
        lead = view.restated.get(finding.code)
        entry = kb.get(finding.code)
        data["causes"] = list(shown.causes if shown else (entry.causes if entry else ()))
        data["where"] = list(shown.where if shown else (entry.where if entry else ()))
        data["collect"] = list(shown.collect if shown else (entry.collect if entry else ()))
        data["related"] = [{"name": r.name, "code": r.explain_as} for r in (shown.related if shown else ())]
        data["links"] = [{"label": link.label, "url": link.url} for link in (shown.links if shown else ())]
        data["restates"] = lead
        findings.append(data)
    data = {
        "inputs": list(report.inputs),
        "secret_seen": report.secret_seen,
        "verdict": report.worst.value,
        "framing": view.framing.value,
        "heading": view.heading,
        "findings": findings,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def exit_code_of(report: SafeReport, *, lookup: bool = False) -> int:
    """1 when the answer is a problem that failed; 0 for warnings, look-ups, guides and all-clear checks."""
    return 1 if present(report, lookup=lookup).framing is Framing.PROBLEMS else 0


def _wrap(text: str, first: str, width: int, hang: str | None = None) -> list[str]:
    if not text.strip():
        return [""]
    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=hang or first.replace("·", " "),
                         break_long_words=True, break_on_hyphens=False) or [first.rstrip()]


__all__ = ["exit_code_of", "render_json", "render_text", "verdict_line", "Presentation"]
