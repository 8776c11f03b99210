"""The diagnose feature's modals (paste something, paste a token privately, a knowledge entry) and
the two buttons it puts on the Home tab."""

from __future__ import annotations

from slack_sdk.models.blocks import (Block, ButtonElement, ContextBlock, DatePickerElement, HeaderBlock, InputBlock,
                                     MarkdownTextObject, PlainTextInputElement, SectionBlock)
from slack_sdk.models.views import View

from bot.diagnostics.link_labels import link_label
from bot.knowledge import Entry
from handlers.diagnose.ids import DiagnoseBlock, DiagnoseIds
from handlers.shared.limits import MAX_SECTION_TEXT, MAX_VIEW_BLOCKS, clip, escape_mrkdwn
from handlers.shared.modals import INPUT_ACTION, MAX_MODAL_INPUT


def home_buttons() -> list[ButtonElement]:
    """The Home tab's way into the two modals."""
    return [ButtonElement(text="Diagnose something", action_id=DiagnoseIds.OPEN_DIAGNOSE_MODAL, style="primary"),
            ButtonElement(text="Check a token privately", action_id=DiagnoseIds.OPEN_TOKEN_MODAL)]


def next_step_buttons() -> list[ButtonElement]:
    """Offered at the end of another feature's flow (after a checklist that did not fix it)."""
    return [ButtonElement(text="Diagnose an error", action_id=DiagnoseIds.OPEN_DIAGNOSE_MODAL)]


def diagnose_modal(initial: str | None = None) -> View:
    """The paste form; ``initial`` fills it (a redirect URI to compare, from a report's button)."""
    return View(
        type="modal", callback_id=DiagnoseIds.DIAGNOSE_MODAL,
        title="Diagnose", submit="Diagnose", close="Cancel",
        blocks=[
            InputBlock(
                block_id=DiagnoseBlock.DIAGNOSE_INPUT, label="What went wrong?",
                element=PlainTextInputElement(action_id=INPUT_ACTION, multiline=True, max_length=MAX_MODAL_INPUT,
                                              initial_value=initial[:MAX_MODAL_INPUT] if initial else None,
                                              placeholder="AADSTS50105 …, a SCIM URL, two redirect URIs, a log line"),
                hint=("An error code or message, a SCIM base URL, 'registered X, app sends Y', a domain list, "
                      "a SCIM error body or a provisioning-log entry. The answer is shown only to you."),
            ),
        ],
    )


def token_modal() -> View:
    return View(
        type="modal", callback_id=DiagnoseIds.TOKEN_MODAL,
        title="Check a token", submit="Check", close="Cancel",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=(
                ":lock: Paste a SCIM bearer token or a JWT. It is read once to find its expiry, never stored, "
                "logged or shown again; you will see a fingerprint (first 8 hex of its SHA-256)."))),
            InputBlock(
                block_id=DiagnoseBlock.TOKEN_INPUT, label="Token",
                element=PlainTextInputElement(action_id=INPUT_ACTION, multiline=False, max_length=MAX_MODAL_INPUT,
                                              placeholder="eyJ… or the opaque token"),
            ),
            InputBlock(
                block_id=DiagnoseBlock.ISSUED_INPUT, label="Generated on (for tokens that are not JWTs)", optional=True,
                element=DatePickerElement(action_id=INPUT_ACTION),
                hint="SCIM access tokens last 180 days from generation.",
            ),
        ],
    )


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
            f"<{r}|{escape_mrkdwn(link_label(r)).replace('|', '/')}>" if r.startswith("https://") and "|" not in r
            and ">" not in r else escape_mrkdwn(r) for r in entry.refs), 2000))]))
    return View(type="modal", title="Explain", close="Done", blocks=blocks[:MAX_VIEW_BLOCKS])
