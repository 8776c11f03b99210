"""Library, framework and proxy messages found in a survey of public issue threads, recognised as printed.

Each case is a message string as the software prints it (the source file or document is named beside
it; placeholders are filled with example values), run through the whole engine (``diagnose``): the
entry that holds the cause the threads confirmed must be among the first two findings, the bar users
judge an answer by. A second table runs the same strings through ``KnowledgeBase.match_text`` so that a
pattern, not only the free-text ranking, recognises them. Ordinary text and look-alike messages of
other software must not bring these entries up.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose

# (message as printed, an entry that must be among the first two findings, where the string comes from)
CASES = [
    # -- Sustainsys.Saml2 v2 (Sustainsys.Saml2/Saml2P/Saml2Response.cs, XmlHelpers.cs)
    ('Sustainsys.Saml2.Exceptions.UnexpectedInResponseToException: Received message _b2c3 contains unexpected '
     'InResponseTo "id90f36b". No cookie preserving state from the request was found so the message was not '
     'expected to have an InResponseTo attribute. This error typically occurs if the cookie set when doing '
     'SP-initiated sign on have been lost.', "msg-saml-inresponseto", "Saml2Response.cs ValidateInResponseTo"),
    ('Sustainsys.Saml2.Exceptions.Saml2ResponseFailedValidationException: Unsolicited responses are not allowed '
     'for idp "https://sts.windows.net/0f1e/".', "msg-saml-idp-initiated-rejected", "Saml2Response.cs"),
    ("Sustainsys.Saml2.Exceptions.UnsuccessfulSamlOperationException: The Saml2Response must have status success "
     "to extract claims.", "msg-saml-status-responder", "Saml2Response.cs GetClaims"),
    ("Sustainsys.Saml2.Exceptions.InvalidSignatureException: The signature verified correctly with the key "
     "contained in the signature, but that key is not trusted.", "msg-idp-signing-cert-rollover",
     "XmlHelpers.cs IsSignedByAny"),
    ("Sustainsys.Saml2.Exceptions.InvalidSignatureException: Signature didn't verify. Have the contents been "
     "tampered with?", "msg-saml-signature-invalid", "XmlHelpers.cs"),
    ("Encrypted Assertions encountered but Service Certificate was not provided.", "msg-saml-decrypt-failed",
     "Saml2Response.cs GetAllAssertionElementNodes"),
    ('Sustainsys.Saml2.Exceptions.ConfigurationErrorsException: No Idp with entity id '
     '"https://idp.example.com/metadata" found.', "msg-saml-sp-idp-metadata-missing", "IdentityProviderDictionary.cs"),
    ("The signature was valid, but the verification of the certificate failed. Is it expired or revoked? Are you "
     "sure you really want to enable ValidateCertificates (it's normally not needed)?",
     "msg-saml-cert-chain-validation", "XmlHelpers.cs (ValidateCertificates = true)"),
    # -- ITfoxtec.Identity.Saml2 (src/ITfoxtec.Identity.Saml2/...)
    ("System.Security.Cryptography.CryptographicException: Invalid X509 certificate chain. Certificate: "
     "CN=idp.example.com. Chain status: PartialChain.", "msg-saml-cert-chain-validation",
     "Saml2SignedXml / X509 chain validation"),
    ("There is not exactly one Assertion element. Maybe the response is encrypted (set the "
     "Saml2Configuration.DecryptionCertificate).", "msg-saml-decrypt-failed", "Saml2AuthnResponse.cs"),
    ("ITfoxtec.Identity.Saml2.Cryptography.InvalidSignatureException: Illegal signature method "
     "http://www.w3.org/2000/09/xmldsig#rsa-sha1 used in signature.", "msg-saml-sha1-rejected",
     "Saml2SignedXml.cs (SignatureValidationAlgorithms)"),
    # -- pysaml2 (src/saml2/response.py, validate.py, sigver.py) and djangosaml2 (views.py)
    ("saml2.response.UnsolicitedResponse: Unsolicited response: id-ZEV53y7Cx2PoA3Pfe", "msg-saml-inresponseto",
     "response.py loads (outstanding query not found)"),
    ("saml2.response.UnsolicitedResponse: Unsolicited response: None", "msg-saml-idp-initiated-rejected",
     "response.py loads (no InResponseTo, allow_unsolicited off)"),
    ("ERROR djangosaml2.views: Received SAMLResponse when no request has been made.", "msg-saml-inresponseto",
     "djangosaml2 views.py AssertionConsumerServiceView"),
    ("saml2.sigver.SignatureError: Signature missing for response", "msg-saml-unsigned", "sigver.py"),
    ("saml2.sigver.SignatureError: Signature missing for assertion", "msg-saml-unsigned", "response.py"),
    ("ERROR:saml2.client_base:XML parse error: Not for me!!!", "msg-saml-invalid-audience",
     "response.py condition_ok (pysaml2 4.x)"),
    ("saml2.validate.ResponseLifetimeExceed: Can't use response, too old (now=2026-12-03T10:00:00Z + slack=0 > "
     "not_on_or_after=2026-12-03T09:55:00Z", "msg-saml-expired", "validate.py validate_on_or_after"),
    ("saml2.validate.ToEarly: Can't use response yet: (now=2026-12-03T10:00:00Z + slack=0) <= "
     "notbefore=2026-12-03T10:00:03Z", "msg-saml-not-yet-valid", "validate.py validate_before"),
    ("saml2.sigver.SigverError: Cannot find ['xmlsec1']", "msg-saml-xmlsec-native-library",
     "sigver.py get_xmlsec_binary"),
    # -- python3-saml's binding (python-xmlsec's import check)
    ("xmlsec.InternalError: (-1, 'lxml & xmlsec libxml2 library version mismatch')",
     "msg-saml-xmlsec-native-library", "python-xmlsec src/main.c (libxml2 version check)"),
    # -- Shibboleth SP (shibsp/handler/impl/SAML2SessionInitiator.cpp), SimpleSAMLphp (modules/saml/src/Auth/Source/SP.php)
    ("opensaml::saml2md::MetadataException: Unable to locate metadata for identity provider "
     "(https://idp.example.com/idp/shibboleth)", "msg-saml-sp-idp-metadata-missing", "SAML2SessionInitiator.cpp"),
    ("SimpleSAML\\Error\\Exception: Could not find the metadata of an IdP with entity ID "
     "'https://idp.example.com/saml2/idp/metadata.php'", "msg-saml-sp-idp-metadata-missing", "SP.php getIdPMetadata"),
    # -- mod_auth_mellon (auth_mellon_handler.c)
    ("[auth_mellon:error] [pid 4242] [client 10.0.0.9:51234] Invalid target domain in login request ReturnTo "
     "parameter.", "msg-mellon-redirect-domains", "auth_mellon_handler.c am_handle_login"),
    # -- mozilla-django-oidc (mozilla_django_oidc/views.py, auth.py)
    ("SuspiciousOperation at /oidc/callback/\nOIDC callback state not found in session `oidc_states`!",
     "msg-oidc-state-mismatch", "views.py OIDCAuthenticationCallbackView.get"),
    ("Session `oidc_state` does not match the OIDC callback state", "msg-oidc-state-mismatch",
     "views.py (mozilla-django-oidc 1.x)"),
    ("SuspiciousOperation: The provider algorithm 'RS256' does not match the client's OIDC_RP_SIGN_ALGO.",
     "msg-jwt-alg-mismatch", "auth.py _verify_jws"),
    ("django.core.exceptions.ImproperlyConfigured: RS256 alg requires OIDC_RP_IDP_SIGN_KEY or "
     "OIDC_OP_JWKS_ENDPOINT to be configured.", "msg-jwt-alg-mismatch", "auth.py OIDCAuthenticationBackend.__init__"),
    ("SuspiciousOperation: JWS token verification failed.", "msg-oidc-jwt-signature-invalid", "auth.py _verify_jws"),
    ("SuspiciousOperation: Claims verification failed", "msg-mozilla-oidc-claims-verification",
     "auth.py get_or_create_user"),
    # -- vouch-proxy (handlers/validate.go, handlers/auth.go, pkg/cfg/cfg.go, pkg/domains)
    ('{"level":"error","ts":1564849895.05,"msg":"no jwt found in request"}', "msg-proxy-auth-cookie-domain",
     "pkg/jwtmanager/jwtmanager.go"),
    ("/auth Invalid session state: stored KVDCjt, returned Xs8r8", "msg-oidc-state-mismatch",
     "handlers/auth.go CallbackHandler"),
    ("mismatch between requested destination URL and 'vouch.cookie.secure: true' (the cookie is only visible to "
     "'https' but the requested site is 'http')", "msg-cookie-secure-over-http", "handlers/login.go"),
    ("http header 'Host: app.example.com' not authorized for configured `vouch.domains` (is Host being sent "
     "properly?)", "msg-proxy-forwarded-host", "handlers/validate.go"),
    ("verifyUser: user.Username not found in WhiteList: jane@example.com", "msg-proxy-user-not-allowed",
     "handlers/auth.go verifyUser"),
    ("verifyUser: Email jane@other.example is not within a vouch.domains managed domain",
     "msg-proxy-user-not-allowed", "handlers/auth.go verifyUser"),
    # -- traefik-forward-auth (internal/server.go, internal/auth.go); logrus text format
    ('time="2026-12-03T10:00:00Z" level=info msg="Missing csrf cookie" handler=AuthCallback',
     "msg-proxy-auth-cookie-domain", "server.go AuthCallbackHandler"),
    ('time="2026-12-03T10:00:00Z" level=warning msg="Invalid email" email=jane@other.example rule=default',
     "msg-proxy-user-not-allowed", "server.go AuthHandler"),
    ('level=warning msg="Invalid cookie" error="Invalid cookie mac" handler=Auth', "msg-session-secret-changed",
     "auth.go ValidateCookie"),
    # -- Envoy jwt_authn / Istio RequestAuthentication (source/common/jwt/status.cc)
    ("HTTP/1.1 401 Unauthorized\nwww-authenticate: Bearer realm=\"http://app/api\"\n\nJwks remote fetch is failed",
     "msg-proxy-jwks-fetch-failed", "status.cc JwksFetchFail"),
    ("Jwt issuer is not configured", "msg-proxy-jwt-issuer-unknown", "status.cc JwtUnknownIssuer"),
    ("Jwks doesn't have key to match kid or alg from Jwt", "msg-oidc-jwt-signature-invalid",
     "status.cc JwksKidAlgMismatch"),
    ("Audiences in Jwt are not allowed", "msg-oidc-id-token-audience-mismatch", "status.cc JwtAudienceNotAllowed"),
    ("Jwt is expired", "msg-oidc-token-expired-at-validation", "status.cc JwtExpired"),
    ("Jwt is missing", "msg-proxy-authorization-header-stripped", "status.cc JwtMissed"),
    # -- Keycloak Java adapter (JWKPublicKeyLocator), express-jwt, mod_auth_openidc, NextAuth, Okta
    ("WARN [org.keycloak.adapters.rotation.JWKPublicKeyLocator] Didn't find publicKey for kid: 3Fq9v",
     "msg-oidc-jwt-signature-invalid", "keycloak adapters JWKPublicKeyLocator"),
    ("UnauthorizedError: No authorization token was found", "msg-proxy-authorization-header-stripped",
     "express-jwt lib/index.js"),
    ("[auth_openidc:error] oidc_provider_static_config: could not retrieve metadata from url: "
     "https://idp.example.com/.well-known/openid-configuration", "msg-idp-unreachable-from-app",
     "mod_auth_openidc src/metadata.c"),
    ("[next-auth][error][NO_SECRET] Please define a `secret` in production.", "msg-authjs-server-configuration-error",
     "next-auth v4 src/core/lib/assert.ts"),
    ("[next-auth][error][OAUTH_CALLBACK_ERROR] expected 200 OK, got: 401 Unauthorized", "msg-client-secret-invalid",
     "openid-client lib/helpers/process_response.js"),
    ("OAuthError: The client specified not to prompt, but the user is not logged in.", "oauth-login_required",
     "Okta authorize endpoint, prompt=none without a session"),
    # -- Browser sign-in libraries without Web Crypto (http page): okta-auth-js lib/oidc/util/pkce*,
    #    oidc-client-ts src/utils/CryptoUtils.ts, keycloak-js (sha256 helper)
    ("AuthSdkError: PKCE requires a modern browser with encryption support running in a secure context.\nThe "
     "current page is not being served with HTTPS protocol. PKCE requires secure HTTPS protocol.",
     "msg-pkce-insecure-context", "okta-auth-js assertPKCESupport"),
    ("Error: Crypto.subtle is available only in secure contexts (HTTPS).", "msg-pkce-insecure-context",
     "oidc-client-ts CryptoUtils.generateCodeChallenge"),
    # -- oauth2-proxy pkg/sessions/cookie/session_store.go, providers (go-oidc discovery)
    ("[2026/12/03 10:00:00] [oauthproxy.go:823] Error loading cookied session: cookie signature not valid, "
     "removing session", "msg-session-secret-changed", "session_store.go Load"),
    ('failed to initialize oidc provider: failed to fetch provider discovery: Get "https://idp.example.com/'
     '.well-known/openid-configuration": dial tcp: i/o timeout', "msg-idp-unreachable-from-app",
     "oauth2-proxy providers/oidc discovery"),
    # -- Keycloak event log (org.keycloak.events, EventType and Errors constants) and its SAML error page
    ("WARN [org.keycloak.events] (executor-thread-3) type=\"LOGIN_ERROR\", realmId=\"acme\", clientId=\"portal\", "
     "userId=\"null\", error=\"expired_code\", restart_after_timeout=\"true\"", "msg-keycloak-login-page-expired",
     "Errors.EXPIRED_CODE"),
    ("type=LOGIN_ERROR, realmId=acme, clientId=portal, userId=null, error=user_not_found, username=jdoe",
     "msg-keycloak-invalid-user-credentials", "Errors.USER_NOT_FOUND"),
    ("type=IDENTITY_PROVIDER_LOGIN_ERROR, realmId=acme, clientId=portal, error=identity_provider_login_failure",
     "msg-keycloak-broker-unexpected-error", "Errors.IDENTITY_PROVIDER_LOGIN_FAILURE"),
    ("type=REFRESH_TOKEN_ERROR, realmId=acme, clientId=portal, error=invalid_token, reason=Token is not active",
     "msg-keycloak-session-timeout", "TokenManager refresh check"),
        # -- msal-browser BrowserAuthErrorCodes
    ("BrowserAuthError: timed_out: Request timed out", "msg-msal-monitor-window-timeout", "msal-browser timedOut"),
    # -- AD FS: the error page and Event 364 / 321 (AD FS/Admin log)
    ("Exception details:\nMicrosoft.IdentityServer.Web.InvalidRequestException: MSIS7001: The passive protocol "
     "context was not found or not valid. If the context was stored in cookies, the cookies that were presented by "
     "the client were not valid.", "msis-7001", "AD FS Event 364"),
    ("MSIS7070: The SAML request contained a NameIDPolicy that was not satisfied by the issued token. Requested "
     "NameIDPolicy: AllowCreate: False Format: urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress "
     "SPNameQualifier: . Actual NameID properties: null.", "msis-7070", "AD FS Event 321"),
    ("The SAML authentication request had a NameID Policy that could not be satisfied.", "msis-7070",
     "AD FS Event 321, without the code"),
    ("MSIS7000: The sign in request is not compliant to the WS-Federation language for web browser clients or the "
     "SAML 2.0 protocol WebSSO profile.", "msis-7000", "AD FS Event 364"),
    # -- Google token endpoint (error_description of redirect_uri_mismatch), Auth0 Management API (403)
    ('{"error": "redirect_uri_mismatch", "error_description": "The redirect URI in the request, '
     'http://localhost:8080/, does not match the ones authorized for the OAuth client."}',
     "msg-google-redirect-uri-mismatch", "Google OAuth 2.0 token/authorize error"),
    ('{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: read:users",'
     '"errorCode":"insufficient_scope"} Client has not been granted scopes: read:users',
     "msg-auth0-m2m-not-authorized", "Auth0 Management API v2"),
    # -- Keycloak behind a reverse proxy (DefaultCookieProvider warning, Keycloak 24+)
    ("WARN [org.keycloak.cookie.DefaultCookieProvider] Non-secure context detected; cookies are not secured, and "
     "will not be available in cross-origin POST requests", "msg-keycloak-behind-proxy", "DefaultCookieProvider"),
    # -- Passport 0.6+ (lib/sessionmanager.js calls req.session.regenerate / save), passport < 0.6 (http/request.js)
    ("TypeError: req.session.regenerate is not a function\n    at SessionManager.logIn "
     "(node_modules/passport/lib/sessionmanager.js:28:15)", "msg-passportjs-session-regenerate",
     "passport sessionmanager.js"),
    ("Error: Login sessions require session support. Did you forget to use `express-session` middleware?",
     "msg-passportjs-session-regenerate", "passport http/request.js"),
    # -- Spring Security OAuth2 client (OAuth2AuthorizationExchangeValidator, DefaultOAuth2User,
    #    ClientRegistrations) and OpenSAML's HTTP-POST decoder and assertion validators
    ("org.springframework.security.oauth2.core.OAuth2AuthenticationException: [invalid_redirect_uri_parameter]",
     "msg-proxy-tls-termination", "OAuth2AuthorizationExchangeValidator"),
    ("java.lang.IllegalArgumentException: Missing attribute 'name' in attributes",
     "msg-spring-missing-user-name-attribute", "DefaultOAuth2User"),
    ('java.lang.IllegalArgumentException: Unable to resolve Configuration with the provided Issuer of '
     '"http://localhost:8180/realms/acme"', "msg-spring-issuer-discovery-failed", "ClientRegistrations"),
    ("org.opensaml.messaging.decoder.MessageDecodingException: This message decoder only supports the HTTP POST "
     "method", "msg-saml-acs-body-not-parsed", "OpenSAML HTTPPostDecoder"),
    ("[invalid_assertion] Invalid assertion [_a1] for SAML response [_r1]: Assertion '_a1' with NotOnOrAfter "
     "condition of '2026-12-03T10:00:00Z' is no longer valid", "msg-saml-expired",
     "OpenSAML SAML20AssertionValidator via Spring Security"),
    ("Assertion '_a1' with NotBefore condition of '2026-12-03T10:05:00Z' is not yet valid", "msg-saml-not-yet-valid",
     "OpenSAML SAML20AssertionValidator"),
    # -- node-saml src/saml.ts
    ("Error: SAML assertion expired: assertion too old", "msg-saml-expired",
     "saml.ts checkTimestampsValidityError (IssueInstant + maxAssertionAgeMs passed)"),
    ("Error: Missing SAML NameID", "msg-saml-nameid-missing", "saml.ts / xml.ts"),
    # -- Cloudflare Access (developers.cloudflare.com/cloudflare-one/troubleshooting/access; community thread on
    #    IdP-initiated login)
    ("Invalid login session. Please try going to the URL of your application.",
     "msg-cloudflare-access-idp-initiated", "Cloudflare Access login page (IdP-initiated)"),
    ("Invalid session. Please try logging in again.", "msg-cloudflare-access-invalid-session",
     "Cloudflare Access login page (CF_Session not valid)"),
    ("SAML Verify: Invalid SAML response, SAML Verify: No certificate selected to verify",
     "msg-cloudflare-access-saml-no-certificate", "Cloudflare Access SAML error"),
    ("Failed to fetch user/group information from the identity provider", "msg-cloudflare-access-idp-groups-fetch",
     "Cloudflare Access error page"),
    # -- Back-channel timeouts: Node fetch (undici), .NET HttpClient under MSAL.NET, MSAL python, msal-node
    ("TypeError: fetch failed\n  [cause]: ConnectTimeoutError: connect ETIMEDOUT 20.190.151.68:443",
     "msg-idp-unreachable-from-app", "undici fetch"),
    ("MsalClientException: The request was canceled due to the configured HttpClient.Timeout of 100 seconds "
     "elapsing.", "msg-idp-unreachable-from-app", "System.Net.Http HttpClient (.NET 5+) under MSAL.NET"),
    ("ValueError: Unable to get authority configuration for https://login.microsoftonline.com/contoso.com. Authority "
     "would typically be in a format of https://login.microsoftonline.com/your_tenant", "msg-idp-unreachable-from-app",
     "msal python authority.py"),
    ("ClientAuthError: endpoints_resolution_error: Endpoints cannot be resolved", "msg-idp-unreachable-from-app",
     "msal-common ClientAuthErrorCodes.endpointResolutionError"),
    ('[auth][error] InvalidEndpoints: Provider "keycloak" is missing both `issuer` and `authorization` endpoint '
     'config. At least one of them is required.', "msg-authjs-server-configuration-error", "Auth.js assert.ts"),
    # -- Amazon Cognito hosted UI (repost.aws knowledge-center/cognito-invalid-saml-response-errors)
    ("Invalid SAML response received: Invalid user attributes: email: The attribute is required",
     "msg-cognito-saml-user-attributes", "Cognito SAML error"),
    ("Invalid samlResponse or relayState from identity provider", "msg-cognito-invalid-relaystate",
     "Cognito SAML error"),
]

# Strings whose own entry must come first among the pattern matches (not only among the findings).
FIRST_MATCH = [(text, expected) for text, expected, _ in CASES if expected not in {
    "msg-saml-inresponseto",  # djangosaml2 logs it beside pysaml2's own line; either entry leads there
}]

# Look-alike text that must not bring up the entry: another product's words, or ordinary sentences.
NOT_THESE = [
    ("Unsolicited response: None", "msg-saml-inresponseto"),
    ("Please enter a valid email. Invalid email address.", "msg-proxy-user-not-allowed"),
    ("The whitelist for the firewall was updated and the new office IP is not found in the list yet.",
     "msg-proxy-user-not-allowed"),
    ("We fetched the JWKS once and cached it for an hour.", "msg-proxy-jwks-fetch-failed"),
    ("Our cookie banner is missing on the French site.", "msg-proxy-auth-cookie-domain"),
    ("The report says the Web Crypto API is available in every supported browser.", "msg-pkce-insecure-context"),
    ("The claims in the ID token look right: email, name and groups.", "msg-mozilla-oidc-claims-verification"),
    ("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"The "
     "signature key was not found\"", "msg-scim-token-invalid"),
]

ORDINARY = [
    "Hi team, the new laptops arrive on Monday; please sign in to the VPN first and then to the intranet.",
    "The metadata for the photos is stored in the media library; nothing changed there.",
    "Our gateway team will rotate the TLS certificate on Friday night.",
]

SURVEY_ENTRIES = {"msg-saml-sp-idp-metadata-missing", "msg-saml-cert-chain-validation", "msg-saml-xmlsec-native-library",
                  "msg-mellon-redirect-domains", "msg-mozilla-oidc-claims-verification", "msg-proxy-auth-cookie-domain",
                  "msg-proxy-user-not-allowed", "msg-proxy-jwks-fetch-failed", "msg-proxy-jwt-issuer-unknown",
                  "msg-cognito-saml-user-attributes", "msg-cognito-invalid-relaystate",
                  "msg-pkce-insecure-context", "msis-7001", "msis-7070", "msis-7000",
                  "msg-keycloak-behind-proxy", "msg-passportjs-session-regenerate",
                  "msg-cloudflare-access-invalid-session", "msg-cloudflare-access-saml-no-certificate",
                  "msg-cloudflare-access-idp-initiated",
                  "msg-cloudflare-access-idp-groups-fetch"}


@pytest.mark.parametrize(("text", "expected", "source"), CASES, ids=[f"{c[1]}:{i}" for i, c in enumerate(CASES)])
def test_the_cause_is_among_the_first_two_findings(kb, now, text, expected, source):
    codes = [f.code for f in diagnose(text, now=now, kb=kb).findings]
    assert expected in codes[:2], f"{source}: {codes[:3]}"


@pytest.mark.parametrize(("text", "expected"), FIRST_MATCH, ids=[f"{c[1]}:{i}" for i, c in enumerate(FIRST_MATCH)])
def test_a_pattern_or_name_of_the_entry_recognises_the_message(kb, text, expected):
    matched = [m.entry.id for m in kb.match_text(text)]
    codes = {f.code for f in diagnose(text, kb=kb).findings if f.confidence >= 0.8}
    assert expected in matched or expected in codes, matched


@pytest.mark.parametrize(("text", "unwanted"), NOT_THESE)
def test_look_alike_text_does_not_bring_up_the_entry(kb, text, unwanted):
    assert unwanted not in [m.entry.id for m in kb.match_text(text)]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_sentences_match_none_of_the_survey_entries(kb, text):
    assert not [m.entry.id for m in kb.match_text(text) if m.entry.id in SURVEY_ENTRIES]


def test_every_survey_entry_is_tested_and_complete(kb):
    tested = {case[1] for case in CASES}
    for entry_id in sorted(SURVEY_ENTRIES):
        entry = kb.get(entry_id)
        assert entry is not None and entry.deep and entry.refs and entry.where and entry.collect, entry_id
        assert entry.patterns and 5 <= len(entry.phrases) <= 12 and len(entry.name) <= 90, entry_id
        assert all(related != entry_id and kb.get(related) for related in entry.related), entry_id
        assert entry_id in tested, entry_id
