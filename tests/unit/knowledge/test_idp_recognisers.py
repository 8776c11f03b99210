"""Identity providers other than Microsoft: their messages without a code are recognised.

The messages and near texts of this area are cases in ``tests/data/recognition/idp-messages.toml`` (run by
``test_recognition_cases.py``); this module keeps the area's own rules.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from .recognition import expected_entries

IDP_FILES = ("google.toml", "auth0.toml", "keycloak.toml", "okta_messages.toml", "other_idps.toml")
IDP_PREFIXES = ("msg-google-", "msg-auth0-", "msg-keycloak-", "msg-okta-", "msg-ping-", "msg-authentik-", "msg-cognito-",
                "msg-authelia-", "msg-dex-", "msg-zitadel-", "msg-gitlab-", "msg-duo-",
                "msg-aws-")


# Okta's own catalogue of OAuth error descriptions (shared/corpus/codes/okta_oauth2_error_codes.json, from
# okta/okta-developer-docs), by internalErrorCode: the entry each description must lead to.
OKTA_CATALOGUE = {
    "no_matching_policy": "msg-okta-no-access-policy",
    "no_scope_allowed": "msg-okta-no-access-policy",
    "no_matching_scope": "msg-okta-scope-not-configured",
    "unsupported_auth_method_browser_request": "msg-okta-browser-token-request",
    "illegal_origin_browser_request": "msg-okta-browser-token-request",
    "not_trusted_origin_browser_request": "msg-okta-browser-token-request",
    "unsupported_scope_browser_request": "msg-okta-browser-token-request",
    "unsupported_grant_type_browser_request": "msg-okta-browser-token-request",
    "pkce_verification_failed": "msg-okta-pkce-verification-failed",
    "pkce_verification_failed_with_reason": "msg-okta-pkce-verification-failed",
    "pkce_missing_challenge": "msg-okta-pkce-required",
    "pkce_missing_verifier": "msg-okta-pkce-required",
    "pkce_challenge_required": "msg-okta-pkce-required",
    "invalid_authorization_code": "msg-okta-auth-code-invalid",
    "mismatched_redirect_uri": "msg-okta-auth-code-invalid",
    "invalid_refresh_token": "msg-okta-refresh-token-invalid",
    "unauthorized_client": "msg-okta-grant-type-not-allowed",
    "illegal_post_logout_redirect_uri": "msg-okta-post-logout-redirect-not-registered",
    # Added in session 8 (w-idp): client authentication, client credentials on the org server, network zones,
    # the password grant under MFA, scopes, mismatched codes.
    "invalid_client": "msg-okta-client-auth-failed",
    "missing_client_credentials": "msg-okta-client-auth-failed",
    "invalid_basic_auth_creds": "msg-okta-client-auth-failed",
    "client_assertion_invalid_audience": "msg-okta-client-assertion-invalid",
    "client_assertion_invalid_kid": "msg-okta-client-assertion-invalid",
    "client_assertion_jwks_not_configured": "msg-okta-client-assertion-invalid",
    "client_assertion_expired_token": "msg-okta-client-assertion-invalid",
    "client_assertion_already_used": "msg-okta-client-assertion-invalid",
    "unsupported_auth_method_client_creds": "msg-okta-org-as-client-credentials",
    "invalid_application_type_client_credentials": "msg-okta-org-as-client-credentials",
    "no_org_scopes_granted": "msg-okta-org-as-client-credentials",
    "disallowed_network_zone": "msg-okta-network-zone-denied",
    "password_auth_denied_mfa": "msg-okta-password-grant-denied",
    "password_auth_denied_policy": "msg-okta-password-grant-denied",
    "scope_denied": "msg-okta-no-access-policy",
    "mismatched_client": "msg-okta-auth-code-invalid",
    "mismatched_authorization_server": "msg-okta-auth-code-invalid",
}


@pytest.fixture(scope="module")
def okta_catalogue(corpus) -> dict[str, str]:
    doc = json.loads((corpus / "codes" / "okta_oauth2_error_codes.json").read_text(encoding="utf-8"))
    return {row["internalErrorCode"]: row["errorDescription"] for row in doc["errors"] if "internalErrorCode" in row}


@pytest.mark.parametrize(("internal_code", "expected"), sorted(OKTA_CATALOGUE.items()))
def test_okta_catalogue_descriptions_lead_to_their_entry(kb, okta_catalogue, internal_code, expected):
    description = okta_catalogue[internal_code]
    found = [m.entry.id for m in kb.match_text(description)]
    assert found and found[0] == expected, f"{internal_code} {description!r}: got {found}"


def test_other_okta_descriptions_do_not_pull_in_keycloak_or_google_entries(kb, okta_catalogue):
    strays = {code: [m.entry.id for m in kb.match_text(text) if m.entry.id.startswith(("msg-keycloak-", "msg-google-"))]
              for code, text in okta_catalogue.items()}
    assert {code: ids for code, ids in strays.items() if ids} == {}


def test_plain_conversation_matches_nothing_of_this_area(kb):
    text = ("Hi team, we rolled out the new laptop images today. Please restart once, then sign in to the VPN "
            "and the intranet as usual. Shout in #it-help if anything looks odd.")
    assert not [m.entry.id for m in kb.match_text(text) if m.entry.id.startswith(IDP_PREFIXES)]


def test_every_entry_of_the_area_is_reachable_and_described(kb):
    entries = [e for e in kb.entries() if kb.source(e.id) in IDP_FILES]
    assert len(entries) >= 85
    tested = expected_entries("idp-messages")
    for entry in entries:
        assert entry.system == "message" and entry.id.startswith(IDP_PREFIXES), entry.id
        assert entry.patterns and entry.deep and entry.refs, entry.id
        assert 5 <= len(entry.phrases) <= 12, entry.id
        assert len(entry.name) <= 90, entry.id
    untested = sorted(e.id for e in entries if e.id not in tested)
    assert untested == [], f"entries without a recogniser test: {untested}"


def test_no_two_entries_share_a_phrase(kb):
    counts = Counter(p.strip().lower() for e in kb.entries() for p in e.phrases)
    assert [p for p, n in counts.items() if n > 1] == []


def test_the_canonical_causes_of_this_area_have_their_ids(kb):
    # Ids fixed by the issue-10 cause list for this area; they are stored elsewhere, so they never change.
    canonical = """msg-auth0-audience-not-found msg-auth0-rule-denied msg-auth0-web-origins-missing
    msg-google-autoprovisioning-auth-failed msg-google-consent-internal msg-google-js-origin-missing
    msg-google-oob-retired msg-google-saml-app-off-for-user msg-google-saml-entity-id-mismatch
    msg-google-sso-profile-incomplete msg-google-testing-refresh-expiry msg-google-testing-user-not-listed
    msg-google-webview-blocked msg-google-wrong-client-type msg-keycloak-cluster-sessions
    msg-keycloak-confidential-client-in-browser msg-keycloak-https-required msg-keycloak-logout-parameters
    msg-keycloak-other-user-session msg-keycloak-required-action-pending msg-keycloak-saml-client-id
    msg-keycloak-saml-signature-required msg-keycloak-session-timeout msg-ping-adapter-error
    msg-okta-no-access-policy msg-okta-no-custom-authorization-server msg-okta-org-as-token-not-verifiable
    msg-okta-profile-property-conflict msg-okta-trusted-origin-missing msg-okta-wrong-authorization-server""".split()
    assert len(canonical) == 30
    assert [i for i in canonical if kb.get(i) is None] == []
