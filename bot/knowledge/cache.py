"""A cache of the validated knowledge base, keyed by the hash of everything validation depends on.

Why: parsing eleven TOML files and validating some 900 entries with pydantic costs about 300 ms,
most of a cold ``sso-bot diagnose AADSTS50105``. Validation is a pure function of the data files'
bytes, the schema and loader sources and the pydantic version, so its result can be kept: the first
load validates everything and writes the entries (as plain JSON, never pickle) to the cache; a later
load whose key matches rebuilds the same entries as plain records (``record.py``), without re-checking
and without importing pydantic.
Any change to a data file, to ``schema.py``/``loader.py`` or to pydantic changes the key, so a bad
edit is still refused on the next load, never served from an old cache.

Validation is never dropped where it guards something: a path given to ``load_knowledge`` (tests,
tools) is always validated; ``load_knowledge(validate=True)`` (the server start, ``sso-bot serve``)
validates and refreshes the cache; ``SSO_BOT_KNOWLEDGE_CACHE=off`` turns the cache off altogether.
The cache lives in ``$SSO_BOT_CACHE_DIR``, else ``$XDG_CACHE_HOME/sso-bot``, else ``~/.cache/sso-bot``;
a cache that cannot be read or written is ignored (the load validates, as it would without one).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_FORMAT = 2  # bump when the cached document's shape changes
_HERE = Path(__file__).resolve().parent
_SOURCES = (_HERE / "schema.py", _HERE / "systems.py", _HERE / "patterns.py", _HERE / "regex_cost.py",
            _HERE / "products.py", _HERE / "cues.py", _HERE / "loader.py", Path(__file__).resolve())


def enabled() -> bool:
    return os.environ.get("SSO_BOT_KNOWLEDGE_CACHE", "on").strip().lower() not in {"off", "0", "no", "false"}


def cache_dir() -> Path:
    explicit = os.environ.get("SSO_BOT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "sso-bot"


def key(files: list[Path]) -> str:
    """The hash of the data files (names and bytes), the validating sources and the pydantic version."""
    digest = hashlib.sha256(f"format {_FORMAT}\n".encode())
    digest.update(_pydantic_version())
    for path in (*_SOURCES, *files):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _pydantic_version() -> bytes:
    """The installed pydantic's ``version.py`` (its VERSION), read without importing pydantic: a load
    from the cache needs no pydantic at all, and importing it would cost a third of a cold start."""
    spec = importlib.util.find_spec("pydantic")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        try:
            return (Path(folder) / "version.py").read_bytes()
        except OSError:
            continue
    return b"pydantic: not found"


def _path(cache_key: str) -> Path:
    return cache_dir() / f"knowledge-{cache_key[:32]}.json"


def read(cache_key: str) -> list[tuple[str, dict[str, Any]]] | None:
    """(source file, validated entry fields) per entry, or None when there is no usable cache (unreadable,
    another key, or a row without every field the schema that wrote it has)."""
    try:
        with _path(cache_key).open("rb") as fh:
            doc = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("key") != cache_key or not isinstance(doc.get("entries"), list):
        return None
    rows, fields = doc["entries"], doc.get("fields")
    if not isinstance(fields, list) or not all(isinstance(name, str) for name in fields):
        return None
    wanted = frozenset(fields)
    if not all(isinstance(r, list) and len(r) == 2 and isinstance(r[0], str) and isinstance(r[1], dict)
               and wanted <= r[1].keys() for r in rows):
        return None
    return [(source, fields) for source, fields in rows]


def write(cache_key: str, rows: list[tuple[str, dict[str, Any]]], fields: list[str]) -> None:
    """Keep the validated entries and the names of the schema's fields (each row has them all); written to
    a temporary file and renamed, so a reader never sees half."""
    target = _path(cache_key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _prune(target.parent)
        fd, tmp = tempfile.mkstemp(prefix=".knowledge-", suffix=".json", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"key": cache_key, "fields": fields, "entries": rows}, fh, ensure_ascii=False,
                      separators=(",", ":"))
        os.replace(tmp, target)
    except OSError as error:  # a read-only home or a full disk: the next load validates again
        log.debug("knowledge cache not written: %s", error)


_KEEP = 8  # caches of other data versions kept (several checkouts may share one home)


def _prune(folder: Path) -> None:
    try:
        olds = sorted(folder.glob("knowledge-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in olds[_KEEP - 1:]:
        old.unlink(missing_ok=True)
