"""/sso diagnose and its shortcuts, the private token modal, and the report buttons.

Every path runs its check through ``services.diagnose`` (``bot.checks.run_check``), which seals the report (``bot.redaction``).
Replies are ephemeral; "Share in channel" posts a saved, sealed copy, sealed again when read back. A token is read, checked
and dropped: it reaches no log line, no audit row, no snapshot and no message.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.knowledge import load_knowledge
from bot.redaction import SafeReport
from handlers.diagnose.ids import DiagnoseBlock, DiagnoseIds
from handlers.diagnose.reply import ReplyJob, outcome_of, run_reply
from handlers.diagnose.views import diagnose_modal, entry_modal, home_buttons, next_step_buttons, token_modal
from handlers.shared.commands import CommandContext, Outcome, Subcommand
from handlers.shared.deps import Deps
from handlers.shared.errors import UserError, report_failure
from handlers.shared.modals import INPUT_ACTION, error_modal, result_modal
from handlers.shared.owned import snapshot_for
from handlers.shared.payload import team_id, user_id
from handlers.shared.ids import ReportIds
from handlers.shared.report import explainable_codes, fallback_text, render_report
from services import diagnose as diagnosis
from storage.snapshots import purge_snapshots

log = logging.getLogger("sso_bot.diagnose")


class DiagnoseCommands:
    """The subcommands, bound to settings and dependencies. The diagnosis and the reply run as one
    job on ``deps.jobs`` (a worker process in production), after the router's ack."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    # -- subcommands --------------------------------------------------------
    def diagnose(self, ctx: CommandContext) -> Outcome | None:
        if not ctx.args:
            ctx.client.views_open(trigger_id=ctx.trigger_id, view=diagnose_modal())
            return Outcome(outcome="modal")
        return self._reply(ctx, "diagnose")

    def scim(self, ctx: CommandContext) -> Outcome | None:
        _require(ctx.args, "Give me the SCIM base URL to check.",
                 "Example: `/sso scim https://app.example.com/auth/realms/acme/org/<client-guid>/scim/v2`")
        return self._reply(ctx, "scim")

    def redirect(self, ctx: CommandContext) -> Outcome | None:
        _require(ctx.args, "Give me two redirect URIs: the registered one, then the one the app sends.",
                 "Example: `/sso redirect https://app.example.com/callback https://app.example.com/callback/`")
        return self._reply(ctx, "redirect")

    def domains(self, ctx: CommandContext) -> Outcome | None:
        _require(ctx.args, "Give me the allowlist, and optionally an email to test against it.",
                 "Example: `/sso domains example.com, example.co.uk jane@example.com`")
        return self._reply(ctx, "domains")

    def explain(self, ctx: CommandContext) -> Outcome | None:
        _require(ctx.args, "Give me a code to explain.", "Example: `/sso explain AADSTS50011` or `/sso explain E0000011`")
        return self._reply(ctx, "explain")

    def token(self, ctx: CommandContext) -> Outcome:
        ctx.client.views_open(trigger_id=ctx.trigger_id, view=token_modal())
        return Outcome(outcome="modal")

    # -- replies --------------------------------------------------------------
    def _reply(self, ctx: CommandContext, check: str) -> Outcome | None:
        job = ReplyJob(check=check, args=ctx.args, now=self.deps.clock(), team_id=ctx.team_id, user_id=ctx.user_id,
                       response_url=ctx.respond.response_url or "", environments=dict(self.deps.settings.environments),
                       report_actions=tuple(self.deps.hooks.report_actions))

        def done(outcome: Outcome | None, error: BaseException | None) -> None:
            if error is not None:
                outcome = Outcome(outcome="user_error" if isinstance(error, UserError) else "error")
                report_failure(error, ctx.respond, request=f"/sso {check}", team=ctx.team_id, user=ctx.user_id)
            self.deps.audit.record(team_id=ctx.team_id, user_id=ctx.user_id, action=check,
                                   input_kinds=outcome.input_kinds, outcome=outcome.outcome, detail=outcome.detail)

        self.deps.jobs.submit(run_reply, job, done)
        return None  # audited by ``done`` when the reply has gone out


def _require(args: str, message: str, hint: str) -> None:
    if not args.strip():
        raise UserError(message, hint)


def register(app: App, deps: Deps) -> None:
    commands = DiagnoseCommands(deps)
    router = deps.hooks.router
    deps.hooks.home_buttons.extend(home_buttons())
    deps.hooks.next_steps.extend(next_step_buttons())
    deps.hooks.diagnose_modal = diagnose_modal
    router.add(Subcommand("diagnose", "/sso diagnose <error, code, URL or log line>",
                          "Explain an error: likely cause, fix and where to click. No text opens a form.",
                          run=commands.diagnose, aliases=("d", "why")))
    router.add(Subcommand("explain", "/sso explain <code>",
                          "What an AADSTS, Okta E0000, OAuth, HTTP or provisioning code means.", run=commands.explain))
    router.add(Subcommand("scim", "/sso scim <SCIM base URL>", "Check a SCIM base URL and get the corrected one.",
                          run=commands.scim))
    router.add(Subcommand("redirect", "/sso redirect <registered URI> <sent URI>",
                          "Compare two redirect URIs and see where they differ.", run=commands.redirect))
    router.add(Subcommand("domains", "/sso domains <domains> [email]",
                          "Check a login-domain allowlist, and whether an email's domain is on it.",
                          run=commands.domains))
    router.add(Subcommand("token", "/sso token", "Paste a token privately to see when it expires (never stored).",
                          run=commands.token))
    deps.scheduler.add("snapshots.purge", lambda now: purge_snapshots(deps.db, now))
    _register_actions(app, deps)
    _register_modals(app, deps)


def _register_actions(app: App, deps: Deps) -> None:
    @app.action(ReportIds.SHARE)
    def share(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        team, user = team_id(body), user_id(body)
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        kept = snapshot_for(deps.db, body, body["actions"][0].get("value"))
        if kept is None or not channel:
            raise UserError("That report is no longer available to share.", "Run `/sso diagnose` again to get a fresh one.")
        report = kept.report
        try:
            client.chat_postMessage(channel=channel, text=fallback_text(report),
                                    blocks=render_report(report, explainable=explainable_codes(report), shared_by=user,
                                                        more_id=kept.id))
        except SlackApiError as error:
            if error.response.get("error") in ("not_in_channel", "channel_not_found", "is_archived"):
                raise UserError("I can't post in this channel yet.",
                                "Invite me with `/invite @sso-bot`, then press *Share in channel* again.") from error
            raise
        deps.audit.record(team_id=team, user_id=user, action="report.share", input_kinds=report.inputs, outcome="ok")

    @app.action(re.compile(r"^report\.explain(\.\d+)?$"))
    def explain_more(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        _open_entry(client, body, str(body["actions"][0].get("value", "")))

    @app.action(re.compile(r"^report\.(more|less)(\.\d+)?$"))
    def more_or_less(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """*More* shows one finding in full, *Less* the first view again: the message is re-created from
        the sealed snapshot and replaced in place. A finding that is not in the snapshot (one computed from
        a token is never kept) opens its knowledge entry instead."""
        ack()
        snapshot_id, _, code = str(body["actions"][0].get("value", "")).partition("|")
        kept = snapshot_for(deps.db, body, snapshot_id)
        if kept is None:
            if code:
                _open_entry(client, body, code)
                return
            raise UserError("That report is no longer available.", "Run `/sso diagnose` again to get a fresh one.")
        if code and code not in {f.code for f in kept.report.findings}:
            _open_entry(client, body, code)
            return
        report = kept.report
        shared_by = _sharer(body)  # a copy shared in a channel stays marked with who shared it
        extra = [] if shared_by else [b for actions in deps.hooks.report_actions for b in actions(report)]
        blocks = render_report(report, explainable=explainable_codes(report), more_id=kept.id,
                               share_id=None if shared_by else kept.id, expanded=code or None, shared_by=shared_by,
                               extra_actions=extra)
        respond(replace_original=True, text=fallback_text(report), blocks=blocks)

    @app.action(ReportIds.COMPARE)
    def compare(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """The diagnose form, ready to compare the redirect URI an error quoted with a registered one."""
        ack()
        sent = str(body["actions"][0].get("value", ""))[:1000]
        client.views_open(trigger_id=body["trigger_id"], view=diagnose_modal(
            initial=f"registered <paste the registered redirect URI here>\napp sends {sent}"))

    @app.action(DiagnoseIds.OPEN_DIAGNOSE_MODAL)
    def open_diagnose(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=diagnose_modal())

    @app.action(DiagnoseIds.OPEN_TOKEN_MODAL)
    def open_token(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=token_modal())


def _sharer(body: dict[str, Any]) -> str | None:
    """Who shared the message the button is on ("Shared by <@U…>" in its context line); None for a private reply."""
    if (body.get("container") or {}).get("is_ephemeral", True):
        return None
    for block in (body.get("message") or {}).get("blocks") or []:
        for element in block.get("elements") or [] if block.get("type") == "context" else []:
            found = re.search(r"Shared by <@([A-Z0-9]+)>", str(element.get("text", "")))
            if found:
                return found.group(1)
    return None


def _open_entry(client: WebClient, body: dict[str, Any], entry_id: str) -> None:
    entry = load_knowledge().get(entry_id)
    view = entry_modal(entry) if entry else error_modal("That entry is no longer in the knowledge base.")
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _register_modals(app: App, deps: Deps) -> None:
    @app.view(DiagnoseIds.DIAGNOSE_MODAL)
    def diagnose_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        text = _input_value(view, DiagnoseBlock.DIAGNOSE_INPUT) or ""
        if not text.strip():
            ack(response_action="errors", errors={DiagnoseBlock.DIAGNOSE_INPUT: "Paste an error, code, URL or log line."})
            return
        report = diagnosis.diagnose("diagnose", text, environments=deps.settings.environments, now=deps.clock())
        # A modal has no message to update or channel to share to: every finding in full.
        blocks = render_report(report, explainable=frozenset(), full=True)
        ack(response_action="update", view=result_modal("Diagnosis", blocks))
        _audit_view(deps, body, "diagnose.modal", report)

    @app.view(DiagnoseIds.TOKEN_MODAL)
    def token_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        token = (_input_value(view, DiagnoseBlock.TOKEN_INPUT) or "").strip()
        issued = _date_value(view, DiagnoseBlock.ISSUED_INPUT)
        if not token:
            ack(response_action="errors", errors={DiagnoseBlock.TOKEN_INPUT: "Paste the token to check."})
            return
        if issued is not None and issued > deps.clock().date():
            ack(response_action="errors", errors={DiagnoseBlock.ISSUED_INPUT: "That date is in the future."})
            return
        report = diagnosis.diagnose("token", token, now=deps.clock(), issued_at=issued)
        del token  # nothing below needs it
        ack(response_action="update", view=result_modal("Token check", render_report(report, full=True)))
        _audit_view(deps, body, "token.modal", report)


def _input_value(view: dict[str, Any], block_id: str) -> str | None:
    return ((view.get("state") or {}).get("values", {}).get(block_id, {}).get(INPUT_ACTION, {}) or {}).get("value")


def _date_value(view: dict[str, Any], block_id: str) -> date | None:
    raw = ((view.get("state") or {}).get("values", {}).get(block_id, {}).get(INPUT_ACTION, {}) or {}).get("selected_date")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _audit_view(deps: Deps, body: dict[str, Any], action: str, report: SafeReport) -> None:
    outcome = outcome_of(report)
    deps.audit.record(team_id=team_id(body), user_id=user_id(body), action=action,
                      input_kinds=outcome.input_kinds, outcome=outcome.outcome, detail=outcome.detail)
