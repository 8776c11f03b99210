"""Turn a knowledge-base entry into a ``Finding`` a check can return.

The finding's ``code`` is the entry id, so views and the JSON output can always
find their way back to the knowledge base. The wording comes from the data;
this module only lays it out.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.diagnostics.report import Finding, Severity
from bot.knowledge import Entry, load_knowledge

_CHECK_LABELS = {
    "check:scim_url": "check the SCIM base URL (paste it to `/sso diagnose`)",
    "check:token": "check the SCIM bearer token or client secret (its expiry and where it is pasted)",
    "check:redirect": "compare the redirect URI the app sends with the ones registered at the IdP",
    "check:domains": "check the login-domain allowlist (bare domains, no '@')",
}


def title_for(entry: Entry) -> str:
    """One line: ``"AADSTS50011 InvalidReplyTo: <summary>"``, ``"E0000011 (Invalid token exception): ..."``,
    ``"HTTP 401: ..."``; code-less entries use their name."""
    if entry.code is None:
        return f"{entry.name}: {entry.summary}"
    label = entry.label
    if entry.system == "aadsts" and _is_identifier(entry.name):
        label = f"{label} {entry.name}"
    elif entry.system == "okta" and entry.name != entry.code and len(entry.name) <= 60:
        label = f"{label} ({entry.name})"
    return f"{label}: {entry.summary}"


def _is_identifier(name: str) -> bool:
    return 0 < len(name) <= 60 and name.replace("_", "").isalnum()


def detail_for(entry: Entry) -> str:
    """Causes (most likely first), where to look, what to collect and what to check next, as plain text."""
    parts: list[str] = []
    if entry.causes:
        if len(entry.causes) == 1:
            parts.append(f"Likely cause: {entry.causes[0]}")
        else:
            lines = ["Likely causes, most likely first:"]
            lines += [f"{i}. {cause}" for i, cause in enumerate(entry.causes, start=1)]
            parts.append("\n".join(lines))
    if entry.where:
        parts.append("\n".join(["Where to look:", *(f"• {item}" for item in entry.where)]))
    if entry.collect:
        parts.append("\n".join(["What to collect:", *(f"• {item}" for item in entry.collect)]))
    nexts = [_next_label(item) for item in entry.next_checks]
    if nexts:
        parts.append("\n".join(["Next:", *(f"• {item}" for item in nexts)]))
    if not parts:
        if entry.refs:
            parts.append("We have no step-by-step notes for this one yet; the reference below explains it.")
        else:
            parts.append("We have no step-by-step notes for this one yet.")
    return "\n\n".join(parts)


def short_label(entry: Entry) -> str:
    """A few words naming the entry: ``AADSTS50011 InvalidReplyTo``, ``HTTP 401``, or its name."""
    if entry.code is None:
        return entry.name
    if entry.system == "aadsts" and _is_identifier(entry.name):
        return f"{entry.label} {entry.name}"
    return entry.label


def _next_label(item: str) -> str:
    if item in _CHECK_LABELS:
        return _CHECK_LABELS[item]
    other = load_knowledge().get(item)
    if other is None:  # an entry from another data directory: show the id
        return item
    return f"see {short_label(other)} ({other.id})"


def finding_from_entry(
    entry: Entry,
    *,
    facts: Mapping[str, str] | None = None,
    severity: Severity | str | None = None,
) -> Finding:
    """Build the ``Finding`` for ``entry``; ``severity`` overrides the entry's own."""
    chosen = Severity(severity) if severity is not None else Severity(entry.severity)
    return Finding(
        code=entry.id,
        severity=chosen,
        title=title_for(entry),
        detail=detail_for(entry),
        fix=tuple(entry.fix),
        refs=tuple(entry.refs),
        facts=dict(facts or {}),
    )


__all__ = ["detail_for", "finding_from_entry", "short_label", "title_for"]
