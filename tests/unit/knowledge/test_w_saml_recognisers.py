"""SAML service-provider messages from a survey of public threads (session 8), recognised as printed.

Each case is a message as the library or app prints it (its source named beside it; placeholders filled
with example values). ``FIRST`` runs it through ``KnowledgeBase.match_text``, the way the engine reads a
paste, and wants the entry that holds the cause first; ``TOP_TWO`` runs the whole engine (``diagnose``) and
wants the entry among the first two findings, the bar an answer is judged by. ``NEAR`` holds look-alike
text that must not bring the entry up.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose

# (message as printed, entry that must come first, where the string comes from)
FIRST = [
    ("[ERROR][saml2.response] destination 'https://app.example.com/saml/acs' not in return addresses "
     "'['http://app.example.com/saml/acs']'", "msg-saml-sp-url-misdetected", "pysaml2 response.py"),
    ("[ERROR][saml2.response] https://app.example.com/saml/callback not in ['http://app.example.com/saml/callback']",
     "msg-saml-sp-url-misdetected", "pysaml2 response.py (older releases)"),
    ("SAML message delivered with POST to incorrect server URL.", "msg-saml-sp-url-misdetected",
     "Shibboleth SP CommonErrors"),
    ("Invalid assertion consumer service URL", "msg-saml-acs-not-registered", "Shibboleth IdP error page"),
    ("ERROR XMLTooling.Decrypter: Unable to resolve any key decryption keys.", "msg-saml-decrypt-failed",
     "Shibboleth SP shibd.log"),
    ("Saml2AuthenticationException: [malformed_response_data] Unable to inflate string",
     "msg-saml-response-malformed", "Spring Security Saml2AuthenticationException"),
    ("Login failed: Corresponding relay state was not found", "msg-saml-idp-initiated-rejected",
     "Grafana SAML troubleshooting"),
    ("WARN Shibboleth.SessionInitiator.SAML2 [1]: unable to locate metadata for provider "
     "(https://idp.example.org/idp/shibboleth)", "msg-saml-sp-idp-metadata-missing", "Shibboleth SP shibd.log"),
    # New entries (bot/knowledge/data/saml_sp_survey.toml)
    ("client_error: No active session(s) found matching LogoutRequest", "msg-saml-logout-session-not-matched",
     "Auth0 LogoutResponse status message"),
    ("Missing SessionIndex: session participants MUST include at least one <SessionIndex> element in the logout "
     "request", "msg-saml-logout-session-not-matched", "SimpleSAMLphp IdP StatusMessage"),
    ("Invalid Session Participant", "msg-saml-logout-session-not-matched", "saml-idp (Node) SLO handler"),
    ("OneLogin_Saml2_Error: Trying to sign the SAML Request but can't load the SP private key.",
     "msg-saml-sp-signing-key-unusable", "python3-saml utils.py add_sign / auth.py"),
    ("Cannot sign metadata: missing SP private key.", "msg-saml-sp-signing-key-unusable", "php-saml Settings.php"),
    ("saml2.sigver.XmlsecError: returncode=1\nerror=Signature status: FAILED\nFailure reason: KEY-NOT-FOUND\n"
     "Error: failed to sign file \"/tmp/tmpipdsmmnp.xml\"", "msg-saml-sp-signing-key-unusable",
     "pysaml2 sigver.py running xmlsec1 --sign"),
    ("Error: options.privateKey is required", "msg-saml-sp-signing-key-unusable", "node-saml saml.ts signing"),
    ("Can't connect to listener process", "msg-shibboleth-shibd-unreachable", "Shibboleth SP CommonErrors (SELinux)"),
    ("GET https://sp.example.org/Shibboleth.sso/SAML2/POST 404 Not Found", "msg-shibboleth-handler-not-reached",
     "Apache access log with the handler proxied to the app"),
    ("the NameID changes on every login, so the app creates a new account", "msg-saml-nameid-changes-each-login",
     "omniauth-saml / GitLab thread wording"),
    ('Started GET "/auth/failure?message=invalid_ticket&strategy=saml" for 10.0.0.5',
     "msg-omniauth-saml-invalid-ticket", "omniauth-saml failure redirect (Redmine, GitLab logs)"),
    ('Could not authenticate you from SAML because "Invalid ticket".', "msg-omniauth-saml-invalid-ticket",
     "GitLab sign-in page"),
    ("Authentication failure! invalid_ticket: OneLogin::RubySaml::ValidationError, Fingerprint mismatch",
     "msg-saml-fingerprint-mismatch", "ruby-saml's reason leads over the omniauth wrapper"),
    ("Error: Expected 1 EncryptedAssertion; found 0", "msg-saml-assertion-not-encrypted",
     "saml2-js (Clever) without allow_unencrypted_assertion"),
    ("SAML: Cannot initialize saml SP properly, missing SpCert in the config", "msg-saml-sp-signing-key-unusable",
     "Rancher SAML auth provider"),
    # Library strings read from the sources (node-saml src/saml.ts, pysaml2 response.py and mdstore.py,
    # djangosaml2 views.py, ruby-saml response.rb)
    ("Error: Invalid query signature", "msg-saml-logout-signature-invalid", "node-saml validateRedirect"),
    ("[ERROR] saml2.response: No valid recipient", "msg-saml-subject-confirmation-failed", "pysaml2 response.py"),
    ("ERROR saml2.mdstore Unknown system entity: https://idp.example.org/idp", "msg-saml-sp-idp-metadata-missing",
     "pysaml2 mdstore.py"),
    ("Entity descriptor (entity id:https://idp.example.org/idp) too old", "msg-saml-sp-idp-metadata-missing",
     "pysaml2 mdstore.py (validUntil passed)"),
    ("WARNING The RelayState parameter exists but is empty", "msg-saml-relaystate-missing", "djangosaml2 views.py"),
    ("WARNING Missing Authentication Context from IdP.", "msg-saml-noauthncontext", "djangosaml2 views.py"),
    ("invalid_ticket: OneLogin::RubySaml::ValidationError, Blank response", "msg-saml-acs-body-not-parsed",
     "ruby-saml response.rb"),
    ("No SAMLResponse or SAMLRequest parameter found", "msg-saml-acs-body-not-parsed", "djangosaml2 views.py"),
    # SimpleSAMLphp's saml2 library (src/SAML2/Binding.php, HTTPRedirect.php, Utils.php) and php-saml
    ("Missing SAMLRequest or SAMLResponse parameter.", "msg-saml-acs-body-not-parsed", "saml2 Binding.php"),
    ("SimpleSAML\\Error\\Error: Unable to find the SAML 2 binding used for this request.",
     "msg-saml-acs-body-not-parsed", "saml2 Binding::getCurrentBinding"),
    ("Error while inflating SAML message.", "msg-saml-response-malformed", "saml2 HTTPRedirect.php"),
    ("Unable to load validating public key from PEM string.", "msg-saml-idp-cert-not-configured", "saml2 Utils.php"),
    ("SAML LogoutRequest/LogoutResponse not found. Only supported HTTP_REDIRECT Binding",
     "msg-saml-binding-not-enabled", "php-saml Auth::processSLO"),
    ("Element '{http://www.w3.org/2000/09/xmldsig#}X509Certificate': 'sp.crt' is not a valid value of the atomic "
     "type 'xs:base64Binary'.", "msg-saml-sp-signing-key-unusable", "python3-saml metadata validation"),
    ("Caused by: java.security.SignatureException: Signature length not correct: got 512 but was expecting 256",
     "msg-idp-signing-cert-rollover", "JDK RSASignature via Keycloak SamlProtocolUtils (4096-bit key, 2048-bit cert)"),
    # pac4j (Jenkins SAML plugin) and pysaml2
    ("org.pac4j.saml.exceptions.SAMLException: No valid subject assertion found in response",
     "msg-saml-subject-confirmation-failed", "pac4j SAML2DefaultResponseValidator"),
    ("org.pac4j.saml.exceptions.SAMLException: Signature is not trusted", "msg-idp-signing-cert-rollover",
     "pac4j SAML2DefaultResponseValidator.validateSignature"),
    ("org.pac4j.saml.exceptions.SAMLEndpointMismatchException: SAML configuration does not allow response "
     "Destination to be null", "msg-saml-destination-required", "pac4j AbstractSAML2ResponseValidator.verifyEndpoint"),
    ("ValueError: Missing assertion", "msg-saml-no-assertion", "pysaml2 response.py get_subject"),
    ("Sustainsys.Saml2.Exceptions.NoSamlResponseFoundException: No Saml2 Response found in the http request.",
     "msg-saml-acs-body-not-parsed", "Sustainsys.Saml2 v2 AcsCommand"),
    # ComponentSpace, Moodle auth_saml2 (SimpleSAMLphp inside)
    ("ComponentSpace.SAML2.SAMLBindingException: The form is missing the variable SAMLResponse",
     "msg-saml-acs-body-not-parsed", "ComponentSpace HTTPPostBinding"),
    ("ComponentSpace.SAML2.Exceptions.SAMLCertificateException: The X.509 certificate could not be loaded from the "
     "file C:\\inetpub\\app\\sp.pfx. ---> System.Security.Cryptography.CryptographicException: The specified network "
     "password is not correct.", "msg-saml-sp-signing-key-unusable", "ComponentSpace loading LocalCertificateFile"),
    ("Exception - Failure Signing Data: error:23077074:PKCS12 routines:PKCS12_pbe_crypt:pkcs12 cipherfinal error",
     "msg-saml-sp-signing-key-unusable", "Moodle auth_saml2 with a legacy PKCS#12"),
    ("SAML2 exception: BADREQUEST('%REASON%' => 'Invalid message received at AssertionConsumerService endpoint.')",
     "msg-saml-no-assertion", "SimpleSAMLphp saml module ACS (a LogoutResponse posted to it)"),
    ("You have logged in succesfully but we could not find your 'uid' attribute to associate you to an account in "
     "Moodle.", "msg-saml-attribute-statement-missing", "Moodle auth_saml2"),
    # ITfoxtec.Identity.Saml2 (Saml2PostBinding, Saml2RedirectBinding, Saml2SignedXml, Saml2Request)
    ("ITfoxtec.Identity.Saml2.Saml2BindingException: HTTP Form does not contain SAMLResponse",
     "msg-saml-acs-body-not-parsed", "Saml2PostBinding.Read"),
    ("Saml2BindingException: Not POST binding (HTTP POST).", "msg-saml-acs-body-not-parsed",
     "Saml2PostBinding on a GET to the ACS"),
    ("Saml2BindingException: Not redirect binding (HTTP GET).", "msg-saml-binding-not-enabled",
     "Saml2RedirectBinding on a POSTed logout message"),
    ("No matching public key present in Signature Validation Certificate for signature method "
     "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256.", "msg-idp-signing-cert-rollover", "Saml2SignedXml"),
    ("No RSA Private Key present in Decryption Certificates or missing private key read credentials.",
     "msg-saml-decrypt-failed", "Saml2AuthnResponse decryption"),
    ("No matching private key present in Signing Certificate or missing private key read credentials.",
     "msg-saml-sp-signing-key-unusable", "Saml2SignedXml signing"),
    # Settings and metadata the SP never got (samlify src/*.ts, ruby-saml idp_metadata_parser.rb, python3-saml
    # settings.py, Spring Security OpenSamlMetadataAssertingPartyDetailsConverter)
    ("Error: ERR_IDP_METADATA_MISSING_SINGLE_SIGN_ON_SERVICE", "msg-saml-sp-idp-metadata-missing", "samlify"),
    ("ArgumentError: idp_metadata must contain an IDPSSODescriptor element", "msg-saml-sp-idp-metadata-missing",
     "ruby-saml IdpMetadataParser"),
    ("OneLogin_Saml2_Error: Invalid dict settings: idp_sso_not_found", "msg-saml-sp-idp-metadata-missing",
     "python3-saml settings.py"),
    ("Saml2Exception: Metadata response is missing the necessary IDPSSODescriptor element",
     "msg-saml-sp-idp-metadata-missing", "Spring Security RelyingPartyRegistrations.fromMetadataLocation"),
    ("Invalid dict settings: idp_cert_or_fingerprint_not_found_and_required", "msg-saml-idp-cert-not-configured",
     "python3-saml settings.py"),
    ("Invalid dict settings: sp_cert_not_found_and_required", "msg-saml-sp-signing-key-unusable",
     "python3-saml settings.py"),
    ("Error: ERR_NO_REDIRECT_SSO_ENDPOINT", "msg-saml-binding-not-enabled", "samlify"),
    ("Error: ERR_UNDEFINED_ENCRYPTED_ASSERTION", "msg-saml-assertion-not-encrypted", "samlify"),
    # Shibboleth SP and IdP (shibd.log lines and error pages listed in the SP's CommonErrors)
    ("WARN Shibboleth.SSO.SAML2: detected a problem with assertion: Assertion contains an address that doesn't "
     "match the client", "msg-shibboleth-address-mismatch", "Shibboleth SP"),
    ("ERROR XMLTooling.ParserPool: fatal error on line 0, column 0, message: unable to open primary document entity "
     "'/etc/shibboleth/idp-metadata.xml'", "msg-saml-sp-idp-metadata-missing", "Shibboleth SP MetadataProvider"),
    ("shibsp::ConfigurationException: None of the configured SessionInitiators handled the request.",
     "msg-saml-sp-idp-metadata-missing", "Shibboleth SP without entityID or discoveryURL"),
    ("Message did not meet security requirements", "msg-shibboleth-idp-message-security-error",
     "Shibboleth IdP error page"),
    ("Unable to locate satisfactory key for decryption", "msg-saml-decrypt-failed", "Shibboleth SP"),
    # python3-saml / php-saml (response.py, utils.py)
    ("OneLogin_Saml2_Error: Private Key is required in order to decrypt the NameID, check settings",
     "msg-saml-decrypt-failed", "python3-saml response.py"),
    ("No KeyInfo present, invalid Assertion", "msg-saml-decrypt-failed", "python3-saml utils.py decrypt_element"),
    ("The NameID of the Response is not encrypted and the SP require it", "msg-saml-assertion-not-encrypted",
     "python3-saml response.py"),
    ("Missing Status on response", "msg-saml-response-malformed", "python3-saml response.py"),
]

# (text as people post it, entry that must be among the first two findings, what the thread confirmed)
TOP_TWO = [
    ("Azure signs only the assertion, not the top-level Response, and passport-saml rejects it",
     "msg-node-saml-response-signature-required", "passport-saml: response signature required since 4.x"),
    ("Shibboleth Error: opensaml::BindingException Cannot connect to shibd process, a site adminstrator should be "
     "notified.", "msg-shibboleth-shibd-unreachable", "Shibboleth SP error page"),
    ("GitLab creates a new user every time I log in with SAML, the NameID is different every time",
     "msg-saml-nameid-changes-each-login", "transient NameID keyed as the user's id"),
    # An exact message with the environment around it: the cause its cues point at comes second.
    ("python3-saml behind nginx: A valid SubjectConfirmation was not found on this Response",
     "msg-proxy-tls-termination", "Recipient built from the internal http URL"),
    ('Could not authenticate you from SAML because "Invalid ticket". GitLab is behind an nginx reverse proxy',
     "msg-proxy-tls-termination", "ACS URL seen as http behind the proxy"),
]

# (look-alike text, entry it must not bring up)
NEAR = [
    ("user alice not in return group list", "msg-saml-sp-url-misdetected"),
    ("the relay station was not found on the map", "msg-saml-idp-initiated-rejected"),
    ("unable to inflate the balloon", "msg-saml-response-malformed"),
    ("the session index page is missing a title", "msg-saml-logout-session-not-matched"),
    ("cannot connect to the database process", "msg-shibboleth-shibd-unreachable"),
    ("GET /static/app.js 404 Not Found", "msg-shibboleth-handler-not-reached"),
    ("the private key is required for TLS on port 443", "msg-saml-sp-signing-key-unusable"),
    ("the lottery ticket was invalid_ticket_number 42", "msg-omniauth-saml-invalid-ticket"),
    ("no valid recipients were given for the newsletter", "msg-saml-subject-confirmation-failed"),
    ("the mail destination cannot be null in this form", "msg-saml-destination-required"),
]


def _ids(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


@pytest.mark.parametrize(("text", "expected", "source"), FIRST, ids=[c[1] + ":" + c[2] for c in FIRST])
def test_the_message_as_printed_leads_to_its_entry(kb, text, expected, source):
    ids = _ids(kb, text)
    assert ids and ids[0] == expected, f"{source}: {ids}"


@pytest.mark.parametrize(("text", "expected", "source"), TOP_TWO, ids=[c[1] for c in TOP_TWO])
def test_the_cause_is_among_the_first_two_findings(now, text, expected, source):
    codes = [f.code for f in diagnose(text, now=now).findings]
    assert expected in codes[:2], f"{source}: {codes}"


@pytest.mark.parametrize(("text", "entry_id"), NEAR)
def test_look_alike_text_does_not_bring_the_entry_up(kb, text, entry_id):
    assert entry_id not in _ids(kb, text)
