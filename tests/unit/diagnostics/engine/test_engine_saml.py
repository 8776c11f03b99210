"""SAML Responses pasted into the engine (python3-saml's test responses from the shared corpus)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.diagnostics.engine import diagnose

EXPECTED_FIRST_OR_PRESENT = {
    "invalids_status_code_responder.xml.base64": "saml-status-not-success",
    "invalids_multiple_assertions.xml.base64": "saml-multiple-assertions",
    "invalids_no_nameid.xml.base64": "saml-nameid-missing",
    "invalids_empty_destination.xml.base64": "saml-destination-empty",
    "open_saml_response.xml": "saml-expired",
}


@pytest.mark.parametrize("name, code", sorted(EXPECTED_FIRST_OR_PRESENT.items()))
def test_saml_corpus_through_the_engine(corpus, name, code):
    text = (corpus / "tokens" / "saml_responses" / name).read_text()
    report = diagnose(text, now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    assert "saml_response" in report.inputs
    assert code in [f.code for f in report.findings]
    assert report.findings[0].severity.value == "fail"


def test_every_saml_sample_is_recognised(corpus):
    for path in sorted((corpus / "tokens" / "saml_responses").iterdir()):
        report = diagnose(path.read_text(), now=datetime(2026, 11, 28, tzinfo=timezone.utc))
        assert "saml_response" in report.inputs, path.name


def test_xml_escaped_by_slack_is_read_after_unescaping(corpus):
    from handlers.router.listeners import from_slack

    xml = (corpus / "tokens" / "saml_responses" / "open_saml_response.xml").read_text()
    as_slack_sends_it = xml.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    report = diagnose(from_slack(as_slack_sends_it), now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    assert "saml-expired" in [f.code for f in report.findings]


def test_a_url_with_a_malformed_host_does_not_cost_the_other_findings(caplog):
    report = diagnose("https://[::_1]/cb?error=access_denied&error_description=AADSTS65001%3a+consent AADSTS50105")
    assert "aadsts-50105" in [f.code for f in report.findings]
    assert "reader failed" not in caplog.text
