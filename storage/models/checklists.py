"""Checklist runs: one row per run, one row per item, an append-only event log, a notice ledger.

State lives per item (``checklist_item``): ticking updates that item's row and
nothing else, so two people ticking at once never overwrite each other. The
item rows also hold the text each item had when the run started, so editing a
definition later does not change a run in flight. Group titles are written once
at the start (``groups_json``) and never rewritten.

``checklist_notice`` is a ledger of messages the scheduler sends at most once
per run (the 401 follow-up, the 24-hour nudge): a row is claimed before posting,
and its primary key makes a second claim fail, across processes and restarts.

Never a token, a secret or pasted text: checks keep their findings' code,
severity and title only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class ChecklistRun(SQLModel, table=True):
    __tablename__ = "checklist_run"
    __table_args__ = (
        Index("ix_checklist_run_team_open", "team_id", "closed_at", "completed_at"),
        Index("ix_checklist_run_activity", "last_activity_at"),
        Index("ix_checklist_run_follow_up", "follow_up_due_at"),
    )

    id: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(max_length=32)
    channel_id: str = Field(max_length=32)
    # Set once the parent message is posted; runs without one are being started (or failed to).
    parent_ts: str | None = Field(default=None, max_length=32)
    definition_id: str = Field(max_length=64)
    idp: str | None = Field(default=None, max_length=16)
    title: str = Field(max_length=150)
    groups_json: str
    started_by: str = Field(max_length=32)
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_activity_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    # Bumped atomically (version = version + 1) by every change, so a renderer can tell it drew a stale state.
    version: int = Field(default=0)
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    follow_up_minutes: int | None = Field(default=None)
    follow_up_due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    closed_by: str | None = Field(default=None, max_length=32)
    resolution: str | None = Field(default=None, max_length=32)


class ChecklistItem(SQLModel, table=True):
    __tablename__ = "checklist_item"

    run_id: str = Field(sa_column=Column(String(32), ForeignKey("checklist_run.id"), primary_key=True))
    item_id: str = Field(primary_key=True, max_length=64)
    position: int
    group_index: int
    text: str = Field(max_length=300)
    detail: str = Field(default="", max_length=300)
    check_kind: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    done: bool = Field(default=False)
    done_by: str | None = Field(default=None, max_length=32)
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    changed_by: str | None = Field(default=None, max_length=32)
    changed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ChecklistEvent(SQLModel, table=True):
    """Append-only: tick, untick, check, close, export. ``detail`` is JSON of findings for a check."""

    __tablename__ = "checklist_event"
    __table_args__ = (Index("ix_checklist_event_run", "run_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(sa_column=Column(String(32), ForeignKey("checklist_run.id"), nullable=False))
    kind: str = Field(max_length=16)
    item_id: str | None = Field(default=None, max_length=64)
    user_id: str = Field(max_length=32)
    detail: str = Field(default="")
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class ChecklistNotice(SQLModel, table=True):
    __tablename__ = "checklist_notice"

    run_id: str = Field(sa_column=Column(String(32), ForeignKey("checklist_run.id"), primary_key=True))
    key: str = Field(primary_key=True, max_length=32)
    claimed_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
