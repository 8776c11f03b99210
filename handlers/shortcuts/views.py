"""The private answer to "Diagnose this message": the report as ``/sso diagnose`` draws it, with *Share in
thread* instead of *Share in channel*, and a line above it when the answer came by DM or a file could not
be read."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Sequence

from slack_sdk.models.blocks import Block, ButtonElement, ContextBlock, MarkdownTextObject

from bot.redaction import SafeReport
from handlers.shared.limits import MAX_MESSAGE_BLOCKS, clip, escape_mrkdwn
from handlers.shared.report import explainable_codes, render_report
from handlers.shortcuts.ids import ShortcutIds

_CHANNEL = re.compile(r"[CGD][A-Z0-9]{2,30}")
_TS = re.compile(r"\d{1,12}\.\d{1,9}")


@dataclass(frozen=True)
class ThreadTarget:
    """Where *Share in thread* posts: the snapshot to share, the channel and the thread's parent message."""

    share_id: str
    channel: str
    thread_ts: str

    def to_value(self) -> str:
        return json.dumps({"s": self.share_id, "c": self.channel, "t": self.thread_ts}, separators=(",", ":"))

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> "ThreadTarget | None":
        """The target a button carried back, or None when it is not one of ours."""
        share_id, channel, ts = value.get("s"), value.get("c"), value.get("t")
        if not (isinstance(share_id, str) and share_id and isinstance(channel, str) and isinstance(ts, str)):
            return None
        if not (_CHANNEL.fullmatch(channel) and _TS.fullmatch(ts)):
            return None
        return cls(share_id, channel, ts)


def private_answer(report: SafeReport, *, target: ThreadTarget | None, extra: Sequence[ButtonElement] = (),
                   notes: Sequence[str] = ()) -> list[Block]:
    """The blocks of the private answer: ``notes`` (plain sentences) first, then the report."""
    buttons = [ButtonElement(text="Share in thread", action_id=ShortcutIds.SHARE_IN_THREAD, value=target.to_value())
               ] if target else []
    blocks: list[Block] = [ContextBlock(elements=[MarkdownTextObject(text=clip(escape_mrkdwn(note), 2000))])
                           for note in notes if note]
    blocks += render_report(report, explainable=explainable_codes(report), extra_actions=[*buttons, *extra],
                            max_blocks=MAX_MESSAGE_BLOCKS - len(blocks))
    return blocks


def nothing_to_read(problem: str) -> str:
    """What to say when the message holds nothing sso-bot can diagnose."""
    text = ":thinking_face: That message has no text, HAR capture or log export I can diagnose"
    if problem:
        return f"{text}. {problem}"
    return text + ". Use the shortcut on the message with the error, or paste it into `/sso diagnose`."
