"""Sealed SCIM tokens for the opt-in daily live check: intent-named queries.

What is due, how an outcome is judged and when the next check runs are the caller's decisions
(``bot.live.daily``); here they are stored. A sealed token belongs to one generation of one active
credential: renewing or removing the credential deletes it (``storage.credentials`` calls
:func:`drop_in_session`), and :func:`probes_due` never returns one whose generation is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import delete, update
from sqlmodel import col, select

from storage.engine import Database
from storage.models import Credential, ProbeSecret

__all__ = ["DueProbe", "keep_probe_secret", "drop_probe_secret", "drop_in_session", "probe_for", "probes_due",
           "record_probe", "claim_alert", "release_alert", "count_probes"]


@dataclass(frozen=True)
class DueProbe:
    probe: ProbeSecret
    credential: Credential


def keep_probe_secret(db: Database, *, credential_id: int, generation: int, key_id: str, sealed_token: str,
                      base_url: str, now: datetime, first_probe_at: datetime) -> ProbeSecret | None:
    """Keep (or replace) the sealed token of an active credential's current generation. None when the
    credential is gone or was renewed meanwhile (the token belongs to an older generation)."""
    with db.session() as session:
        credential = session.get(Credential, credential_id, with_for_update=True)
        if credential is None or not credential.active or credential.generation != generation:
            return None
        drop_in_session(session, credential_id)
        row = ProbeSecret(credential_id=credential_id, generation=generation, key_id=key_id[:8],
                          sealed_token=sealed_token, base_url=base_url[:2000], stored_at=now,
                          next_probe_at=first_probe_at)
        session.add(row)
        session.flush()
        session.refresh(row)
        return row


def drop_probe_secret(db: Database, credential_id: int) -> bool:
    """Forget a credential's sealed token (the admin turned the daily check off). True when one was kept."""
    with db.session() as session:
        return drop_in_session(session, credential_id) > 0


def drop_in_session(session, credential_id: int) -> int:
    """Delete the sealed token inside the caller's transaction (a renewal or a removal)."""
    result = session.exec(delete(ProbeSecret).where(col(ProbeSecret.credential_id) == credential_id))
    return int(result.rowcount or 0)


def probe_for(db: Database, credential_id: int) -> ProbeSecret | None:
    with db.session() as session:
        return session.exec(select(ProbeSecret).where(col(ProbeSecret.credential_id) == credential_id)).first()


def count_probes(db: Database, *, team_id: str | None = None) -> int:
    query = select(ProbeSecret.id).join(Credential, col(Credential.id) == col(ProbeSecret.credential_id))
    if team_id is not None:
        query = query.where(Credential.team_id == team_id[:32])
    with db.session() as session:
        return len(session.exec(query).all())


def probes_due(db: Database, now: datetime, limit: int) -> Sequence[DueProbe]:
    """Checks due at or before ``now`` for active credentials of the same generation, oldest first."""
    query = (select(ProbeSecret, Credential)
             .join(Credential, col(Credential.id) == col(ProbeSecret.credential_id))
             .where(col(ProbeSecret.next_probe_at).is_not(None), col(ProbeSecret.next_probe_at) <= now,
                    col(Credential.active).is_(True), col(Credential.generation) == col(ProbeSecret.generation))
             .order_by(col(ProbeSecret.next_probe_at), col(ProbeSecret.id))
             .limit(limit))
    with db.session() as session:
        return [DueProbe(probe, credential) for probe, credential in session.exec(query).all()]


def record_probe(db: Database, probe_id: int, *, generation: int, now: datetime, outcome: str, code: str,
                 failures: int, next_probe_at: datetime | None) -> bool:
    """Store a check's outcome and when the next one runs. False when the row changed hands meanwhile."""
    with db.session() as session:
        result = session.exec(
            update(ProbeSecret)
            .where(col(ProbeSecret.id) == probe_id, col(ProbeSecret.generation) == generation)
            .values(last_probe_at=now, last_outcome=outcome[:16], last_code=code[:64], failures=failures,
                    next_probe_at=next_probe_at))
        return bool(result.rowcount)


def claim_alert(db: Database, probe_id: int, *, generation: int) -> bool:
    """Whether this caller may post the alert for ``generation`` (one atomic update: of two processes, one
    wins, and a generation is alerted once)."""
    with db.session() as session:
        result = session.exec(
            update(ProbeSecret)
            .where(col(ProbeSecret.id) == probe_id, col(ProbeSecret.generation) == generation,
                   col(ProbeSecret.alerted_generation) < generation)
            .values(alerted_generation=generation))
        return bool(result.rowcount)


def release_alert(db: Database, probe_id: int, *, generation: int) -> bool:
    """Give a claimed alert back after its post failed, so the next night posts it again."""
    with db.session() as session:
        result = session.exec(
            update(ProbeSecret)
            .where(col(ProbeSecret.id) == probe_id, col(ProbeSecret.alerted_generation) == generation)
            .values(alerted_generation=generation - 1))
        return bool(result.rowcount)
