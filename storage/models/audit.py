"""The audit log: one row per user action. Never a token, a secret or pasted text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """One row per user action (a /sso call, a button). ``input_kinds`` says what
    was recognised (e.g. ``jwt,scim_url``), never the input itself."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_team_created", "team_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    action: str = Field(max_length=64)
    input_kinds: str = Field(default="", max_length=255)
    outcome: str = Field(max_length=32)
    detail: str = Field(default="", max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
