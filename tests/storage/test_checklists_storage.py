"""Checklist storage against a real database: SQLite here, PostgreSQL too when CI provides one.

The concurrency tests use real threads released together by a barrier, each with
its own connection, so the database (not a Python lock) decides the order.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from bot.diagnostics.report import Finding, Report, Severity
from bot.redaction import seal
from storage import open_database
from storage.checklists import (NOTICE_FOLLOW_UP, NOTICE_NUDGE, NewItem, RunClosed, apply_ticks, attach_messages,
                                claim_notice, close_run, count_open_runs, create_run, discard_run, list_follow_ups_due,
                                list_open_runs, list_quiet_runs, load_run, record_check, release_notice, run_version)
from storage.migrate import upgrade
from storage.models import ChecklistEvent, ChecklistItem

T0 = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
ITEMS = [NewItem(f"step-{n}", n // 4, f"Step {n}", check_kind="scim_url" if n == 1 else None) for n in range(8)]


def _new_run(db, run_id="r1", *, items=ITEMS, follow_up=None, team="T1", posted=True, now=T0):
    create_run(db, run_id=run_id, team_id=team, channel_id="C1", definition_id="scim-401", idp="okta",
               title="SCIM 401 recovery", groups=[{"key": "a", "title": "A"}, {"key": "b", "title": "B"}],
               started_by="U1", follow_up_minutes=follow_up, items=items, now=now)
    if posted:
        attach_messages(db, run_id, parent_ts="1.1", group_ts={0: "1.2", 1: "1.3"})


def test_create_and_load_keeps_the_snapshot_in_order(db):
    _new_run(db)
    record = load_run(db, "r1")
    assert [i.item_id for i in record.items] == [f"step-{n}" for n in range(8)]
    assert record.items[1].check_kind == "scim_url" and record.items[5].message_ts == "1.3"
    assert record.run.parent_ts == "1.1" and record.run.started_at == T0 and record.run.version == 0
    assert load_run(db, "r1", team_id="T2") is None and load_run(db, "nope") is None


def test_tick_and_untick_record_who_when_and_events(db):
    _new_run(db)
    later = T0 + timedelta(minutes=3)
    result = apply_ticks(db, "r1", tick=["step-0", "step-2"], user_id="U2", now=later)
    assert result.ticked == ("step-0", "step-2") and not result.completed_now and result.version == 1
    again = apply_ticks(db, "r1", tick=["step-0"], user_id="U3", now=later + timedelta(minutes=1))
    assert again.ticked == ()  # already done: the first ticker is kept
    record = load_run(db, "r1")
    first = record.items[0]
    assert first.done and first.done_by == "U2" and first.done_at == later
    assert record.run.last_activity_at == later + timedelta(minutes=1)
    apply_ticks(db, "r1", untick=["step-0"], user_id="U3", now=later)
    record = load_run(db, "r1")
    assert not record.items[0].done and record.items[0].done_by is None and record.items[0].changed_by == "U3"
    with db.session() as session:
        kinds = [(e.kind, e.item_id, e.user_id) for e in session.exec(select(ChecklistEvent)
                                                                       .order_by(ChecklistEvent.id)).all()]
    assert kinds == [("tick", "step-0", "U2"), ("tick", "step-2", "U2"), ("untick", "step-0", "U3")]


def test_completion_schedules_the_follow_up_and_unticking_reopens(db):
    _new_run(db, follow_up=10)
    ids = [i.item_id for i in ITEMS]
    assert not apply_ticks(db, "r1", tick=ids[:-1], user_id="U1", now=T0).completed_now
    done = T0 + timedelta(minutes=30)
    assert apply_ticks(db, "r1", tick=ids[-1:], user_id="U2", now=done).completed_now
    run = load_run(db, "r1").run
    assert run.completed_at == done and run.follow_up_due_at == done + timedelta(minutes=10)
    assert list_follow_ups_due(db, done + timedelta(minutes=9)) == []
    assert [r.run.id for r in list_follow_ups_due(db, done + timedelta(minutes=10))] == ["r1"]
    reopened = apply_ticks(db, "r1", untick=ids[:1], user_id="U2", now=done)
    assert reopened.reopened and load_run(db, "r1").run.completed_at is None
    assert list_follow_ups_due(db, done + timedelta(hours=1)) == []


def test_a_closed_run_takes_no_ticks(db):
    _new_run(db)
    assert close_run(db, "r1", user_id="U1", resolution="resumed", now=T0)
    assert not close_run(db, "r1", user_id="U2", resolution="closed", now=T0)
    with pytest.raises(RunClosed):
        apply_ticks(db, "r1", tick=["step-0"], user_id="U1", now=T0)
    with pytest.raises(RunClosed):
        apply_ticks(db, "missing", tick=["step-0"], user_id="U1", now=T0)
    assert load_run(db, "r1").run.resolution == "resumed"


def _together(workers):
    """Run the callables at the same moment on real threads; re-raise the first error."""
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def go(fn):
        try:
            barrier.wait(timeout=10)
            fn()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=go, args=(fn,)) for fn in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]


@pytest.mark.parametrize("rounds", [20])
def test_two_people_ticking_at_the_same_moment_never_lose_a_tick(database_url, rounds):
    """Each round: a fresh run, two threads (two connections) tick different items at once. Both stay ticked."""
    dbs = [open_database(database_url) for _ in range(2)]
    upgrade(dbs[0])
    try:
        for n in range(rounds):
            run_id = f"race{n}"
            _new_run(dbs[0], run_id)
            _together([lambda: apply_ticks(dbs[0], run_id, tick=["step-0"], user_id="UA", now=T0),
                       lambda: apply_ticks(dbs[1], run_id, tick=["step-1"], user_id="UB", now=T0)])
            items = {i.item_id: i for i in load_run(dbs[0], run_id).items}
            assert items["step-0"].done and items["step-0"].done_by == "UA"
            assert items["step-1"].done and items["step-1"].done_by == "UB"
            assert run_version(dbs[0], run_id) == 2
    finally:
        for database in dbs:
            database.dispose()


def test_the_last_two_ticks_at_once_complete_the_run_exactly_once(database_url):
    dbs = [open_database(database_url) for _ in range(2)]
    upgrade(dbs[0])
    try:
        for n in range(10):
            run_id = f"end{n}"
            _new_run(dbs[0], run_id, follow_up=10)
            apply_ticks(dbs[0], run_id, tick=[f"step-{k}" for k in range(2, 8)], user_id="U0", now=T0)
            results = []
            _together([lambda: results.append(apply_ticks(dbs[0], run_id, tick=["step-0"], user_id="UA", now=T0)),
                       lambda: results.append(apply_ticks(dbs[1], run_id, tick=["step-1"], user_id="UB", now=T0))])
            assert sorted(r.completed_now for r in results) == [False, True]
            assert load_run(dbs[0], run_id).run.completed_at == T0
    finally:
        for database in dbs:
            database.dispose()


def test_a_notice_is_claimed_once_even_by_racing_replicas(database_url):
    dbs = [open_database(database_url) for _ in range(4)]
    upgrade(dbs[0])
    try:
        _new_run(dbs[0])
        wins: list[bool] = []
        _together([lambda d=d: wins.append(claim_notice(d, "r1", NOTICE_NUDGE, now=T0)) for d in dbs])
        assert sorted(wins) == [False, False, False, True]
        release_notice(dbs[0], "r1", NOTICE_NUDGE)
        assert claim_notice(dbs[0], "r1", NOTICE_NUDGE, now=T0)
        assert claim_notice(dbs[0], "r1", NOTICE_FOLLOW_UP, now=T0)  # another key is another notice
    finally:
        for database in dbs:
            database.dispose()


def test_quiet_runs_are_listed_until_nudged_and_only_when_open(db):
    _new_run(db, "quiet")
    _new_run(db, "busy", now=T0 + timedelta(hours=20))
    _new_run(db, "unposted", posted=False)
    _new_run(db, "closed")
    close_run(db, "closed", user_id="U", resolution="closed", now=T0)
    idle = timedelta(hours=24)
    assert [r.run.id for r in list_quiet_runs(db, T0 + timedelta(hours=24), idle)] == ["quiet"]
    claim_notice(db, "quiet", NOTICE_NUDGE, now=T0)
    assert [r.run.id for r in list_quiet_runs(db, T0 + timedelta(hours=48), idle)] == ["busy"]


def test_open_runs_for_the_home_tab(db):
    _new_run(db, "a", now=T0)
    _new_run(db, "b", now=T0 + timedelta(minutes=1))
    _new_run(db, "other-team", team="T9")
    _new_run(db, "c")
    close_run(db, "c", user_id="U", resolution="closed", now=T0)
    assert [r.run.id for r in list_open_runs(db, "T1")] == ["b", "a"]
    assert count_open_runs(db, "T1") == 2


def test_checks_keep_findings_never_input(db):
    _new_run(db)
    report = seal(Report(subject="s", findings=(Finding(
        code="scim-url-missing-version", severity=Severity.FAIL, title="No /v2", detail="https://secret.example.com/x",
        facts={"url": "https://secret.example.com"}),)))
    record_check(db, "r1", item_id="step-1", user_id="U1", check_kind="scim_url", now=T0, report=report)
    [check] = load_run(db, "r1").checks
    assert check.kind == "check" and "scim-url-missing-version" in check.detail
    assert "secret.example.com" not in check.detail
    assert run_version(db, "r1") == 1


def test_only_a_sealed_report_is_recorded(db):
    _new_run(db)
    raw = Report(subject="s", findings=(Finding(code="x", severity=Severity.FAIL, title="t"),))
    with pytest.raises(TypeError, match="sealed"):
        record_check(db, "r1", item_id="step-1", user_id="U1", check_kind="scim_url", now=T0, report=raw)
    assert not load_run(db, "r1").checks


def test_discard_removes_everything(db):
    _new_run(db)
    apply_ticks(db, "r1", tick=["step-0"], user_id="U1", now=T0)
    claim_notice(db, "r1", NOTICE_NUDGE, now=T0)
    discard_run(db, "r1")
    assert load_run(db, "r1") is None
    with db.session() as session:
        assert session.exec(select(ChecklistItem)).all() == []
