"""SAML-library, proxy and cookie messages are recognised as the software prints them.

Each case is a message string as its source prints it (the file it comes from is named beside it;
placeholders are filled with example values), run through ``KnowledgeBase.match_text`` the way the
diagnosis engine reads a paste. The engine orders message findings by where they start in the paste
and then by id, so "first" below means the first of ``match_text``'s results.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.diagnostics.engine import diagnose
from bot.knowledge.loader import DATA_DIR

# (message as printed, entry that must come first, where the string comes from)
FIRST = [
    # python3-saml / php-saml (src/onelogin/saml2/auth.py, response.py, utils.py, logout_response.php)
    ("OneLogin_Saml2_Error: SAML Response not found, Only supported HTTP_POST Binding",
     "msg-saml-acs-body-not-parsed", "python3-saml auth.py process_response"),
    ("There is no AttributeStatement on the Response", "msg-saml-attribute-statement-missing",
     "python3-saml response.py"),
    ("The Assertion must include a Conditions element", "msg-saml-assertion-incomplete", "python3-saml response.py"),
    ("The Assertion must include an AuthnStatement element", "msg-saml-assertion-incomplete",
     "python3-saml response.py"),
    ("A valid SubjectConfirmation was not found on this Response", "msg-saml-subject-confirmation-failed",
     "python3-saml response.py"),
    ("Could not validate node signature: No certificate provided.", "msg-saml-idp-cert-not-configured",
     "python3-saml utils.py"),
    ("The assertion of the Response is not encrypted and the SP require it", "msg-saml-assertion-not-encrypted",
     "python3-saml response.py"),
    ("https://sp.example.com/metadata is not a valid audience for this Response", "msg-saml-invalid-audience",
     "python3-saml response.py (1.10+)"),
    ("Deprecated signature algorithm found: http://www.w3.org/2000/09/xmldsig#rsa-sha1", "msg-saml-sha1-rejected",
     "python3-saml response.py (rejectDeprecatedAlgorithm)"),
    ("Invalid SAML Response. Not match the saml-schema-protocol-2.0.xsd", "msg-saml-response-malformed",
     "python3-saml response.py"),
    ("The attributes have expired, based on the SessionNotOnOrAfter of the AttributeStatement of this Response",
     "msg-saml-session-not-on-or-after", "python3-saml response.py"),
    ("Found an Attribute element with duplicated Name", "msg-saml-duplicate-attribute-name",
     "python3-saml response.py"),
    ("No private key available to decrypt the assertion, check settings", "msg-saml-decrypt-failed",
     "python3-saml response.py"),
    ("No Signature found. SAML Response rejected", "msg-saml-unsigned", "python3-saml response.py"),
    ("The Message of the Response is not signed and the SP require it", "msg-saml-unsigned",
     "python3-saml response.py"),
    ("The InResponseTo of the Response: ONELOGIN_4fee3b04, does not match the ID of the AuthNRequest sent by the "
     "SP: ONELOGIN_5ba93c9d", "msg-saml-inresponseto", "python3-saml response.py"),
    ("The status code of the Response was not Success, was Responder -> The user is not assigned",
     "msg-saml-status-responder", "python3-saml response.py"),
    ("Could not validate timestamp: expired. Check system clock.", "msg-saml-expired", "python3-saml response.py"),
    ("Errors: ['invalid_logout_response_signature', 'Signature validation failed. Logout Response rejected']",
     "msg-saml-logout-signature-invalid", "python3-saml auth.py process_slo (older releases), php-saml"),
    ("Signature validation failed. SAMLResponse rejected", "msg-saml-logout-signature-invalid",
     "python3-saml auth.py _validate_signature (redirect binding)"),
    # ruby-saml (lib/onelogin/ruby-saml/response.rb, utils.rb, xml_security.rb)
    ("Fingerprint mismatch", "msg-saml-fingerprint-mismatch", "ruby-saml xml_security.rb"),
    ("Digest mismatch", "msg-saml-digest-mismatch", "ruby-saml xml_security.rb"),
    ("Current time is on or after NotOnOrAfter condition (2026-11-23 18:41:00 UTC >= 2026-11-23 18:35:00 UTC)",
     "msg-saml-expired", "ruby-saml response.rb"),
    ("Current time is earlier than NotBefore condition (2026-11-23 18:41:00 UTC < 2026-11-23 18:45:00 UTC)",
     "msg-saml-not-yet-valid", "ruby-saml response.rb"),
    ("Invalid Audience. The audience https://other.example.com, did not match the expected audience "
     "https://sp.example.com", "msg-saml-invalid-audience", "ruby-saml response.rb"),
    ("Doesn't match the issuer, expected: <https://idp.example.com>, but was: <https://sts.windows.net/x/>",
     "msg-invalid-issuer", "ruby-saml response.rb"),
    ("No fingerprint or certificate on settings", "msg-saml-idp-cert-not-configured", "ruby-saml response.rb"),
    ("The Assertion must include one Conditions element", "msg-saml-assertion-incomplete", "ruby-saml response.rb"),
    # node-saml / passport-saml (src/saml.ts, src/strategy.ts)
    ("Error: Invalid document signature", "msg-node-saml-response-signature-required", "node-saml saml.ts"),
    ("Error: Invalid signature", "msg-saml-signature-invalid", "node-saml saml.ts"),
    ("Error: SAML assertion expired: clocks skewed too much", "msg-saml-expired", "node-saml saml.ts"),
    ("Error: SAML assertion not yet valid", "msg-saml-not-yet-valid", "node-saml saml.ts"),
    ("Error: InResponseTo is not valid", "msg-saml-inresponseto", "node-saml saml.ts"),
    ("Error: InResponseTo is missing from response", "msg-saml-idp-initiated-rejected", "node-saml saml.ts"),
    ("Error: Unknown SAML issuer. Expected: https://idp.example.com Received: https://sts.windows.net/x/",
     "msg-invalid-issuer", "node-saml saml.ts"),
    ("Error: Missing SAML assertion", "msg-saml-no-assertion", "node-saml saml.ts"),
    ("Error: No decryption key for encrypted SAML response", "msg-saml-decrypt-failed", "node-saml saml.ts"),
    ("SAML assertion audience mismatch. Expected: https://sp.example.com Received: https://other.example.com",
     "msg-saml-invalid-audience", "node-saml saml.ts"),
    ("TypeError: idpCert is required", "msg-saml-idp-cert-not-configured", "node-saml saml.ts"),
    ("TypeError: cert is required", "msg-saml-idp-cert-not-configured", "passport-saml 3.x (before idpCert)"),
    ("TypeError: Cannot read properties of undefined (reading 'SAMLResponse')", "msg-saml-acs-body-not-parsed",
     "Node.js when the ACS route has no body parser"),
    # Spring Security SAML2 (BaseOpenSamlAuthenticationProvider, OpenSaml5Template, Saml2Error.toString)
    ("Saml2AuthenticationException: No relying party registration found",
     "msg-spring-saml2-registration-not-found", "Saml2WebSsoAuthenticationFilter"),
    ("Saml2AuthenticationException: The response contained an InResponseTo attribute [ARQ3c2b] but no saved "
     "authentication request was found", "msg-saml-inresponseto", "BaseOpenSamlAuthenticationProvider"),
    ("Saml2AuthenticationException: Invalid destination [http://app.internal:8080/login/saml2/sso/okta] for SAML "
     "response [id-8bd2]", "msg-saml-destination-mismatch", "BaseOpenSamlAuthenticationProvider"),
    ("Saml2AuthenticationException: Invalid issuer [https://sts.windows.net/x/] for SAML response [id-8bd2]",
     "msg-invalid-issuer", "BaseOpenSamlAuthenticationProvider"),
    ("Saml2AuthenticationException: Invalid signature for object [id-8bd2]", "msg-saml-signature-invalid",
     "OpenSaml5Template"),
    ("Saml2AuthenticationException: Either the response or one of the assertions is unsigned. Please either sign "
     "the response or all of the assertions.", "msg-saml-unsigned", "BaseOpenSamlAuthenticationProvider"),
    ("Saml2AuthenticationException: No assertions found in response.", "msg-saml-no-assertion",
     "BaseOpenSamlAuthenticationProvider"),
    ("Saml2AuthenticationException: Assertion [_a1b2] is missing a subject", "msg-saml-nameid-missing",
     "OpenSaml5AuthenticationProvider"),
    ("[decryption_error] Failed to decrypt EncryptedData", "msg-saml-decrypt-failed",
     "Saml2Error.toString with OpenSAML Decrypter"),
    ("Invalid assertion [_a1b2] for SAML response [id-8bd2]: No subject confirmation methods were met for "
     "assertion with ID '_a1b2'", "msg-saml-subject-confirmation-failed",
     "BaseOpenSamlAuthenticationProvider with OpenSAML SAML20AssertionValidator"),
    ("Invalid assertion [_a1b2] for SAML response [id-8bd2]: Assertion '_a1b2' with NotOnOrAfter condition of "
     "'2026-11-23T18:35:00Z' is no longer valid", "msg-saml-expired", "OpenSAML SAML20AssertionValidator"),
    ("None of the audiences within Assertion '_a1b2' matched the list of valid audiances",
     "msg-saml-invalid-audience", "OpenSAML AudienceRestrictionConditionValidator"),
    # Shibboleth SP (shibsp/handler/impl/SAML2Consumer.cpp, cpp-opensaml) and IdP (v2 ProfileHandler, v3+ views)
    ("opensaml::SecurityPolicyException: Message was signed, but signature could not be verified.",
     "msg-saml-signature-invalid", "cpp-opensaml XMLSigningRule"),
    ("opensaml::FatalProfileException: A valid authentication statement was not found in the incoming message.",
     "msg-saml-decrypt-failed", "cpp-sp SAML2Consumer.cpp"),
    ("opensaml::SecurityPolicyException: Message expired, was issued too long ago.", "msg-saml-expired",
     "cpp-opensaml MessageFlowRule"),
    ("opensaml::FatalProfileException: The gap between now and the time you logged into your identity provider "
     "exceeds the allowed limit.", "msg-saml-authn-instant-too-old", "cpp-sp SAML2Consumer.cpp"),
    ("The gap between now and the AuthnInstant exceeds the allowed limit.", "msg-saml-authn-instant-too-old",
     "cpp-sp ExternalAuthHandler.cpp"),
    ("opensaml::FatalProfileException: Blocked non-SSL access to Shibboleth handler.", "msg-proxy-tls-termination",
     "cpp-sp ServiceProvider.cpp"),
    ("Your session is not available in the session store, and you must re-authenticate.",
     "msg-session-not-shared", "cpp-sp StorageServiceSessionCache.cpp"),
    ("Your session has expired, and you must re-authenticate.", "msg-shibboleth-sp-session-expired",
     "cpp-sp StorageServiceSessionCache.cpp"),
    ("ProfileException: No peer endpoint available to which to send SAML response", "msg-saml-acs-not-registered",
     "Shibboleth IdP 2.x AbstractSAMLProfileHandler"),
    ("SAML 2 SSO profile is not configured for relying party https://sp.example.com/shibboleth",
     "msg-saml-sp-unknown-to-idp", "Shibboleth IdP 2.x SSOProfileHandler"),
    ("Profile Action SelectProfileConfiguration: Profile http://shibboleth.net/ns/profiles/saml2/sso/browser is not "
     "available for RP configuration shibboleth.UnverifiedRelyingParty (RPID https://sp.example.com)",
     "msg-saml-sp-unknown-to-idp", "Shibboleth IdP 3+ SelectProfileConfiguration"),
    ("Unsupported Request - The application you have accessed is not registered for use with this service.",
     "msg-saml-sp-unknown-to-idp", "Shibboleth IdP messages/error-messages.properties"),
    ("Unable to Respond - The login service was unable to identify a compatible way to respond to the requested "
     "application.", "msg-saml-acs-not-registered", "Shibboleth IdP messages/error-messages.properties"),
    ("Stale Request", "msg-shibboleth-idp-stale-request", "Shibboleth IdP messages/error-messages.properties"),
    ("Message Security Error - The request cannot be fulfilled because the message received does not meet the "
     "security requirements of the login service.", "msg-shibboleth-idp-message-security-error",
     "Shibboleth IdP messages/error-messages.properties"),
    ("org.pac4j.saml.exceptions.SAMLException: Authentication issue instant is too old or in the future",
     "msg-saml-authn-instant-too-old", "pac4j SAML2DefaultResponseValidator"),
    # SimpleSAMLphp, samlify, mod_auth_mellon
    ("SimpleSAML\\Error\\Error: NOSTATE - State information lost, and no way to restart the request",
     "msg-simplesamlphp-state-lost", "SimpleSAMLphp Error/ErrorCodes.php"),
    ("Received an assertion that is valid in the future. Check clock synchronization on IdP and SP.",
     "msg-saml-not-yet-valid", "simplesamlphp/saml2 assertion validation"),
    ("Received an assertion that has expired. Check clock synchronization on IdP and SP.", "msg-saml-expired",
     "simplesamlphp/saml2 assertion validation"),
    ("Unsolicited responses are denied by configuration.", "msg-saml-idp-initiated-rejected",
     "SimpleSAMLphp modules/saml"),
    ("Unable to use any of the ACS endpoints found for SP 'https://sp.example.com'", "msg-saml-acs-not-registered",
     "SimpleSAMLphp modules/saml IdP"),
    ("Received duplicate assertion.", "msg-saml-assertion-replayed", "SimpleSAMLphp modules/saml"),
    ("Error: ERR_SUBJECT_UNCONFIRMED", "msg-saml-subject-confirmation-failed", "samlify src/flow.ts"),
    ("Error: ERR_UNMATCH_ISSUER", "msg-invalid-issuer", "samlify src/flow.ts"),
    ("Error: ERR_EXPIRED_SESSION", "msg-saml-session-not-on-or-after", "samlify src/flow.ts"),
    ("Invalid Destination on Response. Should be 'https://sp.example.com/mellon/postResponse', but was "
     "'http://sp.example.com/mellon/postResponse'", "msg-saml-destination-mismatch", "mod_auth_mellon"),
    ("User has disabled cookies, or has lost the cookie before returning from the SAML2 login server.",
     "msg-cookie-samesite", "mod_auth_mellon auth_mellon_handler.c"),
    ("Assertion ID _a1b2 has already been used.", "msg-saml-assertion-replayed", "mod_auth_mellon"),
    ("Could not find SAMLResponse field in POST data.", "msg-saml-acs-body-not-parsed", "mod_auth_mellon"),
    # Proxies and web servers
    ('2026/11/23 18:41:02 [error] 31#31: *4 upstream sent too big header while reading response header from '
     'upstream, client: 10.0.0.7, server: app.example.com, request: "GET /signin-oidc HTTP/1.1"',
     "msg-proxy-header-too-big", "nginx ngx_http_proxy_module"),
    ("400 Bad Request\nRequest Header Or Cookie Too Large\nnginx", "msg-request-header-too-large", "nginx error page"),
    ("Bad Request - Request Too Long\nHTTP Error 400. The size of the request headers is too long.",
     "msg-request-header-too-large", "IIS / HTTP.sys"),
    ("Your browser sent a request that this server could not understand.\nSize of a request header field exceeds "
     "server limit.", "msg-request-header-too-large", "Apache httpd"),
    ("java.lang.IllegalArgumentException: Request header is too large", "msg-request-header-too-large",
     "Tomcat Http11InputBuffer"),
    ("Microsoft.AspNetCore.Server.Kestrel.Core.BadHttpRequestException: Request headers too long.",
     "msg-request-header-too-large", "Kestrel"),
    ("HTTP/1.1 431 Request Header Fields Too Large", "msg-request-header-too-large", "RFC 6585 status line"),
    ('2026/11/23 18:41:02 [error] 31#31: *9 upstream timed out (110: Connection timed out) while reading response '
     'header from upstream, request: "GET /callback?code=x HTTP/1.1"', "msg-proxy-callback-timeout",
     "nginx ngx_http_proxy_module"),
    ("2026/11/23 18:41:02 [error] 31#31: *9 client intended to send too large body: 1312044 bytes",
     "msg-proxy-saml-post-too-large", "nginx ngx_http_core_module"),
    ("PHP Warning: POST Content-Length of 9437184 bytes exceeds the limit of 8388608 bytes",
     "msg-proxy-saml-post-too-large", "PHP main/SAPI.c"),
    ("2026/11/23 18:41:02 [error] 31#31: *9 auth request unexpected status: 302 while sending to client",
     "msg-nginx-auth-request-unexpected-status", "nginx ngx_http_auth_request_module"),
    ("GET https://sso.example.com/authorize?client_id=abc&redirect_uri=http%3A%2F%2Fapp.example.com%2Fcallback",
     "msg-proxy-tls-termination", "an authorize URL built behind a TLS-terminating proxy"),
    ('Cookie "_oauth2_proxy" not present', "msg-cookie-secure-over-http", "oauth2-proxy"),
    ("http: named cookie not present", "msg-cookie-secure-over-http", "Go net/http ErrNoCookie"),
    # Cookies as the browser and frameworks report them
    ("An unhandled exception occurred while processing the request.\nException: Correlation failed.",
     "msg-cookie-samesite", "ASP.NET Core RemoteAuthenticationHandler"),
    ('This attempt to set a cookie via a Set-Cookie header was blocked because it had the "SameSite=None" attribute '
     'but did not have the "Secure" attribute, which is required in order to use "SameSite=None".',
     "msg-cookie-samesite", "Chrome DevTools NetworkRequest.ts"),
    ('This cookie was blocked because it had the "SameSite=Lax" attribute but the request was cross-site and was '
     'not initiated by a top-level navigation.', "msg-cookie-samesite", "Chrome DevTools NetworkRequest.ts"),
    ('This attempt to set a cookie via a Set-Cookie header was blocked because it had the "Secure" attribute but '
     'was not received over a secure connection.', "msg-cookie-secure-over-http",
     "Chrome DevTools NetworkRequest.ts"),
    ("UserWarning: The 'session' cookie is too large: the value was 5038 bytes but the header required 26 extra "
     "bytes. The final size was 5064 bytes but the limit is 4093 bytes. Browsers may silently ignore cookies "
     "larger than this.", "msg-cookie-too-large-dropped", "Werkzeug dump_cookie"),
    ("ActionDispatch::Cookies::CookieOverflow (ActionDispatch::Cookies::CookieOverflow)",
     "msg-cookie-too-large-dropped", "Rails cookie store"),
    ("Setting this cookie was blocked due to third-party cookie phaseout. Learn more in the Issues tab.",
     "msg-third-party-cookies-blocked", "Chrome DevTools NetworkRequest.ts"),
    ("[next-auth][error][JWT_SESSION_ERROR] https://next-auth.js.org/errors#jwt_session_error decryption "
     "operation failed", "msg-session-secret-changed", "NextAuth.js logger with jose JWEDecryptionFailed"),
    ("System.Exception: An error was encountered while handling the remote login. ---> Unable to unprotect the "
     "message.State.", "msg-session-secret-changed", "ASP.NET Core OAuth handler"),
    # TLS towards the IdP, clocks and tokens
    ("javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
     "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to "
     "requested target", "msg-tls-untrusted-idp-cert", "JDK sun.security.validator"),
    ('Get "https://keycloak.example.com/realms/x/.well-known/openid-configuration": x509: certificate signed by '
     "unknown authority", "msg-tls-untrusted-idp-cert", "Go crypto/x509"),
    ("Error: self-signed certificate in certificate chain", "msg-tls-untrusted-idp-cert", "Node.js tls"),
    ("Hostname/IP does not match certificate's altnames: Host: keycloak. is not in the cert's altnames: "
     "DNS:sso.example.com", "msg-tls-idp-hostname-mismatch", "Node.js tls.checkServerIdentity"),
    ("x509: certificate is valid for sso.example.com, not keycloak.default.svc", "msg-tls-idp-hostname-mismatch",
     "Go crypto/x509"),
    ("This site can't provide a secure connection. ERR_SSL_VERSION_OR_CIPHER_MISMATCH", "msg-tls-cipher-mismatch",
     "Chrome net error page"),
    ("jwt.exceptions.ImmatureSignatureError: The token is not yet valid (iat)", "msg-jwt-clock-skew", "PyJWT"),
    ("NotBeforeError: jwt not active", "msg-jwt-clock-skew", "jsonwebtoken"),
    ("token has invalid claims: token is not valid yet", "msg-jwt-clock-skew", "golang-jwt v5"),
    ("Token used before issued", "msg-jwt-clock-skew", "jwt-go v3"),
    ("org.keycloak.common.VerificationException: Token is not active", "msg-jwt-clock-skew", "Keycloak TokenVerifier"),
    ("Error: iat is in the future: 1795459260", "msg-client-device-clock", "oidc-client-js / oidc-client-ts"),
    ("Issued At (iat) claim error in the ID token", "msg-client-device-clock", "auth0-spa-js"),
    # Browser policy
    ("Refused to display 'https://login.microsoftonline.com/' in a frame because it set 'X-Frame-Options' to 'deny'.",
     "msg-idp-login-in-iframe-blocked", "Chrome console"),
    ("Access to XMLHttpRequest at 'https://login.microsoftonline.com/x/oauth2/v2.0/authorize?client_id=1' "
     "(redirected from 'https://app.example.com/api/me') from origin 'https://app.example.com' has been blocked by "
     "CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
     "msg-cors-login-redirect-fetched", "Chrome console"),
    ("Refused to send form data to 'https://idp.example.com/sso' because it violates the following Content Security "
     "Policy directive: \"form-action 'self'\".", "msg-csp-form-action-blocks-sso", "Chrome console"),
]

# Messages where a more general entry legitimately starts at the same place: the specific cause must be
# in the first two findings (the bar users judge the answer by).
TOP_TWO = [
    ("OneLogin_Saml2_ValidationError: The response was received at http://app.example.com/saml/acs instead of "
     "https://app.example.com/saml/acs", "msg-saml-sp-url-misdetected", "python3-saml response.py"),
    ("The response was received at https://app.internal:8443/saml/acs instead of https://app.example.com/saml/acs",
     "msg-saml-sp-url-misdetected", "ruby-saml response.rb"),
]

# Ordinary text, and real documents that mention the same words without any error in them.
UNRELATED = [
    "User jane@contoso.com signed in successfully and the dashboard loaded.",
    "We rotated the SCIM token yesterday and provisioning is green again.",
    "Set-Cookie: session=abc; Path=/; Secure; HttpOnly; SameSite=Lax",
    "HTTP/1.1 200 OK\nContent-Type: text/html\nX-Frame-Options: DENY",
    "The assertion contains the user's email and display name.",
]


def _first(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


@pytest.mark.parametrize(("text", "expected", "source"), FIRST, ids=[c[1] + ":" + c[2] for c in FIRST])
def test_the_software_s_message_leads_to_its_entry(kb, text, expected, source):
    ids = _first(kb, text)
    assert ids, f"nothing recognised in {text!r} ({source})"
    assert ids[0] == expected, f"{source}: {ids}"


@pytest.mark.parametrize(("text", "expected", "source"), TOP_TWO, ids=[c[1] + ":" + c[2] for c in TOP_TWO])
def test_a_specific_cause_is_among_the_first_two(kb, text, expected, source):
    assert expected in _first(kb, text)[:2], source


@pytest.mark.parametrize("text", UNRELATED)
def test_ordinary_text_matches_none_of_these_entries(kb, text):
    ours = _our_ids()
    assert [i for i in _first(kb, text) if i in ours] == []


def test_discovery_documents_in_the_corpus_match_none_of_these_entries(kb, corpus):
    ours = _our_ids()
    for path in sorted((corpus / "oidc").glob("*openid-configuration*.json")):
        text = path.read_text(encoding="utf-8")
        assert [i for i in _first(kb, text) if i in ours] == [], path.name


def test_every_canonical_cause_of_this_area_has_its_entry(kb):
    canon = """msg-saml-acs-body-not-parsed msg-saml-acs-not-registered msg-saml-authn-instant-too-old
    msg-saml-binding-not-enabled msg-saml-decrypt-failed msg-saml-sp-unknown-to-idp msg-saml-sp-url-misdetected
    msg-idp-signing-cert-rollover msg-sso-identifier-mismatch msg-proxy-forwarded-host msg-proxy-header-too-big
    msg-proxy-tls-termination msg-request-header-too-large msg-cookie-name-collision msg-cookie-samesite
    msg-cookie-secure-over-http msg-cookie-stale-shadow msg-cookie-too-large-dropped msg-third-party-cookies-blocked
    msg-session-not-shared msg-session-secret-changed msg-tls-cipher-mismatch msg-tls-untrusted-idp-cert
    msg-jwt-clock-skew msg-client-device-clock""".split()
    missing = [i for i in canon if kb.get(i) is None or not kb.get(i).deep]
    assert missing == []


def test_entries_of_this_area_carry_what_the_ranking_and_the_reader_need(kb):
    phrase_re = re.compile(r"^[\w][\w '’\-/.,:()+&?]*$")
    for entry_id in _our_ids():
        entry = kb.get(entry_id)
        assert entry.deep and entry.refs and entry.where and entry.collect, entry_id
        assert 5 <= len(entry.phrases) <= 12, entry_id
        assert all(phrase_re.match(p) for p in entry.phrases), entry_id
        assert len(entry.name) <= 100 and len(entry.summary) <= 240, entry_id
        assert all(p == p.lower() for p in entry.patterns), entry_id


def test_no_two_entries_share_a_phrase(kb):
    owner: dict[str, str] = {}
    for entry in kb.entries():
        for phrase in entry.phrases:
            key = phrase.casefold()
            assert owner.setdefault(key, entry.id) == entry.id, (phrase, owner[key], entry.id)


def test_a_saml_error_pasted_with_its_log_line_leads_the_diagnosis(now):
    # The whole engine, not only the patterns: the message tier and the text order decide what comes first.
    text = ("2026-11-23 18:41:02 ERROR o.s.s.saml2.provider.service.web.Saml2WebSsoAuthenticationFilter - "
            "org.springframework.security.saml2.provider.service.authentication.Saml2AuthenticationException: "
            "The response contained an InResponseTo attribute [ARQ3c2b] but no saved authentication request was found")
    codes = [f.code for f in diagnose(text, now=now).findings]
    assert codes[0] == "msg-saml-inresponseto"


def test_a_nested_saml_status_leads_over_the_generic_error_status(now):
    # node-saml saml.ts prints the top-level status, then the nested one; the engine ranks the generic
    # "IdP returned an error status" entry as an umbrella, so the nested cause comes first.
    text = "SamlStatusError: SAML provider returned Requester error: InvalidNameIDPolicy"
    codes = [f.code for f in diagnose(text, now=now).findings]
    assert codes[:2] == ["msg-saml-invalid-nameid-policy", "msg-saml-status-responder"]


def test_a_proxy_error_page_leads_the_diagnosis(now):
    codes = [f.code for f in diagnose("<html><center><h1>400 Bad Request</h1></center><center>Request Header Or "
                                      "Cookie Too Large</center><hr><center>nginx</center></html>", now=now).findings]
    assert codes[0] == "msg-request-header-too-large"


def _our_ids() -> set[str]:
    ids: set[str] = set()
    for name in ("saml_libraries.toml", "proxies_cookies.toml"):
        with (Path(DATA_DIR) / name).open("rb") as fh:
            ids.update(e["id"] for e in tomllib.load(fh)["entry"])
    return ids
