"""What the listeners need from the outside world, passed in rather than imported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from runtime.executor import ListenerExecutor
from runtime.offload import Offload
from runtime.scheduler import Scheduler
from storage import Database
from storage.audit import AuditLog
from storage.types import utcnow


@dataclass
class Deps:
    db: Database
    audit: AuditLog
    executor: ListenerExecutor
    clock: Callable[[], datetime] = field(default=utcnow)
    # Periodic jobs (reminders, checklist follow-ups); started by `sso-bot serve`, driven by hand in tests.
    scheduler: Scheduler | None = None
    # CPU work after ack (see runtime/offload.py); None means run it in the listener thread.
    offload: Offload | None = None

    def __post_init__(self) -> None:
        if self.scheduler is None:
            self.scheduler = Scheduler(self.clock)
        if self.offload is None:
            self.offload = Offload(self.db.engine.url.render_as_string(hide_password=False), 0, inline_db=self.db)
