"""SCIM as Entra, Okta and real SCIM servers speak it, and provisioning problems said in plain words.

The messages and near texts of this area are cases in ``tests/data/recognition/scim-quirks.toml`` (run by
``test_recognition_cases.py``); this module keeps the area's own rules.
"""

from __future__ import annotations

from bot.diagnostics.engine import diagnose


def first_two(text: str, now) -> list[str]:
    return [f.code for f in diagnose(text, now=now).findings[:2]]


def test_the_new_entries_are_deep_and_cited(kb):
    for entry_id in ("scim-patch-filtered-path", "scim-okta-put-only", "okta-msg-group-push-failed",
                     "symptom-provisioning-option-missing", "msg-nextcloud-saml-account-not-provisioned",
                     "okta-msg-assigned-before-provisioning",
                     "entra-prov-AzureActiveDirectoryCrossTenantSyncPolicyCheckFailure",
                     "entra-prov-AzureDirectoryB2BManagementPolicyCheckFailure"):
        entry = kb.get(entry_id)
        assert entry is not None, entry_id
        assert entry.deep and (entry.patterns or entry.code) and entry.refs and len(entry.phrases) >= 5, entry_id
