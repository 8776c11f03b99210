"""SP library strings the writers found unread (session 8 reports), each as its library prints it.

Sources: pysaml2 ``saml2/response.py`` ("Not the id I expected", logged when InResponseTo differs from the
request id) and ``saml2/sigver.py`` (SignatureError); ruby-saml's ``ValidationError`` for a response without
a NameID; Spring Security SAML 1.x's ``WebSSOProfileConsumerImpl`` (issue-instant skew check); Keycloak's
event log (``error=cookie_not_found``) is in test_w_idp_recognisers.py.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose

FIRST = [
    ("ERROR saml2.response: Not the id I expected: id-6a1b2c3d != id-9f8e7d6c", "msg-saml-inresponseto"),
    ("OneLogin::RubySaml::ValidationError: SAML response missing 'name_id'", "msg-saml-nameid-missing"),
    ("org.opensaml.common.SAMLException: Response issue time is either too old or with date in the future, "
     "skew 60, time 2026-12-04T10:12:55.000Z", "msg-saml-expired"),
    ("saml2.sigver.SignatureError: Failed to verify signature", "msg-saml-signature-invalid"),
]

# Near texts that must not bring the SAML entries up.
NEAR = [
    ("jwt: failed to verify signature: crypto/rsa: verification error", "msg-saml-signature-invalid"),
    ("the thread id is not the id I expected in the bot", "msg-saml-inresponseto"),
]


@pytest.mark.parametrize(("text", "expected"), FIRST)
def test_the_library_string_leads_to_its_entry(text, expected):
    assert [f.code for f in diagnose(text).findings][0] == expected


@pytest.mark.parametrize(("text", "unwanted"), NEAR)
def test_near_text_does_not_lead_there(text, unwanted):
    assert unwanted not in [f.code for f in diagnose(text).findings][:1]



# Auth0 leftovers from the w-auth0 survey: openid-client's issuer check against a tenant domain when the app
# expects the custom domain; a bare 401 body is no Action's denial, one with its description is.
@pytest.mark.parametrize(("text", "expected"), [
    ("RPError: unexpected iss value, expected https://login.example.com/, got: https://acme.eu.auth0.com/",
     "msg-auth0-id-token-iss-mismatch"),
    ('{"error":"unauthorized","error_description":"Access denied by the login action"}', "msg-auth0-rule-denied"),
])
def test_auth0_strings_lead_to_their_entry(text, expected):
    assert [f.code for f in diagnose(text).findings][0] == expected


def test_a_bare_unauthorized_body_is_not_an_action_denial():
    found = [f.code for f in diagnose('{"statusCode":401,"error":"Unauthorized","message":"Invalid token"}').findings]
    assert "msg-auth0-rule-denied" not in found
