"""A diagnosis as Block Kit: verdict header, one section per finding, fix steps, links, buttons.

Long reports are folded, not truncated at random: findings are shown most
severe first until the block budget is spent, and the rest become one summary
section listing their titles, so a post never fails on Slack's limits.
"""

from __future__ import annotations

from typing import Sequence

from slack_sdk.models.blocks import (ActionsBlock, Block, ButtonElement, ContextBlock, DividerBlock, HeaderBlock,
                                     MarkdownTextObject, SectionBlock)

from bot.diagnostics.report import Finding, Severity
from bot.knowledge import load_knowledge
from bot.redaction import SafeReport, require_safe
from handlers.shared.ids import REPORT_ACTIONS_BLOCK, ReportIds
from handlers.shared.limits import (MAX_HEADER_TEXT, MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT, clip, escape_mrkdwn)


SEVERITY_MARK = {
    Severity.FAIL: ":red_circle:",
    Severity.WARN: ":large_yellow_circle:",
    Severity.INFO: ":large_blue_circle:",
    Severity.OK: ":white_check_mark:",
}
SEVERITY_WORD = {Severity.FAIL: "Problem", Severity.WARN: "Warning", Severity.INFO: "Note", Severity.OK: "OK"}

# Blocks every report spends besides findings: header, context, secret note, fold summary, actions.
_FIXED_BLOCKS = 5
_BLOCKS_PER_FINDING = 2  # the section, and a divider or fix section


def verdict(report: SafeReport) -> str:
    require_safe(report)
    counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    if not report.findings:
        return "Nothing recognised"
    if counts[Severity.FAIL]:
        n = counts[Severity.FAIL]
        return f"{SEVERITY_MARK[Severity.FAIL]} {n} problem{'s' if n > 1 else ''} found"
    if counts[Severity.WARN]:
        n = counts[Severity.WARN]
        return f"{SEVERITY_MARK[Severity.WARN]} {n} warning{'s' if n > 1 else ''}"
    if counts[Severity.INFO] and not counts[Severity.OK]:
        return ":large_blue_circle: Here is what that means"
    return f"{SEVERITY_MARK[Severity.OK]} Looks right"


def explainable_codes(report: SafeReport) -> frozenset[str]:
    """Finding codes with a deep knowledge entry, which earn an "Explain more" button."""
    require_safe(report)
    kb = load_knowledge()
    return frozenset(f.code for f in report.findings if (e := kb.get(f.code)) is not None and e.deep)


def render_report(report: SafeReport, *, explainable: frozenset[str] = frozenset(), shared_by: str | None = None,
                  share_id: str | None = None, extra_actions: Sequence[ButtonElement] = (),
                  max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[Block]:
    """Blocks for ``report``. ``explainable`` holds finding codes with a deeper knowledge entry,
    which get an "Explain more" button. ``shared_by`` (a user id) marks a report shared in a channel;
    ``share_id`` (a saved snapshot) adds the "Share in channel" button; ``extra_actions`` (at most 4,
    e.g. "Start checklist") go beside it. Only a sealed report is accepted (``bot.redaction``)."""
    require_safe(report)
    blocks: list[Block] = [HeaderBlock(text=clip(verdict(report), MAX_HEADER_TEXT))]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_context_line(report, shared_by))]))
    if report.secret_seen and shared_by is None:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=(
            ":lock: Your paste held a token or secret. It was not stored, logged or shown here; only a "
            "fingerprint is. Next time use `/sso token` to paste it privately."))))
    findings = sorted(report.findings, key=lambda f: -f.severity.rank)
    budget = max_blocks - _FIXED_BLOCKS
    shown, folded = _split_by_budget(findings, budget)
    for finding in shown:
        blocks.extend(_finding_blocks(finding, finding.code in explainable))
    if folded:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_folded_text(folded))))
    buttons = [ButtonElement(text="Share in channel", action_id=ReportIds.SHARE, value=share_id)] if share_id else []
    buttons += list(extra_actions)[:4]
    if buttons:
        blocks.append(ActionsBlock(block_id=REPORT_ACTIONS_BLOCK, elements=buttons))
    return blocks[:max_blocks]


def fallback_text(report: SafeReport) -> str:
    """The notification and screen-reader text for the message."""
    require_safe(report)
    first = next(iter(sorted(report.findings, key=lambda f: -f.severity.rank)), None)
    return clip(f"{verdict(report)}: {first.title}" if first else verdict(report), 300)


def _context_line(report: SafeReport, shared_by: str | None) -> str:
    kinds = ", ".join(k.replace("_", " ") for k in report.inputs) or "nothing I can check"
    line = f"Recognised: {escape_mrkdwn(kinds)}"
    if shared_by:
        line = f"Shared by <@{shared_by}> · " + line
    return clip(line, MAX_SECTION_TEXT)


def _split_by_budget(findings: Sequence[Finding], budget: int) -> tuple[list[Finding], list[Finding]]:
    fits = max(0, budget // _BLOCKS_PER_FINDING)
    if len(findings) <= fits:
        return list(findings), []
    return list(findings[: max(0, fits - 1)]), list(findings[max(0, fits - 1):])


def _finding_blocks(finding: Finding, explainable: bool) -> list[Block]:
    mark = SEVERITY_MARK[finding.severity]
    head = f"{mark} *{SEVERITY_WORD[finding.severity]}: {escape_mrkdwn(finding.title)}*"
    body = format_detail(finding.detail)
    text = clip(f"{head}\n{body}".strip(), MAX_SECTION_TEXT)
    section = SectionBlock(text=MarkdownTextObject(text=text))
    if explainable:
        section = SectionBlock(text=MarkdownTextObject(text=text), accessory=ButtonElement(
            text="Explain more", action_id=ReportIds.EXPLAIN, value=finding.code[:2000]))
    blocks: list[Block] = [section]
    tail = _fix_and_refs(finding)
    blocks.append(SectionBlock(text=MarkdownTextObject(text=tail)) if tail else DividerBlock())
    return blocks


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


def _fix_and_refs(finding: Finding) -> str:
    lines: list[str] = []
    if finding.fix:
        lines.append("*Fix*")
        lines += [f"{i}. {escape_mrkdwn(step)}" for i, step in enumerate(finding.fix, start=1)]
    if finding.refs:
        lines.append("*References* " + " · ".join(_link(ref) for ref in finding.refs))
    return clip("\n".join(lines), MAX_SECTION_TEXT)


def _link(ref: str) -> str:
    if ref.startswith(("https://", "http://")) and not any(c in ref for c in "<>| "):
        label = ref.split("://", 1)[1].split("/", 1)[0]
        return f"<{ref}|{label}>"
    return escape_mrkdwn(ref)


def _folded_text(folded: Sequence[Finding]) -> str:
    lines = [f"*{len(folded)} more finding{'s' if len(folded) > 1 else ''}* (run `sso-bot diagnose` for all of them):"]
    lines += [f"{SEVERITY_MARK[f.severity]} {escape_mrkdwn(f.title)}" for f in folded]
    return clip("\n".join(lines), MAX_SECTION_TEXT)
