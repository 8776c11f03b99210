"""Report views: inside Slack's limits, valid for slack_sdk's models, and stable (golden JSON)."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import pytest
from slack_sdk.models.views import View

from bot.checks import run_check
from bot.diagnostics.report import Finding, Report, Severity
from bot.redaction import seal
from handlers.diagnose.views import diagnose_modal, entry_modal, home_buttons, token_modal
from handlers.home.views import render_home
from handlers.shared.modals import result_modal
from handlers.shared.report import explainable_codes, fallback_text, format_detail, render_report, verdict
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
# Test JWT (fake signature): exp 2026-11-01T00:00:00Z, so expired at NOW.
EXPIRED_JWT = ("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
               "eyJpc3MiOiJodHRwczovL2FwcC5leGFtcGxlLmNvbSIsImF1ZCI6InNjaW0iLCJpYXQiOjE3NjIxMjgwMDAsImV4cCI6MTc2MTk1NTIwMH0."
               "ZmFrZS1zaWduYXR1cmUtZm9yLXRlc3RzLW9ubHktbm90LXJlYWw")


def _blocks_json(blocks) -> list[dict]:
    return [b.to_dict() for b in blocks]


def _check_limits(blocks, max_blocks: int = 50) -> None:
    assert len(blocks) <= max_blocks
    for block in blocks:
        block.validate_json()  # slack_sdk raises SlackObjectFormationError past a limit
        data = block.to_dict()
        if data["type"] == "section" and "text" in data:
            assert len(data["text"]["text"]) <= 3000
        if data["type"] == "header":
            assert len(data["text"]["text"]) <= 150


# Every report reaches a view through the boundary (bot.checks.run_check), as in the app.
REPRESENTATIVE = {
    "deep_aadsts": lambda: run_check("diagnose", "AADSTS50105: Your administrator has configured the application "
                                     "to block users unless they are specifically granted ('assigned') access.", now=NOW),
    "scim_url_three_problems": lambda: run_check(
        "scim", "http://app.example.com/auth/realms/acme/org/3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim/", now=NOW),
    "redirect_diff": lambda: run_check("redirect", "registered https://app.example.com/oidc/callback, app sends "
                                       "https://app.example.com/oidc/callback/", now=NOW),
    "expired_token": lambda: run_check("token", EXPIRED_JWT, now=NOW),
    "fallback_menu": lambda: run_check("diagnose", "the thing is broken again, help", now=NOW),
}


@pytest.mark.parametrize("name", sorted(REPRESENTATIVE))
def test_golden_report_json(name):
    report = REPRESENTATIVE[name]()
    blocks = render_report(report, explainable=explainable_codes(report), share_id="snap123")
    _check_limits(blocks)
    rendered = json.dumps(_blocks_json(blocks), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    path = GOLDEN / f"report_{name}.json"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(rendered)
    assert rendered == path.read_text(), f"{path.name} changed; rerun with UPDATE_GOLDEN=1 if intended"


def test_scim_golden_really_has_three_problems():
    report = REPRESENTATIVE["scim_url_three_problems"]()
    assert sum(f.severity in (Severity.FAIL, Severity.WARN) for f in report.findings) >= 3


def test_expired_token_report_never_shows_the_token():
    blocks = json.dumps(_blocks_json(render_report(REPRESENTATIVE["expired_token"](), share_id=None)))
    for part in EXPIRED_JWT.split("."):
        assert part[:16] not in blocks
    assert "expired" in blocks.lower()


def test_a_huge_report_folds_into_a_summary_within_50_blocks():
    findings = tuple(Finding(code=f"x-{n}", severity=Severity.WARN, title=f"Finding {n}", detail="d" * 5000,
                             fix=tuple(f"step {i}" for i in range(40)), refs=("https://example.com/a",))
                     for n in range(80))
    blocks = render_report(seal(Report(subject="s", findings=findings, inputs=("a",))), share_id="s")
    _check_limits(blocks)
    text = json.dumps(_blocks_json(blocks))
    assert "more findings" in text and "Finding 79" in text


def test_share_and_explain_buttons_only_when_asked():
    report = seal(Report(subject="s", findings=(Finding("aadsts-50105", Severity.FAIL, "t"),), inputs=("a",)))
    plain = json.dumps(_blocks_json(render_report(report)))
    assert "report.share" not in plain and "report.explain" not in plain
    both = json.dumps(_blocks_json(render_report(report, explainable=frozenset({"aadsts-50105"}), share_id="x")))
    assert "report.share" in both and "report.explain" in both


def test_caret_pointer_is_kept_in_a_code_block():
    detail = "They part here:\nregistered: https://a/x\nsent:       https://a/x/\n                      ^\nmore"
    formatted = format_detail(detail)
    assert "```registered: https://a/x\nsent:       https://a/x/\n                      ^```" in formatted
    assert formatted.endswith("more")


def test_mrkdwn_control_characters_are_escaped():
    report = seal(Report(subject="s", findings=(Finding("c", Severity.INFO, "<!channel> & <@U1>", detail="<b>"),)))
    text = json.dumps(_blocks_json(render_report(report)))
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text


@pytest.mark.parametrize("view", [diagnose_modal(), token_modal(), render_home([("/sso help", "help")], buttons=home_buttons())],
                         ids=["diagnose", "token", "home"])
def test_modals_and_home_are_valid_views(view: View):
    view.validate_json()
    assert len(view.blocks) <= 100


def test_entry_and_result_modals_are_valid():
    from bot.knowledge import load_knowledge

    kb = load_knowledge()
    for entry in list(kb.entries())[:400]:
        entry_modal(entry).validate_json()
    report = REPRESENTATIVE["deep_aadsts"]()
    result_modal("Diagnosis", render_report(report)).validate_json()


@pytest.mark.parametrize("render", [render_report, fallback_text, verdict])
def test_a_report_that_skipped_the_redaction_boundary_is_refused(render):
    raw = Report(subject="s", findings=(Finding("aadsts-50105", Severity.FAIL, "t"),), inputs=("a",))
    with pytest.raises(TypeError, match="SafeReport"):
        render(raw)
