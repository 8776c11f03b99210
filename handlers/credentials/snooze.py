"""Snoozing a reminder: *Snooze 1 day*, *Snooze 1 week*, or *Snooze until…* a date picked in a modal.

All three end up in ``services.credentials.snooze`` with an end time from ``bot.reminders.snooze_end``
(which never lets a snooze outlast the expiry), and a note in the reminder's thread. Reminders posted
before the week and date choices carried only *Snooze 1 day*; its action id is unchanged.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.reminders import SnoozeChoice, snooze_end
from handlers.credentials.forms import modal_meta, _date, _from_home, _values, _where_clicked, user_zone
from handlers.credentials.feature import CredentialFeature
from handlers.credentials.ids import CredentialBlock, CredentialIds
from handlers.credentials.views import snooze_modal, snoozed_message
from handlers.shared.modals import error_modal
from handlers.shared.payload import user_id
from services import credentials as service
from services.credentials import Tracked


log = logging.getLogger("sso_bot.reminders")


class Snoozes:
    """The snooze buttons and modal, with the feature's admin check and payload helpers."""

    def __init__(self, feature: CredentialFeature) -> None:
        self.feature = feature
        self.deps = feature.deps

    def register(self, app: App) -> None:
        app.action(CredentialIds.SNOOZE)(self.on_snooze)
        app.action(CredentialIds.SNOOZE_WEEK)(self.on_snooze)
        app.action(CredentialIds.SNOOZE_UNTIL)(self.on_snooze_until)
        app.view(CredentialIds.SNOOZE_MODAL)(self.on_snooze_submitted)

    def on_snooze(self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """Snooze 1 day or Snooze 1 week, from the reminder's buttons."""
        ack()
        if not self.feature.allowed_or_refuse(client, body, respond):
            return
        cred, generation = self.feature.clicked(body)
        if cred is None or generation is None:
            self.feature.tell(client, body, respond, "That credential is no longer tracked.")
            return
        week = body["actions"][0].get("action_id") == CredentialIds.SNOOZE_WEEK
        now = self.deps.clock()
        until = snooze_end(SnoozeChoice.WEEK if week else SnoozeChoice.DAY, now, cred.expires_at)
        self._snooze(client, body, respond, cred, generation, until, _where_clicked(body))

    def on_snooze_until(self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """Snooze until…: a date picker; the choice arrives in :meth:`on_snooze_submitted`."""
        ack()
        if not self.feature.allowed_or_refuse(client, body, respond):
            return
        cred, generation = self.feature.clicked(body)
        if cred is None or generation is None or generation != cred.generation:
            self.feature.tell(client, body, respond, "That reminder is out of date: the credential was renewed or removed.")
            return
        channel, message_ts = _where_clicked(body)
        origin = {"channel": channel, "ts": message_ts} if channel and message_ts else {}
        client.views_open(trigger_id=body["trigger_id"], view=snooze_modal(cred, self.deps.clock(), origin=origin))

    def on_snooze_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = user_id(body)
        if not self.feature.admins.allowed(client, user):
            ack(response_action="errors", errors={CredentialBlock.SNOOZE_DATE: "Only workspace admins and owners "
                                                                               "can snooze reminders."})
            return
        meta, generation = modal_meta(view)
        cred = self.feature.credential(body, meta.get("id")) if generation is not None else None
        if cred is None or not cred.active or generation != cred.generation:
            ack(response_action="update", view=error_modal("That reminder is out of date: the credential was "
                                                           "renewed or removed."))
            return
        picked = _date(_values(view), CredentialBlock.SNOOZE_DATE)
        if picked is None:
            ack(response_action="errors", errors={CredentialBlock.SNOOZE_DATE: "Pick the day to be reminded again."})
            return
        try:
            until = snooze_end(picked, self.deps.clock(), cred.expires_at, user_zone(client, user))
        except ValueError as error:
            ack(response_action="errors", errors={CredentialBlock.SNOOZE_DATE: str(error)[:150]})
            return
        ack()
        where = (str(meta.get("channel") or ""), str(meta.get("ts") or ""))
        self._snooze(client, body, None, cred, generation, until, where)

    def _snooze(self, client: WebClient, body: dict[str, Any], respond: Respond | None, cred: Tracked,
                generation: int, until, where: tuple[str, str]) -> None:
        """The one snooze path for the three choices: store it, then note it in the reminder's thread."""
        user = user_id(body)
        snoozed = service.snooze(self.deps.db, self.deps.audit, cred, generation=generation, user_id=user,
                                 now=self.deps.clock(), until=until)
        if snoozed is None:
            self.feature.tell(client, body, respond, "That reminder is out of date: the credential was renewed or removed.")
            return
        channel, message_ts = where
        if channel and message_ts and not _from_home(body):
            try:
                client.chat_postMessage(channel=channel, thread_ts=message_ts,
                                        **snoozed_message(user, snoozed.snoozed_until, snoozed.expires_at))
            except SlackApiError as error:
                log.warning("could not note the snooze in the thread: %s", error.response.get("error"))
