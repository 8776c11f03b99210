"""Find the two redirect URIs in free text, and which one is registered.

The words just before each URL name its role ("registered X, app sends Y", "expected: X actual: Y",
or the other way round); failing that, "X vs Y" and plain order both take the first URL as the
registered one, and say how they decided so the report can tell the reader it assumed the order.
"""

from __future__ import annotations

import re

from bot.diagnostics.extract import unwrap_slack_links

_URLISH_RE = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{0,31}://[^\s<>\"'`|]*")
_REGISTERED_WORDS = re.compile(
    r"(?i)\b(?:registered|configured|expected|allowed|whitelisted|allow-?listed|in\s+(?:entra|okta|azure|the\s+idp)"
    r"|reply\s+url|redirect\s+uris?\s+list)\b"
)
_SENT_WORDS = re.compile(
    r"(?i)\b(?:sends?|sent|sending|actual(?:ly)?|got|gets|received|requested|request|uses|using|passes|passed"
    r"|app\s+has)\b"
)
_VS_WORDS = re.compile(r"(?i)(?:\bvs\.?|\bversus\b|!=|≠|<>|\bvs\b)")


def parse_pair(text: str) -> tuple[str, str, str] | None:
    """(registered, sent, how) where how is 'labelled', 'vs' or 'order'; None without two URLs."""
    text = unwrap_slack_links(text)
    urls = _urls(text)
    if len(urls) < 2:
        return None
    first, second = urls[0][2], urls[1][2]
    r0, r1 = _roles(text, urls)[:2]
    if r0 != r1:
        if r0 == "registered" or r1 == "sent":
            return first, second, "labelled"
        if r0 == "sent" or r1 == "registered":
            return second, first, "labelled"
    between = text[urls[0][1] : urls[1][0]]
    if _VS_WORDS.search(between):
        return first, second, "vs"
    return first, second, "order"


def _urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) of each URL, without the punctuation that ends a sentence or closes a bracket."""
    out: list[tuple[int, int, str]] = []
    for match in _URLISH_RE.finditer(text):
        url = match.group(0)
        while url and url[-1] in ".,;:!?)]}'\"":
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if "://" in url and len(url) > url.index("://") + 3:
            out.append((match.start(), match.start() + len(url), url))
    return out


def _roles(text: str, urls: list[tuple[int, int, str]]) -> list[str | None]:
    """Per URL, the role the words since the previous URL give it; the last such word wins."""
    roles: list[str | None] = []
    previous_end = 0
    for start, end, _url in urls:
        gap = text[previous_end:start]
        reg = [m.end() for m in _REGISTERED_WORDS.finditer(gap)]
        snt = [m.end() for m in _SENT_WORDS.finditer(gap)]
        if reg and (not snt or max(reg) > max(snt)):
            roles.append("registered")
        elif snt:
            roles.append("sent")
        else:
            roles.append(None)
        previous_end = end
    return roles
