"""The engine on real third-party material from the shared corpus (read-only; see SOURCES.md there).

Each file is pasted whole, as an admin would paste an export or a sample, and the diagnosis must
name what the file is about. Every file of the folders below must at least give a report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.diagnostics.engine import diagnose
from tests.conftest import CORPUS
from tests.unit.diagnostics.engine.test_engine_helpers import assert_wellformed, codes, no_reader_errors

FOLDERS = ("scim", "logs", "codes", "tokens", "har")


def _files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for folder in FOLDERS for p in (CORPUS / folder).rglob("*") if p.is_file())


def run(path_or_text, now):
    text = path_or_text.read_bytes() if isinstance(path_or_text, Path) else path_or_text
    with no_reader_errors():
        report = diagnose(text, now=now)
    assert_wellformed(report)
    return report


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_file_gives_a_report(path, now, corpus):
    report = run(path, now)
    assert report.findings


# --------------------------------------------------------------------------- SCIM error bodies (RFC 7644 §3.12)


@pytest.mark.parametrize(("name", "expected"), [
    ("rfc7644-3.12-error-bad_request.json", ["scim-type-mutability", "http-400-scim"]),
    ("rfc7644-3.12-error-not_found.json", ["http-404-scim"]),
    ("rfc7644-3.6-error-not_found.json", ["http-404-scim"]),
    ("rfc7644-3.7.3-error-invalid_syntax.json", ["scim-type-invalidSyntax", "http-400-scim"]),
    ("rfc7644-3.7.4-error-payload_too_large.json", ["http-413"]),
])
def test_rfc_error_samples(name, expected, corpus, now):
    report = run(corpus / "scim" / "rfc_samples" / name, now)
    assert codes(report) == expected
    assert "scim_error_body" in report.inputs


def test_rfc_samples_that_are_not_errors_get_the_menu_not_a_false_alarm(corpus, now):
    for name in ("rfc7643-8.1-user-minimal.json", "rfc7644-3.3-user-post_request.json",
                 "rfc7644-3.5.2.3-patch_op-replace_all_members.json", "rfc7644-4-list_response-resource_types.json"):
        assert codes(run(corpus / "scim" / "rfc_samples" / name, now)) == ["engine-menu"], name


def _exchanges(path: Path) -> list[tuple[str, str]]:
    """(title, message) for each '### title' block of a .http file; the message without its title line."""
    blocks = re.split(r"(?m)^### ", path.read_text(encoding="utf-8"))
    return [(b.split("\n", 1)[0], b.split("\n", 1)[1] if "\n" in b else "") for b in blocks[1:]]


@pytest.mark.parametrize(("name", "expected"), [
    ("okta_scim20_http_exchanges.http", {"404": "http-404-scim", "409": "scim-duplicate-email"}),
    ("entra_scim_requests_responses.http", {"404": "http-404-scim"}),
])
def test_error_exchanges_in_http_transcripts(name, expected, corpus, now):
    seen = set()
    for title, block in _exchanges(corpus / "scim" / name):
        status = re.search(r"(?m)^HTTP/1\.1 ([45]\d\d)", block)
        if status is None:
            continue
        seen.add(status.group(1))
        assert codes(run(block, now))[0] == expected[status.group(1)], title
    assert seen == set(expected)


def test_okta_conflict_exchange_also_names_the_status(corpus, now):
    block = next(b for t, b in _exchanges(corpus / "scim" / "okta_scim20_http_exchanges.http") if "409" in b)
    assert codes(run(block, now)) == ["scim-duplicate-email", "http-409-scim"]


# --------------------------------------------------------------------------- provisioning and sign-in logs


def test_graph_provisioning_failure(corpus, now):
    report = run(corpus / "logs" / "graph_provisioningobjectsummary_list_failure.json", now)
    assert codes(report)[:2] == ["entra-prov-EntryConflict", "http-409-scim"]
    assert report.findings[0].facts["errorCode"] == "ContosoEntryConflict"
    assert "entra_provisioning_log" in report.inputs


def test_entra_sign_in_events(corpus, now):
    report = run(corpus / "logs" / "entra_signin_audit_events_panther_tests.jsonl", now)
    found = codes(report)
    assert {"aadsts-50126", "aadsts-50053", "aadsts-7000215"} <= set(found)
    assert "entra_signin_log" in report.inputs
    assert not [c for c in found if c.startswith("redirect-")], "log links are not a redirect pair"


def test_entra_token_error_response(corpus, now):
    report = run(corpus / "codes" / "entra_token_error_response_sample.json", now)
    assert codes(report) == ["aadsts-70011", "oauth-invalid_scope"]
    assert "oauth_error_response" in report.inputs


def test_okta_system_log_events(corpus, now):
    report = run(corpus / "logs" / "okta_systemlog_events_panther_tests.jsonl", now)
    found = codes(report)
    assert "okta-event-user_authentication_sso" in found
    failed = [f for f in report.findings if f.code == "log-event-failed"]
    assert failed and all(f.facts["eventType"] == "user.session.start" for f in failed)


def test_okta_system_log_with_lower_cased_keys(corpus, now):
    report = run(corpus / "logs" / "okta_systemlog_events_panther_tests_lowercased_keys.jsonl", now)
    found = codes(report)
    assert found[0] == "okta-event-app_generic_unauth_app_access_attempt"
    assert "okta-event-application_integration_rate_limit_exceeded" in found
    assert "http-401-scim" not in found, "a rule name with 'Unauthorized' in it is not a 401"


def test_okta_events_as_sentinel_flattened_them(corpus, now):
    report = run(corpus / "logs" / "sentinel_okta_CL_subset.json", now)
    found = codes(report)
    assert found[0] == "okta-event-application_integration_authentication_failure"
    assert report.findings[0].facts["reason"] == "INVALID_LOGIN"
    assert "okta-event-user_authentication_sso" in found
    assert "engine-input-truncated" in found  # 352 KB: the text is cut, the JSON is still read whole


def test_okta_rate_limit_events(corpus, now):
    report = run(corpus / "logs" / "okta_systemlog_rate_limit_events.json", now)
    assert codes(report) == ["log-event-failed"] * 3
    assert {f.facts["eventType"] for f in report.findings} == {"system.operation.rate_limit.violation"}
    assert all(f.facts["outcome"] == "DENY" for f in report.findings)


def test_okta_event_hook_envelope(corpus, now):
    report = run(corpus / "logs" / "okta_event_hook_user_session_start.json", now)
    assert codes(report) == ["log-event-succeeded"]
    assert "okta_system_log" in report.inputs


# --------------------------------------------------------------------------- tokens


@pytest.mark.parametrize("name", ["keycloak_osss_tokens.json", "entra_access_token_samples_docs.json"])
def test_published_tokens_are_expired_and_never_echoed(name, corpus, now):
    path = corpus / "tokens" / name
    report = run(path, now)
    assert report.findings[0].code == "token-expired"
    assert report.secret_seen
    blob = json.dumps(report.to_dict())
    tokens = re.findall(r"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*", path.read_text())
    assert tokens
    for token in tokens:
        for part in token.split("."):
            for i in range(0, max(0, len(part) - 11), 7):
                assert part[i:i + 12] not in blob
