"""check_domains: bare domains only, the cleaned list, and whether an email's domain is allowed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.diagnostics.domains import check_domains, split_domain_entries
from bot.diagnostics.report import Severity
from tests.unit.diagnostics.strategies import FUZZ, PATHOLOGICAL, assert_wellformed, codes, finding, hostile_text


def problem_codes(report) -> set[str]:
    return {f.code for f in report.findings if f.code != "domains-ok" and not f.code.startswith("domains-email-")}


def test_clean_list_is_ok():
    report = check_domains("contoso.com, fabrikam.co.uk")
    assert_wellformed(report)
    assert codes(report) == ["domains-ok"]
    assert finding(report, "domains-ok").facts["cleaned"] == "contoso.com, fabrikam.co.uk"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a.com,b.com;c.com\nd.com e.com\r\nf.com", ["a.com", "b.com", "c.com", "d.com", "e.com", "f.com"]),
        ("  a.com ,  , b.com  ", ["a.com", "b.com"]),
        ("my company.com, a.com", ["my company.com", "a.com"]),
        ("contoso .com", ["contoso .com"]),
        (["a.com", "b.com, c.com"], ["a.com", "b.com", "c.com"]),
        ("", []),
    ],
)
def test_splitting(text, expected):
    assert split_domain_entries(text) == expected


# (entry, the problem it has, its severity, what the cleaned list becomes)
PROBLEMS = [
    ("@contoso.com", "domains-leading-at", Severity.FAIL, "contoso.com"),
    ("jane@contoso.com", "domains-address-instead-of-domain", Severity.FAIL, "contoso.com"),
    ("https://contoso.com", "domains-scheme", Severity.FAIL, "contoso.com"),
    ("contoso.com/login", "domains-path", Severity.FAIL, "contoso.com"),
    ("contoso.com:443", "domains-port", Severity.FAIL, "contoso.com"),
    ("*.contoso.com", "domains-wildcard", Severity.WARN, "contoso.com"),
    (".contoso.com", "domains-wildcard", Severity.WARN, "contoso.com"),
    ("my company.com", "domains-inner-space", Severity.FAIL, "mycompany.com"),
    ("Contoso.COM", "domains-uppercase", Severity.INFO, "contoso.com"),
    ("contoso.com.", "domains-trailing-dot", Severity.WARN, "contoso.com"),
    ('"contoso.com"', "domains-stray-characters", Severity.WARN, "contoso.com"),
    ("contoso.com, contoso.com", "domains-duplicate", Severity.INFO, "contoso.com"),
    ("yourcompany.com", "domains-placeholder", Severity.WARN, "yourcompany.com"),
    ("bad_label.com, contoso.com", "domains-invalid", Severity.FAIL, "contoso.com"),
    ("-lead.com, contoso.com", "domains-invalid", Severity.FAIL, "contoso.com"),
    ("trail-.com, contoso.com", "domains-invalid", Severity.FAIL, "contoso.com"),
    (f"{'a' * 64}.com, contoso.com", "domains-invalid", Severity.FAIL, "contoso.com"),
    ("contoso..com, contoso.com", "domains-invalid", Severity.FAIL, "contoso.com"),
    ("10.0.0.1, contoso.com", "domains-invalid", Severity.FAIL, "contoso.com"),
    ("contoso, fabrikam.com", "domains-incomplete", Severity.WARN, "fabrikam.com"),
]


@pytest.mark.parametrize(("text", "code", "severity", "cleaned"), PROBLEMS)
def test_each_problem(text, code, severity, cleaned):
    report = check_domains(text)
    assert_wellformed(report)
    assert problem_codes(report) == {code}, codes(report)
    f = finding(report, code)
    assert f.severity is severity
    assert f.facts["cleaned"] == cleaned
    assert f.fix[-1] == f"Enter the cleaned list: {cleaned}"
    assert ("domains-ok" in codes(report)) is (severity is Severity.INFO)


def test_leading_at_quotes_the_guide_rule():
    f = finding(check_domains("@yourcompany.com"), "domains-leading-at")
    assert "yourcompany.com, not @yourcompany.com" in f.detail


def test_invalid_entries_say_why():
    f = finding(check_domains("bad_label.com"), "domains-invalid")
    assert "underscore" in f.detail
    f = finding(check_domains("-lead.com"), "domains-invalid")
    assert "hyphen" in f.detail
    f = finding(check_domains(f"{'a' * 64}.com"), "domains-invalid")
    assert "63" in f.detail


def test_duplicates_are_found_after_normalising():
    report = check_domains("@Contoso.com, contoso.com., https://CONTOSO.com/")
    assert {"domains-duplicate", "domains-uppercase", "domains-leading-at", "domains-trailing-dot"} <= set(codes(report))
    assert finding(report, "domains-duplicate").facts["cleaned"] == "contoso.com"


def test_many_problems_reported_once_each_with_affected_entries():
    text = "@a.com, @b.com, https://c.com/x, *.d.com, E.com"
    report = check_domains(text)
    found = codes(report)
    assert len(found) == len(set(found))
    assert finding(report, "domains-leading-at").facts["entries"] == "@a.com, @b.com"
    assert finding(report, "domains-leading-at").facts["count"] == "2"
    assert finding(report, "domains-scheme").facts["cleaned"] == "a.com, b.com, c.com, d.com, e.com"


def test_idn_shows_punycode_and_suggests_both_forms():
    report = check_domains("bücher.de")
    f = finding(report, "domains-idn")
    assert f.severity is Severity.INFO
    assert f.facts["punycode"] == "xn--bcher-kva.de"
    assert "bücher.de = xn--bcher-kva.de" in f.detail
    assert "not known" in f.detail
    assert any("both" in step for step in f.fix)
    punycode = finding(check_domains("xn--bcher-kva.de"), "domains-idn")
    assert "bücher.de" in punycode.detail


def test_slack_link_markup_is_not_a_problem():
    report = check_domains("<http://contoso.com|contoso.com>, <mailto:jane@fabrikam.com|jane@fabrikam.com>")
    assert finding(report, "domains-address-instead-of-domain").facts["cleaned"] == "contoso.com, fabrikam.com"
    assert "domains-scheme" not in codes(report)


class TestEmail:
    LIST = "contoso.com, eu.fabrikam.com, bücher.de"

    def test_allowed(self):
        f = finding(check_domains(self.LIST, email="jane@Contoso.com"), "domains-email-allowed")
        assert f.severity is Severity.OK
        assert f.facts["email_domain"] == "contoso.com"

    def test_subdomain_is_not_covered(self):
        f = finding(check_domains(self.LIST, email="jane@uk.contoso.com"), "domains-email-subdomain-not-covered")
        assert f.severity is Severity.FAIL
        assert f.facts["listed_parent"] == "contoso.com"
        assert f.fix == ("Add uk.contoso.com to the list.",)

    def test_parent_of_a_listed_subdomain_is_not_covered(self):
        f = finding(check_domains(self.LIST, email="jane@fabrikam.com"), "domains-email-not-allowed")
        assert "eu.fabrikam.com" in f.detail

    def test_not_allowed(self):
        f = finding(check_domains(self.LIST, email="jane@northwind.com"), "domains-email-not-allowed")
        assert f.severity is Severity.FAIL

    def test_idn_forms_match(self):
        f = finding(check_domains(self.LIST, email="jane@xn--bcher-kva.de"), "domains-email-allowed")
        assert "punycode" in f.detail

    @pytest.mark.parametrize("email", ["jane", "@contoso.com", "jane@", "jane@localhost", "", "jane@con toso.com"])
    def test_invalid_email(self, email):
        assert "domains-email-invalid" in codes(check_domains(self.LIST, email=email))

    def test_empty_list_with_email(self):
        report = check_domains("", email="jane@contoso.com")
        assert codes(report) == ["domains-empty", "domains-email-not-allowed"]


@pytest.mark.parametrize("value", [None, "", " ,; \n", [], [None, 5, b"contoso.com"], 42])
def test_odd_inputs(value):
    assert_wellformed(check_domains(value))


@pytest.mark.parametrize("text", PATHOLOGICAL)
def test_pathological_inputs(text):
    assert_wellformed(check_domains(text, email=text[:500]))


@FUZZ
@given(text=hostile_text, email=st.one_of(st.none(), st.text(max_size=80), st.emails()))
def test_never_raises(text, email):
    report = check_domains(text, email=email)
    assert_wellformed(report)
    found = codes(report)
    assert len(found) == len(set(found))


@FUZZ
@given(entries=st.lists(st.text(max_size=40), max_size=30))
def test_list_input_never_raises(entries):
    assert_wellformed(check_domains(entries))
