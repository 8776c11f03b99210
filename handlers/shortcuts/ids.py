"""The shortcuts feature's ids: the manifest declares the two callback ids and Slack sends all three back,
so they are part of our contract (``tests/contract/test_manifest.py`` compares them)."""

from __future__ import annotations

from enum import StrEnum


class ShortcutIds(StrEnum):
    DIAGNOSE_MESSAGE = "shortcut.diagnose_message"  # message shortcut "Diagnose this message"
    OPEN_DIAGNOSE = "shortcut.open_diagnose"  # global shortcut: the diagnose form
    SHARE_IN_THREAD = "shortcut.share_in_thread"  # button under the private answer
