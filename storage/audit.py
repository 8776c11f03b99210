"""Audit-log writes and reads.

Writes go through ``AuditLog``, which hands rows to one background thread
that inserts them in batches. A listener therefore never waits on the
database after it has answered Slack, and thirty concurrent ``/sso`` calls
cost one transaction instead of thirty competing ones (SQLite serialises
writers). ``flush()`` waits until everything queued so far is written.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from sqlalchemy import insert
from sqlmodel import col, select

from storage.engine import Database
from storage.models import AuditEvent
from storage.types import utcnow

log = logging.getLogger("sso_bot.audit")

_BATCH = 200
_ATTEMPTS = 3


@dataclass(frozen=True)
class _Flush:
    done: threading.Event


_STOP = object()


def audit_values(*, team_id: str, user_id: str, action: str, input_kinds: Iterable[str] = (), outcome: str,
                 detail: str = "") -> dict:
    """One audit row's values, clipped to the column sizes. ``detail`` is a short code, never user text.
    Plain values, not a model object: this runs on the listener thread, after every /sso call."""
    return {
        "team_id": (team_id or "?")[:32],
        "user_id": (user_id or "?")[:32],
        "action": action[:64],
        "input_kinds": ",".join(input_kinds)[:255],
        "outcome": outcome[:32],
        "detail": detail[:255],
        "created_at": utcnow(),
    }


def audit_row(**fields) -> AuditEvent:
    """One audit row as a model object (see ``audit_values`` for the fields)."""
    return AuditEvent(**audit_values(**fields))


def record_audit(db: Database, **fields) -> AuditEvent:
    """Write one audit row now, in the caller's thread (CLI commands, tests)."""
    row = audit_row(**fields)
    with db.session() as session:
        session.add(row)
    return row


class AuditLog:
    """Queue audit rows and write them in batches on one background thread.

    ``scrub`` cleans the free-text fields (detail, kinds, outcome) of every row before it is queued: the
    composition root passes the core's redaction (``bot.redaction.redact_text``), which storage cannot import.
    """

    def __init__(self, db: Database, scrub: Callable[[str], str] | None = None) -> None:
        self._db = db
        self._scrub = scrub
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()

    def record(self, **fields) -> None:
        values = audit_values(**fields)
        if self._scrub is not None:
            for key in ("input_kinds", "outcome", "detail"):
                values[key] = self._scrub(values[key])[:255]
        self._queue.put(values)

    def flush(self, timeout: float = 10.0) -> None:
        done = threading.Event()
        self._queue.put(_Flush(done))
        if not done.wait(timeout):
            raise TimeoutError("audit rows not written in time")

    def close(self) -> None:
        self.flush()
        self._queue.put(_STOP)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            batch: list[dict] = []
            waiting: list[_Flush] = []
            item = self._queue.get()
            while True:
                if item is _STOP:
                    self._write(batch)
                    return
                if isinstance(item, _Flush):
                    waiting.append(item)
                else:
                    batch.append(item)
                if len(batch) >= _BATCH:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            self._write(batch)
            for flush in waiting:
                flush.done.set()

    def _write(self, batch: list[dict]) -> None:
        if not batch:
            return
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                # One multi-row INSERT: the batch exists to make a burst of calls cost one statement.
                with self._db.session() as session:
                    session.execute(insert(AuditEvent), batch)
                return
            except Exception:
                log.exception("audit batch of %d rows failed (attempt %d of %d)", len(batch), attempt, _ATTEMPTS)
        log.error("dropped %d audit rows after %d attempts", len(batch), _ATTEMPTS)


def recent_audit(db: Database, *, team_id: str | None = None, limit: int = 50) -> Sequence[AuditEvent]:
    """The newest audit rows first, optionally for one workspace."""
    query = select(AuditEvent).order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc()).limit(limit)
    if team_id is not None:
        query = query.where(AuditEvent.team_id == team_id)
    with db.session() as session:
        return session.exec(query).all()
