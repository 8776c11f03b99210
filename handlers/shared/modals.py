"""Modals: paste something to diagnose, paste a token privately, a result, a knowledge entry."""

from __future__ import annotations

from slack_sdk.models.blocks import (Block, ContextBlock, DatePickerElement, HeaderBlock, InputBlock,
                                     MarkdownTextObject, PlainTextInputElement, PlainTextObject, SectionBlock)
from slack_sdk.models.views import View

from bot.knowledge import Entry
from handlers.ids import BlockId, CallbackId
from handlers.shared.limits import MAX_SECTION_TEXT, MAX_VIEW_BLOCKS, clip, escape_mrkdwn

INPUT_ACTION = "value"
# Slack's cap on a plain_text_input's max_length.
MAX_MODAL_INPUT = 3000


def diagnose_modal() -> View:
    return View(
        type="modal", callback_id=CallbackId.DIAGNOSE_MODAL,
        title="Diagnose", submit="Diagnose", close="Cancel",
        blocks=[
            InputBlock(
                block_id=BlockId.DIAGNOSE_INPUT, label="What went wrong?",
                element=PlainTextInputElement(action_id=INPUT_ACTION, multiline=True, max_length=MAX_MODAL_INPUT,
                                              placeholder="AADSTS50105 …, a SCIM URL, two redirect URIs, a log line"),
                hint=("An error code or message, a SCIM base URL, 'registered X, app sends Y', a domain list, "
                      "a SCIM error body or a provisioning-log entry. The answer is shown only to you."),
            ),
        ],
    )


def token_modal() -> View:
    return View(
        type="modal", callback_id=CallbackId.TOKEN_MODAL,
        title="Check a token", submit="Check", close="Cancel",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=(
                ":lock: Paste a SCIM bearer token or a JWT. It is read once to find its expiry, never stored, "
                "logged or shown again; you will see a fingerprint (first 8 hex of its SHA-256)."))),
            InputBlock(
                block_id=BlockId.TOKEN_INPUT, label="Token",
                element=PlainTextInputElement(action_id=INPUT_ACTION, multiline=False, max_length=MAX_MODAL_INPUT,
                                              placeholder="eyJ… or the opaque token"),
            ),
            InputBlock(
                block_id=BlockId.ISSUED_INPUT, label="Generated on (for tokens that are not JWTs)", optional=True,
                element=DatePickerElement(action_id=INPUT_ACTION),
                hint="SCIM access tokens last 180 days from generation.",
            ),
        ],
    )


def result_modal(title: str, blocks: list[Block]) -> View:
    """A modal that shows a report's blocks (from render_report, without buttons that need a channel)."""
    return View(type="modal", title=clip(title, 24), close="Done", blocks=blocks[:MAX_VIEW_BLOCKS])


def entry_modal(entry: Entry) -> View:
    """Everything the knowledge base says about one code, message or symptom."""
    blocks: list[Block] = [
        HeaderBlock(text=clip(f"{entry.label}: {entry.name}" if entry.name != entry.label else entry.label, 150)),
        SectionBlock(text=MarkdownTextObject(text=clip(escape_mrkdwn(entry.summary), MAX_SECTION_TEXT))),
    ]
    for heading, items, numbered in (("Likely causes, most likely first", entry.causes, True),
                                     ("Fix", entry.fix, True), ("Where to look", entry.where, False),
                                     ("What to collect", entry.collect, False)):
        if items:
            lines = [f"{i}. {escape_mrkdwn(x)}" if numbered else f"• {escape_mrkdwn(x)}"
                     for i, x in enumerate(items, start=1)]
            blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(f"*{heading}*\n" + "\n".join(lines),
                                                                         MAX_SECTION_TEXT))))
    if entry.refs:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip(" · ".join(
            f"<{r}>" if r.startswith("https://") else escape_mrkdwn(r) for r in entry.refs), 2000))]))
    return View(type="modal", title="Explain", close="Done", blocks=blocks[:MAX_VIEW_BLOCKS])


def error_modal(message: str) -> View:
    return View(type="modal", title="sso-bot", close="Close",
                blocks=[SectionBlock(text=PlainTextObject(text=clip(message, MAX_SECTION_TEXT)))])
