"""The order rules of ``diagnosis`` (its docstring, "How the order is decided"): each test holds a paste built
for one rule, whose order would differ without it."""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose
from bot.diagnostics.engine import diagnosis as engine
from bot.diagnostics.engine.candidates import Evidence, Paste, from_entry
from bot.diagnostics.engine.tiers import YIELD_RANKED, explains, flows
from bot.knowledge import load_knowledge
from tests.unit.diagnostics.engine.test_engine_helpers import assert_wellformed, codes, no_reader_errors
from tests.unit.diagnostics.strategies import make_jwt


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def run(text, now):
    with no_reader_errors():
        report = diagnose(text, now=now)
    assert_wellformed(report)
    return report


# --------------------------------------------------------------------------- rule 1: statuses never decide alone

_SCIM_401 = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401","detail":"Unauthorized"}'


def test_a_status_read_out_of_a_scim_error_body_is_only_modestly_sure(now):
    # Read as a code it was 0.95 sure, as sure as an AADSTS code with notes.
    report = run(_SCIM_401, now)
    assert codes(report) == ["http-401-scim"]
    assert report.findings[0].confidence == pytest.approx(0.55)


def test_a_status_read_out_of_a_body_does_not_stop_the_ranking_of_the_words_beside_it(now):
    # As a decisive code it stood alone; the words say which 401 it is.
    found = codes(run(_SCIM_401 + "\nprovisioning of users stopped after the secret token was rotated", now))
    assert found[0] == "http-401-scim"
    assert "msg-scim-token-invalid" in found[:3]


def test_a_status_follows_the_check_that_explains_it(now):
    # The trailing-slash warning names the SCIM 404 among its related entries: it leads, the status follows
    # (by tier alone the failed status led the warning).
    found = codes(run("Tenant URL https://scim.acme.io/scim/v2/ returns 404", now))
    assert found[:2] == ["scim-url-trailing-slash", "http-404-scim"]


def test_a_status_still_leads_an_umbrella_that_only_frames_it(now):
    found = codes(run("Okta Test API Credentials failed: HTTP 401", now))
    assert found[:2] == ["http-401-scim", "okta-msg-test-api-credentials-failed"]


def test_an_entry_explains_the_status_it_names_or_usually_comes_with(kb):
    status = kb.get("http-429")
    assert explains(kb.get("okta-E0000047"), status)  # Okta's rate limit: http_status 429
    assert explains(kb.get("entra-prov-TooManyRequests"), status)  # names http-429 among its related
    assert not explains(kb.get("okta-E0000064"), status)  # a 401 one
    assert explains(kb.get("scim-url-trailing-slash"), kb.get("http-404-scim"))


# --------------------------------------------------------------------------- rule 2: our own checks follow recognitions

def _expired_token_and(message):
    token = make_jwt({"iss": "https://login.example.com", "aud": "api://app", "sub": "x",
                      "iat": 1599990000, "nbf": 1599990000, "exp": 1600000000})
    return f"Authorization: Bearer {token}\n{message}"


def test_a_check_follows_an_error_message_it_does_not_explain(now):
    # By tier the failed token check (expired) led the message the IdP printed.
    text = _expired_token_and("The reply URL specified in the request does not match the reply URLs configured "
                              "for the application")
    assert codes(run(text, now))[:2] == ["msg-reply-url-mismatch", "token-expired"]


def test_two_checks_do_not_take_both_leading_places(now):
    # The trailing slash warning and the note on a generic SCIM URL led together before the SCIM base URL entry.
    found = codes(run("Tenant URL https://scim.acme.io/scim/v2/", now))
    assert found == ["scim-url-trailing-slash", "scim-base-url", "scim-url-generic"]


def test_a_lone_check_still_leads(now):
    found = codes(run(_expired_token_and(""), now))
    assert found[0] == "token-expired"


# --------------------------------------------------------------------------- rule 3: one protocol's messages

def test_a_saml_message_goes_down_in_a_paste_that_shows_only_oauth(now):
    # "invalid signature" is a SAML message's wording; the paste is about a bearer token (it led before).
    text = "Calling our API with a bearer access_token fails with 401 Unauthorized: invalid signature"
    assert codes(run(text, now))[:2] == ["http-401", "msg-saml-signature-invalid"]


def test_an_oidc_message_goes_down_in_a_paste_that_shows_only_saml(now):
    text = "SAML sign-in to the app fails with HTTP 400 Bad Request: token used too early"
    assert codes(run(text, now))[:2] == ["http-400", "msg-jwt-clock-skew"]


def test_a_paste_that_shows_both_protocols_keeps_the_message_first(now):
    text = "SAML and OIDC apps: bearer access_token fails with 401 Unauthorized: invalid signature"
    assert codes(run(text, now))[0] == "msg-saml-signature-invalid"


def test_the_protocols_a_paste_shows(now):
    assert flows("<samlp:response> ... relaystate=abc", ()) == {"saml"}
    assert flows("the id_token is rejected", ()) == {"oidc"}
    assert flows("something failed", ("jwt",)) == {"oidc"}
    assert flows("something failed", ()) == frozenset()


# --------------------------------------------------------------------------- rule 4: ranked guesses and statuses

def _ranked_and_status(kb, sure):
    guess = from_entry(kb.get("symptom-groups-not-synced"), Evidence.RANKED, 0, confidence=sure)
    status = from_entry(kb.get("http-400"), Evidence.HTTP, 40)
    paste = Paste(kb=kb, scan="", words="", lowered="")
    return [c.code for c in engine._ordered([status, guess], paste=paste)]


def test_a_very_sure_ranked_guess_leads_a_status(kb):
    assert _ranked_and_status(kb, YIELD_RANKED + 0.05) == ["symptom-groups-not-synced", "http-400"]


def test_a_ranked_guess_below_the_bar_follows_the_status(kb):
    assert _ranked_and_status(kb, YIELD_RANKED - 0.05) == ["http-400", "symptom-groups-not-synced"]



def test_a_sure_guess_that_only_restates_the_status_follows_it(kb):
    # "502 right after login" names the 502: the status the paste printed stays first.
    guess = from_entry(kb.get("symptom-502-after-login"), Evidence.RANKED, 0, confidence=YIELD_RANKED + 0.05)
    status = from_entry(kb.get("http-502-sso"), Evidence.HTTP, 40)
    paste = Paste(kb=kb, scan="", words="", lowered="")
    assert [c.code for c in engine._ordered([guess, status], paste=paste)] == ["http-502-sso",
                                                                                "symptom-502-after-login"]


# --------------------------------------------------------------------------- a warned status is a problem

def test_a_status_that_warns_comes_before_the_ranked_guesses(kb):
    # 429 is a warning the server printed: direct evidence, like a warned code (it came after the guesses).
    guess = from_entry(kb.get("scim-throttling"), Evidence.RANKED, 0, confidence=0.4)
    status = from_entry(kb.get("http-429"), Evidence.HTTP, 40)
    assert status.finding.severity.value == "warn"
    assert [c.code for c in engine._ordered([guess, status])] == ["http-429", "scim-throttling"]


def test_a_status_only_moves_down_to_its_explainer(kb):
    # The code explains the 409 and leads; the status keeps its own tier after the message, rather than
    # being pulled up right after the code.
    code = from_entry(kb.get("okta-E0000062"), Evidence.CODE, 0)
    status = from_entry(kb.get("http-409-scim"), Evidence.HTTP, 10)
    message = from_entry(kb.get("scim-target-unsupported"), Evidence.MESSAGE, 20)
    assert explains(code.entry, status.entry)
    paste = Paste(kb=kb, scan="", words="", lowered="")
    ordered = engine._ordered([code, status, message], paste=paste)
    assert [c.code for c in ordered] == ["okta-E0000062", "scim-target-unsupported", "http-409-scim"]
