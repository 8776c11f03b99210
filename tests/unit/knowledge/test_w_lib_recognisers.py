"""Library messages surveyed by w-lib in session 9 lead to the entry that explains them.

Each case is a message as the software prints it, with where it comes from. ``match_text`` returns entries in
text order, so each case asserts that the intended entry is the *first* match; ENGINE_CASES run whole pastes
through the engine. The negatives check that near texts do not pull the entries in.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose

CASES = [
    # -- IdP URLs with the wrong path (oauth2-proxy providers, Spring NimbusJwtDecoder, openid-client Issuer)
    ('ERROR: Failed to initialise OAuth2 Proxy: error intiailising provider: could not create provider data: error '
     "while discovery OIDC configuration: failed to discover OIDC configuration: unexpected status \"404\": "
     '{"error":"Realm does not exist"}', "msg-oidc-discovery-url-404", "oauth2-proxy provider discovery"),
    ("An error occurred while attempting to decode the Jwt: Couldn't retrieve remote JWK set: "
     "org.springframework.web.client.HttpClientErrorException$NotFound: 404 Not Found", "msg-oidc-discovery-url-404",
     "Spring Security NimbusJwtDecoder"),
    ("OPError: expected 200 OK, got: 404 Not Found", "msg-oidc-discovery-url-404", "openid-client Issuer.discover"),
    # -- keycloak-js init() and its wrappers (vue-keycloak-js, keycloak-angular)
    ("Error: Could not initialized keycloak-js adapter", "msg-keycloak-js-init-failed", "dsb-vue-keycloak"),
    # -- SimpleSAMLphp saml2-acs (Message::processResponse) behind a TLS-ending proxy
    ('SAML2 exception: Destination in response doesn\'t match the current URL. Destination is '
     '"https://lms.example.org/auth/saml2/sp/saml2-acs.php/lms", current URL is '
     '"https://lms.example.org:80/auth/saml2/sp/saml2-acs.php/lms".', "msg-saml-sp-url-misdetected",
     "SimpleSAMLphp Message.php"),
    # -- Grafana pkg/services/authn (user sync hook) and its login page
    ("Login failed: User sync failed", "msg-grafana-user-sync-failed", "Grafana login page"),
    ('logger=user.sync t=2024-07-03T13:21:38Z level=error msg="Failed to create user" error="user already exists" '
     "auth_module=oauth_generic_oauth", "msg-grafana-user-sync-failed", "Grafana user_sync.go"),
    # -- Flask-AppBuilder security/views.py (Superset, Airflow)
    ("ERROR:flask_appbuilder.security.views:Error returning OAuth user info: 'email'", "msg-fab-oauth-invalid-login",
     "Flask-AppBuilder views.py"),
    ("Invalid login. Please try again.", "msg-fab-oauth-invalid-login", "Flask-AppBuilder login page"),
    # -- Portainer api/http/handler/auth (OAuth validate) and Gitea's OpenID Connect source
    ('http error: Unable to authenticate through OAuth (err=Unauthorized) (code=500)',
     "msg-portainer-oauth-unauthorized", "Portainer auth handler"),
    ('Failed to create OpenID Connect Provider with name sso with url sso.example.com: Get "sso.example.com": '
     'unsupported protocol scheme ""', "msg-oidc-discovery-url-404", "Gitea providers_openid.go"),
    # -- Keycloak's own event log and keycloak-connect when the back end reaches Keycloak under another host name
    ("WARN [org.keycloak.events] type=USER_INFO_REQUEST_ERROR, realmId=wiki, clientId=null, userId=null, "
     "ipAddress=172.20.0.1, error=invalid_token, auth_method=validate_access_token", "msg-oidc-issuer-host-mismatch",
     "Keycloak events"),
    ("Grant validation failed. Reason: invalid token (wrong ISS)", "msg-oidc-issuer-host-mismatch",
     "keycloak-nodejs-connect grant-manager.js"),
    ("Grant validation failed. Reason: invalid token (expired)", "msg-oidc-token-expired-at-validation",
     "keycloak-nodejs-connect grant-manager.js"),
    ("Could not obtain configuration from server [http://sso:8080/realms/main/.well-known/openid-configuration]",
     "msg-idp-unreachable-from-app", "Keycloak adapters"),
    # -- API-side issuer checks (express-oauth2-jwt-bearer, python-jose)
    ("UnauthorizedError: Unexpected 'iss' value", "msg-jwt-api-issuer-invalid", "express-oauth2-jwt-bearer"),
    ("jose.exceptions.JWTClaimsError: Invalid issuer", "msg-jwt-api-issuer-invalid", "python-jose jwt.py"),
    # -- passport-saml-suomifi (top-level signature required) and xmlsec / samltool.com's reference check
    ("Error: Invalid top level signature", "msg-node-saml-response-signature-required", "passport-saml-suomifi saml.js"),
    ("Reference validation failed", "msg-saml-digest-mismatch", "xmlsec via samltool.com"),
    # -- Devise's OmniauthCallbacksController#passthru; passport-oauth2 strategy.js; jose4j (Quarkus OIDC)
    ("Not found. Authentication passthru.", "msg-omniauth-passthru", "Devise omniauth_callbacks_controller.rb"),
    ("InternalOAuthError: Failed to obtain access token\n    at Strategy.OAuth2Strategy._createOAuthError "
     "(node_modules/passport-oauth2/lib/strategy.js:423:17)", "msg-passportjs-token-exchange-failed",
     "passport-oauth2 strategy.js"),
    ("Token verification has failed: The JWT is no longer valid - the evaluation time NumericDate{1700000000} is on "
     "or after the Expiration Time", "msg-oidc-token-expired-at-validation", "jose4j via quarkus-oidc"),
    # -- quarkus-oidc CodeAuthenticationMechanism
    ("ERROR [io.qua.oid.run.CodeAuthenticationMechanism] (vert.x-eventloop-thread-3) State verification has failed, "
     "completing the code flow with HTTP status 401", "msg-quarkus-oidc-state-cookie", "quarkus-oidc"),
    ("DEBUG [io.qua.oid.run.CodeAuthenticationMechanism] State cookie is present but no state query parameter is "
     "available", "msg-quarkus-oidc-state-cookie", "quarkus-oidc"),
    # -- Vault's JWT/OIDC auth plugin (path_login.go, path_oidc.go)
    ("Authentication failed: role with oidc role_type is not allowed", "msg-vault-oidc-role-type",
     "vault-plugin-auth-jwt path_login.go"),
    ("Code: 400. Errors: * redirect_uri 'http://localhost:8250/oidc/callback' not permitted for role \"default\"",
     "msg-vault-oidc-redirect-uri", "vault-plugin-auth-jwt path_oidc.go"),
    ('Code: 400. Errors: * claim "email" not found in token', "msg-vault-oidc-claims",
     "vault-plugin-auth-jwt claims.go"),
    # -- pysaml2 sigver.py / response.py
    ("raise MissingKey(_issuer)\nsaml2.sigver.MissingKey: http://www.okta.com/exk1fcia6d6EMsf0M5d7",
     "msg-saml-sp-idp-metadata-missing", "pysaml2 sigver.py"),
    ("saml2.response.IncorrectlySigned", "msg-idp-signing-cert-rollover", "pysaml2 response.py"),
    # -- Browsers refusing a single-page app's call to the IdP (Chrome, Firefox; oidc-client-ts MetadataService)
    ("Access to XMLHttpRequest at 'https://sso.example.com/realms/main/protocol/openid-connect/token' from origin "
     "'http://localhost:4200' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on "
     "the requested resource.", "msg-spa-token-endpoint-cors", "Chrome console"),
    ("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at "
     "https://sso.example.com/realms/main/protocol/openid-connect/token. (Reason: CORS header "
     "'Access-Control-Allow-Origin' missing).", "msg-spa-token-endpoint-cors", "Firefox console"),
    ("Error: Failed to fetch at MetadataService.getMetadata", "msg-spa-token-endpoint-cors", "oidc-client-ts"),
    # -- Stale JWKS after key rotation (token validators that cache the key set)
    ("Failed to get signing key: Unable to find key with kid: 656ea50", "msg-oidc-jwt-signature-invalid",
     "ark-sdk TokenValidator"),
    ("Error: Invalid Signature after key rotation RS256", "msg-oidc-jwt-signature-invalid", "OidcProxy.Net"),
    # -- JWT libraries loading the verification key (PyJWT/cryptography, python-jose, golang-jwt, jsonwebtoken 9)
    ("ValueError: Could not deserialize key data. The data may be in an incorrect format or it may be encrypted "
     "with an unsupported algorithm.", "msg-jwt-verification-key-unusable", "cryptography via PyJWT"),
    ("jwt.exceptions.InvalidKeyError: Expecting a PEM-formatted key.", "msg-jwt-verification-key-unusable",
     "PyJWT algorithms.py"),
    ("token is unverifiable: error while executing keyfunc: key is of invalid type",
     "msg-jwt-verification-key-unusable", "golang-jwt errors.go"),
    ("Error: secretOrPublicKey must be an asymmetric key when using RS256", "msg-jwt-verification-key-unusable",
     "jsonwebtoken verify.js"),
    # -- Spring Security resource server (JwtClaimValidator on aud), python-jose claims check
    ('Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt: The '
     'required audience is missing"', "msg-jwt-api-audience-invalid", "Spring Security oauth2-resource-server"),
    ("jose.exceptions.JWTClaimsError: Invalid audience", "msg-jwt-api-audience-invalid", "python-jose jwt.py"),
    # -- undici under Auth.js v5 / Better Auth when the server cannot reach the IdP
    ("[auth][error] CallbackRouteError: Read more at https://errors.authjs.dev#callbackrouteerror\n[auth][cause]: "
     "TypeError: fetch failed\n  cause: ConnectTimeoutError: Connect Timeout Error (attempted address: "
     "login.example.com:443, timeout: 10000ms) code: 'UND_ERR_CONNECT_TIMEOUT'", "msg-idp-unreachable-from-app",
     "undici via Auth.js"),
]


@pytest.mark.parametrize(("text", "expected", "source"), CASES)
def test_the_message_leads_to_its_entry(kb, text, expected, source):
    found = [m.entry.id for m in kb.match_text(text)]
    assert found, f"nothing matched the {source} text"
    assert found[0] == expected, f"{source}: expected {expected} first, got {found}"


# A library's own message leads; the environment behind it follows when the paste names it.
CAUSE_FOLLOWS = [
    ('Bearer realm="demo", error="invalid_token", error_description="Didn\'t find publicKey for specified kid"; '
     "the backend container reaches Keycloak under its docker compose service name", "msg-oidc-issuer-host-mismatch"),
    ("GuzzleHttp\\Exception\\ConnectException: cURL error 6: Could not resolve host: sso (see "
     "https://curl.haxx.se/libcurl/c/libcurl-errors.html) for http://sso:8080/realms/main/protocol/openid-connect/token",
     "msg-idp-unreachable-from-app"),
]


@pytest.mark.parametrize(("text", "expected"), CAUSE_FOLLOWS)
def test_the_cause_is_among_the_first_two_findings(text, expected, now):
    assert expected in [f.code for f in diagnose(text, now=now).findings][:2]


# Whole pastes through the engine: the entry leads the diagnosis.
ENGINE_CASES = [
    ("Failed to fetch https://sso.example.com/auth/realms/main/.well-known/openid-configuration: 404 Not Found",
     "msg-oidc-discovery-url-404"),
    ("GET https://sso.example.com/realms/main/protocol/openid-connect/login-status-iframe.html/init?client_id=web"
     "&origin=http://localhost:8080 403 (Forbidden)\nError: Could not initialized keycloak-js adapter",
     "msg-keycloak-js-init-failed"),
]


@pytest.mark.parametrize(("text", "expected"), ENGINE_CASES)
def test_the_engine_leads_with_the_entry(text, expected, now):
    report = diagnose(text, now=now)
    assert report.findings[0].code == expected, [f.code for f in report.findings]


NOT_THESE = [
    ("GET /api/users/42 returned 404 Not Found", "msg-oidc-discovery-url-404"),
    ("The realm settings page does not exist in this version", "msg-oidc-discovery-url-404"),
    ("keycloak adapter initialised in 40 ms", "msg-keycloak-js-init-failed"),
    ("Login failed: wrong password", "msg-grafana-user-sync-failed"),
    ("SCIM POST /Users answered 409: user already exists", "msg-grafana-user-sync-failed"),
    ("Error returning the SAML response to the service provider", "msg-fab-oauth-invalid-login"),
    ("Could not deserialize the SCIM resource", "msg-jwt-verification-key-unusable"),
    ("The API key is invalid", "msg-jwt-verification-key-unusable"),
    ("Unable to authenticate the SCIM request", "msg-portainer-oauth-unauthorized"),
    ("SAML response rejected with invalid signature", "msg-oidc-jwt-signature-invalid"),
    ("Not found", "msg-omniauth-passthru"),
    ("Access to fetch at 'https://login.microsoftonline.com/common/oauth2/v2.0/token' from origin "
     "'https://app.example.com' has been blocked by CORS policy", "msg-spa-token-endpoint-cors"),
    ("The state of the cookie consent banner is missing", "msg-quarkus-oidc-state-cookie"),
    ("Failed to obtain an access token for Microsoft Graph from the managed identity", "msg-passportjs-token-exchange-failed"),
]


@pytest.mark.parametrize(("text", "unwanted"), NOT_THESE)
def test_look_alike_text_does_not_bring_up_the_entry(kb, text, unwanted):
    assert unwanted not in [m.entry.id for m in kb.match_text(text)]
