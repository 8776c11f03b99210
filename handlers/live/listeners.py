"""``/sso check scim|oidc|saml``: the live, read-only checks from Slack.

The same use cases as ``sso-bot check`` (``bot.live.run``): the same requests through the same SSRF
guard, the same sealed report. The SCIM check needs a token, so it always goes through a private
modal: a token typed into the slash command is refused unread. The requests take up to 10 seconds, so
they run after the ack, on the listener pool; the modal shows "Checking…" meanwhile and is updated with
the answer, and the other two answer privately through ``response_url``.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.live.policy import ProbePolicy
from bot.live.vault import Vault
from bot.live.run import IDPS, LiveInputError, run_oidc_check, run_saml_check, run_scim_check
from bot.redaction import SafeReport, looks_secret
from handlers.live.ids import LiveId
from handlers.live.views import (INPUT_ACTION, checking_modal, rejected_message, saml_modal, scim_modal,
                                 usage_blocks)
from handlers.shared.commands import CommandContext, Outcome, Subcommand
from handlers.shared.deps import Deps
from handlers.shared.downloads import DownloadError, downloaded
from handlers.shared.errors import UserError
from handlers.shared.limits import escape_mrkdwn
from handlers.shared.modals import result_modal
from handlers.shared.payload import team_id, user_id
from handlers.shared.report import fallback_text, render_report
from handlers.shared.slack_api import WebClientPoster
from services import credentials as tracked
from services.credentials import Tracked
from services.probes import keep_for_daily_check, run_daily_checks

log = logging.getLogger("sso_bot.live")
_MAX_METADATA = 1_000_000  # metadata is a few kilobytes; the live check reads fetched metadata up to the same


class LiveChecks:
    def __init__(self, deps: Deps) -> None:
        self.settings = deps.settings
        self.deps = deps
        self.vault = Vault.from_text(deps.settings.probe_key) if deps.settings.probe_key else None

    def policy(self) -> ProbePolicy:
        return ProbePolicy(allow=self.settings.probe_allow, ca_file=self.settings.probe_ca_file)

    def keep_choices(self, team_id: str) -> list[tuple[int, str]]:
        """Tracked SCIM tokens a token may be kept for; none without a key (the daily check is not offered)."""
        if self.vault is None:
            return []
        return [(c.id, c.label) for c in tracked.listing(self.deps.db, team_id=team_id) if c.kind == "scim-token"]

    # -- /sso check ... ------------------------------------------------------
    def command(self, ctx: CommandContext) -> Outcome | None:
        what, _, rest = ctx.args.strip().partition(" ")
        what, rest = what.lower(), rest.strip()
        if what == "scim":
            return self._open_scim(ctx, rest)
        if what == "saml" and not rest:
            ctx.client.views_open(trigger_id=ctx.trigger_id, view=saml_modal())
            return Outcome(outcome="modal")
        if what in ("oidc", "saml"):
            if not rest:
                raise UserError(f"Give me the {'issuer' if what == 'oidc' else 'metadata'} URL to check.",
                                "Example: `/sso check oidc https://login.microsoftonline.com/<tenant id>/v2.0`"
                                if what == "oidc" else "Example: `/sso check saml https://idp.example.com/metadata`")
            return self._answer(ctx, what, rest.split()[0])
        ctx.respond(response_type="ephemeral", text="Which check?", blocks=usage_blocks(
            "*Which live check?* `scim`, `oidc` or `saml`."))
        return Outcome(outcome="help")

    def _open_scim(self, ctx: CommandContext, rest: str) -> Outcome:
        words = rest.split()
        if len(words) > 1 or any(looks_secret(w) for w in words if "://" not in w):
            # Slack has already shown this text to nobody but us; we neither use nor repeat it.
            ctx.respond(response_type="ephemeral", text="Never type a token into a command.", blocks=usage_blocks(
                ":lock: *Never type a token into a command:* I did not use it. Enter it in the private form "
                "that `/sso check scim` opens. If it was a real token, it has only reached sso-bot."))
            return Outcome(outcome="user_error", detail="token-in-command")
        ctx.client.views_open(trigger_id=ctx.trigger_id, view=scim_modal(url=words[0] if words else "",
                                                                        keep_choices=self.keep_choices(ctx.team_id)))
        return Outcome(outcome="modal")

    def _answer(self, ctx: CommandContext, what: str, target: str) -> Outcome:
        ctx.respond(response_type="ephemeral", text=f"Checking {target[:200]}… (up to 10 seconds)")
        run: Callable[[], SafeReport] = (
            (lambda: run_oidc_check(target, policy=self.policy(), now=self.deps.clock())) if what == "oidc" else
            (lambda: run_saml_check(url=target, policy=self.policy(), now=self.deps.clock())))
        try:
            report = run()
        except LiveInputError as error:
            raise UserError(error.message, "Check the URL and try again.") from None
        # Other features' buttons under the answer (the credentials feature's *Track certificate*).
        blocks = render_report(report, extra_actions=self.deps.hooks.buttons_for_report(report)[:4])
        ctx.respond(response_type="ephemeral", replace_original=True, text=fallback_text(report), blocks=blocks)
        return _outcome(report)

    # -- the SCIM modal --------------------------------------------------------
    def scim_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        url = (_value(view, LiveId.URL_BLOCK) or "").strip()
        token = (_value(view, LiveId.TOKEN_BLOCK) or "").strip()
        idp = _selected(view, LiveId.IDP_BLOCK) or "entra"
        keep_for = _selected(view, LiveId.KEEP_BLOCK)
        errors = {}
        if not url:
            errors[LiveId.URL_BLOCK] = "Give the SCIM base URL."
        if not token:
            errors[LiveId.TOKEN_BLOCK] = "Give the bearer token the IdP sends."
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack(response_action="update", view=checking_modal(url))
        kept = None
        try:
            report = run_scim_check(url, token, idp=idp if idp in IDPS else "entra", policy=self.policy(),
                                    now=self.deps.clock())
            if keep_for and keep_for.isdigit():
                kept = self._keep(body, int(keep_for), url, token, report)
        except LiveInputError as error:
            report = None
            message = error.message
        finally:
            del token
        view_id = str((body.get("view") or {}).get("id", ""))
        if report is None:
            client.views_update(view_id=view_id, view=scim_modal(url=url, idp=idp, problem=message,
                                                                 keep_choices=self.keep_choices(team_id(body))))
            outcome = Outcome(outcome="user_error", detail="live-input")
        else:
            blocks = render_report(report) + (usage_blocks(kept)[:1] if kept else [])
            client.views_update(view_id=view_id, view=result_modal("SCIM check", blocks))
            outcome = _outcome(report)
        self.deps.audit.record(team_id=team_id(body), user_id=user_id(body), action="check.scim",
                               input_kinds=outcome.input_kinds, outcome=outcome.outcome, detail=outcome.detail)


    def saml_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        url = (_value(view, LiveId.SAML_URL_BLOCK) or "").strip()
        files = _files(view, LiveId.SAML_FILE_BLOCK)
        if not url and not files:
            ack(response_action="errors", errors={LiveId.SAML_URL_BLOCK: "Give the metadata URL, or upload the file."})
            return
        ack(response_action="update", view=checking_modal(url or str(files[0].get("name") or "the file"),
                                                          title="Check SAML metadata"))
        view_id = str((body.get("view") or {}).get("id", ""))
        try:
            report = self._saml_report(url, files[0] if files else None, client)
        except (LiveInputError, DownloadError) as error:
            client.views_update(view_id=view_id, view=saml_modal(problem=str(error)))
            return
        client.views_update(view_id=view_id, view=result_modal("SAML metadata", render_report(report)))
        outcome = _outcome(report)
        self.deps.audit.record(team_id=team_id(body), user_id=user_id(body), action="check.saml",
                               input_kinds=outcome.input_kinds, outcome=outcome.outcome, detail=outcome.detail)

    def _saml_report(self, url: str, upload: dict[str, Any] | None, client: WebClient) -> SafeReport:
        if url:
            return run_saml_check(url=url, policy=self.policy(), now=self.deps.clock())
        assert upload is not None
        link = str(upload.get("url_private_download") or upload.get("url_private") or "")
        with downloaded(link, token=client.token or "", api_url=client.base_url, max_bytes=_MAX_METADATA) as path:
            with open(path, "rb") as handle:
                data = handle.read(_MAX_METADATA)
        return run_saml_check(text=data, source=str(upload.get("name") or "metadata.xml")[:120], now=self.deps.clock())

    def _keep(self, body: dict[str, Any], credential_id: int, url: str, token: str, report: SafeReport) -> str:
        """Keep the token for the daily check, unless today's check already failed; what to tell the user."""
        if self.vault is None:
            return ""
        if report.failed:
            return (":information_source: Not kept for the daily check: fix what this check found first, then "
                    "check again with the working token.")
        result = keep_for_daily_check(self.deps.db, self.vault, self.deps.audit, team_id=team_id(body),
                                      user_id=user_id(body), credential_id=credential_id, base_url=url, token=token,
                                      now=self.deps.clock())
        if not result.kept:
            return f":warning: Not kept for the daily check: {result.reason}."
        return (f":white_check_mark: I will check *{escape_mrkdwn(result.label)}* every day, read-only, and post in "
                f"<#{result.channel_id}> at once if the endpoint rejects the token before its expiry date.")

    def daily(self, client: WebClient) -> Callable:
        """The scheduler job: tonight's due checks, with alerts drawn here and posted through ``client``."""
        messages = _Messages(self.deps)
        poster = WebClientPoster(client)

        def job(now):
            return run_daily_checks(self.deps.db, self.vault, poster, messages, now=now, policy=self.policy())

        return job


class _Messages:
    """The daily check's alert, with the buttons other features put on reminders (the 401 checklist)."""

    def __init__(self, deps: Deps) -> None:
        self.hooks = deps.hooks

    def rejected(self, cred: Tracked, report: SafeReport, now) -> dict[str, Any]:
        return rejected_message(cred, report, now, self.hooks.buttons_for_reminder(cred.kind, cred.idp))


def _outcome(report: SafeReport) -> Outcome:
    codes = ",".join(dict.fromkeys(f.code for f in report.findings))
    return Outcome(input_kinds=tuple(report.inputs), outcome=report.worst.value, detail=codes[:200])


def _value(view: dict[str, Any], block: str) -> str | None:
    return ((view.get("state") or {}).get("values", {}).get(block, {}).get(INPUT_ACTION) or {}).get("value")


def _files(view: dict[str, Any], block: str) -> list[dict[str, Any]]:
    state = ((view.get("state") or {}).get("values", {}).get(block, {}).get(INPUT_ACTION) or {})
    return [f for f in state.get("files") or () if isinstance(f, dict)]


def _selected(view: dict[str, Any], block: str) -> str | None:
    state = ((view.get("state") or {}).get("values", {}).get(block, {}).get(INPUT_ACTION) or {})
    return (state.get("selected_option") or {}).get("value")


def register(app: App, deps: Deps) -> None:
    checks = LiveChecks(deps)
    deps.hooks.router.add(Subcommand("check", "/sso check scim | oidc <issuer> | saml <metadata URL>",
                          "Check it live, read-only: a SCIM endpoint as the IdP calls it, OIDC discovery, SAML "
                          "metadata.", run=checks.command))
    app.view(LiveId.SCIM_MODAL)(checks.scim_submitted)
    app.view(LiveId.SAML_MODAL)(checks.saml_submitted)
    if checks.vault is not None:
        deps.scheduler.add("live.daily", checks.daily(app.client))

    @app.action(LiveId.OPEN_SCIM_MODAL)
    def open_scim(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=scim_modal(keep_choices=checks.keep_choices(team_id(body))))
