"""What the posting jobs (reminders, digests) share: the per-channel pace with its 429 pause, who holds a
ledger lease, and how long a post that a retry cannot fix waits."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from datetime import timedelta
from typing import Callable

__all__ = ["BLOCKED_BACKOFF", "Pacer", "default_owner"]

# A post that a retry next minute cannot fix (``Posted.blocked``) backs off for an hour instead.
BLOCKED_BACKOFF = timedelta(hours=1)


class Pacer:
    """At most one message per ``interval`` seconds in each channel, and a pause for all
    channels after a 429. ``monotonic`` and ``sleep`` are injectable (tests pass a fake clock)."""

    def __init__(self, interval: float = 1.0, *, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = max(0.0, interval)
        self.monotonic = monotonic
        self.sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._paused_until = 0.0

    def ready_at(self, channel: str) -> float:
        with self._lock:
            return max(self._next.get(channel, 0.0), self._paused_until)

    def acquire(self, channel: str) -> None:
        """Wait until ``channel`` may receive a message, then take that slot."""
        while True:
            with self._lock:
                now = self.monotonic()
                ready = max(self._next.get(channel, 0.0), self._paused_until)
                if ready <= now:
                    self._next[channel] = now + self.interval
                    if len(self._next) > 10_000:  # forget channels whose slot has passed
                        self._next = {c: t for c, t in self._next.items() if t > now}
                    return
                wait = ready - now
            self.sleep(wait)

    def pause(self, seconds: float) -> None:
        """Hold every channel for ``seconds`` (a 429's Retry-After)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self.monotonic() + seconds)


def default_owner() -> str:
    """Who holds a ledger lease: host, process and a random part (also the digest poster's)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
