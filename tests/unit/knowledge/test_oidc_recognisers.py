"""OIDC and OAuth client libraries: their messages lead to the entry that explains them.

The messages and near texts of this area are cases in ``tests/data/recognition/oidc-libraries.toml`` (run by
``test_recognition_cases.py``); this module keeps the area's own rules.
"""

from __future__ import annotations

from collections import Counter

import pytest

from .recognition import expected_entries

OIDC_FILE = "oidc_libraries.toml"


ORDINARY = [
    "Hi team, we rolled out the new laptop images today. Please restart once, then sign in to the VPN and the "
    "intranet as usual. Shout in #it-help if anything looks odd.",
    "The state of the project is good; the code review is done and the token budget for the quarter is approved.",
    "Our proxy team will update the certificate on Friday; expect a short outage of the wiki.",
    "Can someone share the redirect for the new office? The old URL still works for now.",
    "I used the code you sent and it worked, thanks! The session at the conference was great.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_sentences_match_nothing_of_this_area(kb, text):
    assert not [m.entry.id for m in kb.match_text(text) if kb.source(m.entry.id) == OIDC_FILE]


def test_every_entry_of_the_area_is_reachable_and_described(kb):
    entries = [e for e in kb.entries() if kb.source(e.id) == OIDC_FILE]
    assert len(entries) >= 60
    tested = expected_entries("oidc-libraries")
    for entry in entries:
        assert entry.system == "message" and entry.id.startswith("msg-"), entry.id
        assert (entry.patterns or entry.exceptions) and entry.deep and entry.refs, entry.id
        assert 5 <= len(entry.phrases) <= 12, entry.id
        assert len(entry.name) <= 90, entry.id
        assert all(ref.startswith("https://") for ref in entry.refs), entry.id
    untested = sorted(e.id for e in entries if e.id not in tested)
    assert untested == [], f"entries without a recogniser test: {untested}"


CANONICAL = ["msg-access-token-expired-no-refresh", "msg-account-not-linked", "msg-app-public-url-wrong",
             "msg-config-placeholder-value", "msg-config-value-whitespace", "msg-idp-unreachable-from-app",
             "msg-jwt-alg-mismatch", "msg-oauth-client-auth-method", "msg-oidc-callback-replayed",
             "msg-oidc-concurrent-logins", "msg-oidc-issuer-host-mismatch", "msg-oidc-state-expired",
             "msg-oidc-unsolicited-callback", "msg-outbound-tls-version", "msg-pkce-verifier-invalid",
             "msg-sdk-redirect-uri-missing", "msg-token-endpoint-html"]


def test_the_canonical_causes_have_their_entries_here(kb):
    assert [entry_id for entry_id in CANONICAL if kb.source(entry_id) != OIDC_FILE] == []


def test_no_phrase_of_this_area_belongs_to_another_entry(kb):
    owners = Counter(phrase.strip().lower() for e in kb.entries() for phrase in e.phrases)
    ours = {phrase.strip().lower() for e in kb.entries() if kb.source(e.id) == OIDC_FILE for phrase in e.phrases}
    assert sorted(p for p in ours if owners[p] > 1) == []
