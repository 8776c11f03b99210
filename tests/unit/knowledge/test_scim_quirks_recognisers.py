"""SCIM as Entra, Okta and real SCIM servers speak it, and provisioning problems said in plain words.

Two kinds of input, both run through the whole engine (``diagnose``), which must put the right
entry among its first two findings:

* messages exactly as the software prints them, each cited with the source file or the public
  thread that shows the software printing it (only the message is taken over);
* problems described in our own words, the way an admin would type them in Slack (written for
  this test, not copied from any post).

The negatives keep the new patterns from firing on text about something else.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose


def first_two(text: str, now) -> list[str]:
    return [f.code for f in diagnose(text, now=now).findings[:2]]


def found(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


# --------------------------------------------------------------------------- messages as software prints them

PRINTED = [
    # Captain-P-Goldfish/SCIM-SDK, PatchTargetHandler: a PATCH path with a value filter it cannot resolve
    # (as relayed by Entra for scim-for-keycloak, issue #73)
    ("Web Response: {\"detail\":\"No target found for path-filter 'emails[type eq \\\"work\\\"].value'\","
     "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],\"status\":400,\"scimType\":\"noTarget\"}",
     "scim-patch-filtered-path"),
    # Metatavu/keycloak-scim-server (issue #40): the error for an emails[...] path
    ("PATCH /Users/7f2c failed: UnsupportedUserPath", "scim-patch-filtered-path"),
    # limosa-io/laravel-scim-server (issue #34): SCIMException for a filtered email path
    ('Replace is not implemented for ":urn:ietf:params:scim:schemas:core:2.0:User.emails.value"',
     "scim-patch-filtered-path"),
    # Okta Push Groups tab (getsentry/sentry issue #88623): the app already has a group of that name
    ("Failed on 04-02-2025 06:37:24PM UTC: Unable to update Group Push mapping target App group Ops: Error while "
     "creating user group Ops: Conflict. Errors reported by remote server: A team with this slug already exists.",
     "okta-msg-group-push-failed"),
    # Okta Push Groups tab: a stale link to a group the app no longer has
    ("Unable to update Group Push mapping target App group `grpAdmins`: Error while trying to get the group "
     "`grpAdmins` with the externalId `2ea7c8f7`", "okta-msg-group-push-failed"),
    # Okta Push Groups tab: the app was too slow for a large group
    ("Unable to update Group Push mapping target App group Sales: Error while creating user group Sales: "
     "Read timed out", "okta-msg-group-push-failed"),
    # Okta's Assignments tab for users assigned before provisioning was on (Okta support article of that title)
    ("User was assigned this application before Provisioning was enabled and not provisioned in the downstream "
     "application. Click Provision User.", "okta-msg-assigned-before-provisioning"),
    # Okta's SCIM client log line (coder/coder issue #15828)
    ("[ScimClientImpl] [ method=deactivateUser ] [INFO] - making PUT request to "
     "https://coder.example.com/scim/v2/Users/4b1e", "scim-okta-put-only"),
    # Entra provisioning log, a skipped user (Microsoft's "no users are being provisioned" page)
    ("The User 'jo@contoso.com' will be skipped due to the following reasons: 1) This object does not have "
     "required entitlement for provisioning.", "entra-prov-EntrySynchronizationSkipped"),
    ("Result Skipped SkipReason NotEffectivelyEntitled", "entra-prov-EntrySynchronizationSkipped"),
    # Microsoft Graph synchronizationJob quarantine reason values
    ("quarantine reason: EncounteredEscrowProportionThreshold", "entra-prov-EncounteredEscrowProportionThreshold"),
    # Slack's Entra provisioning tutorial: a displayName with '@' is skipped with this description
    ("Skipped: AttributeValidationFailed", "scim-attribute-value-invalid"),
    # the header a Bearer scheme typed into Okta's OAuth Bearer Token field produces (RFC 6750 section 2.1 form)
    ("Authorization: Bearer Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "scim-auth-header-stripped"),
    # Django REST framework exceptions.MethodNotAllowed default detail, for a SCIM route without PATCH
    ('{"detail":"Method \\"PATCH\\" not allowed."}', "scim-web-server-blocks-methods"),
    # pingidentity/scim2 (issue #174): Jackson refusing Entra's member removal with a value list
    ('Unrecognized field "value" (class com.unboundid.scim2.common.messages.PatchOperation$RemoveOperation), not '
     'marked as ignorable (one known property: "path"])', "scim-patch-format-mismatch"),
    # Entra provisioning log for a SCIM reply it cannot read (grokability/snipe-it issue #11094)
    ("We are not able to deserialize the resource received from your SCIM endpoint because your SCIM endpoint is "
     "not fully compatible with the Azure Active Directory SCIM client.",
     "entra-prov-SystemForCrossDomainIdentityManagementServiceIncompatible"),
    # nextcloud/user_saml, SAMLController: the UID attribute missing from the assertion, and the page users see
    ('IDP parameter for the UID (Email) not found. Possible parameters are: '
     '["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"]',
     "msg-nextcloud-saml-account-not-provisioned"),
    ("Account not provisioned. Your account is not provisioned, access to this service is thus not possible.",
     "msg-nextcloud-saml-account-not-provisioned"),
    ("Auto provisioning not allowed and user jdoe does not exist", "msg-nextcloud-saml-account-not-provisioned"),
    # AWS IAM Identity Center's SCIM API refusing a multi-attribute path-less PATCH (goauthentik/authentik #12321)
    ('{"detail":"Current PATCH support allows omitting \\"path\\" attribute only for Add and Replace operations '
     'modifying a single attribute.","status":"400"}', "scim-patch-format-mismatch"),
    # FusionAuth SCIM API (fusionauth-issues #3311): Entra's reactivation PATCH refused
    ('{"generalErrors":[{"code":"[invalid]patch","message":"Invalid SCIM patch request."}]}',
     "scim-patch-format-mismatch"),
]


@pytest.mark.parametrize(("text", "expected"), PRINTED)
def test_printed_messages_find_their_entry(kb, text, expected):
    assert expected in found(kb, text)


@pytest.mark.parametrize(("text", "expected"), [
    ('Replace is not implemented for ":urn:ietf:params:scim:schemas:core:2.0:User.emails.value"',
     "scim-patch-filtered-path"),
    ("Unable to update Group Push mapping target App group Ops: Error while creating user group Ops: Conflict. "
     "Errors reported by remote server: A team with this slug already exists.", "okta-msg-group-push-failed"),
    ("Result Skipped SkipReason NotEffectivelyEntitled", "entra-prov-EntrySynchronizationSkipped"),
    ("Account not provisioned. Your account is not provisioned, access to this service is thus not possible.",
     "msg-nextcloud-saml-account-not-provisioned"),
    # Microsoft's cross-tenant synchronization troubleshooting page: the test connection's error codes
    ("You appear to have entered invalid credentials. Please confirm you are using the correct information for an "
     "administrative account. Error code: AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure",
     "entra-prov-AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure"),
    ("Error code: AzureDirectoryB2BManagementPolicyCheckFailure Details: Policy permitting auto-redemption of "
     "invitations not configured.", "entra-prov-AzureDirectoryB2BManagementPolicyCheckFailure"),
])
def test_a_printed_message_leads_the_diagnosis(text, expected, now):
    assert expected in first_two(text, now)


# --------------------------------------------------------------------------- said in plain words (ours)

SAID = [
    ("our scim server can't parse the emails[type eq \"work\"].value path that Azure puts in its PATCH",
     "scim-patch-filtered-path"),
    ("Push Groups in Okta shows an error for the Engineering group, it already exists on the app side",
     "okta-msg-group-push-failed"),
    ("Okta provisioning uses PUT on /Users/{id} but our endpoint only has PATCH, so profile updates from okta fail",
     "scim-okta-put-only"),
    ("the Entra provisioning log has the user as skipped with NotEffectivelyEntitled",
     "entra-prov-EntrySynchronizationSkipped"),
    ("every user shows as skipped in the provisioning logs", "entra-prov-EntrySynchronizationSkipped"),
    ("status says escrow threshold exceeded and provisioning stopped", "entra-prov-EncounteredEscrowProportionThreshold"),
    ("leavers removed from the Entra app keep an active account in our SaaS tool", "scim-deactivation-ignored"),
    # "Still have access" is the wider symptom (open sessions, no assignment rule, no deprovisioning), which
    # names scim-deactivation-ignored; "keep an active account" above is the SCIM side alone.
    ("offboarded employees still have access in the app after they left", "symptom-disabled-user-can-still-sign-in"),
    ("scim brings users over from okta but never the groups", "symptom-groups-not-synced"),
    ("after group push the team exists in the app with zero members", "symptom-group-members-not-assigned"),
    ("first login through okta creates the account but the name fields stay empty", "symptom-profile-incomplete"),
    ("JIT-created accounts come in with no email address", "symptom-profile-incomplete"),
    ("we assigned the sales group in Entra and nobody from it got an account in the app",
     "symptom-users-not-provisioned"),
    ("the provisioning tab says quarantine and nothing syncs", "symptom-provisioning-quarantined"),
    ("people can sign in but new hires are not created any more", "symptom-sso-works-scim-fails"),
    ("Test Connection in the provisioning tab fails with an error", "symptom-test-connection-fails"),
    ("Entra creates a new account each cycle instead of updating the existing one", "scim-filter-ignored"),
    ("Entra GET /Users?filter=userName eq \"x\" gets 404 from our server instead of an empty list",
     "scim-filter-404-no-match"),
    ("creates fail because the user has no last name", "scim-required-attributes"),
    ("manager is never populated in the app", "scim-manager-reference"),
    ("SSO logs me in as my colleague", "symptom-wrong-account-signed-in"),
    ("getting bad gateway after the idp redirects back", "symptom-502-after-login"),
    ("we turned on SSO enforcement and none of the admins can log in any more", "symptom-locked-out"),
    ("how long after assigning someone in Entra do they appear in the app?", "symptom-provisioning-cycle-delay"),
    ("Okta says the push worked but the change is not on the platform yet", "symptom-scim-sync-delay"),
    ("in Entra the provisioning mode only shows Manual, how do I set up SCIM?", "symptom-provisioning-option-missing"),
    ("our custom okta app doesn't have a provisioning tab", "symptom-provisioning-option-missing"),
    ("Automatic provisioning is greyed out for the enterprise application", "symptom-provisioning-option-missing"),
]


# sign-in symptoms and the guide's topics, in words people use (ours again)
SAID_SSO = [
    ("after entering my password okta sends me to the app which sends me back to okta, forever",
     "symptom-redirect-loop"),
    ("it only works after I delete my browser cache", "symptom-works-in-incognito-only"),
    ("a user who joined this week gets an error when she signs in with SSO", "symptom-new-user-cant-sign-in"),
    ("the authenticator approval keeps coming back after I approve it", "symptom-mfa-prompt-loop"),
    ("after signing out, the next login goes through without asking for a password",
     "symptom-logout-idp-session-kept"),
    ("SSO stopped after we replaced the signing certificate in Entra", "symptom-sso-broke-after-cert-rotation"),
    ("SSO users land in the app with no permissions", "symptom-roles-missing-after-login"),
    ("we put *.contoso.com in the domain allowlist and SSO isn't triggered for anyone", "symptom-not-routed-to-sso"),
    ("what format should the allowed domains list use?", "symptom-not-routed-to-sso"),
    ("new SSO users have empty profile fields until they fill them in", "symptom-profile-incomplete"),
    ("we get 502 sometimes and 503 other times after login, what's the difference?", "symptom-502-vs-503"),
    ("can we make the session last longer than one hour?", "symptom-session-expires-quickly"),
    ("how long is the SCIM token valid?", "symptom-scim-token-expiring"),
    ("do we need a non-SSO admin account?", "symptom-break-glass-admin"),
    ("we turned on provisioning in okta but the people who were already assigned never got created in the app",
     "okta-msg-assigned-before-provisioning"),
    ("okta sends our scim token without the Bearer prefix so the app says 401", "scim-auth-header-stripped"),
    ("the app's username rules reject an email with an @ as the SCIM userName", "scim-attribute-value-invalid"),
]


@pytest.mark.parametrize(("text", "expected"), SAID + SAID_SSO)
def test_plain_words_put_the_cause_in_the_first_two(text, expected, now):
    assert expected in first_two(text, now)


# --------------------------------------------------------------------------- negatives

UNRELATED = [
    # a plain, well-formed Entra PATCH with a filtered path is a request, not a failure
    ('{"Operations":[{"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"a@b.example"}]}',
     "scim-patch-filtered-path"),
    # a GET on the same path is not Okta's PUT
    ("making GET request to https://coder.example.com/scim/v2/Users?filter=userName", "scim-okta-put-only"),
    # other Okta tasks than Group Push
    ("Automatic provisioning of user jo to app Acme failed: Error while trying to push profile update",
     "okta-msg-group-push-failed"),
    # an Entra user that was provisioned, not skipped
    ("Result Success Action Create", "entra-prov-EntrySynchronizationSkipped"),
    # a Django view allowing PATCH says nothing about a blocked method
    ('{"detail":"Method \\"GET\\" not allowed."}', "scim-web-server-blocks-methods"),
    # escrow in banking, not Entra
    ("the funds are held in escrow until the sale closes", "entra-prov-EncounteredEscrowProportionThreshold"),
    # a manager in a sentence about people, not an attribute
    ("our manager is not happy with the rollout", "scim-manager-reference"),
    # Entra prints this sentence for plain 400s too; only the deserialising one means an unreadable reply
    ("Error: The SCIM endpoint is not fully compatible with the Azure Active Directory SCIM client. "
     "StatusCode: BadRequest", "entra-prov-SystemForCrossDomainIdentityManagementServiceIncompatible"),
    # clearing a cache for another reason than sign-in
    ("the build only passes after we clear the npm cache", "symptom-works-in-incognito-only"),
    # approving a pull request, not an MFA prompt
    ("the approval step in the pipeline keeps coming back after a rebase", "symptom-mfa-prompt-loop"),
    # a tab of another kind
    ("the browser has no provisioning for a second tab", "symptom-provisioning-option-missing"),
]


@pytest.mark.parametrize(("text", "not_expected"), UNRELATED)
def test_unrelated_text_does_not_match(kb, text, not_expected):
    assert not_expected not in found(kb, text)


def test_the_new_entries_are_deep_and_cited(kb):
    for entry_id in ("scim-patch-filtered-path", "scim-okta-put-only", "okta-msg-group-push-failed",
                     "symptom-provisioning-option-missing", "msg-nextcloud-saml-account-not-provisioned",
                     "okta-msg-assigned-before-provisioning",
                     "entra-prov-AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure",
                     "entra-prov-AzureDirectoryB2BManagementPolicyCheckFailure"):
        entry = kb.get(entry_id)
        assert entry is not None, entry_id
        assert entry.deep and (entry.patterns or entry.code) and entry.refs and len(entry.phrases) >= 5, entry_id
