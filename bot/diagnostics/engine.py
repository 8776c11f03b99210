"""The one entry point: free text in, a Report out.

``diagnose(text)`` finds everything it can check in a paste (several things at
once: a log line with an AADSTS code and a URL gives two findings) and orders
the findings so the most likely cause comes first. It never raises: a reader
that fails on some odd input is logged and skipped, and anything the engine
cannot place gets a short menu of what it can check.

How the order is decided (``_Found.sort_key``):

1. Problems before notes. A failure is a problem; so is a warning that the IdP
   or the server printed (an error code, a known error message), because that
   is direct evidence. Warnings from our own checks and symptoms in words come
   next, then information, then what is fine.
2. Within problems, the more specific evidence first:
   error codes (AADSTS, Okta E0000…, Entra provisioning codes, SCIM scimType,
   Okta event types) → checks of a value the paste holds (token, SCIM URL,
   domain list) → error messages that name a cause → the exact difference
   between two redirect URIs → OAuth error values → HTTP statuses →
   "umbrella" messages that only say the app returned an error → symptoms.
3. Then the order things appear in the paste.

What is left out: the same knowledge entry twice; a message that only restates a code found beside
it (the reply-URL wording next to AADSTS50011, or any wording on the line that carries an AADSTS or
Okta code); one vendor's message in a paste that plainly comes from the other vendor; help links
(aka.ms, learn.microsoft.com ...) and unrelated links when looking for a redirect URI pair.

This module runs the readers in order and ranks what they find; the readers live beside it:
``engine_bodies`` (SAML Responses, JSON bodies and log exports, URL query strings),
``engine_secrets`` (tokens and secrets, and the final scrub), ``engine_codes`` (error codes, code
words, HTTP statuses), ``engine_phrases`` (error messages and symptoms in words), ``engine_links``
(SCIM URLs, redirect pairs, domain lists) and ``engine_text`` (what they share). Specs cited by the
readers: RFC 6749 §4.1.2.1/§5.2 (OAuth error responses, also when they come back URL-encoded on the
redirect URI), RFC 7644 §3.12 (SCIM error bodies), RFC 9110 §15 (HTTP status codes and reason phrases).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable, Mapping

from bot.diagnostics.engine_bodies import decoded_queries as _decoded_queries
from bot.diagnostics.engine_bodies import read_json as _read_json
from bot.diagnostics.engine_bodies import read_saml as _read_saml
from bot.diagnostics.engine_codes import flow_context as _context
from bot.diagnostics.engine_codes import read_codes as _read_codes
from bot.diagnostics.engine_links import read_domains as _read_domains
from bot.diagnostics.engine_links import read_urls as _read_urls
from bot.diagnostics.engine_phrases import literal_prefixes, phrase_matches
from bot.diagnostics.engine_phrases import read_phrases as _read_phrases
from bot.diagnostics.engine_secrets import hide_tail_tokens as _hide_tail_tokens
from bot.diagnostics.engine_secrets import read_tokens as _read_tokens
from bot.diagnostics.engine_secrets import scrub as _scrub
from bot.diagnostics.engine_text import MAX_ITEMS, MAX_JSON_CHARS
from bot.diagnostics.engine_text import lower as _lower
from bot.diagnostics.explain import finding_from_entry
from bot.diagnostics.extract import unwrap_slack_links
from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.text import as_text
from bot.knowledge import Entry, KnowledgeBase, load_knowledge

# Imported from here by the bot, the tests and the benchmark; the readers' own names stay in their modules.
__all__ = ["MAX_INPUT_CHARS", "MAX_ITEMS", "MAX_JSON_CHARS", "UMBRELLAS", "diagnose", "phrase_matches"]
_literal_prefixes = literal_prefixes  # the tests check it here, where it lived before the readers moved out

log = logging.getLogger(__name__)

# Reading more than this gains nothing (a log excerpt fits many times over) and bounds the work.
MAX_INPUT_CHARS = 200_000

# Tiers: lower sorts first among problems (see the module docstring).
(_TIER_CODE, _TIER_CHECK, _TIER_MESSAGE, _TIER_PAIR, _TIER_OAUTH, _TIER_HTTP, _TIER_UMBRELLA, _TIER_SYMPTOM,
 _TIER_ENGINE) = range(9)

# Entries that only say "the app (or the IdP) returned an error; the reason follows". They frame a
# paste well but are never its cause when a code, status or message in the same paste names one.
UMBRELLAS = frozenset({
    "okta-msg-automatic-provisioning-failed",
    "okta-msg-remote-server-error",
    "okta-msg-push-profile-failed",
    "okta-msg-test-api-credentials-failed",
    "okta-msg-tasks-retry",
    "msg-entra-provisioning-http-error",
    "msg-entra-test-connection-invalid-credentials",
    "msg-saml-status-responder",
    "entra-prov-quarantine",
    "entra-prov-SystemForCrossDomainIdentityManagementBadRequest",
    "entra-prov-SystemForCrossDomainIdentityManagementCredentialValidationUnavailable",
    "entra-prov-SystemForCrossDomainIdentityManagementCredentialValidationFailure",
    "okta-event-application_provision_user_push",
    "okta-event-application_provision_user_push_profile",
    "okta-event-application_provision_user_deactivate",
    "okta-event-application_provision_user_sync",
    "okta-event-application_provision_user_verify_exists",
    "okta-event-application_integration_general_failure",
    "okta-event-app_app_instance_provision_sync_job_failed",
    "okta-event-user_authentication_sso",
    "symptom-test-connection-fails",
    "log-event-failed",
})

# Findings we build for log events we have no notes on: a few say enough, however long the export.
_CAPPED = {"log-event-failed": 3, "log-event-succeeded": 1}

# Check findings that sum up the more precise ones beside them ("the URIs differ at character 48"
# next to "trailing slash only in the sent URI"): the precise one goes first.
_SUMMARIES = frozenset({"redirect-mismatch"})

# Knowledge-entry findings are deduplicated by code: the same entry twice says nothing new.
_KB_PREFIXES = ("aadsts-", "okta-", "oauth-", "http-", "scim-type", "entra-prov", "msg-", "symptom-", "scim-",
                "engine-")
_SCIM_CHECK_PREFIXES = ("scim-url-",)
_OKTA_ID = re.compile(r"^okta-[A-Z]\d{7}$")


def _tier(code: str) -> int:
    if code in UMBRELLAS:
        return _TIER_UMBRELLA
    if code.startswith(("aadsts-", "entra-prov-", "scim-type-", "okta-event-")) or _OKTA_ID.match(code):
        return _TIER_CODE
    if code.startswith(("token-", "domains-", "saml-") + _SCIM_CHECK_PREFIXES):
        return _TIER_CHECK
    if code.startswith(("msg-", "okta-msg-", "scim-")):
        return _TIER_MESSAGE
    if code.startswith("redirect-"):
        return _TIER_PAIR
    if code.startswith("oauth-"):
        return _TIER_OAUTH
    if code.startswith("http-"):
        return _TIER_HTTP
    if code.startswith("symptom-"):
        return _TIER_SYMPTOM
    if code.startswith("engine-"):
        return _TIER_ENGINE
    return _TIER_CHECK  # a check we do not know by name yet


def _bucket(finding: Finding, tier: int) -> int:
    severity = finding.severity
    if severity is Severity.FAIL:
        return 0
    if severity is Severity.WARN:
        return 0 if tier in (_TIER_CODE, _TIER_MESSAGE) else 1
    return 2 if severity is Severity.INFO else 3


@dataclass
class _Found:
    finding: Finding
    position: int
    order: int  # insertion order: a check's own order among its findings

    def sort_key(self) -> tuple[int, int, int, int, int]:
        code = self.finding.code
        tier = _tier(code)
        return (_bucket(self.finding, tier), tier, 1 if code in _SUMMARIES else 0, self.position, self.order)


class Collector:
    """Findings and recognised kinds, deduplicated by knowledge-entry code."""

    def __init__(self) -> None:
        self.found: list[_Found] = []
        self.kinds: list[str] = []
        self.codes: set[str] = set()
        self.secret_seen = False
        self.secrets: list[str] = []

    def kind(self, name: str) -> None:
        if name not in self.kinds:
            self.kinds.append(name)

    def add(self, finding: Finding, position: int = 0) -> None:
        code = finding.code
        if code in self.codes and code.startswith(_KB_PREFIXES) and not code.startswith(_SCIM_CHECK_PREFIXES):
            return
        cap = _CAPPED.get(code)
        if cap is not None:
            same = [f.finding for f in self.found if f.finding.code == code]
            if len(same) >= cap or any(f.title == finding.title for f in same):
                return
        self.codes.add(code)
        self.found.append(_Found(finding, position, len(self.found)))

    def add_entry(self, entry: Entry, position: int = 0, facts: Mapping[str, str] | None = None) -> None:
        self.add(_entry_finding(entry, facts), position)

    def add_report(self, report: Report, position: int = 0) -> None:
        self.secret_seen = self.secret_seen or report.secret_seen
        for finding in report.findings:
            self.add(finding, position)

    def has_findings(self) -> bool:
        """Whether anything besides the engine's own notes (the truncation notice) was found."""
        return any(not f.finding.code.startswith("engine-") for f in self.found)

    def report(self) -> Report:
        ordered = [f.finding for f in sorted(self.found, key=_Found.sort_key)]
        if self.secrets:
            ordered = _scrub(ordered, self.secrets)
        return Report(subject="diagnosis", findings=tuple(ordered), inputs=tuple(self.kinds),
                      secret_seen=self.secret_seen or bool(self.secrets))


def diagnose(text: Any, *, now: datetime | None = None, environments: Mapping[str, str] | None = None,
             expected_env: str | None = None, issued_at: date | datetime | None = None,
             kb: KnowledgeBase | None = None) -> Report:
    """Everything we can say about ``text``, most likely cause first.

    ``now`` is the clock for token expiry (default: the real one); ``environments`` and
    ``expected_env`` feed the SCIM URL check; ``issued_at`` dates an opaque token.
    """
    kb = load_knowledge() if kb is None else kb
    now = now or datetime.now(timezone.utc)
    out = Collector()
    whole = as_text(text)
    raw = whole
    if len(whole) > MAX_INPUT_CHARS:
        out.add_entry(_engine_entry(kb, "engine-input-truncated"), MAX_INPUT_CHARS,  # a side note: last
                      facts={"characters": str(len(whole)), "read": str(MAX_INPUT_CHARS)})
        raw = whole[:MAX_INPUT_CHARS]
    # SAML first: its XML must be read before Slack-link unwrapping rewrites <prefix:Element> tags.
    pasted = _guard("saml", lambda: _read_saml(raw, out, now=now), raw)
    pasted = _guard("links", lambda: unwrap_slack_links(pasted), pasted)
    scan = _guard("tokens", lambda: _read_tokens(pasted, out, now=now, issued_at=issued_at), pasted)
    json_text = scan if len(whole) <= MAX_INPUT_CHARS else _guard("tail", lambda: _hide_tail_tokens(whole, out), "")
    extra = _guard("json", lambda: _read_json(json_text, out, kb), "")
    decoded = _guard("query", lambda: _decoded_queries(scan), "")
    words = "\n".join(part for part in (scan, extra, decoded) if part)
    lowered = _lower(words)
    context = _context(lowered)
    _guard("codes", lambda: _read_codes(words, lowered, out, kb, context))
    _guard("phrases", lambda: _read_phrases(words, lowered, out, kb))
    _guard("urls", lambda: _read_urls(scan, out, environments, expected_env))
    _guard("domains", lambda: _read_domains(scan, out))
    if not out.has_findings():
        out.kind("unrecognised")
        out.add_entry(_engine_entry(kb, "engine-menu"), 0)
    return out.report()


def _guard(stage: str, work: Callable[[], Any], fallback: Any = None) -> Any:
    """Run one reader; a bug in it costs its findings, never the whole diagnosis."""
    try:
        return work()
    except Exception:  # logged with the traceback so tests and operators see it
        log.exception("diagnose: the %s reader failed; continuing without it", stage)
        return fallback


def _engine_entry(kb: KnowledgeBase, entry_id: str) -> Entry:
    entry = kb.get(entry_id)
    if entry is None:  # the data tests make this impossible in a shipped build
        raise LookupError(f"knowledge entry {entry_id} is missing")
    return entry


# -- knowledge look-ups, done once per knowledge base -----------------------------------------

_FINDING_CACHE: dict[int, tuple[Entry, Finding]] = {}
_FINDING_CACHE_MAX = 4096


def _entry_finding(entry: Entry, facts: Mapping[str, str] | None = None) -> Finding:
    """``finding_from_entry`` with the laid-out text of each entry kept: title and detail depend only on
    the entry, and building them is most of what a short paste costs."""
    hit = _FINDING_CACHE.get(id(entry))
    if hit is None or hit[0] is not entry:
        base = finding_from_entry(entry)
        if len(_FINDING_CACHE) >= _FINDING_CACHE_MAX:  # shallow entries for unknown codes are made per call
            _FINDING_CACHE.clear()
        _FINDING_CACHE[id(entry)] = (entry, base)  # the entry is kept alive with it, so its id stays unique
    else:
        base = hit[1]
    return Finding(code=base.code, severity=base.severity, title=base.title, detail=base.detail, fix=base.fix,
                   refs=base.refs, facts=dict(facts or {}))
