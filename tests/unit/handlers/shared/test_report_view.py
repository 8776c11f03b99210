"""Report views: inside Slack's limits, valid for slack_sdk's models, and stable (golden JSON)."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone

import pytest
from slack_sdk.models.views import View

from bot.checks import run_check
from bot.diagnostics.report import Finding, Report, Severity
from bot.redaction import seal
from handlers.diagnose.views import diagnose_modal, entry_modal, home_buttons, token_modal
from handlers.home.views import render_home
from handlers.shared.modals import result_modal
from bot.diagnostics.present import present
from handlers.shared.report import (explainable_codes, fallback_text, format_detail, render_report, verdict,
                                    visible_text)
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


REPRESENTATIVE_MORE = {  # the message after *More* on the lead finding, and a look-up
    "deep_aadsts_more": lambda r: render_report(r, explainable=explainable_codes(r), share_id="snap123",
                                                expanded=r.findings[0].code),
    "redirect_diff_more": lambda r: render_report(r, explainable=explainable_codes(r), share_id="snap123",
                                                  expanded=r.findings[0].code),
}
_MORE_SOURCE = {"deep_aadsts_more": "deep_aadsts", "redirect_diff_more": "redirect_diff"}


@pytest.mark.parametrize("name", sorted(REPRESENTATIVE) + sorted(REPRESENTATIVE_MORE) + ["explain_lookup"])
def test_golden_report_json(name):
    if name in REPRESENTATIVE_MORE:
        blocks = REPRESENTATIVE_MORE[name](REPRESENTATIVE[_MORE_SOURCE[name]]())
    elif name == "explain_lookup":
        report = run_check("explain", "E0000011", now=NOW)
        blocks = render_report(report, explainable=explainable_codes(report), share_id="snap123", lookup=True)
    else:
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


def test_a_huge_report_without_a_snapshot_shows_whole_findings_then_names_the_rest():
    """Without a snapshot every finding is drawn in full (nothing to re-create on a click); those that do
    not fit are named in one section, never cut off in the middle or dropped without a word."""
    findings = tuple(Finding(code=f"x-{n}", severity=Severity.WARN, title=f"Finding {n}", detail="d" * 300,
                             fix=("step one", "step two"), refs=("https://example.com/a",))
                     for n in range(40))
    blocks = render_report(seal(Report(subject="s", findings=findings, inputs=("a",))), share_id=None)
    _check_limits(blocks)
    text = json.dumps(_blocks_json(blocks))
    assert "more findings" in text
    assert all(f"Finding {n}" in text for n in range(40))  # each drawn in full or named in the last section


def test_share_and_more_buttons_only_when_asked():
    report = seal(Report(subject="s", findings=(Finding("aadsts-50105", Severity.FAIL, "t"),), inputs=("a",)))
    plain = json.dumps(_blocks_json(render_report(report)))
    assert "report.share" not in plain and "report.more" not in plain
    both = json.dumps(_blocks_json(render_report(report, explainable=frozenset({"aadsts-50105"}), share_id="x")))
    assert "report.share" in both and '"value": "x|aadsts-50105"' in both
    # Without a snapshot to re-create it from, every finding is shown in full: nothing to open, nothing lost.
    entry = json.dumps(_blocks_json(render_report(run_check("diagnose", "AADSTS50105", now=NOW),
                                                  explainable=frozenset({"aadsts-50105"}))))
    assert "Where to look" in entry and "report.more" not in entry and "report.share" not in entry


# The first views the issue measured: one code with its redirect URI, a message without a code, a SCIM body
# (corpus), a token (corpus), a redirect pair; each fits the budget of one screen.
def _corpus_409() -> str:
    from tests.conftest import CORPUS

    text = (CORPUS / "scim" / "okta_scim20_http_exchanges.http").read_text()
    start = text.index("HTTP/1.1 409 Conflict")
    return text[start:text.index("###", start)]


def _corpus_token() -> str:
    from tests.conftest import CORPUS

    return json.loads((CORPUS / "tokens" / "entra_access_token_samples_docs.json").read_text())["tokens"][0]["token"]


FIRST_VIEWS = {
    "one_code": lambda: ("AADSTS50011: The redirect URI 'https://app.example.com/oidc/callback/' specified in the "
                         "request does not match the redirect URIs configured for the application "
                         "'6731de76-14a6-49ae-97bc-6eba6914391e'."),
    "no_code": lambda: "users get stuck in a redirect loop after signing in with Okta, the app keeps bouncing back",
    "scim_body": _corpus_409,
    "token": _corpus_token,
    "redirect_pair": lambda: "registered https://app.example.com/oidc/callback, app sends https://app.example.com/oidc/callback/",
}


@pytest.mark.parametrize("name", sorted(FIRST_VIEWS))
def test_a_first_view_fits_one_screen(name):
    report = run_check("diagnose", FIRST_VIEWS[name](), now=NOW)
    blocks = render_report(report, explainable=explainable_codes(report), share_id="snap123")
    _check_limits(blocks)
    seen = visible_text(blocks)
    assert len(seen) <= 1200, (len(seen), seen)
    assert "Where to look" not in seen  # the details open on demand
    assert not re.search(r"\((?:see )?[a-z]+-[a-z0-9_-]+\)", seen), "an internal id leaked into the text"


def test_several_codes_show_the_top_one_in_full_and_the_rest_one_line_each():
    report = run_check("diagnose", "AADSTS50011 then AADSTS50105, E0000011, AADSTS700016, invalid_client and HTTP 401",
                       now=NOW)
    blocks = render_report(report, explainable=explainable_codes(report), share_id="snap123")
    _check_limits(blocks)
    seen = visible_text(blocks)
    assert len(seen) <= 2000 and len(blocks) <= 15, (len(seen), len(blocks))
    opens = [b for b in _blocks_json(blocks) if b.get("accessory", {}).get("text", {}).get("text") == "Open"]
    assert len(opens) == len(present(report).shown) - 1  # each other finding: one line and its own button


def test_restating_findings_are_one_problem():
    scim = run_check("diagnose", _corpus_409(), now=NOW)
    assert verdict(scim).endswith("1 problem found")
    pair = run_check("redirect", FIRST_VIEWS["redirect_pair"](), now=NOW)
    view = present(pair)
    assert [s.code for s in view.shown if s.code.startswith("redirect-")] == ["redirect-trailing-slash"]
    assert view.restated == {"redirect-mismatch": "redirect-trailing-slash"}
    # Two real differences (path case and trailing slash) stay two problems.
    both = present(run_check("redirect", "https://app.example.com/callback https://app.example.com/Callback/", now=NOW))
    assert {"redirect-trailing-slash", "redirect-path-case"} <= {s.code for s in both.shown}


def test_more_and_lookup_shapes():
    report = REPRESENTATIVE["deep_aadsts"]()
    expanded = render_report(report, explainable=explainable_codes(report), share_id="snap123", expanded="aadsts-50105")
    _check_limits(expanded)
    text = json.dumps(_blocks_json(expanded))
    assert "Where to look" in text and "report.less" in text
    lookup = render_report(run_check("explain", "E0000011", now=NOW), lookup=True)
    assert "problem" not in lookup[0].to_dict()["text"]["text"]


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
