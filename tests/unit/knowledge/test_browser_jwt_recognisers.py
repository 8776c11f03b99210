"""Browser OIDC libraries, bearer-token (JWT) libraries and SAML toolkits' terse errors, recognised as printed.

The messages and near texts of this area are cases in ``tests/data/recognition/browser-jwt.toml`` (run by
``test_recognition_cases.py``); this module keeps the area's own rules.
"""

from __future__ import annotations

import pytest

from .recognition import expected_entries

NEW_ENTRIES = {"msg-spa-oidc-state-not-in-storage", "msg-spa-oidc-nonce-overwritten", "msg-spa-oidc-silent-renew-timeout",
               "msg-spa-oidc-discovery-strict-validation", "msg-jwt-api-audience-invalid", "msg-jwt-api-token-not-a-jwt",
               "msg-onelogin-saml-invalid-response", "msg-spring-saml2-signing-credential-missing",
               "msg-authelia-unsafe-redirect", "msg-envoy-oauth2-flow-failed", "msg-saml-acs-csrf-rejected"}


ORDINARY = [
    "Hi team, the new laptops arrive on Monday; please sign in to the VPN first and then to the intranet.",
    "We store the user's preferences in local storage and the state of the wizard in the session.",
    "The frame of the window broke during the move; facilities will replace it next week.",
    "Please check the audience for the town hall invitation before sending it.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_sentences_match_none_of_the_new_entries(kb, text):
    assert not [m.entry.id for m in kb.match_text(text) if m.entry.id in NEW_ENTRIES]


def test_every_new_entry_is_tested_and_complete(kb):
    tested = expected_entries("browser-jwt")
    for entry_id in sorted(NEW_ENTRIES):
        entry = kb.get(entry_id)
        assert entry is not None and entry.deep and entry.refs and entry.where and entry.collect, entry_id
        assert entry.patterns and 5 <= len(entry.phrases) <= 12 and len(entry.name) <= 95, entry_id
        assert all(p == p.lower() for p in entry.patterns), entry_id
        assert all(related != entry_id and kb.get(related) for related in entry.related), entry_id
        assert entry_id in tested, entry_id
