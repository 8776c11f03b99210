"""Entra's error texts without their AADSTS code (an app's error page, a log that keeps only the message)
lead to the code's entry. The texts are Microsoft's, as the sign-in service returns them (the error_description
of each code in Microsoft Learn's "Microsoft Entra authentication and authorization error codes"), with the
ids, names and URLs in them replaced by examples."""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose

TEXTS = [
    ("700016", "Application with identifier 'a1b2c3d4-0000-0000-0000-000000000000' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant."),
    ("90102", "'redirect_uri' value must be a valid absolute URI."),
    ("50126", 'Error validating credentials due to invalid username or password.'),
    ("53003", 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.'),
    ("50076", "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access 'a1b2'."),
    ("50079", 'Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access'),
    ("500011", 'The resource principal named api://contoso-api was not found in the tenant named Contoso. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.'),
    ("7000218", "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
    ("50034", 'The user account {EUII Hidden} does not exist in the contoso.onmicrosoft.com directory. To sign into this application, the account must be added to the directory.'),
    ("50058", 'A silent sign-in request was sent but no user is signed in.'),
    ("500113", 'No reply address is registered for the application.'),
    ("700051", "response_type 'token' is not enabled for the application."),
    ("50146", 'This application is required to be configured with an application-specific signing key. It is either not configured with one, or the key has expired or is not yet valid.'),
    ("75011", "Authentication method by which the user authenticated with the service doesn't match requested authentication method 'Password, ProtectedTransport'."),
    ("70011", "The provided value for the input parameter 'scope' is not valid. The scope https://graph.microsoft.com/user.read offline_access is not valid."),
    ("900971", 'No reply address provided.'),
    ("650056", "Misconfigured application. This could be due to one of the following: the client has not listed any permissions for 'AAD Graph' in the requested permissions in the client's application registration."),
    ("7000112", "Application 'a1b2c3d4-0000-0000-0000-000000000000'(Contoso Portal) is disabled."),
    ("50173", 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.'),
    ("50132", 'The session is not valid due to password expiration or recent password change.'),
    ("50133", 'Session is invalid due to expiration or recent password change.'),
    ("90094", 'The grant requires admin permission.'),
    ("50158", 'External security challenge was not satisfied.'),
    ("50008", 'SAML token is missing or misconfigured.'),
    ("700024", 'Client assertion is not within its valid time range.'),
    ("50057", 'User account is disabled. The account has been disabled by an administrator.'),
    ("50053", "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password."),
    ("65004", 'User declined to consent to access the app.'),
    ("50097", 'Device authentication is required.'),
    ("700082", 'The refresh token has expired due to inactivity. The token was issued on 2026-01-01 and was inactive for 90.00:00:00.'),
    ("700025", "Client is public so neither 'client_assertion' nor 'client_secret' should be presented."),
    ("90014", "The request body must contain the following parameter: 'grant_type'."),
    ("50001", "The resource 'api://contoso' is disabled or does not exist."),
    ("700027", 'Client assertion failed signature validation.'),
]


@pytest.mark.parametrize(("code", "text"), TEXTS, ids=[code for code, _ in TEXTS])
def test_the_message_without_its_code_leads_to_the_code(code, text, now):
    found = [f.code for f in diagnose(text, now=now).findings[:2]]
    assert f"aadsts-{code}" in found, found


@pytest.mark.parametrize("text", [
    "The account is disabled in our HR system until the start date",
    "device authentication is required by our VPN client before it connects",  # not Entra's sentence alone
    "application 'reports' is disabled for maintenance",
])
def test_other_texts_are_not_read_as_those_codes(text, now):
    found = [f.code for f in diagnose(text, now=now).findings[:2]]
    assert not any(code in ("aadsts-50057", "aadsts-7000112") for code in found), found
