"""Tables. Never a token, a secret or pasted text: ids, kinds, outcomes and dates only."""

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


class ReportSnapshot(SQLModel, table=True):
    """A diagnosis kept so its "Share in channel" button can post it later.

    Only the findings' rendered fields are kept, and never those derived from a
    token or secret: the caller drops them before saving. ``findings_json`` is
    the JSON list of findings; rows older than a week are purged.
    """

    __tablename__ = "report_snapshot"

    id: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    inputs: str = Field(default="", max_length=255)
    findings_json: str
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))
