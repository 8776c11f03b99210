"""Auth0 as app developers meet it through its SDKs and APIs (auth0_sdks.toml, session 8).

Each case is a message as the SDK or Auth0's API prints it, with where that text comes from, and the entry that
must come first among the text matches. The second half holds look-alike text that must not bring these
entries up.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose

# (text as printed, entry that must come first, where the text comes from)
CASES = [
    # -- Management API error bodies
    ("403 Forbidden: Insufficient scope, expected any of: create:user_tickets", "msg-auth0-mgmt-insufficient-scope",
     "go-auth0 Management API client"),
    ('{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: read:users,read:current_user",'
     '"errorCode":"insufficient_scope"}', "msg-auth0-mgmt-insufficient-scope", "Management API JSON body"),
    ("Unauthorized: Bad audience: https://login.example.com/api/v2/", "msg-auth0-mgmt-bad-audience", "node-auth0"),
    ('{"statusCode":401,"error":"Unauthorized","message":"Expired token received for JSON Web Token validation",'
     '"attributes":{"error":"Expired token received for JSON Web Token validation"}}', "msg-auth0-mgmt-invalid-token",
     "Management API JSON body"),
    ('{"statusCode":401,"error":"Unauthorized","message":"Invalid token","attributes":{"error":"Invalid token"}}',
     "msg-auth0-mgmt-invalid-token", "Management API JSON body"),
    ('{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached",'
     '"errorCode":"too_many_requests"}', "msg-auth0-rate-limited", "Management API JSON body"),
    # -- Organizations
    ("BadRequestError: invalid_request (parameter organization is required for this client)",
     "msg-auth0-organization-required", "express-openid-connect callback"),
    ("/callback?error=invalid_request&error_description=parameter+organization+is+required+for+this+client&state=x",
     "msg-auth0-organization-required", "Auth0 redirect to the callback"),
    ("access_denied (user auth0|63f45 is not part of the org_Ab12Cd34 organization)",
     "msg-auth0-user-not-in-organization", "Auth0 callback error_description"),
    # -- Single-page app SDKs
    ("PopupOpenError: Unable to open a popup for loginWithPopup - window.open returned `null`",
     "msg-auth0-spa-popup-blocked", "auth0-spa-js"),
    ("PopupTimeoutError: Timeout", "msg-auth0-spa-popup-blocked", "auth0-spa-js"),
    ("Error: Timeout when executing 'fetch'", "msg-auth0-spa-fetch-timeout", "auth0-spa-js getTokenSilently"),
    ("Error: You forgot to wrap your component in <Auth0Provider>.", "msg-auth0-react-provider-missing",
     "auth0-react"),
    ("Error: You forgot to wrap your app in <UserProvider>\n    at get user (.next/server/chunks/515.js:1:11919)",
     "msg-auth0-react-provider-missing", "nextjs-auth0 v1-v3 useUser"),
    ("Error: Configuration must be specified either through AuthModule.forRoot or through AuthClientConfig.set",
     "msg-auth0-react-provider-missing", "auth0-angular AuthService"),
    ("Infinite redirect loop when using withAuthenticationRequired and denying access with a post-login action",
     "msg-auth0-spa-login-loop", "auth0-react issue title"),
    # -- Server-side SDKs
    ('Login handler failed. CAUSE: "secret" is required', "msg-auth0-sdk-config-invalid", "nextjs-auth0 v2"),
    ('TypeError: "baseURL" must be a valid uri', "msg-auth0-sdk-config-invalid", "express-openid-connect"),
    ('"issuerBaseURL" is required', "msg-auth0-sdk-config-invalid", "express-openid-connect"),
    ("WARNING: Not all required options where provided when creating an instance of Auth0Client. Ensure to "
     "provide all missing options", "msg-auth0-sdk-config-invalid", "nextjs-auth0 v4"),
    ("InvalidTokenError: Failed to fetch authorization server metadata\n    at node_modules/express-oauth2-jwt-bearer"
     "/dist/index.js:271:19", "msg-auth0-jwt-bearer-discovery-failed", "express-oauth2-jwt-bearer"),
    ("InsufficientScopeError: Insufficient Scope\n    at node_modules/express-oauth2-jwt-bearer/dist/index.js",
     "msg-auth0-api-insufficient-scope", "express-oauth2-jwt-bearer requiredScopes"),
    # -- Actions
    ("api.idToken.setCustomClaim('https://example.com/roles', roles) but the claim is not in the token",
     "msg-auth0-custom-claims-missing", "a forum question quoting the Action"),
    ('{"type":"AccessTokenError","code":"failed_to_refresh_token","message":"The access token has expired and there '
     'was an error while trying to refresh it. Check the server logs for more information."}',
     "msg-auth0-nextjs-refresh-failed", "nextjs-auth0 v4 getAccessToken"),
    # -- Native SDKs
    ('{"error":"a0.session.user_cancelled","error_description":"User cancelled the Auth"}',
     "msg-auth0-native-user-cancelled", "react-native-auth0"),
    ("Safari cannot open the page because the address is invalid.", "msg-auth0-native-scheme-unregistered",
     "iOS after the login redirect"),
    # -- Enterprise connections and MFA
    ('"type": "f", "description": "Invalid thumbprint (configured: 634AB4651FCA2F62. calculated: BDEBFBFBA786C2D9)", '
     '"connection": "SSOCircle"', "msg-auth0-saml-invalid-thumbprint", "Auth0 log event"),
    ('{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"Fe26..."}',
     "msg-auth0-mfa-required", "Auth0 /oauth/token"),
    # -- Embedded login and database connections
    ('{error: "server_error", errorDescription: "Unable to configure verification page.", state: "w5E"}',
     "msg-auth0-cross-origin-login", "Lock in Safari"),
    ('{"error":"unauthorized_client","error_description":"Cross origin login not allowed."}',
     "msg-auth0-cross-origin-login", "auth0.js /co/authenticate"),
    ('{"name":"PasswordStrengthError","message":"Password is too weak","code":"invalid_password"}',
     "msg-auth0-password-too-weak", "Auth0 /dbconnections/signup"),
    ('{"name":"BadRequestError","code":"user_exists","description":"The user already exists."}',
     "msg-auth0-user-exists", "Auth0 /dbconnections/signup"),
]


@pytest.mark.parametrize(("text", "expected", "source"), CASES, ids=[f"{c[1]}:{i}" for i, c in enumerate(CASES)])
def test_the_message_leads_to_its_entry(kb, text, expected, source):
    found = [m.entry.id for m in kb.match_text(text)]
    assert found, f"nothing matched the {source} text"
    assert found[0] == expected, f"{source}: expected {expected} first, got {found}"


# Look-alike text from elsewhere, and the entry it must not bring up.
NOT_THESE = [
    # an OAuth resource server's scope error is not the Management API's
    ('{"error":"insufficient_scope","error_description":"Insufficient scope for this resource"}',
     "msg-auth0-mgmt-insufficient-scope"),
    ("jwt audience invalid. expected: https://api.example.com", "msg-auth0-mgmt-bad-audience"),
    ("HTTP 429 Too Many Requests from the SCIM endpoint", "msg-auth0-rate-limited"),
    ("invalid_request: parameter redirect_uri is required", "msg-auth0-organization-required"),
    ("Timeout waiting for the login response", "msg-auth0-spa-fetch-timeout"),
    ("Error: useAuth must be used within an AuthProvider", "msg-auth0-react-provider-missing"),
    ('"client_secret" is required for this client', "msg-auth0-sdk-config-invalid"),
    ("MSAL: user_cancelled: User cancelled the flow.", "msg-auth0-native-user-cancelled"),
    ("api.idToken.setCustomClaim('https://example.com/roles', event.authorization.roles);",
     "msg-auth0-custom-claims-missing"),
    ("AccessTokenError: The access token expired and a refresh token is not available.",
     "msg-auth0-nextjs-refresh-failed"),
    ("Safari cannot open the page because the server cannot be found.", "msg-auth0-native-scheme-unregistered"),
    ("Certificate thumbprint: 634AB4651FCA2F62", "msg-auth0-saml-invalid-thumbprint"),
    ('{"error":"invalid_grant","error_description":"Invalid MFA code"}', "msg-auth0-mfa-required"),
    ("infinite redirect loop between the app and Keycloak", "msg-auth0-spa-login-loop"),
    ("Error: Failed to fetch", "msg-auth0-jwt-bearer-discovery-failed"),
    ("InsufficientScopeError: The operation requires the write scope", "msg-auth0-api-insufficient-scope"),
    ("Access to fetch has been blocked by CORS policy", "msg-auth0-cross-origin-login"),
    ("Error: Your password has expired", "msg-auth0-password-too-weak"),
    ("SCIM 409 uniqueness: user already exists in the target", "msg-auth0-user-exists"),
]


@pytest.mark.parametrize(("text", "unwanted"), NOT_THESE)
def test_look_alike_text_does_not_bring_up_the_entry(kb, text, unwanted):
    assert unwanted not in [m.entry.id for m in kb.match_text(text)]


# Symptoms in plain words, and the entry that must be among the first two findings of a diagnosis.
SAID = [
    ("auth0 react login loop after login, isAuthenticated false and isLoading false", "msg-auth0-spa-login-loop"),
    ("auth0 vue redirect loop on the callback route", "msg-auth0-spa-login-loop"),
    ("auth0 custom claims not showing in the access token from my action", "msg-auth0-custom-claims-missing"),
    ("auth0 access token has no permissions claim", "msg-auth0-api-insufficient-scope"),
]


@pytest.mark.parametrize(("text", "expected"), SAID)
def test_plain_words_put_the_cause_in_the_first_two(text, expected, now):
    assert expected in [f.code for f in diagnose(text, now=now).findings[:2]]


def test_a_loop_with_another_idp_does_not_bring_up_the_auth0_entry(now):
    codes = [f.code for f in diagnose("redirect loop after login with okta", now=now).findings]
    assert "msg-auth0-spa-login-loop" not in codes
