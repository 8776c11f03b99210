"""Diagnose (any check, or a file): the use case behind ``sso-bot diagnose``, the ``/sso`` subcommands and
the diagnose and token modals. Every report comes from ``bot.checks.run_check``, which seals it
(``bot.redaction``). Nothing here touches storage, so ``sso-bot diagnose`` loads no SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Mapping

from bot.checks import run_check
from bot.redaction import SafeReport, require_safe


def diagnose(check: str, text: str, *, now: datetime | None = None, environments: Mapping[str, str] | None = None,
             expected_env: str | None = None, issued_at: date | datetime | None = None) -> SafeReport:
    """One check (``diagnose``, ``explain``, ``scim``, ``redirect``, ``domains`` or ``token``) on what was pasted."""
    return run_check(check, text, now=now, environments=dict(environments or {}), expected_env=expected_env,
                     issued_at=issued_at)


def diagnose_file(path: str, *, expect_audience: str = "") -> tuple[SafeReport, bool]:
    """A HAR capture, a log export or a SAML Response read from ``path`` (``bot.files``), and whether it was
    refused as something sso-bot does not read (a screenshot, a zip, a cut-off file). ``expect_audience`` is
    the SP's entity ID when the admin gave it. OSError when the file cannot be opened."""
    from bot.files import REFUSED_INPUT, analyse_file  # the streaming readers load only for files

    report = analyse_file(path, expect_audience=expect_audience)
    return report, REFUSED_INPUT in report.inputs


def audit_fields(report: SafeReport) -> tuple[tuple[str, ...], str, str]:
    """What the audit log keeps of a report: the kinds recognised, the verdict and the finding codes."""
    require_safe(report)
    codes = ",".join(dict.fromkeys(f.code for f in report.findings))
    return tuple(report.inputs), report.worst.value, codes
