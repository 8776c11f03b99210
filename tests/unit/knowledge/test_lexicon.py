"""The synonym table of the free-text ranker (bot/knowledge/data/lexicon/synonyms.toml), validated at load."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeError
from bot.knowledge.lexicon import load_lexicon


def test_the_shipped_lexicon_loads():
    lexicon = load_lexicon()
    assert lexicon.synonyms["sign-in"] == "login" and lexicon.synonyms["azure ad"] == "entra"
    assert lexicon.synonyms["too many redirects"] == "redirect loop"
    assert {"saml", "scim", "login"} <= lexicon.domain


@pytest.mark.parametrize("text, problem", [
    ('[[group]]\nwords = ["login"]\n', "at least two"),
    ('[[group]]\nwords = ["Login", "logon"]\n', "lower-case"),
    ('[[group]]\nwords = ["a", "b"]\n[[group]]\nwords = ["b", "c"]\n', "already in the group"),
    ('other = 1\n', "unknown top-level"),
])
def test_a_bad_lexicon_is_refused(tmp_path, text, problem):
    path = tmp_path / "synonyms.toml"
    path.write_text(text)
    with pytest.raises(KnowledgeError, match=problem):
        load_lexicon(path)
