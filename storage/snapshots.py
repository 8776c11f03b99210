"""Report snapshots: save one for a "Share in channel" button, load it when pressed."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, delete

from storage.engine import Database
from storage.models import ReportSnapshot
from storage.types import require_sealed, utcnow

KEEP_FOR = timedelta(days=7)


def save_snapshot(db: Database, *, team_id: str, user_id: str, report: Any, now: datetime | None = None) -> str:
    """Store a sealed report (``bot.redaction.SafeReport``, nothing else); returns the id to put in the button."""
    data = require_sealed(report).to_dict()
    now = now or utcnow()
    snapshot_id = secrets.token_hex(12)
    with db.session() as session:
        session.add(ReportSnapshot(id=snapshot_id, team_id=team_id[:32], user_id=user_id[:32],
                                   inputs=",".join(data["inputs"])[:255], findings_json=json.dumps(data["findings"]),
                                   created_at=now))
    return snapshot_id


def purge_snapshots(db: Database, now: datetime) -> int:
    """Delete snapshots older than ``KEEP_FOR`` (a scheduled job, off the reply path); returns how many."""
    with db.session() as session:
        result = session.exec(delete(ReportSnapshot).where(col(ReportSnapshot.created_at) < now - KEEP_FOR))
    return int(result.rowcount or 0)


def load_snapshot(db: Database, snapshot_id: str, *, team_id: str | None = None) -> ReportSnapshot | None:
    """The snapshot, if it exists (and belongs to ``team_id``, when given)."""
    with db.session() as session:
        row = session.get(ReportSnapshot, snapshot_id[:32])
    return row if row is not None and (team_id is None or row.team_id == team_id) else None
