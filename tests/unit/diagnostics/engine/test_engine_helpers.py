"""Helpers shared by the engine tests (test_engine*.py); this module holds no tests itself.

The checks' own ``assert_wellformed`` (strategies.py) wants lower-case codes; the engine also
returns knowledge-base ids, which keep the vendor's spelling (``okta-E0000011``,
``entra-prov-EntryConflict``, ``scim-type-invalidValue``).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

from bot.diagnostics.report import Report, Severity


def codes(report: Report) -> list[str]:
    return [f.code for f in report.findings]


def assert_wellformed(report: Report) -> None:
    assert isinstance(report, Report)
    assert report.findings, "a diagnosis always says something"
    for f in report.findings:
        assert isinstance(f.severity, Severity)
        assert f.code and " " not in f.code and f.code == f.code.strip()
        assert isinstance(f.title, str) and f.title
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in f.facts.items())
        assert all(isinstance(step, str) for step in f.fix)
        assert len(f.detail) <= 3000, "a Slack section holds 3000 characters"
    report.to_dict()


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def no_reader_errors() -> Iterator[None]:
    """Fail if a reader inside ``diagnose`` raised: the engine logs and carries on, tests must not."""
    handler = _Errors()
    logger = logging.getLogger("bot.diagnostics.engine")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    formatter = logging.Formatter()
    assert not handler.records, [
        r.getMessage() + "\n" + (formatter.formatException(r.exc_info) if r.exc_info else "") for r in handler.records
    ]
