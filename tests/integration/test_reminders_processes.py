"""Two real processes on one PostgreSQL database post each reminder exactly once.

Both ``sso-bot reminders run-once`` (cron style) and ``sso-bot serve`` (whose scheduler ticks
at start-up) are tested. The fake Web API answers each chat.postMessage after a short delay,
as Slack does, so the two processes' ticks overlap; the ledger must still let exactly one of
them post each reminder.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from bot.reminders import ReminderState, next_check, parse_schedule
from storage import open_database
from storage.credentials import add_credential, ledger_rows
from storage.migrate import upgrade
from tests.conftest import postgres_available
from tests.support.payloads import message_blocks
from tests.support.fake_slack import FakeSlack

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

CREDENTIALS = 120
CHANNELS = 12
POST_LATENCY = 0.01  # seconds the fake Slack takes per chat.postMessage


@pytest.fixture
def pg_url(database_url):
    if not postgres_available():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must set SSO_BOT_TEST_POSTGRES_URL: the two-process test needs PostgreSQL")
        pytest.skip("needs PostgreSQL: set SSO_BOT_TEST_POSTGRES_URL (e.g. from .ci/postgres.sh start)")
    return database_url


class SlowSlack(FakeSlack):
    """The fake Web API, taking a little time per message as the real one does."""

    def _answer(self, method, params):
        if method == "chat.postMessage":
            time.sleep(POST_LATENCY)
        return super()._answer(method, params)


@pytest.fixture
def slow_slack():
    fake = SlowSlack().start()
    yield fake
    fake.stop()


def _seed(url: str) -> list[int]:
    db = open_database(url)
    upgrade(db)
    now = datetime.now(timezone.utc)
    schedule = parse_schedule("30,7,1,0,daily:7,weekly")
    ids = []
    for n in range(CREDENTIALS):
        expires = now + timedelta(days=3 + n % 3)
        ids.append(add_credential(db, team_id="T0SSOBOT1", label=f"token {n:03d}", kind="scim-token", idp="entra",
                                  environment="prod", channel_id=f"C0PROC{n % CHANNELS:04d}", expires_at=expires,
                                  expiry_source="typed", fingerprint="", added_by="U0ADMIN01", now=now,
                                  next_due_at=next_check(ReminderState(expires), schedule)).credential.id)
    db.dispose()
    return ids


def _env(fake: FakeSlack, url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "PORT", "SSO_BOT_"))}
    env.update(SLACK_BOT_TOKEN="xoxb-two-processes", SLACK_SIGNING_SECRET="two-process-secret",
               SLACK_API_URL=fake.api_url, DATABASE_URL=url, SSO_BOT_REMINDER_PACE="0", **extra)
    return env


def _posted_ids(fake: FakeSlack) -> Counter:
    counts: Counter = Counter()
    for call in fake.calls_to("chat.postMessage"):
        button = message_blocks(call.params)[-1]["elements"][0]
        counts[int(button["value"].split(":")[0])] += 1
    return counts


def _assert_exactly_once(fake: FakeSlack, url: str, ids: list[int]) -> None:
    counts = _posted_ids(fake)
    assert set(counts) == set(ids)
    assert [i for i, n in counts.items() if n != 1] == []
    db = open_database(url)
    rows = ledger_rows(db)
    db.dispose()
    assert len(rows) == len(ids) and {r.status for r in rows} == {"done"}


def test_two_run_once_processes_post_each_reminder_once(pg_url, slow_slack, tmp_path):
    ids = _seed(pg_url)
    env = _env(slow_slack, pg_url)
    procs = [subprocess.Popen([sys.executable, "-m", "bot", "reminders", "run-once"], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    posted = [int(re.search(r"posted (\d+) reminder", out).group(1)) for out, _ in outputs]  # type: ignore[union-attr]
    print("posted per process:", posted)
    assert sum(posted) == CREDENTIALS
    _assert_exactly_once(slow_slack, pg_url, ids)
    again = subprocess.run([sys.executable, "-m", "bot", "reminders", "run-once"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
    assert "posted 0 reminder" in again.stdout and len(slow_slack.calls_to("chat.postMessage")) == CREDENTIALS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Drain:
    """Read a process's stderr on a thread; ``wait_for`` blocks until a line matches (no polling)."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._done = False
        self._thread = threading.Thread(target=self._run, args=(proc,), daemon=True)
        self._thread.start()

    def _run(self, proc: subprocess.Popen) -> None:
        for line in proc.stderr:  # type: ignore[union-attr]
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._done = True
            self._cond.notify_all()

    def wait_for(self, needle: str, timeout: float = 120) -> str:
        with self._cond:
            found = self._cond.wait_for(lambda: self._done or any(needle in line for line in self.lines), timeout)
            match = next((line for line in self.lines if needle in line), None)
        if not found or match is None:
            raise AssertionError(f"no {needle!r} line; got:\n" + "".join(self.lines[-40:]))
        return match


def test_two_serve_processes_post_each_reminder_once(pg_url, slow_slack, tmp_path):
    ids = _seed(pg_url)
    env = _env(slow_slack, pg_url, LOG_LEVEL="DEBUG")
    procs, drains = [], []
    try:
        for _ in range(2):
            proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1", "--port",
                                     str(_free_port())], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
            procs.append(proc)
            drains.append(_Drain(proc))
        ticks = [drain.wait_for("reminder tick:") for drain in drains]  # each scheduler ticks once at start-up
        for drain in drains:
            drain.wait_for("is serving on")
        posted = [int(re.search(r"posted (\d+) reminder", line).group(1)) for line in ticks]  # type: ignore[union-attr]
        print("posted per process:", posted)
        assert sum(posted) == CREDENTIALS, ticks
        _assert_exactly_once(slow_slack, pg_url, ids)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
    assert all(p.returncode == 0 for p in procs)
