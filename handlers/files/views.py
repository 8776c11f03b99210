"""The *Diagnose a file* modal, built with slack_sdk.models."""

from __future__ import annotations

from slack_sdk.models.blocks import InputBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.blocks.block_elements import FileInputElement
from slack_sdk.models.views import View

from handlers.files.ids import FileId
from handlers.shared.limits import clip, escape_mrkdwn
from handlers.shared.modals import problem_blocks

INPUT_ACTION = "value"
MAX_FILE_MB = 100
FILETYPES = ["har", "json", "jsonl", "csv", "txt", "log"]


def file_modal(problem: str = "") -> View:
    """Upload a HAR capture or a log export; the answer replaces the form."""
    return View(
        type="modal", callback_id=FileId.MODAL, title="Diagnose a file", submit="Read it", close="Cancel",
        blocks=[
            *problem_blocks(problem),
            SectionBlock(text=MarkdownTextObject(text=(
                ":page_facing_up: A *HAR capture* of a failed sign-in (browser dev tools → Network → Save all as "
                "HAR), or an *export*: Entra provisioning or sign-in logs (CSV or JSON), Okta's System Log (JSON "
                f"or CSV). Up to {MAX_FILE_MB} MB. :lock: Cookies, tokens, codes and passwords in it are hidden "
                "before anything is shown, and the file is deleted as soon as it is read: only this answer remains."))),
            InputBlock(block_id=FileId.INPUT_BLOCK, label="File",
                       element=FileInputElement(action_id=INPUT_ACTION, filetypes=FILETYPES, max_files=1)),
        ],
    )


def reading_modal(name: str) -> View:
    return View(type="modal", callback_id=FileId.MODAL, title="Diagnose a file", close="Close",
                blocks=[SectionBlock(text=MarkdownTextObject(text=clip(
                    f":hourglass_flowing_sand: Reading `{escape_mrkdwn(name)}`…", 3000)))])
