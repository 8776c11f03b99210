"""Entries as the running bot holds them: plain read-only records of fields pydantic has validated.

Why not the pydantic model itself: a cold ``sso-bot diagnose`` rebuilds some 1,400 entries from the
validation cache, and ``Entry.model_construct`` cost about 90,000 instructions an entry (a quarter of
the knowledge load). A record only wraps the dictionary of fields that validation produced, so it costs
next to nothing to build, and reads its attributes as fast.

The fields are never listed here: a record carries whatever fields the validated entry had
(``schema.Entry.model_fields``, all of them, as ``Entry.model_dump`` gives them), so a field added to the
schema reaches the records with no change to this module. ``deep``, ``label`` and hashing behave as the
model's do. Pydantic entries (built in tests, or made on the fly for codes we have no notes on) and
records are read the same way by every module: by attribute.
"""

from __future__ import annotations

from typing import Any, Mapping

from .systems import entry_label


class EntryRecord:
    """One validated knowledge entry, read-only. Build it with :func:`record` from validated fields."""

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"knowledge entries are read-only (tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"knowledge entries are read-only (tried to delete {name!r})")

    @property
    def deep(self) -> bool:
        """As ``schema.Entry.deep``: likely causes *and* fix steps."""
        return bool(self.causes) and bool(self.fix)

    @property
    def label(self) -> str:
        return entry_label(self)

    def __hash__(self) -> int:  # as the model's: the id is unique within a knowledge base
        return hash((self.system, self.id))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EntryRecord):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __repr__(self) -> str:
        return f"EntryRecord(id={self.id!r})"


def fields_of(entry: EntryRecord) -> dict[str, Any]:
    """A copy of a record's fields (what ``Entry.model_dump(exclude={"deep"})`` gave when it was validated).
    A function, not a method: any name a method took could one day be a field's (``fields`` is one)."""
    return dict(entry.__dict__)


def record(fields: Mapping[str, Any]) -> EntryRecord:
    """A record of ``fields``, which validation produced (a validated entry's ``model_dump`` without
    ``deep``, or the validation cache's copy of it); they are taken as they are, not checked again."""
    entry = object.__new__(EntryRecord)
    object.__setattr__(entry, "__dict__", dict(fields))
    return entry
