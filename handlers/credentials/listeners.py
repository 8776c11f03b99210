"""Expiring credentials in Slack: ``/sso track``, ``/sso tracked``, the Home section,
the reminder buttons, and the reminder job on the scheduler.

Only workspace admins and owners (``users.info``) or users named in ``SSO_BOT_ADMINS``
may add, renew, snooze or remove; others get a polite refusal. Every change is audited
(ids, kinds and outcomes; never a label's text or a secret). A pasted secret is read in
the modal's submission, turned into an expiry and a fingerprint, and dropped.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import datetime
from typing import Any, Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.credentials import (CredentialInputError, Expiry, Idp, Kind, clean_environment, clean_label,
                             expiry_from_input)
from bot.redaction import redact_text
from bot.reminders import band_of, parse_schedule
from handlers.credentials.certificates import on_track_certificate, track_certificate_buttons
from handlers.credentials.ids import CredentialBlock, CredentialIds
from handlers.credentials.forms import modal_meta, _conversation, _date, _from_home, _selected, _text, _values
from handlers.credentials.digest import subcommand as digest_subcommand
from handlers.credentials.messages import SlackDigestMessages, SlackMessages
from handlers.credentials.snooze import Snoozes
from handlers.shared.slack_api import WebClientPoster
from handlers.shared.ttl_cache import TtlCache
from handlers.credentials.lists import home_section, status_blocks, tracked_list
from handlers.credentials.views import confirmation_modal, parse_button_value, renew_modal, track_modal
from handlers.shared.commands import CommandContext, Outcome, Subcommand
from handlers.shared.deps import Deps
from handlers.shared.hooks import StatusPart
from handlers.shared.modals import error_modal
from handlers.shared.owned import credential_for
from handlers.shared.payload import team_id, user_id
from services import credentials as service
from services.credentials import Tracked
from services.digests import DigestPoster
from services.reminders import Pacer, ReminderPoster

log = logging.getLogger("sso_bot.reminders")

STATUS_LIMIT = 25  # /sso status shows the soonest; /sso tracked has the rest
LIST_LIMIT = 300  # /sso tracked shows the soonest expiries; a message holds 50 blocks anyway
REFUSAL = ("Only workspace admins and owners, or people listed in the app's SSO_BOT_ADMINS setting, can track, "
           "renew, snooze or remove credentials. Ask one of them; anyone can see the list with `/sso tracked`.")


class AdminCheck:
    """Who may change tracked credentials: configured ids, else ``users.info``'s admin/owner flags.
    Answers are cached briefly so a modal's open and its submission cost one lookup."""

    def __init__(self, configured: frozenset[str], ttl: float = 300.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.configured = configured
        self._cache: TtlCache[str, bool] = TtlCache(ttl, monotonic=monotonic)

    def allowed(self, client: WebClient, user_id: str) -> bool:
        if user_id in self.configured:
            return True
        hit = self._cache.get(user_id)
        if hit is not None:
            return hit
        try:
            user = client.users_info(user=user_id).get("user") or {}
            answer = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")) \
                and not user.get("deleted")
        except SlackApiError as error:
            code = error.response.get("error") if isinstance(error.response.data, dict) else "?"
            if code == "missing_scope":
                log.error("users.info needs the users:read scope; only SSO_BOT_ADMINS can manage credentials")
            else:
                log.warning("users.info failed for %s: %s", user_id, code)
            return False  # not cached: a Slack hiccup should not lock an admin out for minutes
        self._cache.put(user_id, answer)
        return answer


def register(app: App, deps: Deps) -> ReminderPoster:
    settings = deps.settings
    schedule = parse_schedule(settings.reminder_schedule)
    # Its own client without slack_sdk's silent retry: the ledger decides when a failed post is tried again.
    client = WebClient(token=app.client.token, base_url=app.client.base_url, timeout=10, retry_handlers=[])
    poster = ReminderPoster(deps.db, WebClientPoster(client), SlackMessages(deps.hooks), schedule, clock=deps.clock,
                            pacer=Pacer(settings.reminder_pace), audit=deps.audit)
    deps.scheduler.add("reminders", poster)
    feature = _Credentials(deps, poster, AdminCheck(settings.admins))
    router = deps.hooks.router
    router.add(Subcommand("track", "/sso track",
                          "Track an expiring SCIM token, client secret or SAML certificate; reminders post in a "
                          "channel. Admins only.", run=feature.track))
    router.add(Subcommand("tracked", "/sso tracked", "List tracked credentials with their colour and days left.",
                          run=feature.tracked))
    router.add(digest_subcommand(feature))
    deps.scheduler.add("digests", DigestPoster(deps.db, WebClientPoster(client), SlackDigestMessages(),
                                               clock=deps.clock, pacer=poster.pacer, audit=deps.audit))
    deps.hooks.home_sections.add("credentials", feature.home_blocks)
    deps.hooks.status_parts.append(("credentials", feature.status_part))
    deps.hooks.report_actions.append(track_certificate_buttons)
    feature.register_listeners(app)
    app.action(re.compile(rf"^{re.escape(CredentialIds.TRACK_CERTIFICATE)}\.\d$"))(on_track_certificate)
    return poster


class _Credentials:
    def __init__(self, deps: Deps, poster: ReminderPoster, admins: AdminCheck) -> None:
        self.deps = deps
        self.poster = poster
        self.admins = admins
        self.schedule = poster.schedule

    # -- subcommands ------------------------------------------------------------
    def track(self, ctx: CommandContext) -> Outcome:
        if not self.admins.allowed(ctx.client, ctx.user_id):
            ctx.respond(text=f":no_entry: {REFUSAL}", response_type="ephemeral")
            return Outcome(outcome="refused")
        ctx.client.views_open(trigger_id=ctx.trigger_id, view=track_modal(ctx.channel_id))
        if ctx.args.strip():
            # Never echoed: it may be a token typed where it does not belong.
            ctx.respond(text=":lock: I ignored the text after `/sso track` and did not keep it. Paste tokens and "
                             "certificates only in the form.", response_type="ephemeral")
        return Outcome(outcome="modal")

    def tracked(self, ctx: CommandContext) -> Outcome:
        creds = service.listing(self.deps.db, team_id=ctx.team_id, limit=LIST_LIMIT)  # soonest expiry first
        total = service.count(self.deps.db, team_id=ctx.team_id) if len(creds) == LIST_LIMIT else len(creds)
        ctx.respond(**tracked_list(creds, self.deps.clock(), total=total))
        return Outcome(outcome="ok", detail=f"count={total}")

    def status_part(self, _client: WebClient, team_id: str, _user_id: str, now: datetime) -> StatusPart:
        """``/sso status``: the whole workspace's expiring credentials (admins look after all of them,
        whichever channel their reminders go to)."""
        found = service.expiring(self.deps.db, team_id=team_id, now=now, limit=STATUS_LIMIT)
        summary = (f"{found.expiring} credential{'s' if found.expiring != 1 else ''} expiring" if found.expiring
                   else "no credential expiring")
        return StatusPart(blocks=status_blocks(found, now), attention=found.expiring, summary=summary)

    def home_blocks(self, team_id: str, user_id: str) -> list:
        creds = service.listing(self.deps.db, team_id=team_id, limit=50)
        creds = sorted(creds, key=lambda c: (-band_of(c.expires_at, self.deps.clock()).rank, c.expires_at))
        return home_section(creds, self.deps.clock(), service.count(self.deps.db, team_id=team_id))

    # -- listeners ----------------------------------------------------------------
    def register_listeners(self, app: App) -> None:
        app.action(CredentialIds.OPEN_TRACK)(self.on_open_track)
        app.action(CredentialIds.RENEW)(self.on_renew_button)
        Snoozes(self).register(app)
        app.action(CredentialIds.UNTRACK)(self.on_untrack)
        app.view(CredentialIds.TRACK_MODAL)(self.on_track_submitted)
        app.view(CredentialIds.RENEW_MODAL)(self.on_renew_submitted)

    def on_open_track(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        if not self.allowed_or_refuse(client, body, None):
            return
        client.views_open(trigger_id=body["trigger_id"], view=track_modal(None))

    def on_renew_button(self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        if not self.allowed_or_refuse(client, body, respond):
            return
        cred, generation = self.clicked(body)
        if cred is None or not cred.active:
            self.tell(client, body, respond, "That credential is no longer tracked.")
            return
        if generation is not None and generation != cred.generation:
            self.tell(client, body, respond, f"{redact_text(cred.label)} was renewed already (by "
                                              f"{cred.renewed_by or 'someone'}); nothing to do.")
            return
        origin = {"from": "home" if _from_home(body) else "message"}
        client.views_open(trigger_id=body["trigger_id"], view=renew_modal(cred, self.deps.clock(), origin=origin))

    def on_untrack(self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        if not self.allowed_or_refuse(client, body, respond):
            return
        cred, _ = self.clicked(body)
        if cred is not None:
            service.remove(self.deps.db, self.deps.audit, cred, user_id=user_id(body), now=self.deps.clock())
        if _from_home(body):
            self._republish(client, body)

    def on_track_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = user_id(body)
        if not self.admins.allowed(client, user):
            ack(response_action="errors", errors={CredentialBlock.LABEL: "Only workspace admins and owners can "
                                                                          "track credentials."})
            return
        values = _values(view)
        errors: dict[str, str] = {}
        try:
            label = clean_label(_text(values, CredentialBlock.LABEL))
        except CredentialInputError as error:
            errors[CredentialBlock.LABEL] = error.message
            label = ""
        try:
            env = clean_environment(_text(values, CredentialBlock.ENV))
        except CredentialInputError as error:
            errors[CredentialBlock.ENV] = error.message
            env = ""
        kind = _selected(values, CredentialBlock.KIND) or Kind.SCIM_TOKEN.value
        idp = _selected(values, CredentialBlock.IDP) or Idp.ENTRA.value
        channel = _conversation(values, CredentialBlock.CHANNEL)
        if not channel:
            errors[CredentialBlock.CHANNEL] = "Pick the channel where reminders should post."
        if kind not in set(Kind) or idp not in set(Idp):
            errors[CredentialBlock.KIND] = "Pick a kind and an identity provider from the lists."
        expiry = self._expiry(values, kind if kind in set(Kind) else Kind.SCIM_TOKEN.value, errors)
        if errors or expiry is None:
            ack(response_action="errors", errors=errors)
            return
        now = self.deps.clock()
        added = service.track(self.deps.db, self.deps.audit, team_id=team_id(body), label=label, kind=kind, idp=idp,
                              environment=env, channel_id=channel, expiry=expiry, user_id=user, now=now,
                              schedule=self.schedule)
        cred = added.credential
        note = "Renewed: this label was already tracked." if added.renewed else ""
        ack(response_action="update", view=confirmation_modal(cred, now, renewed=added.renewed, note=note))
        if added.renewed:
            self.poster.post_notice_now(cred.id)

    def on_renew_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = user_id(body)
        if not self.admins.allowed(client, user):
            ack(response_action="errors", errors={CredentialBlock.SECRET: "Only workspace admins and owners can "
                                                                           "renew credentials."})
            return
        meta, generation = modal_meta(view)
        # Another workspace's credential is a polite refusal (OtherWorkspace), never a renewal.
        cred = self.credential(body, meta.get("id")) if generation is not None else None
        if cred is None or not cred.active:
            ack(response_action="update", view=error_modal("That credential is no longer tracked."))
            return
        errors: dict[str, str] = {}
        expiry = self._expiry(_values(view), cred.kind, errors)
        if errors or expiry is None:
            ack(response_action="errors", errors=errors)
            return
        now = self.deps.clock()
        renewed = service.renew(self.deps.db, self.deps.audit, cred, generation=generation, expiry=expiry, user_id=user,
                                now=now, schedule=self.schedule)
        if renewed is None:
            ack(response_action="update", view=error_modal("Someone renewed or removed it a moment ago; "
                                                           "nothing was changed."))
            return
        ack(response_action="update", view=confirmation_modal(renewed, now, renewed=True))
        self.poster.post_notice_now(renewed.id)
        if meta.get("from") == "home":
            self._republish(client, body)

    # -- helpers --------------------------------------------------------------------
    def _expiry(self, values: dict[str, Any], kind: str, errors: dict[str, str]) -> Expiry | None:
        secret = _text(values, CredentialBlock.SECRET)
        try:
            return expiry_from_input(kind=kind, now=self.deps.clock(), secret=secret or None,
                                     issued=_date(values, CredentialBlock.ISSUED),
                                     expires=_date(values, CredentialBlock.EXPIRES))
        except CredentialInputError as error:
            block = {"secret": CredentialBlock.SECRET, "issued": CredentialBlock.ISSUED,
                     "expires": CredentialBlock.EXPIRES, "label": CredentialBlock.LABEL}[error.field]
            errors[block] = error.message[:150]
            return None
        finally:
            del secret  # nothing after this needs it

    def credential(self, body: dict[str, Any], credential_id: object) -> Tracked | None:
        return credential_for(self.deps.db, body, credential_id)

    def clicked(self, body: dict[str, Any]) -> tuple[Tracked | None, int | None]:
        try:
            credential_id, generation = parse_button_value(body["actions"][0].get("value", ""))
        except (ValueError, KeyError, IndexError):
            return None, None
        cred = self.credential(body, credential_id)
        return (cred, generation) if cred is not None else (None, None)

    def allowed_or_refuse(self, client: WebClient, body: dict[str, Any], respond: Respond | None) -> bool:
        if self.admins.allowed(client, user_id(body)):
            return True
        self.tell(client, body, respond, REFUSAL)
        self.deps.audit.record(team_id=team_id(body), user_id=user_id(body),
                               action=str(body["actions"][0].get("action_id", "credential")), outcome="refused")
        return False

    def tell(self, client: WebClient, body: dict[str, Any], respond: Respond | None, text: str) -> None:
        """An ephemeral note for a message button; a small modal for a Home button (no response_url there)."""
        if respond is not None and getattr(respond, "response_url", None) and not _from_home(body):
            respond(text=text, response_type="ephemeral", replace_original=False)
        elif body.get("trigger_id"):
            client.views_open(trigger_id=body["trigger_id"], view=error_modal(text))

    def _republish(self, client: WebClient, body: dict[str, Any]) -> None:
        try:
            self.deps.hooks.publish_home(client, team_id(body), user_id(body))
        except SlackApiError as error:
            log.warning("could not refresh the Home tab: %s", error.response.get("error"))
