"""A checklist run and its state transitions: pure Python, no Slack, no SQL.

A run is started from a definition (``bot.checklist_defs``) and a chosen IdP.
``start_run`` snapshots the groups and items it gets (ids, texts, details,
linked checks), so a definition edited later never changes a run in flight:
the run is rendered and scored from its own snapshot.

State is per item: ``tick`` and ``untick`` change one item and nothing else,
which is also how storage keeps it (one row per item), so two people ticking
different boxes at the same moment cannot undo each other.

Slack's checkbox element reports the whole set a person's client has selected,
not which box was clicked. ``selection_delta`` turns that into ticks and
unticks by comparing it with what the message *showed* that person (encoded in
the element's block id by ``encode_mask``): a stale client never unticks a box
someone else ticked in the meantime.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Callable, Iterable, Mapping, Sequence

from bot.checklist_defs import IDPS, ChecklistDef
from bot.clock import utc_text
from bot.redaction import redact_text

#: Options per checkbox element (Slack's limit).
CHUNK = 10
#: How long an open checklist may sit untouched before its one gentle nudge.
NUDGE_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Group:
    index: int
    key: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    group: int
    text: str
    detail: str = ""
    check: str | None = None
    done: bool = False
    done_by: str | None = None
    done_at: datetime | None = None


@dataclass(frozen=True)
class CheckFinding:
    severity: str
    code: str
    title: str


@dataclass(frozen=True)
class CheckRun:
    """A linked check someone ran from the thread: what it found, never what was pasted."""

    item_id: str
    check: str
    user_id: str
    at: datetime
    findings: tuple[CheckFinding, ...] = ()


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total

    def __str__(self) -> str:
        return f"{self.done}/{self.total}"


@dataclass(frozen=True)
class Run:
    id: str
    definition_id: str
    title: str
    idp: str | None
    started_by: str
    started_at: datetime
    groups: tuple[Group, ...]
    items: tuple[Item, ...]
    last_activity_at: datetime
    completed_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    resolution: str | None = None
    follow_up_minutes: int | None = None
    version: int = 0
    checks: tuple[CheckRun, ...] = field(default=())

    # -- reading ------------------------------------------------------------
    @property
    def progress(self) -> Progress:
        return Progress(sum(1 for i in self.items if i.done), len(self.items))

    @property
    def is_complete(self) -> bool:
        return self.progress.complete

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_open(self) -> bool:
        """Still being worked on: not closed and not every item done."""
        return not self.is_closed and not self.is_complete

    @property
    def idp_name(self) -> str:
        return IDPS.get(self.idp or "", "any IdP")

    @property
    def display_title(self) -> str:
        return f"{self.title}: {IDPS[self.idp]}" if self.idp in IDPS else self.title

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def items_in(self, group: int) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.group == group)

    def chunks(self, group: int) -> list[tuple[Item, ...]]:
        """The group's items in checkbox elements of at most ``CHUNK``."""
        items = self.items_in(group)
        return [items[n:n + CHUNK] for n in range(0, len(items), CHUNK)]

    def chunk(self, group: int, index: int) -> tuple[Item, ...]:
        chunks = self.chunks(group)
        return chunks[index] if 0 <= index < len(chunks) else ()

    # -- transitions --------------------------------------------------------
    def tick(self, item_id: str, user_id: str, now: datetime) -> "Run":
        """Mark one item done. Ticking a done item keeps who ticked it first."""
        return self._set(item_id, True, user_id, now)

    def untick(self, item_id: str, user_id: str, now: datetime) -> "Run":
        return self._set(item_id, False, user_id, now)

    def apply(self, *, tick: Iterable[str] = (), untick: Iterable[str] = (), user_id: str,
              now: datetime) -> "Run":
        run = self
        for item_id in tick:
            run = run.tick(item_id, user_id, now)
        for item_id in untick:
            run = run.untick(item_id, user_id, now)
        return run

    def close(self, user_id: str, now: datetime, resolution: str) -> "Run":
        if self.is_closed:
            return self
        return replace(self, closed_at=now, closed_by=user_id, resolution=resolution, last_activity_at=now)

    def _set(self, item_id: str, done: bool, user_id: str, now: datetime) -> "Run":
        if self.is_closed:
            raise ClosedRun(self.id)
        current = self.item(item_id)
        if current is None:
            raise KeyError(item_id)
        items = self.items
        if current.done != done:
            changed = replace(current, done=done, done_by=user_id if done else None, done_at=now if done else None)
            items = tuple(changed if i.id == item_id else i for i in self.items)
        run = replace(self, items=items, last_activity_at=now, version=self.version + 1)
        if run.is_complete and self.completed_at is None:
            run = replace(run, completed_at=now)
        elif not run.is_complete and self.completed_at is not None:
            run = replace(run, completed_at=None)  # unticking after the end reopens the run
        return run


class ClosedRun(Exception):
    """A closed run takes no more ticks."""


# --------------------------------------------------------------------------- starting


def start_run(definition: ChecklistDef, idp: str | None, *, run_id: str, started_by: str, now: datetime) -> Run:
    """A new run: the definition's groups and items for ``idp``, snapshotted."""
    if not definition.accepts_idp(idp):
        raise ValueError(f"{definition.id} needs one of {definition.idps}, got {idp!r}")
    groups: list[Group] = []
    items: list[Item] = []
    for index, group in enumerate(definition.groups_for(idp)):
        groups.append(Group(index=index, key=group.id, title=group.title, intro=group.intro))
        items += [Item(id=i.id, group=index, text=i.text, detail=i.detail, check=i.check) for i in group.items]
    return Run(id=run_id, definition_id=definition.id, title=definition.title, idp=idp, started_by=started_by,
               started_at=now, groups=tuple(groups), items=tuple(items), last_activity_at=now,
               follow_up_minutes=definition.follow_up_minutes)


# --------------------------------------------------------------------------- checkbox payloads


def encode_mask(chunk: Sequence[Item]) -> str:
    """What an element shows, one character per option: ``1`` ticked, ``0`` not."""
    return "".join("1" if item.done else "0" for item in chunk)


def decode_mask(chunk_ids: Sequence[str], mask: str) -> set[str] | None:
    """The item ids (of a chunk, in order) a mask says were shown ticked; None when it does not fit."""
    if len(mask) != len(chunk_ids) or set(mask) - {"0", "1"}:
        return None
    return {item_id for item_id, bit in zip(chunk_ids, mask) if bit == "1"}


def selection_delta(chunk_ids: Sequence[str], shown: set[str], selected: set[str]) -> tuple[list[str], list[str]]:
    """Which items a checkbox click ticks and unticks.

    ``shown`` is what the person's message showed ticked, ``selected`` what
    their client now reports. Only the difference is theirs: an item ticked by
    someone else after their message was drawn is in neither and stays ticked.
    Ids outside the chunk are ignored.
    """
    ids = list(chunk_ids)
    inside = set(ids)
    tick = [i for i in ids if i in selected - shown and i in inside]
    untick = [i for i in ids if i in shown - selected and i in inside]
    return tick, untick


# --------------------------------------------------------------------------- time-based rules


def follow_up_due(run: Run, now: datetime) -> bool:
    """A completed run with a follow-up (401 recovery) whose wait is over and which nobody closed."""
    if run.follow_up_minutes is None or run.completed_at is None or run.is_closed or not run.is_complete:
        return False
    return now >= run.completed_at + timedelta(minutes=run.follow_up_minutes)


def follow_up_at(completed_at: datetime, minutes: int | None) -> datetime | None:
    return completed_at + timedelta(minutes=minutes) if minutes is not None else None


def nudge_due(run: Run, now: datetime, idle: timedelta = NUDGE_AFTER) -> bool:
    """An open run nobody has touched for ``idle``."""
    return run.is_open and now - run.last_activity_at >= idle


# --------------------------------------------------------------------------- reporting


@dataclass(frozen=True)
class Summary:
    progress: Progress
    duration: timedelta | None
    by_user: tuple[tuple[str, tuple[str, ...]], ...]  # (user id, item ids they ticked), most first
    checks: int


def summarise(run: Run, now: datetime | None = None) -> Summary:
    """Who ticked what, and how long the run took (to completion, or to ``now``)."""
    ticked: dict[str, list[str]] = {}
    for item in run.items:
        if item.done and item.done_by:
            ticked.setdefault(item.done_by, []).append(item.id)
    end = run.completed_at or now
    duration = end - run.started_at if end is not None else None
    by_user = tuple(sorted(((u, tuple(ids)) for u, ids in ticked.items()), key=lambda p: (-len(p[1]), p[0])))
    return Summary(progress=run.progress, duration=duration, by_user=by_user, checks=len(run.checks))


def format_duration(delta: timedelta | None) -> str:
    if delta is None:
        return "unknown"
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def progress_bar(progress: Progress, width: int = 10) -> str:
    filled = 0 if progress.total == 0 else round(width * progress.done / progress.total)
    if progress.done and not filled:
        filled = 1
    if progress.done < progress.total and filled == width:
        filled = width - 1
    return "█" * filled + "░" * (width - filled)


def state_word(run: Run) -> str:
    if run.is_closed:
        return {"resumed": "closed: provisioning resumed"}.get(run.resolution or "", "closed")
    if run.is_complete:
        return "complete"
    return "open"


def _when(moment: datetime | None) -> str:
    return utc_text(moment) if moment else "-"


def export_text(run: Run, now: datetime, name: Callable[[str], str] = str) -> str:
    """A plain-text summary to paste into a support ticket.

    ``name`` turns a Slack user id into the person's name (the caller looks it up; the id when unknown),
    since a ticket does not render ``<@U…>``.

    Redacted: it holds ids, step texts, states, who and when,
    and for checks only the findings' severity, code and title. Nothing anyone
    pasted into a check is kept, and token-shaped text is scrubbed anyway.
    """
    progress = run.progress
    lines = [
        f"Checklist: {run.display_title} [{run.definition_id}]",
        f"Run: {run.id}",
        f"State: {state_word(run)}, {progress} steps done",
        f"Started: {_when(run.started_at)} by {name(run.started_by)}",
    ]
    if run.completed_at:
        lines.append(f"Completed: {_when(run.completed_at)} ({format_duration(run.completed_at - run.started_at)})")
    if run.closed_at:
        lines.append(f"Closed: {_when(run.closed_at)} by {name(run.closed_by) if run.closed_by else '-'}")
    lines.append(f"Exported: {_when(now)}")
    for group in run.groups:
        lines.append("")
        lines.append(f"{group.title}")
        for item in run.items_in(group.index):
            mark = "[x]" if item.done else "[ ]"
            who = f"  ({name(item.done_by) if item.done_by else '-'}, {_when(item.done_at)})" if item.done else ""
            lines.append(f"{mark} {item.id}: {item.text}{who}")
    lines.append("")
    if run.checks:
        lines.append("Checks run:")
        for check in run.checks:
            lines.append(f"- {_when(check.at)} {check.check} for {check.item_id} by {name(check.user_id)}")
            for finding in check.findings or (CheckFinding("ok", "-", "nothing to report"),):
                lines.append(f"    {finding.severity}: {finding.title} ({finding.code})")
    else:
        lines.append("Checks run: none")
    return redact_text("\n".join(lines))


def checks_from_mapping(rows: Iterable[Mapping[str, object]]) -> tuple[CheckFinding, ...]:
    """Findings kept for a check (from storage's JSON), tolerant of missing keys."""
    return tuple(CheckFinding(severity=str(r.get("severity", "info")), code=str(r.get("code", "")),
                              title=str(r.get("title", ""))) for r in rows)
