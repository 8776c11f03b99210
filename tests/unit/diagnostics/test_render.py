"""Text and JSON renderings of a report for the command line."""

from __future__ import annotations

import json

import pytest

from bot.checks import run_check
from bot.diagnostics.present import present
from bot.diagnostics.render import render_json, render_text, verdict_line
from bot.diagnostics.report import Finding, Report, Severity
from bot.redaction import seal

FINDING = Finding(
    code="aadsts-50105",
    severity=Severity.FAIL,
    title="AADSTS50105 EntitlementGrantsNotFound: the user is not assigned " + "and the title goes on " * 6,
    detail="Likely causes, most likely first:\n1. Not assigned.\n2. Nested group.\n\nWhere to look:\n"
           "• Entra admin center → Enterprise apps → <app> → Users and groups " + "→ more " * 20,
    fix=("Assign the user.", "Sign in again."),
    refs=("https://learn.microsoft.com/x",),
    facts={"user": "jane@example.com"},
)


def _report(*findings, inputs=("aadsts_code",), secret=False):
    return seal(Report(subject="diagnosis", findings=tuple(findings), inputs=inputs, secret_seen=secret))


def test_text_gives_cause_then_fix_then_where_to_look():
    text = render_text(_report(FINDING))
    assert text.startswith("1 problem found (recognised: aadsts code)\n")
    cause, fix, where = text.index("Likely cause"), text.index("Fix:"), text.index("Where to look:")
    assert cause < fix < where
    assert "      1. Assign the user." in text and "      2. Sign in again." in text
    assert "    · user: jane@example.com" in text
    assert "    see Microsoft Learn\n        https://learn.microsoft.com/x" in text


def test_first_view_keeps_details_for_full():
    report = run_check("diagnose", "AADSTS50011: The redirect URI 'https://app.example.com/cb/' specified in the "
                       "request does not match the redirect URIs configured for the application 'x'.")
    short, full = render_text(report, full=False), render_text(report)
    assert "Where to look" not in short and "Where to look" in full and "add --full" in short
    assert short.index("Likely cause") < short.index("Fix:") < short.index("Register `https://app.example.com/cb/`")
    assert "sso-bot explain" in full and "(symptom-" not in full and "(see " not in full
    assert "RFC 6749 §3.1.2" in full  # links are labelled by what they are


def test_an_unknown_code_is_not_said_twice():
    report = run_check("diagnose", "AADSTS99999999")
    assert "AADSTS99999999 AADSTS99999999" not in render_text(report) + render_json(report)


def test_text_wraps_long_lines_with_a_hanging_indent():
    from dataclasses import replace

    # A code the knowledge base does not hold: the finding's own detail is laid out.
    lines = render_text(_report(replace(FINDING, code="x-wrap")), width=80).splitlines()
    assert all(len(line) <= 80 for line in lines)
    title_end = lines.index(next(line for line in lines if line.startswith("    Likely")))
    assert all(line.startswith("       ") for line in lines[3:title_end])
    bullet = next(i for i, line in enumerate(lines) if line.startswith("    • Entra"))
    assert lines[bullet + 1].startswith("      ") and not lines[bullet + 1].startswith("       •")


def test_colour_only_when_asked():
    plain = render_text(_report(FINDING))
    assert "\033[" not in plain
    coloured = render_text(_report(FINDING), colour=True)
    assert "\033[1;31mFAIL\033[0m" in coloured


def test_verdicts():
    warn = Finding(code="symptom-logout-loop", severity=Severity.WARN, title="t")
    info = Finding(code="engine-menu", severity=Severity.INFO, title="t")
    two = "2 problems found, most likely first (recognised: aadsts code)"
    assert verdict_line(_report(FINDING, FINDING)) == two
    assert verdict_line(_report(warn)) == "1 warning (recognised: aadsts code)"
    assert verdict_line(_report(info, inputs=("unrecognised",))) == "Nothing I recognise (recognised: unrecognised)"
    assert verdict_line(_report(info, inputs=())) == "Nothing I recognise"
    ok = Finding(code="redirect-match", severity=Severity.OK, title="t")
    assert verdict_line(_report(ok, inputs=("redirect_pair",))) == "All clear: nothing to fix (recognised: redirect pair)"
    guide = Finding(code="symptom-redirect-loop", severity=Severity.FAIL, title="t")
    assert verdict_line(_report(guide, inputs=("symptom",))).startswith("What usually causes this")
    assert verdict_line(_report(FINDING), lookup=True).startswith("What AADSTS50105 EntitlementGrantsNotFound means")


def test_a_secret_is_announced_not_shown():
    text = render_text(_report(FINDING, secret=True))
    assert "held a token or secret" in text


def test_json_shape_and_order():
    report = run_check("diagnose", "AADSTS50105 and then HTTP 401 after login")
    data = json.loads(render_json(report))
    assert {"inputs", "secret_seen", "verdict", "findings"} <= set(data)  # every key kept; framing added
    assert data["verdict"] == "fail" and data["framing"] == "problems"
    first = data["findings"][0]
    assert first["code"] == "aadsts-50105"
    assert {"code", "severity", "title", "detail", "fix", "refs", "facts", "confidence"} <= set(first)
    assert first["causes"] and first["where"] and first["collect"] and first["restates"] is None
    assert all(isinstance(x, str) for key in ("causes", "where", "collect") for x in first[key])
    assert all(link["label"] and link["url"].startswith("https://") for link in first["links"])
    assert [f["code"] for f in data["findings"]] == [f.code for f in report.findings]
    sure = [f["confidence"] for f in data["findings"]]
    assert all(0.0 <= c <= 1.0 for c in sure)
    assert sure[0] > sure[-1], "a code with notes is surer than an HTTP status"


def test_json_keeps_non_ascii_readable():
    assert "→" in render_json(_report(FINDING))


def test_every_paste_renders(tmp_path):
    from tests.unit.diagnostics.engine.test_engine_pastes import EXPECTED, PASTES

    for case in EXPECTED:
        report = run_check("diagnose", (PASTES / case["file"]).read_bytes())
        assert render_text(report).count("\n[") == len(present(report).shown)
        json.loads(render_json(report))


@pytest.mark.parametrize("render", [render_text, render_json, verdict_line])
def test_a_report_that_skipped_the_redaction_boundary_is_refused(render):
    raw = Report(subject="diagnosis", findings=(FINDING,), inputs=("aadsts_code",))
    with pytest.raises(TypeError, match="SafeReport"):
        render(raw)
