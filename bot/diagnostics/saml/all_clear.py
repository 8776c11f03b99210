"""The all-clear for a Response no check objected to: what was read and what was checked.

It goes first in the report and repeats the summary the checks noted (issuer, audience, NameID
format, signing, validity window), and says plainly that the signature itself was not verified.
"""

from __future__ import annotations

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Severity
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import clip, present
from bot.diagnostics.saml.times import fmt


def add_all_clear(reading: Reading) -> None:
    if any(f.severity in (Severity.WARN, Severity.FAIL) for f in reading.findings):
        return
    facts = dict(reading.summary)
    facts.setdefault("issuer", clip(reading.response_issuer))
    facts["checked_at"] = fmt(reading.now)
    reading.findings.insert(0, check_finding(
        "saml-ok", present(facts), severity=Severity.OK,
        values=_what_was_checked(facts, encrypted=reading.assertion is None),
    ))


def _what_was_checked(facts: dict[str, str], *, encrypted: bool) -> dict[str, str]:
    """What the entry's text places. Which issuer is given picks its wording: the envelope of an encrypted
    assertion, or the assertion read, with or without a validity window."""
    issuer = facts.get("issuer") or "(none)"
    if encrypted:
        return {"encrypted_issuer": issuer}
    shown = {"audience_shown": facts.get("audience") or "(none)",
             "format_shown": facts.get("nameid_format") or "(none)", "signed_shown": facts.get("signed") or "no"}
    if "not_before" in facts or "not_on_or_after" in facts:
        return {**shown, "issuer_with_window": issuer, "valid_from": facts.get("not_before", "(no start)"),
                "valid_until": facts.get("not_on_or_after", "(no end)")}
    return {**shown, "issuer_without_window": issuer}
