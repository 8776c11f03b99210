"""The thread pool Bolt runs listeners on.

Bolt answers Slack only once a listener calls ``ack()``, and the listener runs
on this pool. If every thread were busy (say, sleeping out a 429), a new
request could not even start its listener and would miss Slack's 3-second
deadline, so the pool is sized well above the HTTP server's threads.

``wait_idle()`` lets tests wait for the work that continues after ``ack()``
without sleeping and polling: it blocks on the very futures the pool returned.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait


class ListenerExecutor(ThreadPoolExecutor):
    def __init__(self, max_workers: int = 32) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._lock = threading.Lock()
        self._pending: set[Future] = set()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Block until every submitted listener (and any it submitted in turn) has finished."""
        while True:
            with self._lock:
                pending = set(self._pending)
            if not pending:
                return
            done, not_done = wait(pending, timeout=timeout)
            if not_done:
                raise TimeoutError(f"{len(not_done)} listener(s) still running after {timeout}s")
