"""Report snapshots kept for the "Share in channel" button."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


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
