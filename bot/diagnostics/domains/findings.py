"""The findings about the entries of a domain list: one per kind of problem, in the order of ``_KINDS``.

Each finding lists the entries it affects and ends its fix with the cleaned list. The findings are
built in one loop over ``_KINDS``, which tests/unit/knowledge/test_check_codes.py follows to match
every code and severity with its knowledge entry: keep that loop over the table here.
"""

from __future__ import annotations

from bot.diagnostics.domains.normalise import Entry
from bot.diagnostics.domains.shared import REF_DNS_CASE, REF_DNS_SYNTAX, REF_HOST_SYNTAX, REF_IDNA, clip, joined
from bot.diagnostics.report import Finding, Severity

_MAX_LISTED = 10

# Order in which findings are reported, with severity and a fix step.
_KINDS: dict[str, tuple[Severity, str, str]] = {
    "domains-leading-at": (
        Severity.FAIL,
        "Entries start with '@'",
        "Enter the domain without the '@': yourcompany.com, not @yourcompany.com. With the '@' the entry never "
        "equals the part of an email after the '@', so those users are not routed to SSO.",
    ),
    "domains-address-instead-of-domain": (
        Severity.FAIL,
        "Email addresses entered instead of domains",
        "The list takes domains, not addresses; the domain of each address was kept.",
    ),
    "domains-scheme": (
        Severity.FAIL,
        "Entries include a scheme such as https://",
        "A login domain is the part of an email after '@', never a URL; the scheme was removed.",
    ),
    "domains-path": (
        Severity.FAIL,
        "Entries include a path or query",
        "Everything from the first '/', '?' or '#' was removed: a domain has no path.",
    ),
    "domains-port": (
        Severity.FAIL,
        "Entries include a port",
        "Email domains have no port; the ':' and what follows were removed.",
    ),
    "domains-wildcard": (
        Severity.WARN,
        "Wildcard entries",
        "'*.example.com' (or '.example.com') is meant to cover subdomains, but the allowlist is matched exactly "
        "and may not support wildcards. The base domain was kept; list each subdomain users actually have in "
        "their email (e.g. eu.example.com) as its own entry.",
    ),
    "domains-inner-space": (
        Severity.FAIL,
        "Spaces inside an entry",
        "A domain cannot contain spaces; they were removed. Check the result is the domain you meant.",
    ),
    "domains-stray-characters": (
        Severity.WARN,
        "Quotes or brackets around entries",
        "These characters are not part of a domain and were removed.",
    ),
    "domains-uppercase": (
        Severity.INFO,
        "Upper-case letters (normalised)",
        "Domains are not case-sensitive, so the entries were lower-cased. Lower case in the setting avoids "
        "surprises if the platform compares strings exactly.",
    ),
    "domains-trailing-dot": (
        Severity.WARN,
        "Entries end with a dot",
        "A final dot (the DNS root) never appears in an email address, so the entry would not match; it was "
        "removed.",
    ),
    "domains-idn": (
        Severity.INFO,
        "Internationalised domain names",
        "These names have a Unicode form and an ASCII (punycode) form. Which form the platform compares against "
        "is not known, and users' email addresses may use either: if unsure, list both forms.",
    ),
    "domains-invalid": (
        Severity.FAIL,
        "Entries that are not valid domain names",
        "A domain is labels of letters, digits and inner hyphens (no underscore, no leading or trailing hyphen, "
        "1 to 63 characters each) joined by dots. These entries were left out of the cleaned list.",
    ),
    "domains-incomplete": (
        Severity.WARN,
        "Entries without a dot",
        "A single word (such as 'contoso') is not a complete email domain; the suffix (.com, .co.uk ...) is "
        "probably missing. These entries were left out of the cleaned list.",
    ),
    "domains-placeholder": (
        Severity.WARN,
        "Sample domains from the documentation",
        "These look like the examples from a guide, not your organisation's domain.",
    ),
    "domains-duplicate": (
        Severity.INFO,
        "Duplicate entries",
        "After normalising, these domains appear more than once; each is kept once in the cleaned list.",
    ),
}


def problem_findings(entries: list[Entry], duplicates: list[str], cleaned: list[str],
                     cleaned_text: str) -> list[Finding]:
    """One finding per kind of problem any entry has, in ``_KINDS`` order."""
    affected, notes = _affected(entries, duplicates)
    findings: list[Finding] = []
    for code, (severity, title, detail) in _KINDS.items():
        items = affected.get(code)
        if not items:
            continue
        facts = {"entries": joined(items, 600), "count": str(len(items)), "cleaned": cleaned_text}
        more, fix, refs = _kind_specifics(code, notes.get(code, []), entries, facts)
        if cleaned:
            fix.append(f"Enter the cleaned list: {cleaned_text}")
        text = f"{detail} Affected: {_listed(items)}.{more}"
        findings.append(
            Finding(code=code, severity=severity, title=title, detail=text, fix=tuple(fix), refs=refs, facts=facts)
        )
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


def _kind_specifics(code: str, notes: list[str], entries: list[Entry],
                    facts: dict[str, str]) -> tuple[str, list[str], tuple[str, ...]]:
    """What a kind adds to the common finding: more detail, its own fix steps, its references.

    The IDN finding also gets the punycode forms as a fact (added to ``facts``).
    """
    if code == "domains-idn":
        facts["punycode"] = joined([e.punycode for e in entries if e.punycode], 600)
        more = f" Forms: {clip('; '.join(notes[:_MAX_LISTED]), 600)}."
        fix = ["If unsure which form the platform expects, enter both the Unicode and the punycode form."]
        return more, fix, (REF_IDNA,)
    if code == "domains-invalid":
        more = f" Why: {clip('; '.join(notes[:5]), 400)}."
        return more, ["Correct or remove these entries."], (REF_DNS_SYNTAX, REF_HOST_SYNTAX)
    if code == "domains-placeholder":
        return "", ["Replace them with your organisation's real email domains."], (REF_HOST_SYNTAX,)
    if code == "domains-uppercase":
        return "", [], (REF_DNS_CASE,)
    return "", [], (REF_HOST_SYNTAX,)
