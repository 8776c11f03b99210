"""Web apps, SDKs and proxies surveyed in session 8: their messages lead to the entry that explains them.

Each case is a message as the software prints it, with where it comes from (the project's source or the
page it shows). ``match_text`` returns entries in text order, so each case asserts that the intended entry
is the *first* match. The negatives check that near texts do not pull the entries in.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose

CASES = [
    # -- openid-client lib/client.js callback(), oauth4webapi validateAuthResponse, OpenIddict client
    ("RPError: iss missing from the response", "msg-oidc-authorization-response-iss", "openid-client client.js"),
    ('OperationProcessingError: response parameter "iss" (issuer) missing', "msg-oidc-authorization-response-iss",
     "oauth4webapi validateAuthResponse"),
    ("error: invalid_request The 'iss' parameter cannot be used when 'authorization_response_iss_parameter_supported' "
     "is not supported by the authorization server.", "msg-oidc-authorization-response-iss", "OpenIddict client"),
    # -- Firebase Auth handler page and auth error codes (packages/auth/src/core/errors.ts)
    ("Unable to process request due to missing initial state. This may happen if browser sessionStorage is "
     "inaccessible or accidentally cleared. Some specific scenarios are - 1) Using IDP-Initiated SAML SSO. 2) Using "
     "signInWithRedirect in a storage-partitioned browser environment.", "msg-firebase-missing-initial-state",
     "Firebase auth handler page"),
    ("FirebaseError: Firebase: Error (auth/unauthorized-domain).", "msg-firebase-unauthorized-domain",
     "firebase-js-sdk auth errors.ts"),
    ("Uncaught Error: This domain is not authorized for OAuth operations for your Firebase project. Edit the list of "
     "authorized domains from the Firebase console.", "msg-firebase-unauthorized-domain", "firebase-js-sdk errors.ts"),
    ("Firebase: Error (auth/account-exists-with-different-credential).", "msg-account-not-linked",
     "firebase-js-sdk errors.ts"),
    # -- Supabase auth-js GoTrueClient._exchangeCodeForSession and the GoTrue server
    ("AuthPKCECodeVerifierMissingError: PKCE code verifier not found in storage. This can happen if the auth flow was "
     "initiated in a different browser or device", "msg-pkce-verifier-invalid", "supabase auth-js errors.ts"),
    ("AuthApiError: invalid request: both auth code and code verifier should be non-empty", "msg-pkce-verifier-invalid",
     "Supabase Auth (GoTrue) token endpoint"),
    # -- goth gothic/gothic.go getFromSession, goth_fiber
    ('{"status":"error","message":"Failed to get user: could not find a matching session for this request"}',
     "msg-goth-session-not-found", "goth gothic.go"),
    # -- Ory Kratos x/nosurf.go (ErrInvalidCSRFToken)
    ('{"error":{"id":"security_csrf_violation","code":403,"status":"Forbidden","reason":"Please retry the flow and '
     'optionally clear your cookies. The request was rejected to protect you from Cross-Site-Request-Forgery (CSRF) '
     'which could cause account takeover"}}', "msg-ory-kratos-csrf-violation", "Kratos x/nosurf.go"),
    # -- Matrix Synapse synapse/handlers/oidc.py and its SSO error page
    ("There was an error during authentication:\ninvalid_session: Must supply serialized macaroon",
     "msg-synapse-oidc-session", "Synapse sso_error.html with oidc.py"),
    ("synapse.handlers.oidc - ERROR - GET-12 - Invalid session for OIDC callback", "msg-synapse-oidc-session",
     "synapse handlers/oidc.py"),
    # -- MinIO cmd/sts-handlers.go
    ("Error from IDP\nAn error occurred, please try again\nPolicy=configAdmin claim missing from the JWT token, "
     "credentials will not be generated", "msg-minio-policy-claim-missing", "minio sts-handlers.go via the console"),
    ("None of the given policies (`readwrite-team`) are defined, credentials will not be generated",
     "msg-minio-policy-claim-missing", "minio sts-handlers.go"),
    # -- Refresh-token rotation: Supabase Auth (GoTrue) and Keycloak's token endpoint
    ("AuthApiError: Invalid Refresh Token: Already Used", "msg-refresh-token-reuse", "Supabase Auth refresh grant"),
    ('api(Auth.AuthError.APIError(error: Optional("invalid_grant"), errorDescription: Optional("Invalid Refresh Token: '
     'Refresh Token Not Found")))', "msg-refresh-token-reuse", "supabase-swift"),
    ('{"error":"invalid_grant","error_description":"Maximum allowed refresh token reuse exceeded"}',
     "msg-refresh-token-reuse", "Keycloak TokenManager (Revoke Refresh Token on)"),
    # -- Supabase Auth external provider callback (internal/api/external.go)
    ("http://localhost:3000/?error=server_error&error_description=Unable+to+exchange+external+code%3A+0.AVYA",
     "msg-supabase-external-code-exchange", "Supabase Auth external.go"),
    ('{"component":"api","error":"Unable to find email with Azure provider","level":"error",'
     '"msg":"500: Error getting user email from external provider","path":"/callback"}',
     "msg-supabase-provider-email-missing", "Supabase Auth external.go"),
    # -- Jenkins oic-auth OicSecurityRealm, nextcloud-oidc-login LoginService
    ("no field 'preferred_username' was supplied in the UserInfo or the IdToken payload to be used as the username",
     "msg-oidc-username-claim-missing", "oic-auth OicSecurityRealm"),
    ("OC\\User\\LoginException: Can not get identifier from provider", "msg-oidc-username-claim-missing",
     "nextcloud-oidc-login LoginService.php"),
    # -- omniauth_openid_connect CallbackError and Pomerium's signed-state check (internal/cryptutil)
    ("(openid_connect) Authentication failure! Invalid 'state' parameter: "
     "OmniAuth::Strategies::OpenIDConnect::CallbackError, Invalid 'state' parameter", "msg-omniauth-csrf-detected",
     "omniauth_openid_connect strategy"),
    ("400 Bad Request: internal/cryptutil: timestamp expired", "msg-oidc-state-expired", "pomerium cryptutil"),
    # -- kubectl (client-go) and kube-apiserver's OIDC authenticator (plugin/pkg/authenticator/token/oidc)
    ("I0420 22:25:53.002248   67152 shortcut.go:89] Error loading discovery information: Unauthorized\n"
     "error: You must be logged in to the server (Unauthorized)", "msg-kubernetes-oidc-unauthorized", "kubectl"),
    ('E1203 authentication.go:73] "Unable to authenticate the request" err="[invalid bearer token, oidc: verify token: '
     'oidc: expected audience \\"kubernetes\\" got [\\"account\\"]]"', "msg-kubernetes-oidc-unauthorized",
     "kube-apiserver authentication.go"),
    ('oidc authenticator: initializing plugin: Get "https://git.example.com/.well-known/openid-configuration": tls: '
     "failed to verify certificate: x509: certificate signed by unknown authority", "msg-kubernetes-oidc-unauthorized",
     "kube-apiserver oidc.go"),
    # -- Browser consoles on cookies they refuse (Chrome DevTools Issues panel, Firefox console)
    ("This attempt to set a cookie via a Set-Cookie header was blocked because it had the Secure attribute but was not "
     "received over a secure connection", "msg-cookie-secure-over-http", "Chrome DevTools (quotes lost in the paste)"),
    ('Cookie "__Host-authjs.csrf-token" has been rejected for invalid prefix.', "msg-cookie-secure-over-http",
     "Firefox console"),
    ('This Set-Cookie was blocked because it used the "__Secure-" or "__Host-" prefix in its name and broke the '
     "additional rules applied to cookies with these prefixes", "msg-cookie-secure-over-http", "Chrome DevTools"),
    ("Cookie \u201c_oauth2_proxy\u201d is invalid because its size is too big. Max size is 4096 B.",
     "msg-cookie-too-large-dropped", "Firefox console"),
    # -- Envoy RBAC filter (Istio AuthorizationPolicy) and oauth2-proxy's audience check (providers/oidc)
    ("HTTP/2 403\ncontent-length: 19\nserver: istio-envoy\n\nRBAC: access denied", "msg-envoy-rbac-access-denied",
     "Envoy rbac_filter.cc"),
    ("[debug][rbac] [external/envoy/source/extensions/filters/http/rbac/rbac_filter.cc:118] enforced denied",
     "msg-envoy-rbac-access-denied", "Envoy rbac_filter.cc"),
    ("Error creating session during OAuth2 callback: audience from claim aud with value [account] does not match with "
     "any of allowed audiences map[oauth2-proxy:{}]", "msg-oidc-id-token-audience-mismatch", "oauth2-proxy oidc verifier"),
    # -- Proxy configuration that removes the app's Set-Cookie (nginx, Apache mod_headers), as people paste it
    ("location / {\n  proxy_pass http://app:8080;\n  proxy_hide_header Set-Cookie;\n}", "msg-proxy-drops-set-cookie",
     "nginx proxy module directive"),
    ("proxy_ignore_headers Expires Cache-Control Set-Cookie;", "msg-proxy-drops-set-cookie", "nginx proxy module directive"),
    # -- Auth.js v5 packages/core/src/errors.ts and lib/actions/callback/oauth/callback.ts; next-auth v4 logger codes
    ("[auth][error] OAuthProfileParseError: Read more at https://errors.authjs.dev#oauthprofileparseerror\n"
     '[auth][cause]: ZodError: [{"code": "invalid_type", "expected": "string", "received": "undefined", "path": ["image"]}]',
     "msg-authjs-profile-parse-error", "Auth.js v5 errors.ts"),
    ("[next-auth][error][oauth_parse_profile_error] [ TypeError: Cannot read property 'url' of undefined",
     "msg-authjs-profile-parse-error", "next-auth v3 logger"),
    # -- GitLab OmniAuth callbacks controller and its blocked-user flash
    ("Signing in using your OpenIDConnect account without a pre-existing GitLab account is not allowed. Create a GitLab "
     "account first, and then connect it to your OpenIDConnect account.", "msg-gitlab-omniauth-account-policy",
     "GitLab omniauth_callbacks_controller.rb"),
    ("Your account is pending approval from your GitLab administrator and hence blocked.",
     "msg-gitlab-omniauth-account-policy", "GitLab devise locale"),
    # -- angular-auth-oidc-client (flows callback handling and state validation)
    ("authCallback incorrect state", "msg-spa-oidc-state-not-in-storage", "angular-auth-oidc-client state validation"),
    ("Validation, iat rejected id_token was issued too far away from the current time", "msg-client-device-clock",
     "angular-auth-oidc-client token validation"),
    # -- Microsoft.IdentityModel LogMessages.cs (Tokens and Protocols.OpenIdConnect)
    ("IDX10206: Unable to validate audience. The 'audiences' parameter is empty.", "idx-10206", "IdentityModel Tokens"),
    ("IDX10211: Unable to validate issuer. The 'issuer' parameter is null or whitespace", "idx-10211",
     "IdentityModel Tokens"),
    ("IDX10225: Lifetime validation failed. The token is missing an Expiration Time. Tokentype: "
     "'System.IdentityModel.Tokens.Jwt.JwtSecurityToken'.", "idx-10225", "IdentityModel Tokens"),
    ("IDX21329: RequireState is 'True' but the OpenIdConnectProtocolValidationContext.State is null. State cannot be "
     "validated.", "idx-21329", "IdentityModel Protocols.OpenIdConnect"),
    # -- App Service / Container Apps authentication endpoints as people describe what they return
    ("GET https://app.example.net/.auth/me returns [] after signing in", "msg-entra-easyauth-refresh-failed",
     "App Service /.auth/me"),
    # -- Vault's JWT/OIDC auth method (path_login.go via the cap library)
    ("Code: 400. Errors:\n* error validating token: invalid audience (aud) claim: audience claim does not match any "
     "expected audience", "msg-vault-oidc-claims", "vault jwt auth"),
    ('* unable to authorize role "reader": claim "groups" does not match any bound claim values',
     "msg-vault-oidc-claims", "vault jwt auth path_login.go"),
    ('{"errors":["audience claim found in JWT but no audiences bound to the role"]}', "msg-vault-oidc-claims",
     "vault jwt auth (1.16.3 and later)"),
    # -- openidconnect-rs IdTokenVerifier (Vaultwarden, VaulTLS): an extra audience it was not told to trust
    ("Invalid audiences: `383168317235462148` is not a trusted audience", "msg-oidc-id-token-audience-mismatch",
     "openidconnect-rs verification.rs"),
    # -- Authlib (jose errors; base_client sync_openid.py) and sentry-auth-oidc
    ('authlib.jose.errors.UnsupportedAlgorithmError: unsupported_algorithm: Unsupported "alg" value in header',
     "msg-jwt-alg-mismatch", "authlib jose/errors.py"),
    ("  File \"authlib/integrations/base_client/sync_openid.py\", line 60, in parse_id_token\nKeyError: 'id_token'",
     "msg-oidc-id-token-missing", "authlib sync_openid.py without the openid scope"),
    ("Missing id_token in OAuth response: {'session_state': 'x', 'access_token': 'eyJ.x.y'}",
     "msg-oidc-id-token-missing", "sentry-auth-oidc views.py"),
    # -- jumbojett/OpenID-Connect-PHP src/OpenIDConnectClient.php
    ("Uncaught Jumbojett\\OpenIDConnectClientException: Unable to determine state in "
     "/srv/www/vendor/jumbojett/openid-connect-php/src/OpenIDConnectClient.php:282", "msg-php-oidc-state-lost",
     "OpenIDConnectClient.php authenticate"),
    ("OpenIDConnectClientException: Unable to verify JWT claims in /var/www/html/mw/vendor/jumbojett/"
     "openid-connect-php/OpenIDConnectClient.php:281", "msg-php-oidc-jwt-claims", "OpenIDConnectClient.php verifyJWTClaims"),
    ("Jumbojett\\OpenIDConnectClientException: Unable to verify signature", "msg-oidc-jwt-signature-invalid",
     "OpenIDConnectClient.php verifyJWTSignature"),
    ("Jumbojett\\OpenIDConnectClientException: The provider authorization_endpoint could not be fetched. Make sure your "
     "provider has a well known configuration available.", "msg-idp-unreachable-from-app",
     "OpenIDConnectClient.php getWellKnownConfigValue"),
    # -- mod_auth_openidc src/cache/shm.c, src/authz.c; mod_oauth2 / ngx_openidc_module (liboauth2 cache)
    ("oidc_cache_shm_set: could not store value since value size is too large (21687 > 16928); consider increasing "
     "OIDCCacheShmEntrySizeMax", "msg-mod-auth-openidc-cache-too-large", "mod_auth_openidc cache/shm.c"),
    ("oauth2_cache_shm_check_value: could not store value since value size is too large (11106 > 8192)",
     "msg-mod-auth-openidc-cache-too-large", "liboauth2 cache/shm.c"),
    ("oidc_cache_shm_get_key: could not construct cache key since key size is too large (1987 >= 512)",
     "msg-mod-auth-openidc-cache-too-large", "mod_auth_openidc cache/shm.c"),
    ('[auth_openidc:debug] src/authz.c(204): oidc_authz_match_claim: evaluating key "groups"',
     "msg-mod-auth-openidc-require-claim", "mod_auth_openidc authz.c"),
    # -- oauth4webapi validateAuthResponse (openid-client v6 and Auth.js v5 use it)
    ('OperationProcessingError: unexpected "state" response parameter value', "msg-openid-client-state-mismatch",
     "oauth4webapi validateAuthResponse"),
    ('OperationProcessingError: "state" response parameter missing', "msg-openid-client-state-mismatch",
     "oauth4webapi validateAuthResponse"),
    # -- mozilla-django-oidc settings and middleware as people paste them
    ("OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 900", "msg-mozilla-oidc-session-refresh", "mozilla-django-oidc settings"),
    ("MIDDLEWARE += ['mozilla_django_oidc.middleware.SessionRefresh']", "msg-mozilla-oidc-session-refresh",
     "mozilla-django-oidc middleware.py"),
    # -- pac4j-oidc OidcAuthenticator / OidcCredentialsExtractor
    ("org.pac4j.core.exception.TechnicalException: State cannot be determined", "msg-pac4j-state-mismatch",
     "pac4j-oidc OidcAuthenticator"),
    ("org.pac4j.core.exception.TechnicalException: State parameter is different from the one sent in authentication "
     "request. Session expired or possible threat of cross-site request forgery", "msg-pac4j-state-mismatch",
     "pac4j-oidc OidcAuthenticator"),
]


@pytest.mark.parametrize(("text", "expected", "source"), CASES)
def test_the_message_leads_to_its_entry(kb, text, expected, source):
    found = [m.entry.id for m in kb.match_text(text)]
    assert found, f"nothing matched the {source} text"
    assert found[0] == expected, f"{source}: expected {expected} first, got {found}"


# Whole pastes through the engine: the entry leads the diagnosis.
ENGINE_CASES = [
    ("Failed to get user: could not find a matching session for this request", "msg-goth-session-not-found"),
    ("Unable to process request due to missing initial state.", "msg-firebase-missing-initial-state"),
    # The Vault CLI's frame shares words with an Okta entry; the Vault entry still leads the diagnosis.
    ("Error authenticating: Error making API request.\nCode: 400. Errors:\n* error validating token: invalid audience "
     "(aud) claim: audience claim does not match any expected audience", "msg-vault-oidc-claims"),
]


@pytest.mark.parametrize(("text", "expected"), ENGINE_CASES)
def test_the_engine_leads_with_the_entry(text, expected, now):
    report = diagnose(text, now=now)
    assert report.findings[0].code == expected, [f.code for f in report.findings]


# A wrapper's own entry may lead; the cause behind it must follow in the first two findings.
TOP_TWO = [
    # Spring Security OidcIdTokenValidator: an iat in the future is a clock problem.
    ("[invalid_id_token] The ID Token contains invalid claims: {iat=2026-12-04T10:00:05Z}", "msg-jwt-clock-skew"),
    # pac4j-oauth BaseOAuth20StateClient: the generic state entry and pac4j's own both fit.
    ("org.pac4j.oauth.exception.OAuthCredentialsException: State parameter mismatch: session expired or possible threat "
     "of cross-site request forgery", "msg-pac4j-state-mismatch"),
]


def test_the_older_state_code_resolves_to_the_same_entry(kb):
    assert kb.lookup_code("idx", "IDX21316").id == "idx-21329"


@pytest.mark.parametrize(("text", "expected"), TOP_TWO)
def test_the_cause_is_among_the_first_two_findings(text, expected, now):
    assert expected in [f.code for f in diagnose(text, now=now).findings][:2]


NOT_THESE = [
    ("The issuer (iss) claim is missing from the access token", "msg-oidc-authorization-response-iss"),
    ("Please add localhost to the authorized JavaScript origins", "msg-firebase-unauthorized-domain"),
    ("The session could not be found, please sign in again", "msg-goth-session-not-found"),
    ("CSRF token mismatch", "msg-ory-kratos-csrf-violation"),
    ("Invalid session", "msg-synapse-oidc-session"),
    ("groups claim missing from the ID token", "msg-minio-policy-claim-missing"),
    ("initial state of the form is missing", "msg-firebase-missing-initial-state"),
    ("The refresh token expired after 90 days", "msg-refresh-token-reuse"),
    ("Unable to exchange the code for a token", "msg-supabase-external-code-exchange"),
    ("The authentication request has an invalid 'state' parameter", "msg-omniauth-csrf-detected"),  # Okta's page
    ("username field is required", "msg-oidc-username-claim-missing"),
    ("You must be logged in to see this page", "msg-kubernetes-oidc-unauthorized"),
    ("Access denied: your role does not allow this action", "msg-envoy-rbac-access-denied"),
    ("The state of the migration cannot be determined yet", "msg-php-oidc-state-lost"),
    ("proxy_set_header Cookie $http_cookie;", "msg-proxy-drops-set-cookie"),
]


def test_kubernetes_entry_stays_out_of_pastes_without_kubernetes(now):
    text = ('oidc_proto_get_remote_user: OIDCRemoteUserClaim is set to "email", but the claim value could not be found '
            "in the id_token/userinfo response")
    assert "msg-kubernetes-oidc-unauthorized" not in [f.code for f in diagnose(text, now=now).findings]


@pytest.mark.parametrize(("text", "unwanted"), NOT_THESE)
def test_look_alike_text_does_not_bring_up_the_entry(kb, text, unwanted):
    assert unwanted not in [m.entry.id for m in kb.match_text(text)]
