"""An export file in, findings out: what it holds, and its failures grouped by cause."""

from __future__ import annotations

from datetime import datetime
from typing import IO

from bot.diagnostics.report import Finding
from bot.files.export_fields import event_of
from bot.files.export_groups import Tally, findings_of
from bot.files.export_read import ExportUnreadable, records

__all__ = ["analyse_export", "ExportUnreadable"]


def analyse_export(stream: IO[bytes], kind: str, encoding: str, head: bytes, *,
                   now: datetime | None = None) -> tuple[list[Finding], list[str]]:
    """The findings about the export in ``stream`` and the input kinds recognised."""
    tally = Tally()
    columns: list[str] = []
    for record in records(stream, kind, encoding, head):
        if not columns:
            columns = list(record)[:8]
        tally.add(event_of(record))
    if tally.events == 0:
        raise ExportUnreadable("file-refused-not-an-export", {"kind": kind.upper(),
                               "columns": ", ".join(c[:30] for c in columns)}, howto="file-howto-export")
    inputs = [f"export_{kind}"] + [f"export_{source.replace('-', '_')}" for source in tally.sources]
    return findings_of(tally, now=now), inputs
