"""runtime.jobs.CoalescingQueue: what arrives while a job runs goes out together in the next job.

The jobs here are submitted to a stand-in that only records them, and each test ends them by hand, so
the order of events is the test's, not a thread scheduler's.
"""

from __future__ import annotations

import pytest

import runtime.jobs
from runtime.jobs import BackgroundJobs, CoalescingQueue


class _Recorded:
    """Jobs that run only when the test ends them (``finish``)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.running: list[tuple[object, object]] = []

    def submit(self, job, arg, on_done) -> None:
        self.running.append((arg, on_done))

    def args(self) -> list[object]:
        return [arg for arg, _ in self.running]

    def finish(self, result: object = "ok", error: BaseException | None = None) -> None:
        _, on_done = self.running.pop(0)
        on_done(result, error)


def _queue(jobs, done: list, fail: bool = False) -> CoalescingQueue:
    def on_done(arg, result, error):
        done.append((arg, result, error))
        if fail:
            raise RuntimeError("completion failed")

    return CoalescingQueue(jobs, lambda db, arg: arg, tuple, on_done)


def test_items_queued_while_a_job_runs_go_out_together_in_the_next_job():
    jobs, done = _Recorded(workers=1), []
    queue = _queue(jobs, done)
    for item in (1, 2, 3):
        queue.put(item)
    assert jobs.args() == [(1,)]
    jobs.finish()
    assert done == [((1,), "ok", None)] and jobs.args() == [(2, 3)]
    jobs.finish()
    assert jobs.args() == []
    queue.put(4)  # nothing in flight: out at once
    assert jobs.args() == [(4,)]


def test_as_many_jobs_run_at_once_as_there_are_workers():
    jobs = _Recorded(workers=2)
    queue = _queue(jobs, [])
    for item in "abcd":
        queue.put(item)
    assert jobs.args() == [("a",), ("b",)]
    jobs.finish()
    assert jobs.args() == [("b",), ("c", "d")]


def test_a_failed_job_is_settled_and_what_queued_still_goes_out():
    jobs, done = _Recorded(workers=1), []
    queue = _queue(jobs, done)
    queue.put(1)
    queue.put(2)
    error = OSError("worker died")
    jobs.finish(None, error)
    assert done == [((1,), None, error)] and jobs.args() == [(2,)]


def test_a_completion_that_raises_does_not_stall_the_queue():
    jobs, done = _Recorded(workers=1), []
    queue = _queue(jobs, done, fail=True)
    queue.put(1)
    queue.put(2)
    with pytest.raises(RuntimeError):  # BackgroundJobs.submit logs it (its one error path)
        jobs.finish()
    assert jobs.args() == [(2,)]


def test_inline_jobs_run_each_item_in_the_calling_thread(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime.jobs, "_worker", runtime.jobs._worker)  # inline jobs set it: put it back
    jobs = BackgroundJobs(f"sqlite:///{tmp_path / 'jobs.db'}", workers=0)
    seen: list = []
    queue = jobs.coalescing(_echo, list, lambda arg, result, error: seen.append((result, error)))
    queue.put("x")
    queue.put("y")
    jobs.wait_idle()
    assert seen == [(["x"], None), (["y"], None)]


def _echo(db, arg):
    return arg
