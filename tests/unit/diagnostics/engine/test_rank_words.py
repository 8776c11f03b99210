"""How the free-text ranker reads words and orders its answers (bot/diagnostics/engine/rank.py), on a small
made-up knowledge base and lexicon, so that the tests hold whatever the shipped knowledge says."""

from __future__ import annotations

import pytest

from bot.diagnostics.engine.rank import Ranker
from bot.knowledge import load_knowledge
from bot.knowledge.lexicon import Lexicon
from bot.knowledge.products import products_in

_LEXICON = Lexicon({"login": "login", "log in": "login", "sign in": "login", "sign-in": "login",
                    "user": "user", "account": "user"}, frozenset({"login", "quandrix"}))

_ENTRIES = """
[[entry]]
id = "msg-quandrix-callback"
system = "message"
name = "Quandrix callback rejected"
summary = "The wombling callback rejects the quandrix after login."
phrases = ["quandrix rejected at the wombling callback", "wombling callback says quandrix invalid"]

[[entry]]
id = "symptom-quandrix-slow"
system = "symptom"
name = "Quandrix slow after login"
summary = "The quandrix takes long after login."
phrases = ["quandrix slow after login", "wombling quandrix takes ages"]

[[entry]]
id = "msg-unrelated"
system = "message"
name = "Frobnitz overflow"
summary = "The frobnitz buffer overflows."
phrases = ["frobnitz overflow"]
"""


@pytest.fixture(scope="module")
def ranker(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb")
    (folder / "quandrix.toml").write_text(_ENTRIES)
    return Ranker(load_knowledge(folder), _LEXICON)


@pytest.mark.parametrize("said", ["she signs in", "signed in", "signing in", "he logs in", "logged in",
                                  "after the sign-in"])
def test_every_form_of_a_synonym_counts_as_its_group(ranker, said):
    # The lexicon lists "sign in" and "log in" only: the stems carry every inflected form to "login".
    assert ranker.words(said) == ["login"]


def test_a_plural_of_a_synonym_folds_too(ranker):
    assert ranker.words("accounts") == ranker.words("users") == ["user"]


def test_what_a_contraction_leaves_is_no_word(ranker):
    # "doesn't" splits into "doesn" and "t": neither may count as a rare word shared with an entry.
    assert ranker.words("it doesn't work and they don't know why, it isn't fixed") == ["work", "fix"]


def test_the_best_match_leads_whatever_its_kind(ranker):
    # The symptom fits the words almost as well as the message (within a few percent); the message fits
    # better, so it leads: no kind of entry is put first for its kind.
    ranked = ranker.rank("wombling callback: quandrix rejected, takes ages")
    ids = [r.entry.id for r in ranked]
    assert ids[:2] == ["msg-quandrix-callback", "symptom-quandrix-slow"], ids
    assert ranked[0].score > ranked[1].score > 0.9 * ranked[0].score
    assert ranked[0].confidence > ranked[1].confidence


def test_a_symptom_said_in_words_leads_when_it_fits_best(ranker):
    ids = [r.entry.id for r in ranker.rank("the quandrix is so slow after login, it takes ages")]
    assert ids[:1] == ["symptom-quandrix-slow"], ids


def test_words_shared_with_no_entry_give_nothing(ranker):
    assert ranker.rank("the weather is lovely today") == []


@pytest.mark.parametrize("text, product", [
    ("users can't sign in to office 365 since monday", "entra"),
    ("sso to microsoft 365 fails for federated users", "entra"),
    ("o365 login keeps looping", "entra"),
    ("the gmail api token stops working after a week", "google"),
])
def test_the_suite_people_name_shows_its_identity_provider(text, product):
    assert product in products_in(text)


def test_a_word_inside_another_is_no_sign():
    assert "entra" not in products_in("the bo365x build") and "google" not in products_in("gmailer.py crashed")
