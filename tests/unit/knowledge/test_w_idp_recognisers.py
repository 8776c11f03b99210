"""Identity providers' messages added in session 8 (Cognito, ZITADEL, authentik sources, Okta, Keycloak...).

Each case is a message as the provider or its SDK prints it, with where that text comes from, and the entry
that must come first among the text matches. The second half holds look-alike text from elsewhere that must
not bring these entries up.
"""

from __future__ import annotations

import pytest

# (text as printed, entry that must come first, where the text comes from)
CASES = [
    # -- Amazon Cognito user pools (cognito-idp API errors as the SDKs print them)
    ("software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException: Invalid Refresh Token. "
     "(Service: CognitoIdentityProvider, Status Code: 400)", "msg-cognito-invalid-refresh-token", "AWS SDK for Java"),
    ('{"__type":"NotAuthorizedException","message":"Invalid Refresh Token."}', "msg-cognito-invalid-refresh-token",
     "cognito-idp JSON error body"),
    ("NotAuthorizedException: Refresh Token has been revoked", "msg-cognito-refresh-token-revoked", "Amplify"),
    ("InvalidParameterException: USER_PASSWORD_AUTH flow not enabled for this client",
     "msg-cognito-auth-flow-not-enabled", "InitiateAuth"),
    ("InvalidParameterException: Initiate Auth method not supported.", "msg-cognito-auth-flow-not-enabled",
     "AdminInitiateAuth"),
    ("NotAuthorizedException: Incorrect username or password.", "msg-cognito-incorrect-credentials", "Amplify signIn"),
    ("UserNotFoundException: User does not exist.", "msg-cognito-user-not-found", "Amplify signIn"),
    ("UserNotConfirmedException: User is not confirmed.", "msg-cognito-user-not-confirmed", "Amplify signIn"),
    ("NotAuthorizedException: Password attempts exceeded", "msg-cognito-password-attempts-exceeded", "Amplify signIn"),
    # -- Amazon Cognito identity pools (cognito-identity GetId / GetCredentialsForIdentity)
    ("NotAuthorizedException: Invalid login token. Issuer doesn't match providerName",
     "msg-cognito-identity-pool-provider", "cognito-identity"),
    ("NotAuthorizedException: Token is not from a supported provider of this identity pool.",
     "msg-cognito-identity-pool-provider", "cognito-identity"),
    ("Logins don't match. Please include at least one valid login for this identity or identity pool.",
     "msg-cognito-identity-pool-provider", "cognito-identity"),
    ("NotAuthorizedException: Invalid login token. Token expired: 1600000000 >= 1599996400",
     "msg-cognito-identity-token-expired", "cognito-identity"),
    # -- ZITADEL (login UI, API error IDs and keys)
    ("ID=QUERY-n0wng Message=Instance not found", "msg-zitadel-instance-not-found", "ZITADEL console/login"),
    ("Login not possible. The user is required to have at least one grant on the application. Please contact your "
     "administrator. (APP-asb43)", "msg-zitadel-no-project-grant", "ZITADEL login UI"),
    ("[not_found] User could not be found (QUERY-Dfbg2)", "msg-zitadel-user-not-found", "ZITADEL login v2 log"),
    ('{"error": "invalid_request", "error_description": "Errors.AuthRequest.NotFound"}',
     "msg-zitadel-auth-request-not-found", "ZITADEL token endpoint"),
    ("User Agent does not correspond", "msg-zitadel-user-agent-mismatch", "ZITADEL login UI"),
    # -- authentik sources
    ("Permission denied\nRequest has been denied.\nRequest to authenticate with Okta has been denied. Please "
     "authenticate with the source you've previously signed up with.", "msg-authentik-source-user-exists",
     "authentik flow executor"),
    # -- Microsoft sign-in pages without a code
    ("That Microsoft account doesn't exist. Enter a different account or get a new one.",
     "msg-entra-msa-account-not-found", "login.live.com"),
    ("Approval required\nThis app requires your admin's approval to:\nEnter justification for requesting this app",
     "msg-entra-admin-approval-needed", "Entra admin consent workflow page"),
    ("This app may be risky. If you trust this app, please ask your admin to grant you access to this app.",
     "msg-entra-admin-approval-needed", "Entra risk-based step-up consent"),
    ("Help us protect your account", "aadsts-50079", "Entra MFA registration interrupt"),
    ("Your sign-in was successful but your admin requires the device requesting access to be managed by Contoso to "
     "access this resource.", "aadsts-530003", "Entra Conditional Access page"),
    ("You can't get there from here\nIt looks like you're trying to open this resource with a client app that is not "
     "available for use with app protection policies.", "aadsts-53002", "Entra Conditional Access page"),
    ("The application 'Contoso Portal' asked for scope 'user_impersonation' that doesn't exist on the resource "
     "'00000003-0000-0000-c000-000000000000'. Contact the app vendor.", "aadsts-650053", "Entra error page text"),
    ("OAuthError: The client specified not to prompt, but the client app requires re-authentication or MFA.",
     "oauth-interaction_required", "okta-auth-js silent renewal"),
    ("The claims exchange 'REST-GetProfile' specified in step '7' returned HTTP error response with Code 'NotFound' "
     "and Reason 'Not Found'.", "msg-entra-b2c-rest-claims-exchange", "Azure AD B2C custom policy"),
    ("We can't seem to find your account", "msg-entra-b2c-account-not-found", "Azure AD B2C local account sign-in"),
    # -- Google
    ("Authorisation Error\nError 400: policy_enforced\nAdvanced Protection prevented your Google Account from being "
     "signed in.", "msg-google-advanced-protection", "Google OAuth error page"),
    ("Google hasn’t verified this app\nThe app is requesting access to sensitive info in your Google Account.",
     "msg-google-unverified-app", "Google unverified-app screen"),
    ("Error 401: disabled_client\nThe OAuth client was disabled.", "msg-google-disabled-client", "Google OAuth error page"),
    # -- Keycloak server start-up and events
    ("ERROR: Failed to start server in (production) mode\nERROR: Key material not provided to setup HTTPS. Please "
     "configure your keys/certificates or start the server in development mode.", "msg-keycloak-start-no-tls",
     "kc.sh start"),
    ("ERROR: Failed to start quarkus\nERROR: Strict hostname resolution configured but no hostname setting provided",
     "msg-keycloak-start-no-hostname", "kc.sh start --optimized"),
    ('WARN  [org.keycloak.events] type="LOGIN_ERROR", realmId="x", clientId="app", error="different_user_authenticated"',
     "msg-keycloak-other-user-session", "Keycloak event log"),
    # -- AD FS without an MSIS code
    ("Incorrect user ID or password. Type the correct user ID and password, and try again.",
     "msg-adfs-credentials-rejected", "AD FS forms sign-in page"),
    ("Token validation failed.\nAdditional Data\nToken Type: http://schemas.microsoft.com/ws/2006/05/identitymodel/"
     "tokens/UserName\nError message: The user name or password is incorrect", "msg-adfs-credentials-rejected",
     "AD FS event 342"),
    ("Microsoft.IdentityServer.Service.AccountPolicy.ADAccountLockoutException",
     "msg-adfs-credentials-rejected", "AD FS event 364 inner exception"),
    # -- Auth0
    ('{"error":"invalid_request","error_description":"the connection was disabled"}',
     "msg-auth0-connection-not-enabled", "Auth0 /oauth/ro"),
    ('{"error":"too_many_attempts","error_description":"Your account has been blocked after multiple consecutive login '
     'attempts."}', "msg-auth0-brute-force-blocked", "Auth0 /oauth/token"),
    ("Unsuccessful Refresh Token exchange, reused refresh token detected", "msg-auth0-refresh-token-invalid",
     "Auth0 log event ferrt"),
    ('{"error":"invalid_grant","error_description":"Stale token"}', "msg-keycloak-refresh-token-rejected",
     "Keycloak token endpoint, Revoke Refresh Token on"),
    # The client's view of this body names no product, so the general refresh-token reuse entry leads there;
    # Keycloak's server log names itself.
    ("WARN [org.keycloak.events] type=REFRESH_TOKEN_ERROR, realmId=acme, clientId=web, error=invalid_token, "
     "reason=Maximum allowed refresh token reuse exceeded",
     "msg-keycloak-refresh-token-rejected", "Keycloak server log"),
    # Keycloak's event log names the lost restart-login cookie by its error value only.
    ("WARN [org.keycloak.events] (executor-thread-3) type=LOGIN_ERROR, realmId=acme, clientId=null, "
     "ipAddress=192.0.2.4, error=cookie_not_found", "msg-keycloak-cookie-not-found", "Keycloak server log"),
    ('type="IDENTITY_PROVIDER_LOGIN_ERROR", error="cookie_not_found"', "msg-keycloak-cookie-not-found",
     "Keycloak server log, JSON format"),
    # -- Redirect URIs refused by other OIDC providers (node-oidc-provider, Logto, Nextcloud's OIDC app)
    ("error: redirect_uri_mismatch\nerror_description: redirect_uri did not match any client's registered redirect_uris",
     "oauth-redirect_uri_mismatch", "node-oidc-provider (OneLogin sample)"),
    ('{"message":"Invalid return link, the redirect_uri has not been registered by this application.",'
     '"code":"oidc.invalid_redirect_uri"}', "oauth-redirect_uri_mismatch", "Logto"),
    ("Access forbidden\nThe received redirect URI is not accepted to connect. Please inform the administrator of your "
     "client.", "oauth-redirect_uri_mismatch", "Nextcloud OIDC app"),
    # -- Duo
    ("Duo error code (40002): Invalid request parameters: no capable device", "msg-duo-no-capable-device", "Duo Auth API"),
    # -- Okta
    ("OAuthError: The response type is not supported by the authorization server. Configured response types: "
     "[token].", "msg-okta-grant-type-not-allowed", "okta-auth-js"),
]


@pytest.mark.parametrize(("text", "expected", "source"), CASES, ids=[f"{c[1]}:{i}" for i, c in enumerate(CASES)])
def test_the_message_leads_to_its_entry(kb, text, expected, source):
    found = [m.entry.id for m in kb.match_text(text)]
    assert found, f"nothing matched the {source} text"
    assert found[0] == expected, f"{source}: expected {expected} first, got {found}"


# Look-alike text from elsewhere, and the entry it must not bring up.
NOT_THESE = [
    ("Incorrect username or password.", "msg-cognito-incorrect-credentials"),  # any login form says it
    ("The user does not exist in the directory", "msg-cognito-user-not-found"),
    ("GCP error: instance not found", "msg-zitadel-instance-not-found"),
    ("The requested user could not be found in LDAP", "msg-zitadel-user-not-found"),
    ("refresh token invalid format", "msg-cognito-invalid-refresh-token"),
    ('{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}',
     "msg-cognito-invalid-refresh-token"),
    ("The connection to the database is not enabled for SSL", "msg-auth0-connection-not-enabled"),
    ("Client authentication failed: certificate expired", "msg-okta-client-auth-failed"),
    ("Network zones are configured for the office", "msg-okta-network-zone-denied"),
    ("The stale token cache was flushed", "msg-keycloak-refresh-token-rejected"),
    ("The authorization request could not be found", "msg-zitadel-auth-request-not-found"),
    ("Access denied: request has been denied by the firewall", "msg-authentik-source-user-exists"),
    ("The application asked for scope changes; see the resource owner", "aadsts-650053"),
    ("That account doesn't exist in our CRM", "msg-entra-msa-account-not-found"),
    ("Policy enforced on the branch: reviews required", "msg-google-advanced-protection"),
    ("The TLS key material was rotated yesterday", "msg-keycloak-start-no-tls"),
]


@pytest.mark.parametrize(("text", "unwanted"), NOT_THESE)
def test_look_alike_text_does_not_bring_up_the_entry(kb, text, unwanted):
    assert unwanted not in [m.entry.id for m in kb.match_text(text)]
