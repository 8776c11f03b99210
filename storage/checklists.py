"""Checklist runs in the database: intent-named queries.

State is kept per item row. ``apply_ticks`` changes only the rows of the items
a person ticked or unticked (``UPDATE ... WHERE done = false``), never a list
rewritten from what someone read earlier, so two people ticking at the same
moment both keep their tick, on SQLite (writers serialised) and on PostgreSQL
(row locks). Each change first bumps the run's ``version`` with
``version = version + 1``: that statement also locks the run row, so the
"was that the last open item?" count that follows sees every committed tick
and exactly one transaction marks the run complete.

Nothing here imports ``bot`` or ``handlers``: callers pass plain values in and
get rows or small records back (a check's report only sealed, see ``record_check``).
"""

from __future__ import annotations

import json
import threading
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select
from sqlalchemy.engine import Engine

from storage.engine import Database
from storage.models import ChecklistEvent, ChecklistItem, ChecklistNotice, ChecklistRun
from storage.types import require_sealed

NOTICE_FOLLOW_UP = "follow-up"
NOTICE_NUDGE = "nudge"


@dataclass(frozen=True)
class NewItem:
    item_id: str
    group_index: int
    text: str
    detail: str = ""
    check_kind: str | None = None


@dataclass
class RunRecord:
    run: ChecklistRun
    items: list[ChecklistItem]
    checks: list[ChecklistEvent] = field(default_factory=list)


@dataclass(frozen=True)
class TickResult:
    ticked: tuple[str, ...]      # items this call marked done
    unticked: tuple[str, ...]    # items this call marked not done
    completed_now: bool          # this call ticked the last open item
    reopened: bool               # this call unticked an item of a completed run
    version: int
    record: RunRecord | None = None  # the run as committed by this call (no checks)


class RunClosed(Exception):
    """The run is closed (or does not exist) and takes no more ticks."""


# SQLite lets one writer in at a time and makes the others sleep in growing steps (up to 100 ms)
# until the lock frees, which turns a burst of clicks into a long tail. Within one process the
# checklist writers queue on a lock instead and wake the moment it is free. PostgreSQL locks rows
# and needs none of this. Keyed by engine, so two databases in one process do not wait on each other.
_WRITE_LOCKS: "weakref.WeakKeyDictionary[Engine, threading.Lock]" = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


@contextmanager
def _writing(db: Database):
    if db.engine.dialect.name != "sqlite":
        with db.session() as session:
            yield session
        return
    with _LOCKS_GUARD:
        lock = _WRITE_LOCKS.setdefault(db.engine, threading.Lock())
    with lock, db.session() as session:
        yield session


# --------------------------------------------------------------------------- starting


def create_run(db: Database, *, run_id: str, team_id: str, channel_id: str, definition_id: str, idp: str | None,
               title: str, groups: Sequence[Mapping[str, str]], started_by: str, follow_up_minutes: int | None,
               items: Sequence[NewItem], now: datetime) -> None:
    """Store a new run and its item snapshot (no parent message yet)."""
    with db.session() as session:
        session.add(ChecklistRun(id=run_id, team_id=team_id[:32], channel_id=channel_id[:32],
                                 definition_id=definition_id, idp=idp, title=title[:150],
                                 groups_json=json.dumps(list(groups)), started_by=started_by[:32], started_at=now,
                                 last_activity_at=now, follow_up_minutes=follow_up_minutes))
        session.flush()  # the items' foreign key needs the run row first
        for position, item in enumerate(items):
            session.add(ChecklistItem(run_id=run_id, item_id=item.item_id, position=position,
                                      group_index=item.group_index, text=item.text[:300], detail=item.detail[:300],
                                      check_kind=item.check_kind))


def attach_messages(db: Database, run_id: str, *, parent_ts: str, group_ts: Mapping[int, str],
                    channel_id: str | None = None) -> None:
    """Record where the run lives in Slack: the parent message (and the channel Slack put it in,
    e.g. a DM's id for a user id) and one thread message per group."""
    values: dict[str, str] = {"parent_ts": parent_ts[:32]}
    if channel_id:
        values["channel_id"] = channel_id[:32]
    with db.session() as session:
        session.exec(update(ChecklistRun).where(col(ChecklistRun.id) == run_id).values(**values))
        for group_index, ts in group_ts.items():
            session.exec(update(ChecklistItem)
                         .where(col(ChecklistItem.run_id) == run_id, col(ChecklistItem.group_index) == group_index)
                         .values(message_ts=ts))


def discard_run(db: Database, run_id: str) -> None:
    """Remove a run whose parent message could not be posted."""
    with db.session() as session:
        for model in (ChecklistNotice, ChecklistEvent, ChecklistItem):
            session.exec(delete(model).where(col(model.run_id) == run_id))
        session.exec(delete(ChecklistRun).where(col(ChecklistRun.id) == run_id))


# --------------------------------------------------------------------------- reading


def load_run(db: Database, run_id: str, *, team_id: str | None = None, with_checks: bool = True) -> RunRecord | None:
    """The run with its items (in order) and, unless told not to, the checks run in it.
    None if the run is unknown or belongs to another workspace."""
    with db.session() as session:
        run = session.get(ChecklistRun, run_id[:32])
        if run is None or (team_id is not None and run.team_id != team_id):
            return None
        items = _items(session, run.id)
        checks = list(session.exec(select(ChecklistEvent)
                                   .where(col(ChecklistEvent.run_id) == run.id, col(ChecklistEvent.kind) == "check")
                                   .order_by(col(ChecklistEvent.id))).all()) if with_checks else []
    return RunRecord(run=run, items=items, checks=checks)


def _items(session, run_id: str) -> list[ChecklistItem]:
    return list(session.exec(select(ChecklistItem).where(col(ChecklistItem.run_id) == run_id)
                             .order_by(col(ChecklistItem.position))).all())


def group_items(db: Database, run_id: str, *, team_id: str, group_index: int) -> list[tuple[str, bool]] | None:
    """(item id, done) of one group's items in order, for reading a click; None if the run is unknown
    or another workspace's. One query: this is on the path of every click."""
    runs, items = ChecklistRun.__table__, ChecklistItem.__table__
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(runs.c.id, items.c.item_id, items.c.done)
            .select_from(runs.outerjoin(items, (items.c.run_id == runs.c.id) & (items.c.group_index == group_index)))
            .where(runs.c.id == run_id[:32], runs.c.team_id == team_id)
            .order_by(items.c.position)).all()
    if not rows:
        return None
    return [(row.item_id, bool(row.done)) for row in rows if row.item_id is not None]


def run_version(db: Database, run_id: str) -> int | None:
    with db.session() as session:
        return session.exec(select(ChecklistRun.version).where(col(ChecklistRun.id) == run_id)).first()


def list_open_runs(db: Database, team_id: str, *, limit: int = 10) -> list[RunRecord]:
    """Runs still being worked on in a workspace (posted, not complete, not closed), newest first."""
    with db.session() as session:
        runs = list(session.exec(
            select(ChecklistRun)
            .where(col(ChecklistRun.team_id) == team_id, col(ChecklistRun.closed_at).is_(None),
                   col(ChecklistRun.completed_at).is_(None), col(ChecklistRun.parent_ts).is_not(None))
            .order_by(col(ChecklistRun.started_at).desc()).limit(limit)).all())
    return [record for run in runs if (record := load_run(db, run.id)) is not None]


def count_open_runs(db: Database, team_id: str) -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(ChecklistRun).where(
            col(ChecklistRun.team_id) == team_id, col(ChecklistRun.closed_at).is_(None),
            col(ChecklistRun.completed_at).is_(None), col(ChecklistRun.parent_ts).is_not(None))).one()


def list_follow_ups_due(db: Database, now: datetime, *, limit: int = 50) -> list[RunRecord]:
    """Completed runs whose follow-up time has passed, not closed, and not yet asked."""
    asked = select(ChecklistNotice.run_id).where(col(ChecklistNotice.key) == NOTICE_FOLLOW_UP)
    with db.session() as session:
        ids = list(session.exec(
            select(ChecklistRun.id)
            .where(col(ChecklistRun.follow_up_due_at) <= now, col(ChecklistRun.completed_at).is_not(None),
                   col(ChecklistRun.closed_at).is_(None), col(ChecklistRun.parent_ts).is_not(None),
                   col(ChecklistRun.id).not_in(asked))
            .order_by(col(ChecklistRun.follow_up_due_at)).limit(limit)).all())
    return [record for run_id in ids if (record := load_run(db, run_id)) is not None]


def list_quiet_runs(db: Database, now: datetime, idle: timedelta, *, limit: int = 50) -> list[RunRecord]:
    """Open runs untouched since ``now - idle`` that have not been nudged yet."""
    nudged = select(ChecklistNotice.run_id).where(col(ChecklistNotice.key) == NOTICE_NUDGE)
    with db.session() as session:
        ids = list(session.exec(
            select(ChecklistRun.id)
            .where(col(ChecklistRun.last_activity_at) <= now - idle, col(ChecklistRun.completed_at).is_(None),
                   col(ChecklistRun.closed_at).is_(None), col(ChecklistRun.parent_ts).is_not(None),
                   col(ChecklistRun.id).not_in(nudged))
            .order_by(col(ChecklistRun.last_activity_at)).limit(limit)).all())
    return [record for run_id in ids if (record := load_run(db, run_id)) is not None]


# --------------------------------------------------------------------------- changing


def apply_ticks(db: Database, run_id: str, *, tick: Iterable[str] = (), untick: Iterable[str] = (), user_id: str,
                now: datetime) -> TickResult:
    """Tick and untick items of one run in one transaction, row by row.

    Ticking an item that is already done keeps whoever ticked it first. When the
    last open item is ticked, the run is marked complete (and, if it has one,
    its follow-up is scheduled); unticking an item of a completed run reopens it.
    ``TickResult.record`` is the run as this transaction committed it (without
    checks), for drawing. Raises ``RunClosed`` for a closed or unknown run.

    Plain Core statements (no ORM bookkeeping): this is the hot path of a click.
    """
    tick, untick = list(dict.fromkeys(tick)), list(dict.fromkeys(untick))
    user_id = user_id[:32]
    runs, items, events = ChecklistRun.__table__, ChecklistItem.__table__, ChecklistEvent.__table__
    with _writing(db) as session:
        connection = session.connection()
        # First statement: bump the version. It takes the run row's lock, serialising changes to one run.
        bumped = connection.execute(
            update(runs).where(runs.c.id == run_id, runs.c.closed_at.is_(None))
            .values(version=runs.c.version + 1, last_activity_at=now)
            .returning(runs.c.version, runs.c.completed_at, runs.c.follow_up_minutes)).first()
        if bumped is None:
            raise RunClosed(run_id)
        version, completed_at, follow_up_minutes = bumped
        changed: dict[str, list[str]] = {"tick": [], "untick": []}
        for kind, ids, done in (("tick", tick, True), ("untick", untick, False)):
            for item_id in ids:
                values = ({"done": True, "done_by": user_id, "done_at": now} if done
                          else {"done": False, "done_by": None, "done_at": None})
                result = connection.execute(
                    update(items).where(items.c.run_id == run_id, items.c.item_id == item_id,
                                        items.c.done.is_(not done))
                    .values(**values, changed_by=user_id, changed_at=now))
                if result.rowcount == 1:
                    changed[kind].append(item_id)
        logged = [{"run_id": run_id, "kind": kind, "item_id": item_id, "user_id": user_id, "detail": "", "at": now}
                  for kind in ("tick", "untick") for item_id in changed[kind]]
        if logged:
            connection.execute(insert(events), logged)
        open_items = connection.execute(select(func.count()).select_from(items).where(
            items.c.run_id == run_id, items.c.done.is_(False))).scalar_one()
        completed_now = reopened = False
        if open_items == 0 and completed_at is None:
            due = now + timedelta(minutes=follow_up_minutes) if follow_up_minutes is not None else None
            connection.execute(update(runs).where(runs.c.id == run_id).values(completed_at=now, follow_up_due_at=due))
            completed_now = True
        elif open_items > 0 and completed_at is not None:
            connection.execute(update(runs).where(runs.c.id == run_id).values(completed_at=None, follow_up_due_at=None))
            reopened = True
        run = session.exec(select(ChecklistRun).where(col(ChecklistRun.id) == run_id)).one()
        record = RunRecord(run=run, items=_items(session, run_id))
    return TickResult(ticked=tuple(changed["tick"]), unticked=tuple(changed["untick"]), completed_now=completed_now,
                      reopened=reopened, version=version, record=record)


def record_check(db: Database, run_id: str, *, item_id: str, user_id: str, check_kind: str, report: Any,
                 now: datetime) -> None:
    """Keep what a check found: code, severity and title of each finding of a sealed report
    (``bot.redaction.SafeReport``, nothing else); never the input."""
    findings = require_sealed(report).to_dict()["findings"]
    kept = [{"code": str(f.get("code", ""))[:80], "severity": str(f.get("severity", ""))[:8],
             "title": str(f.get("title", ""))[:300]} for f in findings][:20]
    with db.session() as session:
        session.exec(update(ChecklistRun).where(col(ChecklistRun.id) == run_id)
                     .values(version=ChecklistRun.version + 1, last_activity_at=now))
        session.add(ChecklistEvent(run_id=run_id, kind="check", item_id=item_id[:64], user_id=user_id[:32],
                                   detail=json.dumps({"check": check_kind, "findings": kept}), at=now))


def record_event(db: Database, run_id: str, *, kind: str, user_id: str, now: datetime,
                 touch: bool = False) -> None:
    """Log something done to a run (an export, a follow-up answer); ``touch`` counts it as activity."""
    with db.session() as session:
        if touch:
            session.exec(update(ChecklistRun).where(col(ChecklistRun.id) == run_id).values(last_activity_at=now))
        session.add(ChecklistEvent(run_id=run_id, kind=kind[:16], user_id=user_id[:32], at=now))


def close_run(db: Database, run_id: str, *, user_id: str, resolution: str, now: datetime) -> bool:
    """Close a run; True if this call closed it (False if it was closed already)."""
    with db.session() as session:
        result = session.exec(update(ChecklistRun)
                              .where(col(ChecklistRun.id) == run_id, col(ChecklistRun.closed_at).is_(None))
                              .values(closed_at=now, closed_by=user_id[:32], resolution=resolution[:32],
                                      last_activity_at=now, version=ChecklistRun.version + 1))
        if result.rowcount == 1:
            session.add(ChecklistEvent(run_id=run_id, kind="close", user_id=user_id[:32], detail=resolution, at=now))
            return True
    return False


# --------------------------------------------------------------------------- the notice ledger


def claim_notice(db: Database, run_id: str, key: str, *, now: datetime) -> bool:
    """Claim the right to post notice ``key`` for a run; True for exactly one caller, ever."""
    try:
        with db.session() as session:
            session.add(ChecklistNotice(run_id=run_id, key=key[:32], claimed_at=now))
    except IntegrityError:
        return False
    return True


def release_notice(db: Database, run_id: str, key: str) -> None:
    """Give a claim back after the post failed, so the next scheduler tick tries again."""
    with db.session() as session:
        session.exec(delete(ChecklistNotice).where(col(ChecklistNotice.run_id) == run_id,
                                                   col(ChecklistNotice.key) == key))
