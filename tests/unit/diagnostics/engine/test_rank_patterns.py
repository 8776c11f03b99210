"""A message pattern's literal words are one more phrase of its entry in the ranker's phrase index, so a paste
that words the message a little differently (the pattern misses it) is still ranked to it."""

from __future__ import annotations

import shutil

import pytest

from bot.diagnostics.engine import rank
from bot.diagnostics.engine.query import pattern_text, raw_words
from bot.diagnostics.engine.rank import Ranker
from bot.knowledge import load_knowledge
from tests.conftest import REPO

_ENTRIES = """
[[entry]]
id = "msg-frobnitz-rejected"
system = "message"
name = "Frobnitz refused"
summary = "The glimmer service refused the frobnitz."
phrases = ["quillet refused at startup"]
patterns = ["the frobnitz (?:token|key) was rejected by (?:the )?glimmer(?! test)", "zx\\\\d{4}\\\\b",
            "quillet refused at startup"]
"""


@pytest.mark.parametrize("pattern, words", [
    ("invalid redirect: (?:must|cannot|domain must)", "invalid redirect must cannot domain must"),
    (r"error 400: invalid_request[\s\S]{0,300}?redirect_uri[=:] ?http://(?!localhost|127\.0\.0\.1)",
     "error 400 invalid request redirect uri http"),
    (r"realm(?<!\wrealm)(?<!federation realm)\b", "realm"),
    (r"sign-?in .{0,40}?loop", "sign in loop"),
])
def test_the_regex_syntax_is_blanked_and_the_words_stay(pattern, words):
    # Look-arounds say what must not be there, and classes are no words: both go; each alternative stays.
    assert raw_words(pattern_text(pattern)) == words.split()


def _kb(tmp_path):
    data = tmp_path / "kb"
    shutil.copytree(REPO / "bot" / "knowledge" / "data", data)
    (data / "frobnitz.toml").write_text(_ENTRIES)
    return load_knowledge(data)


def test_a_pattern_with_words_is_a_phrase_a_code_pattern_or_a_repeat_is_not(tmp_path):
    kb = _kb(tmp_path)
    ranker = Ranker(kb)
    phrases = ranker._phrases_of(kb.get("msg-frobnitz-rejected"))
    assert phrases[0] == ranker.words("quillet refused at startup")
    assert ranker.words("the frobnitz token key was rejected by the glimmer") in phrases
    assert len(phrases) == 2  # "zx\d{4}" says one word; the third pattern repeats the phrase


def test_a_message_worded_differently_is_ranked_to_its_entry(tmp_path, monkeypatch):
    kb = _kb(tmp_path)
    text = "our glimmer rejected the frobnitz key again after the upgrade"
    ranked = Ranker(kb).rank(text)
    assert [r.entry.id for r in ranked][:1] == ["msg-frobnitz-rejected"]
    monkeypatch.setattr(rank, "PATTERN_PHRASES", False)  # without the pattern's words it scores less
    assert Ranker(kb).rank(text)[0].score < ranked[0].score
