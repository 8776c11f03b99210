"""A diagnosis as Block Kit: the first view, and one finding in full on demand.

The first view fits a laptop screen: the verdict, the most likely finding's cause in one sentence, its
first fix steps, the values from the paste put to use, and buttons; every other finding is one line
with its own button. *More* (``ReportIds.MORE``) updates the message in place with that finding in full
(the other causes, where to look, what to collect, related entries by name, labelled links), re-created
from the sealed snapshot kept for *Share in channel*, so nothing is lost and no secret is kept. What is
said, and in which order, comes from ``bot.diagnostics.present``, as on the command line.

Every block stays inside Slack's limits (``handlers.shared.limits``); a report with more findings than
fit is folded into a summary section, never cut at random.
"""

from __future__ import annotations

import re
from typing import Sequence

from slack_sdk.models.blocks import (ActionsBlock, Block, ButtonElement, ContextBlock, DividerBlock, HeaderBlock,
                                     MarkdownTextObject, SectionBlock)

from bot.diagnostics.present import Framing, Presentation, Shown, next_check_label, present
from bot.diagnostics.report import Severity
from bot.knowledge import load_knowledge
from bot.redaction import SafeReport, require_safe
from handlers.shared.dates import localise_times
from handlers.shared.ids import REPORT_ACTIONS_BLOCK, ReportIds
from handlers.shared.limits import (MAX_HEADER_TEXT, MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT, clip, escape_mrkdwn)

SEVERITY_MARK = {
    Severity.FAIL: ":red_circle:",
    Severity.WARN: ":large_yellow_circle:",
    Severity.INFO: ":large_blue_circle:",
    Severity.OK: ":white_check_mark:",
}
SEVERITY_WORD = {Severity.FAIL: "Problem", Severity.WARN: "Warning", Severity.INFO: "Note", Severity.OK: "OK"}
FRAMING_MARK = {Framing.PROBLEMS: SEVERITY_MARK[Severity.FAIL], Framing.WARNINGS: SEVERITY_MARK[Severity.WARN],
                Framing.LOOKUP: ":book:", Framing.GUIDE: ":compass:", Framing.CLEAR: SEVERITY_MARK[Severity.OK],
                Framing.UNRECOGNISED: ":grey_question:"}

MAX_BUTTON_VALUE = 2000
# Blocks every report spends besides its findings: header, context, secret note, fold summary, actions.
_FIXED_BLOCKS = 5
_ONE_LINE_MAX = 130  # a finding's one line in the first view


def verdict(report: SafeReport, *, lookup: bool = False) -> str:
    """The header: a mark and what kind of answer this is ("1 problem found", "What E0000011 means")."""
    require_safe(report)
    if not report.findings:
        return "Nothing recognised"
    view = present(report, lookup=lookup)
    return f"{FRAMING_MARK[view.framing]} {view.heading}"


def explainable_codes(report: SafeReport) -> frozenset[str]:
    """Finding codes with a deep knowledge entry (their entry opens in a modal when no snapshot is kept)."""
    require_safe(report)
    kb = load_knowledge()
    return frozenset(f.code for f in report.findings if (e := kb.get(f.code)) is not None and e.deep)


def render_report(report: SafeReport, *, explainable: frozenset[str] = frozenset(), shared_by: str | None = None,
                  share_id: str | None = None, extra_actions: Sequence[ButtonElement] = (),
                  max_blocks: int = MAX_MESSAGE_BLOCKS, lookup: bool = False, more_id: str | None = None,
                  expanded: str | None = None, full: bool = False) -> list[Block]:
    """Blocks for ``report``: its first view, or with ``expanded`` (a finding code) that finding in full,
    or with ``full`` every finding in full (a modal, which has no message to update; and any report
    without a snapshot to re-create the details from, so none is lost).

    ``share_id`` (a saved snapshot) adds *Share in channel*; ``more_id`` (defaults to ``share_id``) is the
    snapshot *More* re-creates the report from; without one, *More* opens the finding's knowledge entry
    for the codes in ``explainable``. ``shared_by`` (a user id) marks a copy shared in a channel;
    ``extra_actions`` (at most 4, e.g. "Start checklist") go beside the buttons; ``lookup`` frames the
    answer as a look-up (``/sso explain``). Only a sealed report is accepted (``bot.redaction``)."""
    require_safe(report)
    view = present(report, lookup=lookup)
    more_id = more_id if more_id is not None else share_id
    if more_id is None:  # nothing to re-create the details from on a click: show them now, never lose them
        full = True
    blocks: list[Block] = [HeaderBlock(text=clip(verdict(report, lookup=lookup), MAX_HEADER_TEXT))]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_context_line(report, shared_by))]))
    if report.secret_seen and shared_by is None:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=(
            ":lock: Your paste held a token or secret: not stored, logged or shown, only its fingerprint. "
            "Next time use `/sso token` to paste it privately."))))
    links = _Buttons(more_id, explainable)
    budget = max_blocks - _FIXED_BLOCKS
    if full:
        blocks += _all_in_full(view.shown, links, lookup=lookup, budget=budget - (len(blocks) - 2))
    else:
        index = next((i for i, s in enumerate(view.shown) if s.code == expanded), 0)
        lead = view.shown[index] if view.shown else None
        if lead is not None:
            blocks += _first_view(lead, lookup=view.framing is Framing.LOOKUP)
            if expanded is not None:
                blocks += _details(lead, links)
        others = [s for i, s in enumerate(view.shown) if i != index]
        room = max(0, budget - (len(blocks) - 3) - 1)
        folded = others[room:] if len(others) > room else []
        for other in others[:room]:
            blocks.append(_one_line(other, links))
        if folded:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=_folded_text(folded))))
    buttons = _actions(view, links, expanded=expanded, full=full, share_id=share_id)
    buttons += list(extra_actions)[:4]
    if buttons:
        blocks.append(ActionsBlock(block_id=REPORT_ACTIONS_BLOCK, elements=buttons))
    return [_local_times(block) for block in blocks[:max_blocks]]


def _local_times(block: Block) -> Block:
    """The block with the core's UTC moments in the reader's time zone (``localise_times``), where the longer
    text still fits Slack's limit; else as written."""
    texts = [block.text] if isinstance(block, SectionBlock) and block.text is not None else []
    texts += [e for e in block.elements if isinstance(e, MarkdownTextObject)] if isinstance(block, ContextBlock) else []
    for text in texts:
        if isinstance(text, MarkdownTextObject):
            local = localise_times(text.text)
            if len(local) <= MAX_SECTION_TEXT:
                text.text = local
    return block


def _all_in_full(shown: Sequence[Shown], links: "_Buttons", *, lookup: bool, budget: int) -> list[Block]:
    """Every finding in full while whole findings fit in ``budget`` blocks; the rest one line each in a last
    section, so a finding that does not fit is named rather than cut off (a CSV or ``--full`` has them all)."""
    body: list[Block] = []
    for i, finding in enumerate(shown):
        blocks = [*_first_view(finding, lookup=lookup), *_details(finding, links)]
        rest = shown[i + 1:]
        room = budget - len(body) - (1 if rest else 0)
        if len(blocks) + (1 if body else 0) > room and body:
            body.append(SectionBlock(text=MarkdownTextObject(text=_folded_text(shown[i:]))))
            return body
        body += ([DividerBlock()] if body else []) + blocks
    return body[:budget]


def fallback_text(report: SafeReport, *, lookup: bool = False) -> str:
    """The notification and screen-reader text for the message."""
    require_safe(report)
    view = present(report, lookup=lookup)
    head = verdict(report, lookup=lookup)
    return clip(f"{head}: {view.lead.title}" if view.lead else head, 300)


def visible_text(blocks: Sequence[Block]) -> str:
    """The text a reader sees in ``blocks`` (headers, sections, context and button labels), for measuring a
    first view against its budget."""
    out: list[str] = []
    for block in blocks:
        data = block.to_dict()
        if data["type"] in ("header", "section") and "text" in data:
            out.append(data["text"]["text"])
        for element in data.get("elements", []) + ([data["accessory"]] if "accessory" in data else []):
            if element.get("type") == "button":
                out.append(element["text"]["text"])
            elif "text" in element:
                out.append(element["text"])
    return "\n".join(_as_seen(text) for text in out)


def _as_seen(mrkdwn: str) -> str:
    """mrkdwn as a reader sees it: an emoji is one character, links show their label, markers and
    escapes are gone."""
    text = re.sub(r":[a-z][a-z0-9_+-]*:", "•", mrkdwn)
    text = re.sub(r"<(?:https?://[^|>]+)\|([^>]+)>", r"\1", text)
    text = re.sub(r"<@([A-Z0-9]+)>", r"@\1", text)
    text = re.sub(r"<!date\^[^|>]*\|([^>]+)>", r"\1", text)  # a date reads about as long as its fallback
    text = text.replace("```", "").replace("`", "")
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# -- the parts --------------------------------------------------------------------------------------


class _Buttons:
    """The buttons that open a finding or an entry: *More* from the snapshot when there is one, else the
    knowledge entry's modal."""

    def __init__(self, more_id: str | None, explainable: frozenset[str]) -> None:
        self.more_id = more_id
        self.explainable = explainable
        self._count = 0

    def open(self, shown: Shown, text: str = "More") -> ButtonElement | None:
        if self.more_id and not shown.finding.from_secret:  # a token's findings are never kept: see sharing
            value = f"{self.more_id}|{shown.code}"
            if len(value) <= MAX_BUTTON_VALUE:
                return ButtonElement(text=text, action_id=self._id(ReportIds.MORE), value=value)
        if shown.code in self.explainable:
            return ButtonElement(text=text, action_id=self._id(ReportIds.EXPLAIN), value=shown.code[:MAX_BUTTON_VALUE])
        return None

    def entry(self, name: str, entry_id: str) -> ButtonElement:
        return ButtonElement(text=clip(name, 75), action_id=self._id(ReportIds.EXPLAIN), value=entry_id[:MAX_BUTTON_VALUE])

    def _id(self, base: str) -> str:
        """Action ids are unique within a message: the first of a kind is the base, then ``base.1`` ..."""
        self._count += 1
        return base if self._count == 1 and base == ReportIds.MORE else f"{base}.{self._count}"


def _first_view(shown: Shown, *, lookup: bool = False) -> list[Block]:
    mark = ":book:" if lookup else SEVERITY_MARK[shown.severity]  # a look-up is not a problem found
    lines = [f"{mark} *{escape_mrkdwn(shown.title)}*"]
    if shown.cause:
        lead = "*Likely cause:* " if shown.cause_is_likely else ""
        lines.append(lead + format_detail(shown.cause))
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines), MAX_SECTION_TEXT)))]
    tail: list[str] = []
    if shown.first_fix:
        tail.append("*Fix*")
        tail += [f"{i}. {escape_mrkdwn(step)}" for i, step in enumerate(shown.first_fix, start=1)]
        if shown.more_fix:
            tail.append(f"_…and {len(shown.more_fix)} more step{'s' if len(shown.more_fix) > 1 else ''}_")
    for label, use in shown.values:
        tail.append(f":arrow_forward: *{escape_mrkdwn(label)}:* {escape_mrkdwn(use)}")
    if tail:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("\n".join(tail), MAX_SECTION_TEXT))))
    return blocks


def _details(shown: Shown, links: _Buttons) -> list[Block]:
    sections: list[str] = []
    if shown.more_fix:
        start = len(shown.first_fix) + 1
        sections.append("*More fix steps*\n" + "\n".join(
            f"{i}. {escape_mrkdwn(step)}" for i, step in enumerate(shown.more_fix, start=start)))
    if shown.explanation:
        sections.append(format_detail(shown.explanation))
    others = shown.causes[1:] if shown.causes and shown.cause == shown.causes[0] else shown.causes
    if others:
        first = 2 if others is not shown.causes else 1
        head = "*Other likely causes*" if first == 2 else "*Likely causes, most likely first*"
        sections.append(head + "\n" + "\n".join(f"{i}. {escape_mrkdwn(c)}" for i, c in enumerate(others, start=first)))
    for heading, items in (("Where to look", shown.where), ("What to collect", shown.collect)):
        if items:
            sections.append(f"*{heading}*\n" + "\n".join(f"• {escape_mrkdwn(x)}" for x in items))
    if shown.checks:
        sections.append("*Next*\n" + "\n".join(f"• {escape_mrkdwn(next_check_label(c))}" for c in shown.checks))
    if shown.also:
        sections.append("*Also reported as*\n" + "\n".join(f"• {escape_mrkdwn(f.title)}" for f in shown.also))
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=clip(s, MAX_SECTION_TEXT))) for s in sections]
    context: list[str] = []
    if shown.facts:
        context.append(" · ".join(f"{escape_mrkdwn(k)}: `{escape_mrkdwn(v)}`" for k, v in shown.facts))
    if shown.links:
        context.append(" · ".join(_link(link.url, link.label) for link in shown.links))
    if context:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip(c, 2000)) for c in context]))
    if shown.related:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="*Related*")))
        blocks.append(ActionsBlock(elements=[links.entry(r.name, r.id) for r in shown.related]))
    return blocks


def _one_line(shown: Shown, links: _Buttons) -> Block:
    text = clip(f"{SEVERITY_MARK[shown.severity]} {escape_mrkdwn(shown.title)}", _ONE_LINE_MAX)
    button = links.open(shown, "Open")
    if button is None:
        return SectionBlock(text=MarkdownTextObject(text=text))
    return SectionBlock(text=MarkdownTextObject(text=text), accessory=button)


def _actions(view: Presentation, links: _Buttons, *, expanded: str | None, full: bool,
             share_id: str | None) -> list[ButtonElement]:
    buttons: list[ButtonElement] = []
    lead = next((s for s in view.shown if s.code == expanded), view.lead)
    if lead is not None and not full:
        if expanded is None and lead.has_details:
            more = links.open(lead, "More: causes, where to look")
            if more is not None:
                more.style = "primary"
                buttons.append(more)
        elif expanded is not None and links.more_id:
            buttons.append(ButtonElement(text="Less", action_id=ReportIds.LESS, value=f"{links.more_id}|"))
        uri = lead.finding.facts.get("redirect_uri")
        if uri and "check:redirect" in lead.checks and len(uri) <= MAX_BUTTON_VALUE:
            buttons.append(ButtonElement(text="Compare with a registered URI", action_id=ReportIds.COMPARE, value=uri))
    if share_id:
        buttons.append(ButtonElement(text="Share in channel", action_id=ReportIds.SHARE, value=share_id))
    return buttons


def _context_line(report: SafeReport, shared_by: str | None) -> str:
    kinds = ", ".join(k.replace("_", " ") for k in report.inputs) or "nothing I can check"
    line = f"Recognised: {escape_mrkdwn(kinds)}"
    if shared_by:
        line = f"Shared by <@{shared_by}> · " + line
    return clip(line, MAX_SECTION_TEXT)


def format_detail(detail: str) -> str:
    """Escape a finding's detail for mrkdwn, keeping a caret pointer (two aligned lines and a
    line holding only ``^``) in a code block so the caret still sits under the difference."""
    lines = escape_mrkdwn(detail).split("\n") if detail else []
    out: list[str] = []
    for line in lines:
        if line.strip() == "^" and len(out) >= 2:
            aligned = out[-2:]
            del out[-2:]
            out.append("```" + "\n".join([*aligned, line]) + "```")
        else:
            out.append(line)
    return "\n".join(out)


def _link(url: str, label: str) -> str:
    if url.startswith(("https://", "http://")) and not any(c in url for c in "<>| "):
        return f"<{url}|{escape_mrkdwn(label).replace('|', '/')}>"
    return escape_mrkdwn(url)


def _folded_text(folded: Sequence[Shown]) -> str:
    lines = [f"*{len(folded)} more finding{'s' if len(folded) > 1 else ''}* (run `sso-bot diagnose --full` for all):"]
    lines += [f"{SEVERITY_MARK[f.severity]} {escape_mrkdwn(f.title)}" for f in folded]
    return clip("\n".join(lines), MAX_SECTION_TEXT)
