"""Symptoms said in plain words (session 8, w-sym): the sentences admins and users type, recognised as the entry
whose cause public threads confirmed, and near sentences that must not bring that entry up.

``SAID`` runs the whole engine (the entry must be among the first two findings); ``MATCHED`` checks that a pattern,
not only the ranking, finds the entry; ``NOT_MATCHED`` holds look-alike text the patterns must leave alone.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose

SAID = [
    ("Signing in with SSO creates a duplicate user in the app", "symptom-duplicate-user-after-sso"),
    ("after switching to azure sso every ldap user got a second account created", "symptom-duplicate-user-after-sso"),
    ("Our SSO users are never prompted for MFA when they log in", "symptom-mfa-not-prompted"),
    ("saml login bypasses the mfa we set up in okta", "symptom-mfa-not-prompted"),
    ("Users get 403 Forbidden right after a successful SSO login", "symptom-403-after-login"),
    ("we unassigned the user in okta but they are still able to sign in", "symptom-disabled-user-can-still-sign-in"),
    ("user was removed from the app in Entra but can still log in", "symptom-disabled-user-can-still-sign-in"),
    ("users get logged out randomly during the day", "symptom-session-expires-quickly"),
    ("SSO worked fine until yesterday, now nobody can log in", "symptom-sso-suddenly-stopped"),
    ("the app is stuck on 'Signing in...' after the okta redirect", "symptom-blank-page-after-login"),
    ("login fails only when connected through the company proxy, works from home", "symptom-fails-behind-corporate-proxy"),
    ("zscaler breaks our sso login", "symptom-fails-behind-corporate-proxy"),
    ("Microsoft keeps asking me to pick an account every time I open the app", "symptom-account-picker-every-time"),
    ("the user's display name doesn't update after they change it in azure", "symptom-attribute-changes-not-synced"),
    ("we changed the user's email and now they get a new account", "symptom-duplicate-user-after-sso"),
    ("how do I get back in if SSO is broken", "symptom-break-glass-admin"),
    ("user gets 'your domain is not allowed' at sign in", "symptom-not-routed-to-sso"),
    ("only one user can't log in with sso", "symptom-works-for-some-users"),
    ("OIDC login works on localhost but not when deployed to the server", "symptom-works-locally-not-deployed"),
    ("saml login fails intermittently, sometimes it works sometimes not", "symptom-login-fails-intermittently"),
    ("after sso some users see another user's data", "symptom-sees-another-users-session"),
    ("After authenticating with Azure AD I'm redirected back to the app but I'm not logged in, it shows the login "
     "button again", "symptom-redirect-loop"),
    ("The user's email address is not being passed to the application", "symptom-profile-incomplete"),
    ("sso works on android but not on iphone", "symptom-mobile-login-fails"),
    ("users get deactivated in the app for no reason", "symptom-users-deactivated-unexpectedly"),
    ("user was added to the group but doesn't appear in the app", "symptom-users-not-provisioned"),
    ("azure sso: after login, the user is not assigned any role", "symptom-roles-missing-after-login"),
    ("password login still works after enforcing sso", "symptom-password-login-after-sso-enforced"),
    ("how do I force all users to use SSO", "symptom-password-login-after-sso-enforced"),
    ("the IdP signing certificate expires next week, what do we need to do", "symptom-sso-broke-after-cert-rotation"),
    ("we migrated from ADFS to Entra and now users can't log in", "symptom-broke-after-idp-migration"),
]

# The vendor guide's topics, each reachable from the words an admin would type.
GUIDE = [
    ("what attributes does the IdP have to send for just-in-time provisioning", "msg-jit-missing-attributes"),
    ("how often are scim changes applied to the platform", "symptom-scim-sync-delay"),
    ("entra provisioning quarantined, how long until it's disabled", "symptom-provisioning-quarantined"),
    ("should the allowed domain be @company.com or company.com", "symptom-not-routed-to-sso"),
    ("what's the difference between a 502 and a 503 after login", "symptom-502-vs-503"),
    ("how long does the scim token last", "symptom-scim-token-expiring"),
    ("keep a local admin in case sso breaks", "symptom-break-glass-admin"),
]

MATCHED = [
    ("a duplicate account is created when they first sign in", "symptom-duplicate-user-after-sso"),
    ("users are duplicated after sso login", "symptom-duplicate-user-after-sso"),
    ("MFA is not enforced for the app", "symptom-mfa-not-prompted"),
    ("access denied right after sign in", "symptom-403-after-login"),
    ("authentication succeeds, then the proxy answers 403", "symptom-403-after-login"),
    ("disabled in azure ad last week and still able to open the portal", "symptom-disabled-user-can-still-sign-in"),
    ("spinner forever after the callback", "symptom-blank-page-after-login"),
    ("it stopped working over the weekend", "symptom-sso-suddenly-stopped"),
    ("after disabling the corporate proxy I can log in", "symptom-fails-behind-corporate-proxy"),
    ("the account picker appears every time", "symptom-account-picker-every-time"),
    ("email domain is not allowed", "symptom-not-routed-to-sso"),
    ("it works locally but the callback fails in kubernetes", "symptom-works-locally-not-deployed"),
    ("login works on the second try", "symptom-login-fails-intermittently"),
    ("sessions are getting mixed up", "symptom-sees-another-users-session"),
    ("not logged in after the redirect", "symptom-redirect-loop"),
    ("users are created without an email", "symptom-profile-incomplete"),
    ("users in the new subsidiary tenant cannot sign in", "symptom-guest-users-cant-sign-in"),
    ("scim keeps disabling our users", "symptom-users-deactivated-unexpectedly"),
    ("we want to enforce sso for all users", "symptom-password-login-after-sso-enforced"),
    ("after the tenant migration users get duplicate accounts", "symptom-broke-after-idp-migration"),
]

NOT_MATCHED = [
    ("how do I create a new user in okta", "symptom-duplicate-user-after-sso"),
    ("the mfa prompt appears every time", "symptom-mfa-not-prompted"),
    ("403 on the SCIM endpoint when creating users", "symptom-403-after-login"),
    ("I was able to log in after clearing cookies", "symptom-disabled-user-can-still-sign-in"),
    ("the page is loading slowly", "symptom-blank-page-after-login"),
    ("it worked after I restarted the pod", "symptom-sso-suddenly-stopped"),
    ("users are logged out after they click sign out", "symptom-session-expires-quickly"),
    ("the proxy returns 502 on the callback", "symptom-fails-behind-corporate-proxy"),
    ("Pick an account\nSign in\nAADSTS50011: The redirect URI does not match", "symptom-account-picker-every-time"),
    ("how do I get a new account for a contractor", "symptom-duplicate-user-after-sso"),
    ("the build works locally", "symptom-works-locally-not-deployed"),
    ("sometimes I use okta, sometimes entra", "symptom-login-fails-intermittently"),
    ("signed in as a guest", "symptom-sees-another-users-session"),
    ("the user was not logged in yet when the job ran", "symptom-redirect-loop"),
    ("users in the other tenant are fine", "symptom-guest-users-cant-sign-in"),
    ("how do I deactivate a user in the app", "symptom-users-deactivated-unexpectedly"),
    ("the password reset link expired", "symptom-password-login-after-sso-enforced"),
    ("we migrated the database to postgres", "symptom-broke-after-idp-migration"),
]


def found(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


def first_two(text: str, now) -> list[str]:
    return [f.code for f in diagnose(text, now=now).findings[:2]]


@pytest.mark.parametrize(("text", "expected"), SAID + GUIDE)
def test_plain_words_put_the_cause_in_the_first_two(text, expected, now):
    assert expected in first_two(text, now)


@pytest.mark.parametrize(("text", "expected"), MATCHED)
def test_a_pattern_finds_the_symptom(kb, text, expected):
    assert expected in found(kb, text)


@pytest.mark.parametrize(("text", "not_expected"), NOT_MATCHED)
def test_near_text_does_not_match(kb, text, not_expected):
    assert not_expected not in found(kb, text)
