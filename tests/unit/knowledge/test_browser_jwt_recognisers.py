"""Browser OIDC libraries, bearer-token (JWT) libraries and SAML toolkits' terse errors, recognised as printed.

Each case is a message as the library prints it (source file named beside it; placeholders filled with example
values), run through the whole engine: the entry holding the cause public threads confirmed must be among the
first two findings. A second table checks that a pattern or exception name (not only the free-text ranking)
finds the entry. Look-alike text of other software and ordinary sentences must not bring these entries up.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose

# (message as printed, an entry that must be among the first two findings, where the string comes from)
CASES = [
    # -- oidc-client-ts (src/OidcClient.ts, src/navigators/IFrameWindow.ts, src/JsonService.ts), as
    #    react-oidc-context and oidc-react surface it
    ("Error: No matching state found in storage\n    at OidcClient.readSigninResponseState (oidc-client-ts.js:1443:1)\n"
     "    at async UserManager.signinCallback (oidc-client-ts.js:2312:21)", "msg-spa-oidc-state-not-in-storage",
     "OidcClient.ts readSigninResponseState"),
    ("Uncaught (in promise) Error: No state in response", "msg-spa-oidc-state-not-in-storage",
     "OidcClient.ts readSigninResponseState"),
    ("Error: authority mismatch on settings vs. signin state", "msg-spa-oidc-state-not-in-storage",
     "ResponseValidator.ts _processSigninState"),
    ("Error: IFrame timed out without a response", "msg-spa-oidc-silent-renew-timeout", "IFrameWindow.ts navigate"),
    ("Error: Frame window timed out", "msg-spa-oidc-silent-renew-timeout", "oidc-client-js IFrameWindow.js (1.x)"),
    ("Error: nonce in id_token does not match nonce in client storage", "msg-spa-oidc-nonce-overwritten",
     "ResponseValidator.ts _validateIdTokenAttributes"),
    ("Error: Invalid response Content-Type: text/html, from URL: https://idp.example.com/token",
     "msg-token-endpoint-html", "JsonService.ts postForm"),
    # -- angular-oauth2-oidc (projects/lib/src/oauth-service.ts)
    ('OAuthErrorEvent {type: "invalid_nonce_in_state", reason: null, params: null}', "msg-spa-oidc-nonce-overwritten",
     "oauth-service.ts tryLoginCodeFlow"),
    ("Validating access_token failed, wrong state/nonce. null yey1KhuQ9ewceuY7Qpbic4sWg5UAt8BJ6YYNryuY",
     "msg-spa-oidc-nonce-overwritten", "oauth-service.ts validateNonce"),
    ("Error validating tokens Wrong nonce: 3BAgeBU3kWkX5EiDKFDaGThnWj6pYqmsAXpf2HSO", "msg-spa-oidc-nonce-overwritten",
     "oauth-service.ts processIdToken"),
    ("OAuthErrorEvent {type: \"silent_refresh_timeout\", reason: null}", "msg-spa-oidc-silent-renew-timeout",
     "oauth-service.ts silentRefresh"),
    ("error validating jwks_uri in discovery document ['Every url in discovery document has to start with the "
     "issuer url.Also see property strictDiscoveryDocumentValidation.']", "msg-spa-oidc-discovery-strict-validation",
     "oauth-service.ts validateUrlFromDiscoveryDocument"),
    ("Error: issuer  must use HTTPS (with TLS), or config value for property 'requireHttps' must be set to 'false' "
     "and allow HTTP (without TLS).", "msg-spa-oidc-discovery-strict-validation", "oauth-service.ts loadDiscoveryDocument"),
    ("invalid issuer in discovery document expected: https://login.example.com/ current: https://login.example.com",
     "msg-oidc-discovery-issuer-mismatch", "oauth-service.ts validateDiscoveryDocument"),
    ("Error validating tokens Wrong issuer: https://sts.windows.net/0f1e/", "msg-oidc-id-token-issuer-mismatch",
     "oauth-service.ts processIdToken"),
    ("Error validating tokens Wrong audience: 6731de76-14a6-49ae-97bc-6eba6914391e",
     "msg-oidc-id-token-audience-mismatch", "oauth-service.ts processIdToken"),
    # -- jsonwebtoken (verify.js) and express-jwt
    ("UnauthorizedError: jwt audience invalid. expected: https://api.example.com", "msg-jwt-api-audience-invalid",
     "verify.js (through express-jwt)"),
    ("JsonWebTokenError: jwt audience invalid. expected: api://default or https://api.example.com",
     "msg-jwt-api-audience-invalid", "verify.js"),
    ("JsonWebTokenError: jwt malformed", "msg-jwt-api-token-not-a-jwt", "verify.js"),
    ("JsonWebTokenError: jwt must be provided", "msg-jwt-api-token-not-a-jwt", "verify.js"),
    ("JsonWebTokenError: invalid signature", "msg-oidc-jwt-signature-invalid", "verify.js"),
    ("JsonWebTokenError: jwt issuer invalid. expected: https://idp.example.com/", "msg-oidc-id-token-issuer-mismatch",
     "verify.js"),
    ("TokenExpiredError: maxAge exceeded", "msg-oidc-token-expired-at-validation", "verify.js"),
    # -- PyJWT (jwt/api_jwt.py, jwt/api_jws.py, jwt/jwks_client.py)
    ("jwt.exceptions.InvalidAudienceError: Invalid audience", "msg-jwt-api-audience-invalid", "api_jwt.py"),
    ("jwt.exceptions.InvalidAudienceError: Audience doesn't match (strict)", "msg-jwt-api-audience-invalid",
     "api_jwt.py _validate_aud"),
    ("jwt.exceptions.InvalidIssuerError: Invalid issuer", "msg-oidc-id-token-issuer-mismatch", "api_jwt.py"),
    ("jwt.exceptions.ExpiredSignatureError: Signature has expired", "msg-oidc-token-expired-at-validation",
     "api_jwt.py _validate_exp"),
    ("jwt.exceptions.InvalidSignatureError: Signature verification failed", "msg-oidc-jwt-signature-invalid",
     "api_jws.py _verify_signature"),
    ("jwt.exceptions.DecodeError: Not enough segments", "msg-jwt-api-token-not-a-jwt", "api_jws.py _load"),
    # -- golang-jwt v5 (errors.go), jose (src/lib/jwt_claims_set.ts), java-jwt, Spring resource server
    ("token has invalid claims: token is expired", "msg-oidc-token-expired-at-validation", "errors.go"),
    ("token is malformed: token contains an invalid number of segments", "msg-jwt-api-token-not-a-jwt", "errors.go"),
    ("token has invalid audience", "msg-jwt-api-audience-invalid", "errors.go ErrTokenInvalidAudience"),
    ('JWTClaimValidationFailed: unexpected "aud" claim value', "msg-jwt-api-audience-invalid",
     "jwt_claims_set.ts unexpectedClaim"),
    ('JWTExpired: "exp" claim timestamp check failed', "msg-oidc-token-expired-at-validation",
     "jwt_claims_set.ts validateClaimsSet"),
    ("failed to verify ID Token: oidc: malformed jwt: go-jose/go-jose: compact JWS format must have three parts",
     "msg-jwt-api-token-not-a-jwt", "go-oidc verify.go / go-jose jws.go"),
    ("com.auth0.jwt.exceptions.JWTDecodeException: The token was expected to have 3 parts, but got 1.",
     "msg-jwt-api-token-not-a-jwt", "java-jwt JWTParser"),
    ('Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt: '
     'Malformed token"', "msg-jwt-api-token-not-a-jwt", "NimbusJwtDecoder"),
    # -- python3-saml / php-saml get_errors() without the reason; laravel-saml2's log line
    ("ERROR: SAML errors: ['invalid_response']", "msg-onelogin-saml-invalid-response", "auth.py process_response"),
    ('local.ERROR: Saml2 error ["invalid_response"]', "msg-onelogin-saml-invalid-response",
     "laravel-saml2 Saml2Controller acs"),
    ("WARN - SAML request is not authenticated due to errors: invalid_response", "msg-onelogin-saml-invalid-response",
     "teamcity-plugin-saml over java-saml getErrors()"),
    ("ERROR c.onelogin.saml2.authn.SamlResponse - Timing issues (please check your clock settings)",
     "msg-saml-not-yet-valid", "java-saml SamlResponse.isValid"),
    ("Uncaught OneLogin\\Saml2\\ValidationError: SAML Response could not be processed in "
     "/vendor/onelogin/php-saml/src/Saml2/Response.php:103", "msg-saml-response-malformed", "php-saml Response.php"),
    ("The LogoutRequest was received at http://app.example.com/saml/sls instead of https://app.example.com/saml/sls",
     "msg-saml-logout-signature-invalid", "php-saml LogoutRequest.php isValid"),
    # -- Shibboleth IdP (InitializeRelyingPartyContextFromSAMLPeer), Elasticsearch SAML realm
    ("WARN [net.shibboleth.idp.saml.profile.impl.InitializeRelyingPartyContextFromSAMLPeer:130] - Profile Action "
     "InitializeRelyingPartyContextFromSAMLPeer: No metadata returned for https://sp.example.com/shibboleth",
     "msg-saml-sp-unknown-to-idp", "Shibboleth IdP metadata lookup"),
    ('{"type":"security_exception","reason":"SAML content is in-response-to [_40c005f39c] but expected one of [] "}',
     "msg-saml-inresponseto", "Elasticsearch SamlAuthenticator"),
    # -- nginx access log status for an over-long request header
    ('10.0.0.1 - - [03/Dec/2026:10:00:00 +0000] "GET /oauth2/callback HTTP/1.1" 494 Request header too large',
     "msg-request-header-too-large", "nginx ngx_http_request.c NGX_HTTP_REQUEST_HEADER_TOO_LARGE"),
    # -- Spring Security SAML (OpenSamlSigningUtils.resolveSigningParameters), Saml2ErrorCodes
    ("org.springframework.security.saml2.Saml2Exception: java.lang.IllegalArgumentException: Failed to resolve any "
     "signing credential", "msg-spring-saml2-signing-credential-missing", "OpenSamlSigningUtils.java"),
    ("Saml2AuthenticationException: invalid_in_response_to", "msg-saml-inresponseto", "Saml2ErrorCodes.java"),
    # -- Authelia (portal messages and internal/handlers log lines)
    ("Redirection was determined to be unsafe and aborted. Ensure the redirection URL is correct.",
     "msg-authelia-unsafe-redirect", "web/src/i18n portal message"),
    ("You're authenticated but cannot be automatically redirected to an unsafe URL.", "msg-authelia-unsafe-redirect",
     "portal message (4.x)"),
    ("level=error msg=\"Configured Portal URL 'https://auth.example.com' does not appear to be able to write cookies "
     "for the '.example.org' domain\" method=GET path=/api/verify", "msg-proxy-auth-cookie-domain", "handler_verify.go"),
    ("level=error msg=\"Scheme of target URL http://prom.example.com/ must be secure since cookies are only transported "
     "over a secure connection for security reasons\" method=GET path=/api/verify", "msg-cookie-secure-over-http",
     "handler_verify.go"),
    # -- web frameworks' CSRF checks on the ACS / form_post callback (Django csrf.py and its 403 page, Rails
    #    request_forgery_protection.rb, Laravel's 419 page, Spring Security CsrfFilter)
    ("Forbidden (403)\nCSRF verification failed. Request aborted.\nReason given for failure: CSRF cookie not set.",
     "msg-saml-acs-csrf-rejected", "django/views/csrf.py"),
    ("Forbidden (Origin checking failed - https://app.example.com does not match any trusted origins.): /saml2/acs/",
     "msg-saml-acs-csrf-rejected", "django/middleware/csrf.py REASON_BAD_ORIGIN"),
    ("Can't verify CSRF token authenticity.\nCompleted 422 Unprocessable Entity\n"
     "ActionController::InvalidAuthenticityToken (ActionController::InvalidAuthenticityToken):",
     "msg-saml-acs-csrf-rejected", "request_forgery_protection.rb"),
    ("419 | Page Expired", "msg-saml-acs-csrf-rejected", "Laravel errors/419.blade.php"),
    ("Invalid CSRF Token 'null' was found on the request parameter '_csrf' or header 'X-CSRF-TOKEN'.",
     "msg-saml-acs-csrf-rejected", "Spring Security InvalidCsrfTokenException"),
    # -- Envoy oauth2 filter (source/extensions/filters/http/oauth2/filter.cc)
    ("HTTP/1.1 401 Unauthorized\ncontent-type: text/plain\n\nOAuth flow failed.", "msg-envoy-oauth2-flow-failed",
     "filter.cc UnauthorizedBodyMessage"),
    # -- Lasso through mod_auth_mellon (auth_mellon_handler.c, lasso/errors.c)
    ("[auth_mellon:error] Error processing authn response. Lasso error: [-201] The identifier of a provider is unknown "
     "to #LassoServer.", "msg-saml-sp-idp-metadata-missing", "lasso errors.c LASSO_SERVER_ERROR_PROVIDER_NOT_FOUND"),
    ("[auth_mellon:error] Error processing authn response. Lasso error: [-111] Failed to verify signature., SAML "
     "Response: StatusCode1=\"urn:oasis:names:tc:SAML:2.0:status:Success\"", "msg-saml-signature-invalid",
     "lasso errors.c LASSO_DS_ERROR_SIGNATURE_VERIFICATION_FAILED"),
    # -- rustls through reqwest/hyper (webpki UnknownIssuer)
    ('hyper::Error(Connect, Custom { kind: InvalidData, error: InvalidCertificate(UnknownIssuer) })',
     "msg-tls-untrusted-idp-cert", "rustls CertificateError::UnknownIssuer"),
    # -- omniauth-saml (lib/omniauth/strategies/saml.rb response_fingerprint) when the response carries no certificate
    ("NoMethodError at /auth/saml/callback\nundefined method `text' for nil:NilClass\n    file: saml.rb location: "
     "response_fingerprint line: 93", "msg-saml-fingerprint-mismatch", "omniauth-saml saml.rb response_fingerprint"),
    # -- google-auth (google/auth/jwt.py _verify_iat_and_exp with clock_skew_in_seconds=0)
    ("ValueError: Token used too early, 1764756000 < 1764756003. Check that your computer's clock is set correctly.",
     "msg-jwt-clock-skew", "google-auth jwt.py _verify_iat_and_exp"),
    # -- Firefox console (dom/locales/en-US/chrome/dom/dom.properties)
    ("Cookie “next-auth.state” will be soon rejected because it has the “SameSite” attribute set to “None” or an "
     "invalid value, without the “secure” attribute.", "msg-cookie-samesite", "dom.properties CookieRejectedNonRequiresSecure"),
]

# A pattern or exception name must find the entry, not only the ranking.
FIRST_MATCH = [(text, expected) for text, expected, _ in CASES]

# A message that names a cause already must not be drowned by the generic toolkit entry.
SPECIFIC_FIRST = [
    ("['invalid_response'] The response was received at http://app.example.com/acs instead of "
     "https://app.example.com/acs", "msg-onelogin-saml-invalid-response"),
    ("['invalid_response'] Signature validation failed. SAML Response rejected", "msg-onelogin-saml-invalid-response"),
    ("Errors: ['invalid_response']\nReason: Invalid audience for this Response (expected 'urn:a', got 'urn:b')",
     "msg-onelogin-saml-invalid-response"),
]

NEW_ENTRIES = {"msg-spa-oidc-state-not-in-storage", "msg-spa-oidc-nonce-overwritten", "msg-spa-oidc-silent-renew-timeout",
               "msg-spa-oidc-discovery-strict-validation", "msg-jwt-api-audience-invalid", "msg-jwt-api-token-not-a-jwt",
               "msg-onelogin-saml-invalid-response", "msg-spring-saml2-signing-credential-missing",
               "msg-authelia-unsafe-redirect", "msg-envoy-oauth2-flow-failed", "msg-saml-acs-csrf-rejected"}

# Text that looks close but belongs elsewhere.
NOT_THESE = [
    ("AADSTS50011: The redirect URI specified in the request does not match", "msg-spa-oidc-state-not-in-storage"),
    ("The SAML response audience https://sp.example.com is not valid", "msg-jwt-api-audience-invalid"),
    ("invalid_response: The response was received at http://a/acs instead of https://a/acs",
     "msg-onelogin-saml-invalid-response"),
    ("Your session timed out, please sign in again", "msg-spa-oidc-silent-renew-timeout"),
    ("The JSON document is malformed at line 3", "msg-jwt-api-token-not-a-jwt"),
    ("Forbidden (403) CSRF verification failed. Request aborted.", "msg-onelogin-saml-invalid-response"),
]

ORDINARY = [
    "Hi team, the new laptops arrive on Monday; please sign in to the VPN first and then to the intranet.",
    "We store the user's preferences in local storage and the state of the wizard in the session.",
    "The frame of the window broke during the move; facilities will replace it next week.",
    "Please check the audience for the town hall invitation before sending it.",
]


@pytest.mark.parametrize(("text", "expected", "source"), CASES, ids=[f"{c[1]}:{i}" for i, c in enumerate(CASES)])
def test_the_cause_is_among_the_first_two_findings(kb, now, text, expected, source):
    codes = [f.code for f in diagnose(text, now=now, kb=kb).findings]
    assert expected in codes[:2], f"{source}: {codes[:3]}"


@pytest.mark.parametrize(("text", "expected"), FIRST_MATCH, ids=[f"{c[1]}:{i}" for i, c in enumerate(FIRST_MATCH)])
def test_a_pattern_or_exception_recognises_the_message(kb, text, expected):
    matched = [m.entry.id for m in kb.match_text(text)]
    named = {f.code for f in diagnose(text, kb=kb).findings if f.confidence >= 0.8}
    assert expected in matched or expected in named, matched


@pytest.mark.parametrize(("text", "generic"), SPECIFIC_FIRST)
def test_a_reason_given_with_invalid_response_outranks_the_generic_entry(kb, now, text, generic):
    codes = [f.code for f in diagnose(text, now=now, kb=kb).findings]
    assert codes and codes[0] != generic, codes[:3]


@pytest.mark.parametrize(("text", "unwanted"), NOT_THESE)
def test_look_alike_text_does_not_bring_up_the_entry(kb, text, unwanted):
    assert unwanted not in [m.entry.id for m in kb.match_text(text)]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_sentences_match_none_of_the_new_entries(kb, text):
    assert not [m.entry.id for m in kb.match_text(text) if m.entry.id in NEW_ENTRIES]


def test_every_new_entry_is_tested_and_complete(kb):
    tested = {case[1] for case in CASES}
    for entry_id in sorted(NEW_ENTRIES):
        entry = kb.get(entry_id)
        assert entry is not None and entry.deep and entry.refs and entry.where and entry.collect, entry_id
        assert entry.patterns and 5 <= len(entry.phrases) <= 12 and len(entry.name) <= 95, entry_id
        assert all(p == p.lower() for p in entry.patterns), entry_id
        assert all(related != entry_id and kb.get(related) for related in entry.related), entry_id
        assert entry_id in tested, entry_id
