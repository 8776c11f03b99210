"""Error messages and symptoms in words: the knowledge base's phrase patterns, matched fast.

``phrase_matches`` returns what ``KnowledgeBase.match_text`` returns, several times faster (see
``_Phrases``); ``read_phrases`` turns the matches into findings, leaving out a message that only
restates a code found beside it, and scoping the entries of one product to pastes that show it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import weakref
from pathlib import Path
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any


from bot.diagnostics.engine.candidates import Candidate, Evidence, Paste, from_entry
from bot.diagnostics.engine.codes import FLOW_LITERALS, code_spans, vocabulary_literals
from bot.diagnostics.engine.literals import literal_prefixes, literal_starts, required_literals
from bot.diagnostics.engine.names import name_literals
from bot.diagnostics.engine.text import lower
from bot.diagnostics.engine.tiers import FLOW_SIGN_LITERALS
from bot.knowledge import KnowledgeBase
from bot.knowledge.loader import match_order
from bot.knowledge import cache as knowledge_cache
from bot.knowledge.cues import Scanner
from bot.knowledge.products import hedged, product_of, ruled_out, shown, signs

if TYPE_CHECKING:  # entries are read by attribute: validated records at run time, no pydantic (bot/knowledge/record.py)
    from bot.knowledge import Entry

# A phrase related to one of these, when that entry was found, only restates it.
_RESTATED_PREFIXES = ("aadsts-", "entra-prov-", "scim-type-", "okta-event-")


class _Phrases:
    """Every pattern of a knowledge base, compiled for the lower-cased paste, behind one prefilter.

    ``KnowledgeBase.match_text`` searches with IGNORECASE, which keeps the regex engine from jumping
    to a pattern's literal prefix; a pattern written in lower case (they all are) finds the same
    matches, case-sensitively, in a copy of the text whose ASCII letters are lower-cased, several
    times faster. Patterns with other letters keep IGNORECASE and run on the text as pasted.

    Almost every pattern opens with literal text, one of a few alternatives (``literal_prefixes``): a
    match can only start where one of them occurs. One Aho-Corasick pass (pyahocorasick) over the
    lower-cased paste (``bot.knowledge.cues.Scanner``) finds where each of the thousand-odd prefixes first occurs; only the patterns
    whose prefixes occur are searched, each from the first place it could match. The few patterns
    with no literal prefix are searched from the start. And most patterns must hold some literal text
    beyond their opening ("sign-?in .{0,40}?loop" holds "loop": ``literals.required_literals``): the same
    pass finds that text, and a pattern whose text the paste lacks is not searched at all (most searches
    found nothing, and those that scan on to the end of the paste cost the most). The test suite checks
    that the results equal ``match_text``'s.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        # (entry, pattern, runs on the lower-cased text) per pattern; an entry with several patterns
        # reports its earliest match. Patterns are compiled when first needed: compiling all of them
        # cost most of a cold ``sso-bot diagnose``, and a paste needs a few dozen at most.
        owners = [(entry, pattern) for entry in kb.entries() for pattern in entry.patterns]
        self.sources = [pattern for _entry, pattern in owners]
        self.entries = [entry for entry, _pattern in owners]
        self.on_lowered = [_lower_case(pattern) for pattern in self.sources]
        self._compiled: list[re.Pattern[str] | None] = [None] * len(owners)
        # What each pattern must hold: one of its prefixes (none: it is searched from the start) and one text
        # of each group ``required_literals`` gives. The most telling of these groups is the pattern's
        # trigger: only patterns whose trigger occurs are looked at, then checked for the other groups.
        self.prefixes: list[tuple[str, ...]] = []
        self.others: list[tuple[tuple[str, ...], ...]] = []
        self.always: list[int] = []  # patterns that hold no literal text at all: searched every time
        by_trigger: dict[str, list[int]] = {}
        for index, (prefixes, requires) in enumerate(_prefix_table(self.sources, self.on_lowered)):
            groups = sorted(((prefixes,) if prefixes else ()) + requires, key=lambda group: -min(map(len, group)))
            self.prefixes.append(prefixes)
            self.others.append(tuple(groups[1:]))
            if not groups:
                self.always.append(index)
            for text in groups[0] if groups else ():
                by_trigger.setdefault(text, []).append(index)
        self.by_trigger = {text: tuple(indexes) for text, indexes in sorted(by_trigger.items())}
        # The same, with what ``_starts`` reads of each pattern beside its index: one tuple per pattern.
        self._plans = {text: tuple((index, self.others[index], self.prefixes[index]) for index in indexes)
                       for text, indexes in self.by_trigger.items()}
        self.triggers = frozenset(self.by_trigger)
        literals = {text for row in self.prefixes for text in row} | \
            {text for groups in self.others for group in groups for text in group} | set(self.by_trigger)
        self._literals = literals
        self._scanner: Scanner | None = None  # for a text the engine has not scanned (built when first needed)
        # One pass finds those and every other literal a reader asks about (code words, product signs, flow
        # words, exception names): ``scan``.
        self.paste_scanner = Scanner(literals | vocabulary_literals(kb) | signs().literals | FLOW_LITERALS |
                                     name_literals(kb) | FLOW_SIGN_LITERALS)

    def pattern(self, index: int) -> re.Pattern[str]:
        rx = self._compiled[index]
        if rx is None:
            source = self.sources[index]
            rx = self._compiled[index] = re.compile(source) if self.on_lowered[index] else \
                re.compile(source, re.IGNORECASE)
        return rx

    def _starts(self, lowered: str, first: Mapping[str, int] | None) -> dict[int, int]:
        """Pattern index -> the first place one of its prefixes occurs (no match of it can start before),
        for the patterns whose required text the paste holds."""
        if first is None:
            if self._scanner is None:
                self._scanner = Scanner(self._literals)
            first = self._scanner.first(lowered)
        starts = dict.fromkeys(self.always, 0)
        plans = self._plans
        for text in self.triggers.intersection(first):  # the other literals of the scan are skipped in C
            for index, others, prefixes in plans[text]:
                if index in starts or (others and not _held(others, first)):
                    continue
                # The earliest opening (one occurs: it is the trigger, or a group held); none: from the start.
                starts[index] = min([first[prefix] for prefix in prefixes if prefix in first], default=0)
        return starts

    def matches(self, text: str, lowered: str, products: frozenset[str] | None = None,
                first: Mapping[str, int] | None = None) -> list[tuple[Entry, int]]:
        best: dict[str, tuple[int, Entry]] = {}
        compiled, entries, on_lowered = self._compiled, self.entries, self.on_lowered
        for index, start in self._starts(lowered, first).items():
            rx = compiled[index] or self.pattern(index)
            m = rx.search(lowered if on_lowered[index] else text, start)
            if m is not None:
                entry = entries[index]
                known = best.get(entry.id)
                if known is None or m.start() < known[0]:
                    best[entry.id] = (m.start(), entry)
        order = match_order(text, products)
        found = sorted((order(entry, start), entry) for start, entry in best.values())
        return [(entry, key[0]) for key, entry in found]


def _held(groups: tuple[tuple[str, ...], ...], first: Mapping[str, int]) -> bool:
    """Whether the paste holds one text of each group (``first``: where each scanned text occurs). Loops, not
    generators: this runs for every pattern whose trigger the paste holds (and measured with callgrind, a
    ``first.keys().isdisjoint(group)`` per group ran more instructions than these loops)."""
    for group in groups:
        for text in group:
            if text in first:
                break
        else:
            return False
    return True


def _lower_case(pattern: str) -> bool:
    """Whether the pattern's letters are all ASCII lower case (then it runs on the lower-cased paste)."""
    letters = re.sub(r"\\.", "", pattern) if "\\" in pattern else pattern  # escapes (\s, \W ...) are not letters
    if letters.isascii():  # nearly all: one search instead of a look at each character (cold start)
        return _ASCII_UPPER.search(letters) is None
    return all(not ch.isalpha() or (ch.isascii() and ch.islower()) for ch in letters)


_ASCII_UPPER = re.compile(r"[A-Z]")


# Part of the cached table's key: bump it whenever literals.py changes what it returns for a pattern.
_PREFIX_FORMAT = "literal_starts 1; required_literals 2"
_Row = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]


def _prefix_table(patterns: list[str], on_lowered: list[bool]) -> list[_Row]:
    """``literal_starts`` and ``required_literals`` of each pattern (none for a pattern that keeps
    IGNORECASE). Parsing a thousand patterns takes a cold process a few hundred milliseconds, so the table
    is kept in the knowledge cache's folder, keyed by the patterns themselves (bot/knowledge/cache.py
    says where)."""
    digest = hashlib.sha256("\0".join([_PREFIX_FORMAT, *patterns]).encode()).hexdigest()
    path = knowledge_cache.cache_dir() / f"prefixes-{digest[:32]}.json" if knowledge_cache.enabled() else None
    if path is not None:
        try:
            table = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(table, list) and len(table) == len(patterns):
                return [(tuple(map(str, starts)), tuple(tuple(map(str, group)) for group in requires))
                        for starts, requires in table]
        except (OSError, ValueError, TypeError):
            pass
    table = [(literal_starts(pattern), required_literals(pattern)) if lower else ((), ())
             for pattern, lower in zip(patterns, on_lowered)]
    if path is not None:
        _write_atomically(path, json.dumps(table))
    return table


def _write_atomically(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        olds = sorted(path.parent.glob("prefixes-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in olds[7:]:  # tables of other knowledge versions (several checkouts may share one home)
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".prefixes-", suffix=".json", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:  # a read-only home: the next process parses again
        pass


_phrases_cache: "weakref.WeakKeyDictionary[KnowledgeBase, _Phrases]" = weakref.WeakKeyDictionary()


def _phrases(kb: KnowledgeBase) -> _Phrases:
    phrases = _phrases_cache.get(kb)
    if phrases is None:
        phrases = _phrases_cache[kb] = _Phrases(kb)
    return phrases


def phrase_matches(kb: KnowledgeBase, text: str, lowered: str | None = None,
                   products: frozenset[str] | None = None, first: Mapping[str, int] | None = None,
                   ) -> list[tuple[Entry, int]]:
    """(entry, start) for every entry whose patterns occur in ``text``, in text order: what
    ``kb.match_text`` returns, computed faster. ``products`` and ``first`` (``scan``): when already known."""
    if not text:
        return []
    return _phrases(kb).matches(text, lower(text) if lowered is None else lowered, products, first)


def scan(kb: KnowledgeBase, lowered: str) -> dict[str, int]:
    """Where each literal the readers look for first occurs in the lower-cased paste, in one pass: the
    patterns' prefixes, the code words (``codes``), the products' signs, the flow words and the protocols'
    signs (``tiers.flows``)."""
    return _phrases(kb).paste_scanner.first(lowered)


# -- the reader -----------------------------------------------------------------------------


def read_phrases(paste: Paste) -> list[Candidate]:
    """Error messages without a code, and symptoms in words.

    A phrase adds nothing when it only restates a code already found (``paste.found``: the codes the
    readers before this one found): either its entry is related to a found code entry (the reply-URL message
    beside AADSTS50011), or it sits inside the description that follows an AADSTS or Okta code on the
    same line ("AADSTS50012: ... an invalid signature").

    Entries of one product (``bot.knowledge.products``) are scoped: one whose identity provider is ruled
    out by another's in the paste is left out (Okta's admin-page message in an Entra paste); a symptom in
    words counts only when the paste shows its product (Entra's provisioning cycle is not Okta's); a
    library's message in a paste from another library is kept but ``hedged`` (less sure, and not
    decisive: the free text is ranked too), since both may print the same words.
    """
    text, lowered = paste.words, paste.lowered
    spans = code_spans(text, lowered)
    products = paste.products
    candidates: list[Candidate] = []
    found = set(paste.found)
    for entry, start in phrase_matches(paste.kb, text, lowered, products, paste.first):
        product = product_of(entry)
        if ruled_out(product, products):
            continue  # the same words in another identity provider's product mean that one's message
        if any(related in found for related in entry.related if related.startswith(_RESTATED_PREFIXES)):
            continue
        if any(low <= start < high for low, high in spans):
            continue
        symptom = entry.system == "symptom"
        if symptom and not shown(product, products):
            continue
        evidence = Evidence.SYMPTOM if symptom else Evidence.MESSAGE
        candidates.append(from_entry(entry, evidence, start, hedged=hedged(product, products)))
        found.add(entry.id)
    return candidates
