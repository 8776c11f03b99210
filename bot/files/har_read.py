"""Read a HAR capture entry by entry, keeping only what the sign-in story needs.

Most entries of a capture are scripts, images and API calls answered 2xx: ``bot.files.har_scan`` reads
their URL and status from the raw text and never builds them; the others are parsed on their own,
boiled down to a :class:`Step` (already redacted, see ``bot.files.redact``) and dropped. A file the quick
reading cannot vouch for (UTF-16, cut off, not plain JSON) is read with ijson's C backend instead, one
entry at a time. What is kept per entry is a few hundred bytes; at most :data:`MAX_STEPS` are kept.
HAR 1.2 (W3C draft, http://www.softwareishard.com/blog/har-12-spec/) names the fields read here.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any, Iterator
from urllib.parse import parse_qsl, urlsplit

import ijson

from bot.files.har_scan import Fallback, Sighting, scan
from bot.files.har_fields import as_int, clock_offset, form_fields, har_time, jwt_nonce_fp
from bot.files.redact import SecretBag, clean_params, clean_url, mask_opaque
from bot.redaction import fingerprint, redact_text

__all__ = ["Step", "CookieSet", "Capture", "read_har", "MAX_STEPS", "HarUnreadable"]

MAX_STEPS = 3000
MAX_SAML_KEPT = 5
_FLOW_PARAMS = frozenset({"client_id", "redirect_uri", "response_type", "code", "id_token", "access_token",
                          "error", "error_description", "samlresponse", "samlrequest", "relaystate", "wa",
                          "wresult", "state", "id_token_hint", "post_logout_redirect_uri"})
_FLOW_PATHS = ("/authorize", "/oauth2/", "/saml", "/sso", "/signin-oidc", "/callback", "/acs", "/login",
               "/adfs/", "/openid-connect/", "/auth/realms/", "/token", "/logout", "/sign-in", "/signin")
_KEPT_PARAMS = frozenset({"client_id", "redirect_uri", "response_type", "response_mode", "scope", "state", "nonce",
                          "error", "error_description", "error_uri", "error_codes", "prompt", "grant_type",
                          "code", "id_token", "access_token", "samlresponse", "samlrequest", "relaystate", "iss",
                          "login_hint", "domain_hint", "acr_values", "code_challenge_method"})


class HarUnreadable(ValueError):
    """The capture could not be read at all: ``reason`` is the file_checks.toml entry that says how, and what
    to send instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason, self.values, self.howto = reason, {}, ""


@dataclass(frozen=True)
class CookieSet:
    """A ``Set-Cookie`` as far as the checks need it: never its value."""

    name: str
    size: int
    secure: bool
    samesite: str
    domain: str
    partitioned: bool = False


@dataclass
class Step:
    """One request and its answer, redacted. ``params`` holds the query, fragment and form fields the
    sign-in checks read (credential values as hints, state and nonce as fingerprints)."""

    number: int
    started: datetime | None
    method: str
    url: str
    scheme: str
    host: str
    path: str
    status: int
    params: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)  # param -> "query" | "fragment" | "form"
    location: str = ""
    location_params: dict[str, str] = field(default_factory=dict)
    location_host: str = ""
    cookies_set: tuple[CookieSet, ...] = ()
    cookies_sent: int = 0
    state_fp: str = ""
    nonce_fp: str = ""
    id_token_nonce_fp: str = ""
    saml_response: str = field(default="", repr=False)  # raw, for the SAML checks only; never shown
    content_type: str = ""
    clock_offset: float | None = None
    error_text: str = ""
    body_error: str = ""  # "code: description" from a JSON error body of a failed answer, redacted
    flowish: bool = False


@dataclass
class Capture:
    """What the reader kept: the steps, each host's clock offsets, and counts of the rest."""

    steps: list[Step] = field(default_factory=list)
    entries: int = 0
    hosts: set[str] = field(default_factory=set)
    truncated: str = ""  # "cut" (the file stops in the middle) or "broken" (its JSON breaks), after ``entries``
    dropped: int = 0
    secrets: SecretBag = field(default_factory=SecretBag)


def read_har(stream: IO[bytes]) -> Capture:
    """Read the capture in ``stream`` (bytes, any byte-order mark already skipped): quickly, building only the
    entries that may belong to a sign-in (``bot.files.har_scan``), or, when the file is not plain well-formed
    UTF-8 JSON, entry by entry with the streaming parser."""
    start = _position(stream)
    if start is not None:
        capture = Capture()
        try:
            scan(stream, _wanted, lambda entry, seen: _count(capture, entry, seen))
            return capture
        except Fallback:
            stream.seek(start)
    return _read_streaming(stream)


def _position(stream: IO[bytes]) -> int | None:
    try:
        return stream.tell() if stream.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


def _wanted(seen: Sighting) -> bool:
    """Whether an entry must be built: unless the raw text shows an answered GET of an ordinary resource
    (the same test :func:`_take` makes first)."""
    if seen.url is None or seen.status is None or seen.posts:
        return True
    return not (200 <= seen.status < 300 and not _URL_MARKS.search(seen.url.lower()))


def _count(capture: Capture, entry: dict | None, seen: Sighting) -> None:
    capture.entries += 1
    if entry is None:
        capture.hosts.add(_host_of(str(seen.url).lower()))
    else:
        _take(entry, capture)


def _read_streaming(stream: IO[bytes]) -> Capture:
    capture = Capture()
    try:
        for entry in _entries(stream, capture):
            capture.entries += 1
            if isinstance(entry, dict):
                _take(entry, capture)
    except ijson.IncompleteJSONError as error:
        if capture.entries == 0:
            raise HarUnreadable("file-refused-har-cut") from error
        capture.truncated = "cut"
    except ijson.JSONError as error:
        if capture.entries == 0:
            raise HarUnreadable("file-refused-har-invalid") from error
        capture.truncated = "broken"
    return capture


def _entries(stream: IO[bytes], capture: Capture) -> Iterator[Any]:
    """Each element of ``log.entries``, parsed one at a time (ijson with the yajl2 C backend)."""
    return ijson.items(stream, "log.entries.item", use_float=True, buf_size=256 * 1024)


# Cheap signs, looked for in the lower-cased URL before anything is parsed, that a request may be part of
# a sign-in; most entries of a capture (scripts, images, API calls) have none and cost a few microseconds.
_URL_MARKS = re.compile(r"client_id=|redirect_uri=|code=|token=|error=|samlre|relaystate=|state=|wresult=|wa=wsignin"
                        r"|/authorize|/oauth|/saml|/sso|/signin|/sign-in|/callback|/acs|/login|/logout|/adfs/"
                        r"|/openid|/realms/|/token")


def _take(entry: dict, capture: Capture) -> None:
    request = entry.get("request") or {}
    response = entry.get("response") or {}
    url = str(request.get("url") or "")
    status = as_int(response.get("status"))
    lowered = url.lower()
    if 200 <= status < 300 and not request.get("postData") and not _URL_MARKS.search(lowered):
        capture.hosts.add(_host_of(lowered))
        return  # an answered GET of an ordinary resource: not part of the sign-in story, its cookies not read
    _collect_credentials(request, response, capture.secrets)
    try:
        parts = urlsplit(url)
    except ValueError:
        return
    host = (parts.hostname or "").lower()
    capture.hosts.add(host)
    response_headers = _headers(response.get("headers"))
    location = str(response.get("redirectURL") or response_headers.get("location") or "")
    query = _pairs_if_wanted(parts.query)
    fragment = _pairs_if_wanted(parts.fragment) if "=" in parts.fragment else []
    form = form_fields(request.get("postData"))
    names = {n.lower() for n, _ in query + fragment + form}
    location_names = _param_names(location)
    flowish = bool(names & _FLOW_PARAMS or location_names & _FLOW_PARAMS
                   or any(p in parts.path.lower() for p in _FLOW_PATHS))
    navigation = 300 <= status < 400 or status >= 400 or status == 0
    if not (flowish or navigation):
        return
    if len(capture.steps) >= MAX_STEPS:
        capture.dropped += 1
        return
    started = har_time(entry.get("startedDateTime"))
    step = _step(capture, capture.entries, started, request, response, response_headers, parts, host, status,
                 location, query, fragment, form, flowish)
    step.clock_offset = clock_offset(started, response_headers.get("date"))
    capture.steps.append(step)


_NAME = re.compile(r"(?:^|[&;])([^=&;]{1,40})=")


def _pairs_if_wanted(text: str) -> list[tuple[str, str]]:
    """The fields of a query or fragment, parsed only when one of them is a field the checks read: the
    names are found with one regular expression, so a tracking pixel's sixty fields cost next to nothing."""
    if not text or not any(name.lower() in _KEPT_PARAMS for name in _NAME.findall(text)):
        return []
    return parse_qsl(text, keep_blank_values=True)


def _host_of(lowered_url: str) -> str:
    rest = lowered_url.partition("://")[2]
    return rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]


def _step(capture, number, started, request, response, headers, parts, host, status, location, query, fragment,
          form, flowish) -> Step:
    bag = capture.secrets
    step = Step(number=number, started=started, method=str(request.get("method") or "GET").upper(),
                url=clean_url(str(request.get("url")), bag), scheme=parts.scheme.lower(), host=host,
                path=parts.path or "/", status=status, flowish=flowish)
    for where, pairs in (("query", query), ("fragment", fragment), ("form", form)):
        for name, value in pairs:
            key = name.lower()
            if key == "error_description":
                value = mask_opaque(value, bag)
            if key == "state" and value:
                step.state_fp = fingerprint(value)
            elif key == "nonce" and value:
                step.nonce_fp = fingerprint(value)
            elif key == "id_token" and value:
                step.id_token_nonce_fp = jwt_nonce_fp(value)
            elif key == "samlresponse" and value and not step.saml_response and _saml_kept(capture) < MAX_SAML_KEPT:
                step.saml_response = value
            if key in _KEPT_PARAMS and key not in step.params:
                step.params[key] = clean_params([(name, value)], bag)[0][1]
                step.where[key] = where
    if location:
        step.location = clean_url(location, bag)
        loc = urlsplit(location)
        step.location_host = (loc.hostname or host).lower()
        pairs = parse_qsl(loc.query, keep_blank_values=True)
        if "=" in loc.fragment:
            pairs += parse_qsl(loc.fragment, keep_blank_values=True)
        step.location_params = {k.lower(): (mask_opaque(v, bag) if k.lower() == "error_description" else v)
                                for k, v in clean_params(pairs, bag) if k.lower() in _KEPT_PARAMS}
        for name, value in pairs:
            if name.lower() == "state" and value:
                step.location_params["state_fp"] = fingerprint(value)
    step.cookies_set = tuple(_set_cookies(response, headers))
    step.cookies_sent = len(request.get("cookies") or ()) or _cookie_header_count(request.get("headers"))
    step.content_type = str(((response.get("content") or {}).get("mimeType")) or headers.get("content-type", ""))[:80]
    step.error_text = str(response.get("_error") or entry_error(response))[:120]
    if status >= 400:
        step.body_error = _body_error(response.get("content"))
    return step


_ERROR_KEYS = ("error", "code", "errorCode", "error_code", "errorSummary")
_DESCRIPTION_KEYS = ("error_description", "description", "message", "errorSummary", "detail")


def _body_error(content: Any) -> str:
    """``error: description`` from a small JSON error body (RFC 6749 §5.2, Okta's errorCode/errorSummary)."""
    if not isinstance(content, dict) or "json" not in str(content.get("mimeType") or "").lower():
        return ""
    text = content.get("text")
    if not isinstance(text, str) or not text or len(text) > 8192:
        return ""
    if content.get("encoding") == "base64":
        try:
            text = base64.b64decode(text).decode("utf-8", "replace")
        except ValueError:
            return ""
    try:
        body = json.loads(text)
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    code = next((str(body[k]) for k in _ERROR_KEYS if isinstance(body.get(k), (str, int))), "")
    words = next((str(body[k]) for k in _DESCRIPTION_KEYS if isinstance(body.get(k), str) and str(body[k]) != code), "")
    return mask_opaque(redact_text(f"{code}: {words}" if code and words else code or words))[:300]


def _collect_credentials(request: dict, response: dict, bag: SecretBag) -> None:
    """Every cookie value and Authorization credential of the entry, for the boundary only: they are never
    read for anything else, but a body or an error text elsewhere may echo them. HAR 1.2 lists the cookies
    apart (``request.cookies``, ``response.cookies``); the headers are read for them only when a tool left
    those lists empty."""
    sent, set_ = request.get("cookies"), response.get("cookies")
    for cookie in [*(sent or ()), *(set_ or ())]:
        if isinstance(cookie, dict):
            bag.add(str(cookie.get("value") or ""), ambient=True)
    _from_headers(request.get("headers"), bag, cookies=not sent)
    if not set_:
        _from_headers(response.get("headers"), bag, cookies=True)


def _from_headers(headers: Any, bag: SecretBag, *, cookies: bool) -> None:
    for item in headers or ():
        name = item.get("name") if isinstance(item, dict) else None
        if not name or name[0] not in "aAcCsSpP":  # authorization, cookie, set-cookie, proxy-authorization
            continue
        name = name.lower()
        if name in ("authorization", "proxy-authorization"):
            bag.add(str(item.get("value") or "").split(" ")[-1], ambient=True)
        elif cookies and name in ("cookie", "set-cookie"):
            for line in str(item.get("value") or "").split("\n"):
                for pair in (line.split(";") if name == "cookie" else line.split(";")[:1]):
                    bag.add(pair.partition("=")[2].strip().strip('"'), ambient=True)


def entry_error(response: dict) -> str:
    return str(response.get("statusText") or "") if as_int(response.get("status")) == 0 else ""


def _saml_kept(capture: Capture) -> int:
    return sum(1 for s in capture.steps if s.saml_response)


def _headers(raw: Any) -> dict[str, str]:
    """Response headers by lower-case name (the last one wins), cookies left out: they are read apart."""
    out: dict[str, str] = {}
    for item in raw or ():
        if isinstance(item, dict):
            name = str(item.get("name") or "").lower()
            if name and name not in ("set-cookie", "cookie", "authorization"):
                out[name] = str(item.get("value") or "")
    return out


def _set_cookies(response: dict, headers: dict) -> Iterator[CookieSet]:
    """Each ``Set-Cookie`` header of the answer (RFC 6265 §4.1), read for its size and attributes only."""
    seen = False
    for item in response.get("headers") or ():
        if isinstance(item, dict) and str(item.get("name") or "").lower() == "set-cookie":
            for line in str(item.get("value") or "").split("\n"):  # Firefox joins several with newlines
                if line.strip():
                    seen = True
                    yield _parse_set_cookie(line)
    if not seen:
        for cookie in response.get("cookies") or ():
            if isinstance(cookie, dict) and cookie.get("name"):
                size = len(str(cookie.get("name"))) + 1 + len(str(cookie.get("value") or ""))
                yield CookieSet(str(cookie["name"])[:64], size, bool(cookie.get("secure")),
                                str(cookie.get("sameSite") or "").lower(), str(cookie.get("domain") or "").lower())


def _parse_set_cookie(line: str) -> CookieSet:
    pair, *attributes = line.split(";")
    name = pair.split("=", 1)[0].strip()
    secure, samesite, domain, partitioned = False, "", "", False
    for attribute in attributes:
        key, _, value = attribute.strip().partition("=")
        key = key.strip().lower()
        if key == "secure":
            secure = True
        elif key == "samesite":
            samesite = value.strip().lower()
        elif key == "domain":
            domain = value.strip().lower()
        elif key == "partitioned":
            partitioned = True
    return CookieSet(name[:64], len(pair.strip()), secure, samesite, domain, partitioned)


def _cookie_header_count(raw: Any) -> int:
    for item in raw or ():
        if isinstance(item, dict) and str(item.get("name") or "").lower() == "cookie":
            return str(item.get("value") or "").count(";") + 1
    return 0


def _param_names(url: str) -> set[str]:
    if not url or ("?" not in url and "#" not in url):
        return set()
    rest = url.split("?", 1)[1] if "?" in url else url.split("#", 1)[1]
    return {name.lower() for name in _NAME.findall(rest.replace("#", "&"))}
