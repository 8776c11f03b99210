"""Recognisers added after the December 2026 survey of causes people hit (issue 10, accuracy pass).

Each message is fed as the software prints it (the source file or page is named beside it) through
``match_text``; the entry for its cause must come first, and look-alike text must not bring it up.
"""

from __future__ import annotations

import pytest


NEW_IDS = ("msg-shibboleth-address-mismatch", "msg-saml-relaystate-missing", "msg-saml-metadata-fetch-failed",
           "msg-auth0-failed-exchange-app-type", "msg-adfs-problem-accessing-site", "msg-oidc-id-token-missing",
           "msg-pkce-required", "msg-entra-b2c-forgot-password", "msg-entra-b2c-user-cancelled",
           "msg-entra-b2c-code-challenge-required", "msg-entra-b2c-redirect-not-registered",
           "msg-entra-b2c-federated-idp-error", "msg-entra-b2c-grant-other-policy")

# (text as printed, entry that must come first, where the text comes from)
CASES = [
    ("opensaml::FatalProfileException at (https://sp.example.edu/Shibboleth.sso/SAML2/POST)\n"
     "Your client's current address (192.0.2.7) differs from the one used when you authenticated to your "
     "identity provider. To correct this problem, you may need to bypass a proxy server.",
     "msg-shibboleth-address-mismatch", "Shibboleth SP 3 sessionError.html / SessionCache address check"),
    ("<p>Found. Redirecting to </p>\n", "msg-saml-relaystate-missing",
     "Express res.redirect() body when the target (the RelayState) is empty"),
    ("ERROR XMLTooling.libcurl.InputStream : error while fetching https://md.example.org/federation.xml: "
     "(60) SSL certificate problem: unable to get local issuer certificate", "msg-saml-metadata-fetch-failed",
     "Shibboleth SP XMLTooling libcurl InputStream"),
    ("org.opensaml.saml2.metadata.provider.MetadataProviderException: Error retrieving metadata from "
     "https://idp.example.com/metadata", "msg-saml-metadata-fetch-failed", "OpenSAML 2 HTTPMetadataProvider"),
    ('{"date":"2021-11-02T03:18:02.729Z","type":"feacft","description":"Unauthorized","client_id":null}',
     "msg-auth0-failed-exchange-app-type", "Auth0 log event (type feacft: Failed Exchange)"),
    ("Oops... Unauthorized", "msg-auth0-failed-exchange-app-type", "auth0-react sample error view"),
    ("There was a problem accessing the site. Try to browse to the site again.\nIf the problem persists, contact "
     "the administrator of this site and provide the reference number to identify the problem.",
     "msg-adfs-problem-accessing-site", "AD FS 2.0 error page (KB 2521057)"),
    ('oidc_authenticate_user: the URL scheme (https) of the configured OIDCRedirectURI does not match the URL '
     'scheme of the URL being accessed (http): the "state" and "session" cookies will not be shared between the two!',
     "msg-proxy-tls-termination", "mod_auth_openidc src/mod_auth_openidc.c"),
    ('oidc_authenticate_user: the URL hostname (localhost.localdomain) of the configured OIDCRedirectURI does not '
     'match the URL hostname of the URL being accessed (engine.example.com): the "state" and "session" cookies '
     'will not be shared between the two!', "msg-proxy-forwarded-host", "mod_auth_openidc src/mod_auth_openidc.c"),
    ("The user or administrator has not consented to use the application with ID '3f1c'.", "aadsts-65001",
     "Entra sign-in error text (AADSTS65001) without its code"),
    ("User is not a member of any group allowed to access this application.", "msg-user-not-assigned",
     "an SP's access denial worded after the IdP's assignment"),
    ("Your login attempt has timed out. Login will start from the beginning.", "msg-keycloak-login-page-expired",
     "Keycloak messages_en.properties loginTimeout"),
    ("Sign in with Google temporarily disabled for this app", "msg-google-app-blocked-sensitive",
     "Google sign-in page for an unverified app asking for sensitive scopes"),
    ("Error: Failed to fetch discovery document from https://idp.example.com/.well-known/openid-configuration",
     "msg-idp-unreachable-from-app", "oidc client libraries (angular-oauth2-oidc, oidc-client-ts)"),
    ("Attribute 'emails' is required", "scim-required-attributes", "SCIM servers' invalidValue detail"),
    ("The group already exists in the target application", "scim-type-uniqueness", "SCIM group create conflict"),
    ("The provided value for the input parameter 'response_type' is not allowed for this client. "
     "Expected value is 'code'. response_type 'id_token' is not enabled for the application.", "aadsts-700054",
     "Entra AADSTS700054 message text"),
    ("SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect "
     "binding.", "aadsts-750054", "Entra AADSTS750054 message text"),
    ("The requested federation realm object 'urn:federation:contoso' does not exist.", "aadsts-50107",
     "Entra AADSTS50107 message text"),
    ("Skip reason: the user is not effectively entitled to the application", "entra-prov-EntrySynchronizationSkipped",
     "Entra provisioning log, Skipped"),
    ("Access to XMLHttpRequest at 'https://login.example.com/api/v1/sessions/me' from origin "
     "'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header",
     "msg-okta-trusted-origin-missing", "browser console, Okta custom domain"),
    ('{"error":"invalid_request","error_description":"Missing parameter: code_challenge_method"}', "msg-pkce-required",
     "Keycloak AuthorizationEndpointChecker, PKCE enforced for the client"),
    ("org.opensaml.xml.security.SecurityException: Signature trust establishment failed for metadata entry "
     "https://idp.example.com/metadata", "msg-saml-signature-invalid", "Spring SAML extension / OpenSAML 2"),
    ("Authentication statement is too old to be used with value 2024-01-01T09:00:00.000Z",
     "msg-saml-authn-instant-too-old", "Spring SAML extension WebSSOProfileConsumerImpl"),
    ("Response doesn't have any valid assertion which would pass subject validation",
     "msg-saml-subject-confirmation-failed", "Spring SAML extension WebSSOProfileConsumerImpl"),
    ("SigningKeyNotFoundError: Unable to find a signing key that matches 'nOo3ZDrODXEK1jKWhXslHR_KXEg'",
     "msg-oidc-jwt-signature-invalid", "node-jwks-rsa"),
    ("FetchError: request to http://localhost:8080/realms/demo/.well-known/openid-configuration failed, "
     "reason: connect ECONNREFUSED 127.0.0.1:8080", "msg-idp-unreachable-from-app", "node-fetch inside a container"),
    ("Cookies are not enabled in current environment.\nError: Cookies are blocked or not supported by your browser.",
     "msg-third-party-cookies-blocked", "Google Sign-In (gapi.auth2) initialisation"),
    ("You can't sign in because Example App sent an invalid request. You can try again later, or contact the "
     "developer about this issue.", "msg-google-oob-retired", "Google Error 400: invalid_request page"),
    ("post_assert: SAML Response is not valid for this audience", "msg-saml-invalid-audience", "saml2-js lib/saml2.js"),
    ("AUTHZ_001 Sorry, you're not authorized to access the requested resource. Check that you belong to one of the "
     "authorized groups.", "msg-user-not-assigned", "PingOne application access error page"),
    ("org.opensaml.common.SAMLException: InResponseToField of the Response doesn't correspond to sent message "
     "a1b2c3d4", "msg-saml-inresponseto", "Spring SAML extension WebSSOProfileConsumerImpl"),
    ("User: jane@example.com not found", "msg-sso-identifier-mismatch", "ServiceNow syslog, source SAML2"),
    ("requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: "
     "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/token", "msg-client-secret-invalid",
     "python requests raise_for_status on the token call"),
    # Azure AD B2C error texts (learn.microsoft.com azure/active-directory-b2c/error-codes).
    ("AADB2C90118: The user has forgotten their password.\nCorrelation ID: 1c2d", "msg-entra-b2c-forgot-password",
     "B2C user flow error redirect"),
    ("access_denied: AADB2C90091: The user has cancelled entering self-asserted information.",
     "msg-entra-b2c-user-cancelled", "B2C user flow error redirect"),
    ("AADB2C99059: The supplied request must present a code_challenge", "msg-entra-b2c-code-challenge-required",
     "B2C authorize endpoint"),
    ("AADB2C90006: The redirect URI 'https://localhost:44316/' provided in the request is not registered for the "
     "client id '5f1e'.", "msg-entra-b2c-redirect-not-registered", "B2C authorize endpoint"),
    ("AADB2C90289: We encountered an 'invalid_client' error connecting to the identity provider. Please try again "
     "later.", "msg-entra-b2c-federated-idp-error", "B2C federation with an OIDC identity provider"),
    ("AADB2C90088: The provided grant has not been issued for this endpoint. Actual Value : B2C_1_signin and "
     "Expected Value : B2C_1_edit", "msg-entra-b2c-grant-other-policy", "B2C token endpoint"),
    ("You do not have access to this application. Please contact your administrator.", "msg-user-not-assigned",
     "JumpCloud user portal (app not bound to the user or group)"),
    ("Your organization has not given you access to this application", "msg-user-not-assigned",
     "Duo SSO access denial"),
    ("https://app.example.com/callback?error=redirect_mismatch", "msg-reply-url-mismatch",
     "Amazon Cognito hosted UI"),
    ("The redirect_uri MUST match the registered callback URL for this application.", "msg-reply-url-mismatch",
     "GitHub OAuth apps (error_description of redirect_uri_mismatch)"),
    ("TypeError: id_token not present in TokenSet\n    at TokenSet.claims (node_modules/openid-client/lib/token_set.js)",
     "msg-oidc-id-token-missing", "openid-client lib/token_set.js"),
    ("Missing (required) ID Token in Token Response for Client Registration: github",
     "msg-oidc-id-token-missing", "Spring Security OidcAuthorizationCodeAuthenticationProvider"),
    ("TokenExpiredError: jwt expired\n    at /app/node_modules/jsonwebtoken/verify.js:190:21",
     "msg-oidc-token-expired-at-validation", "jsonwebtoken verify.js"),
    ("System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.",
     "msg-tls-untrusted-idp-cert", ".NET SocketsHttpHandler"),
]

NOT_THESE = [
    ("Found. Redirecting to /dashboard", "msg-saml-relaystate-missing"),
    ("The metadata endpoint answered 200 and the keys loaded fine.", "msg-saml-metadata-fetch-failed"),
    ("Unauthorized", "msg-auth0-failed-exchange-app-type"),
    ("the id_token is present and valid", "msg-oidc-id-token-missing"),
    ("the jwt expired field in our dashboard is green", "msg-oidc-token-expired-at-validation"),
    ("Your address book differs from the one used last week.", "msg-shibboleth-address-mismatch"),
]


@pytest.mark.parametrize(("text", "expected", "source"), CASES, ids=[f"{c[1]}:{i}" for i, c in enumerate(CASES)])
def test_the_message_leads_to_its_entry(kb, text, expected, source):
    found = [m.entry.id for m in kb.match_text(text)]
    assert found and found[0] == expected, f"{source}: expected {expected} first, got {found}"


@pytest.mark.parametrize(("text", "unwanted"), NOT_THESE)
def test_look_alike_text_does_not_bring_up_the_entry(kb, text, unwanted):
    assert unwanted not in [m.entry.id for m in kb.match_text(text)]


def test_the_new_entries_are_deep_and_described_in_words(kb):
    tested = {case[1] for case in CASES}
    for entry_id in NEW_IDS:
        entry = kb.get(entry_id)
        assert entry is not None and entry.deep and entry.refs and entry.where, entry_id
        assert 5 <= len(entry.phrases) <= 12 and len(entry.name) <= 90, entry_id
        assert entry_id in tested, entry_id
