"""Keep a diagnosis for *Share in channel*, and read it back to share: a snapshot keeps only the
shareable findings (none computed from a token) and is sealed again when read back."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.diagnostics.report import Finding
from bot.redaction import SafeReport, require_safe, reseal
from storage import Database
from storage.models import ReportSnapshot
from storage.snapshots import load_snapshot, save_snapshot


@dataclass(frozen=True)
class KeptReport:
    """A report kept for *Share in channel*, sealed again, with the workspace it was kept in."""

    id: str
    team_id: str
    report: SafeReport


def keep_for_sharing(db: Database, report: SafeReport, *, team_id: str, user_id: str) -> str | None:
    """Save the report's shareable findings for *Share in channel*; the snapshot's id, or None when
    nothing in it may be shared."""
    shareable = require_safe(report).shareable()
    if not shareable.findings:
        return None
    return save_snapshot(db, team_id=team_id, user_id=user_id, report=shareable)


def shared_copy(snapshot: ReportSnapshot) -> SafeReport:
    """The saved report, sealed again on the way out (a row is data from disk, not a checked report)."""
    findings = [Finding.from_dict(d) for d in json.loads(snapshot.findings_json)]
    return reseal(findings, filter(None, snapshot.inputs.split(",")))


def kept(db: Database, snapshot_id: object) -> KeptReport | None:
    """The report kept as ``snapshot_id``, in any workspace (the caller checks whose it is); None when there
    is none (never kept, or purged)."""
    row = load_snapshot(db, snapshot_id) if isinstance(snapshot_id, str) and snapshot_id else None
    return KeptReport(id=row.id, team_id=row.team_id, report=shared_copy(row)) if row is not None else None
