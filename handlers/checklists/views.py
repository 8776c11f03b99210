"""Checklist messages as Block Kit: the parent in the channel, one message per group in its
thread (checkboxes, at most 10 per element), the picker, the check modal, the summary, the
follow-up, the nudge, the export and the Home section.

The ids of the interactive parts live here too. A checkbox element's block id
carries the run, the group and chunk, and the mask of what the element shows
ticked (``cl.tick|<run>|<group>.<chunk>|0110``): ``bot.checklists.selection_delta``
needs it to tell a person's own click from a tick someone else made meanwhile.
"""

from __future__ import annotations

import json
import re
from typing import Sequence

from slack_sdk.models.blocks import (ActionsBlock, Block, ButtonElement, CheckboxesElement, ConfirmObject,
                                     ContextBlock, DividerBlock, HeaderBlock, InputBlock, MarkdownTextObject, Option,
                                     PlainTextInputElement, SectionBlock)
from slack_sdk.models.views import View

from bot.checklist_defs import CHECKS, IDPS, ChecklistDef, ChecklistLibrary
from bot.checklists import (Item, Run, Summary, encode_mask, format_duration, progress_bar, state_word)
from handlers.checklists.ids import ChecklistIds
from handlers.shared.dates import slack_time
from handlers.shared.limits import (MAX_HEADER_TEXT, MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT,
                                   MAX_VIEW_BLOCKS, clip, escape_mrkdwn)
from handlers.shared.modals import INPUT_ACTION, MAX_MODAL_INPUT


TICK_BLOCK = "cl.tick"
PICK_BLOCK = "cl.pick"
_TICK_BLOCK_RE = re.compile(r"^cl\.tick\|([0-9a-f]{1,32})\|(\d{1,3})\.(\d{1,2})\|([01]{0,10})$")

DONE_MARK = ":white_check_mark:"
OPEN_MARK = ":white_large_square:"

_CHECK_INPUT_LABEL = {
    "scim_url": "SCIM base URL (Tenant URL / SCIM 2.0 Base URL)",
    "token": "SCIM token or JWT (read once, never stored or posted)",
    "redirect": "Registered redirect URI, then the one the app sends",
    "domains": "Allowed domains, and optionally an email to test",
}
_CHECK_PLACEHOLDER = {
    "scim_url": "https://app.example.com/auth/realms/<realm>/org/<client-guid>/scim/v2",
    "token": "eyJ… or the opaque token",
    "redirect": "https://app.example.com/callback https://app.example.com/callback/",
    "domains": "example.com, example.co.uk jane@example.com",
}


# --------------------------------------------------------------------------- ids


def tick_block_id(run: Run, group: int, chunk: int, items: Sequence[Item]) -> str:
    return f"{TICK_BLOCK}|{run.id}|{group}.{chunk}|{encode_mask(items)}"


def parse_tick_block_id(block_id: str) -> tuple[str, int, int, str] | None:
    """(run id, group, chunk, mask) from a checkbox element's block id, or None."""
    match = _TICK_BLOCK_RE.match(block_id or "")
    if not match:
        return None
    return match.group(1), int(match.group(2)), int(match.group(3)), match.group(4)


def start_value(checklist_id: str, idp: str | None) -> str:
    return json.dumps({"checklist": checklist_id, "idp": idp})


def start_button(checklist_id: str, idp: str | None, label: str, *, primary: bool = False) -> ButtonElement:
    return ButtonElement(text=clip(label, 75), action_id=ChecklistIds.START, value=start_value(checklist_id, idp),
                         style="primary" if primary else None)


# --------------------------------------------------------------------------- the parent message


def parent_text(run: Run) -> str:
    """Fallback and notification text for the parent: the title and the count."""
    return clip(f"{run.display_title}: {run.progress} steps done ({state_word(run)})", 300)


def progress_line(run: Run) -> str:
    return f"`{progress_bar(run.progress)}`  *{run.progress}* done"


def render_parent(run: Run) -> list[Block]:
    started = f"Started by <@{run.started_by}> · IdP: *{escape_mrkdwn(run.idp_name)}*"
    blocks: list[Block] = [
        HeaderBlock(text=clip(run.display_title, MAX_HEADER_TEXT)),
        SectionBlock(text=MarkdownTextObject(text=f"{started}\n{progress_line(run)}")),
        ContextBlock(elements=[MarkdownTextObject(text=_state_context(run))]),
    ]
    buttons = [ButtonElement(text="Export for a ticket", action_id=ChecklistIds.EXPORT, value=run.id)]
    if not run.is_closed:
        buttons.append(ButtonElement(
            text="Close checklist", action_id=ChecklistIds.CLOSE, value=run.id,
            confirm=ConfirmObject(title="Close this checklist?", text="Nobody can tick its steps after this.",
                                  confirm="Close it", deny="Keep it open")))
    blocks.append(ActionsBlock(block_id=f"cl.parent|{run.id}", elements=buttons))
    return blocks


def _state_context(run: Run) -> str:
    if run.is_closed:
        how = "confirmed provisioning resumed and closed it" if run.resolution == "resumed" else "closed it"
        return f":lock: <@{run.closed_by}> {how}." if run.closed_by else ":lock: Closed."
    if run.is_complete:
        return f"{DONE_MARK} All {run.progress.total} steps done in {format_duration(_duration(run))}."
    return "Tick the steps in the thread below; anyone in this channel can help. Progress is saved."


def _duration(run: Run):
    return (run.completed_at - run.started_at) if run.completed_at else None


# --------------------------------------------------------------------------- the group messages


def group_text(run: Run, group: int) -> str:
    info = run.groups[group]
    items = run.items_in(group)
    done = sum(1 for i in items if i.done)
    return clip(f"{info.title}: {done}/{len(items)} done", 300)


def render_group(run: Run, group: int) -> list[Block]:
    """One group of steps: a heading, checkbox elements of at most 10, who ticked what, check buttons."""
    info = run.groups[group]
    head = f"*{escape_mrkdwn(info.title)}*"
    if info.intro:
        head += "\n" + escape_mrkdwn(info.intro)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=clip(head, MAX_SECTION_TEXT)))]
    if run.is_closed:
        lines = [f"{DONE_MARK if i.done else OPEN_MARK} {escape_mrkdwn(i.text)}" for i in run.items_in(group)]
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines), MAX_SECTION_TEXT))))
    else:
        for index, chunk in enumerate(run.chunks(group)):
            options = [_option(item) for item in chunk]
            ticked = [_option(item) for item in chunk if item.done]
            blocks.append(ActionsBlock(block_id=tick_block_id(run, group, index, chunk), elements=[
                CheckboxesElement(action_id=ChecklistIds.TICK, options=options, initial_options=ticked or None)]))
    who = [f"{DONE_MARK} {escape_mrkdwn(clip(i.text, 48))} · <@{i.done_by}> {slack_time(i.done_at)}"
           for i in run.items_in(group) if i.done and i.done_by and i.done_at]
    if who:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip("\n".join(who), 2000))]))
    checks = [i for i in run.items_in(group) if i.check]
    if checks and not run.is_closed:
        blocks.append(ActionsBlock(block_id=f"cl.checks|{run.id}|{group}", elements=[
            ButtonElement(text=_check_label(checks, i, n), action_id=f"{ChecklistIds.RUN_CHECK}.{n}",
                          value=f"{run.id}|{i.id}")
            for n, i in enumerate(checks[:25])]))
    return blocks[:MAX_MESSAGE_BLOCKS]


def _check_label(checks: Sequence[Item], item: Item, n: int) -> str:
    """"Run check: SCIM URL", numbered when a group links the same check twice."""
    repeated = sum(1 for i in checks if i.check == item.check) > 1
    return clip(f"Run check: {CHECKS[item.check or '']}" + (f" ({n + 1})" if repeated else ""), 75)


def _option(item: Item) -> Option:
    return Option(value=item.id, text=MarkdownTextObject(text=escape_mrkdwn(item.text)),
                  description=MarkdownTextObject(text=escape_mrkdwn(item.detail)) if item.detail else None)


# --------------------------------------------------------------------------- pickers


def render_picker(library: ChecklistLibrary) -> list[Block]:
    """``/sso checklist`` with nothing after it: every checklist, with a Start button."""
    blocks: list[Block] = [HeaderBlock(text="Start a checklist")]
    for definition in library:
        choices: list[str | None] = list(definition.idps) if definition.requires_idp else [None]
        for n, idp in enumerate(choices):
            name = f"{definition.title}: {IDPS[idp]}" if idp else definition.title
            # One summary per checklist: its other IdPs' lines say what differs instead of repeating it.
            about = definition.summary if n == 0 else f"The same steps, on {IDPS[idp]}'s screens and fields."
            blocks.append(SectionBlock(
                block_id=f"{PICK_BLOCK}|{definition.id}|{idp or '-'}",
                text=MarkdownTextObject(text=clip(f"*{escape_mrkdwn(name)}*\n{escape_mrkdwn(about)}",
                                                  MAX_SECTION_TEXT)),
                accessory=start_button(definition.id, idp, "Start")))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=(
        "It starts in this channel: a message with the progress, and the steps in its thread, "
        "for everyone here to tick. Or type it: `/sso checklist 401 okta`, `/sso checklist sso`."))]))
    return blocks[:MAX_MESSAGE_BLOCKS]


def render_idp_picker(definition: ChecklistDef) -> list[Block]:
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=(
        f"*{escape_mrkdwn(definition.title)}*: which identity provider holds the SCIM settings?")))]
    for idp in definition.idps:
        blocks.append(SectionBlock(block_id=f"{PICK_BLOCK}|{definition.id}|{idp}",
                                   text=MarkdownTextObject(text=escape_mrkdwn(IDPS[idp])),
                                   accessory=start_button(definition.id, idp, f"Start for {IDPS[idp]}")))
    return blocks


def picker_text(library: ChecklistLibrary) -> str:
    return "Checklists: " + ", ".join(d.title for d in library)


# --------------------------------------------------------------------------- thread replies


def render_summary(run: Run, summary: Summary, item_texts: dict[str, str]) -> list[Block]:
    lines = [f":tada: *All {summary.progress.total} steps are done* in {format_duration(summary.duration)}."]
    who = []
    for user, ids in summary.by_user:
        named = ", ".join(clip(item_texts.get(i, i), 40) for i in ids[:6]) + ("…" if len(ids) > 6 else "")
        who.append(f"• <@{user}> ticked {len(ids)}: {escape_mrkdwn(named)}")
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines + who), MAX_SECTION_TEXT)))]
    notes = []
    if summary.checks:
        notes.append(f"{summary.checks} check{'s' if summary.checks != 1 else ''} run in this thread.")
    if run.follow_up_minutes:
        notes.append(f"In {run.follow_up_minutes} minutes I'll ask here whether provisioning has resumed "
                     "(the platform applies SCIM changes every 10 minutes).")
    notes.append("*Export for a ticket* on the message above gives a summary to paste into a support case.")
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=" ".join(notes))]))
    return blocks


def summary_text(run: Run) -> str:
    return f"All {run.progress.total} steps of {run.display_title} are done."


def render_follow_up(run: Run) -> list[Block]:
    minutes = run.follow_up_minutes or 10
    return [
        SectionBlock(text=MarkdownTextObject(text=(
            f":hourglass: It's been {minutes} minutes since this recovery was finished. "
            "*Has provisioning resumed?* A user or group change made in the IdP since should now show up "
            "in the platform, and the IdP's provisioning log should show successes."))),
        ActionsBlock(block_id=f"cl.followup|{run.id}", elements=[
            ButtonElement(text="Yes, it's working", action_id=ChecklistIds.RESUMED_YES, value=run.id, style="primary"),
            ButtonElement(text="No, still failing", action_id=ChecklistIds.RESUMED_NO, value=run.id),
        ]),
    ]


def follow_up_text() -> str:
    return "Has provisioning resumed?"


def render_follow_up_answer(user_id: str, resumed: bool) -> list[Block]:
    text = (f"{DONE_MARK} <@{user_id}> confirmed provisioning has resumed. Checklist closed."
            if resumed else f":x: <@{user_id}> says provisioning has not resumed yet.")
    return [SectionBlock(text=MarkdownTextObject(text=text))]


def render_next_steps(run: Run, more: Sequence[ButtonElement] = ()) -> list[Block]:
    """What to do after a 401 recovery that did not bring provisioning back; ``more`` are other features'
    next steps (a diagnosis, through ``hooks.next_steps``)."""
    return [
        SectionBlock(text=MarkdownTextObject(text=(
            "Next: work through the SCIM quick check (URL, token, mappings, logs), or paste the newest "
            "provisioning-log error into a diagnosis to see what it means."))),
        ActionsBlock(block_id=f"cl.next|{run.id}", elements=[
            start_button("scim-quick", run.idp, "Start the SCIM checklist", primary=True),
            *more,
        ]),
    ]


def render_nudge(run: Run) -> list[Block]:
    return [SectionBlock(text=MarkdownTextObject(text=(
        f":wave: This checklist has been quiet for a day, with *{run.progress}* steps done. "
        "Pick it up where you left off when you can, or press *Close checklist* on the message above "
        "if it's no longer needed. (I won't mention it again.)")))]


def nudge_text(run: Run) -> str:
    return f"{run.display_title} has been quiet for a day ({run.progress} done)."


def render_export(text: str) -> list[Block]:
    """The export as code blocks (one per 3000 characters), ready to copy into a ticket."""
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=(
        ":clipboard: *Checklist export* for a support ticket. Redacted: no tokens, nothing pasted into checks.")))]
    budget = MAX_SECTION_TEXT - 8
    chunk: list[str] = []
    size = 0
    pieces: list[str] = []
    for line in text.split("\n"):
        line = clip(line, budget)
        if size + len(line) + 1 > budget and chunk:
            pieces.append("\n".join(chunk))
            chunk, size = [], 0
        chunk.append(line)
        size += len(line) + 1
    if chunk:
        pieces.append("\n".join(chunk))
    for piece in pieces[:MAX_MESSAGE_BLOCKS - 1]:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"```{escape_mrkdwn(piece)}```")))
    return blocks


def render_check_context(item: Item, user_id: str, check: str) -> Block:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(
        f"<@{user_id}> ran the {CHECKS.get(check, check)} check for “{escape_mrkdwn(item.text)}”", 2000))])


def render_token_note(item: Item, user_id: str, verdict: str) -> list[Block]:
    return [SectionBlock(text=MarkdownTextObject(text=clip(
        f":lock: <@{user_id}> checked a token privately for “{escape_mrkdwn(item.text)}”: {verdict}. "
        "The token was not stored or posted.", MAX_SECTION_TEXT)))]


# --------------------------------------------------------------------------- the check modal


def check_modal(run: Run, item: Item) -> View:
    kind = item.check or "scim_url"
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=clip(
        f"Step: *{escape_mrkdwn(item.text)}*\nThe result is posted in the checklist's thread.", MAX_SECTION_TEXT)))]
    if kind == "token":
        blocks = [SectionBlock(text=MarkdownTextObject(text=clip(
            f"Step: *{escape_mrkdwn(item.text)}*\n:lock: The token is read once to find its expiry and dropped: "
            "the full result shows here only, and the thread gets just the verdict.", MAX_SECTION_TEXT)))]
    blocks.append(InputBlock(
        block_id=ChecklistIds.CHECK_INPUT, label=_CHECK_INPUT_LABEL[kind],
        element=PlainTextInputElement(action_id=INPUT_ACTION, multiline=kind in ("redirect", "domains"),
                                      max_length=MAX_MODAL_INPUT, placeholder=_CHECK_PLACEHOLDER[kind])))
    return View(type="modal", callback_id=ChecklistIds.CHECK_MODAL, title="Run check", submit="Check",
                close="Cancel", private_metadata=json.dumps({"run": run.id, "item": item.id}),
                blocks=blocks[:MAX_VIEW_BLOCKS])


# --------------------------------------------------------------------------- App Home


def render_home_section(runs: Sequence[tuple[Run, str]], more: int = 0) -> list[Block]:
    """Open checklists for the Home tab; ``runs`` are (run, channel id) pairs."""
    if not runs:
        text = "*Open checklists*\nNone right now. Start one in a channel with `/sso checklist`."
    else:
        lines = ["*Open checklists*"]
        for run, channel in runs:
            lines.append(f"• <#{channel}> {escape_mrkdwn(run.display_title)}  `{progress_bar(run.progress)}` "
                         f"{run.progress} · started by <@{run.started_by}> {slack_time(run.started_at)}")
        if more > 0:
            lines.append(f"…and {more} more.")
        text = "\n".join(lines)
    return [SectionBlock(text=MarkdownTextObject(text=clip(text, MAX_SECTION_TEXT))), DividerBlock()]



# --------------------------------------------------------------------------- /sso status


def render_status_section(runs: Sequence[tuple[Run, str, str | None]], more: int = 0) -> list[Block]:
    """Open checklists for ``/sso status``: ``runs`` are (run, channel id, permalink of its parent or
    None); each line links to its thread, with the progress and the last activity."""
    if not runs:
        return [SectionBlock(text=MarkdownTextObject(text=(
            "*Checklists*\n:white_check_mark: None open. Start one in a channel with `/sso checklist`.")))]
    lines = [f"*Checklists* · {len(runs) + more} open"]
    for run, channel, link in runs:
        title = escape_mrkdwn(clip(run.display_title, 80)).replace("|", "¦")
        named = f"<{link}|{title}>" if link else f"*{title}*"
        when = run.last_activity_at or run.started_at
        lines.append(f"• {named} in <#{channel}>  `{progress_bar(run.progress)}` {run.progress} · "
                     f"last activity {slack_time(when)}")
    if more > 0:
        lines.append(f"…and {more} more (the App Home lists them).")
    return [SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines), MAX_SECTION_TEXT)))]
