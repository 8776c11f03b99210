"""Readers of structured pastes: SCIM, Okta and OAuth error bodies, Entra log records, Okta events."""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import json_bodies as bodies
from bot.diagnostics.report import Severity
from bot.knowledge import load_knowledge


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def read(obj, kb):
    readings = bodies.read_objects([obj], kb)
    assert len(readings) <= 1
    return readings[0] if readings else None


def codes(reading):
    return [f.code for f in reading.findings]


def test_flatten_lowercases_joins_and_drops_siem_suffixes():
    flat = bodies.flatten({"outcome": {"Result": "FAILURE"}, "eventType_s": "x.y.z", "count_d": 3, "uuid_g": "u",
                           "published_t": "2026", "debugContext": {"debugData": {"requestUri": "/a"}}})
    assert flat == {"outcome.result": "FAILURE", "eventtype": "x.y.z", "count": 3, "uuid": "u", "published": "2026",
                    "debugcontext.debugdata.requesturi": "/a"}


def test_flatten_stops_at_depth():
    deep: dict = {}
    node = deep
    for _ in range(20):
        node["a"] = {}
        node = node["a"]
    assert bodies.flatten(deep) == {}


# --------------------------------------------------------------------------- SCIM (RFC 7644 §3.12)


def test_scim_error_with_scim_type(kb):
    reading = read({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "scimType": "uniqueness",
                    "detail": "userName taken", "status": "409"}, kb)
    assert reading.kind == "scim_error_body"
    assert codes(reading) == ["scim-type-uniqueness", "http-409-scim"]
    assert reading.findings[0].facts == {"status": "409", "scimType": "uniqueness", "detail": "userName taken"}
    assert reading.texts == ["userName taken"]


def test_scim_error_without_schemas_but_with_scim_type_and_status(kb):
    assert codes(read({"scimType": "invalidValue", "status": 400}, kb)) == ["scim-type-invalidValue", "http-400-scim"]


def test_scim_status_only(kb):
    reading = read({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": 401}, kb)
    assert codes(reading) == ["http-401-scim"]


def test_a_scim_user_is_not_an_error(kb):
    assert read({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a"}, kb) is None


# --------------------------------------------------------------------------- Okta and OAuth error bodies


def test_okta_error_body(kb):
    reading = read({"errorCode": "E0000011", "errorSummary": "Invalid token provided", "errorId": "oae1",
                    "errorCauses": [{"errorSummary": "expired"}]}, kb)
    assert reading.kind == "okta_error_body"
    assert codes(reading) == ["okta-E0000011"]
    assert reading.findings[0].facts["errorCauses"] == "expired"


def test_unknown_okta_code_still_answers(kb):
    reading = read({"errorCode": "E0000999", "errorSummary": "?"}, kb)
    assert codes(reading) == ["okta-E0000999"]
    assert reading.findings[0].severity is Severity.WARN


def test_entra_token_error_response(kb):
    reading = read({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret.",
                    "error_codes": [7000215], "correlation_id": "c-1"}, kb)
    assert reading.kind == "oauth_error_response"
    assert codes(reading) == ["aadsts-7000215", "oauth-invalid_client"]
    assert reading.findings[0].facts == {"error": "invalid_client", "correlation_id": "c-1"}


def test_a_bare_error_key_is_not_an_oauth_response(kb):
    assert read({"error": "something"}, kb) is None


# --------------------------------------------------------------------------- Entra logs


GRAPH_FAILURE = {
    "jobId": "job", "cycleId": "cycle", "provisioningAction": "create",
    "provisioningStatusInfo": {"status": "failure", "errorInformation": {
        "errorCode": "FabrikamEntryConflict",
        "reason": "The app returned an error response with the HTTP status code 409 (Conflict).",
    }},
    "sourceIdentity": {"displayName": "Kim"},
}


def test_entra_provisioning_entry(kb):
    reading = read(GRAPH_FAILURE, kb)
    assert reading.kind == "entra_provisioning_log"
    assert codes(reading) == ["entra-prov-EntryConflict", "http-409-scim"]
    assert reading.findings[0].facts["http_status"] == "409"
    assert reading.findings[0].facts["identity"] == "Kim"


def test_entra_sign_in_failure_and_success(kb):
    failure = read({"createdDateTime": "2026-11-27", "status": {"errorCode": 50105, "failureReason": "not assigned"},
                    "appDisplayName": "Airia", "userPrincipalName": "u@example.com"}, kb)
    assert failure.kind == "entra_signin_log"
    assert codes(failure) == ["aadsts-50105"]
    assert failure.findings[0].facts["failureReason"] == "not assigned"
    success = read({"category": "SignInLogs", "properties": {"status": {"errorCode": 0}}}, kb)
    assert codes(success) == ["log-event-succeeded"]
    assert success.findings[0].severity is Severity.OK


def test_log_analytics_result_type(kb):
    assert codes(read({"category": "SignInLogs", "ResultType": "50126"}, kb)) == ["aadsts-50126"]


# --------------------------------------------------------------------------- Okta System Log


@pytest.mark.parametrize("event", [
    {"eventType": "application.integration.authentication_failure",
     "outcome": {"result": "FAILURE", "reason": "INVALID_LOGIN"}},
    {"eventtype": "application.integration.authentication_failure",
     "outcome": {"result": "FAILURE", "reason": "INVALID_LOGIN"}},
    {"eventType_s": "application.integration.authentication_failure", "outcome_result_s": "FAILURE",
     "outcome_reason_s": "INVALID_LOGIN"},
    {"eventType": "application.integration.authentication_failure", "outcomeResult": "FAILURE",
     "outcomeReason": "INVALID_LOGIN"},
])
def test_okta_event_in_every_key_style(event, kb):
    reading = read(event, kb)
    assert reading.kind == "okta_system_log"
    assert codes(reading) == ["okta-event-application_integration_authentication_failure"]
    assert reading.findings[0].facts["reason"] == "INVALID_LOGIN"
    assert reading.findings[0].facts["outcome"] == "FAILURE"


def test_okta_event_severity_follows_the_outcome(kb):
    ok = read({"eventType": "user.authentication.sso", "outcome": {"result": "SUCCESS"}}, kb)
    assert ok.findings[0].severity is Severity.OK
    failed = read({"eventType": "user.authentication.sso", "outcome": {"result": "FAILURE"}}, kb)
    assert failed.findings[0].severity is Severity.WARN  # an 'info' event type that failed is worth a look
    unknown = read({"eventType": "user.authentication.sso"}, kb)
    assert unknown.findings[0].severity is Severity.INFO


def test_okta_event_we_have_no_notes_on(kb):
    failed = read({"eventType": "system.operation.rate_limit.violation", "displayMessage": "Operation rate limit",
                   "outcome": {"result": "DENY", "reason": "Too many OTP attempts"}}, kb)
    assert codes(failed) == ["log-event-failed"]
    finding = failed.findings[0]
    assert finding.severity is Severity.WARN
    assert "system.operation.rate_limit.violation" in finding.title and "Too many OTP attempts" in finding.title
    assert failed.texts == ["Too many OTP attempts", "Operation rate limit"]
    challenge = read({"eventType": "policy.evaluate_sign_on", "outcome": {"result": "CHALLENGE"}}, kb)
    assert challenge.findings == []


def test_the_first_reader_that_recognises_an_object_wins(kb):
    # A SCIM error that also has an 'error' key is still read as a SCIM error.
    obj = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "404", "error": "x",
           "error_description": "y"}
    assert read(obj, kb).kind == "scim_error_body"


# --------------------------------------------------------------------------- where objects are found


def test_json_objects_unwraps_lists_graph_values_and_event_envelopes():
    assert bodies.json_objects([{"a": 1}, 2, {"b": 2}]) == [{"a": 1}, {"b": 2}]
    assert bodies.json_objects({"value": [{"a": 1}]}) == [{"a": 1}]
    assert bodies.json_objects({"event": {"eventType": "x.y.z"}}) == [{"eventType": "x.y.z"}]
    assert bodies.json_objects({"data": {"events": [{"e": 1}, {"e": 2}]}}) == [{"e": 1}, {"e": 2}]
    assert bodies.json_objects("text") == []
    assert len(bodies.json_objects([{}] * 500)) == 200
