"""Which of many named sets of cue words a text holds, in one pass.

A reader often needs to know only *whether* a paste holds one of a few dozen words ("is any OAuth error
value here at all?", "does it show Keycloak?"). Testing each word with ``in`` costs a scan per word, and
one regular expression of many alternatives is slower still (it has no single literal to jump to).
``Cues`` puts every word of every set into one Aho-Corasick automaton (pyahocorasick) and answers with
the names of the sets found, after one pass over the text.

A set has three kinds of cue, all in lower case, matched in a lower-cased text:

* ``anywhere``: plain text, found anywhere (``okta``, ``org.keycloak``);
* ``words``: plain text found only as a whole word, not inside a longer one (``realm``, ``sso``);
* ``patterns``: regular expressions opening with literal text (``msis\\d{4}``), run from where that
  literal occurs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ahocorasick


@dataclass(frozen=True)
class CueSet:
    anywhere: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


class Scanner:
    """Where each of many literal strings first occurs in a text, after one Aho-Corasick pass."""

    def __init__(self, strings: Iterable[str]) -> None:
        self.strings = frozenset(strings)
        self._automaton = ahocorasick.Automaton()
        for text in self.strings:
            self._automaton.add_word(text, (text, len(text)))
        if self.strings:
            self._automaton.make_automaton()

    def first(self, lowered: str) -> dict[str, int]:
        """String -> where it first starts in ``lowered``, for each string that occurs.

        A plain loop over the occurrences: sorting them out with ``map``, ``zip`` and ``dict`` in C was
        measured to cost more instructions than this loop's few specialised bytecodes per occurrence."""
        first: dict[str, int] = {}
        if not self.strings:
            return first
        for end, (text, length) in self._automaton.iter(lowered):
            if text not in first:
                first[text] = end - length + 1
        return first


class Cues:
    """Named cue sets; ``found(lowered)`` -> the names whose cues occur.

    ``found`` takes the first places of the cues' literals when a caller has scanned the text already
    (``Scanner.first`` with a scanner that knows ``literals``); otherwise it scans with its own."""

    def __init__(self, sets: Mapping[str, CueSet]) -> None:
        self._by_literal: dict[str, list[tuple[str, re.Pattern[str] | None]]] = {}  # literal -> (set, check)
        for name, cues in sets.items():
            for text in cues.anywhere:
                self._by_literal.setdefault(text, []).append((name, None))
            for word in cues.words:
                self._by_literal.setdefault(word, []).append((name, _word_rx(word)))
            for pattern in cues.patterns:
                self._by_literal.setdefault(literal_start(pattern), []).append((name, re.compile(pattern)))
        self.literals = frozenset(self._by_literal)
        self._scanner: Scanner | None = None

    def found(self, lowered: str, first: Mapping[str, int] | None = None) -> set[str]:
        """The names of the sets with a cue in ``lowered`` (a lower-cased text)."""
        if first is None:
            if self._scanner is None:
                self._scanner = Scanner(self.literals)
            first = self._scanner.first(lowered)
        found: set[str] = set()
        by_literal = self._by_literal
        for literal in self.literals.intersection(first):  # the scan's other literals are skipped in C
            start = first[literal]
            for name, rx in by_literal[literal]:
                if name not in found and (rx is None or rx.match(lowered, start) or rx.search(lowered, start + 1)):
                    found.add(name)
        return found


def _word_rx(word: str) -> re.Pattern[str]:
    """``word`` as a whole word (\\b on its ends; a word opening with its literal, as patterns do)."""
    return re.compile(re.escape(word) + r"(?<!\w" + re.escape(word) + r")\b" if word[:1].isalnum() else
                      re.escape(word) + r"\b")


def literal_start(pattern: str) -> str:
    """The literal text a cue pattern opens with (``msis`` of ``msis\\d{4}``, ``.net `` of ``\\.net \\d``)."""
    chars: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            chars.append(pattern[i + 1])
            i += 2
        elif ch.isalnum() or ch in " /@_-:'\"":
            chars.append(ch)
            i += 1
        else:
            break
    if i < len(pattern) and pattern[i] in "?*{" and chars:
        chars.pop()  # the last character is optional or repeated: not part of the fixed opening
    if not chars:
        raise ValueError(f"a cue pattern must open with literal text: {pattern!r}")
    return "".join(chars)
