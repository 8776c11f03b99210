"""Every listener that loads a row by an id from a payload, driven by signed requests from two workspaces.

For each: the row is made in workspace A; the same request from workspace B (by a user allowed to act
there) is refused politely and changes nothing, is posted nowhere; then from A it takes effect, which
shows the request was one the listener acts on. Runs on SQLite, and on PostgreSQL when
SSO_BOT_TEST_POSTGRES_URL is set (the ``database_url`` fixture)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import pytest
from sqlmodel import select

from handlers.checklists.ids import ChecklistIds
from handlers.credentials.ids import CredentialIds
from handlers.diagnose.ids import DiagnoseIds
from handlers.files.ids import FileId
from handlers.live.ids import LiveId
from handlers.shared.ids import ReportIds
from storage.checklists import load_run
from storage.credentials import add_credential, get_credential
from storage.models import ChecklistEvent, ChecklistItem
from storage.types import utcnow
from tests.integration.test_checklists_slack import Started, start
from tests.support import payloads
from tests.support.fake_slack import TEAM_ID
from tests.support.slack_app import RunningApp

HOME, OTHER = TEAM_ID, "T0OTHER01"
ADMIN, INTRUDER = "U0ADMIN01", "U0OTHER01"  # both allowed to manage credentials (SSO_BOT_ADMINS)
REFUSAL = "belongs to another Slack workspace"
AADSTS50011 = ("AADSTS50011: The redirect URI 'https://app.example.com/oidc/callback/' specified in the request "
               "does not match the redirect URIs configured for the application '6731de76-14a6-49ae-97bc-6eba6914391e'.")


@pytest.fixture
def app(fake_slack, database_url):
    running = RunningApp(fake_slack, database_url, admins=frozenset({ADMIN, INTRUDER}), reminder_pace=0.0).start()
    yield running
    running.stop()


def _team_user(team: str) -> str:
    return ADMIN if team == HOME else INTRUDER


def _said(app: RunningApp) -> str:
    """Everything the app told users since the last reset: replies, modals opened, acks kept by the test."""
    return json.dumps([c.params for c in app.fake.calls if c.method in ("response_url", "views.open")])


# --------------------------------------------------------------------------- rows in workspace A


def _credential(app: RunningApp) -> int:
    now = utcnow()
    added = add_credential(app.db, team_id=HOME, label="prod Entra SCIM", kind="scim-token", idp="entra",
                           environment="prod", channel_id="C0REMIND1", expires_at=now + timedelta(days=20),
                           expiry_source="issued", fingerprint="", added_by=ADMIN, now=now, next_due_at=None)
    return added.credential.id


def _snapshot(app: RunningApp) -> str:
    app.command(f"diagnose {AADSTS50011}")
    reply = app.fake.calls_to("response_url")[-1].params
    actions = next(b for b in reply["blocks"] if b["type"] == "actions")
    return next(e["value"] for e in actions["elements"] if e["action_id"] == ReportIds.SHARE)


def _run(app: RunningApp) -> Started:
    return start(app, "401 entra")


def _checked_item(app: RunningApp, run: Started) -> ChecklistItem:
    with app.db.session() as session:
        return session.exec(select(ChecklistItem).where(ChecklistItem.run_id == run.run_id,
                                                        ChecklistItem.check_kind == "scim_url")).first()


def _events(app: RunningApp, run: Started, kind: str) -> int:
    with app.db.session() as session:
        return len(session.exec(select(ChecklistEvent).where(ChecklistEvent.run_id == run.run_id,
                                                             ChecklistEvent.kind == kind)).all())


def _thread_posts(app: RunningApp, run: Started) -> int:
    return len([c for c in app.fake.calls_to("chat.postMessage") if c.params.get("thread_ts") == run.parent_ts])


# --------------------------------------------------------------------------- the cases


@dataclass
class Case:
    """``setup`` makes the row in A and returns what a request names; ``send`` sends the request as a
    workspace; ``effect`` reads whether it took effect."""

    ids: tuple[str, ...]
    setup: Callable[[RunningApp], object]
    send: Callable[[RunningApp, object, str], object]
    effect: Callable[[RunningApp, object], bool]


def _renew_submission(app: RunningApp, cred_id: int, team: str):
    return app.interaction(payloads.view_submission(
        CredentialIds.RENEW_MODAL, {"credential.expires": {"value": {"type": "datepicker", "selected_date": "2031-01-01"}}},
        team=team, user=_team_user(team), private_metadata=json.dumps({"id": cred_id, "gen": 1})))


def _snooze_submission(app: RunningApp, cred_id: int, team: str):
    picked = (date.today() + timedelta(days=3)).isoformat()
    return app.interaction(payloads.view_submission(
        CredentialIds.SNOOZE_MODAL, {"credential.snooze_date": {"value": {"type": "datepicker", "selected_date": picked}}},
        team=team, user=_team_user(team), private_metadata=json.dumps({"id": cred_id, "gen": 1})))


def _tick(app: RunningApp, run: Started, team: str):
    from tests.integration.test_checklists_slack import checkbox_elements, current_blocks

    block_id, element = checkbox_elements(current_blocks(app, run, 0))[0]
    first = element["options"][0]
    return app.interaction(payloads.block_actions(
        element["action_id"], None, team=team, user=_team_user(team), response_url=app.fake.response_url(team),
        message_ts=run.group_ts[0],
        action={"type": "checkboxes", "block_id": block_id, "selected_options": [first]}))


def _ticked(app: RunningApp, run: Started) -> bool:
    record = load_run(app.db, run.run_id)
    return any(item.done for item in record.items)


def _run_check_button(app: RunningApp, run: Started, team: str):
    item = _checked_item(app, run)
    return app.interaction(payloads.block_actions(f"{ChecklistIds.RUN_CHECK}.0", f"{run.run_id}|{item.item_id}",
                                                  team=team, user=_team_user(team),
                                                  response_url=app.fake.response_url(team)))


def _check_submission(app: RunningApp, run: Started, team: str):
    item = _checked_item(app, run)
    return app.interaction(payloads.view_submission(
        ChecklistIds.CHECK_MODAL, {ChecklistIds.CHECK_INPUT: {"value": {
            "type": "plain_text_input", "value": "https://app.example.com/scim/v2"}}},
        team=team, user=_team_user(team), private_metadata=json.dumps({"run": run.run_id, "item": item.item_id})))


def _run_button(action_id: str):
    def send(app: RunningApp, run: Started, team: str):
        return app.interaction(payloads.block_actions(action_id, run.run_id, team=team, user=_team_user(team),
                                                      response_url=app.fake.response_url(team),
                                                      message_ts=run.parent_ts))
    return send


def _credential_button(action_id: str):
    def send(app: RunningApp, cred_id: int, team: str):
        return app.interaction(payloads.block_actions(action_id, f"{cred_id}:1", team=team, user=_team_user(team),
                                                      response_url=app.fake.response_url(team), channel="C0REMIND1"))
    return send


def _opened(app: RunningApp, callback_id: str) -> bool:
    views = [c.params["view"] for c in app.fake.calls_to("views.open")]
    return any((json.loads(v) if isinstance(v, str) else v).get("callback_id") == callback_id for v in views)


CASES = {
    "share a report": Case(
        (ReportIds.SHARE,), _snapshot,
        lambda app, snapshot, team: app.interaction(payloads.block_actions(
            ReportIds.SHARE, snapshot, team=team, user=_team_user(team),
            response_url=app.fake.response_url(team))),
        lambda app, _snapshot_id: any(c.params.get("channel") == payloads.CHANNEL
                                      for c in app.fake.calls_to("chat.postMessage"))),
    "show a report's details (More)": Case(
        (ReportIds.MORE,), _snapshot,
        lambda app, snapshot, team: app.interaction(payloads.block_actions(
            ReportIds.MORE, f"{snapshot}|aadsts-50011", team=team, user=_team_user(team),
            response_url=app.fake.response_url(team))),
        lambda app, _snapshot_id: any("Where to look" in json.dumps(c.params.get("blocks"))
                                      for c in app.fake.calls_to("response_url"))),
    "back to a report's first view (Less)": Case(
        (ReportIds.LESS,), _snapshot,
        lambda app, snapshot, team: app.interaction(payloads.block_actions(
            ReportIds.LESS, f"{snapshot}|", team=team, user=_team_user(team),
            response_url=app.fake.response_url(team))),
        lambda app, _snapshot_id: any(c.params.get("replace_original") in (True, "true")
                                      for c in app.fake.calls_to("response_url"))),
    "mark a credential renewed (button)": Case(
        (CredentialIds.RENEW,), _credential, _credential_button(CredentialIds.RENEW),
        lambda app, _cred: _opened(app, CredentialIds.RENEW_MODAL)),
    "snooze a credential": Case(
        (CredentialIds.SNOOZE,), _credential, _credential_button(CredentialIds.SNOOZE),
        lambda app, cred: get_credential(app.db, cred).snoozed_until is not None),
    "snooze a credential for a week": Case(
        (CredentialIds.SNOOZE_WEEK,), _credential, _credential_button(CredentialIds.SNOOZE_WEEK),
        lambda app, cred: get_credential(app.db, cred).snoozed_until is not None),
    "open the snooze-until form": Case(
        (CredentialIds.SNOOZE_UNTIL,), _credential, _credential_button(CredentialIds.SNOOZE_UNTIL),
        lambda app, _cred: _opened(app, CredentialIds.SNOOZE_MODAL)),
    "snooze until a date (modal)": Case(
        (CredentialIds.SNOOZE_MODAL,), _credential, _snooze_submission,
        lambda app, cred: get_credential(app.db, cred).snoozed_until is not None),
    "stop tracking a credential": Case(
        (CredentialIds.UNTRACK,), _credential, _credential_button(CredentialIds.UNTRACK),
        lambda app, cred: not get_credential(app.db, cred).active),
    "renew a credential (modal)": Case(
        (CredentialIds.RENEW_MODAL,), _credential, _renew_submission,
        lambda app, cred: get_credential(app.db, cred).generation == 2),
    "tick a checklist step": Case((ChecklistIds.TICK,), _run, _tick, _ticked),
    "open a step's check": Case(
        (ChecklistIds.RUN_CHECK,), _run, _run_check_button, lambda app, _run: _opened(app, ChecklistIds.CHECK_MODAL)),
    "submit a step's check": Case(
        (ChecklistIds.CHECK_MODAL,), _run, _check_submission, lambda app, run: _events(app, run, "check") == 1),
    "export a checklist": Case(
        (ChecklistIds.EXPORT,), _run, _run_button(ChecklistIds.EXPORT), lambda app, run: _events(app, run, "export") == 1),
    "close a checklist": Case(
        (ChecklistIds.CLOSE,), _run, _run_button(ChecklistIds.CLOSE),
        lambda app, run: load_run(app.db, run.run_id).run.closed_at is not None),
    "answer the follow-up: resumed": Case(
        (ChecklistIds.RESUMED_YES,), _run, _run_button(ChecklistIds.RESUMED_YES),
        lambda app, run: load_run(app.db, run.run_id).run.resolution == "resumed"),
    "answer the follow-up: still failing": Case(
        (ChecklistIds.RESUMED_NO,), _run, _run_button(ChecklistIds.RESUMED_NO),
        lambda app, run: _events(app, run, "not-resumed") == 1),
}

# Listeners whose payload names no row of ours, each with why.
NO_ROW = {
    ReportIds.EXPLAIN: "names a knowledge entry, the same in every workspace",
    ReportIds.COMPARE: "carries the redirect URI the report showed, and opens the diagnose form with it",
    DiagnoseIds.OPEN_DIAGNOSE_MODAL: "opens an empty form",
    DiagnoseIds.OPEN_TOKEN_MODAL: "opens an empty form",
    ChecklistIds.START: "names a checklist definition; the run is made in the clicking workspace",
    DiagnoseIds.DIAGNOSE_MODAL: "carries only what was pasted",
    DiagnoseIds.TOKEN_MODAL: "carries only what was pasted",
    CredentialIds.OPEN_TRACK: "opens an empty form",
    CredentialIds.TRACK_CERTIFICATE: "opens the track form filled from the report (expiry, fingerprint, host)",
    CredentialIds.TRACK_MODAL: "finds an existing label within the request's workspace only",
    ChecklistIds.CHECK_INPUT: "a block id inside the check modal, not a listener",
    LiveId.OPEN_SCIM_MODAL: "opens the SCIM check form",
    LiveId.URL_BLOCK: "a block id inside the SCIM check form, not a listener",
    LiveId.TOKEN_BLOCK: "a block id inside the SCIM check form, not a listener",
    LiveId.IDP_BLOCK: "a block id inside the SCIM check form, not a listener",
    LiveId.SAML_MODAL: "carries a metadata URL or an uploaded file, fetched with this workspace's token",
    LiveId.SAML_URL_BLOCK: "a block id inside the SAML check form, not a listener",
    LiveId.SAML_FILE_BLOCK: "a block id inside the SAML check form, not a listener",
    FileId.OPEN_MODAL: "opens the file form",
    FileId.MODAL: "carries the uploaded file, fetched with this workspace's token",
    FileId.INPUT_BLOCK: "a block id inside the file form, not a listener",
    FileId.AUDIENCE_BLOCK: "a block id inside the file form, not a listener",
    FileId.SHARE_TO_BLOCK: "a block id inside the file form (a channel Slack lists from the person's own workspace)",
    FileId.ANSWER_ACTIONS: "the block id of the file answer's buttons, not a listener",
}

# Listeners that name a row and are isolated by a test elsewhere (it sends another workspace's id).
ISOLATED_ELSEWHERE = {
    LiveId.SCIM_MODAL: "tests/integration/test_live_daily.py::test_another_workspaces_credential_is_never_kept_for",
    LiveId.KEEP_BLOCK: "tests/integration/test_live_daily.py::test_another_workspaces_credential_is_never_kept_for",
    FileId.SHARE: "tests/integration/test_files_slack.py::test_another_workspace_cannot_share_a_kept_file_answer",
}


def test_every_button_and_modal_id_is_either_isolated_here_or_names_no_row():
    covered = {i for case in CASES.values() for i in case.ids}
    every = {*ReportIds, *DiagnoseIds, *CredentialIds, *ChecklistIds, *LiveId, *FileId}
    known = covered | set(NO_ROW) | set(ISOLATED_ELSEWHERE)
    assert every == known, f"classify: {sorted(every - known)}"
    assert not covered & set(NO_ROW)


@pytest.mark.parametrize("name", list(CASES))
def test_a_row_of_another_workspace_is_refused_and_left_alone(app, name):
    case = CASES[name]
    row = case.setup(app)
    app.fake.reset()

    response = case.send(app, row, OTHER)
    assert response.status_code == 200
    assert not case.effect(app, row), "another workspace's request changed the row"
    posted = [c.params for c in app.fake.calls_to("chat.postMessage")]
    assert posted == [], f"another workspace's request posted: {posted}"
    ack = response.json() if response.content else {}
    said = _said(app) + json.dumps(ack)
    assert REFUSAL in said or "no longer available" in said, said[:500]

    app.fake.reset()
    assert case.send(app, row, HOME).status_code == 200
    assert case.effect(app, row), "the same request from the row's own workspace did nothing"
    assert REFUSAL not in _said(app)
