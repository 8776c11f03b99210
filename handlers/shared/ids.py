"""The ids of the buttons under a report, whichever feature posted it (the diagnose feature answers
them): Slack sends them back, so they are part of our contract."""

from __future__ import annotations

from enum import StrEnum


class ReportIds(StrEnum):
    SHARE = "report.share"
    EXPLAIN = "report.explain"


REPORT_ACTIONS_BLOCK = "report.actions"
