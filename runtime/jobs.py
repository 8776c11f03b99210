"""All background work of a running app, in one place: Bolt's listener pool and the jobs after ack().

Listeners (``ListenerExecutor``) run on a thread pool sized well above the HTTP server's threads:
Bolt answers Slack only once a listener calls ``ack()``, and a pool whose threads all sleep out a
429 could not even start the next listener before Slack's 3-second deadline. ``wait_idle()`` lets
tests wait for the work that continues after ``ack()`` without sleeping and polling.

Jobs after ack() that cost CPU (``BackgroundJobs``) run in worker processes; work that comes in
bursts (checklist ticks) goes through a ``CoalescingQueue``, which batches what arrives while a job runs.

A listener's ack and its later work share one interpreter lock. When many
/sso diagnose calls arrive together, the diagnosis, the rendering and the reply
of earlier calls would hold that lock while later requests wait to be
acknowledged. Running that work in a separate process keeps the ack path short.

``workers=0`` runs the job in the calling thread instead (tests, tiny installs):
same code, same results, no second process.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator

from bot.diagnostics.scim.template import ScimTemplate, use_template
from storage import Database, open_database

log = logging.getLogger("sso_bot.offload")

# Threads a job may wait on the network in at once (``Worker.map``: a tick job's chat.update calls). Each
# call opens a connection; more at once than a small server's listen backlog (5 in Python's socketserver)
# costs a one-second SYN retry.
_FAN_OUT_THREADS = 4


class Worker:
    """What a job gets in the process that runs it: that process's database, and a few threads to wait on
    the network in parallel (made on first use; closed by :meth:`BackgroundJobs.shutdown` when inline)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._threads: ThreadPoolExecutor | None = None

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        with self._lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(max_workers=_FAN_OUT_THREADS, thread_name_prefix="job-fan-out")
            threads = self._threads
        return list(threads.map(fn, items))

    def close(self) -> None:
        with self._lock:
            threads, self._threads = self._threads, None
        if threads is not None:
            threads.shutdown(wait=True)


# Set in each worker process by ``_init_worker`` (in the app's process when jobs run inline).
_worker: Worker | None = None


def _init_worker(database_url: str, scim_template: ScimTemplate | None = None) -> None:
    global _worker
    _worker = Worker(open_database(database_url))
    if scim_template is not None:  # a spawned process starts with the default: use the app's setting
        use_template(scim_template)
    from bot.knowledge import load_knowledge

    load_knowledge()  # pay the knowledge base's load once per worker, not on the first request


def _in_worker(job: Callable[[Worker, Any], Any], arg: Any) -> Any:
    """Run ``job`` with the :class:`Worker` of the process it runs in (the worker's own, or the app's inline)."""
    if _worker is None:
        raise RuntimeError("no worker: BackgroundJobs was not started")
    return job(_worker, arg)


class BackgroundJobs:
    def __init__(self, database_url: str, workers: int, inline_db: Database | None = None,
                 scim_template: ScimTemplate | None = None) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pending: set[threading.Event] = set()
        self._inline: Worker | None = None
        if workers > 0:
            # spawn, not fork: the app process has threads (listeners, audit writer, scheduler).
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init_worker, initargs=(database_url, scim_template))
        else:
            global _worker
            _worker = self._inline = Worker(inline_db or open_database(database_url))

    def warm_up(self) -> None:
        """Start the workers now, so the first user does not wait for their imports."""
        if self._pool is not None:
            self._pool.submit(_noop).result(timeout=120)

    def submit(self, job: Callable[[Worker, Any], Any], arg: Any,
               on_done: Callable[[Any, BaseException | None], None]) -> None:
        """Run ``job(worker, arg)`` (a module-level function; ``arg`` is pickled) without waiting for it.

        ``on_done(result, error)`` runs in this process when the job ends. The listener that
        submitted returns at once, so a busy worker never holds a listener thread (and with it
        the ack of the next request)."""
        finished = threading.Event()
        with self._lock:
            self._pending.add(finished)

        def settle(result: Any, error: BaseException | None) -> None:
            try:
                on_done(result, error)
            except Exception:
                log.exception("the completion of an offloaded job failed")
            finally:
                with self._lock:
                    self._pending.discard(finished)
                finished.set()

        if self._pool is None:
            try:
                result = _in_worker(job, arg)
            except Exception as error:  # handed to ``done``, like a worker's failure
                settle(None, error)
            else:
                settle(result, None)
            return
        future = self._pool.submit(_in_worker, job, arg)
        future.add_done_callback(lambda f: settle(*_outcome(f)))

    def submit_later(self, delay: float, start: Callable[[], None]) -> None:
        """Call ``start`` (which submits a job) after ``delay`` seconds, without holding a thread meanwhile.
        ``wait_idle`` counts it as pending from now until ``start`` has returned."""
        finished = threading.Event()
        with self._lock:
            self._pending.add(finished)

        def fire() -> None:
            try:
                start()
            except Exception:
                log.exception("a delayed offload job could not start")
            finally:
                with self._lock:
                    self._pending.discard(finished)
                finished.set()

        timer = threading.Timer(delay, fire)
        timer.daemon = True
        timer.start()

    def slots(self, count: int) -> "Slots":
        """At most ``count`` callers at once in this process: see :class:`Slots`."""
        return Slots(count)

    def coalescing(self, job: Callable[[Worker, Any], Any], batch: Callable[[list[Any]], Any],
                   on_done: Callable[[Any, Any, BaseException | None], None]) -> "CoalescingQueue":
        """A queue whose items go out in batches of ``job``: see :class:`CoalescingQueue`."""
        return CoalescingQueue(self, job, batch, on_done)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until every submitted job and its completion have run, including jobs that those
        completions submitted in turn (tests)."""
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                return
            for event in pending:
                if not event.wait(timeout):
                    raise TimeoutError("an offloaded job is still running")

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=False)
        if self._inline is not None:
            self._inline.close()


class CoalescingQueue:
    """Items that arrive while their job runs wait, and go out together in the next job.

    At most one job per worker process runs at a time (one inline); the end of a job sends what queued
    meanwhile, so a burst of items costs a few jobs, not one each. ``batch(items)`` turns the queued
    items into the job's argument (in the order they came), and ``on_done(arg, result, error)`` runs
    in this process when that job ends, through :meth:`BackgroundJobs.submit`'s one error path.
    """

    def __init__(self, jobs: BackgroundJobs, job: Callable[[Worker, Any], Any], batch: Callable[[list[Any]], Any],
                 on_done: Callable[[Any, Any, BaseException | None], None]) -> None:
        self._jobs, self._job, self._batch, self._on_done = jobs, job, batch, on_done
        self._lock = threading.Lock()
        self._items: list[Any] = []
        self._in_flight = 0

    def put(self, item: Any) -> None:
        with self._lock:
            self._items.append(item)
            if self._in_flight >= max(1, self._jobs.workers):
                return  # a running job's end sends it
            self._in_flight += 1
            arg = self._take()
        self._submit(arg)

    def _take(self) -> Any:
        """The queued items as one job's argument (the caller holds the lock and counted the job in flight)."""
        items, self._items = self._items, []
        return self._batch(items)

    def _submit(self, arg: Any) -> None:
        self._jobs.submit(self._job, arg, lambda result, error: self._settle(arg, result, error))

    def _settle(self, arg: Any, result: Any, error: BaseException | None) -> None:
        try:
            self._on_done(arg, result, error)
        finally:
            with self._lock:
                following = self._take() if self._items else None
                if following is None:
                    self._in_flight -= 1
            if following is not None:
                self._submit(following)


class Slots:
    """Work that must run in this process (a redraw while closing a checklist) but should not crowd it:
    at most ``count`` at once, as more would only queue for the interpreter lock and slow other
    requests' acks. ``with slots:`` takes one; ``slots.given_back()`` returns it while its holder
    waits on something slow (a 429's Retry-After), so waiting never blocks the others."""

    def __init__(self, count: int) -> None:
        self._free = threading.BoundedSemaphore(count)

    def __enter__(self) -> "Slots":
        self._free.acquire()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self._free.release()

    @contextmanager
    def given_back(self) -> Iterator[None]:
        self._free.release()
        try:
            yield
        finally:
            self._free.acquire()


def _noop() -> None:
    return None


def _outcome(future: Future) -> tuple[Any, BaseException | None]:
    error = future.exception()
    return (None, error) if error is not None else (future.result(), None)


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
