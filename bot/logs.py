"""Logging set-up, with secrets scrubbed from every line.

Listeners log ids and kinds, never pasted text, but a library can still put a
token in an exception message. The formatter replaces anything shaped like a
secret (``bot.redaction``: the same shapes every report is sealed against) in
the final line, tracebacks included, by its hint, as a second line of defence.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from bot.redaction import redact_text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact_text(super().format(record))


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Bolt logs request bodies at DEBUG; keep it at INFO whatever our level is.
    logging.getLogger("slack_bolt").setLevel(max(logging.INFO, logging.getLevelName(level)))
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)
    # httpx logs each URL at INFO and httpcore every header at DEBUG, a server's echo of a token included;
    # the live checks say what they asked and got in their reports instead.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
