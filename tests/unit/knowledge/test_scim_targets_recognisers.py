"""SCIM targets (AWS IAM Identity Center, Salesforce, Slack, seat-limited apps) and the session-5 symptoms.

The messages and near texts of this area are cases in ``tests/data/recognition/scim-targets.toml`` (run by
``test_recognition_cases.py``); this module keeps the area's own rules.
"""

from __future__ import annotations


def found(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


def test_rfc_invalid_syntax_example_is_not_taken_for_aws(kb):
    # RFC 7644 section 3.12's example detail, the corpus sample rfc7644-3.7.3-error-invalid_syntax.json
    body = ('{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "scimType": "invalidSyntax", '
            '"detail": "Request is unparsable, syntactically incorrect, or violates schema.", "status": "400"}')
    assert "scim-aws-request-unparsable" not in found(kb, body)


def test_new_entries_have_enough_phrases(kb):
    for entry_id in ("symptom-nested-groups-not-provisioned", "symptom-works-for-admins-only",
                     "symptom-session-too-long", "symptom-provisioning-failure-alerts", "scim-license-limit",
                     "scim-token-owner-removed", "scim-aws-request-unparsable", "scim-salesforce-duplicate-username",
                     "symptom-sso-ok-no-account-in-app", "scim-user-owned-by-other-source"):
        entry = kb.get(entry_id)
        assert entry is not None, entry_id
        assert 5 <= len(entry.phrases) <= 12, entry_id
        assert entry.causes and entry.fix and entry.refs, entry_id
