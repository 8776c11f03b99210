"""Periodic jobs inside ``sso-bot serve`` (reminders, checklist follow-ups).

One daemon thread calls every registered job once per interval. A job is a
function of the current time; it must be safe to run in several processes at
once (jobs claim their work in the database, so two replicas never both act),
and it should return quickly or page through its work. ``run_once`` runs every
job now, for tests and for ``sso-bot ... run-once`` style commands.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Callable

log = logging.getLogger("sso_bot.scheduler")

Job = Callable[[datetime], object]


class Scheduler:
    def __init__(self, clock: Callable[[], datetime], interval: float = 60.0) -> None:
        self._clock = clock
        self._interval = interval
        self._jobs: list[tuple[str, Job]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, name: str, job: Job) -> None:
        self._jobs.append((name, job))

    @property
    def jobs(self) -> list[str]:
        return [name for name, _ in self._jobs]

    def run_once(self) -> dict[str, object]:
        """Run every job now; a failing job is logged and does not stop the others."""
        results: dict[str, object] = {}
        now = self._clock()
        for name, job in self._jobs:
            try:
                results[name] = job(now)
            except Exception:
                log.exception("scheduled job %s failed; it runs again next tick", name)
                results[name] = None
        return results

    def start(self) -> None:
        if self._thread is None and self._jobs:
            self._thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the tick in progress (if any) finishes."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self._interval)
