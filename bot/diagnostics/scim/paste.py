"""The SCIM URL check, step 1: clean up the paste.

What came with the URL (spaces, invisible characters, quotes, chat's angle brackets, the period of the
sentence it was copied from) is removed, one finding per kind; a value with nothing URL-like left is
reported as such; template placeholders (``<realm>``, ``{client_guid}``) are found before the URL is
taken apart, so no later step mistakes them for a host or a path.
"""

from __future__ import annotations

import re

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding
from bot.diagnostics.scim.shared import EXPECTED_SHAPE, GUID_RE, HEX32_RE, SCHEME_RE, Problem, clip, problem
from bot.diagnostics.text import has_invisible, is_invisible

_QUOTES = "\"'`“”‘’«»„"
_TRAILING = ".,;:!?"
_PLACEHOLDER_RE = re.compile(
    r"\{\{[^{}]{1,64}\}\}|\{[^{}/]{1,64}\}|<[^<>/]{1,64}>|%7[Bb][^%/]{1,64}%7[Dd]|%3[Cc][^%/]{1,64}%3[Ee]|"
    r"\[[A-Za-z_ \-]{1,64}\]"
)
_TEMPLATE_WORDS = ("environment_base_url", "client_guid", "your-realm", "your_realm", "yourrealm")

# One finding per kind of debris, in this order (their texts are the entries of checks.toml).
_DEBRIS = {"scim-url-whitespace": "whitespace", "scim-url-quotes": "quotes", "scim-url-angle-brackets": "angle",
           "scim-url-trailing-punctuation": "trailing"}


def peel(text: str, problems: list[Problem]) -> str:
    """Remove what was pasted around the URL, one finding per kind of debris."""
    s, found = _strip_debris(text)
    for code, kind in _DEBRIS.items():
        if kind in found:
            problems.append(problem(code))
    return s


def _strip_debris(text: str) -> tuple[str, set[str]]:
    """The URL without what surrounds it, and the kinds of debris removed (see _DEBRIS).

    Layers come off in any nesting ("<url>." inside quotes inside spaces), so the peeling repeats
    until nothing changes (eight rounds at most)."""
    found: set[str] = set()
    s = text
    for _ in range(8):
        before = s
        stripped = s.strip()
        while stripped and is_invisible(stripped[0]):
            stripped = stripped[1:]
        while stripped and is_invisible(stripped[-1]):
            stripped = stripped[:-1]
        if stripped != s:
            found.add("whitespace")
            s = stripped
        if s and (s[0] in _QUOTES or s[-1] in _QUOTES):
            found.add("quotes")
            s = s.strip(_QUOTES)
        if s.startswith("<") and (s.endswith(">") or "|" in s) and SCHEME_RE.match(s[1:]):
            found.add("angle")
            s = _unwrap_chat_link(s)
        while s and (s[-1] in _TRAILING or (s[-1] == ")" and s.count("(") < s.count(")"))):
            found.add("trailing")
            s = s[:-1]
        if s == before:
            break
    if has_invisible(s):
        found.add("whitespace")
        s = "".join(ch for ch in s if not is_invisible(ch))
    return s, found


def _unwrap_chat_link(s: str) -> str:
    """The URL inside chat's ``<url>`` or Slack's ``<url|label>``."""
    inner = s[1:]
    if inner.endswith(">"):
        inner = inner[:-1]
    if "|" in inner:
        inner = inner.split("|", 1)[0]
    return inner


def nothing_to_check(s: str) -> Finding | None:
    """The one finding for a value that is empty once cleaned, or has nothing of a URL; else None."""
    if not s:
        return check_finding("scim-url-empty")
    if "/" not in s and "." not in s and ":" not in s:
        return check_finding("scim-url-not-a-url", {"value": clip(s, 80), "expected_shape": EXPECTED_SHAPE})
    return None


def check_placeholders(s: str, problems: list[Problem]) -> list[str]:
    """The template placeholders left in the URL (reported once, together)."""
    found = _find_placeholders(s)
    if found:
        problems.append(problem("scim-url-placeholder", {"placeholders": clip(", ".join(found[:10]))}, values={"listed": ", ".join(clip(p, 60) for p in found[:5])}, structural=False))
    return found


def _find_placeholders(text: str) -> list[str]:
    found: list[str] = []
    for match in _PLACEHOLDER_RE.finditer(text):
        whole = match.group(0)
        inner = whole[3:-3] if whole.startswith("%") else whole.strip("{}<>[]")
        if GUID_RE.fullmatch(inner) or HEX32_RE.fullmatch(inner):
            continue  # a real GUID in braces: reported as such, not as a placeholder
        found.append(match.group(0))
    lowered = text.lower()
    for word in _TEMPLATE_WORDS:
        if word in lowered and not any(word in p.lower() for p in found):
            found.append(word)
    return found
