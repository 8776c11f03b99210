"""Tracked credentials and the reminder ledger. Never a token, a secret or pasted text:
a fingerprint (8 hex digits of a SHA-256) and dates only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class Credential(SQLModel, table=True):
    """One SSO credential whose expiry we watch (a SCIM token, a client secret, a SAML certificate).

    ``next_due_at`` is the earliest moment a reminder (or a pending 'resolved' notice) can
    be due; it is indexed, so a tick with nothing due reads no row. NULL once untracked.
    ``generation`` grows on every renewal: ledger keys carry it, so a renewed credential
    starts a fresh series of reminders.
    """

    __tablename__ = "credential"
    __table_args__ = (
        UniqueConstraint("team_id", "label_key", name="uq_credential_team_label"),
        Index("ix_credential_next_due_at", "next_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    label: str = Field(max_length=80)
    label_key: str = Field(max_length=80)  # the label folded to lower case: one credential per label
    kind: str = Field(max_length=16)  # scim-token | client-secret | saml-cert
    idp: str = Field(max_length=16)  # entra | okta | other
    environment: str = Field(default="", max_length=80)
    channel_id: str = Field(max_length=32)
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expiry_source: str = Field(default="typed", max_length=16)  # jwt | issued | certificate | metadata | typed
    fingerprint: str = Field(default="", max_length=8)
    generation: int = Field(default=1)
    active: bool = Field(default=True)
    added_by: str = Field(max_length=32)
    added_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    renewed_by: str = Field(default="", max_length=32)
    renewed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    removed_by: str = Field(default="", max_length=32)
    removed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    next_due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    snoozed_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # The latest reminder message: its thread gets the "resolved" reply on renewal.
    thread_channel: str = Field(default="", max_length=32)
    thread_ts: str = Field(default="", max_length=32)
    # A pending "resolved" reply (ledger key and where to post it), set by a renewal.
    notice_key: str = Field(default="", max_length=64)
    notice_channel: str = Field(default="", max_length=32)
    notice_ts: str = Field(default="", max_length=32)


class ReminderLedger(SQLModel, table=True):
    """One row per (credential, reminder key): claimed before posting, so two processes or a
    restart never post the same reminder twice.

    ``status``: 'pending' (claimed, nothing posted yet), 'posted' (the message is out, its
    thread follow-up is not), 'done'. A row not 'done' whose ``lease_until`` is NULL or past
    may be claimed again (a failed post, a crashed process, a 429's Retry-After).
    """

    __tablename__ = "reminder_ledger"
    __table_args__ = (UniqueConstraint("credential_id", "reminder_key", name="uq_reminder_ledger_key"),)

    id: int | None = Field(default=None, primary_key=True)
    credential_id: int = Field(sa_column=Column(Integer(), ForeignKey("credential.id"), nullable=False))
    reminder_key: str = Field(max_length=64)
    status: str = Field(default="pending", max_length=16)
    lease_owner: str = Field(default="", max_length=64)
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    attempts: int = Field(default=0)
    channel_id: str = Field(default="", max_length=32)
    message_ts: str = Field(default="", max_length=32)
    last_error: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
