"""One pass over a paste finds which cue words it holds (bot/knowledge/cues.py), and the phrase prefilter
knows the literal text every match of a pattern opens with (engine_phrases.literal_starts)."""

from __future__ import annotations

import pytest

from bot.diagnostics.engine.phrases import literal_starts
from bot.knowledge.cues import Cues, CueSet, Scanner, literal_start


def test_the_scanner_gives_where_each_string_first_occurs():
    assert Scanner(["user", "sso", "absent"]).first("sso for a user, then sso again") == {"sso": 0, "user": 10}
    assert Scanner([]).first("anything") == {}


def test_cue_sets_anywhere_whole_words_and_patterns():
    cues = Cues({"kc": CueSet(anywhere=("keycloak",), words=("realm",)), "adfs": CueSet(patterns=(r"msis\d{4}",))})
    assert cues.found("the keycloak admin") == {"kc"}
    assert cues.found("two realms, no realm") == {"kc"}  # the second 'realm' is a whole word
    assert cues.found("realms only") == set()
    assert cues.found("msis7042 and msisx") == {"adfs"}
    assert cues.found("msisx then msis1234") == {"adfs"}  # not at the first place, but later
    first = Scanner(cues.literals).first("keycloak")
    assert cues.found("keycloak", first) == {"kc"}


@pytest.mark.parametrize("pattern, literal", [(r"msis\d{4}", "msis"), (r"\.net \d", ".net "), (r"e0000\d{3}\b", "e0000"),
                                              (r"users?\b", "user")])
def test_a_cue_pattern_opens_with_literal_text(pattern, literal):
    assert literal_start(pattern) == literal


@pytest.mark.parametrize("pattern, starts", [
    ("reply url specified", ("reply url specified",)),
    ("(?:assertion|response) expired", ("assertion expired", "response expired")),
    ("the (?:app|portal) yet", ("the app yet", "the portal yet")),
    ("users? (?:are |is )?not", ("user",)),
    ("id ?token", ()),
])
def test_literal_starts_follow_literal_alternatives(pattern, starts):
    assert literal_starts(pattern) == starts
