"""Error messages and symptoms in words: the knowledge base's phrase patterns, matched fast.

``phrase_matches`` returns what ``KnowledgeBase.match_text`` returns, several times faster (see
``_Phrases``); ``read_phrases`` turns the matches into findings, leaving out a message that only
restates a code found beside it and one vendor's message in a paste from the other vendor.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

try:  # Python 3.11+: the regex parser is private but stable; used only to read a pattern's literal prefix
    from re import _constants as _sre_constants
    from re import _parser as _sre_parser
except ImportError:  # pragma: no cover - older interpreters
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parser  # type: ignore[no-redef]

from bot.diagnostics.engine_candidates import Candidate, Evidence, Paste, from_entry
from bot.diagnostics.engine_codes import code_spans
from bot.diagnostics.engine_text import lower
from bot.knowledge import Entry, KnowledgeBase

# A phrase related to one of these, when that entry was found, only restates it.
_RESTATED_PREFIXES = ("aadsts-", "entra-prov-", "scim-type-", "okta-event-")


class _Phrases:
    """Every pattern of a knowledge base, compiled for the lower-cased paste.

    ``KnowledgeBase.match_text`` searches with IGNORECASE, which keeps the regex engine from jumping
    to a pattern's literal prefix; a pattern written in lower case (they all are) finds the same
    matches, case-sensitively, in a copy of the text whose ASCII letters are lower-cased, several
    times faster. Patterns with other letters keep IGNORECASE and run on the text as pasted.
    The test suite checks that the results equal ``match_text``'s.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        # (entry, pattern, runs on the lower-cased text) per pattern; an entry with several patterns
        # reports its earliest match.
        self.patterns: list[tuple[Entry, re.Pattern[str], bool]] = []
        self.always: list[int] = []  # patterns with no literal prefix: searched every time
        by_prefix: dict[str, list[int]] = {}
        for entry in kb.entries():
            for pattern in entry.patterns:
                rx, on_lowered, prefixes = self._compile(pattern)
                index = len(self.patterns)
                self.patterns.append((entry, rx, on_lowered))
                if not prefixes:
                    self.always.append(index)
                for prefix in prefixes:
                    by_prefix.setdefault(prefix, []).append(index)
        self.by_prefix = {prefix: tuple(indexes) for prefix, indexes in sorted(by_prefix.items())}

    @staticmethod
    def _compile(pattern: str) -> tuple[re.Pattern[str], bool, tuple[str, ...]]:
        """(compiled pattern, whether it runs on the lower-cased text, literals every match starts with)."""
        letters = re.sub(r"\\.", "", pattern)  # escapes (\s, \W, \d ...) are not letters to fold
        if all(not ch.isalpha() or (ch.isascii() and ch.islower()) for ch in letters):
            return re.compile(pattern), True, literal_prefixes(pattern)
        return re.compile(pattern, re.IGNORECASE), False, ()

    def matches(self, text: str, lowered: str) -> list[tuple[Entry, int]]:
        # Plain substring tests (one per distinct prefix) rule most patterns out before any regex runs.
        candidates = set(self.always)
        for prefix, indexes in self.by_prefix.items():
            if prefix in lowered:
                candidates.update(indexes)
        best: dict[str, tuple[int, Entry]] = {}
        for index in candidates:
            entry, rx, on_lowered = self.patterns[index]
            m = rx.search(lowered if on_lowered else text)
            if m is not None:
                known = best.get(entry.id)
                if known is None or m.start() < known[0]:
                    best[entry.id] = (m.start(), entry)
        found = sorted((start, entry_id, entry) for entry_id, (start, entry) in best.items())
        return [(entry, start) for start, _id, entry in found]


def literal_prefixes(pattern: str) -> tuple[str, ...]:
    """Literals one of which every match starts with: ("reply url specified",) for a plain pattern,
    ("assertion", "response", "token") for one opening with (?:assertion|response|token). Empty when
    some way into the pattern starts with fewer than three fixed characters (then nothing is skipped)."""
    try:
        parsed = list(_sre_parser.parse(pattern))
    except re.error:
        return ()
    return tuple(_leading(parsed) or ())


def _leading(items: list[Any]) -> list[str] | None:
    chars: list[str] = []
    for op, value in items:
        if op is _sre_constants.LITERAL:
            chars.append(chr(value))
            continue
        if chars:
            break
        if op is _sre_constants.SUBPATTERN:
            return _leading(list(value[-1]))
        if op is _sre_constants.BRANCH:
            found: list[str] = []
            for branch in value[1]:
                sub = _leading(list(branch))
                if sub is None:
                    return None
                found += sub
            return found
        return None
    text = "".join(chars)
    return [text] if len(text) >= 3 else None


_phrases_cache: "weakref.WeakKeyDictionary[KnowledgeBase, _Phrases]" = weakref.WeakKeyDictionary()


def phrase_matches(kb: KnowledgeBase, text: str, lowered: str | None = None) -> list[tuple[Entry, int]]:
    """(entry, start) for every entry whose patterns occur in ``text``, in text order: what
    ``kb.match_text`` returns, computed faster."""
    phrases = _phrases_cache.get(kb)
    if phrases is None:
        phrases = _phrases_cache[kb] = _Phrases(kb)
    return phrases.matches(text, lower(text) if lowered is None else lowered) if text else []


# -- the reader -----------------------------------------------------------------------------


def read_phrases(paste: Paste) -> list[Candidate]:
    """Error messages without a code, and symptoms in words.

    A phrase adds nothing when it only restates a code already found (``paste.found``: the codes the
    readers before this one found): either its entry is related to a found code entry (the reply-URL message
    beside AADSTS50011), or it sits inside the description that follows an AADSTS or Okta code on the
    same line ("AADSTS50012: ... an invalid signature")."""
    text, lowered = paste.words, paste.lowered
    spans = code_spans(text, lowered)
    vendor = paste_vendor(lowered)
    candidates: list[Candidate] = []
    found = set(paste.found)
    for entry, start in phrase_matches(paste.kb, text, lowered):
        if other_vendors(entry, vendor):
            continue  # the same words in the other vendor's product mean that vendor's message, not this one
        if any(related in found for related in entry.related if related.startswith(_RESTATED_PREFIXES)):
            continue
        if any(low <= start < high for low, high in spans):
            continue
        evidence = Evidence.SYMPTOM if entry.system == "symptom" else Evidence.MESSAGE
        candidates.append(from_entry(entry, evidence, start))
        found.add(entry.id)
    return candidates


_ENTRA_SIGNS = re.compile(r"\baadsts\d|\bentra\b|\bazure\b|microsoftonline|systemforcrossdomainidentitymanagement|"
                          r"enterprise app|admin credentials|graph\.microsoft\.com")
_OKTA_SIGNS = re.compile(r"okta|\be0000\d{3}\b|test api credentials|dashboard\s?(?:>|→|->)\s?tasks")

# Plain substrings, one of which each pattern above needs: most pastes are ruled out without a regex.
_ENTRA_CUES = ("aadsts", "entra", "azure", "microsoftonline", "systemforcrossdomain", "enterprise app",
               "admin credentials", "graph.microsoft")
_OKTA_CUES = ("okta", "e0000", "test api credentials", "tasks")


def other_vendors(entry: Entry, vendor: str | None) -> bool:
    """Whether ``entry`` is one vendor's message while the paste plainly comes from the other vendor."""
    return (vendor == "entra" and entry.id.startswith("okta-msg-")) or \
        (vendor == "okta" and entry.id.startswith("msg-entra-"))


def paste_vendor(lowered: str) -> str | None:
    """"entra" or "okta" when the paste plainly comes from one of them (and shows no sign of the other)."""
    entra = any(cue in lowered for cue in _ENTRA_CUES) and _ENTRA_SIGNS.search(lowered) is not None
    okta = any(cue in lowered for cue in _OKTA_CUES) and _OKTA_SIGNS.search(lowered) is not None
    if entra != okta:
        return "entra" if entra else "okta"
    return None

