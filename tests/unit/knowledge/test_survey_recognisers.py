"""Recognisers added after the December 2026 survey of causes people hit (issue 10, accuracy pass).

The messages and near texts of this area are cases in ``tests/data/recognition/saml-survey.toml`` (run by
``test_recognition_cases.py``); this module keeps the area's own rules.
"""

from __future__ import annotations

from .recognition import expected_entries

NEW_IDS = ("msg-shibboleth-address-mismatch", "msg-saml-relaystate-missing", "msg-saml-metadata-fetch-failed",
           "msg-auth0-failed-exchange-app-type", "msg-adfs-problem-accessing-site", "msg-oidc-id-token-missing",
           "msg-pkce-required", "msg-entra-b2c-forgot-password", "msg-entra-b2c-user-cancelled",
           "msg-entra-b2c-code-challenge-required", "msg-entra-b2c-redirect-not-registered",
           "msg-entra-b2c-federated-idp-error", "msg-entra-b2c-grant-other-policy")


def test_the_new_entries_are_deep_and_described_in_words(kb):
    tested = expected_entries("saml-survey")
    for entry_id in NEW_IDS:
        entry = kb.get(entry_id)
        assert entry is not None and entry.deep and entry.refs and entry.where, entry_id
        assert 5 <= len(entry.phrases) <= 12 and len(entry.name) <= 90, entry_id
        assert entry_id in tested, entry_id
