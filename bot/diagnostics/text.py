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


def without_invisible(text: str) -> str:
    """``text`` minus its invisible characters. Plain ASCII without spaces (most tokens) is returned as
    it is, without looking at each character in Python."""
    if text.isascii() and text.isprintable() and " " not in text:
        return text
    return "".join(ch for ch in text if not is_invisible(ch))


def has_hidden_characters(text: str) -> bool:
    """True when ``text`` holds an invisible character other than plain whitespace (a zero-width space,
    a control character, a no-break space)."""
    if text.isascii() and (text.isprintable() or all(ch.isprintable() or ch in " \t\r\n\f\v" for ch in text)):
        return False
    return any((not ch.isspace()) and is_invisible(ch) for ch in text)
