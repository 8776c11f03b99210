"""The checklist feature's ids: Slack sends them back, so they are part of our contract."""

from __future__ import annotations

import re
from enum import StrEnum


class ChecklistIds(StrEnum):
    # value: JSON {"checklist": "<definition id>", "idp": "entra"|"okta"|null}; started in the clicked channel
    START = "checklist.start"
    TICK = "checklist.tick"
    RUN_CHECK = "checklist.check"          # + ".<n>": action ids must be unique within a block
    EXPORT = "checklist.export"
    CLOSE = "checklist.close"
    RESUMED_YES = "checklist.resumed.yes"
    RESUMED_NO = "checklist.resumed.no"
    CHECK_MODAL = "checklist.check_modal"
    CHECK_INPUT = "checklist.check_input"


RUN_CHECK_PATTERN = re.compile(r"^checklist\.check\.\d{1,2}$")
