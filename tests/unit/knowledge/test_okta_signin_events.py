"""Okta System Log events of sign-in through other IdPs, OAuth grants, ThreatInsight and the AD agent.

Event types are Okta's (shared/corpus/logs/okta_event_types.csv); the events are shaped as the System Log
API returns them (eventType, outcome.result, outcome.reason). A FAILURE of a known event type leads with
that type's entry; an event type we hold no entry for still gets the generic failed-event finding, so a
new entry that swallowed unrelated events would fail here.
"""

from __future__ import annotations

import csv
import json

import pytest

from bot.diagnostics.engine import diagnose

NEW_EVENTS = {
    "user.authentication.auth_via_IDP": ("okta-event-user_authentication_auth_via_IDP",
                                         "Could not match the transformed username to an Okta user"),
    "app.oauth2.as.token.grant": ("okta-event-app_oauth2_as_token_grant", "invalid_grant"),
    "app.oauth2.as.authorize": ("okta-event-app_oauth2_as_authorize", "invalid_redirect_uri"),
    "app.oauth2.token.grant": ("okta-event-app_oauth2_token_grant", "invalid_client"),
    "security.threat.detected": ("okta-event-security_threat_detected", "Password spray"),
    "user.authentication.auth_via_AD_agent": ("okta-event-user_authentication_auth_via_AD_agent",
                                              "INVALID_CREDENTIALS"),
}


@pytest.fixture(scope="module")
def catalogue(corpus) -> set[str]:
    with (corpus / "logs" / "okta_event_types.csv").open(encoding="utf-8") as handle:
        return {row["Event Type"] for row in csv.DictReader(handle)}


@pytest.mark.parametrize("event_type", sorted(NEW_EVENTS))
def test_the_event_type_is_okta_s_and_looked_up_by_its_name(kb, catalogue, event_type):
    assert event_type in catalogue, "an event type Okta does not publish"
    entry = kb.lookup_code("okta_event", event_type)
    assert entry is not None and entry.id == NEW_EVENTS[event_type][0]
    assert entry.causes and entry.fix and entry.refs


@pytest.mark.parametrize("event_type", sorted(NEW_EVENTS))
def test_a_failed_event_leads_with_its_entry(now, event_type):
    expected, reason = NEW_EVENTS[event_type]
    event = {"eventType": event_type, "outcome": {"result": "FAILURE", "reason": reason}}
    report = diagnose(json.dumps(event), now=now)
    assert report.findings[0].code == expected


def test_an_event_type_without_an_entry_keeps_the_generic_finding(now):
    event = {"eventType": "user.account.update_password", "outcome": {"result": "FAILURE", "reason": "x"}}
    assert [f.code for f in diagnose(json.dumps(event), now=now).findings] == ["log-event-failed"]

