"""Slack's Block Kit limits, and helpers that keep text inside them.

Numbers from Slack's Block Kit reference: 50 blocks in a message, 100 in a
modal or Home tab, 3000 characters in a section's text, 150 in a header's
plain text, 10 elements in a context block, 3000 in a message's fallback text.
"""

from __future__ import annotations

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_TEXT = 3000
MAX_CHECKBOX_OPTIONS = 10


def clip(text: str, limit: int, marker: str = "…") -> str:
    """Cut ``text`` to at most ``limit`` characters, marking the cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(marker))] + marker


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control sequences in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
