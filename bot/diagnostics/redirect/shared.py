"""What every step of the redirect URI comparison shares: how a value is shown in a finding, and how a
URI splits into its parts.

Each step emits its findings as ``check_finding("redirect-...", facts)``; their titles, details, fix
steps and references are the entries of bot/knowledge/data/checks.toml.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.diagnostics.text import clip as _clip
from bot.diagnostics.text import is_invisible

_MAX_SHOWN = 300

# RFC 3986 Appendix B, anchored and DOTALL so any string splits in linear time.
_URI_RE = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.DOTALL)


def visible(ch: str) -> str:
    """One display character per input character, so carets stay aligned."""
    if ch == " ":
        return "␠"
    if ch == "\t":
        return "⇥"
    if ch in "\r\n":
        return "↵"
    if is_invisible(ch) or unicodedata.combining(ch):
        return "¤"
    return ch


def clip(text: str, limit: int = _MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` display characters, with whitespace and invisible characters made visible."""
    if text and text.isascii() and text.isprintable() and " " not in text[: limit + 1]:
        return _clip(text, limit)  # ``visible`` keeps every such character as it is: no call per character
    return _clip(text, limit, show=visible)


@dataclass(frozen=True)
class Uri:
    """A URI taken apart (RFC 3986 §3); ``authority`` is None when there is no ``//``."""

    scheme: str | None
    authority: str | None
    host: str
    port: str
    path: str
    query: str | None
    fragment: str | None


def split_uri(uri: str) -> Uri:
    """``uri`` in its parts; any string splits, so this never fails."""
    match = _URI_RE.match(uri)
    if match is None:  # cannot happen with this pattern; kept for safety
        return Uri(None, None, "", "", uri, None, None)
    scheme, authority, path, query, fragment = match.groups()
    host, port = "", ""
    if authority is not None:
        host, port = _host_and_port(authority)
    return Uri(scheme, authority, host, port, path or "", query, fragment)


def _host_and_port(authority: str) -> tuple[str, str]:
    """The host (an IPv6 literal keeps its brackets) and the port, without any userinfo."""
    hostport = authority.rpartition("@")[2]
    if hostport.startswith("[") and "]" in hostport:
        close = hostport.index("]")
        host, rest = hostport[: close + 1], hostport[close + 1 :]
        return host, (rest[1:] if rest.startswith(":") else "")
    head, colon, tail = hostport.rpartition(":")
    return (head, tail) if colon else (hostport, "")
