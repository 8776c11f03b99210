"""One error link's unfurl: the one-line cause and a button to the full explanation (a private modal)."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ButtonElement, MarkdownTextObject, SectionBlock

from bot.knowledge import load_knowledge
from bot.redaction import SafeReport, require_safe
from handlers.shared.ids import ReportIds
from handlers.shared.limits import clip, escape_mrkdwn

MAX_LINE = 300  # glanceable: an unfurl is one line under someone else's message


def unfurl_blocks(report: SafeReport) -> list[Block]:
    """The explanation's first finding the knowledge base has notes on, as one line with *Explain* (the same
    button and modal as a report's *Explain more*); no blocks when there is none (an unknown code)."""
    require_safe(report)
    kb = load_knowledge()
    finding = next((f for f in report.findings if kb.get(f.code) is not None), None)
    if finding is None:
        return []
    line = f":mag: {clip(escape_mrkdwn(finding.title), MAX_LINE)}"
    button = ButtonElement(text="Explain", action_id=ReportIds.EXPLAIN, value=finding.code[:2000])
    return [SectionBlock(text=MarkdownTextObject(text=line), accessory=button)]
