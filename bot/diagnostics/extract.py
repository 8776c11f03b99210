"""Finders that pull candidate values out of pasted text, for the classifier.

Each finder takes whatever the user pasted and returns the pieces that look
like one kind of thing (URLs, SCIM base URLs, JWTs, opaque bearer tokens,
email addresses, a list of domains). They never raise: anything that is not a
string is turned into one first, and an internal failure yields "nothing found".

Every regular expression here runs in linear time on its input. Each pattern
either starts at the beginning of a character run (a negative look-behind
rejects starts inside a run), or uses character classes that cannot overlap
with the separator that follows them, so a 100 KB paste of repeated
characters costs a handful of passes over the text and no more.

The patterns that open with a look-behind are tried only where they can start (``text.matches_at``:
the same matches as ``finditer``, without trying every character): at a JWT's ``eyJ``, a bearer
token's cue word, the run of scheme characters before a URL's ``://``, the run of address characters
before an ``@``.

Shapes follow the specs: URLs per RFC 3986 (a scheme, ``://`` and an
authority), JWTs per RFC 7519 §3 / RFC 7515 §7.1 (three base64url parts
joined by dots), bearer tokens per RFC 6750 §2.1 (the ``b64token`` alphabet).
"""

from __future__ import annotations

import re
from typing import Any, Iterator
from bot.diagnostics.text import as_text as _text
from bot.diagnostics.text import fold, matches_at, occurrences, run_starts

__all__ = [
    "unwrap_slack_links",
    "find_bearer_tokens",
    "find_emails",
    "find_jwts",
    "find_scim_urls",
    "find_urls",
    "looks_like_domain_list",
]

# A scheme (RFC 3986 §3.1, capped at 32 characters so a start costs a bounded
# amount), then "://", then anything up to whitespace or a character that
# cannot be part of a pasted URL (quotes, angle brackets, the "|" Slack puts
# between a link and its label, a backslash).
_URL_RE = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{0,31}://[^\s<>\"'`|\\]*")
_SCHEME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+.-")

# Characters to shave off the end of a URL found in prose.
_TRAILING_PUNCT = ".,;:!?'\"`*_"
_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}

_B64URL = r"A-Za-z0-9_\-"
# A compact JWS: header "eyJ..." (base64url of '{"'), payload, signature.
# The look-behind pins the start to the beginning of a base64url run; the
# look-ahead rejects a fourth part (that would be a JWE, five parts).
_JWT_RE = re.compile(
    rf"(?<![{_B64URL}])eyJ[{_B64URL}]+=*\.[{_B64URL}]+=*\.[{_B64URL}]*=*"
    rf"(?![{_B64URL}=]|\.[{_B64URL}])"
)
_JWT_FULL_RE = re.compile(rf"eyJ[{_B64URL}]+=*\.[{_B64URL}]+=*\.[{_B64URL}]*=*")

# What may precede an opaque token: "Bearer", "token:" / "token=", or an
# Authorization header (optionally followed by "Bearer").
_BEARER_RE = re.compile(
    r"(?i)(?:"
    r"(?<![A-Za-z0-9])bearer[ \t]+"
    r"|(?<![A-Za-z0-9])token[ \t]*[:=][ \t]*(?:bearer[ \t]+)?"
    r"|(?<![A-Za-z0-9])authorization[ \t]*[:=][ \t]*(?:bearer[ \t]+)?"
    r")[\"'`]?([A-Za-z0-9\-._~+/]+=*)"
)
_BEARER_WORDS = ("bearer", "token", "authorization")  # a match starts with one of them (any case)
_MIN_BEARER_LEN = 20

_EMAIL_RE = re.compile(r"(?<![\w.%+\-])([\w.%+\-]{1,64})@([\w\-]+(?:\.[\w\-]+)+)")


class _AddressChars:
    """The characters of an address's local part: what ``[\\w.%+\\-]`` matches (``\\w`` is str.isalnum and _)."""

    def __contains__(self, ch: str) -> bool:
        return ch.isalnum() or ch in "_.%+-"


_ADDRESS_CHARS = _AddressChars()

# Where each look-behind-led pattern can start (module docstring): a JWT's "eyJ", a bearer token's cue word in
# any case, the start of the scheme characters before "://" (32 at most), of the address before "@" (64).
_STARTS = {
    _JWT_RE: lambda text: occurrences(text, ("eyJ",)),
    _BEARER_RE: lambda text: occurrences(fold(text), _BEARER_WORDS),
    _URL_RE: lambda text: run_starts(text, ("://",), _SCHEME_CHARS, 32),
    _EMAIL_RE: lambda text: run_starts(text, ("@",), _ADDRESS_CHARS, 64),
}


def _found(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    return matches_at(rx, text, _STARTS[rx](text))


# One entry of a domain list: an optional stray "@" or "*." (the check flags
# those), labels of letters/digits/hyphens/underscores (the check flags the
# underscore), at least one dot, an optional trailing dot.
_DOMAIN_TOKEN_RE = re.compile(r"@?(?:\*\.)?[^\W_][\w\-]*(?:\.[\w\-]+)+\.?")
_LIST_SPLIT_RE = re.compile(r"[,;\s]+")
_LIST_LABEL_RE = re.compile(r"(?i)^[^:\n]{0,60}\bdomains?\b[^:\n]{0,40}:")
_MAX_LIST_ENTRIES = 500


def _trim_url(candidate: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end."""
    url = candidate
    while url:
        last = url[-1]
        if last in _TRAILING_PUNCT:
            url = url[:-1]
            continue
        opener = _CLOSERS.get(last)
        if opener is not None and url.count(opener) < url.count(last):
            url = url[:-1]
            continue
        break
    return url


# Slack sends links as <url|label> (or <url>); the label often repeats the URL.
_SLACK_LINK_RE = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{0,31}:[^<>|\s]*)(?:\|[^<>]*)?>")


def unwrap_slack_links(text: Any) -> str:
    """Replace Slack's ``<url|label>`` and ``<url>`` link markup with the bare URL."""
    try:
        return _SLACK_LINK_RE.sub(lambda m: m.group(1), _text(text))
    except Exception:
        return _text(text)


def find_urls(text: Any) -> list[str]:
    """Every ``scheme://...`` URL in ``text``, in order of appearance (duplicates kept).

    A URL ends at whitespace, a quote, an angle bracket or ``|`` (so Slack's
    ``<https://x|label>`` yields ``https://x``). Trailing sentence punctuation
    and unbalanced closing brackets are dropped.
    """
    try:
        found: list[str] = []
        text = unwrap_slack_links(text)
        for match in _found(_URL_RE, text):
            url = _trim_url(match.group(0))
            scheme_end = url.find("://")
            if scheme_end > 0 and len(url) > scheme_end + 3:
                found.append(url)
        return found
    except Exception:
        return []


_SLACK_LINK_START_RE = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]{0,31}://")


def _unwrap_token(token: str) -> str:
    """Strip what a paste wraps around a URL: Slack's <url|label>, quotes, brackets."""
    bar = token.find("|")
    if bar != -1:
        token = token[:bar]
    token = token.lstrip("\"'`(*_")
    if _SLACK_LINK_START_RE.match(token):
        token = token[1:]
    return _trim_url(token)


def _from_scheme(token: str) -> str:
    """Cut a glued prefix off a token ("Endpoint:https://..." -> "https://...")."""
    at = token.find("://")
    if at <= 0:
        return token
    start = at
    while start > 0 and (token[start - 1].isascii() and (token[start - 1].isalnum() or token[start - 1] in "+.-")):
        start -= 1
    while start < at and not (token[start].isascii() and token[start].isalpha()):
        start += 1
    if start >= at or start == 0:
        return token
    keep_angle = token[start - 1] == "<"
    return ("<" if keep_angle else "") + token[start:]


def find_scim_urls(text: Any) -> list[str]:
    """URLs whose path contains ``/scim`` (any case), in order of appearance.

    Unlike :func:`find_urls` this also returns a SCIM URL pasted without a
    scheme (``app.example.com/.../scim/v2``) and keeps template placeholders
    such as ``<realm>`` or ``{client_guid}`` inside it, because the SCIM URL
    check has findings for exactly those mistakes.
    """
    try:
        found: list[str] = []
        for raw in _text(text).split():
            if "/scim" not in raw.lower():
                continue
            token = _unwrap_token(_from_scheme(raw))
            slash_scim = token.lower().find("/scim")
            if slash_scim <= 0:
                continue
            head = token[:slash_scim]
            first = head.split("/")[0]
            if "://" in head or "." in first or ":" in first or "{" in first or "<" in first:
                found.append(token)
        return found
    except Exception:
        return []


def find_jwts(text: Any) -> list[str]:
    """Compact JWTs (three base64url parts, header starting ``eyJ``) in order of appearance.

    Five-part JWEs are not returned. Padding ``=`` is tolerated because some
    published samples carry it.
    """
    try:
        text = _text(text)
        return [m.group(0) for m in _found(_JWT_RE, text)]
    except Exception:
        return []


def _mixed(token: str) -> bool:
    """At least two of: lower case, upper case, digits, symbols. Filters out plain words."""
    kinds = 0
    kinds += any(c.islower() for c in token)
    kinds += any(c.isupper() for c in token)
    kinds += any(c.isdigit() for c in token)
    kinds += any(c in "-._~+/=" for c in token)
    return kinds >= 2


def find_bearer_tokens(text: Any) -> list[str]:
    """Opaque bearer tokens: what follows ``Bearer``, ``token:`` or ``Authorization:``.

    Only values of 20 or more characters from the RFC 6750 ``b64token``
    alphabet that mix character kinds, and never a JWT (use :func:`find_jwts`).
    """
    try:
        found: list[str] = []
        text = _text(text)
        for match in _found(_BEARER_RE, text):
            token = match.group(1).rstrip(".")
            if len(token) < _MIN_BEARER_LEN or _JWT_FULL_RE.fullmatch(token) or not _mixed(token):
                continue
            found.append(token)
        return found
    except Exception:
        return []


def find_emails(text: Any) -> list[str]:
    """Email addresses (``local@domain.tld``, unicode letters allowed) in order of appearance."""
    try:
        found: list[str] = []
        text = unwrap_slack_links(text)
        for match in _found(_EMAIL_RE, text):
            local = match.group(1).strip(".")
            domain = match.group(2).rstrip(".-_")
            if not local or "." not in domain:
                continue
            found.append(f"{local}@{domain}")
        return found
    except Exception:
        return []


def looks_like_domain_list(text: Any) -> list[str] | None:
    """The entries, as pasted, when ``text`` is a list of domains; else ``None``.

    Entries are split on commas, semicolons and whitespace. A leading label
    such as ``Allowed domains:`` is skipped. Every entry must look like a
    domain (at least one dot), possibly with a stray leading ``@`` or ``*.``;
    a text made only of email addresses is not a domain list.
    """
    try:
        body = _text(text).strip()
        if not body:
            return None
        label = _LIST_LABEL_RE.match(body)
        if label:
            body = body[label.end():]
        entries = [e.strip("\"'`") for e in _LIST_SPLIT_RE.split(body)]
        entries = [e for e in entries if e]
        if not entries or len(entries) > _MAX_LIST_ENTRIES:
            return None
        emails = 0
        for entry in entries:
            if not _DOMAIN_TOKEN_RE.fullmatch(entry):
                local, at, _domain = entry.rpartition("@")
                if at and local and _DOMAIN_TOKEN_RE.fullmatch(_domain):
                    emails += 1
                    continue
                return None
        if emails == len(entries):
            return None
        return entries
    except Exception:
        return None
