"""Answer each delivery of one Slack request once.

Slack delivers an event again when it thinks the first delivery was missed (``X-Slack-Retry-Num``), and a
person can double-click a shortcut; either would otherwise post the same answer twice. A feature keeps
one ``Once`` and asks it before doing anything visible.
"""

from __future__ import annotations

import threading
import time


class Once:
    """Keys seen in the last ``ttl`` seconds (Slack retries within minutes: one after a few seconds, then
    about one and five minutes later)."""

    def __init__(self, ttl: float = 600.0) -> None:
        self.ttl = ttl
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first(self, key: str) -> bool:
        """True the first time ``key`` is seen within ``ttl``; an empty key is never remembered."""
        if not key:
            return True
        now = time.monotonic()
        with self._lock:
            self._seen = {k: t for k, t in self._seen.items() if now - t < self.ttl}
            if key in self._seen:
                return False
            self._seen[key] = now
            return True
