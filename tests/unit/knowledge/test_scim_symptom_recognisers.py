"""SCIM behaviour and symptom entries: the text they are recognised by, and how they are kept.

Two kinds of input go through ``KnowledgeBase.match_text``:

* message strings exactly as SCIM servers, frameworks and IdPs print them, each cited with the
  source file or page that prints it (only the message is taken over, not the surrounding code);
* problems described in plain words, the way an admin types them in Slack, for the guide's topics
  and the symptoms people report most.

Free-text ranking of ``phrases`` is built elsewhere; here we hold the phrases to their contract
(every symptom has at least five, no phrase belongs to two entries) so that ranking has material.
"""

from __future__ import annotations

import re

import pytest

from bot.diagnostics.engine import diagnose

# The canonical ids for SCIM behaviour and symptoms gathered from public threads (issue 10). They
# are stable: other modules and stored findings refer to them.
CANONICAL = """
scim-attribute-namespace-wrong scim-attribute-value-invalid scim-content-type scim-created-user-inactive
scim-deactivation-ignored scim-error-body-not-json scim-filter-ignored scim-invalid-role-value scim-missing-schemas
scim-patch-format-mismatch scim-sso-identifier-mismatch scim-target-unsupported scim-user-deleted-in-target
scim-username-normalisation-conflict scim-web-server-blocks-methods symptom-after-upgrade
symptom-entra-groups-overage symptom-entra-signout-no-redirect symptom-group-members-not-assigned
symptom-logout-idp-session-kept symptom-okta-group-push-same-group symptom-provisioning-cycle-delay
""".split()


def found(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


# --------------------------------------------------------------------------- messages as software prints them

PRINTED = [
    # Captain-P-Goldfish/SCIM-SDK, scim-sdk-server PatchTargetHandler: remove with a value list (Entra's default form)
    ("values must not be set for remove operation but was: hello world", "scim-patch-format-mismatch"),
    ("Values must not be set for remove operation but was: [{\"value\":\"u1091\"}]", "scim-patch-format-mismatch"),
    # Captain-P-Goldfish/SCIM-SDK: a remove without a path
    ("no target present within the request", "scim-patch-format-mismatch"),
    # metatavu keycloak-scim-server, patch/UnsupportedPatchOperation.java
    ("Unsupported or invalid SCIM patch operation: Replace", "scim-patch-format-mismatch"),
    # Go encoding/json UnmarshalTypeError.Error(), for Entra's "value": "False" on active
    ("json: cannot unmarshal string into Go struct field PatchOperation.value of type bool",
     "scim-entra-string-boolean"),
    # System.Text.Json (SR.DeserializeUnableToConvertValue), same body
    ("The JSON value could not be converted to System.Boolean. Path: $.Operations[0].value | LineNumber: 0 | "
     "BytePositionInLine: 71.", "scim-entra-string-boolean"),
    # zod v3 invalid_type message
    ("ZodError: Expected boolean, received string at Operations[0].value", "scim-entra-string-boolean"),
    # Joi boolean.base ({{#label}} must be a boolean)
    ('"active" must be a boolean', "scim-entra-string-boolean"),
    # Spring 5 HttpMediaTypeNotSupportedException and Spring 6 wording
    ("Content type 'application/scim+json;charset=UTF-8' not supported", "scim-content-type"),
    ("Content-Type 'application/scim+json' is not supported", "scim-content-type"),
    # Django REST framework exceptions.UnsupportedMediaType default_detail
    ('Unsupported media type "application/scim+json" in request.', "scim-content-type"),
    # Rails ActionController log subscriber ("Processing by %s#%s as %s")
    ("Processing by Scim::UsersController#create as HTML", "scim-content-type"),
    # jackson-core ParserBase._reportInvalidToken, an HTML or text error body read as JSON
    ("Unrecognized token 'Bad': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or "
     "'false')", "scim-error-body-not-json"),
    # Newtonsoft.Json JsonTextReader on an HTML page
    ("Unexpected character encountered while parsing value: <. Path '', line 0, position 0.",
     "scim-error-body-not-json"),
    # ASP.NET Web API action selector (ApiControllerActionSelector_HttpMethodNotSupported)
    ("The requested resource does not support http method 'PATCH'.", "scim-web-server-blocks-methods"),
    # IIS detailed error page with the WebDAV module in the way
    ("HTTP Error 405.0 - Method Not Allowed", "scim-web-server-blocks-methods"),
    # Spring HttpRequestMethodNotSupportedException (5.x and 6.x)
    ("Request method 'DELETE' not supported", "scim-web-server-blocks-methods"),
    ("Request method 'PATCH' is not supported", "scim-web-server-blocks-methods"),
    # Microsoft Graph error (code Request_ResourceNotFound) when the target object is gone
    ("Resource 'a1b2' does not exist or one of its queried reference-property objects are not present.",
     "scim-user-deleted-in-target"),
    ('{"error":{"code":"Request_ResourceNotFound","message":"..."}}', "scim-user-deleted-in-target"),
    # Slack SCIM API error values (api.slack.com/admins/scim)
    ('{"Errors":{"description":"long_username","code":400}}', "scim-attribute-value-invalid"),
    ("username_not_allowed", "scim-attribute-value-invalid"),
    ("invalid_name_specials", "scim-attribute-value-invalid"),
    # RFC 6585 section 3 status text
    ("HTTP/1.1 428 Precondition Required", "scim-etag-if-match"),
    # Entra's sign-out page
    ("You signed out of your account. It's a good idea to close all browser windows.",
     "symptom-entra-signout-no-redirect"),
    # Entra ID token claims reference: the groups overage indicator
    ('"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {"endpoint": "https://graph.windows.net/x"}}',
     "symptom-entra-groups-overage"),
    ('"hasgroups": true', "symptom-entra-groups-overage"),
    # Messages quoted in the public threads behind the canonical causes
    ("Invalid externalNamespace", "scim-attribute-namespace-wrong"),
    ("A property of an entry was not exported", "scim-attribute-namespace-wrong"),
    ("Exporting the property is not supported for this operation: Add", "scim-attribute-namespace-wrong"),
    ("Failed: delay in reactivating remote User. Rescheduling", "scim-created-user-inactive"),
    ("Error: User must be Active", "scim-target-unsupported"),
    ("Error: schemas is required", "scim-missing-schemas"),
    ("No schema's defined", "scim-missing-schemas"),
    ("normalized username jdoe_acme already exists", "scim-username-normalisation-conflict"),
]


@pytest.mark.parametrize(("text", "expected"), PRINTED)
def test_printed_messages_find_their_entry(kb, text, expected):
    assert expected in found(kb, text)


@pytest.mark.parametrize(("text", "expected"), [
    ("json: cannot unmarshal string into Go struct field PatchOperation.value of type bool",
     "scim-entra-string-boolean"),
    ("The requested resource does not support http method 'PATCH'.", "scim-web-server-blocks-methods"),
    ("values must not be set for remove operation but was: u1091", "scim-patch-format-mismatch"),
])
def test_a_server_message_leads_the_diagnosis(text, expected, now):
    assert diagnose(text, now=now).findings[0].code == expected


UNRELATED = [
    # an SSO binding problem, not a SCIM verb blocked by a web server
    ("Request method 'POST' not supported", "scim-web-server-blocks-methods"),
    # another type that fails to convert is not Entra's string boolean
    ("The JSON value could not be converted to System.Int32. Path: $.count", "scim-entra-string-boolean"),
    ("json: cannot unmarshal number into Go struct field User.name of type string", "scim-entra-string-boolean"),
    # application/json is what every framework parses
    ("Content type 'text/plain' not supported", "scim-content-type"),
    # the RFC's own invalidSyntax detail belongs to scim-type-invalidSyntax, not to a value rule
    ("Request is unparsable, syntactically incorrect, or violates schema.", "scim-attribute-value-invalid"),
    # a 404 for a user fetched by id is not a lookup that should have been empty
    ("GET /scim/v2/Users/2819c223 returned 404 Not Found", "scim-filter-404-no-match"),
    ("please help jane@example.com with her laptop, it is slow since monday", "symptom-slow-login"),
    ("first a redirect loop, then users are not showing up", "symptom-provisioning-cycle-delay"),
]


@pytest.mark.parametrize(("text", "not_expected"), UNRELATED)
def test_unrelated_text_does_not_match(kb, text, not_expected):
    assert not_expected not in found(kb, text)


def test_rfc_sample_requests_raise_no_scim_behaviour(kb, corpus):
    """Well-formed requests and responses from RFC 7643/7644 are not problems."""
    samples = sorted((corpus / "scim" / "rfc_samples").glob("*.json"))
    assert samples
    for path in samples:
        if "error" in path.name:
            continue
        ids = found(kb, path.read_text(encoding="utf-8"))
        assert not [i for i in ids if i.startswith(("scim-", "symptom-")) and not i.startswith("scim-type-")], path.name


# --------------------------------------------------------------------------- the guide's topics in plain words

GUIDE_TOPICS = [
    ("new people can sign in but their first name and last name are blank", "symptom-profile-incomplete"),
    ("JIT provisioning fails for new users", "symptom-profile-incomplete"),
    ("the new hire is not showing up yet in the app", "symptom-provisioning-cycle-delay"),
    ("Entra says it syncs every 40 minutes, when is the next cycle?", "symptom-provisioning-cycle-delay"),
    ("Okta says success but it takes a while to show in the console", "symptom-scim-sync-delay"),
    ("is there a 10 minute sync interval on your side?", "symptom-scim-sync-delay"),
    ("provisioning is stuck since the token expired, Entra only retries once a day", "symptom-provisioning-quarantined"),
    ("we typed @contoso.com in the allowed domains and users are not redirected to SSO", "symptom-not-routed-to-sso"),
    ("we enforced SSO and now we're locked out", "symptom-locked-out"),
    ("do we need an emergency access account outside SSO?", "symptom-break-glass-admin"),
    ("502 Bad Gateway right after login", "symptom-502-after-login"),
    ("everyone gets 503 Service Unavailable after signing in", "symptom-503-after-login"),
    ("what does 502 vs 503 mean here?", "symptom-502-vs-503"),
    ("our SCIM token is about to expire, the warning is red", "symptom-scim-token-expiring"),
    ("provisioning worked for months and then stopped last week", "symptom-provisioning-stopped-after-months"),
    ("we have a logout loop between the app and Okta", "symptom-logout-loop"),
    ("Test connection failed in Entra", "symptom-test-connection-fails"),
    ("OIDC discovery works but login fails every time", "symptom-discovery-ok-login-fails"),
    ("users get routed to the wrong tenant", "symptom-wrong-tenant-routing"),
    ("should we use the same app for SSO and SCIM?", "symptom-sso-scim-same-app"),
    ("the Okta tile opens the settings page instead of the app", "symptom-okta-tile-wrong-page"),
]


@pytest.mark.parametrize(("text", "expected"), GUIDE_TOPICS)
def test_the_guide_topics_are_reachable_from_plain_words(kb, text, expected):
    assert expected in found(kb, text)


# --------------------------------------------------------------------------- common symptoms in plain words

SAID = [
    ("SSO works in incognito but not in a normal window", "symptom-works-in-incognito-only"),
    ("it works for some users but others get an error", "symptom-works-for-some-users"),
    ("users deactivated in Okta are still active in the app", "scim-deactivation-ignored"),
    ("groups are not syncing to the app", "symptom-groups-not-synced"),
    ("the pushed group is empty in the app", "symptom-group-members-not-assigned"),
    ("we got duplicate users after changing the matching attribute", "symptom-duplicate-users-after-matching-change"),
    ("duplicate accounts after enabling SCIM", "scim-sso-identifier-mismatch"),
    ("they log in fine but have no roles", "symptom-roles-missing-after-login"),
    ("her email was changed and now she can't sign in", "symptom-email-changed-cant-sign-in"),
    ("users keep getting asked for MFA every time", "symptom-mfa-prompt-loop"),
    ("IdP-initiated works but SP-initiated fails", "symptom-idp-initiated-works-sp-fails"),
    ("SP-initiated works but IdP-initiated fails with an unsolicited response", "symptom-sp-initiated-works-idp-fails"),
    ("login works on desktop but not on mobile", "symptom-mobile-login-fails"),
    ("works in Chrome but not in Safari", "symptom-works-in-one-browser-only"),
    ("the session expires too quickly, users get logged out every hour", "symptom-session-expires-quickly"),
    ("SSO login is really slow", "symptom-slow-login"),
    ("SSO suddenly stopped working this morning", "symptom-sso-suddenly-stopped"),
    ("signing broke after we rotated the SAML certificate", "symptom-sso-broke-after-cert-rotation"),
    ("guest users can't sign in", "symptom-guest-users-cant-sign-in"),
    ("new hires can't log in on their first day", "symptom-new-user-cant-sign-in"),
    ("it signed me in as the wrong account", "symptom-wrong-account-signed-in"),
    ("login only works on the VPN", "symptom-works-only-on-vpn"),
    ("we get a 404 on the callback after login", "symptom-callback-404"),
    ("after login we are redirected to http:// and the IdP refuses it", "symptom-redirected-to-http-after-login"),
    ("log out and immediately logged back in", "symptom-logout-idp-session-kept"),
    ("users see a need admin approval screen", "symptom-consent-prompt"),
    ("disabled users can still access the app", "symptom-disabled-user-can-still-sign-in"),
    ("nothing in the provisioning logs for her", "symptom-provisioning-logs-empty"),
    ("the initial cycle has been running for hours", "symptom-initial-sync-slow"),
    ("the department changes are not syncing", "symptom-attribute-changes-not-synced"),
    ("removed from the Okta group but still a member in the app", "symptom-okta-group-push-same-group"),
    ("rehired users remain deactivated in the app", "symptom-reactivated-user-not-restored"),
    ("this started after upgrading passport-saml, login fails", "symptom-after-upgrade"),
    ("SSO still works but provisioning is broken", "symptom-sso-works-scim-fails"),
    ("scim stopped", "symptom-provisioning-quarantined"),
    ("sso loop", "symptom-redirect-loop"),
    ("new hire missing", "symptom-users-not-provisioned"),
]


@pytest.mark.parametrize(("text", "expected"), SAID)
def test_symptoms_in_plain_words(kb, text, expected):
    assert expected in found(kb, text)


# --------------------------------------------------------------------------- how the entries are kept


def test_the_canonical_ids_exist_with_patterns_and_depth(kb):
    for entry_id in CANONICAL:
        entry = kb.get(entry_id)
        assert entry is not None, entry_id
        assert entry.deep and entry.patterns and entry.refs, entry_id


def test_there_are_at_least_fifty_symptoms(kb):
    assert len([e for e in kb.entries() if e.system == "symptom"]) >= 50


def test_every_symptom_has_five_to_twelve_phrases(kb):
    for entry in kb.entries():
        if entry.system == "symptom":
            assert 5 <= len(entry.phrases) <= 12, (entry.id, len(entry.phrases))


def test_every_scim_behaviour_has_phrases(kb):
    for entry in kb.entries():
        if entry.system == "scim":
            assert len(entry.phrases) >= 4, entry.id


def test_no_phrase_belongs_to_two_entries(kb):
    owner: dict[str, str] = {}
    for entry in kb.entries():
        for phrase in entry.phrases:
            key = re.sub(r"\s+", " ", phrase.lower()).strip()
            assert key not in owner, f"{phrase!r} is in {owner.get(key)} and {entry.id}"
            owner[key] = entry.id


def test_each_symptom_recognises_some_of_its_own_phrases(kb):
    """The patterns and the phrases describe the same problem: at least one phrase triggers the patterns."""
    for entry in kb.entries():
        if entry.system == "symptom":
            assert any(entry.id in found(kb, phrase) for phrase in entry.phrases), entry.id


def test_symptom_names_are_short_titles(kb):
    for entry in kb.entries():
        if entry.system in {"symptom", "scim"}:
            assert len(entry.name) <= 90, entry.id


def test_every_entra_provisioning_code_has_a_cause_and_a_next_step(kb):
    entries = [e for e in kb.entries() if e.system == "entra_provisioning"]
    assert len(entries) >= 25
    for entry in entries:
        assert entry.causes and entry.fix, entry.id


def test_microsofts_provisioning_table_codes_resolve(kb):
    for code in ("WebExceptionProtocolError", "LicenseLimitExceeded", "Timeout", "InsufficientRights"):
        assert kb.lookup_code("entra_provisioning", code) is not None, code


def test_symptom_and_scim_patterns_open_with_a_literal(kb):
    """The engine runs a pattern only when its literal opening occurs in the paste; a pattern without
    one (a leading class, or alternatives sharing under three letters) is run on every paste."""
    from bot.diagnostics.engine.phrases import literal_prefixes

    for entry in kb.entries():
        if entry.system in {"symptom", "scim"}:
            for pattern in entry.patterns:
                assert literal_prefixes(pattern), (entry.id, pattern)
