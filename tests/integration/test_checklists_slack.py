"""Checklists through the running app: signed slash commands and block_actions payloads (shaped like
``shared/corpus/slack/shape_skeletons/BlockActionPayload.json`` and Bolt's own ``block_actions`` samples,
with checkboxes reporting ``selected_options``), asserting on what reached the fake Slack Web API.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import httpx
from freezegun import freeze_time
from sqlmodel import select

import bot.checklist_defs
from storage.models import AuditEvent, ChecklistEvent, ChecklistItem, ChecklistRun
from tests.support.fake_slack import TEAM_ID, Fault
from tests.support.signing import signed_headers
from tests.support.slack_app import SIGNING_SECRET, RunningApp

CHANNEL = "C0SSO0001"
ADA, BOB = "U0ADMIN01", "U0ADMIN02"
_ts = itertools.count(1)


# --------------------------------------------------------------------------- helpers


def blocks_of(params: dict) -> list[dict]:
    blocks = params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def view_of(params: dict) -> dict:
    view = params.get("view")
    return json.loads(view) if isinstance(view, str) else view


@dataclass
class Started:
    run_id: str
    parent_ts: str
    group_ts: list[str]
    parent_post: dict
    group_posts: list[dict]
    total: int


def start(app: RunningApp, text: str, *, user: str = ADA, channel: str = CHANNEL) -> Started:
    """Run `/sso checklist <text>` and find what it posted (the message ts come from the database)."""
    before = len(app.fake.calls_to("chat.postMessage"))
    response = app.command(f"checklist {text}", user_id=user, channel_id=channel)
    assert response.status_code == 200
    posts = [c.params for c in app.fake.calls_to("chat.postMessage")[before:]]
    parent = next(p for p in posts if "thread_ts" not in p)
    run_id = next(b["block_id"] for b in blocks_of(parent) if b.get("block_id", "").startswith("cl.parent|"))
    run_id = run_id.split("|")[1]
    with app.db.session() as session:
        run = session.get(ChecklistRun, run_id)
        items = session.exec(select(ChecklistItem).where(ChecklistItem.run_id == run_id)
                             .order_by(ChecklistItem.position)).all()
    groups = sorted({i.group_index for i in items})
    group_ts = [next(i.message_ts for i in items if i.group_index == g) for g in groups]
    thread = [p for p in posts if p.get("thread_ts") == run.parent_ts]
    return Started(run_id, run.parent_ts, group_ts, parent, thread, len(items))


def current_blocks(app: RunningApp, started: Started, group: int) -> list[dict]:
    """What a client now shows for a group message: its last chat.update, else the original post."""
    updates = [c.params for c in app.fake.calls_to("chat.update") if c.params.get("ts") == started.group_ts[group]]
    return blocks_of(updates[-1] if updates else started.group_posts[group])


def last_parent_update(app: RunningApp, started: Started) -> dict:
    updates = [c.params for c in app.fake.calls_to("chat.update") if c.params.get("ts") == started.parent_ts]
    assert updates, "the parent was never updated"
    return updates[-1]


def checkbox_elements(blocks: list[dict]) -> list[tuple[str, dict]]:
    return [(b["block_id"], e) for b in blocks if b["type"] == "actions" for e in b["elements"]
            if e["type"] == "checkboxes"]


def tick_payload(app: RunningApp, started: Started, group: int, item_id: str, *, user: str = ADA,
                 tick: bool = True, blocks: list[dict] | None = None, select_all: bool = False) -> dict:
    """A checkbox click as Slack sends it: the element's whole selection in ``selected_options``."""
    blocks = blocks if blocks is not None else current_blocks(app, started, group)
    block_id, element = next((bid, e) for bid, e in checkbox_elements(blocks)
                             if item_id in {o["value"] for o in e["options"]})
    chosen = {o["value"] for o in element.get("initial_options") or []}
    if select_all:
        chosen = {o["value"] for o in element["options"]}
    elif tick:
        chosen.add(item_id)
    else:
        chosen.discard(item_id)
    selected = [o for o in element["options"] if o["value"] in chosen]
    message_ts = started.group_ts[group]
    return _envelope(app, user, message_ts, started.parent_ts, blocks,
                     action={"action_id": element["action_id"], "block_id": block_id, "type": "checkboxes",
                             "selected_options": selected, "action_ts": f"1700009999.{next(_ts):06d}"},
                     state={block_id: {element["action_id"]: {"type": "checkboxes", "selected_options": selected}}})


def button_payload(app: RunningApp, params: dict, action_id: str, *, user: str = ADA, thread_ts: str | None = None,
                   message_ts: str = "1700000000.000900", ephemeral: bool = False) -> dict:
    blocks = blocks_of(params)
    block, button = next((b, e) for b in blocks for e in (b.get("elements") or [b.get("accessory") or {}])
                         if e.get("action_id") == action_id)
    payload = _envelope(app, user, message_ts, thread_ts, blocks, ephemeral=ephemeral,
                        action={"action_id": action_id, "block_id": block["block_id"], "type": "button",
                                "text": button["text"], "value": button.get("value", ""),
                                "action_ts": f"1700009999.{next(_ts):06d}"}, state={})
    return payload


def _envelope(app, user, message_ts, thread_ts, blocks, *, action, state, ephemeral=False) -> dict:
    container = {"type": "message", "message_ts": message_ts, "channel_id": CHANNEL, "is_ephemeral": ephemeral}
    message = {"type": "message", "subtype": "bot_message", "text": "", "ts": message_ts, "bot_id": "B0SSOBOT1",
               "blocks": blocks}
    if thread_ts:
        container["thread_ts"] = thread_ts
        message["thread_ts"] = thread_ts
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "sso-bot-test"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0SSOBOT1", "token": "unused-verification-token",
        "container": container,
        "trigger_id": f"{next(_ts)}.222.trigger",
        "channel": {"id": CHANNEL, "name": "identity-ops"},
        "message": message,
        "state": {"values": state},
        "response_url": app.fake.response_url(f"action{next(_ts)}"),
        "actions": [action],
        "is_enterprise_install": False,
    }


def view_submission(app: RunningApp, view: dict, value: str, *, user: str = ADA) -> dict:
    input_block = next(b for b in view["blocks"] if b["type"] == "input")
    return {
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": "sso-bot-test"},
        "user": {"id": user, "username": "ada", "team_id": TEAM_ID}, "api_app_id": "A0SSOBOT1",
        "token": "unused", "trigger_id": "111.222.trigger",
        "view": {**view, "id": "V0CHECK01", "team_id": TEAM_ID, "hash": "h",
                 "state": {"values": {input_block["block_id"]: {input_block["element"]["action_id"]: {
                     "type": "plain_text_input", "value": value}}}}},
    }


def progress_of(params: dict) -> str:
    return params["text"] + json.dumps(blocks_of(params))


def thread_posts(app: RunningApp, started: Started) -> list[dict]:
    return [c.params for c in app.fake.calls_to("chat.postMessage") if c.params.get("thread_ts") == started.parent_ts]


def assert_within_limits(params: dict) -> None:
    blocks = blocks_of(params)
    assert len(blocks) <= 50
    for _, element in checkbox_elements(blocks):
        assert len(element["options"]) <= 10
        for option in element["options"]:
            assert len(option["text"]["text"]) <= 75 and len((option.get("description") or {}).get("text", "")) <= 75
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000


# --------------------------------------------------------------------------- starting


def test_401_okta_posts_a_parent_with_0_of_n_and_the_okta_steps_in_its_thread(slack_app):
    started = start(slack_app, "401 okta")
    parent = started.parent_post
    assert parent["channel"] == CHANNEL
    assert f"0/{started.total}" in progress_of(parent) and "Okta" in progress_of(parent)
    assert f"<@{ADA}>" in json.dumps(blocks_of(parent))
    assert [p["thread_ts"] for p in started.group_posts] == [started.parent_ts] * 3
    options = [o for p in started.group_posts for _, e in checkbox_elements(blocks_of(p)) for o in e["options"]]
    texts = " ".join(o["text"]["text"] for o in options)
    assert len(options) == started.total == 15
    assert "SCIM 2.0 Base URL" in texts and "OAuth Bearer Token" in texts and "Test API Credentials" in texts
    assert "Tenant URL" not in texts and "Secret Token" not in texts
    for params in [parent, *started.group_posts]:
        assert_within_limits(params)
    assert slack_app.fake.calls_to("response_url") == []  # nothing private to say: the parent is the answer


def test_without_an_argument_a_picker_starts_the_chosen_checklist(slack_app):
    slack_app.command("checklist")
    [picker] = [c.params for c in slack_app.fake.calls_to("response_url")]
    assert picker["response_type"] == "ephemeral" and "Start a checklist" in json.dumps(picker["blocks"])
    payload = button_payload(slack_app, picker, "checklist.start", ephemeral=True)
    payload["actions"][0]["value"] = next(b["accessory"]["value"] for b in blocks_of(picker)
                                          if b.get("block_id") == "cl.pick|sso-quick|-")
    payload["actions"][0]["block_id"] = "cl.pick|sso-quick|-"
    slack_app.interaction(payload)
    [parent] = [c.params for c in slack_app.fake.calls_to("chat.postMessage") if "thread_ts" not in c.params]
    assert "SSO quick check" in parent["text"] and "0/9" in parent["text"]
    replaced = slack_app.fake.calls_to("response_url")[-1].params
    assert replaced.get("replace_original") in (True, "true") and "Started" in replaced["text"]


def test_401_without_an_idp_asks_which_one(slack_app):
    slack_app.command("checklist 401")
    reply = slack_app.fake.calls_to("response_url")[-1].params
    assert "which identity provider" in json.dumps(reply["blocks"])
    values = {json.loads(b["accessory"]["value"])["idp"] for b in reply["blocks"] if "accessory" in b}
    assert values == {"entra", "okta"}
    assert slack_app.fake.calls_to("chat.postMessage") == []


def test_unknown_checklist_is_a_friendly_error(slack_app):
    slack_app.command("checklist 401 pingfederate")
    reply = slack_app.fake.calls_to("response_url")[-1].params
    assert reply["text"].startswith(":warning: I don't know that checklist")


def test_start_button_from_an_expiry_reminder_starts_in_that_channel(slack_app):
    reminder = {"blocks": [{"type": "actions", "block_id": "reminder.actions", "elements": [
        {"type": "button", "action_id": "checklist.start", "text": {"type": "plain_text", "text": "Start 401 recovery"},
         "value": json.dumps({"checklist": "scim-401", "idp": "entra"})}]}]}
    slack_app.interaction(button_payload(slack_app, reminder, "checklist.start"))
    [parent] = [c.params for c in slack_app.fake.calls_to("chat.postMessage") if "thread_ts" not in c.params]
    assert parent["channel"] == CHANNEL and "Microsoft Entra ID" in parent["text"]
    # The reminder itself (not ephemeral, not a picker) is left alone.
    assert all(c.params.get("replace_original") not in (True, "true") for c in slack_app.fake.calls_to("response_url"))
    # With no IdP known, the button asks first.
    reminder["blocks"][0]["elements"][0]["value"] = json.dumps({"checklist": "scim-401", "idp": None})
    slack_app.interaction(button_payload(slack_app, reminder, "checklist.start"))
    assert "which identity provider" in json.dumps(slack_app.fake.calls_to("response_url")[-1].params)


def test_not_in_channel_tells_the_user_to_invite_the_bot(slack_app):
    slack_app.fake.fail_next("chat.postMessage", Fault(status=200, body={"ok": False, "error": "not_in_channel"}))
    slack_app.command("checklist scim")
    reply = slack_app.fake.calls_to("response_url")[-1].params
    assert reply["response_type"] == "ephemeral" and "/invite @sso-bot" in reply["text"]
    with slack_app.db.session() as session:
        assert session.exec(select(ChecklistRun)).all() == []


def test_a_diagnosis_that_maps_to_a_checklist_offers_to_start_it(slack_app):
    slack_app.command("diagnose StatusCode: Unauthorized ErrorCode: SystemForCrossDomainIdentityManagementUnauthorized")
    reply = slack_app.fake.calls_to("response_url")[-1].params
    actions = next(b for b in reply["blocks"] if b["type"] == "actions")
    button = next(e for e in actions["elements"] if e["action_id"] == "checklist.start")
    assert json.loads(button["value"]) == {"checklist": "scim-401", "idp": "entra"}
    assert "401 recovery" in button["text"]["text"]
    slack_app.interaction(button_payload(slack_app, reply, "checklist.start", ephemeral=True))
    [parent] = [c.params for c in slack_app.fake.calls_to("chat.postMessage") if "thread_ts" not in c.params]
    assert parent["channel"] == CHANNEL and "SCIM 401 recovery: Microsoft Entra ID" in parent["text"]
    # The diagnosis stays where it was: only our own pickers are replaced.
    assert all(c.params.get("replace_original") not in (True, "true") for c in slack_app.fake.calls_to("response_url"))


def test_a_401_diagnosis_without_an_idp_asks_which_one_when_started(slack_app):
    slack_app.command("diagnose 401 Unauthorized from the SCIM endpoint")
    reply = slack_app.fake.calls_to("response_url")[-1].params
    slack_app.interaction(button_payload(slack_app, reply, "checklist.start", ephemeral=True))
    assert "which identity provider" in json.dumps(slack_app.fake.calls_to("response_url")[-1].params)
    assert slack_app.fake.calls_to("chat.postMessage") == []


def test_a_diagnosis_with_nothing_to_work_through_has_no_start_button(slack_app):
    slack_app.command("diagnose the thing is broken again, help")
    assert "checklist.start" not in json.dumps(slack_app.fake.calls_to("response_url")[-1].params)


# --------------------------------------------------------------------------- ticking


def test_ticking_saves_who_and_when_and_updates_parent_and_item_message(slack_app):
    started = start(slack_app, "401 okta")
    response = slack_app.interaction(tick_payload(slack_app, started, 1, "okta-base-url"))
    assert response.status_code == 200 and response.text == ""  # acknowledged, nothing else in the ack
    assert f"1/{started.total}" in progress_of(last_parent_update(slack_app, started))
    group = current_blocks(slack_app, started, 1)
    [(_, element)] = checkbox_elements(group)
    assert [o["value"] for o in element["initial_options"]] == ["okta-base-url"]
    assert f"<@{ADA}>" in json.dumps(group)  # who ticked it, shown under the boxes
    with slack_app.db.session() as session:
        item = session.get(ChecklistItem, (started.run_id, "okta-base-url"))
    assert item.done and item.done_by == ADA and item.done_at is not None
    assert abs(item.done_at - datetime.now(timezone.utc)) < timedelta(minutes=1)


def test_unticking_works(slack_app):
    started = start(slack_app, "sso")
    slack_app.interaction(tick_payload(slack_app, started, 0, "logout-url"))
    slack_app.interaction(tick_payload(slack_app, started, 0, "users-assigned", user=BOB))
    slack_app.interaction(tick_payload(slack_app, started, 0, "logout-url", tick=False, user=BOB))
    assert f"1/{started.total}" in progress_of(last_parent_update(slack_app, started))
    [(_, element)] = checkbox_elements(current_blocks(slack_app, started, 0))
    assert [o["value"] for o in element["initial_options"]] == ["users-assigned"]


def test_two_ticks_at_the_same_moment_are_both_kept(slack_app):
    """Two people click different boxes of the same element from the same (stale) message at once."""
    started = start(slack_app, "401 entra")
    stale = current_blocks(slack_app, started, 1)
    payloads = [tick_payload(slack_app, started, 1, "entra-tenant-url", user=ADA, blocks=stale),
                tick_payload(slack_app, started, 1, "entra-secret-token", user=BOB, blocks=stale)]
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def click(payload: dict) -> None:
        body = urlencode({"payload": json.dumps(payload)})
        with httpx.Client(timeout=10) as client:
            barrier.wait(timeout=10)
            statuses.append(client.post(f"{slack_app.url}/slack/events", content=body,
                                        headers=signed_headers(SIGNING_SECRET, body)).status_code)

    threads = [threading.Thread(target=click, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    slack_app.wait_idle()
    assert statuses == [200, 200]
    with slack_app.db.session() as session:
        done = {i.item_id: i.done_by for i in session.exec(select(ChecklistItem).where(
            ChecklistItem.run_id == started.run_id, ChecklistItem.done == True)).all()}  # noqa: E712
    assert done == {"entra-tenant-url": ADA, "entra-secret-token": BOB}
    assert f"2/{started.total}" in progress_of(last_parent_update(slack_app, started))
    [(_, element)] = checkbox_elements(current_blocks(slack_app, started, 1))
    assert {o["value"] for o in element["initial_options"]} == {"entra-tenant-url", "entra-secret-token"}


def test_a_click_from_a_stale_message_never_unticks_someone_elses_tick(slack_app):
    """Bob's client still shows the message from before Ada's tick: his selection lacks her item."""
    started = start(slack_app, "401 okta")
    stale = current_blocks(slack_app, started, 0)
    slack_app.interaction(tick_payload(slack_app, started, 0, "platform-generate-key", user=ADA))
    slack_app.interaction(tick_payload(slack_app, started, 0, "platform-copy-token", user=BOB, blocks=stale))
    with slack_app.db.session() as session:
        done = {i.item_id for i in session.exec(select(ChecklistItem).where(
            ChecklistItem.run_id == started.run_id, ChecklistItem.done == True)).all()}  # noqa: E712
    assert done == {"platform-generate-key", "platform-copy-token"}
    assert f"2/{started.total}" in progress_of(last_parent_update(slack_app, started))


def test_a_rate_limited_update_is_retried_after_the_wait_slack_asks_for(slack_app):
    started = start(slack_app, "sso")
    slack_app.fake.fail_next("chat.update", Fault(status=429, body={"ok": False, "error": "ratelimited"},
                                                  headers={"Retry-After": "0"}))
    slack_app.interaction(tick_payload(slack_app, started, 0, "logout-url"))
    updates = [c.params["ts"] for c in slack_app.fake.calls_to("chat.update")]
    assert updates == [started.group_ts[0], started.group_ts[0], started.parent_ts]  # refused once, sent again
    [(_, element)] = checkbox_elements(current_blocks(slack_app, started, 0))
    assert [o["value"] for o in element["initial_options"]] == ["logout-url"]
    assert f"1/{started.total}" in progress_of(last_parent_update(slack_app, started))


def test_state_survives_a_restart(fake_slack, database_url):
    first = RunningApp(fake_slack, database_url).start()
    try:
        started = start(first, "401 okta")
        first.interaction(tick_payload(first, started, 0, "platform-generate-key"))
        assert f"1/{started.total}" in progress_of(last_parent_update(first, started))
    finally:
        first.stop()
    second = RunningApp(fake_slack, database_url).start()
    try:
        second.interaction(tick_payload(second, started, 1, "okta-bearer-token", user=BOB))
        assert f"2/{started.total}" in progress_of(last_parent_update(second, started))
        [(_, element)] = checkbox_elements(current_blocks(second, started, 0))
        assert [o["value"] for o in element["initial_options"]] == ["platform-generate-key"]
    finally:
        second.stop()


def test_a_definition_edited_after_start_does_not_change_the_run(fake_slack, database_url, tmp_path, monkeypatch):
    first = RunningApp(fake_slack, database_url).start()
    try:
        started = start(first, "sso okta")
    finally:
        first.stop()
    # Deploy an edited definition: a step renamed, one removed, one added.
    edited = tmp_path / "checklists"
    edited.mkdir()
    for path in bot.checklist_defs.DATA_DIR.glob("*.toml"):
        (edited / path.name).write_text(path.read_text())
    text = (edited / "sso-quick.toml").read_text()
    text = text.replace('text = "Logout URL is the right one"', 'text = "Renamed logout step"')
    text = text.replace('[[group.item]]\nid = "break-glass-admin"', '[[group.item]]\nid = "brand-new"\n'
                        'text = "A brand new step"\n\n[[group.item]]\nid = "break-glass-admin-2"')
    (edited / "sso-quick.toml").write_text(text)
    monkeypatch.setattr(bot.checklist_defs, "DATA_DIR", edited)
    bot.checklist_defs.load_checklists.cache_clear()
    second = RunningApp(fake_slack, database_url).start()
    try:
        second.interaction(tick_payload(second, started, 0, "logout-url"))
        update = last_parent_update(second, started)
        assert f"1/{started.total}" in progress_of(update)
        group = json.dumps(current_blocks(second, started, 0))
        assert "Logout URL is the right one" in group and "Renamed" not in group and "brand new" not in group
        assert "break-glass-admin" in group
    finally:
        second.stop()
        bot.checklist_defs.load_checklists.cache_clear()


def test_a_closed_checklist_takes_no_ticks(slack_app):
    started = start(slack_app, "scim okta")
    stale = current_blocks(slack_app, started, 0)
    slack_app.interaction(button_payload(slack_app, started.parent_post, "checklist.close",
                                         message_ts=started.parent_ts))
    assert "closed it" in progress_of(last_parent_update(slack_app, started))
    assert checkbox_elements(current_blocks(slack_app, started, 0)) == []  # drawn as a plain list now
    slack_app.interaction(tick_payload(slack_app, started, 0, "tenant-url-v2", blocks=stale))
    assert "This checklist is closed" in slack_app.fake.calls_to("response_url")[-1].params["text"]
    with slack_app.db.session() as session:
        assert session.get(ChecklistItem, (started.run_id, "tenant-url-v2")).done is False


# --------------------------------------------------------------------------- finishing, follow-up, nudge


def _tick_everything(app: RunningApp, started: Started, user: str = ADA) -> None:
    for group, post in enumerate(started.group_posts):
        for _, element in checkbox_elements(blocks_of(post)):
            app.interaction(tick_payload(app, started, group, element["options"][0]["value"], user=user,
                                         select_all=True))


def test_finishing_posts_who_did_what_and_the_401_follow_up_comes_10_minutes_later(slack_app):
    started = start(slack_app, "401 entra")
    slack_app.interaction(tick_payload(slack_app, started, 0, "platform-generate-key", user=BOB))
    entra = blocks_of(started.group_posts[1])
    slack_app.interaction(button_payload(slack_app, {"blocks": entra}, "checklist.check.0", thread_ts=started.parent_ts))
    modal = view_of(slack_app.fake.calls_to("views.open")[-1].params)
    slack_app.interaction(view_submission(slack_app, modal, "https://app.example.com/auth/realms/acme/org/"
                                                            "3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim/v2"))
    _tick_everything(slack_app, started)
    summary = thread_posts(slack_app, started)[-1]
    text = json.dumps(summary)
    assert f"All {started.total} steps are done" in text and f"<@{ADA}> ticked {started.total - 1}" in text
    assert f"<@{BOB}> ticked 1" in text and "10 minutes" in text and "1 check run in this thread" in text
    assert len([p for p in thread_posts(slack_app, started) if "steps are done" in json.dumps(p)]) == 1
    assert "All 15 steps done" in progress_of(last_parent_update(slack_app, started))
    with slack_app.db.session() as session:
        completed = session.get(ChecklistRun, started.run_id).completed_at
    scheduler = slack_app.runtime.deps.scheduler
    posts_before = len(thread_posts(slack_app, started))
    with freeze_time(completed + timedelta(minutes=9, seconds=50)):
        assert scheduler.run_once()["checklists"] == {"follow_ups": 0, "nudges": 0}
    assert len(thread_posts(slack_app, started)) == posts_before
    with freeze_time(completed + timedelta(minutes=10, seconds=1)):
        assert scheduler.run_once()["checklists"] == {"follow_ups": 1, "nudges": 0}
        assert scheduler.run_once()["checklists"] == {"follow_ups": 0, "nudges": 0}  # once only
    follow_up = thread_posts(slack_app, started)[-1]
    assert "Has provisioning resumed?" in json.dumps(follow_up)
    assert len(thread_posts(slack_app, started)) == posts_before + 1
    slack_app.interaction(button_payload(slack_app, follow_up, "checklist.resumed.yes", user=BOB,
                                         thread_ts=started.parent_ts, message_ts="1700000099.000100"))
    answered = [c.params for c in slack_app.fake.calls_to("chat.update") if c.params["ts"] == "1700000099.000100"]
    assert "confirmed provisioning has resumed" in json.dumps(answered[-1])
    with slack_app.db.session() as session:
        run = session.get(ChecklistRun, started.run_id)
    assert run.closed_at is not None and run.resolution == "resumed" and run.closed_by == BOB
    assert "confirmed provisioning resumed" in progress_of(last_parent_update(slack_app, started))
    with freeze_time(completed + timedelta(days=3)):
        assert scheduler.run_once()["checklists"] == {"follow_ups": 0, "nudges": 0}


def test_no_follow_up_offers_the_scim_checklist_and_the_diagnose_modal(slack_app):
    started = start(slack_app, "401 okta")
    _tick_everything(slack_app, started)
    with slack_app.db.session() as session:
        completed = session.get(ChecklistRun, started.run_id).completed_at
    with freeze_time(completed + timedelta(minutes=11)):
        slack_app.runtime.deps.scheduler.run_once()
    follow_up = thread_posts(slack_app, started)[-1]
    slack_app.interaction(button_payload(slack_app, follow_up, "checklist.resumed.no", thread_ts=started.parent_ts))
    offer = thread_posts(slack_app, started)[-1]
    start_button = next(e for b in blocks_of(offer) if b["type"] == "actions" for e in b["elements"]
                        if e["action_id"] == "checklist.start")
    assert json.loads(start_button["value"]) == {"checklist": "scim-quick", "idp": "okta"}
    with slack_app.db.session() as session:
        assert session.get(ChecklistRun, started.run_id).closed_at is None  # "No" keeps it open
    slack_app.interaction(button_payload(slack_app, offer, "home.open_diagnose", thread_ts=started.parent_ts))
    assert view_of(slack_app.fake.calls_to("views.open")[-1].params)["callback_id"] == "diagnose.modal"
    slack_app.interaction(button_payload(slack_app, offer, "checklist.start", thread_ts=started.parent_ts))
    parents = [c.params for c in slack_app.fake.calls_to("chat.postMessage") if "thread_ts" not in c.params]
    assert "SCIM quick check: Okta" in parents[-1]["text"]


def test_an_untouched_checklist_gets_one_gentle_nudge_after_24_hours(slack_app):
    started = start(slack_app, "setup")
    slack_app.interaction(tick_payload(slack_app, started, 0, "assign-users"))
    with slack_app.db.session() as session:
        touched = session.get(ChecklistRun, started.run_id).last_activity_at
    scheduler = slack_app.runtime.deps.scheduler
    with freeze_time(touched + timedelta(hours=23, minutes=59)):
        assert scheduler.run_once()["checklists"]["nudges"] == 0
    with freeze_time(touched + timedelta(hours=24, minutes=1)):
        assert scheduler.run_once()["checklists"]["nudges"] == 1
    with freeze_time(touched + timedelta(days=5)):
        assert scheduler.run_once()["checklists"]["nudges"] == 0
    nudges = [p for p in thread_posts(slack_app, started) if "quiet for a day" in json.dumps(p)]
    assert len(nudges) == 1 and f"1/{started.total}" in json.dumps(nudges[0])


def test_a_nudge_that_fails_is_retried_on_the_next_tick(slack_app):
    started = start(slack_app, "sso")
    with slack_app.db.session() as session:
        touched = session.get(ChecklistRun, started.run_id).last_activity_at
    slack_app.fake.fail_next("chat.postMessage", Fault(status=200, body={"ok": False, "error": "internal_error"}))
    with freeze_time(touched + timedelta(hours=25)):
        assert slack_app.runtime.deps.scheduler.run_once()["checklists"]["nudges"] == 0
        assert slack_app.runtime.deps.scheduler.run_once()["checklists"]["nudges"] == 1


# --------------------------------------------------------------------------- checks, export, Home


def test_run_check_opens_a_modal_and_posts_the_result_in_the_thread(slack_app):
    started = start(slack_app, "401 okta")
    okta = blocks_of(started.group_posts[1])
    slack_app.interaction(button_payload(slack_app, {"blocks": okta}, "checklist.check.0", thread_ts=started.parent_ts))
    modal = view_of(slack_app.fake.calls_to("views.open")[-1].params)
    assert modal["callback_id"] == "checklist.check_modal" and "SCIM 2.0 Base URL" in json.dumps(modal)
    url = "https://app.example.com/auth/realms/acme/org/3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim"
    response = slack_app.interaction(view_submission(slack_app, modal, url))
    assert response.status_code == 200 and response.text in ("", "{}")
    result = thread_posts(slack_app, started)[-1]
    text = json.dumps(result)
    assert "ran the SCIM URL check" in text and "v2" in text
    assert len(blocks_of(result)) <= 50


def test_a_token_pasted_into_a_url_check_is_refused_and_never_posted(slack_app):
    started = start(slack_app, "scim")
    connection = blocks_of(started.group_posts[0])
    slack_app.interaction(button_payload(slack_app, {"blocks": connection}, "checklist.check.0",
                                         thread_ts=started.parent_ts))
    modal = view_of(slack_app.fake.calls_to("views.open")[-1].params)
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzY2ltIiwiZXhwIjoxNzk0NzQ1NjAwfQ.c2lnbmF0dXJlLW5vdC1yZWFs"
    body = slack_app.interaction(view_submission(slack_app, modal, f"Bearer {jwt}")).json()
    assert body["response_action"] == "errors"
    assert jwt[:20] not in slack_app.fake.everything_sent()


def test_the_token_check_shows_its_result_privately_and_only_the_verdict_in_the_thread(slack_app):
    started = start(slack_app, "scim")
    connection = blocks_of(started.group_posts[0])
    slack_app.interaction(button_payload(slack_app, {"blocks": connection}, "checklist.check.1",
                                         thread_ts=started.parent_ts))
    modal = view_of(slack_app.fake.calls_to("views.open")[-1].params)
    jwt = ("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
           "eyJpc3MiOiJodHRwczovL2FwcC5leGFtcGxlLmNvbSIsImF1ZCI6InNjaW0iLCJpYXQiOjE3NjIxMjgwMDAsI"
           "mV4cCI6MTc2MTk1NTIwMH0."
           "ZmFrZS1zaWduYXR1cmUtZm9yLXRlc3RzLW9ubHktbm90LXJlYWw")
    body = slack_app.interaction(view_submission(slack_app, modal, jwt)).json()
    assert body["response_action"] == "update"
    note = thread_posts(slack_app, started)[-1]
    assert "checked a token privately" in json.dumps(note)
    for part in jwt.split("."):
        assert part[:16] not in slack_app.fake.everything_sent() and part[:16] not in json.dumps(body)
    with slack_app.db.session() as session:
        dumped = " ".join(str(r) for r in session.exec(select(ChecklistEvent)).all())
    assert "token-" in dumped and all(part[:16] not in dumped for part in jwt.split("."))


def test_export_posts_a_redacted_summary_with_checks_and_times(slack_app):
    started = start(slack_app, "401 okta")
    slack_app.interaction(tick_payload(slack_app, started, 1, "okta-base-url"))
    okta = blocks_of(started.group_posts[1])
    slack_app.interaction(button_payload(slack_app, {"blocks": okta}, "checklist.check.0", thread_ts=started.parent_ts))
    modal = view_of(slack_app.fake.calls_to("views.open")[-1].params)
    secret_url = "https://app.example.com/auth/realms/acme/org/3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim/"
    slack_app.interaction(view_submission(slack_app, modal, secret_url))
    slack_app.interaction(button_payload(slack_app, started.parent_post, "checklist.export", user=BOB,
                                         message_ts=started.parent_ts))
    export = thread_posts(slack_app, started)[-1]
    text = "\n".join(b["text"]["text"] for b in blocks_of(export) if b["type"] == "section")
    assert "Checklist: SCIM 401 recovery: Okta [scim-401]" in text and f"1/{started.total} steps done" in text
    assert "[x] okta-base-url" in text and ADA in text and "UTC" in text
    assert "Checks run:" in text and "scim_url for okta-base-url" in text
    assert "3f2504e0" not in text  # what was pasted is not kept, so it cannot be exported
    assert_within_limits(export)


def test_home_lists_open_checklists(slack_app, corpus):
    started = start(slack_app, "401 okta")
    slack_app.interaction(tick_payload(slack_app, started, 0, "platform-open-settings"))
    envelopes = json.loads((corpus / "slack" / "bolt_python_payloads" / "event_app_home_opened.json").read_text())
    envelope = json.loads(json.dumps(envelopes[0]["payload"]))
    envelope["event"]["tab"] = "home"
    envelope["team_id"] = TEAM_ID
    envelope.pop("enterprise_id", None)
    envelope["authorizations"] = [{"team_id": TEAM_ID, "user_id": "U0SSOBOT1", "is_bot": True,
                                   "is_enterprise_install": False, "enterprise_id": None}]
    slack_app.event(envelope)
    view = view_of(slack_app.fake.calls_to("views.publish")[-1].params)
    text = json.dumps(view["blocks"])
    assert "Open checklists" in text and "SCIM 401 recovery: Okta" in text and f"1/{started.total}" in text
    assert f"<#{CHANNEL}>" in text and len(view["blocks"]) <= 100


def test_checklist_actions_are_audited_without_text(slack_app):
    started = start(slack_app, "sso")
    slack_app.interaction(tick_payload(slack_app, started, 0, "logout-url"))
    with slack_app.db.session() as session:
        rows = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(r.action, r.outcome) for r in rows] == [("checklist", "started"), ("checklist.tick", "ok")]
    assert rows[0].detail == "sso-quick:-"
