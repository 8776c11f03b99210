"""Check a login-domain allowlist (the "Allowed Domains" / "Login Domains" setting).

The platform routes a user to SSO when the part of their email after ``@``
is in this list, so each entry must be a bare domain name: ``yourcompany.com``,
not ``@yourcompany.com``, not ``https://yourcompany.com/``, not an email
address. A domain name is dot-separated labels of letters, digits and inner
hyphens, each at most 63 characters, 253 in all (RFC 1035 §2.3.1, RFC 1123
§2.1, RFC 5890 for internationalised names, whose ASCII "punycode" form comes
from the stdlib ``idna`` codec). Letter case does not matter to DNS (RFC 4343),
so entries are normalised to lower case.

The check names each problem once, lists the entries it affects, and gives the
cleaned list (fact ``cleaned`` and in the fix). With ``email`` it says whether
that user's domain is allowed: an exact match is required, a parent domain in
the list does not cover its subdomains. Pure function: no DNS, no clock.

The steps live beside this module: entries (splitting the paste into
entries), normalise (cleaning one entry and judging the name),
findings (one finding per kind of problem), email (the user's
domain against the list) and shared. This module runs them in that
order and assembles the report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.diagnostics.explain import check_finding
from bot.diagnostics.domains.email import email_finding
from bot.diagnostics.domains.entries import split_domain_entries
from bot.diagnostics.domains.findings import problem_findings
from bot.diagnostics.domains.normalise import Entry, normalise
from bot.diagnostics.domains.shared import joined
from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.text import as_text as _as_text

__all__ = ["check_domains", "split_domain_entries"]

SUBJECT = "Login domain allowlist"


def check_domains(text_or_list: Any, *, email: str | None = None, now: datetime | None = None) -> Report:
    """Check an allowlist of login domains and, with ``email``, whether that user's domain is in it.

    ``text_or_list`` is the pasted setting (split on commas, semicolons,
    whitespace and line breaks) or a list of entries. ``now`` is accepted for
    a uniform check signature and not used. Never raises.
    """
    try:
        findings = _check(text_or_list, email)
    except Exception:
        findings = [check_finding("domains-unreadable")]
    return Report(subject=SUBJECT, findings=tuple(findings), inputs=("domain_list",))


def _check(value: Any, email: str | None) -> list[Finding]:
    raw_entries = split_domain_entries(value)
    entries = [normalise(e) for e in raw_entries]
    cleaned, duplicates = _cleaned(entries)
    cleaned_text = joined(cleaned)
    findings: list[Finding] = []
    if not raw_entries:
        findings.append(_empty())
    else:
        findings.extend(problem_findings(entries, duplicates, cleaned, cleaned_text))
        # "Looks right" only when nothing above needs fixing; it goes first, before any notes.
        if not any(f.severity in (Severity.WARN, Severity.FAIL) for f in findings):
            findings.insert(0, _looks_right(cleaned, cleaned_text))
    if email is not None:
        findings.append(email_finding(_as_text(email), cleaned))
    return findings


def _cleaned(entries: list[Entry]) -> tuple[list[str], list[str]]:
    """The valid domains once each, in the order pasted; and those pasted more than once."""
    cleaned: list[str] = []
    duplicates: list[str] = []
    for entry in entries:
        if not entry.valid:
            continue
        if entry.value in cleaned:
            if entry.value not in duplicates:
                duplicates.append(entry.value)
            continue
        cleaned.append(entry.value)
    return cleaned, duplicates


def _empty() -> Finding:
    return check_finding("domains-empty")


def _looks_right(cleaned: list[str], cleaned_text: str) -> Finding:
    count = len(cleaned)
    return check_finding("domains-ok", {"cleaned": cleaned_text, "count": str(count)}, severity=Severity.OK)
