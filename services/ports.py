"""What the use cases need from the outside, as interfaces: the audit log and a way to post to Slack.

``storage.audit.AuditLog`` (the app's background writer) and :class:`DirectAudit` (one row now, for the
command line) are audit logs; ``handlers`` and the command line hand a Slack poster to the reminder
use case. Storage itself is passed as ``storage.Database``: its functions are the intent-named
queries, and the services call them directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Protocol

from bot.checklists import Run
from storage import Database
from storage.audit import record_audit


class Audit(Protocol):
    def record(self, *, team_id: str, user_id: str, action: str, input_kinds: Iterable[str] = (),
               outcome: str, detail: str = "") -> None: ...


@dataclass(frozen=True)
class DirectAudit:
    """Writes each row at once (a short-lived command has no background writer to flush)."""

    db: Database

    def record(self, **fields: Any) -> None:
        record_audit(self.db, **fields)


@dataclass(frozen=True)
class Posted:
    """What Slack answered to a post: the message's ts, or the error code and a Retry-After."""

    ts: str = ""
    error: str = ""
    retry_after: float | None = None  # set on a 429
    blocked: bool = False  # an error a retry next minute cannot fix (channel_not_found, invalid_auth …)

    @property
    def ok(self) -> bool:
        return not self.error


class SlackPoster(Protocol):
    """``chat.postMessage`` without retries of its own (the reminder ledger decides when to retry)."""

    def post(self, channel: str, message: dict[str, Any]) -> Posted: ...


class RunPoster(Protocol):
    """Posts a new checklist run (``services.checklists.start``): its parent in the channel, then each group
    in the parent's thread. Each returns where the message went; a failure raises."""

    def parent(self, run: Run, channel_id: str) -> tuple[str, str]: ...  # (channel, ts)

    def group(self, run: Run, group: int, channel_id: str, parent_ts: str) -> str: ...  # ts
