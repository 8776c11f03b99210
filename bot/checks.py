"""The one way to run a check: whatever asked for it, the report comes back sealed.

Slack's slash commands, modals and checklist buttons and the command line all call ``run_check``. It
runs the pure check (the engine for ``diagnose`` and ``explain``, the SCIM URL, redirect, domain and
token checks for the shortcuts) and passes the report through ``bot.redaction.seal`` together with the
text that was pasted, so what it returns may be rendered, logged, stored or shared. Nothing outside
this module and ``bot.diagnostics`` calls a check directly (``tests/contract/test_redaction_boundary``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable, Literal, Mapping

from bot.diagnostics.domains import check_domains
from bot.diagnostics.engine import diagnose
from bot.diagnostics.explain import explain_by_name
from bot.diagnostics.extract import find_emails
from bot.diagnostics.redirect import check_redirect_text
from bot.diagnostics.report import Report
from bot.diagnostics.scim import check_scim_url
from bot.diagnostics.text import as_text
from bot.diagnostics.token import check_token
from bot.knowledge import KnowledgeBase
from bot.redaction import SafeReport, seal

__all__ = ["CHECKS", "Check", "run_check", "EXPLAIN_CHARS"]

Check = Literal["diagnose", "explain", "scim", "redirect", "domains", "token"]
CHECKS: tuple[str, ...] = ("diagnose", "explain", "scim", "redirect", "domains", "token")
EXPLAIN_CHARS = 200  # a code and the words around it; the rest of a paste belongs to /sso diagnose


def run_check(check: Check | str, text: Any, *, now: datetime | None = None,
              environments: Mapping[str, str] | None = None, expected_env: str | None = None,
              issued_at: date | datetime | None = None, kb: KnowledgeBase | None = None) -> SafeReport:
    """Run ``check`` on what was pasted and seal the report (see the module docstring).

    ``now`` is the clock for token expiry; ``environments`` and ``expected_env`` feed the SCIM URL
    check; ``issued_at`` dates an opaque token. An unknown ``check`` is a ValueError.
    """
    runner = _RUNNERS.get(check)
    if runner is None:
        raise ValueError(f"unknown check {check!r}; expected one of {', '.join(CHECKS)}")
    pasted = as_text(text)
    context = _Context(now or datetime.now(timezone.utc), dict(environments or {}), expected_env, issued_at, kb)
    return seal(runner(pasted, context), pasted, whole=check == "token")


@dataclass(frozen=True)
class _Context:
    now: datetime
    environments: dict[str, str]
    expected_env: str | None
    issued_at: date | datetime | None
    kb: KnowledgeBase | None


def _diagnose(text: str, ctx: _Context) -> Report:
    return diagnose(text, now=ctx.now, environments=ctx.environments, expected_env=ctx.expected_env,
                    issued_at=ctx.issued_at, kb=ctx.kb)


def _explain(text: str, ctx: _Context) -> Report:
    """A code, or the name of an entry an answer refers to ("Redirect loop after sign-in")."""
    return explain_by_name(text, kb=ctx.kb) or _diagnose(text[:EXPLAIN_CHARS], ctx)


def _scim(text: str, ctx: _Context) -> Report:
    return check_scim_url(text.strip(), environments=ctx.environments, expected_env=ctx.expected_env, now=ctx.now)


def _redirect(text: str, ctx: _Context) -> Report:
    return check_redirect_text(text, now=ctx.now)


def _domains(text: str, ctx: _Context) -> Report:
    """The allowlist, and the first email address in the text as the user to test against it."""
    emails = find_emails(text)
    listed = text
    for email in emails:
        listed = listed.replace(email, " ")
    return check_domains(listed, email=emails[0] if emails else None, now=ctx.now)


def _token(text: str, ctx: _Context) -> Report:
    return check_token(text.strip(), now=ctx.now, issued_at=ctx.issued_at)


_RUNNERS: dict[str, Callable[[str, _Context], Report]] = {
    "diagnose": _diagnose, "explain": _explain, "scim": _scim, "redirect": _redirect, "domains": _domains,
    "token": _token,
}
