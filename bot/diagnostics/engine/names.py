"""Exception and class names, and log fields, that knowledge entries declare (``exceptions``, ``fields``).

A stack trace names its exception (``Saml2AuthenticationException``,
``OpenIdConnectProtocolInvalidNonceException``); a log line or JSON body carries a field whose value
says what went wrong (``"reason": "INVALID_CREDENTIALS"``). Names are matched as whole identifiers and
case as written: the paste's identifiers are collected once (one ``findall``) and intersected with the
declared names, so the cost does not grow with the number of entries; and only when the engine's one
scan of the paste (``phrases.scan``) found a declared name's last segment in some case, which most pastes
hold none of. A qualified name (``org.opensaml.common.SAMLException``) must appear whole.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.diagnostics.engine.candidates import Candidate, Evidence, Paste, from_entry
from bot.diagnostics.engine.text import lower
from bot.knowledge import KnowledgeBase

if TYPE_CHECKING:  # entries are read by attribute: validated records at run time, no pydantic (bot/knowledge/record.py)
    from bot.knowledge import Entry

_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_MAX_FIELD_HITS = 10


@dataclass(frozen=True)
class _Names:
    """The declared names of one knowledge base: last segment -> [(full name, entry)], and the fields."""

    by_segment: dict[str, tuple[tuple[str, Entry], ...]]
    fields: tuple[tuple[str, re.Pattern[str], Entry], ...]  # (value, lowered, for a quick test), pattern, entry
    literals: frozenset[str]  # the segments, case-folded: found by the engine's one scan of the paste


_cache: "weakref.WeakKeyDictionary[KnowledgeBase, _Names]" = weakref.WeakKeyDictionary()


def _names(kb: KnowledgeBase) -> _Names:
    cached = _cache.get(kb)
    if cached is not None:
        return cached
    by_segment: dict[str, list[tuple[str, Entry]]] = {}
    fields: list[tuple[str, re.Pattern[str], Entry]] = []
    for entry in kb.entries():
        for name in entry.exceptions:
            by_segment.setdefault(name.rsplit(".", 1)[-1], []).append((name, entry))
        for item in entry.fields:
            key, value = item.split("=", 1)
            segment = key.rsplit(".", 1)[-1].lower()
            # The field's last segment, a colon or equals sign (the name and value possibly quoted), the value.
            rx = re.compile(rf"(?<![\w.]){re.escape(segment)}[\"']?\s{{0,3}}[:=]\s{{0,3}}[\"']?"
                            rf"{re.escape(value.lower())}(?![\w])")
            fields.append((value.lower(), rx, entry))
    cached = _Names({k: tuple(v) for k, v in by_segment.items()}, tuple(fields), frozenset(map(lower, by_segment)))
    _cache[kb] = cached
    return cached


def read_names(paste: Paste) -> list[Candidate]:
    """Entries whose declared exception or class names occur in the paste as whole identifiers."""
    names = _names(paste.kb)
    if not names.by_segment:
        return []
    if paste.first is not None and names.literals.isdisjoint(paste.first):
        return []  # the scan found no declared name in any case: no identifiers to collect
    text = paste.words
    found: dict[str, Candidate] = {}
    for segment in names.by_segment.keys() & set(_IDENTIFIER.findall(text)):
        for name, entry in names.by_segment[segment]:
            at = _whole(text, name)
            if at >= 0 and (entry.id not in found or at < found[entry.id].position):
                found[entry.id] = from_entry(entry, Evidence.EXCEPTION, at, facts={"exception": name})
    return sorted(found.values(), key=lambda c: c.position)


def name_literals(kb: KnowledgeBase) -> frozenset[str]:
    """The declared names' last segments, case-folded (for the engine's one scan of the paste)."""
    return _names(kb).literals


def _whole(text: str, name: str) -> int:
    """Where ``name`` first occurs as a whole identifier (not inside a longer one), or -1."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "_$") and not (after.isalnum() or after in "_$"):
            return start
        start = text.find(name, start + 1)
    return -1


def read_fields(paste: Paste) -> list[Candidate]:
    """Entries whose declared log fields (``name=value``) occur in the paste, as JSON or as ``name=value``."""
    found: dict[str, Candidate] = {}
    lowered = paste.lowered
    for value, rx, entry in _names(paste.kb).fields:
        if value not in lowered or entry.id in found:
            continue
        match = rx.search(lowered)
        if match is not None:
            found[entry.id] = from_entry(entry, Evidence.FIELD, match.start())
            if len(found) >= _MAX_FIELD_HITS:
                break
    return sorted(found.values(), key=lambda c: c.position)
