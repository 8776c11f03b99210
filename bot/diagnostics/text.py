"""Small text helpers every check shares: turn any pasted value into a string, spot invisible characters,
and clip a value for a finding."""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Any, Callable


def as_text(value: Any) -> str:
    """A string for whatever was pasted: bytes are decoded leniently, anything else stringified, never raising."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return decode_bytes(bytes(value))
    try:
        return str(value)
    except Exception:
        return ""


def decode_bytes(data: bytes) -> str:
    """Bytes as text, in the encoding :func:`sniff_codec` names; leniently decoded, never raising."""
    return data.decode(sniff_codec(data), errors="replace")


def sniff_codec(data: bytes) -> str:
    """The codec ``data`` is in: UTF-16 when a byte-order mark says so, or when the zero bytes of ASCII
    in UTF-16 do (Windows tools save text that way, e.g. PowerShell's Out-File); else UTF-8. The
    codecs named drop a byte-order mark."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return _utf16_without_mark(data[:64]) or "utf-8"


def _utf16_without_mark(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when ``head`` reads as ASCII in UTF-16 with no mark: a zero in every
    odd byte (little-endian) or every even one (big-endian), and none in the others. UTF-8 text never
    looks like that: it has no zero bytes at all."""
    if len(head) < 4:
        return None
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2], head[1::2]
    if not odd.strip(b"\x00") and b"\x00" not in even:
        return "utf-16-le"
    if not even.strip(b"\x00") and b"\x00" not in odd:
        return "utf-16-be"
    return None


def is_invisible(ch: str) -> bool:
    """Whitespace, control and format characters: the ones a paste can carry without anyone seeing them."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def without_invisible(text: str) -> str:
    """``text`` minus its invisible characters. Plain ASCII without spaces (most tokens) is returned as
    it is, without looking at each character in Python."""
    if text.isascii() and text.isprintable() and " " not in text:
        return text
    return "".join(ch for ch in text if not is_invisible(ch))


_ASCII_HIDDEN = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")


def has_hidden_characters(text: str) -> bool:
    """True when ``text`` holds an invisible character other than plain whitespace (a zero-width space,
    a control character, a no-break space)."""
    if text.isascii():  # one C-level scan: the ASCII control characters that are not white space
        return _ASCII_HIDDEN.search(text) is not None
    return any((not ch.isspace()) and is_invisible(ch) for ch in text)


def cut(text: str, limit: int) -> str:
    """``text`` at most ``limit`` characters; a longer one ends in "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def marked(ch: str) -> str:
    """An invisible character (other than a space) as '?': a reader in chat then sees something is there."""
    return "?" if ch != " " and is_invisible(ch) else ch


def clip(text: str | None, limit: int, *, show: Callable[[str], str] | None = None, one_line: bool = False) -> str:
    """``text`` as a finding shows it: each character through ``show`` (``marked``, say), with ``one_line``
    every run of white space made one space, and cut to ``limit`` characters. With ``show``, only the
    start of ``text`` is looked at (twice the limit on one line, as runs of space shrink): the rest
    would be cut anyway, and a pasted value can be a megabyte long."""
    if not text:
        return ""
    if show is not None:
        head = text[: limit * 2 + 1] if one_line else text[: limit + 1]
        # Printable ASCII holds no invisible character but the space, which ``marked`` keeps: as it is.
        text = head if show is marked and head.isascii() and head.isprintable() else "".join(map(show, head))
    if one_line:
        text = " ".join(text.split())
    return cut(text, limit)
