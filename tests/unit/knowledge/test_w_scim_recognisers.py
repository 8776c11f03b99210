"""SCIM as real servers and sync tools answer it (session 8, w-scim): conflicts whose lookup failed, AWS and
Salesforce refusals, Entra's IncompatibleFiltering, and the causes scimType entries point at.

Messages go through ``KnowledgeBase.match_text`` as the software prints them, each cited with where it is
printed; descriptions in words and causes behind a code go through the whole diagnosis. Negatives keep the
narrow entries narrow.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose


def found(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


def top(text: str, n: int = 2) -> list[str]:
    return [f.code for f in diagnose(text).findings[:n]]


PRINTED = [
    # AWS IAM Identity Center's SCIM endpoint as idp-scim-sync logs it (slashdevops/idp-scim-sync #45)
    ('aws checkHTTPResponse: body: {"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Refused '
     'to create a new, duplicate resource.","status":"409"}', "scim-aws-duplicate-resource"),
    # Salesforce's SCIM API quoted in an Entra provisioning log (Microsoft Q&A 5828857)
    ('Web Response: {"detail":"REQUIRED_FIELD_MISSING:user_must_have_one_entitlement_which_must_be_a_profileid;",'
     '"status":409}', "scim-salesforce-profile-required"),
    # Salesforce API status code for an id from another org
    ("INVALID_CROSS_REFERENCE_KEY: invalid cross reference id for field ProfileId", "scim-salesforce-profile-required"),
    # Airtable's SCIM 409 detail in an Entra provisioning log (Sumo Logic sample of provisioningObjectSummary)
    ('"detail":"unclaimed user already exists for that email address.  Please claim user instead of provisioning '
     'them.","status":409,"scimType":"uniqueness"', "scim-lookup-hides-existing-users"),
    # Entra's quarantine reason text (application-provisioning-quarantine-status)
    ("An HTTP/401 Unauthorized response was returned rather than the expected HTTP/200 OK response.",
     "http-401-scim"),
    # a SCIM server's bug report (NorthlandPositronics/Cogtrix #122)
    ("SCIM PATCH active=false is a no-op: deprovisioning requests get 200 OK but the user is not deactivated",
     "scim-deactivation-ignored"),
    ("SCIM 409 on a duplicate user omits scimType, so the IdP cannot tell", "scim-conflict-without-scimtype"),
    # Atlassian Guard's SCIM 409 detail (Atlassian KB "Unable to push user from the Identity Provider")
    ("Resource [USER]: with email[name@domain.com] already exists.", "scim-duplicate-email"),
    # JumpCloud Admin Portal when Activate's test call fails (grokability/snipe-it #17002)
    ("There was a problem activating identity management", "scim-jumpcloud-activation-failed"),
    # Okta's group push error with the app's answer (getsentry/sentry #122540)
    ('Group push FAILURE: Not Found / User not found. "reason": "Not Found. Errors reported by remote server: User '
     'not found."', "okta-msg-group-push-failed"),
    # scim-for-keycloak's refusal of Okta's membership replace, as Okta's push error quotes it
    ("Errors reported by remote server: patch-REPLACE-operation not supported for group.members",
     "scim-patch-format-mismatch"),
    # Microsoft's SCIM Validator on a schema that declares password (scimmyjs/scimmy-routers #10)
    ("SCIM Validation failed. The attribute password for User is not supported by the SCIM protocol",
     "msg-entra-scim-validator-unsupported-attribute"),
    # Entra's provisioning log details for a user outside a scoping filter
    ('This object did not pass a scoping filter. Scope evaluation result: {"department EQUALS Sales": false} '
     'IsInProvisioningScope: False', "entra-prov-EntrySynchronizationSkipped"),
    # a SCIM server bug report (FusionAuth/fusionauth-issues #1775)
    ("SCIM Create returns incorrect response code: it should return a 201 but returns a 200",
     "scim-write-succeeds-error-reported"),
    ("the users are created fine but the provisioning log shows them as failed", "scim-write-succeeds-error-reported"),
    # Zoom's SCIM API as Okta's provisioning task quotes it (Okta KB "User does not exist or does not belong to this
    # account")
    ("Error while verifying if user jane exists: . Errors reported by remote server: User jane not exist or not "
     "belong to this account", "scim-user-owned-by-other-source"),
    # SCIM server bug reports on attribute-name case (python-scim/scim2-models #39, scimmyjs/scimmy #7)
    ("Attribute names should be case insensitive: the server rejects UserName", "scim-attribute-name-case"),
    ("the filter matching makes attribute names case sensitive, username eq finds nothing",
     "scim-attribute-name-case"),
    # an app whose usernames are slugs, refusing an email as userName
    ('{"detail": "username may only contain letters, digits, dots, dashes and underscores", "status": "400"}',
     "scim-attribute-value-invalid"),
]


@pytest.mark.parametrize("text,expected", PRINTED)
def test_printed_messages_find_their_entry(kb, text, expected):
    assert expected in found(kb, text)


def test_incompatible_filtering_is_a_code_of_its_own():
    paste = ('"errorCode": "SystemForCrossDomainIdentityManagementServiceIncompatibleFiltering", "reason": '
             '"StatusCode: Conflict"')
    assert top(paste, 1) == ["entra-prov-SystemForCrossDomainIdentityManagementServiceIncompatibleFiltering"]


def test_mastered_on_premises_is_the_external_source_code():
    assert top("AzureActiveDirectoryCannotUpdateObjectsMasteredOnPremises", 1) == [
        "entra-prov-AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService"]


def test_absent_scimtype_is_not_read_as_the_value():
    paste = 'our SCIM 409 omits scimType "uniqueness": {"detail": "User already exists in the database."}'
    codes = top(paste, 3)
    assert codes[0] == "scim-conflict-without-scimtype"
    assert "scim-type-uniqueness" not in codes


def test_scimtype_present_still_names_it():
    body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"uniqueness","status":"409"}'
    assert top(body, 1) == ["scim-type-uniqueness"]


@pytest.mark.parametrize("paste,cause", [
    # a JIT account behind a uniqueness conflict
    ('{"scimType":"uniqueness","status":"409","detail":"User exists"} the user signed in with SSO (JIT) before '
     "provisioning was turned on", "scim-duplicate-email"),
    # a rename behind a uniqueness conflict
    ('{"scimType":"uniqueness","status":"409"} after the user was renamed and their email changed',
     "scim-username-rename"),
    # Microsoft's SCIM Validator when every write gets 405 from the layer in front
    ("SCIM API is not compatible with Entra ID Provisioning. All the errors are the same: 405 MethodNotAllowed. "
     "Allow: GET, HEAD, OPTIONS", "scim-web-server-blocks-methods"),
    # JumpCloud's activation failing in front of a firewall (grokability/snipe-it #17002)
    ("JumpCloud: There was a problem activating identity management. Our SCIM endpoint sits behind a firewall "
     "allowlist", "scim-endpoint-unreachable"),
    # a 404 on the lookup of a user who does not exist (Entra's Test Connection queries a random one)
    ('GET /Users?filter=userName eq "random-guid" returns 404 because that user does not exist',
     "scim-filter-404-no-match"),
    # a 404 on every call: the base URL lacks its version segment
    ("Okta Test API Credentials fails with 404: I forgot /scim/v2 in the base url, it is missing v2",
     "scim-base-url"),
    # a 500 from a group with thousands of members (FusionAuth/fusionauth-issues #3307)
    ("SCIM GET /Groups fails with a 500 error when one of the groups contains thousands of users",
     "scim-group-membership-large"),
    # Egnyte's SCIM API refusing an email as userName, as Okta's task quotes it (Okta KB, Egnyte SCIM 2.0)
    ("Errors reported by remote server: constraint violations: ConstraintViolationImpl{interpolatedMessage='Invalid "
     "user name', propertyPath=userName}: [userName: Invalid user name]", "scim-attribute-value-invalid"),
    # Okta's lookup when the app ignores the filter and returns everyone (Okta KB, HRMOS)
    ("FAILURE: Multiple users found by userName. Expected 0 or 1 results but was 2", "scim-filter-ignored"),
    # an Entra BadRequest whose body shows the string boolean behind it
    ('SystemForCrossDomainIdentityManagementBadRequest: the server answered that the boolean "active" was sent as '
     "a string", "scim-entra-string-boolean"),
    # an Entra ServiceIncompatible whose reply was an HTML page
    ("SystemForCrossDomainIdentityManagementServiceIncompatible: the endpoint returned an HTML login page",
     "scim-error-body-not-json"),
    # a PATCH shape refusal over booleans: the Tenant URL flag is the fix
    ("values must not be set for remove operation; Entra also sends active as a string boolean",
     "scim-aadoptscim062020"),
    # a provisioning log line whose target object is gone
    ("the user could not be found in the target application", "scim-user-deleted-in-target"),
    # SCIM servers refusing a member who is already in the group (simpleidserver/SimpleIdServer #245)
    ("If an already existing member is re-added a 409 error response with duplicate reference error is returned",
     "scim-group-member-add-refused"),
    # a 500 behind it (wso2/product-is #8589)
    ("SCIM Group Patch add member returns 500 for existing members, the user is already a member",
     "scim-group-member-add-refused"),
    # a SCIM server refusing the password Okta adds to a create
    ('{"detail": "password is not supported", "status": "400"}', "scim-password-pushed"),
    # a throttled cycle: the status is the answer too
    ("Provisioning to GitHub hits the SCIM rate limit, requests are throttled during the initial cycle", "http-429"),
])
def test_causes_behind_a_code_come_second(paste, cause):
    assert cause in top(paste)


@pytest.mark.parametrize("text", [
    "the import created a new resource in the catalogue",           # no refusal, no duplicate
    "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]",  # a missing name, not a profile
    "scimType: uniqueness was returned, as the RFC says",          # the value is present
    "we were activating identity management for the first time",   # no JumpCloud failure
    "the password policy requires twelve characters",               # a policy, not a refused attribute
])
def test_near_texts_stay_apart(kb, text):
    ids = found(kb, text)
    assert "scim-aws-duplicate-resource" not in ids
    assert "scim-salesforce-profile-required" not in ids
    assert "scim-conflict-without-scimtype" not in ids
    assert "scim-jumpcloud-activation-failed" not in ids
    assert "scim-password-pushed" not in ids
