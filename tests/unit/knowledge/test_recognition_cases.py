"""Messages and plain words as people paste them, and the entry each must (or must not) bring up.

The cases live in ``tests/data/recognition/*.toml``, one file per area, written by whoever added the entries
(each with where the text comes from, and why when it is not obvious). One case is one table ``[[case]]``:
``text``, ``entry`` (a knowledge entry id), ``check``, and optional ``source`` and ``why``. The checks:

* ``match-first``: the entry is the first of the knowledge's text matches (``KnowledgeBase.match_text``);
* ``matches``: the entry is among the text matches;
* ``no-match``: a near text: the entry is not among the text matches;
* ``leads``: the entry is the diagnosis's first finding;
* ``first-two``: the entry is among the diagnosis's first two findings (a wrapper's entry may lead);
* ``not-leading``: the entry is not the diagnosis's first finding;
* ``not-shown``: the entry is not among the diagnosis's findings at all.

Adding an entry to the knowledge means adding its cases here, not another test module of the same shape.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.diagnostics.engine import diagnose

CASES_DIR = Path(__file__).resolve().parents[2] / "data" / "recognition"
KEYS = {"check", "entry", "text", "source", "why"}


def _matched(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


def _findings(text: str, now) -> list[str]:
    return [f.code for f in diagnose(text, now=now).findings]


CHECKS = {
    "match-first": lambda kb, text, entry, now: _matched(kb, text)[:1] == [entry],
    "matches": lambda kb, text, entry, now: entry in _matched(kb, text),
    "no-match": lambda kb, text, entry, now: entry not in _matched(kb, text),
    "leads": lambda kb, text, entry, now: _findings(text, now)[:1] == [entry],
    "first-two": lambda kb, text, entry, now: entry in _findings(text, now)[:2],
    "not-leading": lambda kb, text, entry, now: _findings(text, now)[:1] != [entry],
    "not-shown": lambda kb, text, entry, now: entry not in _findings(text, now),
}


def _load() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            cases += [(f"{path.stem}:{i}:{case.get('entry')}", case) for i, case in enumerate(tomllib.load(fh)["case"])]
    return cases


CASES = _load()


def test_every_case_is_well_formed(kb):
    for case_id, case in CASES:
        assert set(case) <= KEYS and {"check", "entry", "text"} <= set(case), case_id
        assert case["check"] in CHECKS, f"{case_id}: unknown check {case['check']!r}"
        assert kb.get(case["entry"]) is not None, f"{case_id}: no knowledge entry {case['entry']!r}"


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_the_text_brings_up_its_entry_or_leaves_it_alone(kb, now, case):
    check, entry, text = case["check"], case["entry"], case["text"]
    where = case.get("source", "")
    shown = _matched(kb, text) if check in ("match-first", "matches", "no-match") else _findings(text, now)
    assert CHECKS[check](kb, text, entry, now), f"{check} {entry} ({where}): got {shown[:5]}"
