"""The App Home tab."""

from __future__ import annotations

from typing import Sequence

from slack_sdk.models.blocks import (ActionsBlock, Block, ButtonElement, ContextBlock, DividerBlock, HeaderBlock,
                                     MarkdownTextObject, SectionBlock)
from slack_sdk.models.views import View

from handlers.shared.limits import MAX_SECTION_TEXT, MAX_VIEW_BLOCKS, clip, escape_mrkdwn


def render_home(entries: Sequence[tuple[str, str]], sections: Sequence[Block] = (),
                buttons: Sequence[ButtonElement] = ()) -> View:
    """The Home tab: what sso-bot does, the features' buttons (the diagnose modals) and sections
    (tracked credentials, open checklists), and the commands (from the router)."""
    commands = "\n".join(f"• `{escape_mrkdwn(usage)}`: {escape_mrkdwn(summary)}" for usage, summary in entries)
    blocks: list[Block] = [
        HeaderBlock(text="sso-bot"),
        SectionBlock(text=MarkdownTextObject(text=(
            "Paste an Entra *AADSTS* error, an Okta *E0000* code, a SCIM URL or a 401 and get the likely cause, "
            "the fix and where to click. Answers are visible only to you."
        ))),
        *([ActionsBlock(elements=list(buttons))] if buttons else []),
        DividerBlock(),
        *sections,
        SectionBlock(text=MarkdownTextObject(text=clip("*Commands*\n" + commands, MAX_SECTION_TEXT))),
        ContextBlock(elements=[MarkdownTextObject(
            text="Never paste a token or client secret in a channel: use *Check a token privately*. "
                 "sso-bot never stores or repeats one."
        )]),
    ]
    return View(type="home", blocks=blocks[:MAX_VIEW_BLOCKS])
