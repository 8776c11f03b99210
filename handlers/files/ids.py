"""The file feature's Slack ids: one enum, nothing else defines them."""

from __future__ import annotations

from enum import StrEnum


class FileId(StrEnum):
    MODAL = "file.modal"
    INPUT_BLOCK = "file.input"
    OPEN_MODAL = "file.open_modal"
