"""The engine and session factory, built from a database URL."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


@dataclass
class Database:
    """A handle on one database: the engine plus a way to open sessions."""

    engine: Engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str) -> Database:
    """Create an engine for ``url`` (``sqlite:///...`` or ``postgresql+psycopg://...``)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        # pre_ping: a replica behind a load balancer survives a database restart without 500s.
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                               connect_args={"connect_timeout": 5})
    return Database(engine)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the scheduler write while listeners read; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL keeps the database consistent after a crash; only a power cut can lose the
    # last commits. It halves the cost of each commit, which ticks and audit batches feel.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
