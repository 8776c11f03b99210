"""The findings about the entries of a domain list: one per kind of problem, in the order of ``_KINDS``.

Each finding lists the entries it affects and ends its fix with the cleaned list; its words are the
kind's entry in checks.toml, filled with the entries, the cleaned list and (for names in two forms
or invalid ones) the notes the normaliser wrote.
"""

from __future__ import annotations

from bot.diagnostics.domains.normalise import Entry
from bot.diagnostics.domains.shared import clip, joined
from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding

_MAX_LISTED = 10

# The order in which findings are reported; their texts are the entries of checks.toml.
_KINDS = ("domains-leading-at", "domains-address-instead-of-domain", "domains-scheme", "domains-path", "domains-port",
          "domains-wildcard", "domains-inner-space", "domains-stray-characters", "domains-uppercase",
          "domains-trailing-dot", "domains-idn", "domains-invalid", "domains-incomplete", "domains-placeholder",
          "domains-duplicate")


def problem_findings(entries: list[Entry], duplicates: list[str], cleaned: list[str],
                     cleaned_text: str) -> list[Finding]:
    """One finding per kind of problem any entry has, in ``_KINDS`` order."""
    affected, notes = _affected(entries, duplicates)
    findings: list[Finding] = []
    for code in _KINDS:
        items = affected.get(code)
        if not items:
            continue
        facts = {"entries": joined(items, 600), "count": str(len(items)), "cleaned": cleaned_text}
        values = {"affected": _listed(items)}
        found = notes.get(code, [])
        if code == "domains-idn":
            facts["punycode"] = joined([e.punycode for e in entries if e.punycode], 600)
            values["forms"] = clip("; ".join(found[:_MAX_LISTED]), 600)
        elif code == "domains-invalid":
            values["why"] = clip("; ".join(found[:5]), 400)
        findings.append(check_finding(code, facts, values=values))
    return findings


def _affected(entries: list[Entry], duplicates: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per code, the entries it affects (as shown, once each) and the distinct notes that explain it."""
    affected: dict[str, list[str]] = {}
    notes: dict[str, list[str]] = {}
    for entry in entries:
        for code, note in entry.issues:
            bucket = affected.setdefault(code, [])
            shown = clip(entry.original, 80)
            if shown not in bucket:
                bucket.append(shown)
            if note:
                kept = notes.setdefault(code, [])
                if note not in kept:
                    kept.append(note)
    if duplicates:
        affected["domains-duplicate"] = [clip(d, 80) for d in duplicates]
    return affected, notes


def _listed(items: list[str]) -> str:
    more = f" and {len(items) - _MAX_LISTED} more" if len(items) > _MAX_LISTED else ""
    return ", ".join(items[:_MAX_LISTED]) + more

