"""The ids of the buttons under a report, whichever feature posted it (the diagnose feature answers
them): Slack sends them back, so they are part of our contract."""

from __future__ import annotations

from enum import StrEnum


class ReportIds(StrEnum):
    SHARE = "report.share"
    EXPLAIN = "report.explain"  # opens a knowledge entry (value: its id); ``report.explain.<n>`` in a row of them
    MORE = "report.more"  # shows one finding in full, in place (value: ``<snapshot id>|<finding code>``)
    LESS = "report.less"  # back to the first view (value: ``<snapshot id>|``)
    COMPARE = "report.compare"  # opens the diagnose form to compare a quoted redirect URI (value: the URI)


REPORT_ACTIONS_BLOCK = "report.actions"
