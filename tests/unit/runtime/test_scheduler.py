from __future__ import annotations

import threading
from datetime import datetime, timezone

from runtime.scheduler import Scheduler

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def test_run_once_runs_every_job_with_the_clock_and_survives_a_failure(caplog):
    seen: list[tuple[str, datetime]] = []
    scheduler = Scheduler(lambda: NOW)
    scheduler.add("first", lambda now: seen.append(("first", now)) or 1)
    scheduler.add("broken", lambda now: 1 / 0)
    scheduler.add("last", lambda now: seen.append(("last", now)) or 2)
    results = scheduler.run_once()
    assert seen == [("first", NOW), ("last", NOW)]
    assert results == {"first": 1, "broken": None, "last": 2}
    assert "broken failed" in caplog.text


def test_the_thread_ticks_and_stops_promptly():
    ticked = threading.Event()
    scheduler = Scheduler(lambda: NOW, interval=3600)
    scheduler.add("tick", lambda now: ticked.set())
    scheduler.start()
    assert ticked.wait(5)  # the first tick runs at start, not after an interval
    scheduler.stop(timeout=5)
    assert scheduler._thread is not None and not scheduler._thread.is_alive()


def test_no_jobs_no_thread():
    scheduler = Scheduler(lambda: NOW)
    scheduler.start()
    assert scheduler._thread is None
    scheduler.stop()
