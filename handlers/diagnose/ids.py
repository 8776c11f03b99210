"""The diagnose feature's ids: Slack sends them back, so they are part of our contract."""

from __future__ import annotations

from enum import StrEnum


class DiagnoseIds(StrEnum):
    """Buttons and modals the diagnose listeners answer."""

    OPEN_DIAGNOSE_MODAL = "home.open_diagnose"
    OPEN_TOKEN_MODAL = "home.open_token"
    DIAGNOSE_MODAL = "diagnose.modal"
    TOKEN_MODAL = "token.modal"


class DiagnoseBlock(StrEnum):
    """Input blocks inside those modals (no listener of their own)."""

    DIAGNOSE_INPUT = "diagnose.input"
    TOKEN_INPUT = "token.input"
    ISSUED_INPUT = "token.issued"
