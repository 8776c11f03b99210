"""Lookups by code, and finding messages and symptoms in free text."""

from __future__ import annotations

import json
import random
import string

import pytest


@pytest.mark.parametrize(
    ("system", "code", "expected"),
    [
        ("aadsts", "50011", "aadsts-50011"),
        ("aadsts", "AADSTS50011", "aadsts-50011"),
        ("aadsts", 50105, "aadsts-50105"),
        ("okta", "E0000011", "okta-E0000011"),
        ("okta", "e0000011", "okta-E0000011"),
        ("oauth", "invalid_client", "oauth-invalid_client"),
        ("oauth", "Invalid_Client", "oauth-invalid_client"),
        ("idx", "IDX21316", "idx-21329"),  # the older number of the same state error
        ("http", "401", "http-401"),
        ("http", "HTTP 502", "http-502"),
        ("scim_type", "uniqueness", "scim-type-uniqueness"),
        ("scim_type", "invalidfilter", "scim-type-invalidFilter"),
        ("entra_provisioning", "SystemForCrossDomainIdentityManagementUnauthorized",
         "entra-prov-SystemForCrossDomainIdentityManagementUnauthorized"),
        ("entra_provisioning", "EntryConflict", "entra-prov-EntryConflict"),
        ("entra_provisioning", "ContosoEntryConflict", "entra-prov-EntryConflict"),
        ("entra_provisioning", "SalesforceDuplicateTargetEntries", "entra-prov-DuplicateTargetEntries"),
        ("entra_provisioning", "HighErrorRate", "entra-prov-EncounteredEscrowProportionThreshold"),
        ("entra_provisioning", "quarantine", "entra-prov-quarantine"),
        ("okta_event", "application.provision.user.push", "okta-event-application_provision_user_push"),
    ],
)
def test_lookup_code(kb, system, code, expected):
    entry = kb.lookup_code(system, code)
    assert entry is not None and entry.id == expected


@pytest.mark.parametrize(
    ("system", "code"),
    [("aadsts", "99999999"), ("okta", "E0009999"), ("oauth", "nope"), ("http", "418"),
     ("entra_provisioning", "Conflicted"), ("entra_provisioning", ""),
     # aliases match exactly only; suffixes are for real codes ("ContosoEntryConflict")
     ("entra_provisioning", "MergeConflict"), ("entra_provisioning", "NotQuarantined")],
)
def test_lookup_misses_return_none(kb, system, code):
    assert kb.lookup_code(system, code) is None


def test_lookup_rejects_an_unknown_system(kb):
    with pytest.raises(ValueError):
        kb.lookup_code("adsts", "50011")


def test_entry_conflict_from_the_graph_provisioning_log(kb, corpus):
    data = json.loads((corpus / "logs" / "graph_provisioningobjectsummary_list_failure.json").read_text())
    code = data["value"][0]["provisioningStatusInfo"]["errorInformation"]["errorCode"]
    assert code == "ContosoEntryConflict"
    assert kb.lookup_code("entra_provisioning", code).id == "entra-prov-EntryConflict"
    reason = data["value"][0]["provisioningStatusInfo"]["errorInformation"]["reason"]
    assert "entra-prov-EntryConflict" in [m.entry.id for m in kb.match_text(reason)]


def test_http_context(kb):
    assert kb.lookup_code("http", "401").id == "http-401"
    assert kb.lookup_code("http", "401", context="scim").id == "http-401-scim"
    assert kb.lookup_code("http", "401", context="sso").id == "http-401-sso"
    assert kb.lookup_code("http", "502", context="sso").id == "http-502-sso"
    assert kb.lookup_code("http", "404", context="scim").id == "http-404-scim"
    # no SCIM-specific 429: fall back to the generic entry
    assert kb.lookup_code("http", "429", context="scim").id == "http-429"


def test_unknown_aadsts_points_to_microsoft(kb):
    entry = kb.unknown_aadsts("AADSTS12345678")
    assert entry.id == "aadsts-12345678" and entry.code == "12345678"
    assert not entry.deep
    assert "https://login.microsoftonline.com/error?code=12345678" in entry.refs
    assert kb.lookup_code("aadsts", "12345678") is None
    with pytest.raises(ValueError):
        kb.unknown_aadsts("not-a-code")


def test_unknown_okta_points_to_okta(kb):
    entry = kb.unknown_okta("e0000999")
    assert entry.id == "okta-E0000999" and not entry.deep
    assert entry.refs == ["https://developer.okta.com/docs/reference/error-codes/"]


REALISTIC = [
    ("AADSTS50011: The redirect URI 'https://app.example.com/callback' specified in the request does not match "
     "the redirect URIs configured for the application 'b3c1f0e2-0000-4000-8000-000000000000'. Make sure the "
     "redirect URI sent in the request matches one added to your application in the Azure portal.",
     "msg-reply-url-mismatch"),
    ("AADSTS50011: The reply URL specified in the request does not match the reply URLs configured for the application.",
     "msg-reply-url-mismatch"),
    ("The signed in user 'bob@contoso.com' is not assigned to a role for the application 'x' (Contoso).",
     "msg-user-not-assigned"),
    ("Automatic provisioning of user Jane Doe to app Acme failed: Error while verifying if user jane@x.com exists: "
     "Unauthorized. Errors reported by remote server: Unauthorized", "okta-msg-automatic-provisioning-failed"),
    ("Error while trying to push profile update for jane@x.com: Bad Request", "okta-msg-push-profile-failed"),
    ("OneLogin_Saml2_ValidationError: Could not validate timestamp: not yet valid. Check system clock.",
     "msg-saml-not-yet-valid"),
    ("Could not validate timestamp: expired. Check system clock.", "msg-saml-expired"),
    ("Invalid audience for this Response (expected 'https://sp.example.com/metadata', got 'https://other')",
     "msg-saml-invalid-audience"),
    ("Signature validation failed. SAML Response rejected", "msg-saml-signature-invalid"),
    ("Invalid issuer in the Assertion/Response (expected 'https://idp', got 'https://evil')", "msg-invalid-issuer"),
    ("We're sorry... Invalid parameter: redirect_uri", "msg-keycloak-invalid-redirect-uri"),
    ("AADSTS7000222: The provided client secret keys for app 'abc' are expired.", "msg-client-secret-expired"),
    ("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client "
     "secret value, not the client secret ID", "msg-client-secret-invalid"),
    ("You appear to have entered invalid credentials. Please confirm you are using the correct information for an "
     "administrative account.", "msg-entra-test-connection-invalid-credentials"),
    ('{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"uniqueness","detail":"dup","status":"409"}',
     "scim-type-uniqueness"),
    ("mismatching_state: CSRF Warning! State not equal in request and response.", "msg-oidc-state-mismatch"),
    ("users are not showing up in the app after we assigned them", "symptom-users-not-provisioned"),
    ("we are stuck in a redirect loop after login", "symptom-redirect-loop"),
    ("Chrome says ERR_TOO_MANY_REDIRECTS", "symptom-redirect-loop"),
    ("what does 502 vs 503 mean here?", "symptom-502-vs-503"),
    ("the provisioning job is in quarantine since Monday", "entra-prov-quarantine"),
    ("Tenant URL: https://x.example.com/scim/v2?aadOptscim062020", "scim-aadoptscim062020"),
]


@pytest.mark.parametrize(("text", "expected"), REALISTIC)
def test_match_text_finds_realistic_messages(kb, text, expected):
    ids = [m.entry.id for m in kb.match_text(text)]
    assert expected in ids


def test_match_text_order_snippet_and_uniqueness(kb):
    text = ("first a redirect loop, then users are not showing up, and again a redirect loop; "
            "finally: Invalid parameter: redirect_uri")
    matches = kb.match_text(text)
    ids = [m.entry.id for m in matches]
    assert ids == ["symptom-redirect-loop", "symptom-users-not-provisioned", "msg-keycloak-invalid-redirect-uri"]
    assert [m.start for m in matches] == sorted(m.start for m in matches)
    assert matches[0].snippet.lower() == "redirect loop"
    assert text[matches[0].start:].lower().startswith("redirect loop")


def test_match_text_on_nothing(kb):
    assert kb.match_text("") == []
    assert kb.match_text("hello world, all is fine") == []


def test_match_text_is_safe_on_100kb_inputs(kb):
    rng = random.Random(20261128)
    alphabet = string.ascii_letters + string.digits + " .:/'\"-_=<>{}"
    noise = "".join(rng.choice(alphabet) for _ in range(100_000))
    assert kb.match_text(noise) == []
    # near-misses that start many patterns and never finish them
    teasers = ["redirect uri ", "automatic provisioning of user x to app ", "issuer ", "audience ", "scimtype: ",
               "client secret ", "errors reported by remote server: ", "test api credentials "]
    for teaser in teasers:
        text = (teaser * (100_000 // len(teaser) + 1))[:100_000]
        for match in kb.match_text(text):
            assert match.snippet  # whatever matches must be a real match, not a hang
    # a needle at the end of a big haystack is still found
    needle = "Invalid parameter: redirect_uri"
    found = kb.match_text(noise + " " + needle)
    assert [m.entry.id for m in found] == ["msg-keycloak-invalid-redirect-uri"]
    assert found[0].start == 100_001
