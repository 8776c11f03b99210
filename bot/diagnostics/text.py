"""Small text helpers every check shares: turn any pasted value into a string, spot invisible characters."""

from __future__ import annotations

import unicodedata
from typing import Any


def as_text(value: Any) -> str:
    """A string for whatever was pasted: bytes are decoded leniently, anything else stringified, never raising."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace")
    try:
        return str(value)
    except Exception:
        return ""


def is_invisible(ch: str) -> bool:
    """Whitespace, control and format characters: the ones a paste can carry without anyone seeing them."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")
