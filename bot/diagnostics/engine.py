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

Specs cited by the readers: RFC 6749 §4.1.2.1/§5.2 (OAuth error responses,
also when they come back URL-encoded on the redirect URI), RFC 7644 §3.12
(SCIM error bodies), RFC 9110 §15 (HTTP status codes and reason phrases).
"""

from __future__ import annotations

import json
import logging
import re
import weakref
from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import islice
from typing import Any, Callable, Mapping
from urllib.parse import parse_qsl, urlsplit

try:  # Python 3.11+: the regex parser is private but stable; used only to read a pattern's literal prefix
    from re import _constants as _sre_constants
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover - older interpreters
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parser  # type: ignore[no-redef]

from bot.diagnostics import bodies
from bot.diagnostics.domains import check_domains
from bot.diagnostics.explain import finding_from_entry
from bot.diagnostics.extract import (find_bearer_tokens, find_emails, find_jwts, find_scim_urls, find_urls,
                                     looks_like_domain_list, unwrap_slack_links)
from bot.diagnostics.redirect import check_redirect, parse_redirect_pair
from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.saml import check_saml_response, find_saml_responses
from bot.diagnostics.scim_url import check_scim_url
from bot.diagnostics.text import as_text
from bot.diagnostics.token import check_token
from bot.knowledge import Entry, KnowledgeBase, load_knowledge

log = logging.getLogger(__name__)

# Reading more than this gains nothing (a log excerpt fits many times over) and bounds the work.
MAX_INPUT_CHARS = 200_000
MAX_ITEMS = 20  # of one kind (codes, URLs, tokens) per paste
# JSON is parsed from a longer prefix than the text scanners read: a SIEM export cut at MAX_INPUT_CHARS
# would no longer parse, and json.loads is linear and fast.
MAX_JSON_CHARS = 2_000_000

# Code and word patterns marked "lowered" run on the ASCII-lower-cased paste (see _lower): written in lower
# case and compiled without IGNORECASE, so the regex engine can jump to their literal prefixes.
_AADSTS = re.compile(r"aadsts(?<![a-z0-9_]aadsts)(\d{4,8})\b")  # lowered; the literal first, then the boundary
# Entra's sign-in log shows the code without its prefix ("Sign-in error code  50105"), and so do
# Log Analytics exports (ResultType) and Graph JSON pasted as text ("errorCode": 50105).
_BARE_AADSTS = re.compile(  # lowered
    r"\b(?:sign-?in error code|error ?code|result ?type|error_codes)[\s:=\"'\[]{0,24}(\d{5,7})\b")
# Okta API error codes are E0000001…E0000999; a longer E-number is an ETag, an id or a hash.
_OKTA = re.compile(r"(?<![a-z0-9])(e0000\d{3})\b")  # lowered
_CAMEL = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z0-9]*){1,12}\b")
_OKTA_EVENT = re.compile(r"\b(?:application|app|user|system|policy|group|security)(?:\.[a-z_]{2,40}){2,6}\b")
_SCIM_TYPE = re.compile(r"\bscimtype\W{0,4}([a-z]{4,20})\b")  # lowered
# An HTTP status is a 4xx/5xx number said with a cue: a word before it ("HTTP 401", "status=401", "returned
# 404", "failed with a 409") or a reason phrase or preposition after it ("401 Unauthorized", "502 after
# login"). The number is found first (a quick scan); the cues are checked in the few characters around it.
_STATUS_NUMBER = re.compile(r"(?<![0-9a-z_])([45]\d\d)(?![0-9a-z_])")  # lowered
_CUE_BEFORE = re.compile(  # lowered, on the text just before the number
    r"(?:\b(?:http|status|statuscode|status code|error|returned|returns|got|getting|response|responded with|"
    r"with(?: an?)?|fails? with|failed with)|->|=>)\W{0,12}$")
_CUE_AFTER = re.compile(  # lowered, on the text just after the number
    r"\W{0,3}(?:unauthori[sz]ed|forbidden|not found|conflict|precondition|payload too large|too many requests|"
    r"internal server error|not implemented|bad gateway|service unavailable|bad request|error|from|on|at|when|"
    r"after|during|in)\b")
_CUE_REACH = 32
# A reason phrase on its own ("Error while creating user x: Unauthorized.") as Okta and SCIM clients print it.
# Case-sensitive on purpose: the capitalised phrase is the status line's, the lower-case word is prose.
_REASON_PHRASE = re.compile(
    r"(?:^|(?<=: )|(?<=\())(Unauthori[sz]ed|Forbidden|Not Found|Conflict|Bad Request|Too Many Requests|"
    r"Internal Server Error|Bad Gateway|Service Unavailable)(?=[.;,:)]?(?:\s|$))", re.MULTILINE)
_REASON_STATUS = {"Unauthorized": "401", "Unauthorised": "401", "Forbidden": "403", "Not Found": "404",
                  "Conflict": "409", "Bad Request": "400", "Too Many Requests": "429",
                  "Internal Server Error": "500", "Bad Gateway": "502", "Service Unavailable": "503"}
_BARE_STATUS = re.compile(r"^\W*([45]\d\d)\W*$")
# The word lists below run on the ASCII-lower-cased paste (see _lower), so they are written in lower case
# and compiled without IGNORECASE, which lets the regex engine skip ahead on their literal prefixes.
_SCIM_WORDS = re.compile(r"scim|provision|tenant url|secret token|bearer token|test connection|"
                         r"test api credentials|quarantin|/users\b|/groups\b|remote server")
_SSO_WORDS = re.compile(r"\blog ?in\b|sign[- ]?in|\bsso\b|redirect|callback|oidc|saml|after login|oauth|"
                        r"openid|aadsts|/authorize\b|/token\b|token endpoint|client secret|invalid_client")
_HTTP_STATUSES = {"400", "401", "403", "404", "409", "412", "413", "429", "500", "501", "502", "503"}
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")

# Links that explain an error rather than take part in the sign-in; never one of a redirect pair.
_DOC_HOSTS = ("aka.ms", "learn.microsoft.com", "docs.microsoft.com", "developer.okta.com", "help.okta.com",
              "support.okta.com", "datatracker.ietf.org", "www.rfc-editor.org", "openid.net", "docs.oasis-open.org",
              "go.microsoft.com")
_PAIR_WORDS = re.compile(r"\b(?:registered|configured|expected|allowed|valid redirect|sends?|sent|actual|"
                         r"instead of|versus|vs)\b|!=|≠")

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
# A phrase related to one of these, when that entry was found, only restates it.
_RESTATED_PREFIXES = ("aadsts-", "entra-prov-", "scim-type-", "okta-event-")
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


class _Collector:
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
    out = _Collector()
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


def _context(lowered: str) -> str | None:
    """Which flow an HTTP status belongs to: provisioning ("scim") or sign-in ("sso")."""
    if _SCIM_WORDS.search(lowered):
        return "scim"
    if _SSO_WORDS.search(lowered):
        return "sso"
    return None


# A-Z to a-z, plus the four non-ASCII letters that IGNORECASE treats as an ASCII letter (İ and ı as i,
# the Kelvin sign as k, the long s as s), so a lower-case pattern finds here what it finds with
# IGNORECASE in the paste. One character for one: every offset stays where it was.
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)} | {0x130: "i", 0x131: "i", 0x212A: "k", 0x17F: "s"}


def _lower(text: str) -> str:
    """The paste with its letters folded to ASCII lower case where IGNORECASE would (see _ASCII_LOWER)."""
    return text.translate(_ASCII_LOWER)


# -- tokens ---------------------------------------------------------------------------------


_SECRET_CUES = ("secret", "token", "password", "assertion", "api_key", "apikey")
_NAMED_SECRET = re.compile(
    r"(?i)(?<![a-z0-9])(?:client_secret|secret|access_token|refresh_token|id_token|token|password|"
    r"client_assertion|api_?key)[\"']?\s*[:=]\s*[\"']?([^\s\"'&,;<>{}\[\]]{12,})")

# Every JWT starts with eyJ (base64url of '{"'); an opaque token is found only after one of these words
# (extract.find_bearer_tokens), so a paste without them is spared both searches.
_BEARER_CUES = ("bearer", "token", "authorization")


def _read_tokens(text: str, out: _Collector, *, now: datetime, issued_at: date | datetime | None) -> str:
    """Check every JWT and bearer token, then blank them out so no other reader sees (or echoes) them."""
    lowered = _lower(text)
    jwts = find_jwts(text)[:MAX_ITEMS] if "eyJ" in text else []
    bearer = find_bearer_tokens(text)[:MAX_ITEMS] if any(w in lowered for w in _BEARER_CUES) else []
    tokens = list(dict.fromkeys(jwts + bearer))
    out.secrets += tokens
    for token in tokens:
        report = check_token(token, now=now, issued_at=issued_at)
        out.kind("jwt" if token.count(".") == 2 and token.startswith("eyJ") else "opaque_token")
        out.add_report(report, text.find(token))
    # Secrets the token finders do not look for: a JSON value or form field named like a credential
    # ("client_secret": "...", "access_token": "...", password=...). Never checked, never shown.
    if any(w in lowered for w in _SECRET_CUES):
        hidden = [m.group(1) for m in islice(_NAMED_SECRET.finditer(text), MAX_ITEMS)
                  if m.group(1) not in tokens and m.group(1) != "[token]"]
        out.secrets += hidden
        tokens = tokens + hidden
    return _blank(tokens, text)


# Cheap cues before the SAML finder runs: the word, or base64 of "<samlp:Response" / "<?xml ".
_SAML_CUES = ("saml", "PHNhbWxwOlJlc3BvbnNl", "PHNhbWwycDpSZXNwb25zZ", "PD94bWwg")


def _read_saml(text: str, out: _Collector, *, now: datetime) -> str:
    """Check every SAML Response in the paste, then blank it out so its XML and URLs are not read twice."""
    if not any(cue in text for cue in _SAML_CUES) and "saml" not in text.lower():
        return text
    responses = find_saml_responses(text)[:MAX_ITEMS]
    for response in responses:
        out.kind("saml_response")
        position = text.find(response[:40])
        out.add_report(check_saml_response(response, now=now), max(position, 0))
        text = text.replace(response, "[saml response]")
    return text


def _hide_tail_tokens(whole: str, out: _Collector) -> str:
    """The longer JSON prefix of a cut paste, with every token in it blanked (and remembered for the scrub)."""
    text = whole[:MAX_JSON_CHARS]
    more = [t for t in dict.fromkeys(find_jwts(text) + find_bearer_tokens(text)) if t not in out.secrets]
    out.secrets += more
    return _blank(out.secrets, text)


def _blank(tokens: list[str], text: str) -> str:
    for token in sorted(tokens, key=len, reverse=True):
        text = text.replace(token, "[token]")
    return text


_SCRUB_WINDOW = 12
_SCRUB_STEP = _SCRUB_WINDOW // 2


def _scrub(findings: list[Finding], secrets: list[str]) -> list[Finding]:
    """Last line of defence: no 12-character run of a pasted token survives in any finding.

    Any 12-character run of a field holds a whole 6-character piece starting at a multiple of 6, so
    the field is first sampled at those offsets against the token's 6-grams; only near a hit are
    the 12-character windows compared. A field with no hit (nearly all) costs len/6 set look-ups.
    """
    windows = {s[i:i + _SCRUB_WINDOW] for s in secrets for i in range(len(s) - _SCRUB_WINDOW + 1)}
    if not windows:
        return findings
    pieces = {s[i:i + _SCRUB_STEP] for s in secrets if len(s) >= _SCRUB_WINDOW
              for i in range(len(s) - _SCRUB_STEP + 1)}

    def clean(value: str) -> str:
        if len(value) < _SCRUB_WINDOW:
            return value
        starts: set[int] = set()
        for j in range(0, len(value) - _SCRUB_STEP + 1, _SCRUB_STEP):
            if value[j:j + _SCRUB_STEP] in pieces:
                starts.update(i for i in range(max(0, j - _SCRUB_STEP + 1), j + 1)
                              if value[i:i + _SCRUB_WINDOW] in windows)
        if not starts:
            return value
        out: list[str] = []
        keep = 0
        for i in sorted(starts):
            if i > keep:
                out.append(value[keep:i])
            if not out or out[-1] != "[redacted]":
                out.append("[redacted]")
            keep = max(keep, i + _SCRUB_WINDOW)
        out.append(value[keep:])
        return "".join(out)

    cleaned: list[Finding] = []
    for f in findings:
        cleaned.append(Finding(code=f.code, severity=f.severity, title=clean(f.title), detail=clean(f.detail),
                               fix=tuple(clean(step) for step in f.fix), refs=tuple(clean(r) for r in f.refs),
                               facts={clean(k): clean(v) for k, v in f.facts.items()}))
    return cleaned


# -- structured bodies ----------------------------------------------------------------------


def _read_json(text: str, out: _Collector, kb: KnowledgeBase) -> str:
    """Read JSON bodies and log entries; returns their free-text parts for the text readers."""
    texts: list[str] = []
    for reading in bodies.read_objects(_json_values(text), kb):
        out.kind(reading.kind)
        for finding in reading.findings:
            out.add(finding, 0)
        texts += [t for t in reading.texts if t]
    return "\n".join(texts)


def _json_values(text: str) -> list[Mapping[str, Any]]:
    """JSON found in the paste: the whole text, one object per line (JSONL), or the outermost {...} block."""
    stripped = text.strip()
    if "{" not in stripped:
        return []
    candidates = [stripped]
    if "\n" in stripped:
        candidates += [line.strip() for line in stripped.splitlines()[:MAX_ITEMS * 10] if line.strip().startswith("{")]
    start, end = stripped.find("{"), stripped.rfind("}")
    if 0 < start < end:
        candidates.append(stripped[start:end + 1])
    objects: list[Mapping[str, Any]] = []
    for candidate in candidates:
        if not candidate.startswith(("{", "[")):
            continue
        try:
            value = json.loads(candidate)
        except (ValueError, RecursionError):
            continue
        objects += bodies.json_objects(value)
        if candidate is stripped:
            break  # the whole paste was JSON: its lines are not separate documents
    return objects[:MAX_ITEMS * 10]


def _decoded_queries(text: str) -> str:
    """The query and fragment parameters of URLs, percent-decoded (RFC 6749 §4.1.2.1 errors come back
    on the redirect URI as ``?error=...&error_description=AADSTS65001%3a+The+user...``)."""
    if "?" not in text and "#" not in text:
        return ""
    lines: list[str] = []
    for url in find_urls(text)[:MAX_ITEMS]:
        parts = urlsplit(url)
        for raw in (parts.query, parts.fragment):
            if not raw or "=" not in raw:
                continue
            if not (_PERCENT.search(raw) or "+" in raw or "error" in raw.lower()):
                continue
            for key, value in parse_qsl(raw, keep_blank_values=False)[:40]:
                lines.append(f"{key}: {value}")
    return "\n".join(lines)


# -- codes ----------------------------------------------------------------------------------


def _first_matches(rx: re.Pattern[str], text: str) -> list[re.Match[str]]:
    return list(islice(rx.finditer(text), MAX_ITEMS))


def _read_codes(text: str, lowered: str, out: _Collector, kb: KnowledgeBase, context: str | None) -> None:
    for match in _first_matches(_AADSTS, lowered):
        out.kind("aadsts_code")
        code = match.group(1)
        out.add_entry(kb.lookup_code("aadsts", code) or kb.unknown_aadsts(code), match.start())
    if "code" in lowered or "type" in lowered:
        for match in _first_matches(_BARE_AADSTS, lowered):
            entry = kb.lookup_code("aadsts", match.group(1))
            if entry is not None:  # only codes we know: "error code 12345" alone is too vague to call Entra's
                out.kind("aadsts_code")
                out.add_entry(entry, match.start())
    for match in _first_matches(_OKTA, lowered):
        out.kind("okta_code")
        code = match.group(1).upper()
        out.add_entry(kb.lookup_code("okta", code) or kb.unknown_okta(code), match.start())
    _read_words(text, lowered, out, kb)
    _read_http(text, lowered, out, kb, context)


def _read_words(text: str, lowered: str, out: _Collector, kb: KnowledgeBase) -> None:
    """OAuth error values, Entra provisioning codes, SCIM scimType values and Okta event types named in text.

    Each family is looked for only when one of its codes occurs in the lower-cased paste at all."""
    vocabulary = _vocabulary(kb)
    if any(word in lowered for word in vocabulary.oauth):
        for match in _first_matches(vocabulary.oauth_rx, lowered):
            entry = kb.lookup_code("oauth", match.group(0))
            if entry:
                out.kind("oauth_error")
                out.add_entry(entry, match.start())
    if any(code in lowered for code in vocabulary.provisioning):
        seen: set[str] = set()
        for match in _CAMEL.finditer(text):
            word = match.group(0)
            if word in seen:
                continue
            if len(seen) > 200:
                break
            seen.add(word)
            entry = kb.lookup_code("entra_provisioning", word)
            if entry:
                out.kind("entra_provisioning_code")
                out.add_entry(entry, match.start(), facts={"errorCode": word})
    if "scimtype" in lowered:
        for match in _first_matches(_SCIM_TYPE, lowered):
            entry = kb.lookup_code("scim_type", match.group(1))
            if entry:
                out.kind("scim_type")
                out.add_entry(entry, match.start())
    if any(code in lowered for code in vocabulary.events):
        for match in _first_matches(_OKTA_EVENT, text):
            entry = kb.lookup_code("okta_event", match.group(0))
            if entry:
                out.kind("okta_event_type")
                out.add_entry(entry, match.start())


@dataclass(frozen=True)
class _Vocabulary:
    """The code words of one knowledge base, lower-cased, for quick "is any of them here at all" tests."""

    oauth: tuple[str, ...]
    oauth_rx: re.Pattern[str]
    provisioning: tuple[str, ...]
    events: tuple[str, ...]


_vocabulary_cache: "weakref.WeakKeyDictionary[KnowledgeBase, _Vocabulary]" = weakref.WeakKeyDictionary()


def _vocabulary(kb: KnowledgeBase) -> _Vocabulary:
    cached = _vocabulary_cache.get(kb)
    if cached is not None:
        return cached

    def words(system: str) -> tuple[str, ...]:
        found = {w.lower() for e in kb.entries() if e.system == system for w in (e.code, *e.aliases) if w}
        return tuple(sorted(found, key=len, reverse=True))

    oauth = words("oauth")
    # A word-boundary pattern of every OAuth error value, run on the lower-cased paste.
    oauth_rx = re.compile(r"(?<![a-z0-9_])(?:" + "|".join(map(re.escape, oauth)) + r")(?![a-z0-9_])") \
        if oauth else re.compile(r"(?!x)x")
    cached = _Vocabulary(oauth=oauth, oauth_rx=oauth_rx, provisioning=words("entra_provisioning"),
                         events=words("okta_event"))
    _vocabulary_cache[kb] = cached
    return cached


def _cued_statuses(lowered: str) -> list[tuple[str, int]]:
    """(status, position) for each 4xx/5xx number with a cue around it, at most MAX_ITEMS."""
    found: list[tuple[str, int]] = []
    for match in _STATUS_NUMBER.finditer(lowered):
        start, end = match.span(1)
        before = lowered[max(0, start - _CUE_REACH):start]
        if _CUE_BEFORE.search(before) or _CUE_AFTER.match(lowered, end, end + _CUE_REACH):
            found.append((match.group(1), start))
            if len(found) >= MAX_ITEMS:
                break
    return found


def _read_http(text: str, lowered: str, out: _Collector, kb: KnowledgeBase, context: str | None) -> None:
    """HTTP statuses said with context ("401 from the SCIM endpoint", "502 after login", a bare "401"),
    and, in provisioning pastes, reason phrases on their own ("...: Unauthorized.")."""
    bare = _BARE_STATUS.match(text.strip()) if len(text) < 40 else None
    matches = [(bare.group(1), 0)] if bare else _cued_statuses(lowered)
    if context == "scim" and not bare:
        matches += [(_REASON_STATUS[m.group(1)], m.start()) for m in _first_matches(_REASON_PHRASE, text)]
    for status, position in matches:
        if status not in _HTTP_STATUSES:
            continue
        entry = kb.lookup_code("http", status, context=context)
        if entry:
            out.kind("http_status")
            out.add_entry(entry, position, facts={"status": status, **({"context": context} if context else {})})


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


class _Phrases:
    """Every pattern of a knowledge base, compiled for the lower-cased paste.

    ``KnowledgeBase.match_text`` searches with IGNORECASE, which keeps the regex engine from jumping
    to a pattern's literal prefix; a pattern written in lower case (they all are) finds the same
    matches, case-sensitively, in a copy of the text whose ASCII letters are lower-cased, several
    times faster. Patterns with other letters keep IGNORECASE and run on the text as pasted.
    The test suite checks that the results equal ``match_text``'s.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        # (entry, pattern, runs on the lower-cased text) per pattern; an entry with several patterns
        # reports its earliest match.
        self.patterns: list[tuple[Entry, re.Pattern[str], bool]] = []
        self.always: list[int] = []  # patterns with no literal prefix: searched every time
        by_prefix: dict[str, list[int]] = {}
        for entry in kb.entries():
            for pattern in entry.patterns:
                rx, on_lowered, prefixes = self._compile(pattern)
                index = len(self.patterns)
                self.patterns.append((entry, rx, on_lowered))
                if not prefixes:
                    self.always.append(index)
                for prefix in prefixes:
                    by_prefix.setdefault(prefix, []).append(index)
        self.by_prefix = {prefix: tuple(indexes) for prefix, indexes in sorted(by_prefix.items())}

    @staticmethod
    def _compile(pattern: str) -> tuple[re.Pattern[str], bool, tuple[str, ...]]:
        """(compiled pattern, whether it runs on the lower-cased text, literals every match starts with)."""
        letters = re.sub(r"\\.", "", pattern)  # escapes (\s, \W, \d ...) are not letters to fold
        if all(not ch.isalpha() or (ch.isascii() and ch.islower()) for ch in letters):
            return re.compile(pattern), True, _literal_prefixes(pattern)
        return re.compile(pattern, re.IGNORECASE), False, ()

    def matches(self, text: str, lowered: str) -> list[tuple[Entry, int]]:
        # Plain substring tests (one per distinct prefix) rule most patterns out before any regex runs.
        candidates = set(self.always)
        for prefix, indexes in self.by_prefix.items():
            if prefix in lowered:
                candidates.update(indexes)
        best: dict[str, tuple[int, Entry]] = {}
        for index in candidates:
            entry, rx, on_lowered = self.patterns[index]
            m = rx.search(lowered if on_lowered else text)
            if m is not None:
                known = best.get(entry.id)
                if known is None or m.start() < known[0]:
                    best[entry.id] = (m.start(), entry)
        found = sorted((start, entry_id, entry) for entry_id, (start, entry) in best.items())
        return [(entry, start) for start, _id, entry in found]


def _literal_prefixes(pattern: str) -> tuple[str, ...]:
    """Literals one of which every match starts with: ("reply url specified",) for a plain pattern,
    ("assertion", "response", "token") for one opening with (?:assertion|response|token). Empty when
    some way into the pattern starts with fewer than three fixed characters (then nothing is skipped)."""
    try:
        parsed = list(_sre_parser.parse(pattern))
    except re.error:
        return ()
    return tuple(_leading(parsed) or ())


def _leading(items: list[Any]) -> list[str] | None:
    chars: list[str] = []
    for op, value in items:
        if op is _sre_constants.LITERAL:
            chars.append(chr(value))
            continue
        if chars:
            break
        if op is _sre_constants.SUBPATTERN:
            return _leading(list(value[-1]))
        if op is _sre_constants.BRANCH:
            found: list[str] = []
            for branch in value[1]:
                sub = _leading(list(branch))
                if sub is None:
                    return None
                found += sub
            return found
        return None
    text = "".join(chars)
    return [text] if len(text) >= 3 else None


_phrases_cache: "weakref.WeakKeyDictionary[KnowledgeBase, _Phrases]" = weakref.WeakKeyDictionary()


def phrase_matches(kb: KnowledgeBase, text: str, lowered: str | None = None) -> list[tuple[Entry, int]]:
    """(entry, start) for every entry whose patterns occur in ``text``, in text order: what
    ``kb.match_text`` returns, computed faster."""
    phrases = _phrases_cache.get(kb)
    if phrases is None:
        phrases = _phrases_cache[kb] = _Phrases(kb)
    return phrases.matches(text, _lower(text) if lowered is None else lowered) if text else []


# -- phrases --------------------------------------------------------------------------------

_CODE_TEXT_SPAN = 600


def _code_spans(text: str, lowered: str) -> list[tuple[int, int]]:
    """Where an AADSTS or Okta code's own wording runs: the line that holds the code (an error page's
    message line, or a one-line JSON error body with its ``error`` and ``error_description``)."""
    spans: list[tuple[int, int]] = []
    for rx in (_AADSTS, _OKTA):
        for match in _first_matches(rx, lowered):
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            end = len(text) if end == -1 else end
            spans.append((max(start, match.start() - _CODE_TEXT_SPAN), min(end, match.end() + _CODE_TEXT_SPAN)))
    return spans


def _read_phrases(text: str, lowered: str, out: _Collector, kb: KnowledgeBase) -> None:
    """Error messages without a code, and symptoms in words.

    A phrase adds nothing when it only restates a code already found: either its entry is related to
    a found code entry (the reply-URL message beside AADSTS50011), or it sits inside the description
    that follows an AADSTS or Okta code on the same line ("AADSTS50012: ... an invalid signature")."""
    spans = _code_spans(text, lowered)
    vendor = _vendor(lowered)
    for entry, start in phrase_matches(kb, text, lowered):
        if (vendor == "entra" and entry.id.startswith("okta-msg-")) or \
                (vendor == "okta" and entry.id.startswith("msg-entra-")):
            continue  # the same words in the other vendor's product mean that vendor's message, not this one
        if any(related in out.codes for related in entry.related if related.startswith(_RESTATED_PREFIXES)):
            continue
        if any(low <= start < high for low, high in spans):
            continue
        is_symptom = entry.system == "symptom"
        out.kind("symptom" if is_symptom else "error_message")
        out.add_entry(entry, start)


_ENTRA_SIGNS = re.compile(r"\baadsts\d|\bentra\b|\bazure\b|microsoftonline|systemforcrossdomainidentitymanagement|"
                          r"enterprise app|admin credentials|graph\.microsoft\.com")
_OKTA_SIGNS = re.compile(r"okta|\be0000\d{3}\b|test api credentials|dashboard\s?(?:>|→|->)\s?tasks")


_ENTRA_CUES = ("aadsts", "entra", "azure", "microsoftonline", "systemforcrossdomain", "enterprise app",
               "admin credentials", "graph.microsoft")
_OKTA_CUES = ("okta", "e0000", "test api credentials", "tasks")


def _vendor(lowered: str) -> str | None:
    """"entra" or "okta" when the paste plainly comes from one of them (and shows no sign of the other)."""
    entra = any(cue in lowered for cue in _ENTRA_CUES) and _ENTRA_SIGNS.search(lowered) is not None
    okta = any(cue in lowered for cue in _OKTA_CUES) and _OKTA_SIGNS.search(lowered) is not None
    if entra != okta:
        return "entra" if entra else "okta"
    return None


# -- URLs -----------------------------------------------------------------------------------


def _is_doc_link(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if host in _DOC_HOSTS:
        return True
    return host == "login.microsoftonline.com" and parts.path.rstrip("/").lower() == "/error"


_WORD = re.compile(r"[^\W\d_]{2,}")


_PAIR_REACH = 400  # how far apart (and how far from their labels) the two URIs of a pair may sit


def _comparable(a: str, b: str, text: str, urls: list[str]) -> bool:
    """Two URLs worth comparing as a redirect pair: they sit close together and the paste says which is
    which ("registered X, app sends Y", "X vs Y", "received at X instead of Y"); or they share a host or
    a path (two spellings of one callback) and the paste is about signing in, or holds little besides
    the two URLs. Two links far apart in a log export, a SCIM resource or a token's claims are not."""
    first, second = text.find(a), text.find(b, text.find(a) + len(a))
    if first < 0 or second < 0:
        first, second = sorted((text.find(a), text.find(b)))
    if second - (first + len(a)) > _PAIR_REACH and len(text) > 2 * _PAIR_REACH:
        return False
    window = text[max(0, first - 120):second + len(b) + 60]
    if _PAIR_WORDS.search(_lower(window)):
        return True
    try:
        pa, pb = urlsplit(a), urlsplit(b)
        same = _host(pa.hostname) == _host(pb.hostname) or pa.path.rstrip("/").lower() == pb.path.rstrip("/").lower()
    except ValueError:
        return False
    if not same:
        return False
    if text.lstrip().startswith(("{", "[")):
        return False  # links inside a JSON document (SCIM $ref, token claims) are a pair only when labelled
    rest = _without(text, urls)
    if _SSO_WORDS.search(_lower(rest)):
        return True
    return len(_WORD.findall(rest)) <= 12


def _host(name: str | None) -> str:
    name = (name or "").lower()
    return name[4:] if name.startswith("www.") else name


# A SCIM request as an IdP or server log prints it: the base URL, a resource and usually a query
# ("GET .../scim/v2/Users?filter=userName+eq+..."). Its base URL is what the admin configured.
_SCIM_REQUEST = re.compile(r"(?i)^(.*?/scim(?:/[^/?#]*)?)/(?:users|groups|schemas|serviceproviderconfigs?|"
                           r"resourcetypes|bulk|me)(?:[/?#].*)?$")
_HTTP_METHOD_BEFORE = re.compile(r"(?:GET|POST|PUT|PATCH|DELETE|for|calling)\W{0,3}$", re.IGNORECASE)


def _scim_base(url: str, text: str) -> str:
    """The base URL to check: ``url`` itself, unless it is a logged request (a query string, or an HTTP
    method right before it), whose resource path and query the IdP added and the admin did not."""
    match = _SCIM_REQUEST.match(url)
    if match is None:
        return url
    at = text.find(url)
    logged = "?" in url or (at > 0 and _HTTP_METHOD_BEFORE.search(text[max(0, at - 12):at]) is not None)
    return match.group(1) if logged else url


def _read_urls(text: str, out: _Collector, environments: Mapping[str, str] | None, expected_env: str | None) -> None:
    if "/" not in text:
        return  # no URL of any kind (a SCIM URL pasted without its scheme still has slashes)
    scim_urls = list(dict.fromkeys(find_scim_urls(text)))[:MAX_ITEMS] if "/scim" in _lower(text) else []
    checked: set[str] = set()
    for url in scim_urls:
        base = _scim_base(url, text)
        if base in checked:
            continue
        checked.add(base)
        out.kind("scim_url")
        out.add_report(check_scim_url(base, environments=environments, expected_env=expected_env), text.find(url))
    if text.count("://") < 2:
        return
    urls = [u for u in dict.fromkeys(find_urls(text)) if u not in scim_urls][:MAX_ITEMS * 5]
    docs = [u for u in urls if _is_doc_link(u)]
    if len(urls) - len(docs) < 2:
        return
    pair_text = text
    for url in sorted(docs, key=len, reverse=True):
        pair_text = pair_text.replace(url, " ")
    pair = parse_redirect_pair(pair_text)
    if pair is None or not _comparable(pair[0], pair[1], pair_text, urls):
        return
    out.kind("redirect_pair")
    out.add_report(check_redirect(*pair), max(0, text.find(pair[0])))


# -- domains --------------------------------------------------------------------------------


_MAX_DOMAIN_LIST_CHARS = 40_000  # 500 entries (the list reader's own limit) of a long domain name each
_DOTTED = re.compile(r"\.[\w-]")


def _read_domains(text: str, out: _Collector) -> None:
    """A domain allowlist (every entry domain-shaped, after an optional label), or a lone email address."""
    if "." not in text or len(text) > _MAX_DOMAIN_LIST_CHARS:
        return
    last = re.split(r"[,;\s]+", text[-300:].strip())[-1] if text.strip() else ""
    if not _DOTTED.search(last):
        return  # every entry of a list, the last one too, has a dot followed by a label: this is prose
    emails = find_emails(text) if "@" in text else []
    entries = looks_like_domain_list(_without(text, emails))
    if entries:
        out.kind("domain_list")
        if emails:
            out.kind("email")
        out.add_report(check_domains(entries, email=emails[0] if emails else None))
    elif emails and not out.has_findings() and len(text.split()) <= 3:
        out.kind("email")  # "is jane@contoso.com covered?" with nothing else: say what we can about it
        out.add_report(check_domains([], email=emails[0]))


def _without(text: str, parts: list[str]) -> str:
    for part in parts:
        text = text.replace(part, " ")
    return text
