"""IdP sign-in symptoms said without an error code (session 8, w-msym): Entra ID and Okta users and admins
describing the IdP's own behaviour, recognised as the entry in symptoms_idp.toml, and near sentences that
must not bring that entry up.

``SAID`` runs the whole engine (the entry must be among the first two findings); ``MATCHED`` checks that a
pattern finds the entry; ``NOT_MATCHED`` holds look-alike text the patterns must leave alone.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose

SAID = [
    ("seamless sso not working, users are still prompted for their password", "symptom-password-prompt-despite-sso"),
    ("Windows users keep asking for credentials in Edge even on domain machines", "symptom-password-prompt-despite-sso"),
    ("okta desktop sso not working, users get the okta sign-in page instead of sso",
     "symptom-okta-desktop-sso-not-working"),
    ("How can we hide the 'Stay signed in?' prompt for all users?", "symptom-kmsi-stay-signed-in"),
    ("Sign-in works fine in the browser but not in the Teams desktop app", "symptom-desktop-app-sign-in-fails"),
    ("legacy authentication is blocked and the old mail client can't connect", "symptom-legacy-auth-blocked"),
    ("new hires can't see the app tile in My Apps", "symptom-app-tile-missing"),
    ("The app icon is not showing in the Okta dashboard for some users", "symptom-app-tile-missing"),
    ("we added the user to the group but they still get access denied", "symptom-access-lags-group-change"),
    ("conditional access blocks sign-in from outside the country", "symptom-blocked-by-location"),
    ("users are blocked on personal devices by conditional access", "symptom-device-not-allowed"),
    ("okta verify keeps asking on every sign in", "symptom-okta-verify-fastpass-prompts"),
    ("passkey option not showing on the sign-in page", "symptom-passwordless-not-offered"),
    ("remember MFA on this device is not working, users get prompted daily", "symptom-remember-mfa-ignored"),
    ("Users are not receiving the push notification in Okta Verify", "symptom-mfa-push-not-received"),
    ("After the password, users see More information required and can't continue", "symptom-mfa-registration-prompt"),
]

MATCHED = [
    ("outlook keeps asking for my password", "symptom-desktop-app-sign-in-fails"),
    ("the AAD BrokerPlugin seems broken", "symptom-desktop-app-sign-in-fails"),
    ("agentless dsso is set up but not used", "symptom-okta-desktop-sso-not-working"),
    ("device is not compliant according to the sign-in log", "symptom-device-not-allowed"),
    ("group membership changes are not reflected in the app", "symptom-access-lags-group-change"),
    ("we block legacy authentication tenant-wide", "symptom-legacy-auth-blocked"),
    ("Don't ask again for 90 days", "symptom-remember-mfa-ignored"),
    ("FastPass fails on macOS", "symptom-okta-verify-fastpass-prompts"),
    ("network zone blocks the branch office", "symptom-blocked-by-location"),
    ("Let's keep your account secure", "symptom-mfa-registration-prompt"),
    ("users have to enter their password every time they open the portal", "symptom-password-prompt-despite-sso"),
    ("the app doesn't appear in myapps for the new hire", "symptom-app-tile-missing"),
    ("removed the user from the azure group but the app still shows the group", "symptom-access-lags-group-change"),
]

NOT_MATCHED = [
    ("please keep me posted", "symptom-kmsi-stay-signed-in"),
    ("the password reset email never arrived", "symptom-password-prompt-despite-sso"),
    ("the device code flow expired", "symptom-device-not-allowed"),
    ("how do I add a user to a group with the graph api", "symptom-access-lags-group-change"),
    ("the tile opens the wrong page", "symptom-app-tile-missing"),
    ("the desktop wallpaper changed", "symptom-okta-desktop-sso-not-working"),
    ("basic authentication header for the SCIM endpoint", "symptom-legacy-auth-blocked"),
    ("remember to rotate the certificate", "symptom-remember-mfa-ignored"),
    ("the location header points to http", "symptom-blocked-by-location"),
    ("the user was removed from the group by scim", "symptom-access-lags-group-change"),
    ("for more information see the docs", "symptom-mfa-registration-prompt"),
    ("users are not getting mfa prompts at all", "symptom-mfa-push-not-received"),
    ("git push is not working", "symptom-mfa-push-not-received"),
]


def found(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


def first_two(text: str, now) -> list[str]:
    return [f.code for f in diagnose(text, now=now).findings[:2]]


@pytest.mark.parametrize(("text", "expected"), SAID)
def test_plain_words_put_the_cause_in_the_first_two(text, expected, now):
    assert expected in first_two(text, now)


@pytest.mark.parametrize(("text", "expected"), MATCHED)
def test_a_pattern_finds_the_symptom(kb, text, expected):
    assert expected in found(kb, text)


@pytest.mark.parametrize(("text", "not_expected"), NOT_MATCHED)
def test_near_text_does_not_match(kb, text, not_expected):
    assert not_expected not in found(kb, text)
