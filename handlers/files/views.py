"""The *Diagnose a file* modal, built with slack_sdk.models."""

from __future__ import annotations

from slack_sdk.models.blocks import (ActionsBlock, Block, ButtonElement, ContextBlock, InputBlock, MarkdownTextObject,
                                     SectionBlock)
from slack_sdk.models.blocks.block_elements import (ConversationFilter, ConversationSelectElement, FileInputElement,
                                                   PlainTextInputElement)
from slack_sdk.models.views import View

from handlers.files.ids import FileId
from handlers.shared.limits import MAX_SECTION_TEXT, MAX_VIEW_BLOCKS, clip, escape_mrkdwn
from handlers.shared.modals import problem_blocks

INPUT_ACTION = "value"
MAX_FILE_MB = 100
FILETYPES = ["har", "json", "jsonl", "csv", "txt", "log", "xml"]
MAX_ENTITY_ID = 1024


def file_modal(problem: str = "", channel: str = "") -> View:
    """Upload a HAR capture or a log export; the answer replaces the form. ``channel`` (where /sso file was
    run) rides along as the view's metadata: it is where *Share in channel* posts the answer. A form opened
    without one (the Home tab) asks, optionally, for a channel to share in instead."""
    return View(
        type="modal", callback_id=FileId.MODAL, title="Diagnose a file", submit="Read it", close="Cancel",
        private_metadata=channel[:40],
        blocks=[
            *problem_blocks(problem),
            SectionBlock(text=MarkdownTextObject(text=(
                ":page_facing_up: A *HAR capture* of a failed sign-in (browser dev tools → Network → Save all as "
                "HAR), a *SAML Response* (XML or base64), or an *export*: Entra provisioning or sign-in logs (CSV or JSON), Okta's System Log (JSON "
                f"or CSV). Up to {MAX_FILE_MB} MB. :lock: Cookies, tokens, codes and passwords in it are hidden "
                "before anything is shown, and the file is deleted as soon as it is read: only this answer remains."))),
            InputBlock(block_id=FileId.INPUT_BLOCK, label="File",
                       element=FileInputElement(action_id=INPUT_ACTION, filetypes=FILETYPES, max_files=1)),
            InputBlock(block_id=FileId.AUDIENCE_BLOCK, label="SP entity ID (optional, for SAML)", optional=True,
                       hint="The service provider's entity ID: every SAML Response in the file is checked against it.",
                       element=PlainTextInputElement(action_id=INPUT_ACTION, max_length=MAX_ENTITY_ID,
                                                     placeholder="https://app.example.com/saml/metadata")),
            *([] if channel else [_share_to()]),
        ],
    )


def _share_to() -> InputBlock:
    """A channel picker: choosing one puts *Share in channel* under the answer; nothing is posted until it is
    pressed. Direct messages are left out: the answer is already private to the person reading it."""
    return InputBlock(block_id=FileId.SHARE_TO_BLOCK, label="Channel to share the answer in (optional)", optional=True,
                      hint="Only a button under the answer: nothing is posted until you press it.",
                      element=ConversationSelectElement(action_id=INPUT_ACTION, filter=ConversationFilter(
                          include=["public", "private"], exclude_bot_users=True)))


def reading_modal(name: str, channel: str = "") -> View:
    return View(type="modal", callback_id=FileId.MODAL, title="Diagnose a file", close="Close",
                private_metadata=channel[:40],
                blocks=[SectionBlock(text=MarkdownTextObject(text=clip(
                    f":hourglass_flowing_sand: Reading `{escape_mrkdwn(name)}`…", 3000)))])


# The answer's own blocks come first; these follow them: a line about the causes left out, a note, the button.
ANSWER_EXTRA_BLOCKS = 3


def answer_modal(blocks: list[Block], *, channel: str = "", share_id: str | None = None, causes_folded: int = 0,
                 note: str = "") -> View:
    """The report's blocks (``render_report``), then *Share in channel* when there is a channel to share to
    and something shareable. ``causes_folded`` says how many grouped failures the answer could not show."""
    extra: list[Block] = []
    if causes_folded:
        where = ("*Share in channel* posts the answer with all of them as a CSV in its thread; "
                 if share_id and channel else "")
        extra.append(ContextBlock(elements=[MarkdownTextObject(text=clip(
            f":page_facing_up: The export has {causes_folded} causes, more than fit here. {where}"
            "`sso-bot diagnose --file PATH --csv failures.csv` writes them all on your machine.", MAX_SECTION_TEXT))]))
    if note:
        extra.append(SectionBlock(text=MarkdownTextObject(text=clip(note, MAX_SECTION_TEXT))))
    if share_id and channel:
        extra.append(ActionsBlock(block_id=FileId.ANSWER_ACTIONS, elements=[
            ButtonElement(text="Share in channel", action_id=FileId.SHARE, value=share_id)]))
    kept = blocks[: MAX_VIEW_BLOCKS - len(extra)]
    return View(type="modal", title="File", close="Done", private_metadata=channel[:40],
                blocks=[*kept, *extra])
