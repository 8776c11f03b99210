"""Error codes, code words and HTTP statuses named in a paste.

The most specific evidence a paste holds: an AADSTS, IdentityModel IDX, AD FS MSIS or Okta E0000 code
(the prefixed systems are declared in ``bot.knowledge.schema.PREFIXED_CODES``), an OAuth error value
(RFC 6749 §5.2), an Entra provisioning code, a SCIM ``scimType`` (RFC 7644 §3.12), an Okta event
type, and an HTTP status said with enough context to be one (RFC 9110 §15). Each is looked up in
the knowledge base; what it knows becomes a finding.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from bot.diagnostics.engine.candidates import Candidate, Evidence, Paste, from_entry
from bot.diagnostics.engine.quoted import quoted_facts
from bot.diagnostics.engine.text import MAX_ITEMS, first_matches
from bot.diagnostics.text import occurrences
from bot.knowledge import KnowledgeBase
from bot.knowledge.cues import Cues, CueSet
from bot.knowledge.systems import PREFIXED_CODES

# Code and word patterns marked "lowered" run on the ASCII-lower-cased paste (engine.text.lower): written in
# lower case and compiled without IGNORECASE, so the regex engine can jump to their literal prefixes.
# One pattern per prefixed system: the word, then its digits (lowered; the literal first, then the boundary).
_PREFIXED = {system: re.compile(rf"{word.lower()}(?<![a-z0-9_]{word.lower()})(\d{{{low},{high}}})\b")
             for system, (word, low, high) in PREFIXED_CODES.items()}
_AADSTS = _PREFIXED["aadsts"]
# Entra's sign-in log shows the code without its prefix ("Sign-in error code  50105"), and so do
# Log Analytics exports (ResultType) and Graph JSON pasted as text ("errorCode": 50105).
_BARE_AADSTS = re.compile(  # lowered
    r"\b(?:sign-?in error code|error ?code|result ?type|error_codes)[\s:=\"'\[]{0,24}(\d{5,7})\b")
# Okta API error codes are E0000001…E0000999; a longer E-number is an ETag, an id or a hash.
_OKTA = re.compile(r"(e0000(?<![a-z0-9]e0000)\d{3})\b")  # lowered; the literal first, then the boundary
_CAMEL = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z0-9]*){1,12}\b")
_OKTA_EVENT = re.compile(r"\b(?:application|app|user|system|policy|group|security)(?:\.[a-z_]{2,40}){2,6}\b")
_SCIM_TYPE = re.compile(r"\bscimtype\W{0,4}([a-z]{4,20})\b")  # lowered
# A scimType said to be absent ("a 409 without scimType uniqueness", "omits scimType") names the value the
# body lacks, not the one it carries: that is a finding of its own (scim-conflict-without-scimtype).
_SCIM_TYPE_ABSENT = re.compile(r"\b(?:no|without|missing|omits?|omitting|lacks?|lacking)\W{1,4}(?:(?:the|a)\W{1,3})?$")
# An HTTP status is a 4xx/5xx number said with a cue: a word before it ("HTTP 401", "status=401", "returned
# 404", "failed with a 409") or a reason phrase or preposition after it ("401 Unauthorized", "502 after
# login", Python requests' "401 Client Error", aiohttp's "403, message='Forbidden'"). The number is found
# first (a quick scan); the cues are checked in the few characters around it.
_STATUS_NUMBER = re.compile(r"([45](?<![0-9a-z_][45])\d\d)(?![0-9a-z_])")  # lowered; the digit, then the boundary
# A cue word may be followed by "code", "was", "is" or "of" ("response code 429", "status of http response was
# 429", "error code 401"): libraries word the same thing a few ways. OkHttp prints "code=401"; .NET's
# HttpClient logging "Received HTTP response headers after 153.2ms - 401".
_CUE_BEFORE = re.compile(  # lowered, on the text just before the number
    r"(?:\b(?:http|status|statuscode|status code|error|returned|returns|got|getting|response|responded with|"
    r"with(?: an?)?|fails? with|failed with)(?:\W{1,3}(?:code|was|is|of))?|\bcode=|\dms -|->|=>)\W{0,12}$")
_CUE_AFTER = re.compile(  # lowered, on the text just after the number
    r"\W{0,3}(?:unauthori[sz]ed|forbidden|not found|conflict|precondition|payload too large|too many requests|"
    r"internal server error|not implemented|bad gateway|service unavailable|gateway timeout|bad request|error|"
    r"client error|server error|message(?==)|from|on|at|when|after|during|in)\b")
_CUE_REACH = 32
# A number that is plainly something else, whatever the words around it: the milliseconds of a timestamp
# ("12:40:41.401"), a part of a bigger number or an address ("1,503", "10.0.0.404"), a port, or a count
# ("404 users", "503 ms").
_NOT_STATUS_BEFORE = re.compile(r"(?:\d[.:,]|\bport\W{0,3})$")  # lowered
_NOT_STATUS_AFTER = re.compile(  # lowered
    r"\s+(?:users?|groups?|accounts?|members?|objects?|records?|rows?|items?|entries|events?|requests|"
    r"times|ms|milliseconds|s|sec|seconds|minutes|hours|days|bytes|kb|mb)\b")
# An HTTP status by its name, after a status cue, as frameworks print their status enums: .NET's
# HttpStatusCode ("StatusCode: Unauthorized", "Response Status Code: InternalServerError", "HttpStatusCode.
# Forbidden"), Java's HttpStatus ("status=TOO_MANY_REQUESTS") and Python's http.HTTPStatus ("HTTPStatus.
# NOT_FOUND"). The name is written as one word, in words, or with underscores; lowered, spaces and
# underscores dropped, it is a key of _STATUS_NAMES.
_STATUS_NAMES = {"badrequest": "400", "unauthorized": "401", "unauthorised": "401", "forbidden": "403",
                 "notfound": "404", "conflict": "409", "preconditionfailed": "412", "requestentitytoolarge": "413",
                 "payloadtoolarge": "413", "contenttoolarge": "413", "toomanyrequests": "429",
                 "internalservererror": "500", "notimplemented": "501", "badgateway": "502",
                 "serviceunavailable": "503", "gatewaytimeout": "504"}
_NAME_WORDS = "|".join((
    r"bad[ _]?request", r"unauthori[sz]ed", r"forbidden", r"not[ _]?found", r"conflict", r"precondition[ _]?failed",
    r"(?:request[ _]?entity|payload|content)[ _]?too[ _]?large", r"too[ _]?many[ _]?requests",
    r"internal[ _]?server[ _]?error", r"not[ _]?implemented", r"bad[ _]?gateway", r"service[ _]?unavailable",
    r"gateway[ _]?timeout"))
_STATUS_NAME = re.compile(  # lowered
    r"(?<![a-z])(?:http)?status(?:[ _]?code)?(?:\s*[:=]\s*[\"'`]?|\.)(" + _NAME_WORDS + r")(?![a-z_])")
# A reason phrase on its own ("Error while creating user x: Unauthorized.") as Okta and SCIM clients print it.
# Case-sensitive on purpose: the capitalised phrase is the status line's, the lower-case word is prose.
_REASON_PHRASE = re.compile(
    r"(?:^|(?<=: )|(?<=\())(Unauthori[sz]ed|Forbidden|Not Found|Conflict|Bad Request|Too Many Requests|"
    r"Internal Server Error|Bad Gateway|Service Unavailable)(?=[.;,:)]?(?:\s|$))", re.MULTILINE)
_REASON_STATUS = {"Unauthorized": "401", "Unauthorised": "401", "Forbidden": "403", "Not Found": "404",
                  "Conflict": "409", "Bad Request": "400", "Too Many Requests": "429",
                  "Internal Server Error": "500", "Bad Gateway": "502", "Service Unavailable": "503"}
_BARE_STATUS = re.compile(r"^\W*([45]\d\d)\W*$")
# The word lists below run on the ASCII-lower-cased paste (engine.text.lower), so they are written in lower
# case and compiled without IGNORECASE, which lets the regex engine skip ahead on their literal prefixes.
SSO_WORDS = re.compile(r"\blog ?in\b|sign[- ]?in|\bsso\b|redirect|callback|oidc|saml|after login|oauth|"
                       r"openid|aadsts|/authorize\b|/token\b|token endpoint|client secret|invalid_client")
# The same words (and provisioning's) as cue sets, found in one pass (bot.knowledge.cues).
_FLOW_WORDS = Cues({
    "scim": CueSet(anywhere=("scim", "provision", "tenant url", "secret token", "bearer token", "test connection",
                             "test api credentials", "quarantin", "remote server"),
                   patterns=(r"/users\b", r"/groups\b")),
    "sso": CueSet(anywhere=("sign-in", "sign in", "signin", "redirect", "callback", "oidc", "saml", "oauth", "openid",
                            "aadsts", "token endpoint", "client secret", "invalid_client"),
                  words=("login", "log in", "sso"), patterns=(r"/authorize\b", r"/token\b")),
})
# Where the patterns that open with ``\b`` or a look-behind can start (the words every match opens with,
# "http" four characters before "status"): they are tried only there (``text.first_matches``).
_STARTS: dict[re.Pattern[str], Callable[[str], Iterable[int]]] = {
    _BARE_AADSTS: lambda lowered: occurrences(lowered, ("sign", "error", "result")),
    _SCIM_TYPE: lambda lowered: occurrences(lowered, ("scimtype",)),
    _OKTA_EVENT: lambda text: occurrences(text, ("app", "user", "system", "policy", "group", "security")),
    _STATUS_NAME: lambda lowered: (s for at in occurrences(lowered, ("status",)) for s in (at, at - 4) if s >= 0),
    _REASON_PHRASE: lambda text: occurrences(text, _REASON_STATUS),
}


def _first(rx: re.Pattern[str], text: str) -> list[re.Match[str]]:
    return first_matches(rx, text, _STARTS[rx](text))


_HTTP_STATUSES = {"400", "401", "403", "404", "409", "412", "413", "429", "500", "501", "502", "503", "504"}


FLOW_LITERALS = _FLOW_WORDS.literals


def flow_context(lowered: str, first: Mapping[str, int] | None = None) -> str | None:
    """Which flow an HTTP status belongs to: provisioning ("scim") or sign-in ("sso"). ``first``: where the
    flow words first occur (``FLOW_LITERALS``), when the caller has scanned for them already."""
    flows = _FLOW_WORDS.found(lowered, first)
    if "scim" in flows:
        return "scim"
    return "sso" if "sso" in flows else None


_CODE_TEXT_SPAN = 600


def code_spans(text: str, lowered: str) -> list[tuple[int, int]]:
    """Where an AADSTS or Okta code's own wording runs: the line that holds the code (an error page's
    message line, or a one-line JSON error body with its ``error`` and ``error_description``)."""
    spans: list[tuple[int, int]] = []
    for rx in (_AADSTS, _OKTA):
        for match in first_matches(rx, lowered):
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            end = len(text) if end == -1 else end
            spans.append((max(start, match.start() - _CODE_TEXT_SPAN), min(end, match.end() + _CODE_TEXT_SPAN)))
    return spans


def read_codes(paste: Paste) -> list[Candidate]:
    """Prefixed codes (AADSTS, IDX, MSIS) and Okta codes, then the code words and HTTP statuses."""
    text, lowered, kb = paste.words, paste.lowered, paste.kb
    found: list[Candidate] = []
    for system, rx in _PREFIXED.items():
        if PREFIXED_CODES[system][0].lower() not in lowered:
            continue
        for match in first_matches(rx, lowered):
            code = match.group(1)
            entry = kb.lookup_code(system, code)
            found.append(from_entry(entry or kb.unknown_code(system, code), Evidence.CODE, match.start(),
                                    known=entry is not None, facts=quoted_facts(text, match.start()) or None))
    if "code" in lowered or "type" in lowered:
        for match in _first(_BARE_AADSTS, lowered):
            entry = kb.lookup_code("aadsts", match.group(1))
            if entry is not None:  # only codes we know: "error code 12345" alone is too vague to call Entra's
                found.append(from_entry(entry, Evidence.CODE, match.start()))
    for match in first_matches(_OKTA, lowered) if "e0000" in lowered else ():
        code = match.group(1).upper()
        entry = kb.lookup_code("okta", code)
        found.append(from_entry(entry or kb.unknown_okta(code), Evidence.CODE, match.start(), known=entry is not None))
    found += _read_words(text, lowered, kb, paste.first)
    found += _read_http(text, lowered, kb, paste.context)
    return found


# -- code words -----------------------------------------------------------------------------


def _read_words(text: str, lowered: str, kb: KnowledgeBase, first: Mapping[str, int] | None = None) -> list[Candidate]:
    """OAuth error values, Entra provisioning codes, SCIM scimType values and Okta event types named in text.

    Each family is looked for only when one of its codes occurs in the lower-cased paste at all."""
    vocabulary = _vocabulary(kb)
    families = vocabulary.cues.found(lowered, first)
    found: list[Candidate] = []
    if "oauth" in families:
        found += _read_oauth_errors(lowered, kb, vocabulary.oauth_rx, vocabulary.oauth)
    if "provisioning" in families:
        found += _read_provisioning_codes(text, kb)
    if "scimtype" in lowered:
        found += _read_scim_types(lowered, kb)
    if "events" in families:
        found += _read_okta_events(text, kb)
    return found


def _read_oauth_errors(lowered: str, kb: KnowledgeBase, oauth_rx: re.Pattern[str], words: tuple[str, ...]
                       ) -> list[Candidate]:
    found = []
    for match in first_matches(oauth_rx, lowered, occurrences(lowered, words)):
        entry = kb.lookup_code("oauth", match.group(0))
        if entry:
            found.append(from_entry(entry, Evidence.OAUTH, match.start()))
    return found


def _read_provisioning_codes(text: str, kb: KnowledgeBase) -> list[Candidate]:
    """Entra provisioning codes are CamelCase words; each distinct word is looked up once, 200 at most."""
    seen: set[str] = set()
    found = []
    for match in _CAMEL.finditer(text):
        word = match.group(0)
        if word in seen:
            continue
        if len(seen) > 200:
            break
        seen.add(word)
        entry = kb.lookup_code("entra_provisioning", word)
        if entry:
            found.append(from_entry(entry, Evidence.CODE, match.start(), facts={"errorCode": word}))
    return found


def _read_scim_types(lowered: str, kb: KnowledgeBase) -> list[Candidate]:
    found = []
    for match in _first(_SCIM_TYPE, lowered):
        if _SCIM_TYPE_ABSENT.search(lowered, max(0, match.start() - 24), match.start()):
            continue
        entry = kb.lookup_code("scim_type", match.group(1))
        if entry:
            found.append(from_entry(entry, Evidence.CODE, match.start()))
    return found


def _read_okta_events(text: str, kb: KnowledgeBase) -> list[Candidate]:
    found = []
    for match in _first(_OKTA_EVENT, text):
        entry = kb.lookup_code("okta_event", match.group(0))
        if entry:
            found.append(from_entry(entry, Evidence.CODE, match.start()))
    return found


@dataclass(frozen=True)
class _Vocabulary:
    """The code words of one knowledge base, lower-cased, for quick "is any of them here at all" tests."""

    oauth: tuple[str, ...]
    oauth_rx: re.Pattern[str]
    provisioning: tuple[str, ...]
    events: tuple[str, ...]
    cues: Cues  # "oauth", "provisioning", "events": whether any word of the family occurs


_vocabulary_cache: "weakref.WeakKeyDictionary[KnowledgeBase, _Vocabulary]" = weakref.WeakKeyDictionary()


def vocabulary_literals(kb: KnowledgeBase) -> frozenset[str]:
    """The literal text the code-word families are recognised by (for one scan of the paste)."""
    return _vocabulary(kb).cues.literals


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
    provisioning, events = words("entra_provisioning"), words("okta_event")
    cues = Cues({"oauth": CueSet(anywhere=oauth), "provisioning": CueSet(anywhere=provisioning),
                 "events": CueSet(anywhere=events)})
    cached = _Vocabulary(oauth=oauth, oauth_rx=oauth_rx, provisioning=provisioning, events=events, cues=cues)
    _vocabulary_cache[kb] = cached
    return cached


# -- HTTP statuses --------------------------------------------------------------------------


def _cued_statuses(lowered: str) -> list[tuple[str, int]]:
    """(status, position) for each 4xx/5xx number with a cue around it that is not plainly something else,
    at most MAX_ITEMS, then for each status named by its enum name after a status cue ("StatusCode: Forbidden")."""
    found: list[tuple[str, int]] = []
    for match in _STATUS_NUMBER.finditer(lowered):
        start, end = match.span(1)
        before = lowered[max(0, start - _CUE_REACH):start]
        if _NOT_STATUS_BEFORE.search(before) or _NOT_STATUS_AFTER.match(lowered, end, end + _CUE_REACH):
            continue
        if _CUE_BEFORE.search(before) or _CUE_AFTER.match(lowered, end, end + _CUE_REACH):
            found.append((match.group(1), start))
            if len(found) >= MAX_ITEMS:
                break
    if "status" in lowered:
        for match in _first(_STATUS_NAME, lowered):
            name = match.group(1).replace(" ", "").replace("_", "")
            found.append((_STATUS_NAMES[name], match.start(1)))
    return found


def _read_http(text: str, lowered: str, kb: KnowledgeBase, context: str | None) -> list[Candidate]:
    """HTTP statuses said with context ("401 from the SCIM endpoint", "502 after login", a bare "401"),
    and, in provisioning pastes, reason phrases on their own ("...: Unauthorized.")."""
    bare = _BARE_STATUS.match(text.strip()) if len(text) < 40 else None
    matches = [(bare.group(1), 0)] if bare else _cued_statuses(lowered)
    if context == "scim" and not bare and any(phrase in text for phrase in _REASON_STATUS):
        matches += [(_REASON_STATUS[m.group(1)], m.start())
                    for m in _first(_REASON_PHRASE, text)]
    found = []
    for status, position in matches:
        if status not in _HTTP_STATUSES:
            continue
        entry = kb.lookup_code("http", status, context=context)
        if entry:
            facts = {"status": status, **({"context": context} if context else {})}
            found.append(from_entry(entry, Evidence.HTTP, position, facts=facts))
    return found
