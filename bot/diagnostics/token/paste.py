"""The pasted token itself: the wrapping around it, its fingerprint, and characters that do not
belong in a token.

The fingerprint (the first 8 hex digits of the SHA-256) is the only way a token is ever shown or
stored: it tells two tokens apart without revealing either.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from bot.diagnostics.text import as_text, has_hidden_characters

_BEARER_PREFIX_RE = re.compile(r"(?i)^(?:authorization\s*:\s*)?(?:bearer\b\s*[:=]?\s*)?")
# What the product shows in place of a token once the page is left.
_MASK_CHARS = frozenset("•●∙·*xX•◦▪■")
QUOTES = "\"'`“”‘’«»"
_SPACE = re.compile(r"\s")
_QUOTE = re.compile("[" + re.escape(QUOTES) + "]")


def fingerprint(token: Any) -> str:
    """The first 8 hex digits of the SHA-256 of ``token`` (a ``Bearer `` prefix is dropped first).

    Safe to show and to store: it identifies a token without revealing it.
    """
    try:
        cleaned = strip_wrapping(as_text(token))
        return hashlib.sha256(cleaned.encode("utf-8", errors="surrogatepass")).hexdigest()[:8]
    except Exception:
        return hashlib.sha256(b"").hexdigest()[:8]


def strip_wrapping(text: str) -> str:
    """Drop surrounding whitespace and quotes and a ``Bearer``/``Authorization:`` prefix."""
    out = text.strip()
    for _ in range(3):
        out = _BEARER_PREFIX_RE.sub("", out, count=1).strip()
        if len(out) >= 2 and out[0] in QUOTES and out[-1] in QUOTES:
            out = out[1:-1].strip()
    return out


def stray_characters(token: str) -> str:
    """The kinds of characters in ``token`` that no token holds, in words ("" when there are none)."""
    kinds: list[str] = []
    # Each test is one C-level scan (``\s`` is ``str.isspace``): a JWT can be kilobytes long.
    if _SPACE.search(token):
        kinds.append("spaces or line breaks")
    if has_hidden_characters(token):
        kinds.append("invisible characters")
    if _QUOTE.search(token):
        kinds.append("quotes")
    if "<" in token or ">" in token:
        kinds.append("angle brackets")
    return ", ".join(kinds)


def is_masked(token: str) -> bool:
    """True for the masked placeholder (bullets or asterisks), not a token."""
    return bool(token) and all(ch in _MASK_CHARS for ch in token)
