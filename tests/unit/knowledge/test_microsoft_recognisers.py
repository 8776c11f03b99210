"""Microsoft identity outside the AADSTS table: IDX codes, AD FS MSIS codes, MSAL, ASP.NET Core, OWIN, Entra.

Each case feeds a message as the software prints it through ``match_text`` and checks the entry it
must find. Where the strings come from (values in quotes are made up, the wording is the library's):

* Microsoft.IdentityModel (AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet):
  src/Microsoft.IdentityModel.Tokens/LogMessages.cs, src/Microsoft.IdentityModel.JsonWebTokens/LogMessages.cs,
  src/System.IdentityModel.Tokens.Jwt/LogMessages.cs, src/Microsoft.IdentityModel.Protocols/LogMessages.cs,
  src/Microsoft.IdentityModel.Protocols.OpenIdConnect/LogMessages.cs, src/Microsoft.IdentityModel.Validators/
  LogMessages.cs, current and earlier versions (the git history of those files).
* ASP.NET Core (dotnet/aspnetcore): JwtBearerHandler's error_description texts, RemoteAuthenticationHandler
  ("Correlation failed."), OpenIdConnectHandler (Resources.MessageStateIsInvalid / MessageStateIsNullOrEmpty),
  OAuthHandler ("The oauth state was missing or invalid.").
* Microsoft.Identity.Web (AzureAD/microsoft-identity-web): IDWebErrorMessage.cs.
* Katana (aspnet/AspNetKatana): src/Microsoft.Owin.Security.OpenIdConnect/OpenidConnectAuthenticationHandler.cs
  and src/Microsoft.Owin.Security/Infrastructure/AuthenticationHandler.cs log lines.
* MSAL.js (AzureAD/microsoft-authentication-library-for-js): lib/msal-browser/src/error/BrowserAuthError.ts,
  lib/msal-common/src/error/ClientAuthError.ts and InteractionRequiredAuthError.ts (AuthError prints
  "<code>: <message>"), lib/msal-core/src/error/ClientAuthError.ts for MSAL.js 1.x.
* AD FS: the exception text AD FS writes to Event 364 and its error page, as quoted in Microsoft's AD FS
  documentation and public event-log excerpts.
"""

from __future__ import annotations

import re

import pytest


OUR_FILES = ("identitymodel.toml", "adfs.toml", "microsoft.toml")

PII = "[PII of type 'System.String' is hidden. For more details, see https://aka.ms/IdentityModel/PII.]"

CASES: list[tuple[str, str]] = [
    # -- Microsoft.IdentityModel ---------------------------------------------------------------------
    ("IDX10214: Audience validation failed. Audiences: 'api://4b0c6f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f'. "
     "Did not match: validationParameters.ValidAudience: '4b0c6f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f' or "
     "validationParameters.ValidAudiences: 'null'.", "idx-10214"),
    ("IDX10214: Audience validation failed. Audiences: 'x'. Could not match:  validationParameters.ValidAudience: "
     "'y' and validationParameters.ValidAudiences: 'null'", "idx-10214"),
    ('WWW-Authenticate: Bearer error="invalid_token", error_description="The audience \'api://orders\' is invalid"',
     "idx-10214"),
    ("IDX10222: Lifetime validation failed. The token is not yet valid. ValidFrom (UTC): '11/16/2026 12:05:00', "
     "Current time (UTC): '11/16/2026 11:58:12'.", "idx-10222"),
    (f"IDX10223: Lifetime validation failed. The token is expired. ValidTo (UTC): '{PII}', Current time (UTC): '{PII}'.",
     "idx-10223"),
    ('www-authenticate: Bearer error="invalid_token", error_description="The token expired at \'11/16/2026 12:00:41\'"',
     "idx-10223"),
    ("IDX10503: Signature validation failed. The token's kid is: 'nOo3ZDrODXEK1jKWhXslHR_KXEg', but did not match "
     "any keys in TokenValidationParameters or Configuration. Keys tried: 'RsaSecurityKey'. Number of keys in "
     "TokenValidationParameters: '0'. \nNumber of keys in Configuration: '6'.", "idx-10511"),
    ("IDX10511: Signature validation failed. Keys tried: 'RsaSecurityKey, KeyId: 'abc''. \nNumber of keys in "
     "TokenValidationParameters: '0'. \nNumber of keys in Configuration: '6'. \nMatched key was in 'Configuration'.",
     "idx-10511"),
    ("IDX10501: Signature validation failed. Unable to match key: \nkid: 'X5eXk4xyojNFum1kl2Ytv8dlNP4'.", "idx-10511"),
    ('Bearer error="invalid_token", error_description="The signature key was not found"', "idx-10511"),
    ("IDX20803: Unable to obtain configuration from: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/"
     ".well-known/openid-configuration'. Will retry at '11/16/2026 12:05:00 +00:00'. Exception: "
     "'System.IO.IOException: IDX20804: Unable to retrieve document from: 'https://login.microsoftonline.com/x'. "
     "---> System.Net.Http.HttpRequestException: The SSL connection could not be established", "idx-20803"),
    ("IDX10803: Unable to create to obtain configuration from: 'https://sts.example.test/.well-known/"
     "openid-configuration'.", "idx-20803"),
    ("IDX21323: RequireNonce is '[PII is hidden]'. OpenIdConnectProtocolValidationContext.Nonce was null, "
     "OpenIdConnectProtocol.ValidatedIdToken.Payload.Nonce was not null.", "idx-21323"),
    ("IDX10311: RequireNonce is 'true' (default) but validationContext.Nonce is null. A nonce cannot be validated.",
     "idx-21323"),
    ("IDX10205: Issuer validation failed. Issuer: 'https://sts.windows.net/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/'. "
     "Did not match: validationParameters.ValidIssuer: 'https://login.microsoftonline.com/0f1e2d3c-4b5a-6978-8796-"
     "a5b4c3d2e1f0/v2.0' or validationParameters.ValidIssuers: 'null'.", "idx-10205"),
    ('error_description="The issuer \'https://keycloak:8080/realms/demo\' is invalid"', "idx-10205"),
    ("IDX40001: Issuer: 'https://login.microsoftonline.com/1a2b3c4d-0000-4000-8000-000000000000/v2.0', does not match "
     "any of the valid issuers provided for this application.", "idx-40001"),
    ("IDW10303: Issuer: 'https://sts.example.test/', does not match any of the valid issuers provided for this "
     "application.", "idx-40001"),
    ("IDX10204: Unable to validate issuer. validationParameters.ValidIssuer is null or whitespace AND "
     "validationParameters.ValidIssuers is null or empty.", "idx-10204"),
    ("IDX10208: Unable to validate audience. validationParameters.ValidAudience is null or whitespace and "
     "validationParameters.ValidAudiences is null.", "idx-10208"),
    ("IDX10500: Signature validation failed. No security keys were provided to validate the signature.", "idx-10500"),
    ("IDX10504: Unable to validate signature, token does not have a signature: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.'",
     "idx-10504"),
    ("IDX10506: Signature validation failed. The user defined 'Delegate' specified on TokenValidationParameters did "
     "not return a 'Microsoft.IdentityModel.JsonWebTokens.JsonWebToken', but returned a "
     "'System.IdentityModel.Tokens.Jwt.JwtSecurityToken' when validating token: 'x'.", "idx-10506"),
    ("IDX10634: Unable to create the SignatureProvider.\nAlgorithm: 'HS256', SecurityKey: "
     "'Microsoft.IdentityModel.Tokens.RsaSecurityKey'\n is not supported.", "idx-10634"),
    ("IDX10720: Unable to create KeyedHashAlgorithm for algorithm 'HS256', the key size must be greater than: '256' "
     "bits, key has '128' bits.", "idx-10720"),
    ("IDX10653: The encryption algorithm 'System.String' requires a key size of at least 'System.Int32' bits. "
     "Key 'Microsoft.IdentityModel.Tokens.SymmetricSecurityKey', is of size: '64'.", "idx-10720"),
    ("IDX10603: The algorithm: 'HS256' requires the SecurityKey.KeySize to be greater than '128' bits. "
     "KeySize reported: '64'.", "idx-10720"),
    ("IDX10603: Decryption failed. Keys tried: 'RsaSecurityKey'.\nExceptions caught:\n ''.\ntoken: 'x'", "idx-10609"),
    ("IDX10609: Decryption failed. No Keys tried: token: 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..a.b.c'.",
     "idx-10609"),
    ("IDX10630: The 'Microsoft.IdentityModel.Tokens.X509SecurityKey' for signing cannot be smaller than '2048' bits. "
     "KeySize: '1024'.", "idx-10630"),
    ("IDX10638: Cannot create the SignatureProvider, 'key.HasPrivateKey' is false, cannot create signatures. Key: x.",
     "idx-10638"),
    ("IDX10230: Lifetime validation failed. Delegate returned false, securitytoken: 'x'.", "idx-10230"),
    ("IDX10209: Token has length: '300001' which is larger than the MaximumTokenSizeInBytes: '256000'.", "idx-10209"),
    ("IDX12709: CanReadToken() returned false. JWT is not well formed.\nThe token needs to be in JWS or JWE Compact "
     "Serialization Format.", "idx-12709"),
    ("IDX12741: JWT: 'undefined' must have three segments (JWS) or five segments (JWE).", "idx-12709"),
    ("IDX10708: 'System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler' cannot read this string: 'Bearer abc'.\n"
     "The string needs to be in compact JSON format", "idx-12709"),
    ("IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact "
     "Serialization Format.", "idx-14100"),
    ("IDX14120: JWT is not well formed, there is only one dot (.).", "idx-14100"),
    ("IDX12729: Unable to decode the header 'eyJhbGciOi+/' as Base64Url encoded string.", "idx-12729"),
    ("IDX10000: The parameter 'token' cannot be a 'null' or an empty object. ", "idx-10000"),
    ("IDX20807: Unable to retrieve document from: 'https://login.microsoftonline.com/contoso.example/v2.0/.well-known/"
     "openid-configuration'. HttpResponseMessage: 'StatusCode: 400', HttpResponseMessage.Content: '{}'.", "idx-20807"),
    ("IDX20108: The address specified 'http://localhost:8080/realms/demo/.well-known/openid-configuration' is not "
     "valid as per HTTPS scheme.", "idx-20108"),
    ("System.InvalidOperationException: The MetadataAddress or Authority must use HTTPS unless disabled for "
     "development by setting RequireHttpsMetadata=false.", "idx-20108"),
    ("IDX10257: Token type validation failed. Type: 'JWT'. Did not match: validationParameters.TokenTypes: 'at+jwt'.",
     "idx-10257"),
    # -- AD FS ---------------------------------------------------------------------------------------
    ("Microsoft.IdentityServer.Web.InvalidRequestException: MSIS7042: The same client browser session has made '6' "
     "requests in the last '11' seconds. Contact your administrator for details.", "msis-7042"),
    ("Microsoft.IdentityServer.Web.InvalidScopeException: MSIS7007: The requested relying party trust "
     "'https://app.example.test/saml' is unspecified or unsupported.", "msis-7007"),
    ("MSIS3077: The AssertionConsumerServices property is not configured for relying party trust "
     "'https://sp.example.test'.", "msis-3077"),
    ("Microsoft.IdentityServer.Protocols.Saml.NoAuthenticationContextException: MSIS7012: An error occurred while "
     "processing the request. Contact your administrator for details.", "msis-7012"),
    ("Microsoft.IdentityServer.Web.IdPInitiatedSignonPageDisabledException: MSIS7012: An error occurred while "
     "processing the request.", "msg-adfs-idp-initiated-disabled"),
    ("Microsoft.IdentityServer.Service.SecurityTokenService.ADAccountValidationException: MSIS3173: Active Directory "
     "account validation failed.", "msis-3173"),
    ("MSIS0037: No signature verification certificate found for issuer 'https://sp.example.test/metadata'.",
     "msis-0037"),
    ("Microsoft.IdentityServer.Service.Policy.PolicyServer.Engine.InvalidAuthenticationTypePolicyException: "
     "MSIS7102: Requested Authentication Method is not supported on the STS.", "msis-7102"),
    ("error=server_error&error_description=MSIS9642: The request cannot be completed because an id token is "
     "required but the server was unable to construct an id token for the current user.", "msis-9642"),
    ("Microsoft.IdentityServer.RequestFailedException: MSIS7065: There are no registered protocol handlers on path "
     "/adfs/ls to process the incoming request.", "msis-7065"),
    ("Microsoft.IdentityServer.Service.IssuancePipeline.CallerAuthorizationException: MSIS5007: The caller "
     "authorization failed for caller identity contoso\\jdoe for relying party trust https://app.example.test.",
     "msis-5007"),
    ("Microsoft.IdentityServer.Protocols.Saml.SamlProtocolSignatureAlgorithmMismatchException: MSIS7093: The message "
     "is not signed with expected signature algorithm. Message is signed with signature algorithm "
     "http://www.w3.org/2000/09/xmldsig#rsa-sha1.", "msis-7093"),
    ("MSIS7054: The SAML logout did not complete properly.", "msis-7054"),
    ("MSIS7046: The SAML protocol parameter 'RelayState' was not found or not valid.", "msis-7046"),
    ("HTTP Error 503. The service is unavailable. https://sts.contoso.test/adfs/ls/?wa=wsignin1.0",
     "msg-adfs-app-pool-stopped"),
    ("The revocation function was unable to check revocation because the revocation server was offline.",
     "msg-adfs-proxy-crl-check"),
    # -- MSAL ----------------------------------------------------------------------------------------
    ("BrowserAuthError: interaction_in_progress: Interaction is currently in progress. Please ensure that this "
     "interaction has been completed before calling an interactive API.", "msg-msal-interaction-in-progress"),
    ("ClientAuthError: login_progress_error: Login_In_Progress: Error during login call - login is already in "
     "progress.", "msg-msal-interaction-in-progress"),
    ("BrowserAuthError: monitor_window_timeout: Token acquisition in iframe failed due to timeout.",
     "msg-msal-monitor-window-timeout"),
    ("InteractionRequiredAuthError: no_tokens_found: No refresh token found in the cache. Please sign-in.",
     "msg-msal-no-tokens-found"),
    ("BrowserAuthError: hash_empty_error: Hash value cannot be processed because it is empty. Please verify that "
     "your redirectUri is not clearing the hash.", "msg-msal-hash-empty"),
    ("BrowserAuthError: popup_window_error: Error opening popup window. This can happen if you are using IE or if "
     "popups are blocked in the browser.", "msg-msal-popup-blocked"),
    ("BrowserAuthError: user_cancelled: User cancelled the flow.", "msg-msal-user-cancelled"),
    ("BrowserAuthError: no_account_error: No account object provided to acquireTokenSilent and no active account "
     "has been set.", "msg-msal-no-account"),
    ("Microsoft.Identity.Client.MsalUiRequiredException: No account or login hint was passed to the "
     "AcquireTokenSilent call.", "msg-msal-no-account"),
    ("ClientAuthError: multiple_matching_tokens: The cache contains multiple tokens satisfying the requirements. "
     "Call AcquireToken again providing more requirements such as authority or account.",
     "msg-msal-multiple-matching-tokens"),
    ("BrowserAuthError: block_iframe_reload: Request was blocked inside an iframe because MSAL detected an "
     "authentication response.", "msg-msal-block-iframe-reload"),
    ("BrowserAuthError: uninitialized_public_client_application: You must call and await the initialize function "
     "before attempting to call any other MSAL API.", "msg-msal-uninitialized"),
    ("InteractionRequiredAuthError: refresh_token_expired: Refresh token has expired.", "msg-msal-ui-required"),
    ("BrowserAuthError: post_request_failed: Network request failed: If the browser threw a CORS error, check that "
     "the redirectUri is registered in the Azure App Portal as type 'SPA'", "msg-msal-cors-spa"),
    ("Access to fetch at 'https://login.microsoftonline.com/contoso.example/oauth2/v2.0/token' from origin "
     "'http://localhost:3000' has been blocked by CORS policy", "msg-msal-cors-spa"),
    # -- ASP.NET Core, Microsoft.Identity.Web, OWIN ---------------------------------------------------
    ("An unhandled exception occurred while processing the request.\nException: Correlation failed.\n"
     "Unknown location\nException: An error was encountered while handling the remote login.",
     "msg-aspnet-correlation-failed"),
    ("warn: Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectHandler[15]\n"
     "      '.AspNetCore.Correlation.Lz0aQBvs1Q' cookie not found.", "msg-aspnet-correlation-failed"),
    ("System.Exception: Unable to unprotect the message.State.", "msg-aspnet-state-unprotect"),
    ("Exception: OpenIdConnectAuthenticationHandler: message.State is null or empty.", "msg-aspnet-state-missing"),
    ("Exception: The oauth state was missing or invalid.", "msg-aspnet-oauth-state-invalid"),
    ("System.InvalidOperationException: No authenticationScheme was specified, and there was no "
     "DefaultChallengeScheme found. The default schemes can be set using either AddAuthentication(string "
     "defaultScheme) or AddAuthentication(Action<AuthenticationOptions> configureOptions).",
     "msg-aspnet-no-default-challenge-scheme"),
    (f"IDX10223: Lifetime validation failed. The token is expired. ValidTo: '{PII}'", "msg-aspnet-pii-hidden"),
    ("IDW10201: Neither scope nor roles claim was found in the bearer token. Authentication scheme used: 'Bearer'.",
     "msg-aspnet-idweb-no-scope-or-roles"),
    ("IDW10202: The 'roles' or 'role' claim does not contain roles 'Orders.Write' or was not found.",
     "msg-entra-roles-claim-missing"),
    ("Microsoft.Identity.Web.MicrosoftIdentityWebChallengeUserException: IDW10502: An MsalUiRequiredException was "
     "thrown due to a challenge for the user.", "msg-aspnet-idweb-ui-required"),
    ("IDW10104: Both client secret and client certificate cannot be null or whitespace, and only ONE must be "
     "included in the configuration of the web app when calling a web API.", "msg-aspnet-idweb-client-credentials"),
    ("IDW10106: The 'ClientId' option must be provided.", "msg-aspnet-idweb-missing-option"),
    ("The nonce cookie was not found.", "msg-owin-cookie-loss"),
    (".AspNet.Correlation.OpenIdConnect cookie not found.", "msg-owin-cookie-loss"),
    # -- Entra behaviours ----------------------------------------------------------------------------
    ("Need admin approval\nContoso Expenses needs permission to access resources in your organization that only an "
     "admin can grant. Please ask an admin to grant permission to this app before you can use it.",
     "msg-entra-admin-approval-needed"),
    ("Application 'Contoso Portal' is not configured as a multi-tenant application. Usage of the /common endpoint is "
     "not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure "
     "the application to be multi-tenant.", "msg-entra-authority-common"),
    ("RPError: unexpected iss value, expected https://login.microsoftonline.com/{tenantid}/v2.0, got: "
     "https://login.microsoftonline.com/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/v2.0",
     "msg-entra-common-issuer-template"),
    ("403 - You do not have permission to view this directory or page.", "msg-entra-easyauth-client-allowlist"),
    ('{"aud": "00000003-0000-0000-c000-000000000000", "scp": "User.Read"}', "msg-entra-graph-token-to-api"),
    ("[oauthproxy] Error creating session during OAuth2 callback: neither the id_token nor the profileURL set an "
     "email", "msg-entra-no-email-claim"),
    ('"tid": "9188040d-6c67-4c5b-b112-36a304b66dad"', "msg-entra-personal-account"),
    ("Invalid audience for this Response (expected 'https://app.example.test', got "
     "'spn:4b0c6f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f')", "msg-entra-saml-audience-spn"),
    ("The certificate used for single sign-on to Contoso HR is going to expire on 1/15/2027.",
     "msg-entra-saml-cert-expiring"),
    ("IDX10205: Issuer validation failed. Issuer: 'https://sts.windows.net/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/'.",
     "msg-entra-v1-v2-issuer"),
    ('"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {"endpoint": "https://graph.microsoft.com"}}',
     "msg-entra-groups-overage"),
]

# Codes that must lead when the message carries one: the IDX/MSIS code comes first in the text.
LEADS = {"idx-", "msis-"}

UNRELATED = [
    "AADSTS50011: The redirect URI 'https://app.example.test/cb' specified in the request does not match the "
    "redirect URIs configured for the application.",
    '{"errorCode":"E0000011","errorSummary":"Invalid token provided"}',
    "The quarterly meeting is in progress; we checked the correlation between both metrics.",
    "Our SCIM endpoint returned 409 Conflict for user jdoe@example.test",
    "SAML Response signature could not be verified with the configured IdP certificate.",
    "The state parameter does not match (mismatching_state)",
    "Users are not showing up in the app after assignment.",
    "index 10214 of the array; msisdn 7042 is a phone number field",
]


@pytest.fixture(scope="module")
def ours(kb) -> set[str]:
    return {e.id for e in kb.entries() if kb.source(e.id) in OUR_FILES}


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[f"{i:02d}-{c[1]}" for i, c in enumerate(CASES)])
def test_message_as_printed_finds_its_entry(kb, text, expected):
    found = [m.entry.id for m in kb.match_text(text)]
    assert expected in found, f"{expected} not found; got {found}"
    if expected.startswith(tuple(LEADS)) and text.upper().startswith(expected.split("-")[0].upper()):
        # A message that opens with its code: the coded entry must be the first match.
        assert found[0] == expected, found


@pytest.mark.parametrize("text", UNRELATED)
def test_unrelated_text_matches_none_of_our_entries(kb, ours, text):
    assert [m.entry.id for m in kb.match_text(text) if m.entry.id in ours] == []


def test_the_library_wordings_are_told_apart(kb):
    """IDX10603 meant 'key too short' in old versions and 'decryption failed' now; IDX20807 is not IDX20803."""
    old = {m.entry.id for m in kb.match_text("IDX10603: The algorithm: 'HS256' requires the SecurityKey.KeySize "
                                             "to be greater than '128' bits. KeySize reported: '64'.")}
    new = {m.entry.id for m in kb.match_text("IDX10603: Decryption failed. Keys tried: 'x'.")}
    assert "idx-10720" in old and "idx-10609" not in old
    assert "idx-10609" in new and "idx-10720" not in new
    status = {m.entry.id for m in kb.match_text("IDX20807: Unable to retrieve document from: 'https://x.test/m'. "
                                                "HttpResponseMessage: 'StatusCode: 404'")}
    assert status & {"idx-20807", "idx-20803"} == {"idx-20807"}
    assert kb.lookup_code("idx", "IDX10603") is None  # deliberately unaliased: the wording decides


@pytest.mark.parametrize(
    ("system", "code", "expected"),
    [
        ("idx", "IDX10214", "idx-10214"), ("idx", "10215", "idx-10214"), ("idx", "IDX10503", "idx-10511"),
        ("idx", "IDX10501", "idx-10511"), ("idx", "IDX10516", "idx-10511"), ("idx", "IDX10311", "idx-21323"),
        ("idx", "IDX10803", "idx-20803"), ("idx", "IDX20804", "idx-20803"), ("idx", "IDX10653", "idx-10720"),
        ("idx", "IDX12741", "idx-12709"), ("idx", "IDX10708", "idx-12709"), ("idx", "IDX14120", "idx-14100"),
        ("idx", "IDX10631", "idx-10630"), ("idx", "IDX40002", "idx-40001"),
        ("msis", "MSIS7042", "msis-7042"), ("msis", "msis0037", "msis-0037"), ("msis", "9642", "msis-9642"),
    ],
)
def test_codes_and_their_aliases_resolve(kb, system, code, expected):
    entry = kb.lookup_code(system, code)
    assert entry is not None and entry.id == expected


CANON_PREFIXES = ("idx-", "msis-", "msg-adfs-", "msg-entra-", "msg-msal-", "msg-owin-")
CANON_IDS = """idx-10214 idx-10222 idx-10223 idx-10511 idx-20803 idx-21323 msg-adfs-app-pool-stopped
msg-adfs-idp-initiated-disabled msg-adfs-proxy-clock-skew msg-adfs-proxy-crl-check msg-entra-admin-approval-needed
msg-entra-authority-common msg-entra-common-issuer-template msg-entra-easyauth-client-allowlist
msg-entra-graph-token-to-api msg-entra-no-email-claim msg-entra-personal-account msg-entra-saml-audience-spn
msg-entra-saml-cert-expiring msg-entra-v1-v2-issuer msg-msal-interaction-in-progress msg-msal-monitor-window-timeout
msg-msal-no-tokens-found msg-owin-cookie-loss msis-3077 msis-7007 msis-7042""".split()


def test_the_canonical_causes_have_entries_with_their_ids(kb):
    assert len(CANON_IDS) == 27
    assert [i for i in CANON_IDS if kb.get(i) is None] == []


def test_every_entry_of_ours_is_deep_recognisable_and_described_in_words(kb, ours):
    assert len(ours) >= 65
    for entry_id in ours:
        entry = kb.get(entry_id)
        assert entry.deep, entry_id
        assert entry.patterns, entry_id
        assert 5 <= len(entry.phrases) <= 12, entry_id
        assert entry.refs and entry.where and entry.collect, entry_id
        if entry.system in ("idx", "msis"):
            # Until the engine reads IDX/MSIS codes itself, the bare code must be matched as text.
            assert any(re.search(p, f"{entry.label}: x", re.IGNORECASE) for p in entry.patterns), entry_id


def test_no_phrase_of_ours_is_shared_with_another_entry(kb, ours):
    owner: dict[str, str] = {}
    for entry in kb.entries():
        for phrase in entry.phrases:
            owner.setdefault(phrase.lower(), entry.id)
    for entry_id in ours:
        for phrase in kb.get(entry_id).phrases:
            assert owner[phrase.lower()] == entry_id, f"{entry_id} shares {phrase!r} with {owner[phrase.lower()]}"


def test_exception_names_belong_to_one_entry_each(kb, ours):
    seen: dict[str, str] = {}
    for entry in kb.entries():
        for name in entry.exceptions:
            if entry.id in ours or name in seen:
                assert seen.setdefault(name, entry.id) == entry.id, f"{name}: {seen[name]} and {entry.id}"
