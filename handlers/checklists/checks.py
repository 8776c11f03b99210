"""The "Run check" button on a step: a modal to paste into, the check, and its report in the thread.

A token check is the exception: its report stays in the modal, seen only by whoever ran it, and the
thread gets one line saying it was checked. A secret (``bot.redaction.find_secrets``) pasted into any
other check is refused before anything is posted.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.checklists import Item
from bot.checks import run_check
from bot.redaction import SafeReport, find_secrets, named
from handlers.checklists.common import reply, team_of, user_of
from handlers.shared.deps import Deps
import handlers.checklists.views as views
from handlers.checklists.ids import ChecklistIds
from handlers.shared.modals import INPUT_ACTION, error_modal, result_modal
from handlers.shared.report import explainable_codes, fallback_text, render_report, verdict
from handlers.shared.owned import run_for
from handlers.shared.payload import json_object
from services import checklists
from services.checklists import PostedRun


class ChecklistChecks:
    """The check modal of a step, and what its submission posts and records."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @property
    def db(self):
        return self.deps.db

    def open_check(self, body: dict[str, Any], client: WebClient) -> None:
        run_id, _, item_id = str(body["actions"][0].get("value", "")).partition("|")
        state = run_for(self.db, body, run_id)
        run = state.run if state else None
        item = run.item(item_id) if run else None
        if run is None or item is None or not item.check:
            view = error_modal("That step is no longer available.")
        elif run.is_closed:
            view = error_modal("This checklist is closed.")
        else:
            view = views.check_modal(run, item)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def check_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        text = _pasted(view)
        if not text.strip():
            ack(response_action="errors", errors={ChecklistIds.CHECK_INPUT: "Paste what to check."})
            return
        step = self._step(body, view)
        if step is None:
            ack(response_action="update", view=error_modal("That checklist is no longer available."))
            return
        state, item = step
        kind = item.check
        secrets = find_secrets(text) if kind != "token" else []
        if secrets:
            ack(response_action="errors", errors={ChecklistIds.CHECK_INPUT: (
                f"That holds {named(secrets[0].kind)}, and the result would be posted in the thread. Nothing was "
                "posted; take the secret out, or check tokens with the token check or `/sso token`.")})
            return
        user = user_of(body)
        now = self.deps.clock()
        report = self.run_check(kind, text)
        del text  # nothing below needs what was pasted
        self._show(ack, client, state, item, user, report)
        checklists.save_check(self.db, state.run.id, item_id=item.id, user_id=user, check_kind=kind, report=report, now=now)
        self.deps.audit.record(team_id=team_of(body), user_id=user, action="checklist.check",
                               input_kinds=report.inputs, outcome=report.worst.value,
                               detail=",".join(dict.fromkeys(f.code for f in report.findings)))

    def _step(self, body: dict[str, Any], view: dict[str, Any]) -> tuple[PostedRun, Item] | None:
        """The stored run and the step the modal was opened for; None when either is gone or has no check."""
        try:
            meta = json_object(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        state = run_for(self.db, body, meta.get("run"))
        item = state.run.item(str(meta.get("item", ""))) if state else None
        if state is None or item is None or not item.check:
            return None
        return state, item

    def _show(self, ack: Ack, client: WebClient, state: PostedRun, item: Item, user: str,
              report: SafeReport) -> None:
        """A token's report in the modal with a line in the thread; any other report in the thread."""
        if item.check == "token":
            ack(response_action="update", view=result_modal("Token check", render_report(report)))
            note = views.render_token_note(item, user, _plain_verdict(report))
            reply(client, state, "Token checked privately", note)
            return
        ack()
        blocks = [views.render_check_context(item, user, item.check),
                  *render_report(report, explainable=explainable_codes(report), max_blocks=49)]
        reply(client, state, fallback_text(report), blocks)

    def run_check(self, kind: str, text: str) -> SafeReport:
        """A step's check (its kinds are the checklist files' names for them), sealed like every other."""
        check = _CHECKS.get(kind)
        if check is None:
            raise ValueError(f"unknown check {kind!r}")
        return run_check(check, text, now=self.deps.clock(), environments=self.deps.settings.environments)


def _pasted(view: dict[str, Any]) -> str:
    """What was pasted into the modal's one input ("" when nothing)."""
    return (((view.get("state") or {}).get("values", {}).get(ChecklistIds.CHECK_INPUT, {})
             .get(INPUT_ACTION, {}) or {}).get("value") or "")


# A step's check kind (bot/checklists_data) -> the check bot.checks runs for it.
_CHECKS = {"scim_url": "scim", "redirect": "redirect", "domains": "domains", "token": "token"}


def _plain_verdict(report: SafeReport) -> str:
    """The verdict without its emoji, for the one line a token check leaves in the thread."""
    text = verdict(report)
    return text.split(" ", 1)[1] if text.startswith(":") and " " in text else text
