"""The /sso help message."""

from __future__ import annotations

from typing import Sequence

from slack_sdk.models.blocks import (Block, ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject,
                                     SectionBlock)

from handlers.shared.limits import MAX_SECTION_TEXT, clip, escape_mrkdwn


def render_help(entries: Sequence[tuple[str, str]], *, unknown: str | None = None,
                suggestion: str | None = None) -> list[Block]:
    """Help blocks. ``entries`` are (usage, summary) pairs from the router's table.

    ``unknown`` is the subcommand the user typed when it matched nothing;
    ``suggestion`` the closest real one, shown as "did you mean".
    """
    blocks: list[Block] = []
    if unknown is not None:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_unknown_text(unknown, suggestion))))
        blocks.append(DividerBlock())
    blocks.append(HeaderBlock(text="sso-bot: SSO and SCIM troubleshooting"))
    lines = [f"`{escape_mrkdwn(usage)}`\n{escape_mrkdwn(summary)}" for usage, summary in entries]
    blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("\n\n".join(lines), MAX_SECTION_TEXT))))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text=("Replies to /sso are visible only to you. On a message that holds the error, use its ⋮ menu → "
              "*Diagnose this message*. The same diagnosis works offline: `sso-bot diagnose <text>`.")
    )]))
    return blocks


def help_fallback_text(entries: Sequence[tuple[str, str]]) -> str:
    return "sso-bot commands: " + ", ".join(usage for usage, _ in entries)


def _unknown_text(unknown: str, suggestion: str | None) -> str:
    said = f"`{escape_mrkdwn(unknown)}` is not" if unknown else "That is not"
    text = f":thinking_face: {said} an sso-bot command."
    if suggestion:
        text += f" Did you mean `/sso {suggestion}`?"
    return text
