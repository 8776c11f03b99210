"""Every checklist view stays within Slack's limits (slack_sdk's validate_json plus our own checks)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from slack_sdk.models.views import View

from slack_sdk.models.blocks import ButtonElement

from bot.checklist_defs import ChecklistDef, load_checklists
from bot.checklists import CheckFinding, CheckRun, export_text, start_run, summarise
from bot.checks import run_check
from handlers.checklists.start import checklist_buttons
from handlers.checklists import views
from handlers.shared.limits import MAX_MESSAGE_BLOCKS, MAX_VIEW_BLOCKS

T0 = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def check_message(blocks, max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[dict]:
    assert 0 < len(blocks) <= max_blocks
    out = []
    for block in blocks:
        block.validate_json()  # slack_sdk raises SlackObjectFormationError past a limit
        data = block.to_dict()
        if data["type"] == "section" and "text" in data:
            assert len(data["text"]["text"]) <= 3000
        if data["type"] == "header":
            assert len(data["text"]["text"]) <= 150
        if data["type"] == "context":
            assert len(data["elements"]) <= 10 and all(len(e.get("text", "")) <= 3000 for e in data["elements"])
        if data["type"] == "actions":
            assert len(data["elements"]) <= 25
            ids = [e.get("action_id") for e in data["elements"]]
            assert len(ids) == len(set(ids)), "action ids must be unique within a block"
            for element in data["elements"]:
                if element["type"] == "checkboxes":
                    assert len(element["options"]) <= 10
                    values = {o["value"] for o in element["options"]}
                    assert {o["value"] for o in element.get("initial_options", [])} <= values
                    for option in element["options"]:
                        assert len(option["text"]["text"]) <= 75
                        assert len(option.get("description", {}).get("text", "")) <= 75
                if element["type"] == "button":
                    assert len(element["text"]["text"]) <= 75 and len(element.get("value", "")) <= 2000
        if "block_id" in data:
            assert len(data["block_id"]) <= 255
        out.append(data)
    ids = [d["block_id"] for d in out if "block_id" in d]
    assert len(ids) == len(set(ids)), "block ids must be unique within a message"
    return out


def every_run():
    for definition in load_checklists():
        for idp in [None, *definition.idps]:
            if definition.accepts_idp(idp):
                yield start_run(definition, idp, run_id="0123456789abcdef", started_by="U0ADMIN01", now=T0)


RUNS = list(every_run())


def _all_done(run, user="U0ADMIN01"):
    return run.apply(tick=[i.id for i in run.items], user_id=user, now=T0 + timedelta(minutes=42))


@pytest.mark.parametrize("run", RUNS, ids=lambda r: f"{r.definition_id}-{r.idp}")
def test_parent_and_group_messages_at_every_stage(run):
    half = run.apply(tick=[i.id for i in run.items[::2]], user_id="U0ADMIN02", now=T0 + timedelta(minutes=3))
    for state in (run, half, _all_done(run), half.close("U0ADMIN01", T0, "closed")):
        parent = check_message(views.render_parent(state))
        assert str(state.progress) in json.dumps(parent) and str(state.progress) in views.parent_text(state)
        for group in state.groups:
            check_message(views.render_group(state, group.index))
            assert len(views.group_text(state, group.index)) <= 3000


def test_a_big_group_is_split_into_elements_of_ten():
    definition = ChecklistDef.model_validate({"id": "big", "title": "T" * 60, "summary": "s", "command": "big",
                                              "group": [{"id": "g", "title": "G" * 120, "intro": "i" * 600, "item": [
                                                  {"id": f"i{n}", "text": "x" * 75, "detail": "&" * 15,
                                                   "check": "scim_url" if n < 25 else None} for n in range(30)]}]})
    run = start_run(definition, None, run_id="r", started_by="U", now=T0)
    run = run.apply(tick=[i.id for i in run.items[:25]], user_id="U0ADMIN0123456789", now=T0)
    blocks = check_message(views.render_group(run, 0))
    elements = [e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["type"] == "checkboxes"]
    assert [len(e["options"]) for e in elements] == [10, 10, 10]
    assert [len(e.get("initial_options", [])) for e in elements] == [10, 10, 5]
    checks = next(b for b in blocks if b.get("block_id", "").startswith("cl.checks|"))
    assert len(checks["elements"]) == 25  # at most 25 buttons in an actions block


def test_tick_block_ids_round_trip():
    run = RUNS[0].tick(RUNS[0].items[1].id, "U", T0)
    chunk = run.chunk(0, 0)
    block_id = views.tick_block_id(run, 0, 0, chunk)
    assert views.parse_tick_block_id(block_id) == (run.id, 0, 0, "01" + "0" * (len(chunk) - 2))
    assert views.parse_tick_block_id("cl.tick|nothex|0.0|01") is None
    assert views.parse_tick_block_id("report.actions") is None


def test_pickers_summary_follow_up_nudge_and_next_steps():
    library = load_checklists()
    picker = check_message(views.render_picker(library))
    values = [json.loads(b["accessory"]["value"]) for b in picker if "accessory" in b]
    assert {"checklist": "scim-401", "idp": "okta"} in values and {"checklist": "sso-quick", "idp": None} in values
    descriptions = [b["text"]["text"].split("\n", 1)[1] for b in picker if "accessory" in b]
    assert len(descriptions) == len(set(descriptions)), "two checklists in the picker read the same"
    check_message(views.render_idp_picker(library.get("scim-401")))
    run = _all_done(RUNS[0])
    texts = {i.id: i.text for i in run.items}
    check_message(views.render_summary(run, summarise(run), texts))
    check_message(views.render_follow_up(run))
    check_message(views.render_follow_up_answer("U1", True))
    offered = ButtonElement(text="Diagnose an error", action_id="home.open_diagnose")  # another feature's, via hooks
    next_steps = check_message(views.render_next_steps(run, [offered]))
    assert {e["action_id"] for e in next_steps[1]["elements"]} == {"checklist.start", "home.open_diagnose"}
    check_message(views.render_nudge(RUNS[0]))


def test_export_of_a_long_run_with_many_checks_fits():
    run = _all_done(RUNS[0])
    findings = tuple(CheckFinding("fail", f"code-{n}", "t" * 300) for n in range(20))
    checks = tuple(CheckRun(item_id=run.items[0].id, check="scim_url", user_id="U1", at=T0, findings=findings)
                   for _ in range(30))
    run = type(run)(**{**run.__dict__, "checks": checks})
    text = export_text(run, T0)
    blocks = check_message(views.render_export(text))
    shown = "".join(b["text"]["text"] for b in blocks[1:])
    assert shown.count("```") == 2 * (len(blocks) - 1) and "code-19" in shown


def test_check_modals_and_the_home_section():
    for run in RUNS:
        for item in run.items:
            if item.check:
                modal = views.check_modal(run, item)
                modal.validate_json()
                data = modal.to_dict()
                assert len(data["blocks"]) <= MAX_VIEW_BLOCKS and len(data["title"]["text"]) <= 24
                assert json.loads(data["private_metadata"]) == {"run": run.id, "item": item.id}
    home = views.render_home_section([(r, "C0SSO0001") for r in RUNS[:8]], more=3)
    check_message(home, MAX_VIEW_BLOCKS)
    View(type="home", blocks=home).validate_json()
    assert "and 3 more" in json.dumps([b.to_dict() for b in home])
    assert "None right now" in json.dumps([b.to_dict() for b in views.render_home_section([])])


def test_start_button_on_a_report():
    report = run_check("scim", "https://app.example.com/auth/realms/acme/org/3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim")
    [button] = checklist_buttons(report)
    button.validate_json()
    assert json.loads(button.value) == {"checklist": "scim-quick", "idp": None}
    assert checklist_buttons(run_check(
        "scim", "https://app.example.com/auth/realms/acme/org/3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim/v2")) == []
