"""Tables, one module per feature. Importing this package registers every table on
``SQLModel.metadata`` (Alembic's env and the model/migration comparison test rely on it).

Rules for every table: never a token, a secret or pasted text (fingerprints, ids,
kinds and dates only; the one exception is ``probe_secret``'s ciphertext, sealed under a key that
only the environment holds); timestamps are ``UTCDateTime`` (aware UTC).
"""

from storage.models.audit import AuditEvent
from storage.models.checklists import ChecklistEvent, ChecklistItem, ChecklistNotice, ChecklistRun
from storage.models.credentials import Credential, ReminderLedger
from storage.models.digests import DigestLedger, DigestSetting
from storage.models.probes import ProbeSecret
from storage.models.snapshots import ReportSnapshot

__all__ = ["AuditEvent", "ChecklistEvent", "ChecklistItem", "ChecklistNotice", "ChecklistRun",
           "Credential", "DigestLedger", "DigestSetting", "ProbeSecret", "ReminderLedger", "ReportSnapshot"]
