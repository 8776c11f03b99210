"""finding_from_entry renders an entry as a Finding other modules can show."""

from __future__ import annotations

from bot.diagnostics.explain import finding_from_entry
from bot.diagnostics.report import Finding, Severity
from bot.knowledge.record import fields_of, record


def test_deep_entry_becomes_a_full_finding(kb):
    entry = kb.get("aadsts-50011")
    finding = finding_from_entry(entry, facts={"redirect_uri": "https://app.example.com/callback"})
    assert isinstance(finding, Finding)
    assert finding.code == "aadsts-50011"
    assert finding.severity is Severity.FAIL
    assert finding.title.startswith("AADSTS50011 InvalidReplyTo: ")
    assert finding.title.endswith(entry.summary)
    assert finding.detail.index(entry.causes[0]) < finding.detail.index(entry.causes[1])
    assert "1. " in finding.detail and "Where to look:" in finding.detail and "What to collect:" in finding.detail
    assert "redirect URI" in finding.detail  # the check:redirect next step is spelled out
    assert finding.fix == tuple(entry.fix)
    assert finding.refs == tuple(entry.refs)
    assert finding.facts == {"redirect_uri": "https://app.example.com/callback"}
    assert finding.to_dict()["code"] == "aadsts-50011"


def test_severity_override_and_titles(kb):
    assert finding_from_entry(kb.get("http-401-scim"), severity="warn").severity is Severity.WARN
    assert finding_from_entry(kb.get("http-401-scim"), severity=Severity.INFO).severity is Severity.INFO
    assert finding_from_entry(kb.get("http-401-scim")).title.startswith("HTTP 401: ")
    assert finding_from_entry(kb.get("okta-E0000011")).title.startswith("E0000011 (Invalid token exception): ")
    assert finding_from_entry(kb.get("symptom-redirect-loop")).title.startswith("Redirect loop after sign-in: ")


def test_shallow_and_unknown_entries_still_render(kb):
    # Every packaged AADSTS entry is deep now; strip one to stand for a shallow entry (an unknown code's
    # note, or a new code written with a name and summary only).
    bare = record(fields_of(kb.get("aadsts-16001")) | {"causes": [], "fix": [], "where": [], "collect": []})
    assert not bare.deep
    shallow = finding_from_entry(bare)
    assert shallow.fix == () and shallow.detail and shallow.refs
    unknown = finding_from_entry(kb.unknown_aadsts("7777777"))
    assert unknown.code == "aadsts-7777777" and unknown.severity is Severity.WARN
    assert "https://login.microsoftonline.com/error?code=7777777" in unknown.refs
    assert "Where to look:" in unknown.detail
