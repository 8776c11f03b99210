"""Leftover items of session 5: Entra's generic error page, plain words for two AADSTS codes, product signs.

Each case runs the whole engine (or the knowledge base's matcher) on text as the software prints it or
as people say it, and checks which entry answers first or within the first two findings; the look-alike
cases check that an entry stays out where it adds nothing.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose
from bot.knowledge import load_knowledge

_BANNER = "Sorry, but we're having trouble signing you in."
_IDS = ("Request Id: 1b2c3d4e-0000-4000-8000-1234567890ab\n"
        "Correlation Id: 9f8e7d6c-0000-4000-8000-1234567890ab\n"
        "Timestamp: 2026-12-03T10:00:00.000Z")
_PAGE = "msg-entra-generic-signin-error-page"


def _ids(text: str, limit: int | None = None) -> list[str]:
    return [finding.code for finding in diagnose(text).findings[:limit]]


@pytest.mark.parametrize("text", [
    _BANNER,
    f"{_BANNER}\n\n{_IDS}",
    f"{_BANNER.replace(chr(39), chr(8217))}\n\nTroubleshooting details\n{_IDS}",  # the page's curly apostrophe
    "users get sorry, but we are having trouble signing you in from the Microsoft login page",
])
def test_the_banner_without_a_code_points_at_the_aadsts_line(text: str) -> None:
    assert _ids(text, 1) == [_PAGE]


@pytest.mark.parametrize("text, code", [
    # a code the entry names among its related, and codes it does not name, under the banner
    (f"{_BANNER}\nAADSTS50011: The redirect URI 'https://app.example.com/cb' specified in the request does not "
     f"match the redirect URIs configured for the application.\n{_IDS}", "aadsts-50011"),
    (f"{_BANNER}\nAADSTS50058: A silent sign-in request was sent but no user is signed in.\n{_IDS}", "aadsts-50058"),
    (f"{_BANNER}\n\nTroubleshooting details\n{_IDS}\nMessage: AADSTS90099: The application has not been "
     "authorized in the tenant.", "aadsts-90099"),
    # a code above the banner, among those the page most often hides
    (f"AADSTS50105: The signed in user is not assigned to a role for the application.\n{_BANNER}", "aadsts-50105"),
])
def test_the_banner_stays_out_when_the_paste_carries_the_code(text: str, code: str) -> None:
    found = _ids(text)
    assert found[0] == code
    assert _PAGE not in found


def test_other_microsoft_pages_do_not_bring_up_the_banner_entry() -> None:
    kb = load_knowledge()
    assert _PAGE not in {m.entry.id for m in kb.match_text("We couldn't find an account with that username.")}
    assert _PAGE in {m.entry.id for m in kb.match_text(_BANNER)}


@pytest.mark.parametrize("text, code", [
    ("recreated the app registration and now the id token implicit setting is gone", "aadsts-700054"),
    ("app service authentication needs id tokens ticked in the app registration", "aadsts-700054"),
    ("entra says the federation realm our okta sends is unknown", "aadsts-50107"),
])
def test_plain_words_find_the_aadsts_code_they_describe(text: str, code: str) -> None:
    assert code in _ids(text, 2)


@pytest.mark.parametrize("text, shows_keycloak", [
    # Entra's AADSTS50107 names a federated domain's issuer, not a Keycloak realm
    ("AADSTS50107: The requested federation realm object 'http://www.okta.com/exk1a2b3c4' does not exist.", False),
    ("entra says the federation realm our idp sends is not known", False),
    ("wtrealm=urn:federation:MicrosoftOnline", False),
    # a realm in any other words is still Keycloak's
    ("users in the master realm cannot sign in", True),
    ("the federation realm is fine but the realm settings of our app are not", True),
    ("Realm settings → Login → user registration", True),
])
def test_keycloak_realm_sign_leaves_out_entra_federation_realm(text: str, shows_keycloak: bool) -> None:
    from bot.knowledge.products import products_in
    assert ("keycloak" in products_in(text.lower())) is shows_keycloak


def test_502_after_login_names_the_proxy_header_buffer_too() -> None:
    # nginx's "upstream sent too big header" is as common a cause of a 502 after sign-in as a bad client secret
    kb = load_knowledge()
    entry = kb.get("symptom-502-after-login")
    assert "msg-proxy-header-too-big" in entry.related
    assert any("proxy_buffer_size" in step for step in entry.fix)
    found = _ids("502 bad gateway right after login", 3)
    assert found.index("msg-proxy-header-too-big") == found.index("symptom-502-after-login") + 1


@pytest.mark.parametrize("text, where", [
    # Amazon Cognito's hosted UI: /error?error=redirect_mismatch (Cognito developer guide, authorization endpoint)
    ("https://auth.example.auth.us-east-1.amazoncognito.com/error?error=redirect_mismatch&client_id=abc",
     "Allowed callback URLs"),
    # GitHub's OAuth error page (docs: Troubleshooting authorization request errors, redirect_uri_mismatch)
    ("The redirect_uri MUST match the registered callback URL for this application.", "Authorization callback URL"),
])
def test_redirect_mismatch_gives_the_fix_for_the_provider_that_printed_it(text: str, where: str) -> None:
    kb = load_knowledge()
    assert "msg-reply-url-mismatch" in {m.entry.id for m in kb.match_text(text)}
    assert any(where in step for step in kb.get("msg-reply-url-mismatch").fix)


@pytest.mark.parametrize("text, first", [
    # jsonwebtoken lib/verify.js: 'jwt issuer invalid. expected: ' + options.issuer; express-jwt passes it on
    ("UnauthorizedError: jwt issuer invalid. expected: https://login.microsoftonline.com/"
     "11111111-2222-3333-4444-555555555555/v2.0", "msg-jwt-api-issuer-invalid"),
    ("JsonWebTokenError: jwt issuer invalid. expected: https://idp.example.com/oauth2/default",
     "msg-jwt-api-issuer-invalid"),
    # an Auth0 tenant's issuer stays with the Auth0-scoped entry
    ("UnauthorizedError: jwt issuer invalid. expected: https://acme.eu.auth0.com", "msg-auth0-api-issuer-mismatch"),
])
def test_jwt_issuer_invalid_is_answered_for_any_idp(text: str, first: str) -> None:
    assert _ids(text, 1) == [first]


def test_jwt_issuer_entry_leaves_other_issuer_messages_alone() -> None:
    kb = load_knowledge()
    assert "msg-jwt-api-issuer-invalid" not in {m.entry.id for m in kb.match_text("jwt audience invalid. expected: api://x")}


@pytest.mark.parametrize("inflected, listed", [
    ("users were signing in", "user login"),
    ("accounts logged out", "account logout"),
    ("groups synced", "group provisioning"),
    ("expired certificates and cookies", "expired certificate cookie"),
])
def test_inflected_forms_fold_like_the_one_form_the_lexicon_lists(inflected: str, listed: str) -> None:
    # The lexicon lists one form of each word; the ranker folds the others through their stems.
    from bot.diagnostics.engine.rank import ranker
    rank = ranker(load_knowledge())
    assert rank.words(inflected) == rank.words(listed)
