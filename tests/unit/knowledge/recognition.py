"""The recognition cases (``tests/data/recognition/*.toml``) and the checks they name.

One case is one table ``[[case]]``: ``text`` (a message as the software prints it, or the words people use),
``entry`` (a knowledge entry id), ``check``, and optional ``source`` (where the text comes from) and ``why``.
The checks:

* ``match-first``: the entry is the first of the knowledge's text matches (``KnowledgeBase.match_text``);
* ``matches-first-two``: the entry is among the first two text matches (a generic entry may share the words);
* ``matches``: the entry is among the text matches;
* ``recognised``: a text match, or a finding of the diagnosis at 0.8 or more (a name or a code, not a guess);
* ``no-match``: a near text: the entry is not among the text matches;
* ``leads``: the entry is the diagnosis's first finding;
* ``first-two``: the entry is among the diagnosis's first two findings (a wrapper's entry may lead);
* ``not-leading``: the entry is not the diagnosis's first finding;
* ``not-shown``: the entry is not among the diagnosis's findings at all.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from bot.diagnostics.engine import diagnose

CASES_DIR = Path(__file__).resolve().parents[2] / "data" / "recognition"
KEYS = {"check", "entry", "text", "source", "why"}
#: A finding at least this sure was named by a code, an exception or a message, not guessed by the ranking.
NAMED = 0.8


def matched(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


def findings(kb, text: str, now) -> list[str]:
    return [f.code for f in diagnose(text, now=now, kb=kb).findings]


def _recognised(kb, text: str, entry: str, now) -> bool:
    named = {f.code for f in diagnose(text, now=now, kb=kb).findings if f.confidence >= NAMED}
    return entry in matched(kb, text) or entry in named


CHECKS: dict[str, Callable[..., bool]] = {
    "match-first": lambda kb, text, entry, now: matched(kb, text)[:1] == [entry],
    "matches-first-two": lambda kb, text, entry, now: entry in matched(kb, text)[:2],
    "matches": lambda kb, text, entry, now: entry in matched(kb, text),
    "recognised": _recognised,
    "no-match": lambda kb, text, entry, now: entry not in matched(kb, text),
    "leads": lambda kb, text, entry, now: findings(kb, text, now)[:1] == [entry],
    "first-two": lambda kb, text, entry, now: entry in findings(kb, text, now)[:2],
    "not-leading": lambda kb, text, entry, now: findings(kb, text, now)[:1] != [entry],
    "not-shown": lambda kb, text, entry, now: entry not in findings(kb, text, now),
}
#: The checks that read the text matches only (the rest run the whole diagnosis).
MATCH_CHECKS = frozenset({"match-first", "matches-first-two", "matches", "no-match"})


def load(area: str | None = None) -> list[tuple[str, dict]]:
    """(case id, case) of one area's file, or of every file: the id is ``<area>:<index>:<entry>``."""
    paths = [CASES_DIR / f"{area}.toml"] if area else sorted(CASES_DIR.glob("*.toml"))
    cases = []
    for path in paths:
        with path.open("rb") as fh:
            cases += [(f"{path.stem}:{i}:{case.get('entry')}", case) for i, case in enumerate(tomllib.load(fh)["case"])]
    return cases


def expected_entries(area: str) -> set[str]:
    """The entries an area's cases expect to find (not the ones they keep away)."""
    return {case["entry"] for _, case in load(area) if case["check"] not in ("no-match", "not-leading", "not-shown")}
