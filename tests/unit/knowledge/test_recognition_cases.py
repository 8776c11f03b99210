"""Messages and plain words as people paste them, and the entry each must (or must not) bring up.

The cases live in ``tests/data/recognition/*.toml``, one file per area, written by whoever added the entries;
``recognition.py`` beside this file reads them and names the checks. Adding an entry to the knowledge means
adding its cases there, not another test module of the same shape.
"""

from __future__ import annotations

import pytest

from .recognition import CHECKS, KEYS, MATCH_CHECKS, findings, load, matched

CASES = load()


def test_every_case_is_well_formed(kb):
    for case_id, case in CASES:
        assert set(case) <= KEYS and {"check", "entry", "text"} <= set(case), case_id
        assert case["check"] in CHECKS, f"{case_id}: unknown check {case['check']!r}"
        assert kb.get(case["entry"]) is not None, f"{case_id}: no knowledge entry {case['entry']!r}"


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_the_text_brings_up_its_entry_or_leaves_it_alone(kb, now, case):
    check, entry, text = case["check"], case["entry"], case["text"]
    shown = matched(kb, text) if check in MATCH_CHECKS else findings(kb, text, now)
    assert CHECKS[check](kb, text, entry, now), f"{check} {entry} ({case.get('source', '')}): got {shown[:5]}"
