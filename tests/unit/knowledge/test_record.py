"""The run-time records of knowledge entries (bot/knowledge/record.py) read as the validated models do."""

from __future__ import annotations

import tomllib

import pytest

from bot.knowledge.loading import DATA_DIR
from bot.knowledge.record import fields_of, record
from bot.knowledge.schema import Entry


def _validated() -> list[Entry]:
    entries = []
    for path in sorted(DATA_DIR.glob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        for raw in doc.get("entry", []):
            entries.append(Entry.model_validate({"system": doc.get("system"), **raw} if "system" in doc else raw))
    return entries


def test_a_record_carries_every_field_of_the_model_as_validated():
    entries = _validated()
    assert len(entries) > 100
    for entry in entries:
        kept = record(entry.model_dump(exclude={"deep"}))
        for name in Entry.model_fields:  # every field, whatever the schema grows: none is listed by hand
            assert getattr(kept, name) == getattr(entry, name), (entry.id, name)
        assert (kept.deep, kept.label, hash(kept)) == (entry.deep, entry.label, hash(entry))


def test_a_record_is_read_only_and_compares_by_its_fields():
    entry = _validated()[0]
    kept = record(entry.model_dump(exclude={"deep"}))
    with pytest.raises(AttributeError):
        kept.summary = "changed"
    with pytest.raises(AttributeError):
        del kept.summary
    assert kept == record(fields_of(kept))
    assert kept != record(fields_of(kept) | {"summary": "another"})


def test_a_diagnosis_from_the_cache_imports_no_pydantic(tmp_path):
    """Pydantic is for validating; a process that reads the validated cache and diagnoses never imports it
    (importing it was a third of a cold ``sso-bot diagnose``). The first process fills the cache."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, SSO_BOT_CACHE_DIR=str(tmp_path / "cache"), SSO_BOT_KNOWLEDGE_CACHE="on")
    code = ("import sys; from services import diagnose as d; from bot.diagnostics.render import render_json; "
            "print(render_json(d.diagnose('diagnose', 'AADSTS50105 and an Okta E0000011 on login'))[:1]); "
            "print('pydantic' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]
    assert runs[0].stdout.split() == ["{", "True"], "the first process validates (and writes the cache)"
    assert runs[1].stdout.split() == ["{", "False"], runs[1].stderr
