"""Library, framework and proxy messages found in a survey of public issue threads, recognised as printed.

The messages and near texts of this area are cases in ``tests/data/recognition/library-survey.toml`` (run by
``test_recognition_cases.py``); this module keeps the area's own rules.
"""

from __future__ import annotations

import pytest

from .recognition import expected_entries

ORDINARY = [
    "Hi team, the new laptops arrive on Monday; please sign in to the VPN first and then to the intranet.",
    "The metadata for the photos is stored in the media library; nothing changed there.",
    "Our gateway team will rotate the TLS certificate on Friday night.",
]

SURVEY_ENTRIES = {"msg-saml-sp-idp-metadata-missing", "msg-saml-cert-chain-validation", "msg-saml-xmlsec-native-library",
                  "msg-mellon-redirect-domains", "msg-mozilla-oidc-claims-verification", "msg-proxy-auth-cookie-domain",
                  "msg-proxy-user-not-allowed", "msg-proxy-jwks-fetch-failed", "msg-proxy-jwt-issuer-unknown",
                  "msg-cognito-saml-user-attributes", "msg-cognito-invalid-relaystate",
                  "msg-pkce-insecure-context", "msis-7001", "msis-7070", "msis-7000",
                  "msg-keycloak-behind-proxy", "msg-passportjs-session-regenerate",
                  "msg-cloudflare-access-invalid-session", "msg-cloudflare-access-saml-no-certificate",
                  "msg-cloudflare-access-idp-initiated",
                  "msg-cloudflare-access-idp-groups-fetch"}


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_sentences_match_none_of_the_survey_entries(kb, text):
    assert not [m.entry.id for m in kb.match_text(text) if m.entry.id in SURVEY_ENTRIES]


def test_every_survey_entry_is_tested_and_complete(kb):
    tested = expected_entries("library-survey")
    for entry_id in sorted(SURVEY_ENTRIES):
        entry = kb.get(entry_id)
        assert entry is not None and entry.deep and entry.refs and entry.where and entry.collect, entry_id
        assert entry.patterns and 5 <= len(entry.phrases) <= 12 and len(entry.name) <= 90, entry_id
        assert all(related != entry_id and kb.get(related) for related in entry.related), entry_id
        assert entry_id in tested, entry_id
