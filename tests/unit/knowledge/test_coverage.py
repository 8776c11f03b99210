"""The data covers what the product promises: every published code, and depth where admins need it."""

from __future__ import annotations

import re

import pytest

# AADSTS codes that must carry causes, fix steps, where-to-look and what-to-collect.
DEEP_AADSTS = """
50105 50008 50011 700016 70001 7000215 7000222 50020 50076 50079 53000 53003 65001 90072 90102
500011 500113 50126 50058 700054 700082 90014 75011 750054 50107 900144 50194 9002326 50148
50012 50034 50053 50055 50056 50057 50074 50097 50132 50140 50173 54005 70000 70008 70011
7000218 700024 90094 900971 500133 50000 50013 51004
""".split()

DEEP_OKTA = "E0000001 E0000003 E0000004 E0000006 E0000007 E0000011 E0000013 E0000016 E0000038 E0000047 E0000059".split()

OAUTH_VALUES = """invalid_request invalid_client invalid_grant unauthorized_client unsupported_grant_type
invalid_scope access_denied invalid_resource interaction_required login_required consent_required
redirect_uri_mismatch temporarily_unavailable server_error""".split()

ENTRA_PROVISIONING = """SystemForCrossDomainIdentityManagementBadRequest
SystemForCrossDomainIdentityManagementUnauthorized SystemForCrossDomainIdentityManagementServiceIncompatible
SystemForCrossDomainIdentityManagementCredentialValidationUnavailable
SystemForCrossDomainIdentityManagementResourceNotFound EntryConflict DuplicateTargetEntries
DuplicateSourceEntries SchemaAttributeNotFound MandatoryFieldsMissing InvalidDomain
AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService EncounteredQuarantineException
EncounteredEscrowProportionThreshold""".split()

SCIM_TYPES = "invalidFilter tooMany uniqueness mutability invalidSyntax invalidPath noTarget invalidValue invalidVers sensitive".split()

SYMPTOMS = """symptom-redirect-loop symptom-logout-loop symptom-discovery-ok-login-fails
symptom-users-not-provisioned symptom-profile-incomplete symptom-test-connection-fails
symptom-provisioning-quarantined symptom-502-vs-503 symptom-scim-sync-delay symptom-not-routed-to-sso
symptom-locked-out symptom-wrong-tenant-routing""".split()


def test_every_published_aadsts_code_is_present(kb, aadsts_rows):
    missing = [row["code"] for row in aadsts_rows if kb.lookup_code("aadsts", row["code"]) is None]
    assert missing == []
    assert len({row["code"] for row in aadsts_rows}) == 304


def test_aadsts_names_come_from_the_published_list(kb, aadsts_rows):
    for row in aadsts_rows:
        entry = kb.lookup_code("aadsts", row["code"])
        assert entry.name == row["name_or_short_message"], row["code"]
        assert entry.id == f"aadsts-{row['code']}"


def test_every_published_okta_code_is_present_with_its_title_and_status(kb, okta_rows):
    for row in okta_rows:
        entry = kb.lookup_code("okta", row["errorCode"])
        assert entry is not None, row["errorCode"]
        assert entry.name == row["title"]
        assert entry.http_status == int(row["statusCode"])


@pytest.mark.parametrize("code", DEEP_AADSTS)
def test_listed_aadsts_codes_are_deep(kb, code):
    entry = kb.lookup_code("aadsts", code)
    assert entry is not None, code
    assert entry.deep, code
    assert entry.where and entry.collect and entry.next_checks and entry.refs, code
    assert len(entry.causes) >= 1 and len(entry.fix) >= 1


def test_deep_aadsts_entries_mostly_name_exact_entra_paths(kb):
    deep = [e for e in kb.entries() if e.system == "aadsts" and e.deep]
    with_path = [e for e in deep if any("Entra admin center → Entra ID →" in s for s in e.fix + e.where)]
    assert len(deep) >= 50
    assert len(with_path) / len(deep) >= 0.8


def test_guide_links_hold(kb):
    assert "check:redirect" in kb.get("aadsts-50011").next_checks
    assert any("Users and groups" in step for step in kb.get("aadsts-50105").fix)
    # the guide ties 50008/50011 to token validation, and 50105 to unassigned users
    assert "aadsts-50105" in kb.get("msg-user-not-assigned").related
    assert "aadsts-50011" in kb.get("msg-reply-url-mismatch").related


@pytest.mark.parametrize("code", DEEP_OKTA)
def test_provisioning_relevant_okta_codes_are_deep(kb, code):
    assert kb.lookup_code("okta", code).deep


def test_okta_provisioning_messages_explain_tasks_and_system_log(kb):
    msgs = [e for e in kb.entries() if e.id.startswith("okta-msg-")]
    assert len(msgs) >= 5
    text = " ".join(s for e in msgs for s in e.fix + e.where)
    assert "Dashboard → Tasks" in text and "Retry Selected" in text
    assert "Reports → System Log" in text
    assert "Test API Credentials" in text


@pytest.mark.parametrize("value", OAUTH_VALUES)
def test_oauth_error_values(kb, value):
    entry = kb.lookup_code("oauth", value)
    assert entry is not None and entry.deep


def test_oauth_values_from_the_corpus_are_covered(kb, oauth_rows):
    assert all(kb.lookup_code("oauth", row["error"]) for row in oauth_rows)


@pytest.mark.parametrize("code", ENTRA_PROVISIONING)
def test_entra_provisioning_codes(kb, code):
    entry = kb.lookup_code("entra_provisioning", code)
    assert entry is not None and entry.deep, code


def test_quarantine_clock_is_described(kb):
    entry = kb.get("entra-prov-EncounteredQuarantineException")
    text = " ".join(entry.fix)
    assert all(word in text for word in ("6", "12", "24", "4 weeks", "Restart provisioning"))


@pytest.mark.parametrize("code", SCIM_TYPES)
def test_scim_types(kb, code):
    entry = kb.lookup_code("scim_type", code)
    assert entry is not None and entry.id == f"scim-type-{code}"
    assert any("rfc7644#section-3.12" in ref for ref in entry.refs)


def test_scim_topics(kb):
    required = kb.get("scim-required-attributes")
    assert all(word in required.summary for word in ("first name", "last name", "email", "manager", "external ID"))
    flag = kb.get("scim-aadoptscim062020")
    assert "boolean" in flag.summary
    assert kb.get("scim-duplicate-email").deep


@pytest.mark.parametrize("status", ["400", "401", "403", "404", "409", "412", "413", "429", "500", "501", "502", "503"])
def test_http_statuses(kb, status):
    assert kb.lookup_code("http", status) is not None


def test_http_401_scim_carries_the_recovery(kb):
    entry = kb.get("http-401-scim")
    text = " ".join([entry.summary, *entry.causes, *entry.fix])
    for fact in ("180", "Generate Key", "Admin Credentials", "Test Connection", "Restart provisioning",
                 "Test API Credentials", "10 minutes"):
        assert fact in text, fact
    assert "check:token" in entry.next_checks
    assert "check:scim_url" in kb.get("http-404-scim").next_checks
    assert "check:redirect" in kb.get("http-503-sso").next_checks
    assert "Certificates & secrets" in " ".join(kb.get("http-502-sso").fix)


def test_messages_and_symptoms(kb):
    messages = [e for e in kb.entries() if e.system == "message"]
    assert len(messages) >= 20
    assert all(e.patterns for e in messages)
    for sid in SYMPTOMS:
        entry = kb.get(sid)
        assert entry is not None and entry.patterns and entry.deep, sid
    assert "yourcompany.com" in " ".join(kb.get("symptom-not-routed-to-sso").fix)
    assert "break-glass" in " ".join(kb.get("symptom-locked-out").fix)


def test_every_entry_has_a_one_line_summary_and_a_valid_severity(kb):
    for entry in kb.entries():
        assert entry.summary and "\n" not in entry.summary
        assert entry.severity in {"info", "warn", "fail"}
        assert re.fullmatch(r"[a-z][a-z0-9]*(?:-[A-Za-z0-9_]+)+", entry.id)


def test_entries_the_diagnosis_engine_fetches_by_id(kb):
    # bot/diagnostics/engine/diagnosis.py shows these when a paste is unrecognised or too long
    menu = kb.get("engine-menu")
    assert menu is not None and len(menu.fix) >= 6
    assert kb.get("engine-input-truncated") is not None
