"""Starting a checklist: ``/sso checklist ...``, the Start button (under a diagnosis or in the picker),
and posting the run.

A slash command cannot run inside a thread, so a run starts with a parent message in the channel
(title, who started it, IdP, progress) and posts its steps in that message's thread, one message
per group. ``services.checklists.start`` saves the run before anything is posted; here the messages
are drawn and posted.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ButtonElement

from bot.checklist_defs import IDPS, ChecklistDef, ChecklistLibrary, load_checklists, parse_idp
from bot.checklist_suggest import suggest_checklist
from bot.checklists import Run
from bot.credentials import Idp, Kind
from bot.redaction import SafeReport, require_safe
from handlers.checklists.common import NOT_THERE, invite_error, team_of, user_of
from handlers.shared.commands import CommandContext, Outcome
from handlers.shared.deps import Deps
from handlers.shared.errors import UserError
from handlers.shared.payload import json_object
import handlers.checklists.views as views
from services import checklists


def checklist_buttons(report: SafeReport) -> list[ButtonElement]:
    """A "Start checklist" button for a diagnosis whose findings map to a checklist (else none)."""
    require_safe(report)
    suggestion = suggest_checklist((f.code, f.severity.value) for f in sorted(report.findings,
                                                                               key=lambda f: -f.severity.rank))
    if suggestion is None:
        return []
    checklist_id, idp = suggestion
    definition = load_checklists().get(checklist_id)
    if definition is None:
        return []
    label = f"Start checklist: {definition.title}" + (f" ({IDPS[idp]})" if idp in IDPS else "")
    return [views.start_button(checklist_id, idp, label)]


def recovery_buttons(kind: str, idp: str) -> list[ButtonElement]:
    """"Start 401 recovery" on the reminder of an expiring SCIM token at Entra or Okta."""
    if kind != Kind.SCIM_TOKEN or idp not in (Idp.ENTRA, Idp.OKTA):
        return []
    return [views.start_button("scim-401", idp, "Start 401 recovery")]


class ChecklistStarts:
    """The command and the Start button, and the run they post."""

    def __init__(self, deps: Deps, library: ChecklistLibrary) -> None:
        self.deps = deps
        self.library = library

    @property
    def db(self):
        return self.deps.db

    def command(self, ctx: CommandContext) -> Outcome:
        words = ctx.args.lower().split()
        if not words or words[0] in ("list", "help"):
            ctx.respond(blocks=views.render_picker(self.library), text=views.picker_text(self.library),
                        response_type="ephemeral")
            return Outcome(outcome="picker")
        definition, idp = self._named(words)
        if not definition.accepts_idp(idp):
            ctx.respond(blocks=views.render_idp_picker(definition), text=f"{definition.title}: which IdP?",
                        response_type="ephemeral")
            return Outcome(input_kinds=("checklist",), outcome="picker", detail=definition.id)
        self.start(ctx.client, team_id=ctx.team_id, channel_id=ctx.channel_id, user_id=ctx.user_id,
                   definition=definition, idp=idp)
        return Outcome(input_kinds=("checklist",), outcome="started", detail=f"{definition.id}:{idp or '-'}")

    def _named(self, words: list[str]) -> tuple[ChecklistDef, str | None]:
        """The one checklist and the IdP (if any) the words name; a UserError for anything else."""
        definitions = [d for w in words if (d := self.library.find(w)) is not None]
        idps = [i for w in words if (i := parse_idp(w)) is not None]
        leftover = [w for w in words if self.library.find(w) is None and parse_idp(w) is None]
        if len(definitions) != 1 or len(idps) > 1 or leftover:
            choices = ", ".join(f"`{d.command}`" for d in self.library)
            raise UserError("I don't know that checklist.",
                            f"Try one of {choices}, e.g. `/sso checklist 401 okta`, or `/sso checklist` for the list.")
        definition, idp = definitions[0], (idps[0] if idps else None)
        if idp is not None and idp not in definition.idps:
            raise UserError(f"{definition.title} has no steps for {IDPS[idp]}.",
                            f"Try `/sso checklist {definition.command}`.")
        return definition, idp

    def start(self, client: WebClient, *, team_id: str, channel_id: str, user_id: str, definition: ChecklistDef,
              idp: str | None) -> Run:
        """Post the parent in the channel and the steps in its thread (``services.checklists.start``)."""
        return checklists.start(self.db, _SlackRunPoster(client), definition, idp, team_id=team_id,
                                channel_id=channel_id, user_id=user_id, now=self.deps.clock())

    def start_from_button(self, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        action = body["actions"][0]
        definition, idp = self._from_button(action)
        if not definition.accepts_idp(idp):
            respond(blocks=views.render_idp_picker(definition), text=f"{definition.title}: which IdP?",
                    response_type="ephemeral", replace_original=False)
            return
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        if not channel:
            raise UserError("I can't tell which channel to start it in.", "Run `/sso checklist` in the channel.")
        user = user_of(body)
        run = self.start(client, team_id=team_of(body), channel_id=str(channel), user_id=user, definition=definition,
                         idp=idp)
        if str(action.get("block_id", "")).startswith(views.PICK_BLOCK):
            respond(text=f"Started *{run.display_title}* in this channel.", replace_original=True)
        self.deps.audit.record(team_id=team_of(body), user_id=user, action="checklist.start",
                               input_kinds=("checklist",), outcome="started", detail=f"{definition.id}:{idp or '-'}")

    def _from_button(self, action: dict[str, Any]) -> tuple[ChecklistDef, str | None]:
        """The checklist and IdP a Start button carries (an IdP the checklist lacks is dropped)."""
        try:
            value = json_object(str(action.get("value") or "{}"))
            checklist_id, idp_word = str(value.get("checklist", "")), value.get("idp")
        except ValueError:
            raise UserError("That button is out of date.", "Start the checklist with `/sso checklist`.") from None
        definition = self.library.get(checklist_id)
        if definition is None:
            raise UserError("That checklist no longer exists.", "`/sso checklist` lists the ones there are.")
        idp = parse_idp(str(idp_word)) if idp_word else None
        if idp is not None and idp not in definition.idps:
            idp = None
        return definition, idp


class _SlackRunPoster:
    """A new run's messages, drawn here and posted with the listener's client (``services.ports.RunPoster``)."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def parent(self, run: Run, channel_id: str) -> tuple[str, str]:
        try:
            parent = self.client.chat_postMessage(channel=channel_id, text=views.parent_text(run),
                                                  blocks=views.render_parent(run))
        except SlackApiError as error:
            if error.response.get("error") in NOT_THERE:
                raise invite_error() from error
            raise
        return str(parent.get("channel") or channel_id), str(parent["ts"])

    def group(self, run: Run, group: int, channel_id: str, parent_ts: str) -> str:
        reply = self.client.chat_postMessage(channel=channel_id, thread_ts=parent_ts, text=views.group_text(run, group),
                                             blocks=views.render_group(run, group))
        return str(reply["ts"])
