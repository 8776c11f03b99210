"""check_scim_url: one finding per problem, the corrected URL, environments."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.diagnostics.report import Severity
from bot.diagnostics.scim import check_scim_url
from tests.unit.diagnostics.strategies import FUZZ, assert_wellformed, codes, finding, hostile_text

GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
BASE = "https://app.example.com"
GOOD = f"{BASE}/auth/realms/acme/org/{GUID}/scim/v2"
ENVS = {"prod": "https://app.example.com", "dev": "https://dev.example.com"}


def problem_codes(report) -> set[str]:
    return {f.code for f in report.findings if f.severity in (Severity.WARN, Severity.FAIL)}


def test_good_url_gets_an_ok_finding_with_what_was_checked():
    report = check_scim_url(GOOD)
    assert_wellformed(report)
    assert report.worst is Severity.OK
    ok = finding(report, "scim-url-ok")
    assert ok.facts["realm"] == "acme"
    assert ok.facts["client_guid"] == GUID
    assert "corrected_url" not in ok.facts
    assert report.inputs == ("scim_url",)


# (pasted value, the one problem it has, severity)
SINGLE_PROBLEMS = [
    (f"http://app.example.com/auth/realms/acme/org/{GUID}/scim/v2", "scim-url-not-https", Severity.FAIL),
    (f"ftp://app.example.com/auth/realms/acme/org/{GUID}/scim/v2", "scim-url-not-https", Severity.FAIL),
    (f"app.example.com/auth/realms/acme/org/{GUID}/scim/v2", "scim-url-no-scheme", Severity.FAIL),
    (f"https:/app.example.com/auth/realms/acme/org/{GUID}/scim/v2", "scim-url-scheme-slashes", Severity.FAIL),
    (f"  {GOOD}\n", "scim-url-whitespace", Severity.WARN),
    (f"{BASE}/auth/realms/acme/org/\u200b{GUID}/scim/v2", "scim-url-whitespace", Severity.WARN),
    (f"\u00a0{GOOD}", "scim-url-whitespace", Severity.WARN),
    (f'"{GOOD}"', "scim-url-quotes", Severity.WARN),
    (f"“{GOOD}”", "scim-url-quotes", Severity.WARN),
    (f"<{GOOD}>", "scim-url-angle-brackets", Severity.WARN),
    (f"<{GOOD}|{GOOD}>", "scim-url-angle-brackets", Severity.WARN),
    (f"{GOOD}.", "scim-url-trailing-punctuation", Severity.WARN),
    (f"{BASE}//auth/realms/acme/org/{GUID}/scim/v2", "scim-url-double-slash", Severity.FAIL),
    (f"{BASE}/auth/realms/acme/org/{GUID}//scim/v2", "scim-url-double-slash", Severity.FAIL),
    (f"{GOOD}/", "scim-url-trailing-slash", Severity.WARN),
    (f"{BASE}/auth/realms/acme/org/{GUID}/scim", "scim-url-missing-v2", Severity.FAIL),
    (f"{BASE}/auth/realms/acme/org/{GUID}/scim/v1", "scim-url-v1", Severity.FAIL),
    (f"{BASE}/auth/realms/acme/org/{GUID}/scim/v3", "scim-url-wrong-version", Severity.FAIL),
    (f"{GOOD}/Users", "scim-url-resource-path", Severity.FAIL),
    (f"{GOOD}/Groups", "scim-url-resource-path", Severity.FAIL),
    (f"{GOOD}/Users/2819c223-7f76-453a-919d-413861904646", "scim-url-resource-path", Severity.FAIL),
    (f"{GOOD}/ServiceProviderConfig", "scim-url-resource-path", Severity.FAIL),
    (f"{GOOD}/Schemas", "scim-url-resource-path", Severity.FAIL),
    (f"{GOOD}?filter=userName", "scim-url-query", Severity.FAIL),
    (f"{GOOD}#top", "scim-url-fragment", Severity.FAIL),
    (f"{BASE}/auth/realms/acme/org/{GUID}/SCIM/V2", "scim-url-path-case", Severity.FAIL),
    (f"{BASE}/Auth/Realms/acme/Org/{GUID}/scim/v2", "scim-url-path-case", Severity.FAIL),
    (f"{BASE}/realms/acme/org/{GUID}/scim/v2", "scim-url-missing-auth-prefix", Severity.FAIL),
    (f"{BASE}/org/{GUID}/auth/realms/acme/scim/v2", "scim-url-segment-order", Severity.FAIL),
    (f"{BASE}/auth/realms/acme/scim/v2/org/{GUID}", "scim-url-segment-order", Severity.FAIL),
    (f"{BASE}/auth/realms/acme/org/{{{GUID}}}/scim/v2", "scim-url-guid-braces", Severity.FAIL),
    (f"{BASE}/auth/realms/acme/org/%7B{GUID}%7D/scim/v2", "scim-url-guid-braces", Severity.FAIL),
    (f"{BASE}/auth/realms/acme/org/{GUID.replace('-', '')}/scim/v2", "scim-url-guid-no-hyphens", Severity.FAIL),
    (f"{BASE}/api/auth/realms/acme/org/{GUID}/scim/v2", "scim-url-unexpected-segments", Severity.FAIL),
    (f"{BASE}/auth/realms/acme/org/{GUID}/scim/v2/extra", "scim-url-unexpected-segments", Severity.FAIL),
    (f"https://user:pa55@app.example.com/auth/realms/acme/org/{GUID}/scim/v2", "scim-url-userinfo", Severity.FAIL),
    (f"https://localhost:8443/auth/realms/acme/org/{GUID}/scim/v2", "scim-url-host-not-public", Severity.WARN),
    (f"https://10.1.2.3/auth/realms/acme/org/{GUID}/scim/v2", "scim-url-host-not-public", Severity.WARN),
]


@pytest.mark.parametrize(("url", "code", "severity"), SINGLE_PROBLEMS)
def test_each_problem_has_its_own_code(url, code, severity):
    report = check_scim_url(url)
    assert_wellformed(report)
    assert problem_codes(report) == {code}, codes(report)
    assert finding(report, code).severity is severity
    assert "scim-url-ok" not in codes(report)


# Problems whose corrected URL can be derived: it is the good URL, given as a fact and in the fix.
CORRECTABLE = [url for url, code, _ in SINGLE_PROBLEMS if code not in ("scim-url-host-not-public",)]


@pytest.mark.parametrize("url", CORRECTABLE)
def test_corrected_url_is_given_as_fact_and_fix(url):
    report = check_scim_url(url)
    problems = [f for f in report.findings if f.severity in (Severity.WARN, Severity.FAIL)]
    expected = GOOD
    assert problems
    for f in problems:
        assert f.facts["corrected_url"] == expected, (f.code, f.facts)
        assert any(expected in step for step in f.fix), f.fix


def test_corrected_url_keeps_the_port_and_drops_the_userinfo():
    report = check_scim_url(f"https://user:pa55@app.example.com:8443/auth/realms/acme/org/{GUID}/scim/v2")
    f = finding(report, "scim-url-userinfo")
    assert f.facts["corrected_url"] == f"https://app.example.com:8443/auth/realms/acme/org/{GUID}/scim/v2"
    assert all("pa55" not in text for text in [f.title, f.detail, *f.fix, *f.facts.values()])


def test_several_problems_at_once_each_reported_once():
    messy = f"  'http://app.example.com//Auth/realms/acme/org/{{{GUID}}}/SCIM/Users/'. "
    report = check_scim_url(messy)
    found = codes(report)
    assert len(found) == len(set(found)), "one finding per problem"
    assert {
        "scim-url-whitespace",
        "scim-url-quotes",
        "scim-url-trailing-punctuation",
        "scim-url-not-https",
        "scim-url-double-slash",
        "scim-url-trailing-slash",
        "scim-url-path-case",
        "scim-url-guid-braces",
        "scim-url-missing-v2",
        "scim-url-resource-path",
    } <= set(found)
    assert finding(report, "scim-url-not-https").facts["corrected_url"] == GOOD


def test_missing_v2_and_resource_path_together():
    report = check_scim_url(f"{BASE}/auth/realms/acme/org/{GUID}/scim/Users")
    assert problem_codes(report) == {"scim-url-missing-v2", "scim-url-resource-path"}
    assert finding(report, "scim-url-resource-path").facts["resource_path"] == "/Users"
    assert finding(report, "scim-url-missing-v2").facts["corrected_url"] == GOOD


@pytest.mark.parametrize(
    ("url", "code"),
    [
        (f"{BASE}/auth/realms/acme/scim/v2", "scim-url-missing-org"),
        (f"{BASE}/auth/realms/acme/org/scim/v2", "scim-url-missing-org"),
        (f"{BASE}/org/{GUID}/scim/v2", "scim-url-missing-realm"),
        (f"{BASE}/auth/realms/org/{GUID}/scim/v2", "scim-url-missing-realm"),
        (f"{BASE}/auth/realms/acme/org/{GUID}", "scim-url-missing-scim-path"),
    ],
)
def test_missing_segments(url, code):
    report = check_scim_url(url)
    assert code in problem_codes(report)
    f = finding(report, code)
    if code == "scim-url-missing-scim-path":
        assert f.facts["corrected_url"] == GOOD
    else:
        # the realm or the GUID is unknown: no corrected URL, but the expected shape
        assert "corrected_url" not in f.facts
        assert "/auth/realms/<realm>/org/<client_guid>/scim/v2" in f.facts["expected_shape"]


def test_guid_next_to_realm_without_org_is_recovered():
    report = check_scim_url(f"{BASE}/auth/realms/acme/{GUID}/scim/v2")
    f = finding(report, "scim-url-missing-org")
    assert f.facts["corrected_url"] == GOOD


@pytest.mark.parametrize(
    ("guid", "reason_part"),
    [
        ("3f2504e0-4f89-11d3-9a0c", "23 characters"),
        ("3f2504e0-4f89-11d3-9a0c-0305e82c330z", "non-hex characters (z)"),
        ("not-a-guid", "non-hex"),
    ],
)
def test_invalid_guid_says_why_and_gives_no_correction(guid, reason_part):
    report = check_scim_url(f"{BASE}/auth/realms/acme/org/{guid}/scim/v2")
    f = finding(report, "scim-url-guid-invalid")
    assert reason_part in f.facts["reason"]
    assert "corrected_url" not in f.facts


def test_guid_with_braces_and_no_hyphens_says_both():
    report = check_scim_url(f"{BASE}/auth/realms/acme/org/{{{GUID.replace('-', '')}}}/scim/v2")
    assert {"scim-url-guid-braces", "scim-url-guid-no-hyphens"} <= problem_codes(report)
    assert finding(report, "scim-url-guid-braces").facts["corrected_url"] == GOOD


@pytest.mark.parametrize(
    "url",
    [
        "{environment_base_url}/auth/realms/<realm>/org/{client_guid}/scim/v2",
        f"{BASE}/auth/realms/<realm>/org/{GUID}/scim/v2",
        f"{BASE}/auth/realms/acme/org/{{client_guid}}/scim/v2",
        f"{BASE}/auth/realms/acme/org/%7Bclient_guid%7D/scim/v2",
        "https://{{endpoint}}/scim/v2",
    ],
)
def test_template_placeholders(url):
    report = check_scim_url(url)
    f = finding(report, "scim-url-placeholder")
    assert f.severity is Severity.FAIL
    assert f.facts["placeholders"]
    assert all("corrected_url" not in g.facts for g in report.findings)
    assert "scim-url-no-scheme" not in codes(report)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"https://app_example.com/auth/realms/acme/org/{GUID}/scim/v2", "underscore"),
        (f"https://app..example.com/auth/realms/acme/org/{GUID}/scim/v2", "empty label"),
        (f"https://-app.example.com/auth/realms/acme/org/{GUID}/scim/v2", "inner hyphens"),
        (f"https://app.example.com:99999/auth/realms/acme/org/{GUID}/scim/v2", "port"),
    ],
)
def test_bad_host(url, reason):
    report = check_scim_url(url)
    f = finding(report, "scim-url-bad-host")
    assert reason in f.facts["reason"]


def test_no_host():
    report = check_scim_url(f"https:///auth/realms/acme/org/{GUID}/scim/v2")
    assert "scim-url-no-host" in problem_codes(report)


def test_entra_compatibility_flag_is_information_not_a_mistake():
    report = check_scim_url(f"{GOOD}?aadOptscim062020")
    assert report.worst is Severity.OK or report.worst is Severity.INFO
    assert "scim-url-entra-flag" in codes(report)
    assert "scim-url-ok" in codes(report)
    mixed = check_scim_url(f"{GOOD}/?aadOptscim062020")
    assert finding(mixed, "scim-url-trailing-slash").facts["corrected_url"] == f"{GOOD}?aadOptscim062020"


def test_explicit_https_port_is_kept_and_http_port_80_dropped_on_upgrade():
    report = check_scim_url(f"http://app.example.com:80/auth/realms/acme/org/{GUID}/scim/v2")
    assert finding(report, "scim-url-not-https").facts["corrected_url"] == GOOD


class TestEnvironments:
    def test_names_the_environment(self):
        report = check_scim_url(GOOD, environments=ENVS)
        assert finding(report, "scim-url-environment").facts["environment"] == "prod"
        assert finding(report, "scim-url-ok").facts["environment"] == "prod"

    def test_host_case_and_default_port_still_match(self):
        report = check_scim_url(GOOD.replace("app.example.com", "App.Example.com:443"), environments=ENVS)
        assert finding(report, "scim-url-environment").facts["environment"] == "prod"

    def test_expected_environment_matches(self):
        report = check_scim_url(GOOD, environments=ENVS, expected_env="prod")
        assert report.worst is Severity.INFO or report.worst is Severity.OK
        assert "scim-url-wrong-environment" not in codes(report)

    def test_wrong_environment(self):
        dev = GOOD.replace("app.example.com", "dev.example.com")
        report = check_scim_url(dev, environments=ENVS, expected_env="prod")
        f = finding(report, "scim-url-wrong-environment")
        assert f.severity is Severity.WARN
        assert f.facts == {"environment": "dev", "expected_environment": "prod"}
        assert any("https://app.example.com" in step for step in f.fix)

    def test_unknown_environment(self):
        report = check_scim_url(GOOD.replace("app.example.com", "stage.example.com"), environments=ENVS)
        f = finding(report, "scim-url-unknown-environment")
        assert f.severity is Severity.WARN
        assert "prod" in f.facts["known_environments"] and "dev" in f.facts["known_environments"]

    def test_environment_with_a_path_prefix(self):
        envs = {"eu": "https://eu.example.com/tenant1"}
        url = f"https://eu.example.com/tenant1/auth/realms/acme/org/{GUID}/scim/v2"
        report = check_scim_url(url, environments=envs)
        assert "scim-url-ok" in codes(report)
        assert finding(report, "scim-url-environment").facts["environment"] == "eu"
        fixed = check_scim_url(url + "/", environments=envs)
        assert finding(fixed, "scim-url-trailing-slash").facts["corrected_url"] == url

    def test_expected_environment_not_configured(self):
        report = check_scim_url(GOOD, environments=ENVS, expected_env="stage")
        assert "scim-url-expected-env-unknown" in codes(report)


@pytest.mark.parametrize(("value", "code"), [("", "scim-url-empty"), ("   \n", "scim-url-empty"), ("hello", "scim-url-not-a-url")])
def test_not_a_url(value, code):
    report = check_scim_url(value)
    assert codes(report) == [code]


@pytest.mark.parametrize("value", [None, b"https://app.example.com/x", 12345, ["a"], "\x00" * 1000])
def test_odd_input_types(value):
    assert_wellformed(check_scim_url(value))


@FUZZ
@given(text=hostile_text)
def test_never_raises_on_hostile_input(text):
    report = check_scim_url(text, environments=ENVS, expected_env="prod")
    assert_wellformed(report)
    found = codes(report)
    assert len(found) == len(set(found))


@FUZZ
@given(
    realm=st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True).filter(lambda r: r not in ("auth", "realms", "org", "scim")),
    guid=st.uuids().map(str),
)
def test_any_well_formed_url_is_ok(realm, guid):
    report = check_scim_url(f"{BASE}/auth/realms/{realm}/org/{guid}/scim/v2")
    assert report.worst is Severity.OK, codes(report)


def test_environment_advice_does_not_offer_the_other_environments_url():
    dev = f"http://dev.example.com/auth/realms/acme/org/{GUID}/scim/v2"
    report = check_scim_url(dev, environments=ENVS, expected_env="prod")
    assert finding(report, "scim-url-not-https").facts["corrected_url"] == dev.replace("http:", "https:")
    wrong = finding(report, "scim-url-wrong-environment")
    assert "corrected_url" not in wrong.facts
    assert codes(report)[-1] == "scim-url-wrong-environment"  # path problems first, environment last


def test_host_and_port_without_scheme():
    report = check_scim_url(f"app.example.com:8443/auth/realms/acme/org/{GUID}/scim/v2")
    f = finding(report, "scim-url-no-scheme")
    assert f.facts["corrected_url"] == f"https://app.example.com:8443/auth/realms/acme/org/{GUID}/scim/v2"
