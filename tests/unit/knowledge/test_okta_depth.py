"""Every Okta code we recognise comes with an answer: a likely cause and a next step, in our own words.

The published texts compared against are Okta's own catalogues in the corpus:
``codes/okta_api_error_codes.json`` (okta-developer-docs ``data/error-codes.json``: title, errorSummary,
errorDescription per E0000 code) and ``logs/okta_event_types.csv`` (the System Log event-type catalogue).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from .test_wording import assert_own_words, norm

# The codes admins and developers hit most, and the provisioning ones: they need more than one cause,
# plain-words phrases, and where to look.
COMMON = """E0000001 E0000003 E0000004 E0000005 E0000006 E0000007 E0000011 E0000015 E0000016 E0000022 E0000038
E0000047 E0000064 E0000068 E0000069 E0000095 E0000098 E0000119 E0000133
E0000023 E0000049 E0000051 E0000055 E0000059""".split()


@pytest.fixture(scope="module")
def okta_catalogue(corpus: Path) -> list[dict]:
    errors = json.loads((corpus / "codes" / "okta_api_error_codes.json").read_text(encoding="utf-8"))["errors"]
    assert len(errors) >= 250, "the Okta error catalogue in the corpus looks truncated"
    return errors


@pytest.fixture(scope="module")
def event_catalogue(corpus: Path) -> dict[str, str]:
    with (corpus / "logs" / "okta_event_types.csv").open(newline="", encoding="utf-8") as fh:
        rows = {row["Event Type"]: row["Description"] for row in csv.DictReader(fh)}
    assert len(rows) >= 1000, "the Okta event-type catalogue in the corpus looks truncated"
    return rows


def okta_entries(kb):
    return [e for e in kb.entries() if e.system in ("okta", "okta_event")]


def test_every_published_okta_code_is_deep(kb, okta_catalogue):
    shallow = [row["errorCode"] for row in okta_catalogue if not kb.lookup_code("okta", row["errorCode"]).deep]
    assert shallow == []


def test_every_okta_entry_has_a_cause_a_step_and_a_reference(kb):
    entries = okta_entries(kb)
    assert len(entries) >= 260 + 40
    for entry in entries:
        assert entry.deep, entry.id
        assert entry.where, entry.id
        assert entry.refs and all(ref.startswith("https://") for ref in entry.refs), entry.id


def assert_not_copied(ours: str, theirs: str | None, ident: str) -> None:
    """``assert_own_words`` for whole sentences, plus: a long published sentence is never quoted inside ours."""
    if not theirs:
        return
    assert_own_words(ours, theirs, ident)
    for sentence in theirs.split(". "):
        if len(norm(sentence)) >= 40:
            assert norm(sentence) not in norm(ours), f"{ident}: quotes the published text {sentence!r}"


def test_no_summary_or_cause_copies_okta_s_text(kb, okta_catalogue):
    for row in okta_catalogue:
        entry = kb.lookup_code("okta", row["errorCode"])
        for i, text in enumerate([entry.summary, *entry.causes]):
            ident = f"{entry.id} {'summary' if i == 0 else f'cause {i}'}"
            for theirs in (row["errorSummary"], row["title"], row["errorDescription"]):
                assert_not_copied(text, theirs, ident)


def test_no_event_summary_or_cause_copies_the_catalogue(kb, event_catalogue):
    for entry in (e for e in kb.entries() if e.system == "okta_event"):
        assert entry.code in event_catalogue, f"{entry.code} is not in Okta's event catalogue"
        for text in (entry.summary, *entry.causes):
            assert_not_copied(text, event_catalogue[entry.code], entry.id)


def test_the_copy_guard_can_fail():
    with pytest.raises(AssertionError):
        assert_not_copied("Invalid token provided!", "Invalid token provided", "x")
    with pytest.raises(AssertionError):
        assert_not_copied("Okta says the endpoint does not support the provided HTTP method, so check the verb.",
                          "The endpoint does not support the provided HTTP method. This is a general error", "x")
    assert_not_copied("The API token was revoked after 30 days without use.", "Invalid token provided", "x")


@pytest.mark.parametrize("code", COMMON)
def test_common_codes_are_answered_in_full(kb, code):
    entry = kb.lookup_code("okta", code)
    assert len(entry.causes) >= 2, code
    assert len(entry.fix) >= 1 and entry.where and entry.collect, code
    assert 3 <= len(entry.phrases) <= 8, code
    actionable = ("Okta Admin Console →", "/api/v1/", "Authorization:", "Content-Type:", "https://<org>")
    assert any(mark in step for step in entry.fix + entry.where for mark in actionable), \
        f"{code}: no Admin Console path or API detail to act on"
    assert any("okta.com" in ref for ref in entry.refs), code


def test_okta_messages_are_answered_in_full(kb):
    messages = [e for e in kb.entries() if e.id.startswith("okta-msg-")]
    assert len(messages) >= 9
    for entry in messages:
        assert entry.patterns and entry.deep, entry.id
        assert 3 <= len(entry.phrases) <= 8, entry.id
        assert len(entry.name) <= 90, entry.id


def test_summaries_lead_with_a_cause_not_the_title(kb, okta_catalogue):
    # The finding's title already shows Okta's title ("E0000011 (Invalid token exception): ..."); the summary
    # must add the likely cause, not restate it.
    for row in okta_catalogue:
        entry = kb.lookup_code("okta", row["errorCode"])
        assert norm(row["title"]) not in norm(entry.summary), entry.id


def test_environmental_causes_are_named_where_they_are_common(kb):
    token = " ".join(kb.lookup_code("okta", "E0000011").causes)
    assert "30 days" in token and "another org" in token and "custom authorization server" in token
    assert "SSWS" in token and "Bearer" in token
    limits = kb.lookup_code("okta", "E0000047")
    assert any("X-Rate-Limit-Reset" in step for step in limits.fix)
    assert any("Reports → Rate Limits" in place for place in limits.where)
    assert "redirect" in " ".join(kb.lookup_code("okta", "E0000022").causes)
    assert "clock" in " ".join(kb.lookup_code("okta", "E0000068").causes)
    assert "preview" in " ".join(kb.lookup_code("okta", "E0000007").causes)


def test_okta_phrases_belong_to_one_entry_each(kb):
    counts = Counter(p.strip().lower() for e in kb.entries() for p in e.phrases)
    shared = {p: n for e in okta_entries(kb) for p in e.phrases if (n := counts[p.strip().lower()]) > 1}
    assert shared == {}


def test_failure_events_for_sso_and_provisioning_are_covered(kb):
    for code in ("application.provision.user.push", "application.provision.user.push_profile",
                 "application.provision.user.push_password", "application.integration.authentication_failure",
                 "app.user_management.update_from_master_failed",
                 "app.user_management.grouppush.mapping.okta.users.ignored",
                 "application.policy.sign_on.deny_access", "system.org.rate_limit.violation",
                 "system.org.rate_limit.warning", "app.oauth2.invalid_client_credentials",
                 "app.oauth2.as.authorize.scope_denied", "user.account.lock"):
        entry = kb.lookup_code("okta_event", code)
        assert entry is not None and entry.deep, code
