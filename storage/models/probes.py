"""SCIM tokens kept, encrypted, for the opt-in daily live check (``bot.live.vault``).

The one table that holds anything derived from a secret: ciphertext only, under a key the database
never sees. A row belongs to one generation of one credential: a renewal or a removal deletes it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class ProbeSecret(SQLModel, table=True):
    """The sealed token of one tracked SCIM credential and the outcome of its last daily check.

    ``next_probe_at`` is indexed, so a tick with nothing due reads no row. ``failures`` counts checks in a
    row that could not reach the endpoint (one bad night is not an alarm; three are).
    """

    __tablename__ = "probe_secret"
    __table_args__ = (Index("ix_probe_secret_next_probe_at", "next_probe_at"),)

    id: int | None = Field(default=None, primary_key=True)
    credential_id: int = Field(sa_column=Column(Integer(), ForeignKey("credential.id"), nullable=False, unique=True))
    generation: int
    key_id: str = Field(max_length=8)
    sealed_token: str = Field(sa_column=Column(Text(), nullable=False))
    base_url: str = Field(max_length=2000)
    stored_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    next_probe_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_probe_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_outcome: str = Field(default="", max_length=16)  # ok | unauthorized | unreachable | broken
    last_code: str = Field(default="", max_length=64)
    failures: int = Field(default=0)
    alerted_generation: int = Field(default=0)  # the generation whose 401 was posted (once per generation)
