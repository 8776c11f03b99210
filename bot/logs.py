"""Logging set-up, with secrets scrubbed from every line.

Listeners log ids and kinds, never pasted text, but a library can still put a
token in an exception message. The formatter redacts anything shaped like a
Slack token, a JWT or a bearer credential from the final line, tracebacks
included, as a second line of defence.
"""

from __future__ import annotations

import logging
import re
import sys

_SECRET_SHAPES = re.compile(
    r"xox[abpres]-[A-Za-z0-9-]{8,}"                      # Slack bot/user/app tokens
    r"|xapp-\d-[A-Za-z0-9-]{8,}"                         # Slack app-level tokens
    r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"  # JWTs
    r"|(?i:bearer)\s+[A-Za-z0-9._~+/=-]{12,}"             # Authorization: Bearer ...
)


def redact(text: str) -> str:
    return _SECRET_SHAPES.sub("[redacted]", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Bolt logs request bodies at DEBUG; keep it at INFO whatever our level is.
    logging.getLogger("slack_bolt").setLevel(max(logging.INFO, logging.getLevelName(level)))
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)
