"""Stable ids for buttons and modals: Slack sends them back, so they are part of our contract."""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    SHARE_REPORT = "report.share"
    EXPLAIN_MORE = "report.explain"
    OPEN_DIAGNOSE_MODAL = "home.open_diagnose"
    OPEN_TOKEN_MODAL = "home.open_token"
    # value: JSON {"checklist": "<definition id>", "idp": "entra"|"okta"|null}; started in the clicked channel
    START_CHECKLIST = "checklist.start"


class CallbackId(StrEnum):
    DIAGNOSE_MODAL = "diagnose.modal"
    TOKEN_MODAL = "token.modal"


class BlockId(StrEnum):
    DIAGNOSE_INPUT = "diagnose.input"
    TOKEN_INPUT = "token.input"
    ISSUED_INPUT = "token.issued"
    REPORT_ACTIONS = "report.actions"
