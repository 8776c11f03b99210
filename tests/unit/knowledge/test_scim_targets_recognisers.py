"""SCIM targets (AWS IAM Identity Center, Salesforce, Slack, seat-limited apps) and the session-5 symptoms.

Messages go through ``KnowledgeBase.match_text`` exactly as the software prints them, each cited with
where it is printed; plain-words descriptions go through the whole diagnosis. Negatives keep the
narrow entries narrow: RFC 7644's own invalidSyntax example shares AWS's wording and must stay
``scim-type-invalidSyntax``.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose


def found(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


PRINTED = [
    # AWS IAM Identity Center's SCIM endpoint, as Okta's provisioning task shows it (Okta KB "AWS Provisioning -
    # Errors reported by remote server: Request is unparsable, syntactically incorrect, or violates schema")
    ("Automatic provisioning of user jdoe to app AWS IAM Identity Center failed: Error while creating user jdoe: "
     "Bad Request. Errors reported by remote server: Request is unparsable, syntactically incorrect, or violates "
     "schema", "scim-aws-request-unparsable"),
    # the same detail in a CloudTrail event of the identitystore-scim service
    ('"eventSource": "identitystore-scim.amazonaws.com", "eventName": "CreateUser", "errorCode": '
     '"ValidationException", "errorMessage": "Request is unparsable, syntactically incorrect, or violates schema."',
     "scim-aws-request-unparsable"),
    # Salesforce API status code DUPLICATE_USERNAME, as Entra's provisioning log quotes it
    ("DUPLICATE_USERNAME: Duplicate Username.The username already exists in this or another Salesforce "
     "organization. Usernames must be unique across all Salesforce organizations.",
     "scim-salesforce-duplicate-username"),
    # Salesforce API status code LICENSE_LIMIT_EXCEEDED
    ("LICENSE_LIMIT_EXCEEDED: License Limit Exceeded", "scim-license-limit"),
    # defguard core, openid_login.rs: account creation refused at the licence's user limit
    ("Skipping OpenID account creation for user tester because license user limit has been reached (3/3)",
     "scim-license-limit"),
    # a SCIM 403 body of an app that enforces MAX_USERS on POST /Users
    ('{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"User limit reached (5 max)",'
     '"status":"403"}', "scim-license-limit"),
    # Slack SCIM API via Okta's connector (Okta task text): the token's account no longer authenticates
    ('Error executing checkUserExists: Unauthorized. Errors reported by the connector : '
     '{"Errors":{"description":"invalid_authentication","code":401}}', "scim-token-owner-removed"),
    # GitHub Enterprise Managed Users' SCIM API via Okta (Okta KB "GitHub Enterprise Managed User Integration
    # Fails to Link Existing Accounts"): the account was provisioned by another IdP
    ("Push new user to external application FAILURE: Bad Request. Errors reported by remote server: Another user "
     "already owns the account. Please have your administrator check the authentication log.",
     "scim-user-owned-by-other-source"),
    # GitLab OmniauthCallbacksController#handle_signup_error (the provider's label in the middle)
    ("Signing in using your saml account without a pre-existing GitLab account is not allowed.",
     "symptom-sso-ok-no-account-in-app"),
    # Grafana pkg/login errors.go: ErrSignUpNotAllowed
    ("Signup is not allowed for this adapter", "symptom-sso-ok-no-account-in-app"),
    # Sourcegraph auth providers: sessionIssuerHelper when no account matches the IdP's emails
    ("No user exists matching any of the verified emails: jane@example.com.", "symptom-sso-ok-no-account-in-app"),
    # Okta provisioning task when the app no longer has the user the deactivation targets
    ("Automatic provisioning of user Jane Doe to app Acme failed: Error while deactivating user jane@example.com: "
     "Not Found", "scim-user-deleted-in-target"),
]


@pytest.mark.parametrize("text,expected", PRINTED)
def test_printed_messages_find_their_entry(kb, text, expected):
    assert expected in found(kb, text)


def test_rfc_invalid_syntax_example_is_not_taken_for_aws(kb):
    # RFC 7644 section 3.12's example detail, the corpus sample rfc7644-3.7.3-error-invalid_syntax.json
    body = ('{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "scimType": "invalidSyntax", '
            '"detail": "Request is unparsable, syntactically incorrect, or violates schema.", "status": "400"}')
    assert "scim-aws-request-unparsable" not in found(kb, body)


@pytest.mark.parametrize("text", [
    "the license of the product we sell is limited to five users",  # the word "limit" alone is not a refusal
    "we reached the limit of what the group can do",
    "invalid authentication method selected in the form",
    "token expired",
])
def test_unrelated_text_does_not_match(kb, text):
    ids = set(found(kb, text))
    assert not ids & {"scim-license-limit", "scim-token-owner-removed", "scim-aws-request-unparsable",
                      "scim-salesforce-duplicate-username"}


# --------------------------------------------------------------------------- described in words

SAID = [
    ("users in nested groups are not provisioned, only direct members of the assigned group show up",
     "symptom-nested-groups-not-provisioned"),
    ("SSO only works for admins, regular users get an error after login", "symptom-works-for-admins-only"),
    ("users stay signed in forever, how do I shorten the session", "symptom-session-too-long"),
    ("can I get an email when scim provisioning fails", "symptom-provisioning-failure-alerts"),
    ("provisioning fails because the app has no licenses left, seat limit reached", "scim-license-limit"),
    ("SCIM provisioning stopped after the admin who set up the token left the company", "scim-token-owner-removed"),
    ("the scim secret token expired and provisioning stopped", "symptom-scim-token-expiring"),
    ("blank white page after signing in with Okta", "symptom-blank-page-after-login"),
    ("only people who already have an account in the app can log in via SSO, new people get dropped back on the "
     "login page", "symptom-sso-ok-no-account-in-app"),
]


@pytest.mark.parametrize("text,expected", SAID)
def test_described_in_words_leads_to_the_entry(text, expected):
    codes = [f.code for f in diagnose(text).findings[:2]]
    assert expected in codes, codes


def test_new_entries_have_enough_phrases(kb):
    for entry_id in ("symptom-nested-groups-not-provisioned", "symptom-works-for-admins-only",
                     "symptom-session-too-long", "symptom-provisioning-failure-alerts", "scim-license-limit",
                     "scim-token-owner-removed", "scim-aws-request-unparsable", "scim-salesforce-duplicate-username",
                     "symptom-sso-ok-no-account-in-app", "scim-user-owned-by-other-source"):
        entry = kb.get(entry_id)
        assert entry is not None, entry_id
        assert 5 <= len(entry.phrases) <= 12, entry_id
        assert entry.causes and entry.fix and entry.refs, entry_id
