"""A check's finding is its knowledge entry filled with the check's facts (``explain.check_finding``):
titles, details, fix steps and references live in the knowledge files only (checks.toml, live_checks.toml,
file_checks.toml)."""

from __future__ import annotations

import ast

import pytest
from pydantic import ValidationError

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Severity
from bot.knowledge.schema import Entry, template_fields
from tests.conftest import REPO

#: Check families whose findings all come from their entries; their modules build no Finding themselves.
FROM_THE_KNOWLEDGE = tuple(f"bot/diagnostics/{family}" for family in ("token", "domains", "redirect", "scim", "saml",
                                                                      "live")) + ("bot/files",)


def test_a_finding_is_its_entry_filled_with_facts(kb):
    facts = {"fingerprint": "sha256:ab12", "expired_ago": "3 days", "expires_at": "2026-11-25 12:00:00 UTC"}
    finding = check_finding("token-expired", facts, values={"how": "from its exp claim"})
    entry = kb.get("token-expired")
    assert finding.code == "token-expired" and finding.severity is Severity.FAIL
    assert finding.title == "Expired 3 days ago"
    assert finding.detail.startswith("The token expired on 2026-11-25 12:00:00 UTC (from its exp claim). ")
    assert finding.fix == tuple(entry.fix) and len(finding.fix) == 4
    assert finding.refs == tuple(entry.refs)
    assert finding.facts == facts  # the values only fill the text; they are not shown as facts


def test_a_missing_fact_costs_only_its_own_text(kb):
    entry = kb.get("token-valid")
    finding = check_finding("token-valid", {"time_left": "40 days"}, severity=Severity.OK)
    assert finding.title == "Not expired: 40 days left"
    assert finding.detail == entry.summary  # {expires_at} and {how} are missing
    assert finding.fix == ()  # its one step needs {expires_at}
    assert finding.severity is Severity.OK
    bare = check_finding("token-expired")
    assert bare.title == kb.get("token-expired").name and len(bare.fix) == 4


def test_a_fact_is_placed_as_it_is_never_read_as_a_template():
    finding = check_finding("token-expired", {"expired_ago": "{expires_at} {0} {__class__}", "expires_at": "x"},
                            values={"how": "{how}"})
    assert finding.title == "Expired {expires_at} {0} {__class__} ago"
    assert "(x) ({how})" not in finding.detail and "on x ({how})." in finding.detail


def test_an_unknown_code_or_an_entry_without_a_title_is_refused():
    with pytest.raises(LookupError):
        check_finding("token-no-such-thing")
    with pytest.raises(LookupError):
        check_finding("aadsts-50011")  # a knowledge entry, but not a check's finding text


@pytest.mark.parametrize("template", ["{a.b}", "{0}", "{}", "{x!r}", "{x:>10}", "{Days}", "{x", "x}"])
def test_a_template_only_places_plain_named_facts(template):
    with pytest.raises(ValueError):
        template_fields(template)


def test_template_fields_are_the_names_between_braces():
    assert template_fields("Expired {expired_ago} ago on {expires_at}; {{literal}}") == {"expired_ago", "expires_at"}


def _entry(**fields):
    base = {"id": "token-x", "system": "check", "name": "X", "summary": "An x.", "severity": "warn"}
    return Entry(**(base | fields))


def test_only_check_entries_have_templates_and_a_detail_needs_a_title():
    assert _entry(title="Saw {count}", detail="Saw {count} of them.", fix=["Remove {count}."]).title == "Saw {count}"
    with pytest.raises(ValidationError):
        _entry(detail="Saw {count} of them.")
    with pytest.raises(ValidationError):
        _entry(title="Saw {count}", fix=["Remove {0}."])
    with pytest.raises(ValidationError):
        Entry(id="msg-x", system="message", name="X", summary="An x.", patterns=["x happened"], title="X")


@pytest.mark.parametrize("family", FROM_THE_KNOWLEDGE)
def test_the_family_writes_no_finding_text_of_its_own(family):
    """Its modules emit codes and facts through check_finding; a Finding(...) call would carry its own text."""
    for path in sorted((REPO / family).glob("*.py")):
        tree = ast.parse(path.read_text())
        calls = [n.lineno for n in ast.walk(tree)
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "Finding"]
        assert calls == [], f"{path.name} builds a Finding at lines {calls}"


def test_every_check_entry_has_its_finding_text(kb):
    entries = [e for e in kb.entries() if e.system == "check"]
    assert len(entries) > 250 and all(e.title for e in entries), [e.id for e in entries if not e.title]


def test_an_optional_part_shows_only_with_its_facts():
    facts = {"email_domain": "contoso.com"}
    alone = check_finding("domains-email-not-allowed", facts)
    assert alone.detail == "No entry equals contoso.com, so this user is not routed to SSO."
    beside = check_finding("domains-email-not-allowed", facts, values={"listed_children": "eu.contoso.com"})
    assert beside.detail == alone.detail + " Only its subdomain(s) eu.contoso.com are listed, which do not cover it."
    empty = check_finding("domains-email-not-allowed", facts, values={"listed_children": ""})
    assert empty.detail == alone.detail  # an empty fact says nothing
    assert alone.fix == ("Add contoso.com if these users should sign in with SSO.",)
