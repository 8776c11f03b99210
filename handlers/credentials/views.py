"""Tracked credentials in Block Kit: reminders, the recovery thread, the 'resolved' and snooze replies,
and the track, renew and snooze modals (the lists are in ``lists.py``).

Every view takes a tracked credential (``services.credentials.Tracked``: label, kind, IdP,
dates and a fingerprint, never a secret) and the time ``now``. Expiry times are shown
with Slack's ``<!date^…>`` so each reader sees their own timezone.

Colour is never the only cue: every band is a marker emoji *and* a word ("🔴 Red: 5 days left"), in
top-level blocks (no legacy ``attachments`` colour bars, which Slack keeps only for old apps and
which screen readers and colour-blind readers cannot tell apart).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any, Sequence

from slack_sdk.models.blocks import (ActionsBlock, Block, ButtonElement, ContextBlock, ConversationSelectElement,
                                     DatePickerElement, InputBlock, MarkdownTextObject, Option, PlainTextInputElement,
                                     SectionBlock, StaticSelectElement)
from slack_sdk.models.blocks.block_elements import ConversationFilter
from slack_sdk.models.views import View

from bot.credentials import IDP_LABELS, KIND_LABELS, LIFETIME_DAYS, MAX_LABEL, Idp, Kind
from bot.redaction import redact_text
from bot.recovery import entra_quarantine_clock, expiry_effect, recovery_steps
from bot.reminders import FAIL_DAYS, Band, band_of, days_left, time_left
from handlers.credentials.ids import CredentialBlock, CredentialIds
from handlers.shared.bands import BAND_MARK, BAND_WORD
from handlers.shared.dates import slack_date
from handlers.shared.payload import row_number
from handlers.shared.limits import (MAX_SECTION_TEXT, MAX_VIEW_BLOCKS, clip, escape_mrkdwn)
from handlers.shared.modals import INPUT_ACTION, MAX_MODAL_INPUT
from services.credentials import Tracked

SHORT_KIND = {Kind.SCIM_TOKEN: "SCIM token", Kind.CLIENT_SECRET: "client secret", Kind.SAML_CERT: "SAML certificate"}


# --------------------------------------------------------------------------- small helpers



def _label(cred: Tracked) -> str:
    """A credential's label as shown: user text, so anything in it shaped like a secret is hidden (labels
    are refused at input when they hold one; rows from before that rule are covered here)."""
    return redact_text(cred.label)


def _environment(cred: Tracked) -> str:
    return redact_text(cred.environment)


def mention(user: str) -> str:
    """A Slack mention for a user id; other actors (the CLI) as plain text."""
    if user and user[0] in "UW" and user.isalnum():
        return f"<@{user}>"
    return escape_mrkdwn(user or "someone")


def button_value(cred: Tracked) -> str:
    return f"{cred.id}:{cred.generation}"


def parse_button_value(value: str) -> tuple[int, int | None]:
    """(credential id, generation or None); raises ValueError on anything else."""
    head, _, tail = str(value).partition(":")
    credential_id, generation = row_number(head), row_number(tail) if tail else None
    if credential_id is None or (tail and generation is None):
        raise ValueError("not a credential button's value")
    return credential_id, generation


def _kind(cred: Tracked) -> str:
    try:
        return KIND_LABELS[Kind(cred.kind)]
    except ValueError:
        return escape_mrkdwn(cred.kind)


def _short_kind(cred: Tracked) -> str:
    try:
        return SHORT_KIND[Kind(cred.kind)]
    except ValueError:
        return escape_mrkdwn(cred.kind)


def _idp(cred: Tracked) -> str:
    try:
        return IDP_LABELS[Idp(cred.idp)]
    except ValueError:
        return escape_mrkdwn(cred.idp)


def _when(cred: Tracked, now: datetime) -> str:
    """'expires in 5 days', 'expired 2 days ago'."""
    phrase = time_left(cred.expires_at, now)
    return f"expired {phrase}" if band_of(cred.expires_at, now) is Band.EXPIRED else f"expires {phrase}"


def _days_text(cred: Tracked, now: datetime) -> str:
    days = days_left(cred.expires_at, now)
    if days >= 0 and band_of(cred.expires_at, now) is not Band.EXPIRED:
        return f"{days} day{'s' if days != 1 else ''} left"
    ago = -days - 1 if days < 0 else 0
    return "expired today" if ago == 0 else f"expired {ago} day{'s' if ago != 1 else ''} ago"


def _where(cred: Tracked) -> str:
    parts = [_kind(cred), _idp(cred)]
    if cred.environment:
        parts.append(f"environment `{escape_mrkdwn(_environment(cred))}`")
    return " · ".join(parts)


# --------------------------------------------------------------------------- reminders


def reminder_message(cred: Tracked, now: datetime, *, with_recovery: bool = False, band: Band | None = None,
                     extra_buttons: Sequence[ButtonElement] = ()) -> dict[str, Any]:
    """chat.postMessage arguments for one reminder: a one-line text (the notification) and blocks that
    lead with the band as a marker and a word, then the details and the buttons. ``band`` defaults to
    now's (the poster passes the reminder's: the 7-day one is red)."""
    band = band or band_of(cred.expires_at, now)
    label = escape_mrkdwn(_label(cred))
    headline = f"{BAND_MARK[band]} *{BAND_WORD[band]}:* {_short_kind(cred)} *{label}* {_when(cred, now)}"
    lines = [headline, _where(cred), f"*Expires:* {slack_date(cred.expires_at)} ({_days_text(cred, now)})"]
    if band in (Band.RED, Band.EXPIRED):
        lines.append(expiry_effect(cred.kind) if band is Band.EXPIRED else
                     "Rotate it now: once it expires, " + _effect_after(cred.kind))
    elif band is Band.YELLOW:
        lines.append(f"Plan the rotation now, before it turns red at {FAIL_DAYS} days.")
    blocks: list[Block] = [SectionBlock(block_id=f"reminder.{cred.id}.{band.value}",
                                        text=MarkdownTextObject(text=clip("\n".join(lines), MAX_SECTION_TEXT)))]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip(" · ".join(
        reminder_context(cred, with_recovery=with_recovery)), 2000))]))
    blocks.append(ActionsBlock(block_id=f"reminder.{cred.id}",
                               elements=[*reminder_buttons(cred), *extra_buttons]))  # others' through the hooks
    # The notification text: the same headline, so a notification reads "🔴 Red: … expires in 5 days" too.
    return {"text": clip(headline, 3000), "blocks": [b.to_dict() for b in blocks], "unfurl_links": False}


def reminder_context(cred: Tracked, *, with_recovery: bool = False) -> list[str]:
    """The small print under a reminder: how it is known (a fingerprint, or dates only) and who added it."""
    known = (f"Fingerprint `{escape_mrkdwn(cred.fingerprint)}`" if cred.fingerprint
             else "No fingerprint: known by its dates only")
    context = [known, f"added by {mention(cred.added_by)}"]
    if with_recovery:
        context.append("recovery steps in the thread :thread:")
    return context


def reminder_buttons(cred: Tracked) -> list[ButtonElement]:
    """Mark renewed, and the three snooze choices (the last opens a date picker)."""
    value = button_value(cred)
    return [ButtonElement(text="Mark renewed", action_id=CredentialIds.RENEW, value=value, style="primary"),
            ButtonElement(text="Snooze 1 day", action_id=CredentialIds.SNOOZE, value=value),
            ButtonElement(text="Snooze 1 week", action_id=CredentialIds.SNOOZE_WEEK, value=value),
            ButtonElement(text="Snooze until…", action_id=CredentialIds.SNOOZE_UNTIL, value=value)]


def _effect_after(kind: str) -> str:
    text = expiry_effect(kind)
    if kind == Kind.SCIM_TOKEN:
        return "the IdP's provisioning calls get 401 Unauthorized and user changes stop reaching the platform."
    return text[0].lower() + text[1:]


def recovery_message(cred: Tracked, now: datetime) -> dict[str, Any]:
    """The thread reply posted with the first reminder at or after the expiry."""
    title = "401 recovery" if cred.kind == Kind.SCIM_TOKEN else "Recovery"
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=clip(
        f"*{title}: {_short_kind(cred)} at {_idp(cred)}*\n{expiry_effect(cred.kind)}", MAX_SECTION_TEXT)))]
    steps = recovery_steps(cred.kind, cred.idp)
    blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(
        "\n".join(f"{i}. {step}" for i, step in enumerate(steps, start=1)), MAX_SECTION_TEXT))))
    if cred.kind == Kind.SCIM_TOKEN and cred.idp == Idp.ENTRA:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=quarantine_text(cred.expires_at, now))))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=(
        "When the new credential is in place, press *Mark renewed* on the reminder so the reminders stop."))]))
    text = f"{title} steps for {_label(cred)} ({_short_kind(cred)}, {_idp(cred)})"
    return {"text": clip(text, 300), "blocks": [b.to_dict() for b in blocks], "unfurl_links": False}


def quarantine_text(expires_at: datetime, now: datetime) -> str:
    clock = entra_quarantine_clock(expires_at)
    retries = ", ".join(slack_date(m) for m in clock.retries)
    lines = [
        "*Entra's quarantine clock* (counted from the expiry; Entra's first failing sync starts it):",
        f"• Retries around {retries}, then once a day from {slack_date(clock.daily_from)}.",
        f"• *Disabled on {slack_date(clock.disabled_at, '{date_long_pretty}')}* if the token is still not "
        "replaced: 4 weeks of failures and Entra turns the provisioning job off, so it has to be set up again.",
    ]
    upcoming = clock.next_retry(now)
    if upcoming is not None:
        lines.append(f"• Next retry: {slack_date(upcoming)}. Restarting provisioning after the fix skips the wait.")
    return clip("\n".join(lines), MAX_SECTION_TEXT)


def resolved_message(cred: Tracked) -> dict[str, Any]:
    """The reply in the old reminder's thread once the credential was renewed."""
    fp = f", fingerprint `{escape_mrkdwn(cred.fingerprint)}`" if cred.fingerprint else ""
    text = (f":white_check_mark: *Resolved:* renewed by {mention(cred.renewed_by or cred.added_by)}. "
            f"New expiry {slack_date(cred.expires_at)}{fp}. No more reminders for the old one.")
    return {"text": clip(text, 3000), "unfurl_links": False}


def snoozed_message(user: str, until: datetime, expires_at: datetime | None = None) -> dict[str, Any]:
    """The note in the reminder's thread. A snooze cut short at the expiry says so."""
    at_expiry = expires_at is not None and until == expires_at
    why = " (at the expiry: a snooze never hides that)" if at_expiry else ""
    return {"text": f":zzz: {mention(user)} snoozed this reminder; the next one comes {slack_date(until)}{why}.",
            "unfurl_links": False}


def snooze_modal(cred: Tracked, now: datetime, *, origin: dict[str, str]) -> View:
    """Snooze until a date: a date picker, tomorrow by default; the reminder resumes at 09:00 that day
    in the reader's time zone (or at the expiry, if that comes first)."""
    meta = {"id": cred.id, "gen": cred.generation, **origin}
    tomorrow = (now + timedelta(days=1)).date()
    return View(
        type="modal", callback_id=CredentialIds.SNOOZE_MODAL, title="Snooze reminders", submit="Snooze",
        close="Cancel", private_metadata=json.dumps(meta),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=clip(
                f"*{escape_mrkdwn(_label(cred))}*: {_where(cred)}\nExpires {slack_date(cred.expires_at)} "
                f"({_days_text(cred, now)}). Reminders pause until 09:00 on the day you pick, your time; one "
                "reminder then covers what was skipped. A snooze never runs past the expiry.", MAX_SECTION_TEXT))),
            InputBlock(block_id=CredentialBlock.SNOOZE_DATE, label="Remind again on",
                       element=DatePickerElement(action_id=INPUT_ACTION, initial_date=tomorrow.isoformat()),
                       hint="Up to 90 days ahead."),
        ],
    )


# --------------------------------------------------------------------------- modals


def _options(labels: dict) -> list[Option]:
    return [Option(value=str(key), label=text) for key, text in labels.items()]


def track_modal(channel_id: str | None = None, *, label: str = "", kind: str = "", expires: date | None = None) -> View:
    """Track a credential: paste the secret privately, or give dates; pick the channel. ``label``, ``kind``
    and ``expires`` pre-fill the form (a certificate found by a SAML metadata check)."""
    kind_options = _options(KIND_LABELS)
    kind_initial = next((o for o in kind_options if o.value == kind), kind_options[0])
    idp_options = _options(IDP_LABELS)
    known = bool(channel_id) and channel_id[0] in "CG"  # type: ignore[index]
    channel = ConversationSelectElement(
        action_id=INPUT_ACTION, filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
        **({"initial_conversation": channel_id} if known else {"default_to_current_conversation": True}))
    return View(
        type="modal", callback_id=CredentialIds.TRACK_MODAL, title="Track a credential", submit="Track",
        close="Cancel", private_metadata=json.dumps({"channel": channel_id or ""}),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=(
                ":lock: Paste the token, certificate or metadata here, privately. I read its expiry and keep only "
                "a fingerprint (first 8 hex of its SHA-256) and the dates; the secret itself is never stored, "
                "logged or shown. Or leave it empty and give a date."))),
            InputBlock(block_id=CredentialBlock.LABEL, label="Label",
                       element=PlainTextInputElement(action_id=INPUT_ACTION, max_length=MAX_LABEL,
                                                     placeholder="prod Entra SCIM", initial_value=label or None),
                       hint="Tracking a label again records a renewal."),
            InputBlock(block_id=CredentialBlock.KIND, label="Kind",
                       element=StaticSelectElement(action_id=INPUT_ACTION, options=kind_options,
                                                   initial_option=kind_initial)),
            InputBlock(block_id=CredentialBlock.IDP, label="Identity provider",
                       element=StaticSelectElement(action_id=INPUT_ACTION, options=idp_options,
                                                   initial_option=idp_options[0])),
            InputBlock(block_id=CredentialBlock.ENV, label="Environment or tenant", optional=True,
                       element=PlainTextInputElement(action_id=INPUT_ACTION, max_length=80, placeholder="prod")),
            InputBlock(block_id=CredentialBlock.CHANNEL, label="Post reminders in", element=channel,
                       hint="Invite me to a private channel first: /invite @sso-bot"),
            *_source_inputs(expires_default=expires),
        ],
    )


def _source_inputs(issued_default: date | None = None, expires_default: date | None = None) -> list[Block]:
    issued = DatePickerElement(action_id=INPUT_ACTION, **({"initial_date": issued_default.isoformat()}
                                                          if issued_default else {}))
    return [
        InputBlock(block_id=CredentialBlock.SECRET, label="Token, PEM certificate or SAML metadata", optional=True,
                   element=PlainTextInputElement(
                       action_id=INPUT_ACTION, multiline=True, max_length=MAX_MODAL_INPUT,
                       placeholder="eyJ…, -----BEGIN CERTIFICATE----- or <md:EntityDescriptor …>"),
                   hint="A JWT or certificate carries its expiry; an opaque token also needs one of the dates. "
                        "Metadata longer than 3,000 characters: paste just its signing certificate, or use "
                        "sso-bot credentials add --cert-file."),
        InputBlock(block_id=CredentialBlock.ISSUED, label="Generated on", optional=True, element=issued,
                   hint=f"Expiry = this + {LIFETIME_DAYS[Kind.SCIM_TOKEN]} days for SCIM tokens and client secrets, "
                        "3 years for SAML certificates."),
        InputBlock(block_id=CredentialBlock.EXPIRES, label="Or: expires on", optional=True,
                   element=DatePickerElement(action_id=INPUT_ACTION, **({"initial_date": expires_default.isoformat()}
                                                                        if expires_default else {}))),
    ]


def renew_modal(cred: Tracked, now: datetime, *, origin: dict[str, str] | None = None) -> View:
    """Mark renewed: the new token or certificate, or its dates (generated today by default)."""
    meta = {"id": cred.id, "gen": cred.generation, **(origin or {})}
    default = now.date() if cred.kind != Kind.SAML_CERT else None
    return View(
        type="modal", callback_id=CredentialIds.RENEW_MODAL, title="Mark renewed", submit="Renewed",
        close="Cancel", private_metadata=json.dumps(meta),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=clip(
                f"*{escape_mrkdwn(_label(cred))}*: {_where(cred)}\nCurrent expiry {slack_date(cred.expires_at)} "
                f"({_days_text(cred, now)}). Give the new credential's expiry: paste it privately (only its "
                "fingerprint is kept), or give a date.", MAX_SECTION_TEXT))),
            *_source_inputs(default),
        ],
    )


def confirmation_modal(cred: Tracked, now: datetime, *, renewed: bool, note: str = "") -> View:
    band = band_of(cred.expires_at, now)
    verb = "Renewed" if renewed else "Tracking"
    lines = [f"{BAND_MARK[band]} *{verb} {escape_mrkdwn(_label(cred))}*", _where(cred),
             f"Expires {slack_date(cred.expires_at)} ({_days_text(cred, now)}).",
             f"Reminders post in <#{cred.channel_id}>."]
    if cred.fingerprint:
        lines.append(f"Fingerprint `{escape_mrkdwn(cred.fingerprint)}`; the secret itself was not kept.")
    if note:
        lines.append(escape_mrkdwn(note))
    return View(type="modal", title=clip(verb, 24), close="Done",
                blocks=[SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines), MAX_SECTION_TEXT)))]
                [:MAX_VIEW_BLOCKS])
