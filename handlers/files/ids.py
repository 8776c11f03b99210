"""The file feature's Slack ids: one enum, nothing else defines them."""

from __future__ import annotations

from enum import StrEnum


class FileId(StrEnum):
    MODAL = "file.modal"
    INPUT_BLOCK = "file.input"
    AUDIENCE_BLOCK = "file.audience"  # optional: the SP's entity ID, compared with SAML Responses in the file
    SHARE_TO_BLOCK = "file.share_to"  # optional, on a form opened without a channel (Home tab): where to share
    OPEN_MODAL = "file.open_modal"
    SHARE = "file.share"  # Share in channel, from the answer in the modal (the channel is the view's metadata)
    ANSWER_ACTIONS = "file.answer_actions"
