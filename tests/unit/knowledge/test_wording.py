"""Our summaries are in our own words: none copies the vendor text they are derived from."""

from __future__ import annotations

import difflib
import re

import pytest


def norm(text: str) -> str:
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)  # split CamelCase names into words
    text = re.sub(r"\{[^}]*\}", " ", text)             # drop placeholders such as {0}
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def assert_own_words(ours: str, theirs: str, ident: str) -> None:
    a, b = norm(ours), norm(theirs)
    assert a != b, f"{ident}: summary repeats the source text"
    if len(b) >= 30:
        assert b not in a, f"{ident}: summary contains the source text verbatim"
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    assert ratio < 0.85, f"{ident}: summary is too close to the source ({ratio:.2f}): {ours!r} vs {theirs!r}"


def test_okta_summaries_are_ours(kb, okta_rows):
    for row in okta_rows:
        entry = kb.lookup_code("okta", row["errorCode"])
        assert_own_words(entry.summary, row["errorSummary"], entry.id)
        assert_own_words(entry.summary, row["title"], entry.id)


def test_aadsts_summaries_are_ours(kb, aadsts_rows):
    for row in aadsts_rows:
        entry = kb.lookup_code("aadsts", row["code"])
        assert_own_words(entry.summary, row["name_or_short_message"], entry.id)


def test_oauth_summaries_are_ours(kb, oauth_rows):
    for row in oauth_rows:
        entry = kb.lookup_code("oauth", row["error"])
        assert_own_words(entry.summary, row["description"], entry.id)


@pytest.mark.parametrize("phrase", ["Airia synchronizes SCIM changes", "Users who can already sign in will continue"])
def test_guide_sentences_are_not_copied(kb, phrase):
    for entry in kb.entries():
        blob = " ".join([entry.summary, *entry.causes, *entry.fix, *entry.where, *entry.collect])
        assert phrase.lower() not in blob.lower(), entry.id


def test_the_guard_catches_a_copy():
    with pytest.raises(AssertionError):
        assert_own_words("Invalid token provided", "Invalid token provided", "x")
    with pytest.raises(AssertionError):
        assert_own_words("Invalid token provided!", "Invalid token provided.", "x")
