"""Start, tick, close and follow up a checklist: the use cases behind the Slack checklist feature.

Stored runs leave here as :class:`PostedRun` values (the core's ``Run`` and where it is posted),
never as rows. Slack is reached through what the caller passes in (``services.ports.RunPoster`` to
post a new run, a function to draw a run or to post a notice); here is what gets saved, in which
order, and what a failure undoes:

- a run is saved before anything is posted, so a click on a step always finds it, and dropped again
  when its parent message cannot be posted;
- a tick is saved per item before the messages are redrawn from the database, and the redraw
  repeats while the run's version moved under it, so the last drawing shows every tick;
- a once-per-run notice (the 401 follow-up, the nudge) is claimed in the ledger before it is posted,
  so two replicas never both post it, and given back when the post failed for a reason that may pass.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable, Mapping

from bot.checklist_defs import ChecklistDef
from bot.checklists import (CHUNK, NUDGE_AFTER, CheckRun, Group, Item, Run, checks_from_mapping, decode_mask,
                            follow_up_due, nudge_due, selection_delta, start_run)
from services.ports import Posted, RunPoster
from storage import Database
from storage.checklists import (NOTICE_FOLLOW_UP, NOTICE_NUDGE, NewItem, RunClosed, RunRecord, apply_ticks,
                                attach_messages, claim_notice, close_run, count_open_runs, create_run, discard_run,
                                group_items, list_follow_ups_due, list_open_runs, list_quiet_runs, load_run,
                                record_check, record_event, release_notice, run_version)

__all__ = ["NOTICE_FOLLOW_UP", "NOTICE_NUDGE", "PostedRun", "RunClosed", "RunGone", "Ticked", "answer_follow_up",
           "close", "load", "open_runs", "post_due_notices", "record_export", "redraw", "save_check", "start",
           "tick", "to_run"]

log = logging.getLogger("sso_bot.checklists")

# Redraws per change at most; each repeat means another tick landed while we drew.
MAX_REDRAWS = 5


@dataclass(frozen=True)
class PostedRun:
    """A run as the core sees it, and where it is posted in Slack."""

    run: Run
    team_id: str
    channel_id: str
    parent_ts: str | None
    group_ts: Mapping[int, str] = field(default_factory=dict)  # each group's message (the first posted)


class RunGone(Exception):
    """The run a click names is unknown, or belongs to another workspace."""


@dataclass(frozen=True)
class Ticked:
    """What one click changed, and the run as that change committed it (None when it is gone)."""

    ticked: tuple[str, ...]
    unticked: tuple[str, ...]
    completed_now: bool
    state: PostedRun | None


# --------------------------------------------------------------------------- stored rows -> core values


def to_run(record: RunRecord) -> Run:
    """The core's view of a stored run (its own snapshot, never the current definition)."""
    row = record.run
    groups_raw = json.loads(row.groups_json or "[]")
    groups = tuple(Group(index=n, key=str(g.get("key", n)), title=str(g.get("title", "")),
                         intro=str(g.get("intro", ""))) for n, g in enumerate(groups_raw))
    items = tuple(Item(id=i.item_id, group=i.group_index, text=i.text, detail=i.detail, check=i.check_kind,
                       done=i.done, done_by=i.done_by, done_at=i.done_at) for i in record.items)
    return Run(id=row.id, definition_id=row.definition_id, title=row.title, idp=row.idp, started_by=row.started_by,
               started_at=row.started_at, groups=groups, items=items, last_activity_at=row.last_activity_at,
               completed_at=row.completed_at, closed_at=row.closed_at, closed_by=row.closed_by,
               resolution=row.resolution, follow_up_minutes=row.follow_up_minutes, version=row.version,
               checks=_check_runs(record))


def _check_runs(record: RunRecord) -> tuple[CheckRun, ...]:
    """The checks run from the thread, as saved with the run."""
    checks = []
    for event in record.checks:
        data = json.loads(event.detail or "{}")
        checks.append(CheckRun(item_id=event.item_id or "", check=str(data.get("check", "")), user_id=event.user_id,
                               at=event.at, findings=checks_from_mapping(data.get("findings", []))))
    return tuple(checks)


def _posted(record: RunRecord) -> PostedRun:
    group_ts: dict[int, str] = {}
    for item in record.items:
        if item.message_ts:
            group_ts.setdefault(item.group_index, item.message_ts)
    return PostedRun(run=to_run(record), team_id=record.run.team_id, channel_id=record.run.channel_id,
                     parent_ts=record.run.parent_ts, group_ts=group_ts)


def load(db: Database, run_id: object, *, with_checks: bool = True) -> PostedRun | None:
    """The run ``run_id`` names, in any workspace (the caller checks whose it is); None when there is none."""
    record = load_run(db, run_id, with_checks=with_checks) if isinstance(run_id, str) and run_id else None
    return _posted(record) if record is not None else None


def open_runs(db: Database, team_id: str, *, limit: int) -> tuple[list[PostedRun], int]:
    """The newest runs still being worked on in a workspace, and how many more there are."""
    records = list_open_runs(db, team_id, limit=limit)
    return [_posted(r) for r in records], max(0, count_open_runs(db, team_id) - len(records))


# --------------------------------------------------------------------------- start


def start(db: Database, poster: RunPoster, definition: ChecklistDef, idp: str | None, *, team_id: str,
          channel_id: str, user_id: str, now: datetime) -> Run:
    """Save a new run, then post its parent in the channel and its groups in the parent's thread."""
    run = start_run(definition, idp, run_id=secrets.token_hex(8), started_by=user_id, now=now)
    create_run(db, run_id=run.id, team_id=team_id, channel_id=channel_id, definition_id=run.definition_id,
               idp=idp, title=run.title, groups=[{"key": g.key, "title": g.title, "intro": g.intro} for g in run.groups],
               started_by=user_id, follow_up_minutes=run.follow_up_minutes,
               items=[NewItem(i.id, i.group, i.text, i.detail, i.check) for i in run.items], now=now)
    try:
        channel, parent_ts = poster.parent(run, channel_id)
    except Exception:
        discard_run(db, run.id)  # nothing in Slack points at it
        raise
    attach_messages(db, run.id, parent_ts=parent_ts, group_ts={}, channel_id=channel)
    posted: dict[int, str] = {}
    try:
        for group in run.groups:
            posted[group.index] = poster.group(run, group.index, channel, parent_ts)
    finally:  # the groups posted are saved even if a later one fails
        attach_messages(db, run.id, parent_ts=parent_ts, group_ts=posted)
    log.info("checklist %s started: %s idp=%s groups=%d items=%d", run.id, run.definition_id, idp,
             len(run.groups), len(run.items))
    return run


# --------------------------------------------------------------------------- tick and redraw


def tick(db: Database, *, run_id: str, team_id: str, group: int, chunk_index: int, mask: str,
         selected: Iterable[str], user_id: str, now: datetime) -> Ticked:
    """Tick and untick what a click changed against what the user saw (``mask``: the boxes as drawn).
    ``RunGone`` when the run is unknown or another workspace's, ``RunClosed`` when it is closed."""
    items = group_items(db, run_id, team_id=team_id, group_index=group)
    if items is None:
        raise RunGone(run_id)
    chunk = items[chunk_index * CHUNK:(chunk_index + 1) * CHUNK]
    chunk_ids = [item_id for item_id, _ in chunk]
    shown = decode_mask(chunk_ids, mask)
    if shown is None:  # not drawn by this build: trust only the saved state
        shown = {item_id for item_id, done in chunk if done}
    to_tick, to_untick = selection_delta(chunk_ids, shown, set(selected))
    result = apply_ticks(db, run_id, tick=to_tick, untick=to_untick, user_id=user_id, now=now)
    return Ticked(ticked=result.ticked, unticked=result.unticked, completed_now=result.completed_now,
                  state=_posted(result.record) if result.record is not None else None)


def redraw(db: Database, run_id: str, draw: Callable[[PostedRun], None], first: PostedRun | None = None) -> Run | None:
    """Draw the run from the database, and again while its version moved under the drawing, so the last
    drawing Slack gets shows every change. ``first`` is a state already read after the change (a
    tick's own transaction), saving a read. None when the run is gone."""
    run: Run | None = None
    for _ in range(MAX_REDRAWS):
        state, first = first or load(db, run_id, with_checks=False), None
        if state is None:
            return None
        run = state.run
        draw(state)
        if run_version(db, run_id) == run.version:
            break
    return run


# --------------------------------------------------------------------------- wrap-up


def close(db: Database, run_id: str, *, user_id: str, resolution: str = "closed", now: datetime) -> bool:
    """Close the run; False when it was closed already."""
    return close_run(db, run_id, user_id=user_id, resolution=resolution, now=now)


def answer_follow_up(db: Database, run_id: str, *, user_id: str, resumed: bool, now: datetime) -> None:
    """"Did provisioning resume?": yes closes the run as resumed; no keeps it open (and counts as activity)."""
    if resumed:
        close_run(db, run_id, user_id=user_id, resolution="resumed", now=now)
    else:
        record_event(db, run_id, kind="not-resumed", user_id=user_id, now=now, touch=True)


def record_export(db: Database, run_id: str, *, user_id: str, now: datetime) -> None:
    record_event(db, run_id, kind="export", user_id=user_id, now=now)


def save_check(db: Database, run_id: str, *, item_id: str, user_id: str, check_kind: str, report, now: datetime) -> None:
    """A step's check, saved with the run (its findings, never what was pasted)."""
    record_check(db, run_id, item_id=item_id, user_id=user_id, check_kind=check_kind, report=report, now=now)


def post_due_notices(db: Database, now: datetime, post: Callable[[str, PostedRun], Posted]) -> dict[str, int]:
    """The scheduler's job: the 401 follow-ups that are due, then nudges for checklists left quiet.
    ``post(notice, state)`` posts one in the run's thread; a ``blocked`` failure keeps the claim."""
    asked = nudged = 0
    for record in list_follow_ups_due(db, now):
        state = _posted(record)
        if follow_up_due(state.run, now) and _notice(db, state, NOTICE_FOLLOW_UP, now, post):
            asked += 1
    for record in list_quiet_runs(db, now, idle=NUDGE_AFTER):
        state = _posted(record)
        if nudge_due(state.run, now) and _notice(db, state, NOTICE_NUDGE, now, post):
            nudged += 1
    return {"follow_ups": asked, "nudges": nudged}


def _notice(db: Database, state: PostedRun, key: str, now: datetime,
            post: Callable[[str, PostedRun], Posted]) -> bool:
    """Post a once-per-run message: claim it in the ledger first, give the claim back if the post failed
    for a reason that may pass."""
    if not claim_notice(db, state.run.id, key, now=now):
        return False
    try:
        posted = post(key, state)
    except Exception:
        release_notice(db, state.run.id, key)
        raise
    if posted.ok:
        return True
    if not posted.blocked:
        release_notice(db, state.run.id, key)
    log.warning("checklist %s: could not post %s (%s)", state.run.id, key, posted.error)
    return False
