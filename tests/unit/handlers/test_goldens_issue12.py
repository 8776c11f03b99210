"""Golden Block Kit for issue 12's shapes: reminders and lists without legacy attachments (the band as a
marker and a word), ``/sso status``, a checklist group's tick times as ``<!date^…>``, and the digest.

Each golden is the exact JSON sent to Slack; rerun with ``UPDATE_GOLDEN=1`` after a deliberate change and
read the diff. Every shape is also checked against slack_sdk's own limits (``validate_json``).
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block

from bot.checklist_defs import load_checklists
from bot.checklists import start_run
from bot.reminders import Band
from handlers.app import message_hooks
from handlers.checklists import views as checklist_views
from handlers.credentials.messages import SlackMessages
from bot.digest import DigestSchedule
from handlers.credentials.lists import digest_message, status_blocks, tracked_list
from handlers.credentials.views import reminder_message
from handlers.shared.hooks import StatusPart
from handlers.status.views import render_status
from services.credentials import Expiring, Tracked
from services.digests import Digest
from storage.models import Credential

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def cred(days: float, **fields) -> Tracked:
    base = dict(id=7, team_id="T1", label="prod Entra SCIM", label_key="prod entra scim", kind="scim-token",
                idp="entra", environment="prod", channel_id="C0REMIND1", expires_at=NOW + timedelta(days=days),
                expiry_source="jwt", fingerprint="ab12cd34", generation=3, active=True, added_by="U0ADMIN01",
                added_at=NOW - timedelta(days=170))
    base.update(fields)
    return Tracked.of(Credential(**base))


def _valid(blocks: list[dict]) -> None:
    assert 0 < len(blocks) <= 50
    for data in blocks:
        block = Block.parse(data)
        assert block is not None
        block.validate_json()
        if data["type"] == "section" and "text" in data:
            assert len(data["text"]["text"]) <= 3000


def _golden(name: str, message: dict) -> None:
    assert "attachments" not in message
    _valid(message["blocks"])
    rendered = json.dumps(message, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(rendered)
    assert rendered == path.read_text(), f"{path.name} changed; rerun with UPDATE_GOLDEN=1 if intended"


def _run():
    definition = next(d for d in load_checklists() if d.id == "scim-401")
    run = start_run(definition, "okta", run_id="0123456789abcdef", started_by="U0ADMIN01", now=NOW)
    first = [i.id for i in run.items_in(0)][:2]
    return run.apply(tick=first, user_id="U0ADMIN02", now=NOW + timedelta(minutes=7))


DIGEST = Digest(id=1, team_id="T1", channel_id="C0REMIND1", enabled=True,
                schedule=DigestSchedule(0, 9, "Europe/Berlin"), next_due_at=NOW + timedelta(days=2),
                last_sent_at=None, set_by="U0ADMIN01")

SHAPES = {
    "reminder_red": lambda: SlackMessages(message_hooks()).reminder(cred(5), NOW, with_recovery=True, band=Band.RED),
    "reminder_yellow_dates_only": lambda: reminder_message(cred(20, fingerprint="", idp="other", environment=""), NOW),
    "tracked_list": lambda: tracked_list([cred(-2, id=1, label="expired one"), cred(3, id=2, label="red one"),
                                          cred(20, id=3, label="yellow one", kind="saml-cert"),
                                          cred(90, id=4, label="fine one", kind="client-secret", idp="okta")], NOW),
    "status_attention": lambda: render_status([
        StatusPart(status_blocks(Expiring([cred(3, id=2, label="red one"), cred(20, id=3, label="yellow one")],
                                          expiring=2, tracked=5, next_after=None), NOW), 2, "2 credentials expiring"),
        StatusPart(checklist_views.render_status_section(
            [(_run(), "C0SSO0001", "https://example.slack.com/archives/C0SSO0001/p1700000001000100")]), 1,
            "1 checklist open"),
    ], NOW),
    "status_all_clear": lambda: render_status([
        StatusPart(status_blocks(Expiring([], expiring=0, tracked=1, next_after=cred(45)), NOW), 0,
                   "no credential expiring"),
        StatusPart(checklist_views.render_status_section([]), 0, "no checklist open"),
    ], NOW),
    "digest_attention": lambda: digest_message(
        DIGEST, Expiring([cred(-1, id=1, label="expired one"), cred(3, id=2, label="red one"),
                          cred(20, id=3, label="yellow one")], expiring=4, tracked=6, next_after=None), NOW),
    "digest_all_clear": lambda: digest_message(DIGEST, Expiring([], expiring=0, tracked=2, next_after=cred(45)), NOW),
    "checklist_group_ticked": lambda: {"text": checklist_views.group_text(_run(), 0),
                                       "blocks": [b.to_dict() for b in checklist_views.render_group(_run(), 0)]},
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_golden(name):
    _golden(name, SHAPES[name]())


def test_tick_times_are_slack_dates_with_a_utc_fallback():
    text = json.dumps(SHAPES["checklist_group_ticked"]())
    moment = NOW + timedelta(minutes=7)
    assert f"<!date^{int(moment.timestamp())}^{{date_short}} {{time}}|2026-11-28 12:07 UTC>" in text
    assert " UTC\"" not in text.replace("UTC>", "")
