"""The text every match of a phrase pattern must hold (bot/diagnostics/engine/literals.py): the phrase reader
skips a pattern whose text the paste lacks, so that text must be in every match, or a match is lost."""

from __future__ import annotations

import re

import pytest

from bot.diagnostics.engine.literals import MIN_REQUIRED, required_literals
from bot.diagnostics.text import fold
from bot.knowledge import load_knowledge


@pytest.mark.parametrize("pattern, required", [
    ("(?:assertion|response) (?:has |is )?expired", (("assertion", "response"), ("expired",))),
    ("sso works.{0,80}?(?:provisioning|scim) fails", (("sso works",), (" fails",))),
    (r"^token is not active", (("token is not active",),)),
    ("(?:abcd)+x", (("abcd",),)),
    ("(?:abcd)*xy", ()),  # a repeat that may not occur, and a run too short to tell
    ("(?:abcd)?wxyz", (("wxyz",),)),
    ("(?:invalid|x) token", ((" token",),)),  # one branch holds no text of MIN_REQUIRED characters
    ("(?:errors|error) found", ((" found",), ("error",))),  # the branches' common opening is factored out
    ("(?<!unsigned )assertion", (("assertion",),)),  # a look-behind's text need not be there
    ("(?!abcd)efgh", (("efgh",),)),
    ("a.{0,9}b", ()),
    ("(", ()),
])
def test_required_literals(pattern, required):
    assert required_literals(pattern) == required


def test_every_match_of_a_knowledge_pattern_holds_its_required_text():
    """Each pattern's matches in the knowledge's own words (its phrases, names and summaries, which the
    patterns are written to find) hold one text of each required group."""
    kb = load_knowledge()
    texts = [fold(" ".join([e.name, e.summary, *e.phrases])) for e in kb.entries()]
    checked = 0
    for entry in kb.entries():
        for pattern in entry.patterns:
            groups = required_literals(pattern)
            assert all(min(map(len, group)) >= MIN_REQUIRED for group in groups)
            rx = re.compile(pattern)
            for text in texts:
                for match in rx.finditer(text):
                    checked += 1
                    assert all(any(t in match.group(0) for t in group) for group in groups), (pattern, match.group(0))
    assert checked > 100
