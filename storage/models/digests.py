"""Weekly digests per channel and their ledger. Settings and send records only: no credential data
(the digest is drawn from the credential table when it is sent)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class DigestSetting(SQLModel, table=True):
    """One channel's opt-in weekly digest: a weekday (0 Monday), a whole hour and an IANA time zone.

    ``next_due_at`` is the next send in UTC (NULL while switched off), indexed so that a tick with
    nothing due reads no row. While ``enabled``, that channel's yellow reminders are left to the digest.
    """

    __tablename__ = "digest_setting"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", name="uq_digest_setting_channel"),
        Index("ix_digest_setting_next_due_at", "next_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    channel_id: str = Field(max_length=32)
    enabled: bool = Field(default=True)
    weekday: int = Field(default=0)
    hour: int = Field(default=9)
    timezone: str = Field(default="UTC", max_length=64)
    set_by: str = Field(max_length=32)
    set_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    next_due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class DigestLedger(SQLModel, table=True):
    """One row per (digest, ISO week): claimed before posting, so a channel gets one digest a week however
    many processes tick. ``status`` 'pending' (claimed) or 'done'; a pending row whose ``lease_until`` is
    NULL or past may be claimed again (a failed post, a crash, a 429's Retry-After)."""

    __tablename__ = "digest_ledger"
    __table_args__ = (UniqueConstraint("digest_id", "week_key", name="uq_digest_ledger_week"),)

    id: int | None = Field(default=None, primary_key=True)
    digest_id: int = Field(sa_column=Column(Integer(), ForeignKey("digest_setting.id"), nullable=False))
    week_key: str = Field(max_length=16)
    status: str = Field(default="pending", max_length=16)
    lease_owner: str = Field(default="", max_length=64)
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    attempts: int = Field(default=0)
    message_ts: str = Field(default="", max_length=32)
    last_error: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
