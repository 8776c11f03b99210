"""Persistence: engine, tables, migrations and intent-named queries.

Nothing here imports ``bot`` or ``handlers``; callers pass plain values in.
"""

from storage.engine import Database, open_database

__all__ = ["Database", "open_database"]
