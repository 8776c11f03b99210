"""Loading the knowledge base from its TOML files: validated, or from the cache of an earlier validation.

Each file holds an optional top-level ``system`` and ``[[entry]]`` tables (``schema.Entry``). A problem
anywhere is reported with its file and entry, all of them at once (:class:`KnowledgeError`).
"""

from __future__ import annotations

import gc
import os
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .loader import DATA_DIR, KnowledgeBase, KnowledgeError
from .record import fields_of, record

__all__ = ["load_knowledge", "DATA_DIR"]

_FILE_KEYS = {"system", "entry"}


def load_knowledge(path: str | os.PathLike[str] | None = None, *, validate: bool = False) -> KnowledgeBase:
    """Load and validate the knowledge base.

    With no argument, the packaged ``bot/knowledge/data`` directory is loaded once per process and
    kept. That load is validated, or read from the cache of a previous validation of exactly the same
    files, schema and pydantic (``cache.py`` explains the key); ``validate=True`` (the server start)
    always validates and refreshes the cache. With a directory (or a single ``.toml`` file) that path
    is loaded and validated fresh every time (tests, tools that check a branch's data).
    Raises :class:`KnowledgeError` naming each file and entry at fault.
    """
    if path is None:
        return _load_default(validate)
    return _load_path(Path(path))


_default: KnowledgeBase | None = None
_default_lock = threading.Lock()


def _load_default(validate: bool = False) -> KnowledgeBase:
    global _default
    with _default_lock:
        if _default is None or validate:
            _default = _load_data_dir(validate)
        return _default


def _load_data_dir(validate: bool) -> KnowledgeBase:
    """The packaged data: from the validation cache when it matches, else validated (and cached)."""
    import bot.knowledge.cache as cache  # the module itself: the package imports this one

    use_cache = cache.enabled()
    files = _data_files(DATA_DIR) if use_cache else []
    cache_key = cache.key(files) if files else ""
    if cache_key and not validate:
        with _collection_paused():
            rows = cache.read(cache_key)  # None unless every row has every field of the schema that wrote it
            if rows is not None:
                try:
                    return KnowledgeBase([record(fields) for _source, fields in rows],
                                         {fields["id"]: source for source, fields in rows})
                except (KnowledgeError, KeyError, TypeError):  # a cache that no longer fits: validate instead
                    pass
    kb = _load_path(DATA_DIR)
    if cache_key:
        from .schema import Entry  # imported by the validation just done

        cache.write(cache_key, [(kb.source(e.id) or "", fields_of(e)) for e in kb.entries()], list(Entry.model_fields))
    return kb


@contextmanager
def _collection_paused() -> Iterator[None]:
    """The garbage collector paused while the cache becomes entries. Parsing it makes some 100,000
    containers at once, each allocation counting towards a collection; the dozens of collections that
    followed found nothing to free (nothing made here is garbage yet) and cost as much as the rest of
    the load together."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _data_files(path: Path) -> list[Path]:
    return sorted(p for p in path.glob("*.toml") if p.is_file())


def _load_path(path: Path) -> KnowledgeBase:
    if path.is_dir():
        files = _data_files(path)
        if not files:
            raise KnowledgeError([f"{path}: no .toml files found"])
    elif path.is_file():
        files = [path]
    else:
        raise KnowledgeError([f"{path}: no such file or directory"])
    # Validating is the one thing that needs pydantic: imported here, never on a load from the cache.
    from pydantic import ValidationError

    from .schema import Entry

    entries: list[Entry] = []
    sources: dict[str, str] = {}
    problems: list[str] = []
    first_file: dict[str, str] = {}
    for file in files:
        label = file.name
        try:
            with file.open("rb") as fh:
                doc = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{label}: not valid TOML: {exc}")
            continue
        except OSError as exc:
            problems.append(f"{label}: cannot read: {exc}")
            continue
        for key in doc:
            if key not in _FILE_KEYS:
                problems.append(f"{label}: unknown top-level key {key!r} (expected 'system' and [[entry]] tables)")
        default_system = doc.get("system")
        if default_system is not None and not isinstance(default_system, str):
            problems.append(f"{label}: top-level 'system' must be a string")
            default_system = None
        raw_entries = doc.get("entry", [])
        if not isinstance(raw_entries, list):
            problems.append(f"{label}: 'entry' must be an array of tables ([[entry]])")
            continue
        for index, raw in enumerate(raw_entries, start=1):
            if not isinstance(raw, dict):
                problems.append(f"{label}: entry #{index}: must be a table")
                continue
            raw_id = raw.get("id")
            name = repr(raw_id) if isinstance(raw_id, str) else f"#{index}"
            if "deep" in raw:
                problems.append(f"{label}: entry {name}: 'deep' is derived from causes and fix; remove it")
                continue
            data = dict(raw)
            if default_system is not None:
                data.setdefault("system", default_system)
            try:
                entry = Entry.model_validate(data)
            except ValidationError as exc:
                for err in exc.errors():
                    loc = ".".join(str(part) for part in err["loc"]) or "entry"
                    problems.append(f"{label}: entry {name}: {loc}: {err['msg']}")
                continue
            if entry.id in first_file:
                problems.append(f"{label}: entry {name}: duplicate id (first defined in {first_file[entry.id]})")
                continue
            first_file[entry.id] = label
            sources[entry.id] = label
            entries.append(entry)
    if problems:
        raise KnowledgeError(problems)
    # Validated: the running bot holds the same plain records as a load from the cache (record.py).
    return KnowledgeBase([record(entry.model_dump(exclude={"deep"})) for entry in entries], sources)
