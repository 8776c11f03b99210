"""Turn a knowledge-base entry into a ``Finding`` a check can return.

The finding's ``code`` is the entry id, so views and the JSON output can always
find their way back to the knowledge base. The wording comes from the data;
this module only lays it out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.diagnostics.report import Finding, Report, Severity
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.systems import CHECK_SYSTEM, CONDITION_PREFIX, OPTIONAL_PART

if TYPE_CHECKING:
    from bot.knowledge import Entry

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
    if entry.system == "aadsts" and _is_identifier(entry.name) and entry.name != label:
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
    if entry.system == "aadsts" and _is_identifier(entry.name) and entry.name != entry.label:
        return f"{entry.label} {entry.name}"
    return entry.label


def _next_label(item: str) -> str:
    if item in _CHECK_LABELS:
        return _CHECK_LABELS[item]
    other = load_knowledge().get(item)
    if other is None:  # an entry from another data directory: its id is all we have, kept out of the text
        return "see the related entries (sso-bot explain)"
    name = short_label(other) if other.code is not None else other.name
    return f"see {name} (sso-bot explain {name!r})" if " " in name else f"see {name} (sso-bot explain {name})"


class _Missing(KeyError):
    """A template names a fact the check did not give."""


class _Facts(dict):
    def __missing__(self, key: str) -> str:
        raise _Missing(key)


def _fill(template: str, values: Mapping[str, str]) -> str | None:
    """``template`` with its ``{name}`` fields filled from ``values``; None when one of them is missing,
    outside a ``[[...]]`` part: such a part is left out when a fact it names is missing."""
    parts: list[str] = []
    start = 0
    for optional in OPTIONAL_PART.finditer(template):
        parts += [template[start:optional.start()], optional.group(1)]
        start = optional.end()
    parts.append(template[start:])
    filled = [_fill_part(part, values) for part in parts]
    if any(text is None for text in filled[0::2]):
        return None
    return "".join(text or "" for text in filled)


def _fill_part(template: str, values: Mapping[str, str]) -> str | None:
    try:
        return template.format_map(_Facts(values))
    except _Missing:
        return None


def check_finding(code: str, facts: Mapping[str, str] | None = None, *, severity: Severity | str | None = None,
                  values: Mapping[str, str] | None = None) -> Finding:
    """The finding a check emits: the knowledge entry ``code`` (its title, detail, fix steps and references,
    all in ``bot/knowledge/data/checks.toml``) filled with ``facts``, which the finding also shows, and
    ``values``, which only the text uses (a count, a list the title already names). A fact that is missing
    costs only its own text: the title falls back to the entry's name, the detail to its summary, and a
    fix step that needs it is left out, and so is a ``[[...]]`` part of a text. An empty fact counts as
    missing. A value named ``if_...`` is a condition: it places nothing, and only picks the ``[[...]]``
    parts that name it (``[[{if_login}a sign-in page]][[{if_other}an HTML page]]``), so a wording that
    depends on the case lives in the entry too. ``severity`` overrides the entry's (which has no "ok")."""
    entry = load_knowledge().get(code)
    if entry is None or entry.title is None:  # the data tests make this impossible in a shipped build
        raise LookupError(f"knowledge entry {code} is missing or has no title template")
    shown = dict(facts or {})
    filled = {name: value for name, value in {**(values or {}), **shown}.items() if value}  # "" says nothing
    filled.update({name: "" for name in filled if name.startswith(CONDITION_PREFIX)})  # chosen, never shown
    detail = "" if entry.detail is None else _fill(entry.detail, filled)
    steps = (_fill(step, filled) for step in entry.fix)
    return Finding(
        code=entry.id,
        severity=Severity(severity) if severity is not None else Severity(entry.severity),
        title=_fill(entry.title, filled) or entry.name,
        detail=entry.summary if detail is None else detail,
        fix=tuple(step for step in steps if step is not None),
        refs=tuple(entry.refs),
        facts=shown,
    )


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


def explain_by_name(text: str, *, kb: KnowledgeBase | None = None) -> Report | None:
    """The report for the entry named exactly ``text`` (case and spacing aside), for ``explain`` given a
    name an answer showed; None when no entry (other than a check's finding) has that name."""
    wanted = " ".join(text.split()).casefold()
    if not wanted or len(wanted) > 200:
        return None
    kb = kb or load_knowledge()
    for entry in kb.entries():
        if entry.system != CHECK_SYSTEM and entry.name.casefold() == wanted:
            return Report(subject="explain", findings=(finding_from_entry(entry),), inputs=("entry_name",))
    return None


__all__ = ["check_finding", "detail_for", "explain_by_name", "finding_from_entry", "short_label", "title_for"]
