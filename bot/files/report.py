"""The one place in ``bot/files`` that builds a report: it is sealed before it leaves.

Readers in this package produce ``Finding`` objects from values they already redacted as they read
(cookie and header values never kept, tokens, codes and SAML messages replaced by their hints). The
report is then passed through ``bot.redaction.seal`` with every secret value the reader saw, so the
one boundary scrubs anything that slipped through, and what the caller gets is a ``SafeReport``.
"""

from __future__ import annotations

from typing import Iterable

from bot.diagnostics.report import Finding, Report
from bot.redaction import SafeReport, seal

__all__ = ["sealed_report"]


def sealed_report(subject: str, findings: Iterable[Finding], inputs: Iterable[str],
                  secrets: Iterable[str] = ()) -> SafeReport:
    """A ``SafeReport`` of ``findings``; ``secrets`` are raw values the reader met (cookies, codes, tokens,
    SAML messages), handed to the boundary so no trace of them survives in any field."""
    report = Report(subject=subject, findings=tuple(findings), inputs=tuple(dict.fromkeys(inputs)),
                    secret_seen=False)
    return seal(report, *_pasted(secrets))


def _pasted(secrets: Iterable[str]) -> list[str]:
    """The secrets as the scrubber reads a paste: each on a line of its own as ``token=<value>`` so the
    scrubber recognises it as a credential whatever its shape."""
    values = [s for s in dict.fromkeys(secrets) if s and len(s) >= 8]
    return ["\n".join(f"token={value}" for value in values)] if values else []
