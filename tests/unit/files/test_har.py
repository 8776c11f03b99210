"""HAR captures: the real ones in ``corpus/har/`` (none is a sign-in) and sign-ins built in their shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.diagnostics.render import render_json, render_text
from bot.files import REFUSED_INPUT, analyse_file
from tests.unit.files import har_builder as hb

CORPUS_HARS = ["har-sanitizer_auth0_example.har", "haralyzer_cnn.har", "haralyzer_humanssuck.net.har",
               "haralyzer_missing_page.har", "haralyzer_missing_pageref.har", "haralyzer_multi_test_1.har",
               "haralyzer_no_title.har", "mitmproxy_charles.har", "mitmproxy_chrome.har", "mitmproxy_error_log.har",
               "mitmproxy_head-content-length.har", "mitmproxy_insomnia.har", "mitmproxy_postdata.har",
               "mitmproxy_websocket.har", "mitmproxy_with-bom.har"]


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def finding(report, code):
    return next(f for f in report.findings if f.code == code)


@pytest.mark.parametrize("name", CORPUS_HARS)
def test_every_real_capture_is_read_and_none_is_taken_for_a_sign_in(corpus, name, now):
    report = analyse_file(corpus / "har" / name, now=now)
    assert "har" in report.inputs
    if name == "har-sanitizer_auth0_example.har":  # Auth0's universal login POST with client_id and redirect_uri
        assert "har_sign_in" in report.inputs
    else:
        assert codes(report)[0] == "har-no-sign-in", render_text(report)


def test_the_auth0_login_post_is_a_timeline_step_and_its_401_body_is_quoted(corpus, now):
    report = analyse_file(corpus / "har" / "har-sanitizer_auth0_example.har", now=now)
    timeline = finding(report, "har-timeline").detail
    assert timeline.startswith("1. 11:50:22 auth.company.com POST 401: sign-in form posted to auth.company.com")
    assert "invalid_user_password: Wrong email or password." in timeline
    failed = finding(report, "har-http-error")
    assert failed.facts["error"] == "invalid_user_password: Wrong email or password." and failed.facts["status"] == "401"
    assert failed.detail == "The answer says: invalid_user_password: Wrong email or password."
    assert report.failed


@pytest.mark.parametrize("name, what", [("mitmproxy_brokenfile.har", "stops before its first request"),
                                        ("haralyzer_single_entry.har", "a single HAR entry")])
def test_broken_captures_are_refused_with_the_next_step(corpus, name, what, now):
    report = analyse_file(corpus / "har" / name, now=now)
    assert report.inputs == (REFUSED_INPUT,)
    only = report.findings[0]
    assert what in only.title and only.fix and "HAR" in only.fix[0]


def test_a_clean_entra_code_flow_is_told_step_by_step(tmp_path, now):
    report = analyse_file(hb.write(tmp_path / "ok.har", hb.har(hb.code_flow())), now=now)
    lines = finding(report, "har-timeline").detail.splitlines()
    assert len(lines) == 4  # the landing page (200, no sign-in parameters) is not a step of the sign-in
    assert lines[0].startswith("1. 11:59:00 app.example.com GET 302: /account/login; redirects to "
                               "https://login.microsoftonline.com/")
    assert lines[1] == (f"2. 11:59:00 login.microsoftonline.com GET 200: authorize request to Entra, client {hb.CLIENT}, "
                        "redirect_uri https://app.example.com/signin-oidc, response_type code, response_mode query")
    assert lines[3].startswith("4. 11:59:09 app.example.com GET 302: callback with an authorization code (in the query)")
    assert codes(report)[-1] == "har-flow-clean" and not report.failed


def test_an_error_in_the_redirect_is_explained_by_the_engine(tmp_path, now):
    report = analyse_file(hb.write(tmp_path / "err.har", hb.har(hb.error_flow())), now=now)
    error = finding(report, "har-oidc-error")
    assert error.title == "Step 2: Entra sent error=invalid_request in the redirect"
    assert error.detail.startswith("AADSTS50011: The redirect URI")
    assert "aadsts-50011" in codes(report)  # the engine's explanation, right after it
    assert codes(report).index("aadsts-50011") == codes(report).index("har-oidc-error") + 1
    host = finding(report, "har-redirect-uri-host")
    assert "app-internal.example.net" in host.title and host.facts["app"] == "https://app.example.com"
    assert "redirects to http://app-internal.example.net:8080/signin-oidc with error=invalid_request" in \
        finding(report, "har-timeline").detail


def test_a_state_that_does_not_come_back_is_lost(tmp_path, now):
    lost = analyse_file(hb.write(tmp_path / "lost.har", hb.har(hb.code_flow(state_back=None))), now=now)
    assert finding(lost, "har-state-lost").facts["steps"] == "step 2 → step 4"
    other = analyse_file(hb.write(tmp_path / "other.har", hb.har(hb.code_flow(state_back="a-different-state-9"))),
                         now=now)
    mismatch = finding(other, "har-state-mismatch")
    assert mismatch.facts["sent"] != mismatch.facts["returned"] and len(mismatch.facts["sent"]) == 8


def test_a_redirect_loop_is_named_with_its_hosts(tmp_path, now):
    rounds = [e for _ in range(4) for e in hb.code_flow()[:4]]  # the app never keeps the session: round again
    report = analyse_file(hb.write(tmp_path / "loop.har", hb.har(rounds)), now=now)
    loop = finding(report, "har-redirect-loop")
    assert loop.facts["visits"] == "4"
    assert "app.example.com → login.microsoftonline.com" in loop.detail


def test_cookies_the_browser_drops(tmp_path, now):
    flow = hb.code_flow(app_cookie="oidc.state=abc; path=/; samesite=none; httponly")  # no Secure
    flow[3]["response"]["headers"] += [
        {"name": "set-cookie", "value": "big=" + "x" * 5000 + "; path=/; secure"},
        {"name": "set-cookie", "value": "sso=1; domain=other-company.com; path=/; secure"}]
    report = analyse_file(hb.write(tmp_path / "cookies.har", hb.har(flow)), now=now)
    assert "oidc.state (step 1, app.example.com)" in finding(report, "har-cookie-samesite-insecure").detail
    assert "big (5004 bytes, step 4)" in finding(report, "har-cookie-too-large").detail
    assert "sso (Domain=other-company.com set by app.example.com, step 4)" in \
        finding(report, "har-cookie-domain-mismatch").detail


@pytest.mark.parametrize("status, words", [(502, "proxy in front of the app got no usable answer"),
                                           (503, "no healthy app instance took the callback")])
def test_502_and_503_after_the_callback_mean_different_things(tmp_path, now, status, words):
    report = analyse_file(hb.write(tmp_path / f"{status}.har", hb.har(hb.code_flow(callback_status=status))), now=now)
    after = finding(report, f"har-callback-{status}")
    assert after.title == f"Step 4: the app answered {status} right after the sign-in callback"
    assert words in after.detail
    assert "har-http-error" not in codes(report)  # said once, as the after-callback finding
    assert report.failed


def test_clocks_that_disagree(tmp_path, now):
    report = analyse_file(hb.write(tmp_path / "skew.har", hb.har(hb.code_flow(idp_skew=420))), now=now)
    skew = finding(report, "har-clock-skew")
    assert skew.severity.value == "fail" and "420 seconds" in skew.title
    assert skew.facts["login.microsoftonline.com"] == "+420 s"


def test_a_posted_saml_response_goes_through_the_saml_checks(tmp_path, corpus, now):
    value = (corpus / "tokens/saml_responses/invalids_invalid_audience.xml.base64").read_text().strip()
    report = analyse_file(hb.write(tmp_path / "saml.har", hb.har(hb.saml_flow(value))), now=now)
    timeline = finding(report, "har-timeline").detail
    assert "SAML AuthnRequest sent to Entra (HTTP-Redirect)" in timeline
    assert "SAMLResponse posted to https://app.example.com/saml/acs (issuer " in timeline
    saml = [f for f in report.findings if f.title.startswith("Step 3 (SAML): ")]
    assert saml and all(f.code.startswith(("saml-", "har-saml-")) for f in saml)
    assert "har-saml-destination-mismatch" in codes(report)  # python3-saml's responses name their own ACS URL


def test_a_cut_off_capture_is_read_as_far_as_it_goes(tmp_path, now):
    text = json.dumps(hb.har(hb.code_flow(callback_status=502)))
    cut = text[: text.index('"startedDateTime"', text.index("/signin-oidc?code=")) + 200]
    path = tmp_path / "cut.har"
    path.write_text(cut)
    report = analyse_file(path, now=now)
    assert "har-truncated" in codes(report) and "har-timeline" in codes(report)


def test_nothing_secret_reaches_the_output(tmp_path, now):
    code, password, session = "0.AXoAv4j5cvGGr0GRqy180BHbR3beMWemTOPSECRET", "Hunter2-very-secret!", "S3ss10nValue0123456789"
    flow = hb.code_flow(code=code, password=password, session=session)
    flow[0]["request"]["headers"].append({"name": "authorization", "value": "Bearer abcdefghijklmnop0123456789"})
    report = analyse_file(hb.write(tmp_path / "secret.har", hb.har(flow)), now=now)
    out = render_text(report) + render_json(report)
    for secret in (code, password, session, "abcdefghijklmnop0123456789", "st4te-0f-the-sign-in-42"):
        assert secret[:12] not in out and secret[-12:] not in out
    assert "authorization code, fingerprint" not in out or "[a " in out


def test_utf16_and_bom_captures_read_like_utf8(tmp_path, now):
    capture = json.dumps(hb.har(hb.error_flow()))
    (tmp_path / "u16.har").write_bytes(capture.encode("utf-16"))
    (tmp_path / "bom.har").write_bytes(b"\xef\xbb\xbf" + capture.encode())
    for name in ("u16.har", "bom.har"):
        assert "har-oidc-error" in codes(analyse_file(tmp_path / name, now=now)), name


def test_the_reader_keeps_little_of_what_it_reads(tmp_path):
    from bot.files.har_read import read_har

    noise = [hb.entry("GET", f"https://cdn.example.org/asset{n}.js", 200, at=n / 10, mime="text/javascript",
                      body="x" * 2000) for n in range(300)]
    capture = read_har(Path(hb.write(tmp_path / "noise.har", hb.har(noise + hb.code_flow()))).open("rb"))
    assert capture.entries == 305 and len(capture.steps) == 4
