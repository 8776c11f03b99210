"""A small time-limited cache, shared by the listeners that keep Slack's answers for a while (people's names,
whether someone is an admin) so that one modal or one export costs one Web API call, not one per use."""

from __future__ import annotations

import threading
import time
from typing import Callable, Generic, Hashable, TypeVar

__all__ = ["TtlCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """Values by key, each forgotten ``ttl`` seconds after it was stored (by ``monotonic``, so a change of the
    wall clock moves nothing). Safe across threads. At ``limit`` entries it starts afresh rather than track
    which entry is oldest: the entries are cheap to fetch again, and the bound is what matters."""

    def __init__(self, ttl: float, *, limit: int = 5000, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.limit = limit
        self.monotonic = monotonic
        self._entries: dict[K, tuple[V, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value stored for ``key`` if it has not expired, else None (so store no None values)."""
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                return None
            if hit[1] > self.monotonic():
                return hit[0]
            del self._entries[key]
            return None

    def put(self, key: K, value: V) -> None:
        with self._lock:
            if len(self._entries) >= self.limit and key not in self._entries:
                self._entries.clear()
            self._entries[key] = (value, self.monotonic() + self.ttl)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
