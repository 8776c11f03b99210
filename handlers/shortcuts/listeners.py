"""The two shortcuts: *Diagnose this message* (on any message's menu) and the global one that opens the
diagnose form, plus *Share in thread* under the private answer.

The answer to the message shortcut is for whoever used it: an ephemeral message in the conversation (in the
message's thread when it is in one). When the bot cannot post there (it is not in the channel, or the
message is in a DM between people), the answer comes as a DM from the app instead, saying why. *Share in
thread* posts the saved, sealed copy of that answer (``services.sharing``), never a new diagnosis of the
message, so what was redacted stays redacted; a report computed from a token is not offered for sharing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block

from handlers.shared.deps import Deps
from handlers.shared.errors import UserError
from handlers.shared.once import Once
from handlers.shared.owned import snapshot_for
from handlers.shared.payload import json_object, team_id, user_id
from handlers.shared.report import explainable_codes, fallback_text, render_report
from handlers.shortcuts.ids import ShortcutIds
from handlers.shortcuts.message import diagnose_message
from handlers.shortcuts.views import ThreadTarget, nothing_to_read, private_answer
from services import diagnose as diagnosis
from services import sharing

log = logging.getLogger("sso_bot.shortcuts")

# The conversation cannot take a message from the bot: it is not a member, or it is someone else's DM.
_CANNOT_POST = frozenset({"not_in_channel", "channel_not_found", "is_archived", "cannot_dm_bot", "user_not_in_channel"})
_NOT_HERE = ("I'm not in that conversation, so here is the answer privately. To share it in the thread, "
             "invite me there with /invite @sso-bot, then press Share in thread.")


def register(app: App, deps: Deps) -> None:
    once = Once()

    @app.shortcut(ShortcutIds.DIAGNOSE_MESSAGE)
    def diagnose_this_message(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        if not once.first(f"{user_id(body)}:{body.get('action_ts') or body.get('trigger_id')}"):
            return  # the same click delivered twice
        _answer_privately(deps, body, client, respond)

    @app.shortcut(ShortcutIds.OPEN_DIAGNOSE)
    def open_diagnose(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        if deps.hooks.diagnose_modal is None:
            raise UserError("The diagnose form is not available in this build.", "Use `/sso diagnose <paste>` instead.")
        client.views_open(trigger_id=body["trigger_id"], view=deps.hooks.diagnose_modal())

    @app.action(ShortcutIds.SHARE_IN_THREAD)
    def share_in_thread(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        team, user = team_id(body), user_id(body)
        try:
            target = ThreadTarget.from_value(json_object(str(body["actions"][0].get("value") or "")))
        except ValueError:
            target = None
        kept = snapshot_for(deps.db, body, target.share_id) if target else None
        if target is None or kept is None:
            raise UserError("That answer is no longer available to share.",
                            "Use *Diagnose this message* on the message again for a fresh one.")
        report = kept.report
        try:
            client.chat_postMessage(channel=target.channel, thread_ts=target.thread_ts, text=fallback_text(report),
                                    blocks=render_report(report, explainable=explainable_codes(report), shared_by=user))
        except SlackApiError as error:
            if error.response.get("error") in _CANNOT_POST:
                raise UserError("I can't post in that thread: I'm not in its channel.",
                                "Invite me with `/invite @sso-bot` there, then press *Share in thread* again.") from error
            raise
        deps.audit.record(team_id=team, user_id=user, action="shortcut.share", input_kinds=report.inputs, outcome="ok")


def _answer_privately(deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Diagnose the shortcut's message and answer the person who used it (``_Private``), with *Share in
    thread* when the answer has something shareable (kept as a sealed snapshot for the click)."""
    team, user = team_id(body), user_id(body)
    channel = str((body.get("channel") or {}).get("id") or "")
    message = body.get("message") or {}
    ts = str(message.get("ts") or body.get("message_ts") or "")
    root = str(message.get("thread_ts") or ts)  # the thread the message is in, or starts
    # A reply's answer goes in its thread; a parent's (or a lone message's) beside it, where it was used.
    private = _Private(client, channel, user, root if root != ts else "", respond)
    read = diagnose_message(client, message)
    if read.report is None:
        private.send(nothing_to_read(read.file_problem), None)
        deps.audit.record(team_id=team, user_id=user, action="shortcut.diagnose", input_kinds=(), outcome="empty")
        return
    report = read.report
    share_id = sharing.keep_for_sharing(deps.db, report, team_id=team, user_id=user)
    target = ThreadTarget.from_value({"s": share_id, "c": channel, "t": root}) if share_id else None
    notes = [read.file_problem] if read.file_problem else []

    def answer(with_notes: list[str]) -> list[Block]:
        return private_answer(report, target=target, extra=deps.hooks.buttons_for_report(report), notes=with_notes)

    where = private.send(fallback_text(report), answer(notes), dm_blocks=lambda: answer([_NOT_HERE, *notes]))
    input_kinds, outcome, detail = diagnosis.audit_fields(report)
    deps.audit.record(team_id=team, user_id=user, action=f"shortcut.diagnose.{where}", input_kinds=input_kinds,
                      outcome=outcome, detail=detail)


@dataclass(frozen=True)
class _Private:
    """Where a private answer goes for the person who used the shortcut."""

    client: WebClient
    channel: str
    user: str
    thread_ts: str  # set for a reply: the answer goes in its thread
    respond: Respond | None

    def send(self, text: str, blocks: list[Block] | None,
             dm_blocks: Callable[[], list[Block]] | None = None) -> str:
        """Ephemeral where the message is; else a DM from the app (``dm_blocks`` say why); else, when DMs are
        refused too, the shortcut's own ``response_url``. Which one it was."""
        try:
            self.client.chat_postEphemeral(channel=self.channel, user=self.user, text=text, blocks=blocks,
                                           **({"thread_ts": self.thread_ts} if self.thread_ts else {}))
            return "ephemeral"
        except SlackApiError as error:
            if error.response.get("error") not in _CANNOT_POST:
                raise
            log.info("answering a shortcut by DM: cannot post in %s (%s)", self.channel, error.response.get("error"))
        dm = dm_blocks() if dm_blocks is not None else None
        dm_text = text if dm is not None else f"{_NOT_HERE}\n{text}"
        try:
            self.client.chat_postMessage(channel=self.user, text=dm_text, blocks=dm)
            return "dm"
        except SlackApiError as error:
            if self.respond is None or not self.respond.response_url:
                raise
            log.info("answering a shortcut through its response_url: no DM (%s)", error.response.get("error"))
        self.respond(text=dm_text, blocks=dm, response_type="ephemeral", replace_original=False)
        return "response_url"
