"""Modals every feature uses: a report's result, an error, and the one input action id."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, MarkdownTextObject, PlainTextObject, SectionBlock
from slack_sdk.models.views import View

from handlers.shared.limits import MAX_SECTION_TEXT, MAX_VIEW_BLOCKS, clip, escape_mrkdwn

INPUT_ACTION = "value"
# Slack's cap on a plain_text_input's max_length.
MAX_MODAL_INPUT = 3000


def result_modal(title: str, blocks: list[Block]) -> View:
    """A modal that shows a report's blocks (from render_report, without buttons that need a channel)."""
    return View(type="modal", title=clip(title, 24), close="Done", blocks=blocks[:MAX_VIEW_BLOCKS])


def error_modal(message: str) -> View:
    return View(type="modal", title="sso-bot", close="Close",
                blocks=[SectionBlock(text=PlainTextObject(text=clip(message, MAX_SECTION_TEXT)))])


def problem_blocks(problem: str) -> list[Block]:
    """Why the last try of a form failed, shown above the form again (nothing when there was none)."""
    if not problem:
        return []
    return [SectionBlock(text=MarkdownTextObject(text=clip(f":warning: {escape_mrkdwn(problem)}", MAX_SECTION_TEXT)))]
