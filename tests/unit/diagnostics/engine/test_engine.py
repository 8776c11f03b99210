"""The diagnosis engine: what it recognises, how it orders findings, and that it never raises."""

from __future__ import annotations

import json
import logging
import random

import pytest

from bot.diagnostics.engine import diagnosis as engine
from bot.diagnostics.engine import MAX_INPUT_CHARS, UMBRELLAS, diagnose, phrase_matches
from bot.diagnostics.report import Severity
from bot.knowledge import load_knowledge
from tests.unit.diagnostics.engine.test_engine_helpers import assert_wellformed, codes, no_reader_errors
from tests.unit.diagnostics.strategies import PATHOLOGICAL, make_jwt


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def run(text, now=None, **kwargs):
    with no_reader_errors():
        report = diagnose(text, now=now, **kwargs)
    assert_wellformed(report)
    return report


# --------------------------------------------------------------------------- ordering


def test_an_error_code_outranks_the_http_status_around_it(now):
    text = '401 Unauthorized: {"error":"invalid_client","error_description":"AADSTS7000222: The provided client ' \
           'secret keys for app are expired."}'
    assert codes(run(text, now))[:3] == ["aadsts-7000222", "oauth-invalid_client", "http-401-sso"]


def test_an_unknown_code_still_comes_before_a_generic_status(now):
    # We have no notes on this code (a shallow 'warn' entry), yet the IdP named it: it leads.
    found = codes(run("AADSTS9999999 and the app shows HTTP 401", now))
    assert found[0] == "aadsts-9999999"
    assert "http-401-sso" in found


def test_a_message_naming_the_cause_outranks_the_status(now):
    text = ("400 Bad Request\nError Code: invalid_request\nDescription: The 'redirect_uri' parameter must be a "
            "Login redirect URI in the client app settings")
    assert codes(run(text, now)) == ["msg-okta-redirect-uri-not-registered", "oauth-invalid_request", "http-400"]


def test_umbrella_messages_follow_the_reason_they_carry(now):
    text = ("Automatic provisioning of user Ana to app Airia failed: Error while creating user ana@example.com: "
            "Conflict. Errors reported by remote server: user already exists")
    found = codes(run(text, now))
    assert found[0] == "okta-msg-remote-conflict"
    assert found.index("http-409-scim") < found.index("okta-msg-automatic-provisioning-failed")
    assert set(found[-2:]) <= UMBRELLAS


def test_a_warning_from_a_check_waits_for_a_failure(now):
    # The base URL's trailing slash is worth a warning, but the 401 is why provisioning stopped.
    text = "SCIM https://app.example.com/auth/realms/acme/org/3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim/v2/ returns 401"
    found = run(text, now).findings
    assert found[0].code == "http-401-scim"
    assert any(f.code.startswith("scim-url-") and f.severity is Severity.WARN for f in found[1:])


def test_the_precise_redirect_difference_comes_before_the_summary(now):
    text = "registered https://app.example.com/cb, app sends https://app.example.com/cb/"
    found = codes(run(text, now))
    assert found[0] == "redirect-trailing-slash" and found.index("redirect-mismatch") > 0


def test_a_summary_that_restates_the_lead_leaves_the_second_place_to_its_likely_cause(now):
    # "The scheme differs" and "the URIs differ" say one thing; the proxy that ends TLS is why.
    found = codes(run("registered https://app.example.com/cb, app sends http://app.example.com/cb", now))
    assert found[:3] == ["redirect-scheme", "msg-proxy-tls-termination", "redirect-mismatch"]


def test_problems_come_before_notes(now):
    report = run("AADSTS50105 " + make_jwt({"exp": 4102444800, "iss": "https://idp.example"}), now)
    ranks = [f.severity.rank for f in report.findings]
    problems = [r for r in ranks if r >= Severity.WARN.rank]
    assert ranks[: len(problems)] == problems


# --------------------------------------------------------------------------- what it reads


@pytest.mark.parametrize(("text", "first"), [
    ("AADSTS50011", "aadsts-50011"),
    ("aadsts50105", "aadsts-50105"),
    ("Sign-in error code     53003\nFailure reason   Access has been blocked by Conditional Access policies.",
     "aadsts-53003"),
    ('{"ResultType": "50126", "note": "from Log Analytics"}', "aadsts-50126"),
    ("E0000011", "okta-E0000011"),
    ("errorCode EntryConflict", "entra-prov-EntryConflict"),
    ("ErrorCode: ContosoSystemForCrossDomainIdentityManagementUnauthorized",
     "entra-prov-SystemForCrossDomainIdentityManagementUnauthorized"),
    ('"scimType": "uniqueness"', "scim-type-uniqueness"),
    ("eventType app.generic.unauth_app_access_attempt", "okta-event-app_generic_unauth_app_access_attempt"),
    ("error=invalid_grant", "oauth-invalid_grant"),
    ("401", "http-401"),
    ("401 from the SCIM endpoint", "http-401-scim"),
    ("we get a 502 after login", "http-502-sso"),
    ("users are not showing up in the app", "symptom-users-not-provisioned"),
])
def test_recognises(text, first, now):
    assert codes(run(text, now))[0] == first


def test_an_unknown_bare_number_is_not_called_an_entra_code(now):
    assert codes(run("error code 12345 on the page", now)) == ["engine-menu"]


def test_long_e_numbers_are_not_okta_codes(now):
    # An ETag or id such as E9025315 in a SCIM bulk response is not an Okta API error.
    assert not [c for c in codes(run('{"version": "W/\\"E9025315\\""}', now)) if c.startswith("okta-")]


def test_reason_phrases_count_only_where_a_status_line_would_put_them(now):
    provisioning = run("Okta provisioning: Error while creating user x@example.com: Unauthorized.", now)
    assert "http-401-scim" in codes(provisioning)
    assert "http_status" in provisioning.inputs
    identifier = run('provisioning rule "Okta.App.Unauthorized.Access.Attempt" and the Unauthorized Access Event', now)
    # No status read from the identifier; its words may still rank a 401 entry among the guesses.
    assert "http_status" not in identifier.inputs
    assert "http-401-scim" not in codes(identifier)[:1]
    sign_in = run("sign-in page said: Unauthorized.", now)
    assert "http_status" not in sign_in.inputs


def test_an_error_returned_on_the_redirect_uri_is_decoded(now):
    url = ("https://app.example.com/cb?error=access_denied&error_description=AADSTS50105%3a+Your+administrator"
           "+has+configured+the+application&state=x")
    found = codes(run(url, now))
    assert found[:2] == ["aadsts-50105", "oauth-access_denied"]


def test_the_text_after_a_code_is_not_read_again_as_another_message(now):
    # "invalid signature" here is AADSTS50012's own wording, not a SAML signature problem.
    text = ('{"error":"invalid_client","error_description":'
            '"AADSTS50012: Client assertion contains an invalid signature."}')
    found = codes(run(text, now))
    assert found[0] == "aadsts-50012"
    assert "msg-saml-signature-invalid" not in found


def test_a_message_that_restates_a_code_is_dropped_but_one_that_adds_is_kept(now):
    restated = codes(run("AADSTS50011\nThe reply URL specified in the request does not match", now))
    assert "msg-reply-url-mismatch" not in restated
    added = codes(run("Okta Test API Credentials failed: HTTP 401", now))
    assert added[:2] == ["http-401-scim", "okta-msg-test-api-credentials-failed"]


def test_vendor_specific_messages_stay_with_their_vendor(now):
    entra = codes(run("Entra provisioning: the SCIM app said the bearer token is invalid or expired", now))
    assert not [c for c in entra if c.startswith("okta-msg-")]
    okta = codes(run("Okta provisioning: the SCIM app said the bearer token is invalid or expired", now))
    assert "okta-msg-scim-token-rejected" in okta


def test_a_logged_scim_request_is_checked_as_its_base_url(now):
    base = "https://app.example.com/auth/realms/acme/org/3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim/v2"
    logged = codes(run(f"GET {base}/Users?filter=userName+eq+%22a%22 -> 404", now))
    assert "scim-url-ok" in logged and "scim-url-resource-path" not in logged
    configured = codes(run(f"Tenant URL: {base}/Users", now))
    assert configured[0] == "scim-url-resource-path"


def test_help_links_and_unrelated_urls_are_not_a_redirect_pair(now):
    page = ("AADSTS50011: The redirect URI 'https://app.example.com/cb' specified in the request does not match. "
            "Navigate to https://aka.ms/redirectUriMismatchError to learn more.")
    assert not [c for c in codes(run(page, now)) if c.startswith("redirect-")]
    resource = json.dumps({"members": [{"$ref": "https://example.com/v2/Users/2819c223"},
                                       {"$ref": "https://example.com/v2/Users/902c246b"}], "note": "x " * 300})
    assert not [c for c in codes(run(resource, now)) if c.startswith("redirect-")]


def test_two_bare_urls_are_compared(now):
    found = codes(run("https://app.example.com/callback https://app.example.com/Callback", now))
    assert "redirect-path-case" in found


def test_a_labelled_domain_list_is_checked_even_though_its_label_is_a_symptom(now):
    found = codes(run("Login domains: @example.com, example.org", now))
    assert found[0] == "domains-leading-at"
    assert "symptom-not-routed-to-sso" in found


def test_a_lone_email_is_checked_but_an_email_in_prose_is_not(now):
    assert codes(run("jane@example.com", now))[0].startswith("domains-")
    prose = codes(run("please help jane@example.com with her laptop, it is slow since monday", now))
    assert prose == ["engine-menu"]


def test_okta_events_we_know_nothing_about_still_get_an_answer(now):
    failed = {"eventType": "user.session.start", "outcome": {"result": "FAILURE", "reason": "INVALID_CREDENTIALS"}}
    report = run(json.dumps(failed), now)
    assert codes(report) == ["log-event-failed"]
    assert report.findings[0].facts["reason"] == "INVALID_CREDENTIALS"
    ok = {"eventType": "user.session.start", "outcome": {"result": "SUCCESS"}}
    assert codes(run(json.dumps(ok), now)) == ["log-event-succeeded"]


def test_a_long_export_yields_a_few_event_findings_not_hundreds(now):
    events = "\n".join(
        json.dumps({"eventType": f"user.thing.n{i}", "outcome": {"result": "FAILURE", "reason": f"r{i}"}})
        for i in range(150))
    found = codes(run(events, now))
    assert found.count("log-event-failed") == 3


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("value", [None, "", "   \n\t", b"", b"\xff\xfe\x00", 12345, 3.5, ["AADSTS50011"], object()])
def test_odd_input_gets_the_menu_or_an_answer_never_an_exception(value, now):
    report = run(value, now)
    assert report.findings


def test_a_value_whose_str_raises_gets_the_menu(now):
    class Hostile:
        def __str__(self):
            raise RuntimeError("no")

    assert codes(run(Hostile(), now)) == ["engine-menu"]


def test_unrecognised_text_gets_the_menu(now):
    report = run("the thing is broken again, help", now)
    assert codes(report) == ["engine-menu"]
    assert report.inputs == ("unrecognised",)
    assert len(report.findings[0].fix) >= 5


@pytest.mark.parametrize("index", range(len(PATHOLOGICAL)))
def test_pathological_inputs(index, now):
    report = run(PATHOLOGICAL[index], now)
    assert report.findings


def test_a_reader_that_breaks_costs_only_its_own_findings(monkeypatch, caplog, now):
    def broken(*_args, **_kwargs):
        raise ValueError("boom")

    recognisers = [r if r.name != "urls" else engine.Recogniser("urls", broken) for r in engine.RECOGNISERS]
    monkeypatch.setattr(engine, "RECOGNISERS", recognisers)
    with caplog.at_level(logging.ERROR, logger="bot.diagnostics.engine"):
        report = diagnose("AADSTS50011 https://a.example.com/cb https://a.example.com/cb/", now=now)
    assert codes(report)[0] == "aadsts-50011"
    assert "urls reader failed" in caplog.text


def test_a_huge_paste_is_cut_and_still_diagnosed(now):
    line = "2026-11-28 ERROR AADSTS50011: The redirect URI specified in the request does not match.\n"
    report = run(line * (5_000_000 // len(line) + 1), now)
    found = codes(report)
    assert found[0] == "aadsts-50011"
    assert "engine-input-truncated" in found
    note = report.findings[found.index("engine-input-truncated")]
    assert int(note.facts["characters"]) > 5_000_000 and note.facts["read"] == str(MAX_INPUT_CHARS)


def test_a_huge_garbage_paste_gets_the_note_and_the_menu(now):
    rnd = random.Random(7)
    found = codes(run(rnd.randbytes(5_000_000).decode("utf-8", errors="replace"), now))
    assert found == ["engine-menu", "engine-input-truncated"]


def test_json_beyond_the_cut_is_still_read(now):
    filler = [{"eventType": "user.session.start", "outcome": {"result": "SUCCESS"}, "pad": "x" * 2000}] * 120
    failing = {"eventType": "application.integration.authentication_failure",
               "outcome": {"result": "FAILURE", "reason": "INVALID_LOGIN"}}
    text = json.dumps(filler[:100] + [failing])
    assert len(text) > MAX_INPUT_CHARS
    assert codes(run(text, now))[0] == "okta-event-application_integration_authentication_failure"


# --------------------------------------------------------------------------- secrets


@pytest.mark.parametrize("wrap", [
    "{token}",
    "Authorization: Bearer {token}",
    '{{"access_token": "{token}", "error": "invalid_grant"}}',
    "https://app.example.com/cb#id_token={token}&state=1",
    "<https://app.example.com/cb?token={token}|link>",
    '{{"eventType": "app.oauth2.token.grant", "outcome": {{"result": "FAILURE", "reason": "bad {token}"}}}}',
])
def test_a_token_is_never_echoed_wherever_it_sits(wrap, now):
    token = make_jwt({"exp": 1700000000, "sub": "user-42", "iss": "https://idp.example"},
                     signature="c2VjcmV0LXNpZ25hdHVyZS1ieXRlcy0xMjM0NTY3ODkw")
    report = run(wrap.format(token=token), now)
    assert report.secret_seen
    blob = json.dumps(report.to_dict())
    for i in range(len(token) - 11):
        assert token[i:i + 12] not in blob


@pytest.mark.parametrize("text", [
    '{"error": "invalid_client", "error_description": "AADSTS7000215", "client_secret": "Xy8~Q2abcdEFGHijklmnop"}',
    "POST /token grant_type=client_credentials&client_secret=Xy8~Q2abcdEFGHijklmnop -> 401 AADSTS7000215",
    '{"access_token": "Xy8~Q2abcdEFGHijklmnop", "expires_in": 3599}',
])
def test_a_credential_named_in_json_or_a_form_is_treated_as_a_secret(text, now):
    report = run(text, now)
    assert report.secret_seen
    assert "Q2abcdEFGHij" not in json.dumps(report.to_dict())


def test_a_token_past_the_cut_is_blanked_before_the_json_is_read(now):
    token = make_jwt({"exp": 1700000000}, signature="dGFpbC1zZWNyZXQtc2lnbmF0dXJlLWJ5dGVz")
    events = [{"eventType": "user.session.start", "outcome": {"result": "SUCCESS"}, "pad": "y" * 3000}] * 80
    events.append({"eventType": "user.session.start", "outcome": {"result": "FAILURE", "reason": token}})
    text = json.dumps(events)
    assert text.index(token) > MAX_INPUT_CHARS
    report = run(text, now)
    assert report.secret_seen
    assert token[-16:] not in json.dumps(report.to_dict())


# --------------------------------------------------------------------------- the fast phrase matcher


def _match_text(kb, text):
    return [(m.entry.id, m.start) for m in kb.match_text(text)]


def test_phrase_matches_equal_the_knowledge_base(kb, corpus):
    samples = [p.read_text(errors="replace")[:MAX_INPUT_CHARS]
               for p in sorted((corpus / "logs").glob("*")) + sorted((corpus / "scim").glob("*.http"))]
    samples += [f"{e.name}: {e.summary}" for e in kb.entries()]
    samples += ["THE REPLY URL SPECIFIED IN THE REQUEST DOES NOT MATCH", "Redirect Loop", "İnvalid Audience"]
    for text in samples:
        assert [(e.id, s) for e, s in phrase_matches(kb, text)] == _match_text(kb, text)


def test_literal_prefixes():
    assert engine._literal_prefixes("reply url specified") == ("reply url specified",)
    assert engine._literal_prefixes("(?:assertion|response) expired") == ("assertion", "response")
    assert engine._literal_prefixes("id ?token") == ()
    assert engine._literal_prefixes("(?:sso|login)? works") == ()
    assert engine._literal_prefixes("[ab]cd") == ()
