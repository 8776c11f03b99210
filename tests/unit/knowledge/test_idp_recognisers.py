"""Identity providers other than Microsoft: their messages without a code are recognised.

Each case is a message as the software prints it, with where that text comes from. The engine
ranks code-less messages by where they start in the paste (ties by id), which is the order
``match_text`` returns, so each case asserts that the intended entry is the *first* match, not
merely one of them. The second half checks that look-alike text from other products does not
pull these entries in.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

IDP_FILES = ("google.toml", "auth0.toml", "keycloak.toml", "okta_messages.toml", "other_idps.toml")
IDP_PREFIXES = ("msg-google-", "msg-auth0-", "msg-keycloak-", "msg-okta-", "msg-ping-", "msg-authentik-", "msg-cognito-",
                "msg-authelia-", "msg-dex-", "msg-zitadel-", "msg-gitlab-", "msg-duo-",
                "msg-aws-")

# (text as printed, entry that must come first, where the text comes from)
CASES = [
    # -- Google: OAuth error pages (support.google.com/accounts/answer/16668185, the OAuth 2.0 web-server
    #    guide's "Authorization errors" section), token endpoint JSON, Admin console SAML errors
    #    (support.google.com/a/answer/6301076).
    ("Access blocked: This app\u2019s request is invalid\nError 400: redirect_uri_mismatch",
     "msg-google-redirect-uri-mismatch", "Google OAuth error page"),
    ("Error 401: invalid_client\nThe OAuth client was not found.", "msg-google-invalid-client", "Google OAuth error page"),
    ("Error 401: deleted_client\nThe OAuth client was deleted.", "msg-google-deleted-client", "Google OAuth error page"),
    ("Error 400: invalid_request\nCustom scheme URIs are not allowed for 'WEB' client type.",
     "msg-google-wrong-client-type", "Google OAuth error page"),
    ("Request details: redirect_uri=http://localhost:53682/ flowName=GeneralOAuthFlow",
     "msg-google-wrong-client-type", "Google OAuth error page, request details of a local tool"),
    ("Access blocked: Acme CLI\u2019s request is invalid\nError 400: invalid_request\nThe out-of-band (OOB) flow has "
     "been blocked in order to keep users secure.", "msg-google-oob-retired", "Google OAuth error page, OOB client"),
    ("Access blocked: Acme\u2019s request is invalid\nError 400: invalid_request\nCustom scheme URIs are not allowed "
     "for 'WEB' client type.", "msg-google-wrong-client-type", "Google OAuth error page, mobile app on a Web client"),
    ("The out-of-band (OOB) flow has been blocked in order to keep users secure.",
     "msg-google-oob-retired", "Google OOB migration guide"),
    ("idpiframe_initialization_failed: Not a valid origin for the client: http://localhost:3001 has not been "
     "registered for client ID 1234-abc.apps.googleusercontent.com.", "msg-google-js-origin-missing",
     "Google Sign-In (platform.js) init error"),
    ("[GSI_LOGGER]: The given origin is not allowed for the given client ID.", "msg-google-js-origin-missing",
     "Google Identity Services console message"),
    ("Error 403: disallowed_useragent", "msg-google-webview-blocked", "Google OAuth error page"),
    ("Error 403: org_internal\nThis client is restricted to users within its organization.",
     "msg-google-consent-internal", "Google OAuth error page"),
    ("Error 403: access_denied\nThe developer hasn't given you access to this app.",
     "msg-google-testing-user-not-listed", "Google OAuth error page, app in Testing"),
    ('{"error": "invalid_grant", "error_description": "Token has been expired or revoked."}',
     "msg-google-testing-refresh-expiry", "Google token endpoint"),
    ("Error 400: admin_policy_enforced", "msg-google-admin-policy-enforced", "Google OAuth error page"),
    ("This app is blocked\nThis app tried to access sensitive info in your Google Account.",
     "msg-google-app-blocked-sensitive", "Google consent page"),
    ("Error 403: restricted_client", "msg-google-restricted-client", "Google OAuth error page"),
    ('{"error":"invalid_grant","error_description":"Invalid JWT: Token must be a short-lived token (60 minutes) '
     'and in a reasonable timeframe. Check your iat and exp values in the JWT claim."}',
     "msg-google-service-account-jwt-time", "Google token endpoint, service account assertion"),
    ('{"error":"invalid_grant","error_description":"Invalid JWT Signature."}',
     "msg-google-service-account-key-invalid", "Google token endpoint, service account assertion"),
    ('{"error":"unauthorized_client","error_description":"Client is unauthorized to retrieve access tokens using '
     'this method, or client not authorized for any of the scopes requested."}',
     "msg-google-dwd-not-authorized", "Google token endpoint, domain-wide delegation"),
    ("403. That\u2019s an error.\nError: app_not_enabled_for_user\nService is not enabled for this user.",
     "msg-google-saml-app-off-for-user", "Google SAML error page"),
    ("Error: app_not_configured_for_user\nService is not configured for this user.",
     "msg-google-saml-entity-id-mismatch", "Google SAML error page (BookStackApp/BookStack#3366)"),
    ("Invalid request, ACS Url in request http://localhost:9000/saml/acs/ doesn't match configured ACS Url "
     "https://sp.example.com/saml/acs/.", "msg-google-saml-acs-mismatch",
     "Google SAML StatusMessage (reproduced in goauthentik/authentik's Google source tests)"),
    ("Authorization token could not be generated.", "msg-google-autoprovisioning-auth-failed",
     "Google Admin console, auto-provisioning errors (support.google.com/a/answer/6294829)"),
    ("G Suite - This account cannot be accessed because the login credentials could not be verified.",
     "msg-google-sso-credentials-not-verified", "Google Workspace as SAML SP"),
    ("This account cannot be accessed because we could not parse the login request.",
     "msg-google-sso-profile-incomplete", "Google Workspace as SAML SP"),
    ("The required response parameter RelayState was missing.", "msg-google-sso-relaystate-missing",
     "Google Workspace as SAML SP"),
    # -- Keycloak: themes/.../login/messages/messages_en.properties and the OIDC endpoints' error_description.
    ('{"error":"invalid_grant","error_description":"Code not valid"}', "msg-keycloak-code-not-valid",
     "Keycloak token endpoint"),
    ('{"error":"invalid_grant","error_description":"Incorrect redirect_uri"}', "msg-keycloak-incorrect-redirect-uri",
     "Keycloak token endpoint"),
    ('{"error":"invalid_grant","error_description":"Session not active"}', "msg-keycloak-session-timeout",
     "Keycloak token endpoint, refresh"),
    ('{"error":"invalid_grant","error_description":"Token is not active"}', "msg-keycloak-session-timeout",
     "Keycloak token endpoint, refresh"),
    ('{"error":"invalid_grant","error_description":"Offline session not active"}',
     "msg-keycloak-offline-session-not-active", "Keycloak token endpoint, offline refresh"),
    ("org.keycloak.common.VerificationException: Invalid token issuer. Expected 'http://keycloak:8080/realms/demo'",
     "msg-keycloak-invalid-token-issuer", "Keycloak TokenVerifier"),
    ('{"error":"invalid_client","error_description":"Invalid client or Invalid client credentials"}',
     "msg-keycloak-invalid-client-credentials", "Keycloak ClientAuthenticationFlow"),
    ('{"error":"unauthorized_client","error_description":"Client secret not provided in request"}',
     "msg-keycloak-confidential-client-in-browser", "Keycloak client authenticator"),
    ('{"error":"invalid_grant","error_description":"PKCE verification failed: Code mismatch"}',
     "msg-keycloak-pkce-verification-failed", "Keycloak token endpoint"),
    ('{"error":"unauthorized_client","error_description":"Client not allowed for direct access grants"}',
     "msg-keycloak-flow-disabled-for-client", "Keycloak token endpoint, password grant"),
    ("Client is not allowed to initiate browser login with given response_type. Standard flow is disabled for the client.",
     "msg-keycloak-flow-disabled-for-client", "messages_en.properties standardFlowDisabledMessage"),
    ("We are sorry...\nHTTPS required", "msg-keycloak-https-required", "messages_en.properties httpsRequiredMessage"),
    ("This page is no longer valid, please go back to your application and sign in again",
     "msg-keycloak-login-page-expired", "messages_en.properties staleCodeMessage"),
    ("Your login attempt timed out.  Login will start from the beginning.", "msg-keycloak-login-page-expired",
     "messages_en.properties loginTimeout (two spaces after the full stop)"),
    ("Page has expired\nTo restart the login process Click here.", "msg-keycloak-login-page-expired",
     "messages_en.properties pageExpiredTitle / pageExpiredMsg1"),
    ("Login timeout. Please sign in again.", "msg-keycloak-login-page-expired",
     "messages_en.properties expiredCodeMessage"),
    ("WARN [org.keycloak.events] type=LOGIN_ERROR, realmId=demo, clientId=app, userId=null, ipAddress=10.0.0.7, "
     "error=expired_code", "msg-keycloak-cluster-sessions", "Keycloak event log line"),
    ("ERROR [org.infinispan.interceptors.impl.InvocationContextInterceptor] ISPN000136: Error executing command "
     "PutKeyValueCommand on Cache 'authenticationSessions'", "msg-keycloak-cluster-sessions",
     "Infinispan log line of a Keycloak node (ISPN000136)"),
    ("Account is disabled, contact your administrator.", "msg-keycloak-account-disabled",
     "messages_en.properties accountDisabledMessage"),
    ("Invalid username or password.", "msg-keycloak-invalid-user-credentials", "messages_en.properties invalidUserMessage"),
    ('{"error":"invalid_grant","error_description":"Account is not fully set up"}',
     "msg-keycloak-required-action-pending", "Keycloak token endpoint, password grant"),
    ("You are already authenticated as different user 'alice' in this session. Please sign out first.",
     "msg-keycloak-other-user-session", "messages_en.properties differentUserAuthenticated"),
    ("Either the parameter 'client_id' or the parameter 'id_token_hint' is required when 'post_logout_redirect_uri' is used.",
     "msg-keycloak-logout-parameters", "Keycloak LogoutEndpoint"),
    ("GET /realms/demo/protocol/openid-connect/logout?redirect_uri=https%3A%2F%2Fapp.example.com%2F -> 400",
     "msg-keycloak-logout-parameters", "pre-18 logout URL"),
    ("We are sorry...\nClient not found.", "msg-keycloak-client-not-found", "messages_en.properties clientNotFoundMessage"),
    ("Unknown login requester", "msg-keycloak-saml-client-id", "messages_en.properties unknownLoginRequesterMessage"),
    ("We are sorry...\nInvalid requester", "msg-keycloak-saml-signature-required",
     "messages_en.properties invalidRequesterMessage"),
    ("Unexpected error when authenticating with identity provider", "msg-keycloak-broker-unexpected-error",
     "messages_en.properties identityProviderUnexpectedErrorMessage"),
    ("User with email alice@example.com already exists. Please login to account management to link the account.",
     "msg-keycloak-broker-user-exists", "messages_en.properties federatedIdentityExistsMessage"),
    ("Uncaught (in promise) Timeout when waiting for 3rd party check iframe message.",
     "msg-keycloak-js-3p-iframe-timeout", "keycloak-js"),
    ("Cookie not found. Please make sure cookies are enabled in your browser.", "msg-keycloak-cookie-not-found",
     "messages_en.properties cookieNotFoundMessage (entry in messages.toml)"),
    # -- Auth0: hosted error pages, authentication API, SDKs.
    ('{"error":"access_denied","error_description":"Unauthorized"}', "msg-auth0-failed-exchange-app-type",
     "Auth0 /oauth/token refusing a code exchange (log type feacft, Failed Exchange)"),
    ("Callback URL mismatch.\nThe provided redirect_uri is not in the list of allowed callback URLs.",
     "msg-auth0-callback-url-mismatch", "Auth0 hosted error page"),
    ('The "returnTo" querystring parameter "http://localhost:3000" is not defined as a valid URL in '
     '"Allowed Logout URLs".', "msg-auth0-logout-url-not-allowed", "Auth0 /v2/logout"),
    ("https://app.example.com/callback?error=access_denied&error_description=Service%20not%20found%3A%20"
     "YOUR_API_IDENTIFIER", "msg-auth0-audience-not-found", "Auth0 /authorize error redirect"),
    ("Service not found: https://login.example.com/userinfo", "msg-auth0-audience-not-found",
     "Auth0 custom domains troubleshooting"),
    ('{"error":"unauthorized_client","error_description":"Grant type \'client_credentials\' not allowed for the client."}',
     "msg-auth0-grant-type-not-allowed", "Auth0 token endpoint"),
    ('{"error":"access_denied","error_description":"Client \\"abc\\" is not authorized to access '
     '\\"https://api.example.com\\". You need to create a \\"client-grant\\" associated to this API."}',
     "msg-auth0-m2m-not-authorized", "Auth0 token endpoint, client credentials"),
    ("https://app.example.com/callback?error=unauthorized&error_description=Access%20denied.&state=abc",
     "msg-auth0-rule-denied", "Auth0 /authorize error redirect after a Rule's UnauthorizedError"),
    ("Uncaught (in promise) Error: Timeout\n    at Auth0Client._getTokenFromIFrame (auth0-spa-js.production.esm.js)"
     "\n    at Auth0Client.getTokenSilently", "msg-auth0-web-origins-missing",
     "auth0-spa-js src/errors.ts TimeoutError during silent authentication"),
    ("https://app.example.com/#error=login_required&error_description=Login%20required&state=abc",
     "msg-auth0-login-required", "Auth0 silent authentication"),
    ("https://app.example.com/?error=consent_required&error_description=Consent%20required&state=abc",
     "msg-auth0-consent-required", "Auth0 silent authentication"),
    ('{"error":"invalid_grant","error_description":"Invalid authorization code"}',
     "msg-auth0-invalid-authorization-code", "Auth0 token endpoint"),
    ('{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}',
     "msg-auth0-refresh-token-invalid", "Auth0 token endpoint"),
    ("Missing Refresh Token (audience: 'https://api.example.com', scope: 'openid profile email offline_access')",
     "msg-auth0-missing-refresh-token", "auth0-spa-js src/errors.ts MissingRefreshTokenError"),
    ("The access token expired and a refresh token is not available. The user will need to sign in again.",
     "msg-auth0-nextjs-no-refresh-token", "nextjs-auth0 v3 src/session/get-access-token.ts"),
    ("Error: Invalid state\n    at Auth0Client.handleRedirectCallback (auth0-spa-js.production.esm.js:1:3021)",
     "msg-auth0-spa-invalid-state", "auth0-spa-js src/Auth0Client.ts"),
    ("InvalidStateError: The state parameter is invalid.", "msg-auth0-nextjs-state-cookie",
     "nextjs-auth0 v4 src/errors/oauth-errors.ts"),
    ("CallbackHandlerError: Callback handler failed. CAUSE: checks.state argument is missing",
     "msg-auth0-nextjs-state-cookie", "nextjs-auth0 v3 src/utils/errors.ts with openid-client"),
    ("Unable to verify authorization request state.", "msg-auth0-passport-state", "passport-oauth2 state store"),
    ("You should not be hitting this endpoint.", "msg-auth0-hitting-endpoint", "Auth0 /login/callback"),
    ('Issuer (iss) claim mismatch in the ID token; expected "https://tenant.auth0.com/", found '
     '"https://login.example.com/"', "msg-auth0-id-token-iss-mismatch", "auth0-spa-js src/jwt.ts"),
    ('Signature algorithm of "HS256" is not supported. Expected the ID token to be signed with "RS256".',
     "msg-auth0-hs256-not-supported", "auth0-spa-js src/jwt.ts"),
    ("auth0-spa-js must run on a secure origin.", "msg-auth0-spa-secure-origin", "auth0-spa-js src/utils.ts"),
    # -- Okta: authorization server error_description values, Sign-In Widget, okta-auth-js AuthSdkError.
    ('{"error":"access_denied","error_description":"Policy evaluation failed for this request, please check the '
     'policy configurations."}', "msg-okta-no-access-policy", "Okta custom authorization server"),
    ('{"error":"invalid_scope","error_description":"One or more scopes are not configured for the authorization '
     'server resource."}', "msg-okta-scope-not-configured", "Okta authorization server"),
    ('{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: default (AuthorizationServer)"}',
     "msg-okta-no-custom-authorization-server", "Okta API, org without API Access Management"),
    ('{"error":"invalid_client","error_description":"Browser requests to the token endpoint must be part of at '
     'least one whitelisted redirect_uri."}', "msg-okta-browser-token-request", "Okta token endpoint"),
    ("PKCE code challenge is required when the token endpoint authentication method is 'NONE'.",
     "msg-okta-pkce-required", "Okta /authorize"),
    ("The client is not authorized to use the provided grant type. Configured grant types: "
     "[authorization_code, refresh_token].", "msg-okta-grant-type-not-allowed", "Okta token endpoint"),
    ('{"error":"invalid_grant","error_description":"The authorization code is invalid or has expired."}',
     "msg-okta-auth-code-invalid", "Okta token endpoint"),
    ('{"error":"invalid_grant","error_description":"PKCE verification failed."}',
     "msg-okta-pkce-verification-failed", "Okta token endpoint"),
    ('{"error":"invalid_grant","error_description":"PKCE verification failed: code_verifier too short."}',
     "msg-okta-pkce-verification-failed", "Okta OAuth error catalogue (pkce_verification_failed_with_reason)"),
    ("PKCE code verifier is required by the application.", "msg-okta-pkce-required",
     "Okta OAuth error catalogue (shared/corpus/codes/okta_oauth2_error_codes.json)"),
    ("Browser requests to the token endpoint may not include the offline_access scope.",
     "msg-okta-browser-token-request", "Okta OAuth error catalogue"),
    ("Policy evaluation succeeded, but all the requested scopes were rejected.", "msg-okta-no-access-policy",
     "Okta OAuth error catalogue"),
    ("The 'redirect_uri' does not match the redirection URI used in the authorization request.",
     "msg-okta-auth-code-invalid", "Okta OAuth error catalogue"),
    ("The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.",
     "msg-okta-post-logout-redirect-not-registered", "Okta OAuth error catalogue"),
    ('{"error":"invalid_grant","error_description":"The refresh token is invalid or expired."}',
     "msg-okta-refresh-token-invalid", "okta-auth-js lib/oidc/util/errors.ts"),
    ("AuthSdkError: Unable to retrieve OAuth redirect params from storage", "msg-okta-redirect-params-not-in-storage",
     "okta-auth-js lib/oidc/parseFromUrl.ts"),
    ("AuthSdkError: Could not load PKCE codeVerifier from storage. This may indicate the auth flow has already "
     "completed or multiple auth flows are executing concurrently.", "msg-okta-redirect-params-not-in-storage",
     "okta-auth-js lib/oidc/parseFromUrl.ts"),
    ("AuthSdkError: OAuth flow response state doesn't match request state", "msg-okta-redirect-params-not-in-storage",
     "okta-auth-js lib/oidc/handleOAuthResponse.ts"),
    ("AuthSdkError: The JWT was issued in the future", "msg-okta-jwt-clock", "okta-auth-js lib/oidc/util/validateClaims.ts"),
    ("AuthSdkError: The JWT expired and is no longer valid", "msg-okta-jwt-clock",
     "okta-auth-js lib/oidc/util/validateClaims.ts"),
    ("AuthSdkError: The issuer [https://dev-1.okta.com] does not match [https://dev-1.okta.com/oauth2/default]",
     "msg-okta-issuer-mismatch", "okta-auth-js lib/oidc/util/validateClaims.ts"),
    ("AuthSdkError: The audience [0oa1web] does not match [0oa2spa]", "msg-okta-audience-mismatch",
     "okta-auth-js lib/oidc/util/validateClaims.ts"),
    ("AuthSdkError: The key id, kid123, was not found in the server's keys", "msg-okta-key-id-not-found",
     "okta-auth-js lib/oidc/endpoints/well-known.ts"),
    ("AuthSdkError: OAuth flow timed out", "msg-okta-oauth-flow-timed-out", "okta-auth-js lib/oidc/util/browser.ts"),
    ("Access to fetch at 'https://dev-123.okta.com/api/v1/sessions/me' from origin 'http://localhost:3000' has been "
     "blocked by CORS policy", "msg-okta-trusted-origin-missing", "browser console, Okta API call"),
    ("There was an error sending the request - have you enabled CORS?", "msg-okta-trusted-origin-missing",
     "Okta Sign-In Widget"),
    ("You are not allowed to access this app. To request access, contact an admin.", "msg-okta-app-access-denied",
     "Okta Sign-In Widget (Identity Engine), user not assigned"),
    ("Profile property in Okta managed template has conflicts with custom property",
     "msg-okta-profile-property-conflict", "Okta provisioning setup"),
    ('Error while resolving signing key for kid "k1"', "msg-okta-org-as-token-not-verifiable", "okta-jwt-verifier"),
    ('claim "groups" is missing from the ID token', "msg-okta-wrong-authorization-server", "app log"),
    # -- PingFederate and authentik.
    ("Unexpected Runtime Authn Adapter Integration Problem.", "msg-ping-adapter-error", "PingFederate error page"),
    ("Unexpected System Error. Please provide reference code P7XK2 to your administrator.",
     "msg-ping-unexpected-system-error", "PingFederate error page (reference code, per Ping's troubleshooting guide)"),
    ("Request has been denied. Flow does not apply to current user.", "msg-authentik-flow-not-applicable",
     "authentik flow executor"),
    # -- Amazon Cognito: the error_description its hosted UI redirects with after a SAML sign-in
    #    (repost.aws/knowledge-center/cognito-invalid-saml-response-errors).
    ("error_description=Error+in+SAML+response+processing: Invalid user attributes: email: Attribute cannot be "
     "updated.".replace("+", " "), "msg-cognito-saml-user-attributes", "Cognito SAML error, immutable attribute"),
    ("Invalid SAML response received: Invalid user attributes: email: The attribute is required",
     "msg-cognito-saml-user-attributes", "Cognito SAML error, required attribute not mapped"),
    ("Invalid SAML response received: Invalid user attributes: custom:groups: Required attribute cannot be deleted",
     "msg-cognito-saml-user-attributes", "Cognito SAML error, required attribute sent empty"),
    ("error_description=Invalid samlResponse or relayState from identity provider&error=invalid_request",
     "msg-cognito-invalid-relaystate", "Cognito SAML error, IdP-initiated sign-in"),
    # -- Keycloak behind a reverse proxy: the server's warning (Keycloak 24+, cookie provider) and the browser's
    #    mixed-content report for its pages.
    ("WARN [org.keycloak.cookie.DefaultCookieProvider] Non-secure context detected; cookies are not secured, and will "
     "not be available in cross-origin POST requests", "msg-keycloak-behind-proxy", "Keycloak DefaultCookieProvider"),
    ("Mixed Content: The page at 'https://sso.example.com/admin/master/console/' was loaded over HTTPS, but requested "
     "an insecure frame 'http://sso.example.com/realms/master/protocol/openid-connect/login-status-iframe.html'.",
     "msg-keycloak-behind-proxy", "Chrome console, Keycloak admin console behind a proxy"),
    # -- Okta: the OAuth error catalogue (shared/corpus/codes/okta_oauth2_error_codes.json:
    #    feature_not_enabled_access_denied, oie_not_enabled_for_interact), okta-auth-js (lib/oidc/getWithRedirect:
    #    AuthSdkError on the callback) and Okta's SAML 400 page for a NameIDPolicy the app does not send.
    ("Identity Provider: Unknown\nError Code: server_error\nDescription: The requested feature is not enabled in "
     "this environment.", "msg-okta-feature-not-enabled", "Okta error page"),
    ("The requested feature (Interaction Code flow) isn't enabled in this environment. Ensure that you have Okta "
     "Identity Engine enabled", "msg-okta-feature-not-enabled", "Okta OAuth error catalogue, oie_not_enabled_for_interact"),
    ("AuthSdkError: The app should not attempt to call authorize API on callback. Authorize flow is already in "
     "process. Use parseFromUrl() to receive tokens.", "msg-okta-authorize-on-callback", "okta-auth-js"),
    ("400 BAD REQUEST\nYour request resulted in an error.\nDescription: Bad SAML request", "msg-okta-bad-saml-request",
     "Okta error page for an AuthnRequest it cannot use"),
    ("UnauthorizedError: jwt issuer invalid. expected: https://acme.eu.auth0.com\n    at express-jwt/lib/index.js:100",
     "msg-auth0-api-issuer-mismatch", "jsonwebtoken's issuer check as express-jwt reports it, Auth0 tenant domain"),
    ("Error: NameIDPolicy '' is not the configured Name ID Format "
     "'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified' for the app", "msg-okta-saml-nameid-policy",
     "Okta SAML 400 page"),
    ("state=abc&error=access_denied&error_description=Policy+evaluation+failed+for+this+request%2C+please+check",
     "msg-okta-no-access-policy", "Okta authorize error on the redirect URI, form-encoded"),
    # -- Keycloak: the login theme's messages (identityProviderInvalidSignatureMessage, alreadyLoggedInMessage),
    #    the admin console's LDAP test result, the event log and the token-exchange endpoint's error_description.
    ("Keycloak: We are sorry...\nInvalid signature in response from identity provider.",
     "msg-keycloak-broker-unexpected-error", "Keycloak messages_en.properties (identityProviderInvalidSignatureMessage)"),
    ("Error when trying to connect to LDAP: 'SSLHandshakeFailed'", "msg-keycloak-ldap-connection-failed",
     "Keycloak admin console, LDAP test connection"),
    ("[LDAP: error code 49 - 80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v3839]",
     "msg-keycloak-ldap-bind-failed", "Active Directory bind error as Keycloak logs it"),
    ('{"error":"invalid_client","error_description":"Public client is not allowed to exchange token"}',
     "msg-keycloak-token-exchange-not-allowed", "Keycloak token exchange endpoint"),
    ("You are already logged in.", "msg-keycloak-login-page-expired", "Keycloak messages_en.properties"),
    ("Loading the Admin UI", "msg-keycloak-admin-console-loading", "Keycloak admin console start page"),
    ("We are sorry...\nUnexpected error when handling authentication request to identity provider.",
     "msg-keycloak-unexpected-handling-request", "Keycloak messages_en.properties (unexpectedErrorHandlingRequestMessage)"),
    ("GET https://auth.example.com/realms/master/protocol/openid-connect/3p-cookies/step1.html net::ERR_TIMED_OUT",
     "msg-keycloak-admin-console-loading", "Browser console, admin console on another hostname"),
    # -- Google: the console's redirect URI validation and the error page for an http callback.
    ("Invalid Redirect: must end with a public top-level domain (such as .com or .org).",
     "msg-google-redirect-uri-not-allowed", "Google Cloud console, OAuth client form"),
    ("Error 400: invalid_request\nYou can't sign in to this app because it doesn't comply with Google's OAuth 2.0 "
     "policy for keeping apps secure.\nRequest details: redirect_uri=http://wiki.example.org/doku.php",
     "msg-google-redirect-uri-not-allowed", "Google OAuth error page, http callback"),
    ("If you're the app developer, register the JavaScript origin in the Google Cloud Console.\n"
     "Request details: origin=http://localhost:4000", "msg-google-js-origin-missing", "Google OAuth error page"),
    ("Google: The required response parameter SAMLResponse was missing", "msg-google-sso-samlresponse-missing",
     "Google Workspace SSO troubleshooting (support.google.com/a/answer/2463723)"),
    ("Google: This domain is not configured to use single sign-on.", "msg-google-sso-profile-incomplete",
     "Google Workspace SSO troubleshooting"),
    ("400. That's an error.\nError: invalid_request\nMissing required parameter: redirect_uri",
     "msg-google-missing-parameter", "Google OAuth error page"),
    # -- Smaller IdPs and OAuth providers refusing a redirect URI (their own texts).
    ("NotAuthorizedException: Unable to verify secret hash for client 4ab2cd", "msg-cognito-secret-hash",
     "Cognito InitiateAuth error"),
    ("Login option is not available. Please try another one", "msg-cognito-login-option-unavailable",
     "Cognito hosted UI"),
    ("Redirect URI Error\nThe request fails due to a missing, invalid, or mismatching redirection URI (redirect_uri).",
     "msg-authentik-redirect-uri", "authentik authorize view"),
    ("Hint: The 'redirect_uri' parameter does not match any of the OAuth 2.0 Client's pre-registered 'redirect_uris'.",
     "msg-authelia-redirect-uri", "Authelia (fosite) authorization error"),
    ('level=error msg="Failed to parse authorization request: Unregistered redirect_uri '
     '(\\"http://10.0.0.5:5555/callback\\")."', "msg-dex-unregistered-redirect-uri", "Dex server log"),
    ("The requested redirect_uri is missing in the client configuration.", "msg-zitadel-redirect-uri",
     "ZITADEL login error"),
    ("The redirect URI included is not valid.", "msg-gitlab-redirect-uri-invalid", "GitLab (Doorkeeper) authorize page"),
    ("Your request included an invalid SAML response. To logout, click here.", "msg-aws-saml-invalid-response",
     "AWS sign-in page (IAM SAML troubleshooting guide)"),
    ("InvalidIdentityTokenException: Issuer not present in specified provider (Error Code: "
     "AuthSamlInvalidSamlResponseException)", "msg-aws-saml-invalid-response", "AWS STS AssumeRoleWithSAML error"),
    ("An error occurred (AccessDenied) when calling the AssumeRoleWithSAML operation: Not authorized to perform "
     "sts:AssumeRoleWithSAML", "msg-aws-assume-role-with-saml-denied", "AWS STS error"),
    ('{"stat": "FAIL", "code": 40102, "message": "Invalid integration key in request credentials"}',
     "msg-duo-request-credentials", "Duo Auth API error body"),
    ("Authentication against Duo failed with exception: com.duosecurity.exception.DuoException: invalid_client",
     "msg-duo-request-credentials", "Duo Universal Prompt Java SDK"),
]


@pytest.mark.parametrize(("text", "expected", "source"), CASES, ids=[f"{c[1]}:{i}" for i, c in enumerate(CASES)])
def test_the_message_leads_to_its_entry(kb, text, expected, source):
    found = [m.entry.id for m in kb.match_text(text)]
    assert found, f"nothing matched the {source} text"
    assert found[0] == expected, f"{source}: expected {expected} first, got {found}"


# Okta's own catalogue of OAuth error descriptions (shared/corpus/codes/okta_oauth2_error_codes.json, from
# okta/okta-developer-docs), by internalErrorCode: the entry each description must lead to.
OKTA_CATALOGUE = {
    "no_matching_policy": "msg-okta-no-access-policy",
    "no_scope_allowed": "msg-okta-no-access-policy",
    "no_matching_scope": "msg-okta-scope-not-configured",
    "unsupported_auth_method_browser_request": "msg-okta-browser-token-request",
    "illegal_origin_browser_request": "msg-okta-browser-token-request",
    "not_trusted_origin_browser_request": "msg-okta-browser-token-request",
    "unsupported_scope_browser_request": "msg-okta-browser-token-request",
    "unsupported_grant_type_browser_request": "msg-okta-browser-token-request",
    "pkce_verification_failed": "msg-okta-pkce-verification-failed",
    "pkce_verification_failed_with_reason": "msg-okta-pkce-verification-failed",
    "pkce_missing_challenge": "msg-okta-pkce-required",
    "pkce_missing_verifier": "msg-okta-pkce-required",
    "pkce_challenge_required": "msg-okta-pkce-required",
    "invalid_authorization_code": "msg-okta-auth-code-invalid",
    "mismatched_redirect_uri": "msg-okta-auth-code-invalid",
    "invalid_refresh_token": "msg-okta-refresh-token-invalid",
    "unauthorized_client": "msg-okta-grant-type-not-allowed",
    "illegal_post_logout_redirect_uri": "msg-okta-post-logout-redirect-not-registered",
    # Added in session 8 (w-idp): client authentication, client credentials on the org server, network zones,
    # the password grant under MFA, scopes, mismatched codes.
    "invalid_client": "msg-okta-client-auth-failed",
    "missing_client_credentials": "msg-okta-client-auth-failed",
    "invalid_basic_auth_creds": "msg-okta-client-auth-failed",
    "client_assertion_invalid_audience": "msg-okta-client-assertion-invalid",
    "client_assertion_invalid_kid": "msg-okta-client-assertion-invalid",
    "client_assertion_jwks_not_configured": "msg-okta-client-assertion-invalid",
    "client_assertion_expired_token": "msg-okta-client-assertion-invalid",
    "client_assertion_already_used": "msg-okta-client-assertion-invalid",
    "unsupported_auth_method_client_creds": "msg-okta-org-as-client-credentials",
    "invalid_application_type_client_credentials": "msg-okta-org-as-client-credentials",
    "no_org_scopes_granted": "msg-okta-org-as-client-credentials",
    "disallowed_network_zone": "msg-okta-network-zone-denied",
    "password_auth_denied_mfa": "msg-okta-password-grant-denied",
    "password_auth_denied_policy": "msg-okta-password-grant-denied",
    "scope_denied": "msg-okta-no-access-policy",
    "mismatched_client": "msg-okta-auth-code-invalid",
    "mismatched_authorization_server": "msg-okta-auth-code-invalid",
}


@pytest.fixture(scope="module")
def okta_catalogue(corpus) -> dict[str, str]:
    doc = json.loads((corpus / "codes" / "okta_oauth2_error_codes.json").read_text(encoding="utf-8"))
    return {row["internalErrorCode"]: row["errorDescription"] for row in doc["errors"] if "internalErrorCode" in row}


@pytest.mark.parametrize(("internal_code", "expected"), sorted(OKTA_CATALOGUE.items()))
def test_okta_catalogue_descriptions_lead_to_their_entry(kb, okta_catalogue, internal_code, expected):
    description = okta_catalogue[internal_code]
    found = [m.entry.id for m in kb.match_text(description)]
    assert found and found[0] == expected, f"{internal_code} {description!r}: got {found}"


def test_other_okta_descriptions_do_not_pull_in_keycloak_or_google_entries(kb, okta_catalogue):
    strays = {code: [m.entry.id for m in kb.match_text(text) if m.entry.id.startswith(("msg-keycloak-", "msg-google-"))]
              for code, text in okta_catalogue.items()}
    assert {code: ids for code, ids in strays.items() if ids} == {}


# Text that resembles these messages but comes from elsewhere (or is harmless), and the entries of this
# area it must not bring up.
NOT_THESE = [
    ("Invalid state", "msg-auth0-spa-invalid-state"),  # any library's state error: msg-oidc-state-mismatch
    ("AADSTS50011: The redirect URI 'https://app.example.com/cb' specified in the request does not match the "
     "redirect URIs configured for the application", "msg-google-redirect-uri-mismatch"),
    ("redirect_uri=http://localhost:3000/api/auth/callback/google", "msg-google-wrong-client-type"),
    ('{"error":"invalid_grant","error_description":"Session not active"}', "msg-keycloak-offline-session-not-active"),
    ('{"error":"invalid_grant","error_description":"PKCE verification failed."}', "msg-keycloak-pkce-verification-failed"),
    ('{"error":"invalid_grant","error_description":"PKCE verification failed: Code mismatch"}',
     "msg-okta-pkce-verification-failed"),
    ("Login required to view this page", "msg-auth0-login-required"),
    ("Error 400: redirect_uri_mismatch", "msg-google-wrong-client-type"),
    ("The app's client secret expired last week", "msg-keycloak-invalid-client-credentials"),
    ("Timeout waiting for the database connection", "msg-okta-oauth-flow-timed-out"),
    ("Invalid parameter: redirect_uri", "msg-keycloak-logout-parameters"),
]


@pytest.mark.parametrize(("text", "unwanted"), NOT_THESE)
def test_look_alike_text_does_not_bring_up_the_entry(kb, text, unwanted):
    assert unwanted not in [m.entry.id for m in kb.match_text(text)]


def test_plain_conversation_matches_nothing_of_this_area(kb):
    text = ("Hi team, we rolled out the new laptop images today. Please restart once, then sign in to the VPN "
            "and the intranet as usual. Shout in #it-help if anything looks odd.")
    assert not [m.entry.id for m in kb.match_text(text) if m.entry.id.startswith(IDP_PREFIXES)]


def test_every_entry_of_the_area_is_reachable_and_described(kb):
    entries = [e for e in kb.entries() if kb.source(e.id) in IDP_FILES]
    assert len(entries) >= 85
    tested = {case[1] for case in CASES}
    for entry in entries:
        assert entry.system == "message" and entry.id.startswith(IDP_PREFIXES), entry.id
        assert entry.patterns and entry.deep and entry.refs, entry.id
        assert 5 <= len(entry.phrases) <= 12, entry.id
        assert len(entry.name) <= 90, entry.id
    untested = sorted(e.id for e in entries if e.id not in tested)
    assert untested == [], f"entries without a recogniser test: {untested}"


def test_no_two_entries_share_a_phrase(kb):
    counts = Counter(p.strip().lower() for e in kb.entries() for p in e.phrases)
    assert [p for p, n in counts.items() if n > 1] == []


def test_the_canonical_causes_of_this_area_have_their_ids(kb):
    # Ids fixed by the issue-10 cause list for this area; they are stored elsewhere, so they never change.
    canonical = """msg-auth0-audience-not-found msg-auth0-rule-denied msg-auth0-web-origins-missing
    msg-google-autoprovisioning-auth-failed msg-google-consent-internal msg-google-js-origin-missing
    msg-google-oob-retired msg-google-saml-app-off-for-user msg-google-saml-entity-id-mismatch
    msg-google-sso-profile-incomplete msg-google-testing-refresh-expiry msg-google-testing-user-not-listed
    msg-google-webview-blocked msg-google-wrong-client-type msg-keycloak-cluster-sessions
    msg-keycloak-confidential-client-in-browser msg-keycloak-https-required msg-keycloak-logout-parameters
    msg-keycloak-other-user-session msg-keycloak-required-action-pending msg-keycloak-saml-client-id
    msg-keycloak-saml-signature-required msg-keycloak-session-timeout msg-ping-adapter-error
    msg-okta-no-access-policy msg-okta-no-custom-authorization-server msg-okta-org-as-token-not-verifiable
    msg-okta-profile-property-conflict msg-okta-trusted-origin-missing msg-okta-wrong-authorization-server""".split()
    assert len(canonical) == 30
    assert [i for i in canonical if kb.get(i) is None] == []
