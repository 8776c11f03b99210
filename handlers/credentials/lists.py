"""Tracked credentials as lists: ``/sso tracked``, the credentials' part of ``/sso status``, the App Home
section and the weekly digest. Grouped by band, worst first, each band a marker *and* a word."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from slack_sdk.models.blocks import (ActionsBlock, Block, ButtonElement, ConfirmObject, ContextBlock, DividerBlock,
                                     HeaderBlock, MarkdownTextObject, SectionBlock)

from bot.reminders import FAIL_DAYS, WARN_DAYS, Band, band_of
from handlers.credentials.ids import CredentialIds
from handlers.credentials.views import (_days_text, _environment, _idp, _label, _short_kind, button_value)
from handlers.shared.bands import BAND_MARK, BAND_WORD, band_heading
from handlers.shared.dates import slack_day
from handlers.shared.limits import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT, clip, escape_mrkdwn
from services.credentials import Expiring, Tracked
from services.digests import Digest

HOME_LIMIT = 15  # credentials listed on the Home tab (two blocks each); the rest via /sso tracked


def _line(cred: Tracked, now: datetime, *, channel: bool = True) -> str:
    band = band_of(cred.expires_at, now)
    parts = [f"{BAND_MARK[band]} *{escape_mrkdwn(_label(cred))}*", _short_kind(cred), _idp(cred)]
    if cred.environment:
        parts.append(f"`{escape_mrkdwn(_environment(cred))}`")
    parts.append(f"{_days_text(cred, now)} ({slack_day(cred.expires_at)})")
    if channel:
        parts.append(f"<#{cred.channel_id}>")
    return " · ".join(parts)


def band_blocks(creds: Sequence[Tracked], now: datetime, *, budget: int, channel: bool = True) -> list[Block]:
    """Credentials grouped by band, worst first: each group headed by its marker, word and rule, its
    lines in sections of at most 3,000 characters; at most ``budget`` blocks."""
    by_band: dict[Band, list[Tracked]] = {}
    for cred in creds:
        by_band.setdefault(band_of(cred.expires_at, now), []).append(cred)
    blocks: list[Block] = []
    for band in sorted(by_band, key=lambda b: -b.rank):
        chunk: list[str] = [band_heading(band, len(by_band[band]))]
        for line in (_line(c, now, channel=channel) for c in by_band[band]):
            if sum(len(x) + 1 for x in chunk) + len(line) > MAX_SECTION_TEXT - 10:
                blocks.append(SectionBlock(text=MarkdownTextObject(text="\n".join(chunk))))
                chunk = []
            chunk.append(line)
        blocks.append(SectionBlock(text=MarkdownTextObject(text="\n".join(chunk))))
        if len(blocks) >= budget:
            return blocks[:budget]
    return blocks


def band_counts(creds: Sequence[Tracked], now: datetime) -> str:
    """'1 expired, 2 red, 3 yellow', worst first."""
    counts: dict[Band, int] = {}
    for cred in creds:
        band = band_of(cred.expires_at, now)
        counts[band] = counts.get(band, 0) + 1
    return ", ".join(f"{counts[b]} {BAND_WORD[b].lower()}" for b in sorted(counts, key=lambda b: -b.rank))


def tracked_list(creds: Sequence[Tracked], now: datetime, *, total: int | None = None) -> dict[str, Any]:
    """The ``/sso tracked`` reply: the credentials by band, worst first. ``total`` is how many are tracked
    when ``creds`` holds only the soonest of them."""
    if not creds:
        return {"text": "Nothing is tracked yet. An admin can start with `/sso track`.", "response_type": "ephemeral"}
    counts = band_counts(creds, now)
    text = f"*Tracked credentials* ({counts})"
    if total is not None and total > len(creds):
        text = f"*Tracked credentials*: the {len(creds)} expiring soonest of {total:,} ({counts})"
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text)),
                           *band_blocks(creds, now, budget=MAX_MESSAGE_BLOCKS - 1)]
    return {"text": text, "blocks": [b.to_dict() for b in blocks], "response_type": "ephemeral"}


def status_blocks(expiring: Expiring, now: datetime, *, budget: int = 8) -> list[Block]:
    """The credentials' part of ``/sso status``: what expires within 30 days, by band, worst first; a
    sentence when nothing does (and when the next one turns yellow)."""
    heading = f"*Credentials* · {expiring.expiring} of {expiring.tracked} tracked expire within {WARN_DAYS} days"
    if expiring.tracked == 0:
        return [SectionBlock(text=MarkdownTextObject(text=(
            "*Credentials*\nNothing is tracked yet. An admin can track a SCIM token, client secret or SAML "
            "certificate with `/sso track`.")))]
    if not expiring.soonest:
        line = f":white_check_mark: None expires within {WARN_DAYS} days ({expiring.tracked} tracked)."
        if expiring.next_after is not None:
            nxt = expiring.next_after
            line += (f" Next: *{escape_mrkdwn(_label(nxt))}* on {slack_day(nxt.expires_at)}, "
                     f"{_days_text(nxt, now)}.")
        return [SectionBlock(text=MarkdownTextObject(text=clip(f"*Credentials*\n{line}", MAX_SECTION_TEXT)))]
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=heading)),
                           *band_blocks(expiring.soonest, now, budget=max(1, budget - 2))]
    hidden = expiring.expiring - len(expiring.soonest)
    if hidden > 0:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"{hidden} more expire within {WARN_DAYS} days: `/sso tracked` lists them all.")]))
    return blocks


def home_section(creds: Sequence[Tracked], now: datetime, total: int) -> list[Block]:
    """The App Home's part: each credential with "Mark renewed" and "Stop tracking"."""
    blocks: list[Block] = [
        HeaderBlock(text="Tracked credentials"),
        ActionsBlock(block_id="credential.home_actions", elements=[
            ButtonElement(text="Track a credential", action_id=CredentialIds.OPEN_TRACK)]),
    ]
    if not creds:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=(
            "Nothing is tracked yet. Track a SCIM token, client secret or SAML certificate and I will remind its "
            "channel 30, 7 and 1 days before it expires."))))
    for cred in creds[:HOME_LIMIT]:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(_line(cred, now), MAX_SECTION_TEXT))))
        blocks.append(ActionsBlock(block_id=f"credential.home.{cred.id}", elements=[
            ButtonElement(text="Mark renewed", action_id=CredentialIds.RENEW, value=button_value(cred)),
            ButtonElement(text="Stop tracking", action_id=CredentialIds.UNTRACK, value=str(cred.id),
                          style="danger", confirm=ConfirmObject(
                              title="Stop tracking?", confirm="Stop tracking", deny="Keep",
                              text=clip(f"No more reminders for {_label(cred)}. The audit log keeps a record.", 300))),
        ]))
    if total > HOME_LIMIT:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"{total - HOME_LIMIT} more: `/sso tracked` lists them all.")]))
    blocks.append(DividerBlock())
    return blocks


def digest_message(digest: Digest, found: Expiring, now: datetime) -> dict[str, Any]:
    """A channel's weekly digest: its credentials that expire within 30 days (or have), by band, worst
    first; a plain all-clear otherwise. Red and expired reminders still post on their own."""
    week = f"Weekly credentials digest for <#{digest.channel_id}>"
    if found.expiring:
        lead = f":calendar: *{week}*: {found.expiring} of {found.tracked} tracked expire within {WARN_DAYS} days " \
               f"({band_counts(found.soonest, now)})."
    elif found.tracked:
        lead = f":calendar: *{week}*: :white_check_mark: none of the {found.tracked} tracked here expires within " \
               f"{WARN_DAYS} days."
        if found.next_after is not None:
            nxt = found.next_after
            lead += f" Next: *{escape_mrkdwn(_label(nxt))}* on {slack_day(nxt.expires_at)} ({_days_text(nxt, now)})."
    else:
        lead = f":calendar: *{week}*: no credential reminds this channel. Track one with `/sso track`."
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=clip(lead, MAX_SECTION_TEXT))),
                           *band_blocks(found.soonest, now, budget=MAX_MESSAGE_BLOCKS - 3, channel=False)]
    hidden = found.expiring - len(found.soonest)
    notes = [f"{hidden} more not listed: `/sso tracked`." if hidden > 0 else "",
             f"Sent {digest.schedule.describe()}. Yellow reminders wait for this digest; red (under "
             f"{FAIL_DAYS} days), 1-day, expiry and recovery reminders still post here at once. "
             "Change it with `/sso digest`."]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip(" ".join(n for n in notes if n), 2000))]))
    text = clip(f"Weekly credentials digest: {found.expiring} expiring within {WARN_DAYS} days", 300)
    return {"text": text, "blocks": [b.to_dict() for b in blocks], "unfurl_links": False}
