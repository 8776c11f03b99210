"""The one entry point: free text in, a Report out.

``diagnose(text)`` finds everything it can check in a paste (several things at
once: a log line with an AADSTS code and a URL gives two findings) and orders
the findings so the most likely cause comes first: failures before warnings,
then what an error code says before what a URL check or a phrase suggests,
then the order things appear in the paste. Anything it cannot place gets a
short menu of what it can check. It never raises.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Mapping

from bot.diagnostics import bodies
from bot.diagnostics.domains import check_domains
from bot.diagnostics.explain import finding_from_entry
from bot.diagnostics.extract import (find_bearer_tokens, find_emails, find_jwts, find_scim_urls, find_urls,
                                     looks_like_domain_list, unwrap_slack_links)
from bot.diagnostics.redirect import check_redirect, parse_redirect_pair
from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.scim_url import check_scim_url
from bot.diagnostics.token import check_token
from bot.knowledge import Entry, KnowledgeBase, load_knowledge

# Reading more than this gains nothing (a log excerpt fits many times over) and bounds the work.
MAX_INPUT_CHARS = 200_000
MAX_ITEMS = 20  # of one kind (codes, URLs, tokens) per paste

_AADSTS = re.compile(r"(?i)\bAADSTS(\d{4,8})\b")
_OKTA = re.compile(r"(?i)(?<![A-Za-z0-9])(E\d{7})\b")
_CAMEL = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z0-9]*){1,12}\b")
_OKTA_EVENT = re.compile(r"\b(?:application|app|user|system|policy|group|security)(?:\.[a-z_]{2,40}){2,6}\b")
_SCIM_TYPE = re.compile(r"(?i)\bscimType\W{0,4}([a-z]{4,20})\b")
_HTTP_CUE = re.compile(
    r"(?i)(?:\b(?:http|status|statuscode|status code|error|returned|returns|got|getting|response|responded with)"
    r"\W{0,12}([45]\d\d)\b)"
    r"|(?:\b([45]\d\d)\W{0,3}(?:unauthori[sz]ed|forbidden|not found|conflict|precondition|payload too large|"
    r"too many requests|internal server error|not implemented|bad gateway|service unavailable|bad request|error|"
    r"from|on|at|when|after|during|in)\b)"
)
_BARE_STATUS = re.compile(r"^\W*([45]\d\d)\W*$")
_SCIM_WORDS = re.compile(r"(?i)scim|provision|tenant url|secret token|bearer token|test connection|"
                         r"test api credentials|quarantin|/users\b|/groups\b")
_SSO_WORDS = re.compile(r"(?i)\blog ?in\b|sign[- ]?in|\bsso\b|redirect|callback|oidc|saml|after login")
_HTTP_STATUSES = {"400", "401", "403", "404", "409", "412", "413", "429", "500", "501", "502", "503"}

# Lower sorts first among findings of the same severity: what a code says outranks a guess from a phrase.
_RANK_CODE, _RANK_CHECK, _RANK_MESSAGE, _RANK_SYMPTOM = 0, 1, 2, 3


@dataclass
class _Found:
    finding: Finding
    rank: int
    position: int


class _Collector:
    """Findings and recognised kinds, deduplicated by finding code."""

    def __init__(self) -> None:
        self.found: list[_Found] = []
        self.kinds: list[str] = []
        self.codes: set[str] = set()
        self.secret_seen = False

    def kind(self, name: str) -> None:
        if name not in self.kinds:
            self.kinds.append(name)

    def add(self, finding: Finding, rank: int, position: int = 0) -> None:
        if finding.code in self.codes and finding.code.startswith(("aadsts-", "okta-", "oauth-", "http-", "scim-type",
                                                                    "entra-prov", "msg-", "symptom-")):
            return  # the same knowledge entry twice says nothing new
        self.codes.add(finding.code)
        self.found.append(_Found(finding, rank, position))

    def add_entry(self, entry: Entry, rank: int, position: int = 0, facts: Mapping[str, str] | None = None) -> None:
        self.add(finding_from_entry(entry, facts=facts), rank, position)

    def add_report(self, report: Report, rank: int, position: int = 0) -> None:
        self.secret_seen = self.secret_seen or report.secret_seen
        for finding in report.findings:
            self.add(finding, rank, position)

    def report(self) -> Report:
        ordered = sorted(self.found, key=lambda f: (-f.finding.severity.rank, f.rank, f.position))
        return Report(subject="diagnosis", findings=tuple(f.finding for f in ordered), inputs=tuple(self.kinds),
                      secret_seen=self.secret_seen)


def diagnose(text: Any, *, now: datetime | None = None, environments: Mapping[str, str] | None = None,
             expected_env: str | None = None, issued_at: date | datetime | None = None,
             kb: KnowledgeBase | None = None) -> Report:
    """Everything we can say about ``text``. ``now`` is the clock for token expiry (default: the real one)."""
    kb = load_knowledge() if kb is None else kb
    now = now or datetime.now(timezone.utc)
    out = _Collector()
    raw = _as_text(text)
    if len(raw) > MAX_INPUT_CHARS:
        out.add_entry(_engine_entry(kb, "engine-input-truncated"), _RANK_SYMPTOM, 0,
                      facts={"characters": str(len(raw)), "read": str(MAX_INPUT_CHARS)})
        raw = raw[:MAX_INPUT_CHARS]
    pasted = unwrap_slack_links(raw)
    scan = _read_tokens(pasted, out, now=now, issued_at=issued_at)
    extra = _read_json(scan, out, kb)
    _read_codes(scan + "\n" + extra, out, kb)
    _read_phrases(scan + "\n" + extra, out, kb)
    _read_urls(scan, out, environments, expected_env)
    _read_domains(scan, out)
    if not out.found:
        out.kind("unrecognised")
        out.add_entry(_engine_entry(kb, "engine-menu"), _RANK_SYMPTOM)
    return out.report()


def _as_text(text: Any) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray)):
        return bytes(text).decode("utf-8", errors="replace")
    return "" if text is None else str(text)


def _engine_entry(kb: KnowledgeBase, entry_id: str) -> Entry:
    entry = kb.get(entry_id)
    if entry is None:  # the data tests make this impossible in a shipped build
        raise LookupError(f"knowledge entry {entry_id} is missing")
    return entry


def _read_tokens(text: str, out: _Collector, *, now: datetime, issued_at: date | datetime | None) -> str:
    """Check every JWT and bearer token, then blank them out so no other reader sees (or echoes) them."""
    tokens = list(dict.fromkeys(find_jwts(text)[:MAX_ITEMS] + find_bearer_tokens(text)[:MAX_ITEMS]))
    for token in tokens:
        report = check_token(token, now=now, issued_at=issued_at)
        out.kind("jwt" if token.count(".") == 2 and token.startswith("eyJ") else "opaque_token")
        out.add_report(report, _RANK_CHECK, text.find(token))
    for token in sorted(tokens, key=len, reverse=True):
        text = text.replace(token, "[token]")
    return text


def _read_json(text: str, out: _Collector, kb: KnowledgeBase) -> str:
    """Read JSON bodies and log entries; returns their free-text parts for the text readers."""
    texts: list[str] = []
    for reading in bodies.read_objects(_json_values(text), kb):
        out.kind(reading.kind)
        for finding in reading.findings:
            out.add(finding, _RANK_CODE)
        texts += [t for t in reading.texts if t]
    return "\n".join(texts)


def _json_values(text: str) -> list[Mapping[str, Any]]:
    """JSON found in the paste: the whole text, one object per line (JSONL), or the outermost {...} block."""
    stripped = text.strip()
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
        except ValueError:
            continue
        objects += bodies.json_objects(value)
        if candidate is stripped or candidate == stripped:
            break  # the whole paste was JSON: its lines are not separate documents
    return objects[:MAX_ITEMS * 10]


def _read_codes(text: str, out: _Collector, kb: KnowledgeBase) -> None:
    for match in list(_AADSTS.finditer(text))[:MAX_ITEMS]:
        out.kind("aadsts_code")
        code = match.group(1)
        out.add_entry(kb.lookup_code("aadsts", code) or kb.unknown_aadsts(code), _RANK_CODE, match.start())
    for match in list(_OKTA.finditer(text))[:MAX_ITEMS]:
        out.kind("okta_code")
        code = match.group(1).upper()
        out.add_entry(kb.lookup_code("okta", code) or kb.unknown_okta(code), _RANK_CODE, match.start())
    _read_words(text, out, kb)
    _read_http(text, out, kb)


def _read_words(text: str, out: _Collector, kb: KnowledgeBase) -> None:
    """OAuth error values, Entra provisioning codes, SCIM scimType values and Okta event types named in text."""
    for match in list(_oauth_words(kb).finditer(text))[:MAX_ITEMS]:
        entry = kb.lookup_code("oauth", match.group(0))
        if entry:
            out.kind("oauth_error")
            out.add_entry(entry, _RANK_CODE, match.start())
    seen: set[str] = set()
    for match in _CAMEL.finditer(text):
        word = match.group(0)
        if word in seen or len(seen) > 200:
            continue
        seen.add(word)
        entry = kb.lookup_code("entra_provisioning", word)
        if entry:
            out.kind("entra_provisioning_code")
            out.add_entry(entry, _RANK_CODE, match.start(), facts={"errorCode": word})
    for match in list(_SCIM_TYPE.finditer(text))[:MAX_ITEMS]:
        entry = kb.lookup_code("scim_type", match.group(1))
        if entry:
            out.kind("scim_type")
            out.add_entry(entry, _RANK_CODE, match.start())
    for match in list(_OKTA_EVENT.finditer(text))[:MAX_ITEMS]:
        entry = kb.lookup_code("okta_event", match.group(0))
        if entry:
            out.kind("okta_event_type")
            out.add_entry(entry, _RANK_CODE, match.start())


_oauth_cache: dict[int, re.Pattern[str]] = {}


def _oauth_words(kb: KnowledgeBase) -> re.Pattern[str]:
    """A word-boundary pattern of every OAuth error value the knowledge base knows (built once per base)."""
    pattern = _oauth_cache.get(id(kb))
    if pattern is None:
        words = sorted({e.code for e in kb.entries() if e.system == "oauth" and e.code}, key=len, reverse=True)
        pattern = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(map(re.escape, words)) + r")(?![A-Za-z0-9_])",
                             re.IGNORECASE) if words else re.compile(r"(?!x)x")
        _oauth_cache[id(kb)] = pattern
    return pattern


def _read_http(text: str, out: _Collector, kb: KnowledgeBase) -> None:
    """HTTP statuses said with context ("401 from the SCIM endpoint", "502 after login", or a bare "401")."""
    context = "scim" if _SCIM_WORDS.search(text) else "sso" if _SSO_WORDS.search(text) else None
    bare = _BARE_STATUS.match(text.strip())
    matches = [(bare.group(1), 0)] if bare else [
        (m.group(1) or m.group(2), m.start()) for m in list(_HTTP_CUE.finditer(text))[:MAX_ITEMS]]
    for status, position in matches:
        if status not in _HTTP_STATUSES:
            continue
        entry = kb.lookup_code("http", status, context=context)
        if entry:
            out.kind("http_status")
            out.add_entry(entry, _RANK_CODE, position, facts={"status": status, **({"context": context} if context else {})})


def _read_phrases(text: str, out: _Collector, kb: KnowledgeBase) -> None:
    """Error messages without a code, and symptoms in words. A phrase that only restates a code
    already found (the reply-URL message beside AADSTS50011) adds nothing and is skipped."""
    for match in kb.match_text(text):
        entry = match.entry
        if any(related in out.codes for related in entry.related):
            continue
        is_symptom = entry.system == "symptom"
        out.kind("symptom" if is_symptom else "error_message")
        out.add_entry(entry, _RANK_SYMPTOM if is_symptom else _RANK_MESSAGE, match.start)


def _read_urls(text: str, out: _Collector, environments: Mapping[str, str] | None, expected_env: str | None) -> None:
    scim_urls = list(dict.fromkeys(find_scim_urls(text)))[:MAX_ITEMS]
    for url in scim_urls:
        out.kind("scim_url")
        out.add_report(check_scim_url(url, environments=environments, expected_env=expected_env), _RANK_CHECK,
                       text.find(url))
    others = [u for u in dict.fromkeys(find_urls(text)) if u not in scim_urls]
    if len(others) >= 2:
        pair = parse_redirect_pair(text)
        if pair is not None:
            out.kind("redirect_pair")
            out.add_report(check_redirect(*pair), _RANK_CHECK, text.find(pair[0]))


def _read_domains(text: str, out: _Collector) -> None:
    if out.found:
        return  # a code or URL paste may contain domain-shaped words; only a bare list is an allowlist
    emails = find_emails(text)
    entries = looks_like_domain_list(_without(text, emails))
    if entries:
        out.kind("domain_list")
        if emails:
            out.kind("email")
        out.add_report(check_domains(entries, email=emails[0] if emails else None), _RANK_CHECK)
    elif emails:
        out.kind("email")
        out.add_report(check_domains([], email=emails[0]), _RANK_CHECK)


def _without(text: str, parts: list[str]) -> str:
    for part in parts:
        text = text.replace(part, " ")
    return text
