"""The SCIM URL check for URLs of other shapes (issue 12): the guide's shape stays the default, a URL not
evidently in it gets only the rules every SCIM server shares, and an operator's template replaces it."""

from __future__ import annotations

import re

import pytest

from bot.diagnostics.report import Severity
from bot.diagnostics.scim import check_scim_url
from bot.diagnostics.scim.template import (DEFAULT_TEMPLATE, TemplateError, configured_template, parse_template,
                                           use_template)
from bot.settings import SettingsError, load_settings
from services.diagnose import diagnose
from tests.unit.diagnostics.strategies import assert_wellformed, finding

GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
GUIDE = f"https://app.example.com/auth/realms/acme/org/{GUID}/scim/v2"


def problems(report) -> set[str]:
    return {f.code for f in report.findings if f.severity in (Severity.WARN, Severity.FAIL)}


# Base URLs of other shapes, as services publish them; none has a problem.
GENERIC_GOOD = [
    "https://app.example.com/scim/v2",
    "https://api.example.com/scim",  # Microsoft's own collection: {{endpoint}}/scim (corpus scim/azuread_scim_inbound_*)
    "https://example.com/api/scim/v2",
    "https://scim.example.com/v2",
    "https://api.example.com/scim2",
    "https://api.example.com/scim/directory/7d1c4e2a",
    "https://example.com/scim/v2?aadOptscim062020",  # Entra's flag: a note, not a problem
    "https://app.example.com:8443/tenants/acme/scim/v2",
    "https://example.com/api/v1/scim/v2",  # v1 is the service's API version here, not SCIM's
]


@pytest.mark.parametrize("url", GENERIC_GOOD)
def test_other_servers_base_urls_get_no_false_problems(url):
    report = check_scim_url(url)
    assert_wellformed(report)
    assert problems(report) == set()
    assert report.findings[0].code == "scim-url-generic-ok" and report.findings[0].severity is Severity.OK
    assert DEFAULT_TEMPLATE.expected_shape in report.findings[0].detail  # says which shape it is not in


def test_the_corpus_reference_code_urls_read_as_a_base_and_a_resource(corpus):
    text = (corpus / "scim" / "azuread_scim_inbound_postman_collection.json").read_text()
    raws = re.findall(r'"raw": "(https://\{\{endpoint\}\}/scim/Users)"', text)
    assert raws, "the corpus collection no longer has its {{endpoint}}/scim/Users requests"
    url = raws[0].replace("{{endpoint}}", "scim.contoso.example")
    assert url.startswith("https://scim.contoso.example/scim/Users")
    report = check_scim_url(url)
    assert "scim-url-resource-path" in problems(report)
    assert finding(report, "scim-url-resource-path").facts["corrected_url"] == "https://scim.contoso.example/scim"
    assert report.findings[-1].code == "scim-url-generic"  # the note says only the generic rules applied


# (pasted, the problems the generic rules find, the corrected URL)
GENERIC_PROBLEMS = [
    ("http://example.com/scim/v2", {"scim-url-not-https"}, "https://example.com/scim/v2"),
    ("https://example.com/scim/v2/", {"scim-url-trailing-slash"}, "https://example.com/scim/v2"),
    ("https://example.com/scim//v2", {"scim-url-double-slash"}, "https://example.com/scim/v2"),
    ("https://example.com/api/scim/v2/Groups", {"scim-url-resource-path"}, "https://example.com/api/scim/v2"),
    ("https://example.com/scim/v1", {"scim-url-v1"}, "https://example.com/scim/v2"),
    ("https://example.com/v1", {"scim-url-v1"}, "https://example.com/v2"),  # the path ends at SCIM version 1
    ("https://example.com/scim/v2?tenant=acme", {"scim-url-query"}, "https://example.com/scim/v2"),
    ("https://example.com/scim/v2#users", {"scim-url-fragment"}, "https://example.com/scim/v2"),
]


@pytest.mark.parametrize("url,expected,corrected", GENERIC_PROBLEMS)
def test_the_rules_every_scim_server_shares_still_apply(url, expected, corrected):
    report = check_scim_url(url)
    assert problems(report) == expected
    assert finding(report, next(iter(expected))).facts.get("corrected_url") == corrected


def test_credentials_and_a_private_host_are_problems_for_any_server():
    assert "scim-url-userinfo" in problems(check_scim_url("https://admin:pw@example.com/scim/v2"))
    assert "scim-url-host-not-public" in problems(check_scim_url("https://10.0.0.5/scim/v2"))


def test_no_version_segment_is_a_note_not_a_problem():
    report = check_scim_url("https://api.example.com/scim")
    assert finding(report, "scim-url-generic-no-version").severity is Severity.INFO


def test_a_url_with_the_guides_own_segments_is_still_held_to_the_guides_shape():
    assert problems(check_scim_url(f"https://app.example.com/realms/acme/org/{GUID}/scim/v2")) == \
        {"scim-url-missing-auth-prefix"}
    assert check_scim_url(GUIDE).findings[0].code == "scim-url-ok"


def test_on_a_configured_environment_the_guides_shape_applies_in_full():
    report = check_scim_url("https://app.example.com/scim/v2", environments={"prod": "https://app.example.com"})
    assert {"scim-url-missing-realm", "scim-url-missing-org"} <= problems(report)


def test_the_issues_three_false_problems_are_gone_through_the_diagnose_use_case():
    report = diagnose("diagnose", "our SCIM base URL is https://api.example.com/scim/v2 and provisioning fails")
    assert not {f.code for f in report.findings} & {"scim-url-missing-realm", "scim-url-missing-org",
                                                     "scim-url-missing-auth-prefix"}


# --------------------------------------------------------------------------- an operator's template

TENANT = parse_template("{base}/api/scim/v2/{tenant}")


def test_a_url_in_the_configured_shape_is_ok():
    report = check_scim_url("https://app.example.com/api/scim/v2/acme", template=TENANT)
    assert report.findings[0].code == "scim-url-template-ok" and problems(report) == set()


def test_a_url_off_the_configured_shape_says_where():
    report = check_scim_url("https://app.example.com/api/scim/acme", template=TENANT)
    mismatch = finding(report, "scim-url-template-mismatch")
    assert "/acme" in mismatch.detail and "/v2" in mismatch.detail and "/api/scim/v2/<tenant>" in mismatch.title


def test_case_and_a_resource_path_are_fixed_in_the_configured_shape():
    report = check_scim_url("https://app.example.com/API/scim/v2/acme/Users", template=TENANT)
    assert problems(report) == {"scim-url-path-case", "scim-url-resource-path"}
    assert finding(report, "scim-url-path-case").facts["corrected_url"] == "https://app.example.com/api/scim/v2/acme"


def test_a_client_guid_in_a_configured_shape_must_be_a_guid():
    template = parse_template("{base}/scim/{client_guid}/v2")
    on_env = {"prod": "https://app.example.com"}
    assert problems(check_scim_url(f"https://app.example.com/scim/{GUID}/v2", environments=on_env,
                                   template=template)) == set()
    hyphenless = check_scim_url(f"https://app.example.com/scim/{GUID.replace('-', '')}/v2", environments=on_env,
                                template=template)
    assert finding(hyphenless, "scim-url-guid-no-hyphens").facts["corrected_url"] == \
        f"https://app.example.com/scim/{GUID}/v2"
    assert "scim-url-guid-invalid" in problems(check_scim_url("https://app.example.com/scim/acme/v2",
                                                              environments=on_env, template=template))


def test_the_configured_template_is_what_checks_use_by_default():
    assert configured_template() is DEFAULT_TEMPLATE
    use_template(TENANT)
    try:
        assert check_scim_url("https://app.example.com/api/scim/v2/acme").findings[0].code == "scim-url-template-ok"
    finally:
        use_template(DEFAULT_TEMPLATE)


@pytest.mark.parametrize("text", ["{base}/scim/v2", "<base>/api/scim/<tenant>/v2", "{environment_base_url}/x/{a}/v2",
                                  " {base}/auth/realms/{realm}/org/{client_guid}/scim/v2 "])
def test_templates_that_parse(text):
    template = parse_template(text)
    assert template.expected_shape.startswith("{environment_base_url}/")


@pytest.mark.parametrize("text,reason", [
    ("https://app.example.com/scim/v2", "must start with {base}"),
    ("{base}/scim/v2/", "trailing slash"),
    ("{base}/scim//v2", "single-slash"),
    ("{base}/scim/v2?x=1", "no query"),
    ("{base}/scim/v2/Users", "before /Users"),
    ("{base}/{a}/scim/{a}", "appears twice"),
    ("{base}/sc im/v2", "neither plain text"),
])
def test_templates_that_do_not_parse_say_why(text, reason):
    with pytest.raises(TemplateError, match=reason.replace("{", r"\{").replace("?", r"\?")):
        parse_template(text)


def test_the_setting_reads_the_template_and_names_itself_when_wrong():
    assert load_settings({}).scim_url_template == DEFAULT_TEMPLATE
    assert load_settings({"SSO_BOT_SCIM_URL_TEMPLATE": "{base}/api/scim/v2/{tenant}"}).scim_url_template == TENANT
    with pytest.raises(SettingsError, match="^SSO_BOT_SCIM_URL_TEMPLATE: it must start with"):
        load_settings({"SSO_BOT_SCIM_URL_TEMPLATE": "/scim/v2"})
