"""Tracked credentials and the reminder ledger against a real database (SQLite; PostgreSQL in CI)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import inspect, text

from storage.credentials import (add_credential, claim_reminder, complete_reminder, count_credentials,
                                 find_credential, get_credential, ledger_rows, list_credentials,
                                 list_due_credentials, mark_posted, mark_renewed, release_reminder,
                                 remove_credential, snooze_credential)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
LEASE = timedelta(minutes=10)


def track(db, label="prod Entra SCIM", *, days=5.0, due=NOW, team="T1", channel="C1", fp="ab12cd34", **extra):
    fields = dict(team_id=team, label=label, kind="scim-token", idp="entra", environment="prod", channel_id=channel,
                  expires_at=NOW + timedelta(days=days), expiry_source="jwt", fingerprint=fp, added_by="U1",
                  now=NOW, next_due_at=due)
    fields.update(extra)
    return add_credential(db, **fields)


def test_add_find_list_and_remove(db):
    added = track(db)
    assert added.created and not added.renewed and added.credential.id
    assert find_credential(db, "T1", "  PROD entra   scim") is not None  # labels match folded
    assert find_credential(db, "T2", "prod Entra SCIM") is None
    track(db, "later", days=90, due=NOW + timedelta(days=60))
    assert [c.label for c in list_credentials(db, team_id="T1")] == ["prod Entra SCIM", "later"]
    assert count_credentials(db, team_id="T1") == 2
    removed = remove_credential(db, added.credential.id, removed_by="U2", now=NOW)
    assert removed is not None and not removed.active and removed.next_due_at is None
    assert remove_credential(db, added.credential.id, removed_by="U2", now=NOW) is None
    assert [c.label for c in list_credentials(db)] == ["later"]
    again = track(db, "prod entra scim", days=100, due=NOW + timedelta(days=70))
    assert again.created and again.credential.id == added.credential.id and again.credential.generation == 2
    assert again.credential.active and again.credential.removed_at is None


def test_tracking_the_same_label_again_is_a_renewal_that_queues_a_resolved_reply(db):
    first = track(db).credential
    assert not track(db, "other").renewed
    with db.session() as session:  # a reminder went out for the first generation
        row = session.get(type(first), first.id)
        row.thread_channel, row.thread_ts, row.next_due_at = "C1", "1700000001.000100", NOW + timedelta(days=4)
    again = track(db, "Prod Entra SCIM", days=180, due=NOW + timedelta(days=150), fp="ffff0000")
    cred = again.credential
    assert again.renewed and again.previous_expires_at == first.expires_at
    assert cred.generation == 2 and cred.fingerprint == "ffff0000" and cred.renewed_by == "U1"
    assert cred.notice_key == "1:resolved" and cred.notice_ts == "1700000001.000100" and cred.notice_channel == "C1"
    assert cred.next_due_at == NOW  # due now, for the reply
    assert cred.thread_ts == "" and cred.last_sent_at is None


def test_mark_renewed_checks_the_generation(db):
    cred = track(db).credential
    assert mark_renewed(db, cred.id, expires_at=NOW + timedelta(days=180), expiry_source="issued", fingerprint="",
                        renewed_by="U2", now=NOW, next_due_at=NOW + timedelta(days=150),
                        expected_generation=5) is None
    renewed = mark_renewed(db, cred.id, expires_at=NOW + timedelta(days=180), expiry_source="issued", fingerprint="",
                           renewed_by="U2", now=NOW, next_due_at=NOW + timedelta(days=150), expected_generation=1)
    assert renewed is not None and renewed.generation == 2 and renewed.notice_key == ""
    assert renewed.next_due_at == NOW + timedelta(days=150)


def test_snooze_sets_the_next_due_time(db):
    cred = track(db).credential
    assert snooze_credential(db, cred.id, generation=9, until=NOW + timedelta(days=1)) is None
    snoozed = snooze_credential(db, cred.id, generation=1, until=NOW + timedelta(days=1))
    assert snoozed is not None and snoozed.next_due_at == NOW + timedelta(days=1)


def test_due_credentials_page_by_keyset_in_due_order(db):
    for n in range(25):
        track(db, f"c{n:02d}", due=NOW - timedelta(minutes=n % 5))
    track(db, "future", due=NOW + timedelta(seconds=1))
    track(db, "never", due=None)
    seen, cursor = [], None
    while True:
        page = list_due_credentials(db, NOW, 7, after=cursor)
        if not page:
            break
        seen += page
        cursor = (page[-1].next_due_at, page[-1].id)
    assert len(seen) == 25 and len({c.id for c in seen}) == 25
    keys = [(c.next_due_at, c.id) for c in seen]
    assert keys == sorted(keys)


def test_the_due_query_uses_the_next_due_index(db):
    assert "ix_credential_next_due_at" in {ix["name"] for ix in inspect(db.engine).get_indexes("credential")}
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            plan = " ".join(str(r) for r in conn.execute(text(
                "EXPLAIN QUERY PLAN SELECT * FROM credential WHERE next_due_at IS NOT NULL AND next_due_at <= :n "
                "AND active = 1 ORDER BY next_due_at, id LIMIT 200"), {"n": NOW.replace(tzinfo=None)}))
            assert "ix_credential_next_due_at" in plan
        else:
            conn.execute(text("SET enable_seqscan = off"))  # an empty table would otherwise be scanned
            plan = " ".join(str(r) for r in conn.execute(text(
                "EXPLAIN SELECT * FROM credential WHERE next_due_at IS NOT NULL AND next_due_at <= :n "
                "AND active ORDER BY next_due_at, id LIMIT 200"), {"n": NOW}))
            assert "ix_credential_next_due_at" in plan


def test_claims_are_exclusive_and_leases_run_out(db):
    cred = track(db).credential
    claim = dict(credential_id=cred.id, key="1:x:d-7", generation=1, lease=LEASE)
    a = claim_reminder(db, owner="A", now=NOW, **claim)
    assert a.won and a.status == "pending"
    b = claim_reminder(db, owner="B", now=NOW + timedelta(minutes=1), **claim)
    assert not b.won and b.status == "held"
    late = claim_reminder(db, owner="B", now=NOW + LEASE, **claim)  # A died: its lease ran out
    assert late.won and late.status == "pending"
    assert not release_reminder(db, ledger_id=a.ledger_id, owner="A", now=NOW, error="x")  # A lost it
    assert complete_reminder(db, ledger_id=late.ledger_id, owner="B", channel_id="C1", message_ts="1.2", now=NOW,
                             credential_id=cred.id, generation=1, last_sent_at=NOW, next_due_at=NOW + timedelta(days=4),
                             snooze=False)
    done = claim_reminder(db, owner="C", now=NOW + timedelta(days=30), **claim)
    assert not done.won and done.status == "done" and done.message_ts == "1.2"
    [row] = ledger_rows(db, cred.id)
    assert row.attempts == 2 and row.status == "done" and row.lease_until is None
    after = get_credential(db, cred.id)
    assert after.last_sent_at == NOW and after.thread_ts == "1.2" and after.next_due_at == NOW + timedelta(days=4)


def test_a_released_claim_can_be_retried_at_once_or_after_retry_after(db):
    cred = track(db).credential
    claim = dict(credential_id=cred.id, key="k", generation=1, lease=LEASE)
    a = claim_reminder(db, owner="A", now=NOW, **claim)
    assert release_reminder(db, ledger_id=a.ledger_id, owner="A", now=NOW, error="http_500")
    again = claim_reminder(db, owner="A", now=NOW, **claim)
    assert again.won
    release_reminder(db, ledger_id=again.ledger_id, owner="A", now=NOW, error="ratelimited",
                     retry_at=NOW + timedelta(seconds=30))
    assert not claim_reminder(db, owner="B", now=NOW + timedelta(seconds=29), **claim).won
    assert claim_reminder(db, owner="B", now=NOW + timedelta(seconds=30), **claim).won
    assert ledger_rows(db, cred.id)[0].last_error == "ratelimited"


def test_a_posted_message_with_a_pending_thread_is_resumed_not_reposted(db):
    cred = track(db).credential
    claim = dict(credential_id=cred.id, key="k", generation=1, lease=LEASE)
    a = claim_reminder(db, owner="A", now=NOW, **claim)
    assert mark_posted(db, ledger_id=a.ledger_id, owner="A", channel_id="C1", message_ts="9.9", now=NOW,
                       credential_id=cred.id, generation=1)
    assert get_credential(db, cred.id).thread_ts == "9.9"  # a renewal can already reply in its thread
    resumed = claim_reminder(db, owner="B", now=NOW + LEASE, **claim)
    assert resumed.won and resumed.status == "posted" and resumed.message_ts == "9.9"


def test_a_renewal_makes_old_claims_stale_and_leaves_the_credential_alone(db):
    cred = track(db).credential
    a = claim_reminder(db, credential_id=cred.id, key="1:k", generation=1, owner="A", now=NOW, lease=LEASE)
    mark_renewed(db, cred.id, expires_at=NOW + timedelta(days=180), expiry_source="typed", fingerprint="",
                 renewed_by="U2", now=NOW, next_due_at=NOW + timedelta(days=150))
    complete_reminder(db, ledger_id=a.ledger_id, owner="A", channel_id="C1", message_ts="1.1", now=NOW,
                      credential_id=cred.id, generation=1, last_sent_at=NOW, next_due_at=NOW, snooze=False)
    after = get_credential(db, cred.id)
    assert after.generation == 2 and after.next_due_at == NOW + timedelta(days=150) and after.last_sent_at is None
    assert claim_reminder(db, credential_id=cred.id, key="1:other", generation=1, owner="A", now=NOW,
                          lease=LEASE).status == "stale"


def test_concurrent_claims_have_exactly_one_winner_per_key(db):
    creds = [track(db, f"c{n}").credential for n in range(10)]
    winners: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker(name: str) -> None:
        try:
            claim_all(name)
        except BaseException as error:  # a thread's exception would otherwise vanish
            errors.append(error)

    def claim_all(name: str) -> None:
        barrier.wait()
        for cred in creds:
            for key in ("a", "b", "c"):
                got = claim_reminder(db, credential_id=cred.id, key=key, generation=1, owner=name, now=NOW,
                                     lease=LEASE)
                if got.won:
                    with lock:
                        winners.append((cred.id, key))

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(winners) == sorted((c.id, k) for c in creds for k in ("a", "b", "c"))
    assert len(ledger_rows(db)) == 30


def test_no_secret_column_exists(db):
    columns = {c["name"] for table in ("credential", "reminder_ledger") for c in inspect(db.engine).get_columns(table)}
    assert not {"token", "secret", "value", "certificate", "pem"} & columns
    fp = next(c for c in inspect(db.engine).get_columns("credential") if c["name"] == "fingerprint")
    assert fp["type"].length == 8
