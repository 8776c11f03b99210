"""SAML Responses attached as files, their audience against the SP entity ID the admin gives (a file, or
the Responses posted in a capture), and what a capture can say about the nonce without an ID token.

The Responses are the corpus's (``corpus/tokens/saml_responses``: python3-saml's test data and OpenSAML's
and SimpleSAMLphp's samples). The captures are ``har_builder``'s (real HAR layouts, documented request shapes).
"""

from __future__ import annotations

import base64

import pytest

from bot.files import analyse_file
from bot.files.saml_file import looks_like_saml
from tests.unit.files import har_builder as hb
from tests.unit.files.test_cli_files import cli

SAML = "tokens/saml_responses"
STUFF = "http://stuff.com/endpoints/metadata.php"  # the Audience of python3-saml's valid_response


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


@pytest.mark.parametrize("name", ["valid_response.xml.base64", "adfs_response.xml.base64", "open_saml_response.xml",
                                  "simple_saml_php.xml"])
def test_a_saved_response_goes_through_the_saml_checks(corpus, now, name):
    report = analyse_file(corpus / SAML / name, now=now)
    assert report.inputs[:2] == ("saml_file", "saml_response")
    assert any(c.startswith("saml-") for c in codes(report)) and "file-not-readable" not in codes(report)


def test_the_audience_is_compared_with_the_entity_id_given(corpus, now):
    path = corpus / SAML / "valid_response.xml.base64"
    assert "file-saml-audience-match" in codes(analyse_file(path, now=now, expect_audience=STUFF))
    near = analyse_file(path, now=now, expect_audience=STUFF + "/")
    first = near.findings[0]
    assert first.code == "file-saml-audience-mismatch" and first.facts["audience"] == STUFF
    assert "trailing slash" in first.detail and STUFF + "/" in first.fix[0]
    other = analyse_file(corpus / SAML / "invalids_invalid_audience.xml.base64", now=now, expect_audience=STUFF)
    assert other.findings[0].facts["audience"] == "http://invalid.audience.com"
    assert "file-saml-audience-match" not in codes(analyse_file(path, now=now))  # nothing given, nothing compared


def test_a_response_posted_in_a_capture_is_compared_too(tmp_path, corpus, now):
    value = base64.b64encode((corpus / SAML / "simple_saml_php.xml").read_bytes()).decode()
    path = hb.write(tmp_path / "saml.har", hb.har(hb.saml_flow(value)))
    report = analyse_file(path, now=now, expect_audience="https://app.example.com/saml/metadata")
    [finding] = [f for f in report.findings if f.code == "file-saml-audience-mismatch"]
    assert finding.title.startswith("Step ") and finding.facts["audience"] == "hello.com"


def test_the_command_line_takes_the_sp_entity_id(corpus):
    path = str(corpus / SAML / "valid_response.xml.base64")
    assert "addressed to" in cli("--file", path, "--sp-entity-id", STUFF + "/").stdout
    done = cli("--file", path, "--expect-audience", STUFF)
    assert "the SP entity ID given" in " ".join(done.stdout.split())
    assert cli("--expect-audience", STUFF, "AADSTS50011").returncode == 2  # only with a file


def test_what_is_not_a_response_is_not_taken_for_one(corpus):
    assert not looks_like_saml("<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\"/>")
    assert not looks_like_saml(base64.b64encode(b"<html><body>Response</body></html>").decode())
    assert not looks_like_saml("aGVsbG8gd29ybGQ=")  # too short to be anything


def _authorize(nonce: str, at: float, state: str = "st4te-0f-the-sign-in-42") -> dict:
    url = hb.authorize_url(nonce=nonce, state=state)
    return hb.entry("GET", url, 200, at=at)


def test_a_nonce_sent_again_by_a_restarted_sign_in_is_flagged(tmp_path, now):
    flow = hb.code_flow(callback_status=500)
    flow += [hb.entry("GET", hb.APP + "/account/login", 302, at=11, location=hb.authorize_url()),
             _authorize("n0nce-of-the-sign-in-77", 11.3, state="an0ther-state-for-round-2")]
    report = analyse_file(hb.write(tmp_path / "again.har", hb.har(flow)), now=now)
    [reused] = [f for f in report.findings if f.code == "har-nonce-reused"]
    assert reused.title == "The same nonce was sent in 2 authorize requests (steps 2, 6)"
    [hidden] = [f for f in report.findings if f.code == "har-nonce-not-visible"]
    assert "step 2" in hidden.title and "state came back unchanged" in hidden.detail


def test_a_clean_code_flow_says_nothing_about_the_nonce(tmp_path, now):
    report = analyse_file(hb.write(tmp_path / "ok.har", hb.har(hb.code_flow())), now=now)
    assert not [c for c in codes(report) if c.startswith("har-nonce")]
