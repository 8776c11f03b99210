"""The redaction boundary holds by construction, checked by parsing imports and by calling every sink.

1. Outside ``bot/diagnostics/`` and ``bot/checks.py`` nothing imports a check (``diagnose``,
   ``check_*``): the Slack surface and the command line can only get a report from
   ``bot.checks.run_check``, which seals it. ``bot/credentials.py`` reads a token's expiry from
   ``check_token``'s facts and renders nothing, so it is the one named exception.
2. Nothing there imports ``Report`` either, so no handler can build a raw report to render.
3. Only ``bot/redaction/report.py`` holds the key that constructs a ``SafeReport``.
4. Every sink (the Slack views, the CLI renderers, the snapshot and checklist stores, the audit
   outcome) refuses a plain ``Report``: adding a renderer call with one fails the first test that runs it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.diagnostics.report import Finding, Report, Severity
from tests.conftest import REPO

CHECK_HOMES = {"bot/checks.py"}
READS_FACTS_ONLY = {"bot/credentials.py"}  # check_token -> an expiry date and a fingerprint, never shown
BUILDS_AND_SEALS = {"bot/files/report.py"}  # the file readers' findings, sealed in the same function


def _python(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (REPO / package).rglob("*.py"))


def _imported_names(path: Path) -> set[tuple[str, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return {(node.module or "", alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            for alias in node.names}


def _outside_the_checks() -> list[Path]:
    return [p for p in _python("bot", "handlers", "services", "runtime", "storage")
            if not str(p.relative_to(REPO)).startswith("bot/diagnostics/")
            and str(p.relative_to(REPO)) not in CHECK_HOMES | READS_FACTS_ONLY]


@pytest.mark.parametrize("path", _outside_the_checks(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_check_is_called_around_the_boundary(path):
    calls_a_check = {(module, name) for module, name in _imported_names(path)
                     if module.startswith("bot.diagnostics") and (name == "diagnose" or name.startswith("check_"))}
    assert not calls_a_check, f"{path.relative_to(REPO)} imports {calls_a_check}: use bot.checks.run_check"


@pytest.mark.parametrize("path", _outside_the_checks(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_raw_report_is_built_around_the_boundary(path):
    if str(path.relative_to(REPO)).startswith("bot/redaction/") or str(path.relative_to(REPO)) in BUILDS_AND_SEALS:
        return  # the boundary itself turns Reports into SafeReports; bot/files/report.py seals what it builds
    builds = {(m, n) for m, n in _imported_names(path) if m == "bot.diagnostics.report" and n == "Report"}
    assert not builds, f"{path.relative_to(REPO)} imports Report: render, store and share only a SafeReport"


def test_only_the_boundary_holds_the_key_to_a_safe_report():
    holders = [str(p.relative_to(REPO)) for p in _python("bot", "handlers", "services", "runtime", "storage")
               if any(isinstance(n, ast.Name) and n.id == "_KEY" for n in ast.walk(ast.parse(p.read_text())))]
    assert holders == ["bot/redaction/report.py"]


def _sinks():
    from bot.diagnostics.render import render_json, render_text, verdict_line
    from handlers.checklists.start import checklist_buttons
    from handlers.diagnose.reply import outcome_of
    from handlers.shared.report import explainable_codes, fallback_text, render_report, verdict
    from services.diagnose import audit_fields
    from services.sharing import keep_for_sharing
    from storage.checklists import record_check
    from storage.snapshots import save_snapshot

    return {
        "render_report": render_report, "fallback_text": fallback_text, "verdict": verdict,
        "render_text": render_text, "render_json": render_json, "verdict_line": verdict_line,
        "outcome_of": outcome_of, "audit_fields": audit_fields,
        "keep_for_sharing": lambda r: keep_for_sharing(None, r, team_id="T", user_id="U"), "checklist_buttons": checklist_buttons, "explainable_codes": explainable_codes,
        "save_snapshot": lambda r: save_snapshot(None, team_id="T", user_id="U", report=r),
        "record_check": lambda r: record_check(None, "run", item_id="i", user_id="U", check_kind="scim_url",
                                               report=r, now=None),
    }


@pytest.mark.parametrize("sink", sorted(_sinks()))
def test_every_sink_refuses_a_report_that_skipped_the_boundary(sink):
    raw = Report(subject="diagnosis", findings=(Finding("domains-invalid", Severity.FAIL, "xoxb-1234567890-abcdef"),),
                 inputs=("domain_list",))
    with pytest.raises(TypeError):
        _sinks()[sink](raw)


def test_the_rule_itself_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from bot.diagnostics.engine import diagnose\nfrom bot.diagnostics.report import Report\n")
    assert ("bot.diagnostics.engine", "diagnose") in _imported_names(bad)
    assert ("bot.diagnostics.report", "Report") in _imported_names(bad)


def test_the_file_readers_seal_what_they_build():
    """``bot/files/report.py`` builds a Report only to seal it at once: every return is a SafeReport."""
    from bot.diagnostics.report import Finding as F
    from bot.files.report import sealed_report
    from bot.redaction import SafeReport

    source = (REPO / "bot/files/report.py").read_text()
    assert source.count("Report(") == 1 and "return seal(" in source
    report = sealed_report("file", [F("har-timeline", Severity.INFO, "xoxb-1234567890-abcdefghijkl")], ["har"])
    assert isinstance(report, SafeReport) and "abcdefghijkl" not in report.findings[0].title
