"""The synonym table the free-text ranker uses (``data/lexicon/synonyms.toml``), validated at load.

Each ``[[group]]`` lists words and phrases that mean the same thing; the ranker replaces each of them
by the group's first one before stemming, in the knowledge entries and in a paste alike, so "sign-in",
"logon" and "log in" all count as "login". Rules: lower case, at least two words a group, a word in
one group only, words made of letters, digits, spaces and ``-_.'``. ``domain`` lists the words that
show a paste is about sign-in or provisioning at all; free text with none of them is not ranked.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .loader import KnowledgeError

SYNONYMS = Path(__file__).resolve().parent / "data" / "lexicon" / "synonyms.toml"
_WORD = re.compile(r"^[a-z0-9][a-z0-9 _.'\-]*[a-z0-9_]$|^[a-z0-9]$")


@dataclass(frozen=True)
class Lexicon:
    """``synonyms``: every word or phrase -> its group's first word; ``domain``: the words that show a
    paste is about sign-in or provisioning."""

    synonyms: dict[str, str]
    domain: frozenset[str]


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon; raises KnowledgeError naming each problem."""
    if path is None:
        return _default()
    return _load(path)


def load_synonyms(path: Path | None = None) -> dict[str, str]:
    """Every word or phrase -> its group's first word."""
    return load_lexicon(path).synonyms


@functools.cache
def _default() -> Lexicon:
    return _load(SYNONYMS)


def _load(path: Path) -> Lexicon:
    label = path.name
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise KnowledgeError([f"{label}: cannot read: {error}"]) from error
    problems: list[str] = []
    unknown = set(doc) - {"group", "domain"}
    if unknown:
        problems.append(f"{label}: unknown top-level keys {sorted(unknown)} (expected 'domain' and [[group]] tables)")
    domain = doc.get("domain", [])
    if not isinstance(domain, list) or not all(isinstance(w, str) and _WORD.match(w) for w in domain):
        problems.append(f"{label}: 'domain' must list lower-case words")
        domain = []
    table: dict[str, str] = {}
    for index, group in enumerate(doc.get("group", []), start=1):
        words = group.get("words") if isinstance(group, dict) else None
        if not isinstance(words, list) or len(words) < 2 or not all(isinstance(w, str) for w in words):
            problems.append(f"{label}: group #{index}: 'words' must list at least two strings")
            continue
        if set(group) - {"words"}:
            problems.append(f"{label}: group #{index}: unknown keys {sorted(set(group) - {'words'})}")
        for word in words:
            if not _WORD.match(word) or "  " in word:
                problems.append(f"{label}: group #{index}: {word!r} must be lower-case words")
            elif word in table:
                problems.append(f"{label}: group #{index}: {word!r} is already in the group of {table[word]!r}")
            else:
                table[word] = words[0]
    if problems:
        raise KnowledgeError(problems)
    return Lexicon(table, frozenset(domain))
