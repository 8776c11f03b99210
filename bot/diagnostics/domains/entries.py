"""Split a pasted domain list into entries.

Commas, semicolons and line breaks always separate entries; spaces only when the words around them
each look like a domain, so that a domain mistyped with a space stays one entry the check can name.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from bot.diagnostics.domains.shared import WRAPPERS
from bot.diagnostics.text import as_text, is_invisible

_SPLIT_RE = re.compile(r"[,;\r\n]+")
_MAX_ITEMS = 20_000  # a list this long is not an allowlist; the rest is not read


def split_domain_entries(value: Any) -> list[str]:
    """Split a pasted list (a string, or an iterable of strings) into entries.

    Commas, semicolons and line breaks always separate entries. Spaces separate
    them too when every space-separated word looks like a domain; otherwise the
    spaces are inside one entry (``my company.com``), which the check reports.
    """
    entries: list[str] = []
    for item in _items(value):
        for piece in _SPLIT_RE.split(as_text(item)):
            piece = _trim(piece)
            if piece:
                entries.extend(_split_words(piece.split()))
    return entries


def _items(value: Any) -> Iterable[Any]:
    """The pasted values: one string, or the first items of a list (anything unlistable counts as one)."""
    if isinstance(value, (str, bytes, bytearray, memoryview)) or value is None:
        return [value]
    try:
        return list(value)[:_MAX_ITEMS]
    except Exception:
        return [value]


def _trim(piece: str) -> str:
    """``piece`` without whitespace or invisible characters at either end."""
    piece = piece.strip()
    while piece and is_invisible(piece[0]):
        piece = piece[1:]
    while piece and is_invisible(piece[-1]):
        piece = piece[:-1]
    return piece


def _domain_like(token: str) -> bool:
    return "." in token.strip(".") and not token.startswith(".")


def _split_words(words: list[str]) -> list[str]:
    """Group space-separated words into entries.

    A word like ``.com`` (a dot and one label) belongs to the word before it,
    and a word with no dot to the word after it, so ``contoso .com`` and
    ``my company.com`` stay single entries (with a space the check reports).
    """
    groups: list[list[str]] = []
    pending: list[str] = []
    for word in words:
        bare = word.strip(WRAPPERS)
        if _is_suffix(bare) and (pending or groups):
            if pending:
                pending.append(word)
                groups.append(pending)
                pending = []
            else:
                groups[-1].append(word)
            continue
        pending.append(word)
        if _ends_entry(bare):
            groups.append(pending)
            pending = []
    if pending:
        groups.append(pending)
    return [" ".join(group) for group in groups]


def _is_suffix(bare: str) -> bool:
    """A dot and one label (``.com``): the end of the entry before it."""
    return bare.startswith(".") and len(bare) > 1 and "." not in bare[1:]


def _ends_entry(bare: str) -> bool:
    """A word that completes an entry: a domain, even behind '@' or '*.', or anything address- or URL-like."""
    core = bare.lstrip("@")
    core = core[2:] if core.startswith("*.") else core
    return _domain_like(core) or "@" in bare or "/" in bare or ":" in bare
