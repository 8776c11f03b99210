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


@pytest.mark.parametrize("variant, canonical", [
    ("chiclet", "tile"), ("my apps portal", "tile"), ("white page", "blank page"), ("inprivate", "incognito"),
    ("private window", "incognito"), ("logs me back in", "signed back in"), ("no such user", "user not found"),
    ("after the update", "upgrade"), ("system clock", "clock skew"),
])
def test_words_people_use_for_one_thing_share_a_group(variant, canonical):
    # From the December 2026 survey's threads: each variant is how someone described the canonical thing.
    assert load_lexicon().synonyms[variant] == canonical


def test_a_private_window_said_in_other_words_reaches_the_same_symptom():
    from bot.diagnostics.engine import diagnose
    said = [f.code for f in diagnose("SSO login only works in an InPrivate window, the normal one fails").findings]
    assert "symptom-works-in-incognito-only" in said[:2]


def test_provisioning_admins_own_words_make_a_paste_about_sign_in_or_provisioning():
    # "Test connection" and attributes are what Entra and Okta admins talk about; such a paste is ranked, not
    # sent to the menu for want of a sign-in word.
    from bot.diagnostics.engine import diagnose
    assert {"test connection", "attribute"} <= load_lexicon().domain
    codes = [f.code for f in diagnose("Manager attribute not populated in the app").findings]
    assert "scim-manager-reference" in codes[:2]
    codes = [f.code for f in diagnose("Test connection works but no users are created").findings]
    assert "symptom-users-not-provisioned" in codes[:2]
