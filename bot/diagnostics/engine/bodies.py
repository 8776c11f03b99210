"""Structured things pasted whole: SAML Responses, JSON bodies and log exports, URL query strings.

Each reader turns what it can check into findings and hands the free text inside (an
``error_description``, a log event's message) back to the engine for the text readers.
Specs: RFC 6749 §4.1.2.1 (OAuth errors come back URL-encoded on the redirect URI), RFC 7644 §3.12
(SCIM error bodies).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlsplit

from bot.diagnostics.engine.json_bodies import json_objects, read_objects
from bot.diagnostics.engine.candidates import (Candidate, Evidence, entry_confidence, evidence_of, from_finding,
                                               from_report)
from bot.diagnostics.report import Finding
from bot.diagnostics.engine.text import MAX_ITEMS
from bot.diagnostics.extract import find_urls
from bot.diagnostics.saml import check_saml_response, find_saml_responses
from bot.knowledge import KnowledgeBase
from bot.knowledge.systems import CODED_SYSTEMS

# A cheap cue before the SAML finder runs, besides the word "saml": a run of base64 long enough to be a
# message (a bare SAMLResponse value, deflated or in UTF-16, says "saml" nowhere). 40 characters: fewer
# than the lines of wrapped base64 (60, 64, 76), more than the GUIDs and hex ids most pastes hold (32-36).
_LONG_BASE64 = re.compile(r"[A-Za-z0-9+/%_\-]{40}")
# The same run, found where it starts (the paste's start, or after a character that is no part of one): tried
# only after those, rather than at every character of every run, as ``_LONG_BASE64.search`` does.
_LONG_BASE64_AFTER = re.compile(r"[^A-Za-z0-9+/%_\-][A-Za-z0-9+/%_\-]{40}")


def has_long_base64(text: str) -> bool:
    """Whether ``text`` holds a run of 40 base64 characters: ``_LONG_BASE64.search(text)``, faster."""
    return _LONG_BASE64.match(text) is not None or _LONG_BASE64_AFTER.search(text) is not None
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def read_saml(text: str, *, now: datetime) -> tuple[str, list[Candidate]]:
    """Check every SAML message in the paste (the POST binding's base64, the redirect binding's deflated
    query parameter, XML, in UTF-8 or UTF-16), then blank it out so its XML and URLs are not read twice.
    Returns the text left and the candidates."""
    if "saml" not in text.lower() and not has_long_base64(text):
        return text, []
    found: list[Candidate] = []
    for message in find_saml_responses(text)[:MAX_ITEMS]:
        report = check_saml_response(message, now=now)
        codes = [finding.code for finding in report.findings]
        kind = "saml_message" if "saml-not-a-response" in codes else "saml_response"
        position = text.find(message[:40])
        found += from_report(report, max(position, 0), kinds=(kind,))
        text = text.replace(message, "[saml message]")
    return text, found


def read_json(text: str, kb: KnowledgeBase) -> tuple[str, list[Candidate], list[str]]:
    """Read JSON bodies and log entries: their free-text parts for the text readers, the candidates, and
    the kinds of thing read."""
    texts: list[str] = []
    found: list[Candidate] = []
    kinds: list[str] = []
    for reading in read_objects(_json_values(text), kb):
        kinds.append(reading.kind)
        found += [_candidate(finding, kb) for finding in reading.findings]
        texts += [t for t in reading.texts if t]
    return "\n".join(texts), found, kinds


def _candidate(finding: Finding, kb: KnowledgeBase) -> Candidate:
    """A finding read from a JSON body rests on what its knowledge entry is: a code read from an ``error``
    or ``scimType`` field is a code; a log event we built ourselves is a check's finding."""
    entry = kb.get(finding.code)
    if entry is None or entry.system == "check":
        return from_finding(finding, 0)
    evidence = Evidence.CODE if entry.system in CODED_SYSTEMS else Evidence.MESSAGE
    evidence = evidence_of(entry, evidence)
    return Candidate(finding, evidence, 0, entry_confidence(entry, evidence), entry, kinds=())


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
        objects += json_objects(value)
        if candidate is stripped:
            break  # the whole paste was JSON: its lines are not separate documents
    return objects[:MAX_ITEMS * 10]


def decoded_queries(text: str) -> str:
    """The query and fragment parameters of URLs, percent-decoded (RFC 6749 §4.1.2.1 errors come back
    on the redirect URI as ``?error=...&error_description=AADSTS65001%3a+The+user...``)."""
    if "?" not in text and "#" not in text:
        return ""
    lines: list[str] = []
    for url in find_urls(text)[:MAX_ITEMS]:
        try:
            parts = urlsplit(url)
        except ValueError:  # a malformed host such as "[::_1]": that URL has no query worth reading
            continue
        for raw in (parts.query, parts.fragment):
            if not raw or "=" not in raw:
                continue
            if not (_PERCENT.search(raw) or "+" in raw or "error" in raw.lower()):
                continue
            for key, value in parse_qsl(raw, keep_blank_values=False)[:40]:
                lines.append(f"{key}: {value}")
    return "\n".join(lines)
