"""A check's findings weigh by what the paste is about. The SCIM URL check knows the product's endpoint shape
(``/auth/realms/<realm>/org/<client_guid>/scim/v2``, or the configured template); a SCIM URL it holds only to the
generic SCIM rules, quoted in a paste that says more, is another system's endpoint: its findings stay, as notes after the knowledge's, at a
low confidence, and the free text is still ranked (bot/diagnostics/engine/links.py, ``_foreign``)."""

from __future__ import annotations

from bot.diagnostics.engine import diagnose
from bot.diagnostics.engine.links import FOREIGN_CHECK
from tests.unit.diagnostics.engine.test_engine_helpers import codes

OTHER = "https://idm.example.net/api/v1/scim/v2/Users"  # a generic endpoint with one problem: the resource path
OURS_WITHOUT_ORG = "https://app.example.com/auth/realms/acme/scim/v2"


def test_another_systems_url_pasted_alone_is_still_checked_first(now):
    for paste in (OTHER, f"Tenant URL: {OTHER}"):
        report = diagnose(paste, now=now)
        assert report.findings[0].code.startswith("scim-url-") and report.findings[0].confidence == 0.95


def test_another_systems_url_in_a_description_leaves_the_lead_to_the_description(now):
    paste = (f"The IdP sends new hires to {OTHER} but none of them was created in the app for two days, "
             "and the provisioning log has no entries at all")
    report = diagnose(paste, now=now)
    first = report.findings[0]
    assert first.code.startswith("symptom-"), codes(report)
    url_findings = [f for f in report.findings if f.code.startswith("scim-url-")]
    assert url_findings and all(f.confidence == FOREIGN_CHECK for f in url_findings)
    assert report.findings.index(url_findings[0]) > 0


def test_a_code_leads_another_systems_url_and_ours_keeps_its_weight(now):
    other = diagnose(f"Okta provisioning to {OTHER} fails: scimType uniqueness, the user exists already", now=now)
    assert codes(other)[0] == "scim-type-uniqueness"
    assert {f.confidence for f in other.findings if f.code.startswith("scim-url-")} == {FOREIGN_CHECK}
    ours = diagnose(f"Okta provisioning to {OURS_WITHOUT_ORG} fails: scimType uniqueness, the user exists already",
                    now=now)
    assert codes(ours)[:2] == ["scim-type-uniqueness", "scim-url-missing-org"]
    assert ours.findings[1].confidence == 0.95
