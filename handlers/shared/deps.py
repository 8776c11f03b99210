"""What the listeners need from the outside world, passed in rather than imported.

The process plumbing that fills these in lives in ``runtime/`` (``runtime.compose.make_deps``); here
are only the shapes the features rely on, so the Slack surface never imports the runtime.
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Protocol

from bot.settings import Settings
from handlers.shared.hooks import Hooks
from storage import Database
from storage.audit import AuditLog
from storage.types import utcnow

class Worker(Protocol):
    """What a background job gets where it runs (``runtime.jobs.Worker``): that process's database, and
    ``map`` to wait on the network in a few threads at once."""

    db: Database

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]: ...


# A background job: a module-level function of (the worker running it, its argument).
Job = Callable[[Worker, Any], Any]
Done = Callable[[Any, "BaseException | None"], None]


class Queue(Protocol):
    """A coalescing queue (``Jobs.coalescing``): items that arrive while a job runs go out together in the next."""

    def put(self, item: Any) -> None: ...


class Jobs(Protocol):
    """Work after ack() that costs CPU (``runtime.jobs``): in worker processes, or inline with none."""

    workers: int

    def submit(self, job: Job, arg: Any, on_done: Done) -> None: ...

    def submit_later(self, delay: float, start: Callable[[], None]) -> None: ...

    def coalescing(self, job: Job, batch: Callable[[list[Any]], Any],
                   on_done: Callable[[Any, Any, "BaseException | None"], None]) -> Queue: ...


class Periodic(Protocol):
    """Jobs run once a minute inside ``sso-bot serve`` (``runtime.scheduler``)."""

    def add(self, name: str, job: Callable[[datetime], object]) -> None: ...


@dataclass
class Deps:
    db: Database
    audit: AuditLog
    settings: Settings
    executor: Executor  # Bolt's listener pool
    scheduler: Periodic
    jobs: Jobs
    clock: Callable[[], datetime] = field(default=utcnow)
    hooks: Hooks = field(default_factory=Hooks)
