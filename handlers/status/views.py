"""``/sso status`` as Block Kit: a headline, then each feature's part (expiring credentials, open
checklists) as the features drew them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from slack_sdk.models.blocks import Block, ContextBlock, DividerBlock, MarkdownTextObject, SectionBlock

from handlers.shared.dates import slack_time
from handlers.shared.hooks import StatusPart
from handlers.shared.limits import MAX_MESSAGE_BLOCKS, clip

__all__ = ["render_status"]


def render_status(parts: Sequence[StatusPart], now: datetime, *, failed: Sequence[str] = ()) -> dict[str, Any]:
    """The ephemeral reply: "All clear" or what needs someone, the parts, and a footer. ``failed`` names
    the parts that could not be read (said, never hidden)."""
    attention = sum(p.attention for p in parts)
    summary = ", ".join(p.summary for p in parts) or "nothing to report"
    lead = ":white_check_mark: *All clear*" if attention == 0 and not failed else ":eyes: *Needs attention*"
    headline = f"{lead}: {summary}."
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=clip(headline, 3000)))]
    for part in parts:
        blocks.append(DividerBlock())
        blocks.extend(part.blocks)
    if failed:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(
            f":warning: Could not read {', '.join(failed)} just now; try `/sso status` again in a minute.", 3000))))
    footer = (f"As of {slack_time(now)} · whole workspace · only you see this. "
              "`/sso tracked` lists every credential; `/sso digest` sets a channel's weekly summary.")
    blocks = blocks[:MAX_MESSAGE_BLOCKS - 1]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=footer)]))
    text = clip(f"SSO status: {summary}", 300)
    return {"text": text, "blocks": [b.to_dict() for b in blocks], "response_type": "ephemeral"}
