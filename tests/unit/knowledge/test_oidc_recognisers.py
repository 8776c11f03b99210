"""OIDC and OAuth client libraries: their messages lead to the entry that explains them.

Each case is a message as the library prints it (the format string filled in with sample values),
with the source file it comes from. The engine ranks code-less messages by where they start in the
paste (ties by id), which is the order ``match_text`` returns, so each case asserts that the intended
entry is the *first* match. The second half checks that look-alike or ordinary text does not pull
these entries in, and that a wrapper message steps aside when the reason it wraps is in the paste.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bot.diagnostics.engine import diagnose

OIDC_FILE = "oidc_libraries.toml"

# (text as printed, entry that must come first, where the text comes from)
CASES = [
    # -- lua-resty-openidc lib/resty/openidc.lua (authenticate, openidc_authorization_response), as OpenResty,
    #    Kong and APISIX log it.
    ("2026/12/03 10:28:17 [error] 63#63: *13976 [lua] openidc.lua:1544: authenticate(): request to the redirect_uri "
     "path but there's no session state found, client: 10.0.0.1, server: , request: \"GET /callback?code=x&state=y\"",
     "msg-lua-resty-openidc-session-state", "openidc.lua authenticate"),
    ("[lua] openidc.lua:1125: openidc_authorization_response(): state from argument: e0d7 does not match state "
     "restored from session: 9a1c", "msg-lua-resty-openidc-session-state", "openidc.lua openidc_authorization_response"),
    ("[lua] openidc.lua:1116: unhandled request to the redirect_uri: /routes/list", "msg-lua-resty-openidc-session-state",
     "openidc.lua openidc_authorization_response"),
    ("[lua] openidc.lua:578: openidc_discover(): accessing discovery url (https://idp.example.com/.well-known/"
     "openid-configuration) failed: no resolver defined to resolve \"idp.example.com\"", "msg-idp-unreachable-from-app",
     "openidc.lua openidc_discover (nginx cosocket without resolver)"),
    # -- Grafana pkg/login/social/connectors (errRoleAttributeStrictViolation, errInvalidRole)
    ("Login failed\nIdP did not return a role attribute, please contact your administrator",
     "msg-grafana-role-attribute", "social/connectors/common.go errRoleAttributeStrictViolation"),
    ('logger=authn.service level=error msg="Failed to authenticate request" client=auth.client.generic_oauth '
     'error="[oauth.role_attribute_strict_violation] idP did not return a role attribute, but role_attribute_strict '
     'is set"', "msg-grafana-role-attribute", "social_base.go extractRoleAndAdmin"),
    ("IdP did not return a valid role attribute, please contact your administrator", "msg-grafana-role-attribute",
     "social/connectors/common.go errInvalidRole"),
    # -- Facebook Login's error pages for a redirect it will not follow
    ("URL Blocked: This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth "
     "Settings. Make sure Client and Web OAuth Login are on and add all your app domains as Valid OAuth Redirect URIs.",
     "msg-facebook-login-redirect-blocked", "Facebook Login dialog"),
    ("Can't Load URL: The domain of this URL isn't included in the app's domains. To be able to load this URL, add all "
     "domains and subdomains of your app to the App Domains field in your app settings.",
     "msg-facebook-login-redirect-blocked", "Facebook Login dialog"),
    # -- mozilla-django-oidc auth.py (OIDCAuthenticationBackend.authenticate / get_or_create_user).
    ("SuspiciousOperation: Claims verification failed", "msg-mozilla-oidc-claims-verification",
     "mozilla-django-oidc auth.py get_or_create_user"),
    ("mozilla_django_oidc.auth WARNING failed to get or create user: duplicate key value violates unique constraint",
     "msg-mozilla-oidc-claims-verification", "mozilla-django-oidc auth.py authenticate"),
    ("SuspiciousOperation: Multiple users returned", "msg-mozilla-oidc-claims-verification",
     "mozilla-django-oidc auth.py get_or_create_user"),
    # -- passport 0.6+ sessionmanager.js: the session store has no regenerate().
    ("TypeError: req.session.regenerate is not a function", "msg-passportjs-session-regenerate",
     "passport lib/sessionmanager.js"),
    # -- okta-auth-js lib/oidc/util (assertPKCESupport) and oidc-client-ts CryptoUtils: no Web Crypto on http.
    ("AuthSdkError: PKCE requires a modern browser with encryption support running in a secure context.",
     "msg-pkce-insecure-context", "okta-auth-js assertPKCESupport"),
    ("Error: Crypto.subtle is available only in secure contexts (HTTPS).", "msg-pkce-insecure-context",
     "oidc-client-ts CryptoUtils.generateCodeChallenge"),
    # -- openid-client lib/token_set.js (also under NextAuth) and Spring Security's
    #    OidcAuthorizationCodeAuthenticationProvider: no ID token in the token response.
    ("TypeError: id_token not present in TokenSet", "msg-oidc-id-token-missing", "openid-client lib/token_set.js"),
    ('{"error":"invalid_request","error_description":"Missing parameter: code_challenge_method"}', "msg-pkce-required",
     "Keycloak AuthorizationEndpointChecker (PKCE enforced for the client)"),
    ("Missing (required) ID Token in Token Response for Client Registration: github", "msg-oidc-id-token-missing",
     "Spring Security OidcAuthorizationCodeAuthenticationProvider"),
    # -- Auth.js / NextAuth. v4: packages/next-auth/src/utils/logger.ts prints "[next-auth][error][CODE]",
    #    a docs link and the message; core/lib/oauth/checks.ts; core/pages/signin.tsx.
    #    v5: packages/core/src/errors.ts, lib/utils/logger.ts ("[auth][error] Type: message"),
    #    lib/actions/callback/oauth/checks.ts, lib/utils/assert.ts, lib/pages/error.tsx.
    ("[next-auth][error][OAUTH_CALLBACK_ERROR] \nhttps://next-auth.js.org/errors#oauth_callback_error State cookie "
     "was missing. {", "msg-nextauth-state-cookie-missing", "next-auth v4 core/lib/oauth/checks.ts"),
    ("[next-auth][error][OAUTH_CALLBACK_ERROR] \nhttps://next-auth.js.org/errors#oauth_callback_error checks.state "
     "argument is missing", "msg-nextauth-state-cookie-missing", "next-auth v4 with openid-client lib/client.js"),
    ("[next-auth][error][OAUTH_CALLBACK_ERROR] \nhttps://next-auth.js.org/errors#oauth_callback_error PKCE "
     "code_verifier cookie was missing.", "msg-nextauth-state-cookie-missing", "next-auth v4 checks.ts"),
    ("[auth][error] InvalidCheck: pkceCodeVerifier value could not be parsed. Read more at "
     "https://errors.authjs.dev#invalidcheck", "msg-nextauth-state-cookie-missing", "Auth.js v5 checks.ts"),
    ("[auth][error] CallbackRouteError: Read more at https://errors.authjs.dev#callbackrouteerror\n[auth][cause]: "
     "InvalidCheck: state cookie was missing", "msg-nextauth-state-cookie-missing", "Auth.js v5 callback + checks.ts"),
    ("[next-auth][error][OAUTH_CALLBACK_ERROR] \nhttps://next-auth.js.org/errors#oauth_callback_error outgoing "
     "request timed out after 3500ms", "msg-idp-unreachable-from-app",
     "next-auth v4 with openid-client lib/helpers/request.js"),
    ("[next-auth][error][OAUTH_CALLBACK_ERROR] \nhttps://next-auth.js.org/errors#oauth_callback_error Cannot read "
     "properties of undefined", "msg-nextauth-callback-error", "next-auth v4 routes/callback.ts"),
    ("[next-auth][error][OAUTH_CALLBACK_HANDLER_ERROR] \nhttps://next-auth.js.org/errors#oauth_callback_handler_error",
     "msg-nextauth-callback-error", "next-auth v4 core/lib/oauth/callback.ts"),
    ("[auth][error] OAuthCallbackError: OAuth Provider returned an error. Read more at "
     "https://errors.authjs.dev#oauthcallbackerror", "msg-nextauth-callback-error", "Auth.js v5 oauth/callback.ts"),
    ("https://app.example.com/api/auth/signin?error=OAuthCallback", "msg-nextauth-callback-error",
     "next-auth v4 error query parameter"),
    ("Try signing in with a different account.", "msg-nextauth-callback-error", "next-auth v4 pages/signin.tsx"),
    ("[next-auth][error][CLIENT_FETCH_ERROR] \nhttps://next-auth.js.org/errors#client_fetch_error Unexpected token < in "
     "JSON at position 0", "msg-nextauth-client-fetch-error", "next-auth v4 client/_utils.ts"),
    ("[auth][error] ClientFetchError: Failed to fetch. Read more at https://errors.authjs.dev#autherror",
     "msg-nextauth-client-fetch-error", "next-auth v5 lib/client.ts"),
    ("[next-auth][error][SIGNIN_OAUTH_ERROR] \nhttps://next-auth.js.org/errors#signin_oauth_error expected 200 OK, "
     "got: 404 Not Found", "msg-nextauth-signin-error", "next-auth v4 routes/signin.ts"),
    ("/api/auth/error?error=OAuthSignin", "msg-nextauth-signin-error", "next-auth v4 error query parameter"),
    ("[auth][error] UntrustedHost: Host must be trusted. URL was: http://localhost:3000/api/auth/session. Read more at "
     "https://errors.authjs.dev#untrustedhost", "msg-authjs-untrusted-host", "Auth.js v5 lib/utils/assert.ts"),
    ("[auth][error] MissingCSRF: CSRF token was missing during an action signin. Read more at "
     "https://errors.authjs.dev#missingcsrf", "msg-authjs-missing-csrf", "Auth.js v5 oauth/csrf-token.ts"),
    ("[auth][error] JWTSessionError: Read more at https://errors.authjs.dev#jwtsessionerror\n[auth][cause]: Error: "
     "no matching decryption secret", "msg-authjs-jwt-session-error", "Auth.js v5 actions/session.ts"),
    ("Server error\nThere is a problem with the server configuration.\nCheck the server logs for more information.",
     "msg-authjs-server-configuration-error", "Auth.js v5 lib/pages/error.tsx"),
    ("[next-auth][warn][NEXTAUTH_URL] \nhttps://next-auth.js.org/warnings#nextauth_url", "msg-app-public-url-wrong",
     "next-auth v4 core/lib/assert.ts"),
    ("[auth][error] OAuthAccountNotLinked: Another account already exists with the same e-mail address. Read more at "
     "https://errors.authjs.dev#oauthaccountnotlinked", "msg-account-not-linked", "Auth.js v5 handle-login.ts"),
    ("To confirm your identity, sign in with the same account you used originally.", "msg-account-not-linked",
     "next-auth v4 pages/signin.tsx"),
    # -- django-allauth: templates and locale/en/LC_MESSAGES/django.po, socialaccount/providers/oauth2/client.py,
    #    socialaccount/adapter.py.
    ("Social Network Login Failure\nAn error occurred while attempting to login via your social network account.",
     "msg-allauth-login-failure", "django-allauth (older templates)"),
    ("Third-Party Login Failure\nAn error occurred while attempting to login via your third-party account.",
     "msg-allauth-login-failure", "django-allauth locale/en django.po"),
    ("allauth.socialaccount.models.SocialApp.DoesNotExist: SocialApp matching query does not exist.",
     "msg-allauth-socialapp-not-found", "django-allauth socialaccount/adapter.py"),
    ("django.core.exceptions.MultipleObjectsReturned: get() returned more than one SocialApp -- it returned 2!",
     "msg-allauth-socialapp-duplicate", "django-allauth (older adapter via Django's get())"),
    ("allauth.socialaccount.providers.oauth2.client.OAuth2Error: Error retrieving access token: "
     "b'{\"error\": \"server_error\"}'", "msg-allauth-access-token-error", "django-allauth oauth2/client.py"),
    ("An account already exists with this email address. Please sign in to that account first, then connect your "
     "Google account.", "msg-account-not-linked", "django-allauth locale/en django.po"),
    # -- Authlib (integrations/base_client/errors.py, common/errors.py "error: description"), oauthlib
    #    (oauth2/rfc6749/errors.py "(error) description", parameters.py), requests-oauthlib.
    ("authlib.integrations.base_client.errors.MismatchingStateError: mismatching_state: CSRF Warning! State not equal "
     "in request and response.", "msg-authlib-mismatching-state", "authlib base_client/errors.py"),
    ("mismatching_state: CSRF Warning! State not equal in request and response.", "msg-authlib-mismatching-state",
     "authlib base_client/errors.py"),
    ("oauthlib.oauth2.rfc6749.errors.MismatchingStateError: (mismatching_state) CSRF Warning! State not equal in "
     "request and response.", "msg-authlib-mismatching-state", "oauthlib rfc6749/errors.py"),
    ("oauthlib.oauth2.rfc6749.errors.InsecureTransportError: (insecure_transport) OAuth 2 MUST utilize https.",
     "msg-oauthlib-insecure-transport", "oauthlib rfc6749/errors.py"),
    ("oauthlib.oauth2.rfc6749.errors.MissingTokenError: (missing_token) Missing access token parameter.",
     "msg-oauth-missing-token-response", "oauthlib rfc6749/parameters.py"),
    ("oauthlib.oauth2.rfc6749.errors.TokenExpiredError: (token_expired) ", "msg-access-token-expired-no-refresh",
     "oauthlib rfc6749/clients/base.py"),
    ('Warning: Scope has changed from "openid email" to "openid https://www.googleapis.com/auth/userinfo.email".',
     "msg-oauthlib-scope-changed", "oauthlib rfc6749/parameters.py"),
    # -- python-social-auth (social_core/exceptions.py)
    ("social_core.exceptions.AuthStateMissing: Session value state missing.", "msg-social-auth-state-missing",
     "social-core exceptions.py"),
    ("social_core.exceptions.AuthStateForbidden: Wrong state parameter given.", "msg-social-auth-state-forbidden",
     "social-core exceptions.py"),
    ("social_core.exceptions.AuthCanceled: Authentication process canceled: User refused the access",
     "msg-social-auth-canceled", "social-core exceptions.py"),
    ("social_core.exceptions.AuthForbidden: Your credentials aren't allowed", "msg-social-auth-forbidden",
     "social-core exceptions.py"),
    ("social_core.exceptions.AuthAlreadyAssociated: This account is already in use.",
     "msg-social-auth-already-associated", "social-core exceptions.py"),
    ("social_core.exceptions.AuthMissingParameter: Missing needed parameter state", "msg-oidc-unsolicited-callback",
     "social-core exceptions.py, backends/oauth.py validate_state"),
    # -- mod_auth_openidc (src/handle/response.c, src/state.c, src/proto/id_token.c, src/proto/jwt.c,
    #    src/jose/jws.c, src/http.c)
    ('[auth_openidc:error] [client 10.0.0.5] oidc_response_proto_state_restore: no "mod_auth_openidc_state_abc" state '
     "cookie found: check domain and samesite cookie settings", "msg-mod-auth-openidc-state-cookie-missing",
     "mod_auth_openidc handle/response.c"),
    ("oidc_response_match_state: unable to restore state", "msg-mod-auth-openidc-state-cookie-missing",
     "mod_auth_openidc handle/response.c"),
    ("invalid authorization response state and no default SSO URL is set, sending an error...",
     "msg-mod-auth-openidc-state-cookie-missing", "mod_auth_openidc handle/response.c"),
    ("oidc_response_proto_state_restore: state has expired", "msg-oidc-state-expired",
     "mod_auth_openidc handle/response.c"),
    ("This is due to a timeout; please restart your authentication session by re-entering the URL/bookmark you "
     "originally wanted to access: https://app.example.com/", "msg-oidc-state-expired",
     "mod_auth_openidc handle/response.c error page"),
    ("oidc_response_match_state: state parameter is not set", "msg-oidc-unsolicited-callback",
     "mod_auth_openidc handle/response.c"),
    ("oidc_state_cookies_clean_expired: deleting oldest state cookie: mod_auth_openidc_state_x (time until expiry 290 "
     "seconds)", "msg-oidc-concurrent-logins", "mod_auth_openidc state.c"),
    ("oidc_proto_idtoken_validate_nonce: the nonce value (abc) in the id_token did not match the one stored in the "
     "browser session (def)", "msg-oidc-nonce-mismatch", "mod_auth_openidc proto/id_token.c"),
    ('oidc_proto_jwt_validate_exp: "exp" validation failure (1700000000): JWT expired 86 seconds ago',
     "msg-oidc-token-expired-at-validation", "mod_auth_openidc proto/jwt.c"),
    ("could not verify signature against any of the (2) provided keys", "msg-oidc-jwt-signature-invalid",
     "mod_auth_openidc jose/jws.c"),
    ("oidc_http_request: curl_easy_perform(1/1) failed for https://idp.example.com/token with: [Couldn't connect to "
     "server]", "msg-idp-unreachable-from-app", "mod_auth_openidc http.c"),
    # -- oauth2-proxy (oauthproxy.go, pkg/cookies/csrf.go, pkg/validation/cookie.go,
    #    pkg/sessions/cookie/session_store.go, providers/oidc.go)
    ("[2024/05/01 10:00:00] [oauthproxy.go:928] Error redeeming code during OAuth2 callback: email in id_token "
     "(jane@example.com) isn't verified", "msg-oauth2-proxy-email-not-verified", "oauth2-proxy providers/oidc.go"),
    ("[oauthproxy.go:928] Error redeeming code during OAuth2 callback: token exchange failed: some other failure",
     "msg-oauth2-proxy-redeem-failed", "oauth2-proxy oauthproxy.go"),
    ("10.0.0.1 - abc - - [01/May/2024:10:00:00 +0000] [AuthFailure] Invalid authentication via OAuth2: unable to "
     "obtain CSRF cookie: http: named cookie not present (state=xyz)", "msg-oauth2-proxy-csrf-cookie-missing",
     "oauth2-proxy oauthproxy.go"),
    ("Login Failed: Unable to find a valid CSRF token. Please try again.", "msg-oauth2-proxy-csrf-cookie-missing",
     "oauth2-proxy oauthproxy.go error page"),
    ("[AuthFailure] Invalid authentication via OAuth2: CSRF token mismatch, potential attack",
     "msg-oidc-concurrent-logins", "oauth2-proxy oauthproxy.go"),
    ("CSRF cookie _oauth2_proxy_aBc_csrf was found in OAuth callback, but it is not the expected one "
     "(_oauth2_proxy_xYz_csrf).", "msg-oidc-concurrent-logins", "oauth2-proxy oauthproxy.go"),
    ("invalid configuration:\n  cookie_secret must be 16, 24, or 32 bytes to create an AES cipher, but is 44 bytes",
     "msg-oauth2-proxy-cookie-secret-length", "oauth2-proxy pkg/validation/cookie.go"),
    ("WARNING: Multiple cookies are required for this session as it exceeds the 4kb cookie limit. Please use server "
     "side session storage (eg. Redis) instead.", "msg-oauth2-proxy-cookie-split",
     "oauth2-proxy sessions/cookie/session_store.go"),
    ("[AuthFailure] Invalid authentication via OAuth2: unauthorized", "msg-oauth2-proxy-unauthorized",
     "oauth2-proxy oauthproxy.go"),
    # -- Spring Security OAuth2 client (OAuth2LoginAuthenticationFilter, OAuth2Error "[code] description",
    #    DefaultAuthorizationCodeTokenResponseClient, DefaultOAuth2UserService, OidcIdTokenDecoderFactory,
    #    JwtDecoderProviderConfigurationUtils, Nimbus JOSE)
    ("org.springframework.security.oauth2.core.OAuth2AuthenticationException: [authorization_request_not_found] ",
     "msg-spring-authorization-request-not-found", "spring-security OAuth2LoginAuthenticationFilter"),
    ("[invalid_token_response] An error occurred while attempting to retrieve the OAuth 2.0 Access Token Response: "
     "401 Unauthorized: [no body]", "msg-spring-invalid-token-response",
     "spring-security DefaultAuthorizationCodeTokenResponseClient"),
    ("[invalid_token_response] An error occurred while attempting to retrieve the OAuth 2.0 Access Token Response: "
     "Could not extract response: no suitable HttpMessageConverter found for response type [class "
     "org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse] and content type "
     "[text/html;charset=utf-8]", "msg-token-endpoint-html", "spring-security token response client"),
    ("[invalid_user_info_response] An error occurred while attempting to retrieve the UserInfo Resource: 401 "
     "Unauthorized", "msg-spring-invalid-user-info-response", "spring-security DefaultOAuth2UserService"),
    ('[missing_user_name_attribute] Missing required "user name" attribute name in UserInfoEndpoint for Client '
     "Registration: keycloak", "msg-spring-missing-user-name-attribute", "spring-security DefaultOAuth2UserService"),
    ("[missing_signature_verifier] Failed to find a Signature Verifier for Client Registration: 'okta'. Check to "
     "ensure you have configured the JwkSet URI.", "msg-spring-missing-signature-verifier",
     "spring-security OidcIdTokenDecoderFactory"),
    ("[invalid_id_token] An error occurred while attempting to decode the Jwt: Signed JWT rejected: Another algorithm "
     "expected, or no matching key(s) found", "msg-jwt-alg-mismatch", "spring-security + Nimbus JOSE"),
    ("[invalid_id_token] The ID Token contains invalid claims: {iss=http://localhost:8080/realms/demo}",
     "msg-oidc-id-token-issuer-mismatch", "spring-security OidcIdTokenValidator"),
    ("[invalid_id_token] The ID Token contains invalid claims: {aud=[other-client]}",
     "msg-oidc-id-token-audience-mismatch", "spring-security OidcIdTokenValidator"),
    ("[invalid_nonce] Invalid nonce", "msg-oidc-nonce-mismatch", "spring-security OidcAuthorizationCodeAuthenticationProvider"),
    ('java.lang.IllegalArgumentException: Unable to resolve the Configuration with the provided Issuer of '
     '"https://idp.example.com/realms/demo"', "msg-spring-issuer-discovery-failed",
     "spring-security JwtDecoderProviderConfigurationUtils"),
    ('The Issuer "https://idp.example.com/realms/demo/" provided in the configuration metadata did not match the '
     'requested issuer "https://idp.example.com/realms/demo"', "msg-oidc-discovery-issuer-mismatch",
     "spring-security JwtDecoderProviderConfigurationUtils"),
    ("Jwt expired at 2024-05-01T10:00:00Z", "msg-oidc-token-expired-at-validation", "spring-security JwtTimestampValidator"),
    ("I/O error on POST request for \"https://idp.example.com/oauth2/token\": Connection timed out",
     "msg-idp-unreachable-from-app", "spring-web RestTemplate as used by the token response client"),
    ('I/O error on GET request for "https://idp.example.com/realms/x/.well-known/openid-configuration": PKIX path '
     "building failed: sun.security.provider.certpath.SunCertPathBuilderException", "msg-tls-untrusted-idp-cert",
     "spring-web RestTemplate, a TLS trust failure is not a network failure"),
    # -- node openid-client v5 (lib/client.js, lib/errors.js, lib/passport_strategy.js, lib/helpers/*)
    ("RPError: state mismatch, expected abc, got: def", "msg-openid-client-state-mismatch", "openid-client lib/client.js"),
    ("TypeError: checks.state argument is missing", "msg-openid-client-state-mismatch", "openid-client lib/client.js"),
    ('did not find expected authorization request details in session, req.session["oidc:idp.example.com"] is undefined',
     "msg-openid-client-passport-session", "openid-client lib/passport_strategy.js"),
    ("RPError: unexpected iss value, expected https://idp.example.com/, got: https://idp.example.com",
     "msg-oidc-id-token-issuer-mismatch", "openid-client lib/client.js"),
    ("RPError: unexpected iss value, expected http://keycloak:8080/realms/demo, got: "
     "http://localhost:8080/realms/demo", "msg-oidc-issuer-host-mismatch", "openid-client lib/client.js"),
    ("RPError: aud mismatch, expected my-client, got: other-client", "msg-oidc-id-token-audience-mismatch",
     "openid-client lib/client.js"),
    ("RPError: nonce mismatch, expected abc, got: def", "msg-oidc-nonce-mismatch", "openid-client lib/client.js"),
    ("RPError: JWT expired, now 1700000600, exp 1700000000", "msg-oidc-token-expired-at-validation",
     "openid-client lib/client.js"),
    ("RPError: failed to validate JWT signature", "msg-oidc-jwt-signature-invalid", "openid-client lib/client.js"),
    ("RPError: unexpected JWT alg received, expected RS256, got: ES256", "msg-jwt-alg-mismatch",
     "openid-client lib/client.js"),
    ("RPError: state missing from the response", "msg-oidc-unsolicited-callback", "openid-client lib/client.js"),
    ("RPError: outgoing request timed out after 3500ms", "msg-idp-unreachable-from-app",
     "openid-client lib/helpers/request.js"),
    ("OPError: invalid_client (Invalid client credentials)", "msg-client-secret-invalid",
     "openid-client lib/errors.js (OPError formats 'error (error_description)')"),
    ("TypeError: invalid or unsupported token_endpoint_auth_method", "msg-oauth-client-auth-method",
     "openid-client lib/client.js"),
    # -- oauth4webapi (Auth.js v5, openid-client v6): src/index.ts
    ('OperationProcessingError: "response" body "issuer" property does not match the expected value',
     "msg-oidc-discovery-issuer-mismatch", "oauth4webapi src/index.ts"),
    ('OperationProcessingError: unexpected JWT "iss" (issuer) claim value', "msg-oidc-id-token-issuer-mismatch",
     "oauth4webapi src/index.ts"),
    ('OperationProcessingError: unexpected JWT "aud" (audience) claim value', "msg-oidc-id-token-audience-mismatch",
     "oauth4webapi src/index.ts"),
    ('OperationProcessingError: unexpected ID Token "nonce" claim value', "msg-oidc-nonce-mismatch",
     "oauth4webapi src/index.ts"),
    ('OperationProcessingError: response parameter "state" missing', "msg-oidc-unsolicited-callback",
     "oauth4webapi src/index.ts"),
    ('OperationProcessingError: unexpected JWT "exp" (expiration time) claim value, expiration is past current '
     "timestamp", "msg-oidc-token-expired-at-validation", "oauth4webapi src/index.ts"),
    ("OperationProcessingError: JWT signature verification failed", "msg-oidc-jwt-signature-invalid",
     "oauth4webapi src/index.ts"),
    ('OperationProcessingError: failed to parse "response" body as JSON', "msg-token-endpoint-html",
     "oauth4webapi src/index.ts"),
    # -- go-oidc (oidc/oidc.go, oidc/verify.go) and golang.org/x/oauth2 (token.go, internal/token.go)
    ('oidc: issuer did not match the issuer returned by provider, expected "https://idp.example.com/realms/demo/" got '
     '"https://idp.example.com/realms/demo"', "msg-oidc-discovery-issuer-mismatch", "go-oidc oidc/oidc.go"),
    ('oidc: id token issued by a different provider, expected "https://idp.example.com" got "https://other.example.com"',
     "msg-oidc-id-token-issuer-mismatch", "go-oidc oidc/verify.go"),
    ('oidc: id token issued by a different provider, expected "http://keycloak.auth.svc:8080/realms/x" got '
     '"https://sso.example.com/realms/x"', "msg-oidc-issuer-host-mismatch", "go-oidc oidc/verify.go"),
    ('oidc: expected audience "argo-cd" got ["other"]', "msg-oidc-id-token-audience-mismatch", "go-oidc oidc/verify.go"),
    ("oidc: token is expired (Token Expiry: 2024-05-01 10:00:00 +0000 UTC)", "msg-oidc-token-expired-at-validation",
     "go-oidc oidc/verify.go"),
    ("failed to verify signature: failed to verify id token signature", "msg-oidc-jwt-signature-invalid",
     "go-oidc oidc/verify.go and oidc/jwks.go"),
    ("oauth2: token expired and refresh token is not set", "msg-access-token-expired-no-refresh",
     "golang.org/x/oauth2 oauth2.go"),
    ("oauth2: server response missing access_token", "msg-oauth-missing-token-response",
     "golang.org/x/oauth2 internal/token.go"),
    ("oauth2: cannot fetch token: 401 Unauthorized\nResponse: {}", "msg-go-oauth2-cannot-fetch-token",
     "golang.org/x/oauth2 internal/token.go"),
    ("oauth2: cannot parse json: invalid character '<' looking for beginning of value", "msg-token-endpoint-html",
     "golang.org/x/oauth2 internal/token.go + encoding/json"),
    ('Post "https://keycloak.example.com/realms/x/protocol/openid-connect/token": dial tcp 10.2.3.4:443: i/o timeout',
     "msg-idp-unreachable-from-app", "Go net/http"),
    # -- OmniAuth (omniauth lib/omniauth/strategy.rb logs "Authentication failure! key: Class, message";
    #    omniauth-oauth2 lib/omniauth/strategies/oauth2.rb; Devise omniauth_callbacks.failure used by GitLab)
    ("(openid_connect) Authentication failure! csrf_detected: OmniAuth::Strategies::OAuth2::CallbackError, "
     "csrf_detected | CSRF detected", "msg-omniauth-csrf-detected", "omniauth-oauth2 strategies/oauth2.rb"),
    ('Could not authenticate you from OpenIDConnect because "Csrf detected".', "msg-omniauth-csrf-detected",
     "Devise omniauth_callbacks.failure (GitLab)"),
    ("(github) Authentication failure! invalid_credentials: OAuth2::Error, server_error",
     "msg-omniauth-invalid-credentials", "omniauth-oauth2 strategies/oauth2.rb"),
    ('Could not authenticate you from OpenIDConnect because "Invalid credentials".', "msg-omniauth-invalid-credentials",
     "Devise omniauth_callbacks.failure (GitLab)"),
    ("(google_oauth2) Authentication failure! authenticity_error: OmniAuth::AuthenticityError, Forbidden",
     "msg-omniauth-authenticity-error", "omniauth lib/omniauth/strategy.rb"),
    # -- Laravel Socialite (src/Two/AbstractProvider.php)
    ("[2024-05-01 10:00:00] production.ERROR:  {\"exception\":\"[object] (Laravel\\\\Socialite\\\\Two\\\\"
     "InvalidStateException(code: 0):  at /var/www/vendor/laravel/socialite/src/Two/AbstractProvider.php:237)",
     "msg-laravel-socialite-invalid-state", "laravel/socialite Two/AbstractProvider.php"),
    # -- Grafana (pkg/services/authn/clients/oauth.go errutil public messages; older pkg/api/login_oauth.go)
    ("Login failed: Failed to get token from provider", "msg-grafana-token-exchange-failed",
     "Grafana auth.oauth.token.exchange"),
    ("logger=authn.service t=2024-05-01T10:00:00Z level=error msg=\"Failed to authenticate request\" client=auth.client."
     "generic_oauth error=\"[auth.oauth.state.missing] missing saved oauth state\"", "msg-grafana-oauth-state-missing",
     "Grafana auth.oauth.state.missing"),
    ("lvl=eror msg=login.OAuthLogin(missing saved state) logger=context", "msg-grafana-oauth-state-missing",
     "Grafana pkg/api/login_oauth.go (older)"),
    ("Provided state does not match stored state", "msg-grafana-oauth-state-missing", "Grafana auth.oauth.state.invalid"),
    ("lvl=eror msg=login.OAuthLogin(NewTransportWithCode) logger=context error=\"oauth2: cannot fetch token: 400 Bad "
     "Request\"", "msg-grafana-token-exchange-failed", "Grafana pkg/api/login_oauth.go (older)"),
    ('lvl=eror msg=login.OAuthLogin(NewTransportWithCode) logger=context error="Post \\"https://kc.example.com/realms/'
     'x/protocol/openid-connect/token\\": dial tcp 10.2.43.194:443: connect: connection timed out"',
     "msg-idp-unreachable-from-app", "Grafana login_oauth.go wrapping a Go net/http error"),
    ('logger=authn.service level=error msg="Failed to get token from provider" error="oauth2: cannot parse json: '
     "invalid character '<' looking for beginning of value\"", "msg-token-endpoint-html",
     "Grafana with token_url set to the authorize endpoint"),
    # -- Vault OIDC auth (hashicorp/vault-plugin-auth-jwt path_oidc.go, claims.go)
    ("Code: 400. Errors:\n* Expired or missing OAuth state.", "msg-vault-oidc-state-missing",
     "vault-plugin-auth-jwt path_oidc.go"),
    ("Code: 400. Errors:\n* unauthorized redirect_uri: http://localhost:8250/oidc/callback",
     "msg-vault-oidc-redirect-uri", "vault-plugin-auth-jwt path_oidc.go"),
    ('error validating claims: claim "groups" does not match any associated bound claim values',
     "msg-vault-oidc-claims", "vault-plugin-auth-jwt claims.go"),
    ('Vault login failed. Error exchanging oidc code: "something went wrong".', "msg-vault-oidc-code-exchange",
     "vault-plugin-auth-jwt path_oidc.go"),
    # -- Causes that show in other software's messages
    ('{"error":"invalid_request","error_description":"Cannot supply multiple client credentials. Use one of the '
     'following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the '
     'post body."}', "msg-oauth-client-auth-method", "Okta token endpoint"),
    ("Unable to issue redirect for OAuth 2.0 transaction", "msg-sdk-redirect-uri-missing",
     "oauth2orize (Auth0 /authorize without redirect_uri)"),
    ("https://tenant.auth0.com/authorize?client_id=abc&authorizationParams=%5Bobject%20Object%5D&scope=openid",
     "msg-sdk-redirect-uri-missing", "auth0-react 1.x options passed to 2.x"),
    ("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=Enter_the_Application_Id_Here"
     "&response_type=code", "msg-config-placeholder-value", "MSAL samples' placeholder"),
    ("https://idp.example.com/authorize?client_id=undefined&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb",
     "msg-config-placeholder-value", "an unset environment variable in a JavaScript app"),
    ("https://idp.example.com/authorize?client_id=0oa1abcd%0A&response_type=code", "msg-config-value-whitespace",
     "a client ID with a trailing newline, URL-encoded"),
    ("https://idp.example.com/authorize?client_id=abc&redirect_uri=http%3A%2F%2F0.0.0.0%3A8080%2Fauth%2Fcallback",
     "msg-app-public-url-wrong", "an app building its callback from the bind address"),
    ('{"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."}',
     "msg-oidc-callback-replayed", "GitHub OAuth token endpoint"),
    ('{"error":"invalid_grant","error_description":"Invalid code verifier."}', "msg-pkce-verifier-invalid",
     "Google token endpoint, PKCE"),
    ("System.Net.WebException: The request was aborted: Could not create SSL/TLS secure channel.",
     "msg-outbound-tls-version", ".NET Framework HttpWebRequest"),
    ("javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version", "msg-outbound-tls-version", "JSSE"),
    ("Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON", "msg-token-endpoint-html", "Node.js JSON.parse"),
    ('jwt.exceptions.InvalidAlgorithmError: The specified alg value is not allowed', "msg-jwt-alg-mismatch", "PyJWT"),
    ("error: RefreshAccessTokenError", "msg-access-token-expired-no-refresh",
     "Auth.js refresh-token rotation guide's session error"),
    # go-oidc's error as applications re-wrap it, without its "oidc: " prefix (provider.go's NewProvider).
    ('issuer did not match the issuer returned by provider, expected "https://sso.example.com" got '
     '"https://sso.example.com/"', "msg-oidc-discovery-issuer-mismatch", "go-oidc, re-wrapped"),
    ("id token not issued by correct OpenID provider - expected: https://appleid.apple.com | from: "
     "https://issuer.example.org", "msg-oidc-id-token-issuer-mismatch", "Parse Server's Apple and Google auth adapters"),
]


@pytest.mark.parametrize(("text", "expected", "source"), CASES, ids=[f"{c[1]}:{i}" for i, c in enumerate(CASES)])
def test_the_message_leads_to_its_entry(kb, text, expected, source):
    found = [m.entry.id for m in kb.match_text(text)]
    assert found, f"nothing matched the {source} text"
    assert found[0] == expected, f"{source}: expected {expected} first, got {found}"


# Exception names as a traceback shows them without the message text, and whole pastes through the engine.
EXCEPTION_CASES = [
    ("Traceback (most recent call last):\n  ...\nauthlib.integrations.base_client.errors.MismatchingStateError",
     "msg-authlib-mismatching-state"),
    ("raise InsecureTransportError()\noauthlib.oauth2.rfc6749.errors.InsecureTransportError", "msg-oauthlib-insecure-transport"),
    ('  File "social_core/backends/oauth.py", line 119, in validate_state\n    raise AuthStateMissing(self, "state")\n'
     "social_core.exceptions.AuthStateMissing", "msg-social-auth-state-missing"),
    # The Vault CLI frames the error with words an Okta umbrella entry also knows; the umbrella sorts after it.
    ("Error authenticating: Error making API request.\nURL: PUT http://127.0.0.1:8200/v1/auth/oidc/oidc/callback\n"
     "Code: 400. Errors:\n* Expired or missing OAuth state.", "msg-vault-oidc-state-missing"),
    ("Laravel\\Socialite\\Two\\InvalidStateException in AbstractProvider.php line 237", "msg-laravel-socialite-invalid-state"),
    ("[auth][error] InvalidCheck", "msg-nextauth-state-cookie-missing"),
]


@pytest.mark.parametrize(("text", "expected"), EXCEPTION_CASES)
def test_exception_names_lead_to_their_entry(text, expected, now):
    report = diagnose(text, now=now)
    assert report.findings[0].code == expected, [f.code for f in report.findings]


# A wrapper message steps aside when the reason it wraps follows in the same paste: the reason's own entry (or
# the OAuth error value) leads the diagnosis.
WRAPPED = [
    ("[next-auth][error][OAUTH_CALLBACK_ERROR] \nhttps://next-auth.js.org/errors#oauth_callback_error invalid_client "
     "(Invalid client credentials)", "msg-nextauth-callback-error", "msg-client-secret-invalid"),
    ("Error redeeming code during OAuth2 callback: token exchange failed: oauth2: cannot fetch token: 401 Unauthorized\n"
     'Response: {"error":"invalid_client","error_description":"Invalid client secret"}', "msg-oauth2-proxy-redeem-failed",
     "msg-client-secret-invalid"),
    ('oauth2: cannot fetch token: 400 Bad Request\nResponse: {"error":"invalid_grant"}', "msg-go-oauth2-cannot-fetch-token",
     "oauth-invalid_grant"),
    ("Error redeeming code during OAuth2 callback: email in id_token (a@b.c) isn't verified",
     "msg-oauth2-proxy-redeem-failed", "msg-oauth2-proxy-email-not-verified"),
    ("[invalid_token_response] An error occurred while attempting to retrieve the OAuth 2.0 Access Token Response: "
     '400 Bad Request: "{"error":"invalid_grant","error_description":"Code not valid"}"',
     "msg-spring-invalid-token-response", "msg-keycloak-code-not-valid"),
]


@pytest.mark.parametrize(("text", "wrapper", "reason"), WRAPPED)
def test_a_wrapper_steps_aside_when_the_reason_follows(kb, text, wrapper, reason, now):
    assert wrapper not in [m.entry.id for m in kb.match_text(text)]
    found = [f.code for f in diagnose(text, now=now).findings]
    assert found[0] == reason, found


# Text that resembles these messages but means something else (or nothing), and the entry it must not bring up.
NOT_THESE = [
    ("https://app.example.com/auth/callback?client_id=abc&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb",
     "msg-app-public-url-wrong"),  # localhost is normal in development
    ("client_id=0oa1abcdEFGH&response_type=code&scope=openid", "msg-config-value-whitespace"),
    ("client_id=0oa1abcdEFGH&response_type=code", "msg-config-placeholder-value"),
    ("oauth2: cannot fetch token: 400 Bad Request\nResponse: {\"error\":\"invalid_grant\"}", "msg-go-oauth2-cannot-fetch-token"),
    ('oauth2: cannot fetch token: 400 Bad Request\nResponse: {"error":"invalid_request","error_description":"x"}',
     "msg-go-oauth2-cannot-fetch-token"),
    ("issuer: http://localhost:8080/realms/dev", "msg-oidc-issuer-host-mismatch"),  # configuration, not an error
    ("unexpected iss value, expected https://idp.example.com/, got: https://idp.example.com",
     "msg-oidc-issuer-host-mismatch"),  # public hosts on both sides
    ("The session expired after 8 hours of inactivity.", "msg-oidc-state-expired"),
    ("Invalid state", "msg-openid-client-state-mismatch"),
    ("PKCE verification failed: Code mismatch", "msg-pkce-verifier-invalid"),  # Keycloak's own entry
    ("The authorization code is invalid or has expired.", "msg-oidc-callback-replayed"),  # Okta's own entry
    ("Please restart the service once the certificate has expired", "msg-oidc-state-expired"),
    ("Unexpected token } in JSON at position 12", "msg-token-endpoint-html"),
    ("login.OAuthLogin(get info from generic_oauth)", "msg-grafana-token-exchange-failed"),
]


@pytest.mark.parametrize(("text", "unwanted"), NOT_THESE)
def test_look_alike_text_does_not_bring_up_the_entry(kb, text, unwanted):
    assert unwanted not in [m.entry.id for m in kb.match_text(text)]


ORDINARY = [
    "Hi team, we rolled out the new laptop images today. Please restart once, then sign in to the VPN and the "
    "intranet as usual. Shout in #it-help if anything looks odd.",
    "The state of the project is good; the code review is done and the token budget for the quarter is approved.",
    "Our proxy team will update the certificate on Friday; expect a short outage of the wiki.",
    "Can someone share the redirect for the new office? The old URL still works for now.",
    "I used the code you sent and it worked, thanks! The session at the conference was great.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_sentences_match_nothing_of_this_area(kb, text):
    assert not [m.entry.id for m in kb.match_text(text) if kb.source(m.entry.id) == OIDC_FILE]


def test_every_entry_of_the_area_is_reachable_and_described(kb):
    entries = [e for e in kb.entries() if kb.source(e.id) == OIDC_FILE]
    assert len(entries) >= 60
    tested = {case[1] for case in CASES}
    for entry in entries:
        assert entry.system == "message" and entry.id.startswith("msg-"), entry.id
        assert (entry.patterns or entry.exceptions) and entry.deep and entry.refs, entry.id
        assert 5 <= len(entry.phrases) <= 12, entry.id
        assert len(entry.name) <= 90, entry.id
        assert all(ref.startswith("https://") for ref in entry.refs), entry.id
    untested = sorted(e.id for e in entries if e.id not in tested)
    assert untested == [], f"entries without a recogniser test: {untested}"


CANONICAL = ["msg-access-token-expired-no-refresh", "msg-account-not-linked", "msg-app-public-url-wrong",
             "msg-config-placeholder-value", "msg-config-value-whitespace", "msg-idp-unreachable-from-app",
             "msg-jwt-alg-mismatch", "msg-oauth-client-auth-method", "msg-oidc-callback-replayed",
             "msg-oidc-concurrent-logins", "msg-oidc-issuer-host-mismatch", "msg-oidc-state-expired",
             "msg-oidc-unsolicited-callback", "msg-outbound-tls-version", "msg-pkce-verifier-invalid",
             "msg-sdk-redirect-uri-missing", "msg-token-endpoint-html"]


def test_the_canonical_causes_have_their_entries_here(kb):
    assert [entry_id for entry_id in CANONICAL if kb.source(entry_id) != OIDC_FILE] == []


def test_no_phrase_of_this_area_belongs_to_another_entry(kb):
    owners = Counter(phrase.strip().lower() for e in kb.entries() for phrase in e.phrases)
    ours = {phrase.strip().lower() for e in kb.entries() if kb.source(e.id) == OIDC_FILE for phrase in e.phrases}
    assert sorted(p for p in ours if owners[p] > 1) == []
