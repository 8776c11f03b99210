"""Sealed tokens for the daily check against a real database (SQLite; PostgreSQL in CI)."""

from __future__ import annotations

from datetime import timedelta

from bot.live.vault import Vault, new_key, row_context
from storage.credentials import mark_renewed, remove_credential
from storage.probes import (claim_alert, count_probes, drop_probe_secret, keep_probe_secret, probe_for, probes_due,
                            record_probe)
from tests.storage.test_credentials_storage import NOW, track

TOKEN = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"


def keep(db, credential, vault, *, first=NOW):
    return keep_probe_secret(db, credential_id=credential.id, generation=credential.generation, key_id=vault.key_id,
                             sealed_token=vault.seal(TOKEN, context=row_context(credential.team_id, credential.id,
                                                                                credential.generation)),
                             base_url="https://app.example.com/scim/v2", now=NOW, first_probe_at=first)


def test_a_kept_token_is_due_opens_and_is_never_in_clear(db, database_url):
    vault = Vault.from_text(new_key())
    credential = track(db).credential
    kept = keep(db, credential, vault)
    assert kept is not None and kept.key_id == vault.key_id and count_probes(db, team_id="T1") == 1
    assert probes_due(db, NOW - timedelta(seconds=1), 10) == []
    [due] = probes_due(db, NOW, 10)
    assert due.credential.id == credential.id
    context = row_context(due.credential.team_id, due.credential.id, due.probe.generation)
    assert vault.open(due.probe.sealed_token, context=context) == TOKEN
    with db.session() as session:  # nothing in any column holds the token or a piece of it
        from sqlalchemy import text
        rows = session.exec(text("SELECT * FROM probe_secret")).all()
    assert rows and all(TOKEN[:12] not in str(value) for row in rows for value in row)


def test_the_outcome_moves_the_next_check_and_an_alert_is_claimed_once(db):
    credential = track(db).credential
    kept = keep(db, credential, Vault.from_text(new_key()))
    assert record_probe(db, kept.id, generation=credential.generation, now=NOW, outcome="unauthorized",
                        code="live-scim-unauthorized", failures=0, next_probe_at=NOW + timedelta(days=1))
    assert probes_due(db, NOW + timedelta(hours=23), 10) == []
    assert claim_alert(db, kept.id, generation=credential.generation)
    assert not claim_alert(db, kept.id, generation=credential.generation)  # once per generation
    row = probe_for(db, credential.id)
    assert row.last_outcome == "unauthorized" and row.last_code == "live-scim-unauthorized"


def test_renewing_or_removing_the_credential_deletes_its_sealed_token(db):
    vault = Vault.from_text(new_key())
    renewed = track(db).credential
    keep(db, renewed, vault)
    after = mark_renewed(db, renewed.id, expires_at=NOW + timedelta(days=180), expiry_source="typed",
                         fingerprint="11112222", renewed_by="U2", now=NOW, next_due_at=None)
    assert after.generation == renewed.generation + 1 and probe_for(db, renewed.id) is None
    assert keep_probe_secret(db, credential_id=renewed.id, generation=renewed.generation, key_id="x", sealed_token="y",
                             base_url="https://a", now=NOW, first_probe_at=NOW) is None  # an old generation's token
    removed = track(db, "second").credential
    keep(db, removed, vault)
    remove_credential(db, removed.id, removed_by="U2", now=NOW)
    assert probe_for(db, removed.id) is None and probes_due(db, NOW, 10) == []
    kept = track(db, "third").credential
    keep(db, kept, vault)
    assert drop_probe_secret(db, kept.id) and not drop_probe_secret(db, kept.id)
