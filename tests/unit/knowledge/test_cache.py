"""The cache of the validated knowledge base (bot/knowledge/cache.py): same entries as a validating load,
keyed by the files' bytes, ignored when broken or turned off."""

from __future__ import annotations

import json
import shutil

import pytest

from bot.knowledge import cache, loading as loader
from bot.knowledge.record import fields_of


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSO_BOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SSO_BOT_KNOWLEDGE_CACHE", raising=False)
    return tmp_path / "cache"


def _entries(kb):
    return [(kb.source(e.id), fields_of(e), e.deep, e.label) for e in kb.entries()]


def test_a_load_from_the_cache_equals_a_validating_load(cache_home):
    validated = loader._load_data_dir(validate=True)
    assert list(cache_home.glob("knowledge-*.json")), "the validating load writes the cache"
    cached = loader._load_data_dir(validate=False)
    assert _entries(cached) == _entries(validated)
    assert cached.lookup_code("aadsts", "50011").id == "aadsts-50011"


def test_the_key_follows_the_bytes_of_the_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(loader.DATA_DIR, data)
    files = loader._data_files(data)
    before = cache.key(files)
    files[0].write_bytes(files[0].read_bytes() + b"\n# an edit\n")
    assert cache.key(files) != before


def test_a_broken_or_foreign_cache_is_ignored(cache_home):
    key = cache.key(loader._data_files(loader.DATA_DIR))
    cache_home.mkdir(parents=True)
    path = cache_home / f"knowledge-{key[:32]}.json"
    path.write_text("{not json")
    assert cache.read(key) is None
    path.write_text(json.dumps({"key": "another", "entries": []}))
    assert cache.read(key) is None
    path.write_text(json.dumps({"key": key, "entries": [["x.toml", {"id": "msg-x"}]]}))
    assert len(loader._load_data_dir(validate=False)) > 100, "an unusable cache means: validate"


def test_the_cache_can_be_turned_off(cache_home, monkeypatch):
    monkeypatch.setenv("SSO_BOT_KNOWLEDGE_CACHE", "off")
    loader._load_data_dir(validate=False)
    assert not cache_home.exists()
