"""Audit-log queries."""

from __future__ import annotations

from typing import Iterable, Sequence

from sqlmodel import col, select

from storage.engine import Database
from storage.models import AuditEvent


def record_audit(db: Database, *, team_id: str, user_id: str, action: str,
                 input_kinds: Iterable[str] = (), outcome: str, detail: str = "") -> AuditEvent:
    """Write one audit row. ``detail`` is a short code (a finding code, a ref id), never user text."""
    row = AuditEvent(
        team_id=(team_id or "?")[:32],
        user_id=(user_id or "?")[:32],
        action=action[:64],
        input_kinds=",".join(input_kinds)[:255],
        outcome=outcome[:32],
        detail=detail[:255],
    )
    with db.session() as session:
        session.add(row)
    return row


def recent_audit(db: Database, *, team_id: str | None = None, limit: int = 50) -> Sequence[AuditEvent]:
    """The newest audit rows first, optionally for one workspace."""
    query = select(AuditEvent).order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc()).limit(limit)
    if team_id is not None:
        query = query.where(AuditEvent.team_id == team_id)
    with db.session() as session:
        return session.exec(query).all()
