"""The grouped failures of an export as CSV: one row per cause, read back from the sealed report.

Why one row per cause and not one per failure: the rows are made from the ``SafeReport`` the answer
shows (each cause finding's title, facts and fix), so the file cannot hold anything the answer does
not: no raw user name, reason text or id that the boundary did not see. A row per failure would need
every failure kept until the end (100,000 rows of users and times) and would put each masked user on
a line of its own; the person who asked for the export already has those rows.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and tab or carriage return) as a
formula, and an export's reason text is written by whoever named the app or the attribute, so such a
cell gets a leading apostrophe (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import csv
import io

from bot.diagnostics.report import Finding
from bot.redaction import SafeReport, require_safe

__all__ = ["failure_groups", "failures_csv", "HEADER"]

HEADER = ("cause", "count", "first seen (UTC)", "last seen (UTC)", "users affected", "users (masked, first few)",
          "error codes", "apps", "what it means", "fix")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def failure_groups(report: SafeReport) -> list[Finding]:
    """The cause findings of an export's report (the ones with counts), most frequent first."""
    causes = [f for f in require_safe(report).findings if {"count", "first seen"} <= f.facts.keys()]
    return sorted(causes, key=lambda f: -_count(f))


def failures_csv(report: SafeReport) -> str:
    """The CSV text (header first, CRLF line ends as RFC 4180 has them) of the report's grouped failures."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for finding in failure_groups(report):
        facts = finding.facts
        row = [finding.code, facts["count"], facts["first seen"].removesuffix(" UTC"),
               facts.get("last seen", "").removesuffix(" UTC"), facts.get("users", "0"),
               facts.get("users shown", ""), facts.get("error codes", ""), facts.get("apps", ""),
               _title(finding), " | ".join(finding.fix)]
        writer.writerow([_inert(cell) for cell in row])
    return out.getvalue()


def _title(finding: Finding) -> str:
    """The title without its leading "N × " (the count has its own column)."""
    head, sep, rest = finding.title.partition(" × ")
    return rest if sep and head.isdigit() else finding.title


def _count(finding: Finding) -> int:
    try:
        return int(finding.facts["count"])
    except (KeyError, ValueError):
        return 0


def _inert(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text, never runs it."""
    cell = " ".join(str(cell).split()) if "\n" in str(cell) else str(cell)
    return "'" + cell if cell.startswith(_FORMULA_START) else cell

