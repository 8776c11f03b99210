"""Microsoft messages found in this session's survey of public threads, recognised by the knowledge they belong to.

Each case feeds a message as the software prints it through ``match_text`` and checks the entry it must
find first (values in quotes are made up; the wording is the software's). Where the strings come from:

* Entra's sign-in pages (login.microsoftonline.com) and its error texts, as Microsoft's AADSTS reference and
  troubleshooting articles quote them: the "More information required", "You cannot access this right now",
  "Your account or password is incorrect", "Selected user account does not exist in tenant" pages.
* Azure App Service authentication ("Easy Auth"): the platform's log-stream lines for /.auth/refresh and its
  reserved /.auth/ paths (Microsoft's App Service authentication docs, configure-authentication-oauth-tokens).
* AD FS: the exception texts AD FS writes to Event 364 / Event 303 and its OAuth error responses
  (MSIS0038, MSIS9223, MSIS9267, MSIS9321, MSIS9329, MSIS9602, MSIS9622, MSIS9921, ID4037), as quoted in
  Microsoft's AD FS documentation and public event-log excerpts; the WIASupportedUserAgents property name
  (Set-AdfsProperties).
* Azure AD B2C: the AADB2C codes and texts of Microsoft's "Error codes: Azure AD B2C" reference.
* Microsoft's SCIM Validator (scimvalidator.microsoft.com): the result lines it prints.
* Microsoft.IdentityModel: IDX10336 from src/Microsoft.IdentityModel.Protocols.OpenIdConnect/LogMessages.cs.
* MSAL.js (AzureAD/microsoft-authentication-library-for-js): lib/msal-common/src/error/ClientAuthError.ts and
  ClientConfigurationError.ts, lib/msal-browser/src/error/BrowserAuthError.ts and
  BrowserConfigurationAuthError.ts (AuthError prints "<code>: <message>").
* MSAL.NET (microsoft-authentication-library-for-dotnet): MsalErrorMessage.cs (loopback redirect URI,
  unsupported user type).
* MSAL for Python (microsoft-authentication-library-for-python): oauth2cli/oauth2.py
  (obtain_token_by_auth_code_flow), and the ms-identity-python helpers' state checks.
"""

from __future__ import annotations

import pytest


CASES: list[tuple[str, str]] = [
    # -- Entra sign-in pages and error texts without their code -------------------------------------
    ("More information required\nYour organization needs more information to keep your account secure",
     "aadsts-50079"),
    ("You cannot access this right now\nYour sign-in was successful but does not meet the criteria to access this "
     "resource. For example, you might be signing in from a browser, app, or location that is restricted by your "
     "admin.", "aadsts-53003"),
    ("You can't get there from here\nThis application contains sensitive information and can only be accessed "
     "from:\nDevices or client applications that meet Contoso management compliance policy.", "aadsts-53000"),
    ("Your account or password is incorrect. If you don't remember your password, reset it now.", "aadsts-50126"),
    ("Your account is locked. Contact your support person to unlock it, then try again.", "aadsts-50053"),
    ("Selected user account does not exist in tenant 'Contoso' and cannot access the application "
     "'4b0c6f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f' in that tenant. The account needs to be added as an external user "
     "in the tenant first.", "aadsts-50020"),
    ("User account 'a.person@outlook.com' from identity provider 'live.com' does not exist in tenant 'Contoso' and "
     "cannot access the application 'orders'(Orders) in that tenant.", "aadsts-50020"),
    ("The signed in user 'a.person@contoso.com' is not assigned to a role for the application "
     "'4b0c6f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f'(Orders).", "aadsts-50105"),
    ("Your administrator has configured the application Orders ('4b0c6f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f') to block "
     "users unless they are specifically granted ('assigned') access to the application.", "aadsts-50105"),
    ("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not "
     "the client secret ID, for a secret added to app '4b0c6f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f'.", "aadsts-7000215"),
    ("The provided client secret keys for app '4b0c6f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f' are expired. Visit the Azure "
     "portal to create new keys for your app", "aadsts-7000222"),
    ("Application '4b0c6f8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f'(Orders) is not configured as a multi-tenant application. "
     "Usage of the /common endpoint is not supported for such applications", "aadsts-50194"),
    ("OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing "
     "refresh token.", "aadsts-54005"),
    ("The server terminated an operation because it encountered a client request loop. Please contact your app "
     "vendor.", "aadsts-50196"),
    ("unauthorized_client: The client does not exist or is not enabled for consumers. If you are the application "
     "developer, configure a new application through the App Registrations in the Azure Portal",
     "msg-entra-personal-account"),
    # -- App Service authentication (Easy Auth) ----------------------------------------------------
    ("The refresh request issued by sid:3dc87fa73828e752 (SID: b9aced1d070cc990) failed because no refresh tokens "
     "were found in the token store.\nSending response: 403.80 Forbidden", "msg-entra-easyauth-refresh-failed"),
    ("GET https://orders.azurewebsites.net/.auth/login/done 200", "msg-entra-easyauth-reserved-path"),
    ("redirect_uri=https%3A%2F%2Forders.azurewebsites.net%2F.auth%2Flogin%2Faad%2Fcallback",
     "msg-entra-easyauth-forwarded-host"),
    ("You do not have permission to view this directory or page.", "msg-entra-easyauth-client-allowlist"),
    # -- AD FS ---------------------------------------------------------------------------------------
    ("Microsoft.IdentityModel.Protocols.XmlSignature.SignatureVerificationFailedException: MSIS0038: SAML Message "
     "has wrong signature. Issuer: 'https://orders.example.com/saml'.", "msis-0038"),
    ("Microsoft.IdentityModel.Protocols.XmlSignature.SignatureVerificationFailedException: ID4037: The key needed "
     "to verify the signature could not be resolved from the following security key identifier "
     "'SecurityKeyIdentifier'. Ensure that the SecurityTokenResolver is populated with the required key.",
     "msg-adfs-id4037-key-not-resolved"),
    ('{"error":"invalid_client","error_description":"MSIS9622: Client authentication failed. Please verify the '
     'credential provided for client authentication is valid."}', "msis-9622"),
    ("Microsoft.IdentityServer.Web.Protocols.OAuth.Exceptions.OAuthClientCredentialAuthenticationException: "
     "MSIS9267: No Client credentials found in the request. Client 'orders-spa' is configured as a confidential "
     "client.", "msis-9267"),
    ("OAuthUnauthorizedClientException: MSIS9321: Received invalid OAuth request. The client 'orders-web' is "
     "forbidden to access the resource 'https://orders.example.com/api'.", "msis-9321"),
    ("OAuthInvalidResourceException: MSIS9329: Received invalid OAuth authorization request. The 'resource' "
     "parameter's value does not correspond to any valid registered relying party. Received resource: "
     "'https://crm.example.com/org'.", "msis-9329"),
    ("MSIS9602: The received 'resource' parameter is invalid. The authorization server can not find a registered "
     "resource with the specified identifier.", "msis-9602"),
    ("OAuthInvalidClientException: MSIS9223: Received invalid OAuth authorization request. The received "
     "'client_id' is invalid as no registered client was found with this client identifier.", "msis-9223"),
    ("MSIS9224: Received invalid OAuth authorization request. The received 'redirect_uri' parameter is not a valid "
     "registered redirect URI for the client identifier: 'orders-spa'.", "msis-9224"),
    ("invalid_token (MSIS9921: Received invalid UserInfo request. Audience 'microsoft:identityserver:orders' in "
     "the access token is not same as the identifier of the UserInfo relying party trust "
     "'urn:microsoft:userinfo'.)", "msis-9921"),
    # -- MSAL ----------------------------------------------------------------------------------------
    ("ClientAuthError: endpoints_resolution_error: Error: could not resolve endpoints. Please check network and "
     "try again. Detail: TypeError: Failed to fetch", "msg-msal-endpoints-resolution"),
    ("ClientConfigurationError: untrusted_authority: The provided authority is not a trusted authority. Please "
     "include this authority in the knownAuthorities config parameter.", "msg-msal-untrusted-authority"),
    ("BrowserConfigurationAuthError: stubbed_public_client_application_called: Stub instance of Public Client "
     "Application was called. If using msal-react, please ensure context is not used without a provider.",
     "msg-msal-react-stub-instance"),
    ("BrowserAuthError: state_interaction_type_mismatch: Hash contains state but the interaction type does not "
     "match the caller.", "msg-msal-redirect-state-lost"),
    ('  File "msal/oauth2cli/oauth2.py", line 241, in obtain_token_by_auth_code_flow\n'
     '    raise ValueError("state missing from auth_code_flow")', "msg-msal-python-session-lost"),
    ("ValueError: state mismatch: KbRmQjtvXDGUePkO vs pWhAUmQvHzysfGND", "msg-msal-python-session-lost"),
    ("process_auth_redirect: security violation ('Failed to match request state with session state',)",
     "msg-msal-python-session-lost"),
    ("MsalClientException: Only loopback redirect uri is supported, but urn:ietf:wg:oauth:2.0:oob was found. "
     "Configure http://localhost or http://localhost:port both during app registration and when you create the "
     "PublicClientApplication object.", "msg-msal-net-loopback-redirect"),
    ("MsalClientException: Unsupported User Type 'Unknown'. Please see https://aka.ms/msal-net-up",
     "msg-msal-net-unknown-user-type"),
    # -- Azure AD B2C ---------------------------------------------------------------------------------
    ("AADB2C90117: The scope 'user.read' provided in the request is not supported.",
     "msg-entra-b2c-scope-not-supported"),
    ("AADB2C90055: The scope 'openid' provided in request must specify a resource, such as "
     "'https://example.com/calendar.read'.", "msg-entra-b2c-scope-needs-resource"),
    ("AADB2C90205: This application does not have sufficient permissions against this web resource to perform "
     "the operation.", "msg-entra-b2c-api-permission-missing"),
    ("AADB2C90057: The provided application is not configured to allow the 'OAuth' Implicit flow.",
     "msg-entra-b2c-implicit-not-enabled"),
    ("AADB2C90077: User does not have an existing session and request prompt parameter has a value of 'None'.",
     "msg-entra-b2c-no-session-prompt-none"),
    ("AADB2C99002: User does not exist. Please sign up before you can sign in.", "msg-entra-b2c-user-does-not-exist"),
    ("AADB2C90080: The provided grant has expired. Please re-authenticate and try again.",
     "msg-entra-b2c-grant-expired"),
    ("AADB2C90037: An error occurred while processing the request. Please contact administrator of the site you "
     "are trying to access.", "msg-entra-b2c-policy-error"),
    # -- Microsoft's SCIM Validator ------------------------------------------------------------------
    ("The value of name.givenName is Missing from the fetched Resource", "msg-entra-scim-validator-missing-attribute"),
    ("SCIM Validation failed. Failed to fetch", "msg-entra-scim-validator-failed-to-fetch"),
    ('SCIM Validation failed. The attribute emails[type eq "work"].display for User is not supported by the SCIM '
     "protocol. Please refer to the SCIM RFC", "msg-entra-scim-validator-unsupported-attribute"),
    ("SCIM API is not compatible with Entra ID Provisioning. Review failed results below.",
     "msg-entra-scim-validator-incompatible"),
    # -- Microsoft.IdentityModel and AD FS, more ----------------------------------------------------
    ("OpenIdConnectProtocolException: IDX10336: Both 'id_token' and 'access_token' should be present in "
     "OpenIdConnectProtocolValidationContext.ProtocolMessage received from Token Endpoint. Cannot process the "
     "message.", "idx-10336"),
    ("Set-AdfsProperties -WIASupportedUserAgents did not include the Chrome user agent", "msg-adfs-wia-not-seamless"),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[expected for _, expected in CASES])
def test_the_message_leads_to_its_entry(kb, text, expected):
    found = [match.entry.id for match in kb.match_text(text)]
    assert found, f"nothing matched {text[:60]!r}"
    # A generic entry (an OIDC state mismatch, an unreachable IdP) may match the same words; the engine
    # then orders the two by product. The Microsoft entry must be among the first two either way.
    assert expected in found[:2], f"{found} for {text[:60]!r}"


UNRELATED = [
    # Ordinary sentences that share words with the patterns above and must not match them.
    "Please update your password manager before the audit.",
    "The account page is locked for editing while the import runs.",
    "Our state machine moved to the next stage without a mismatch.",
    "Go to the App Service plan and scale it to two instances.",
    "We refresh the dashboard every 5 minutes; the token bucket is full.",
    "The authority on this topic is the RFC; the client library is fine.",
    "The ADFS farm was patched on Sunday and works fine.",
]


@pytest.mark.parametrize("text", UNRELATED)
def test_unrelated_text_leads_to_none_of_these_entries(kb, text):
    ours = {expected for _, expected in CASES}
    assert not ours & {match.entry.id for match in kb.match_text(text)}


def test_the_new_entries_are_deep_and_point_at_docs(kb):
    for _, expected in CASES:
        entry = kb.get(expected)
        assert entry is not None and entry.deep, expected
        assert entry.refs and entry.where and entry.collect, expected
