"""An error link's unfurl and the shortcut's private answer: inside Slack's limits, and the unfurl stable
(golden JSON; rerun with UPDATE_GOLDEN=1 when a knowledge entry's title changes on purpose)."""

from __future__ import annotations

import json
import os

import pytest

from bot.checks import run_check
from handlers.shortcuts.ids import ShortcutIds
from handlers.shortcuts.views import ThreadTarget, private_answer
from handlers.unfurls.views import MAX_LINE, unfurl_blocks
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden"


@pytest.mark.parametrize("code", ["AADSTS50011", "E0000011"])
def test_golden_unfurl_json(code):
    blocks = unfurl_blocks(run_check("explain", code))
    assert len(blocks) == 1
    for block in blocks:
        block.validate_json()
    data = [b.to_dict() for b in blocks]
    assert len(data[0]["text"]["text"]) <= MAX_LINE + 10 and "\n" not in data[0]["text"]["text"]
    rendered = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    path = GOLDEN / f"unfurl_{code.lower()}.json"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(rendered)
    assert rendered == path.read_text(), f"{path.name} changed; rerun with UPDATE_GOLDEN=1 if intended"


def test_an_unknown_code_gets_no_unfurl():
    assert unfurl_blocks(run_check("explain", "AADSTS99999999")) == []


def test_the_private_answer_leads_with_its_notes_and_offers_share_in_thread():
    report = run_check("diagnose", "AADSTS50105 for the payroll app")
    target = ThreadTarget("snap1", "C0SSO0001", "1700000200.000100")
    blocks = private_answer(report, target=target, notes=["I'm not in that conversation."])
    data = [b.to_dict() for b in blocks]
    assert data[0]["type"] == "context" and "not in that conversation" in data[0]["elements"][0]["text"]
    buttons = [e for b in data if b["type"] == "actions" for e in b["elements"]]
    share = next(e for e in buttons if e["action_id"] == ShortcutIds.SHARE_IN_THREAD)
    assert ThreadTarget.from_value(json.loads(share["value"])) == target
    assert len(blocks) <= 50 and all(b.validate_json() is None for b in blocks)
    assert not any(e.get("action_id") == "report.share" for e in buttons)  # not "Share in channel"


@pytest.mark.parametrize("value", [{}, {"s": "x", "c": "C1", "t": "1.2"}, {"s": "x", "c": "C0SSO0001", "t": "now"},
                                   {"s": 5, "c": "C0SSO0001", "t": "1.2"}, {"s": "x", "c": "#general", "t": "1.2"}])
def test_a_share_value_that_is_not_ours_is_refused(value):
    assert ThreadTarget.from_value(value) is None
