"""Small text helpers every check shares: turn any pasted value into a string, spot invisible characters,
clip a value for a finding, fold case as the regex engine does, and search fast from known places."""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Any, Callable, Container, Iterable, Iterator


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


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds an invisible character (``is_invisible``). Printable ASCII holds none but the
    space: such a text (most URLs and values) is answered without looking at each character in Python."""
    if text.isascii() and text.isprintable():
        return " " in text
    return any(is_invisible(ch) for ch in text)


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


# -- case folding and anchored search ------------------------------------------------------------

# A-Z to a-z, plus the four non-ASCII letters that IGNORECASE treats as an ASCII letter (İ and ı as i,
# the Kelvin sign as k, the long s as s), so a lower-case pattern finds here what it finds with
# IGNORECASE in the text. One character for one: every offset stays where it was.
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)} | {0x130: "i", 0x131: "i", 0x212A: "k", 0x17F: "s"}


def fold(text: str) -> str:
    """``text`` with its letters folded to ASCII lower case where IGNORECASE would (see _ASCII_LOWER)."""
    if text.isascii():  # most pastes: str.lower folds only A-Z there, and is many times faster than translate
        return text.lower()
    if not any(ch in text for ch in _NON_ASCII_FOLDS):
        # bytes.lower folds only the bytes A-Z, and in UTF-8 those stand only for A-Z (every byte of a longer
        # character is 0x80 or above): one character for one, many times faster than translate, which looks
        # each character up in a dict. surrogatepass carries lone surrogates there and back unchanged.
        return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    return text.translate(_ASCII_LOWER)


_NON_ASCII_FOLDS = tuple(chr(c) for c in _ASCII_LOWER if c > 0x7F)


def _fold_by_table(text: str) -> str:
    """``fold`` as its table says it (the tests hold ``fold`` to it)."""
    return text.translate(_ASCII_LOWER)


def occurrences(text: str, words: Iterable[str]) -> Iterator[int]:
    """Every place one of ``words`` starts in ``text`` (word by word, each in order; overlaps included)."""
    for word in words:
        at = text.find(word)
        while at >= 0:
            yield at
            at = text.find(word, at + 1)


def run_starts(text: str, marks: Iterable[str], chars: Container[str], reach: int) -> Iterator[int]:
    """For each place one of ``marks`` occurs, where the run of ``chars`` that ends there starts (at most
    ``reach`` characters back). A pattern whose look-behind rules out a start inside such a run (a URL's
    scheme before its "://", an address before its "@") can only start there."""
    for at in occurrences(text, marks):
        start, stop = at, max(0, at - reach)
        while start > stop and text[start - 1] in chars:
            start -= 1
        yield start


def matches_at(rx: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """The matches ``rx.finditer(text)`` yields, found by trying ``rx.match`` only at ``starts``.

    The same matches when every match of ``rx`` starts at one of ``starts`` and none is empty: finditer
    searches on from where its last match ended, and ``match`` at a place tries exactly what its search
    tries there (a look-behind sees the text before the place in both). A pattern that opens with a
    look-behind, or with letters under IGNORECASE, keeps the regex engine from skipping to where it could
    match, so it tries every character; the literal words a match must start with, found with
    ``str.find`` (``occurrences``), tell it where to look instead."""
    end = 0
    for start in sorted(set(starts)):
        if start < end:
            continue
        match = rx.match(text, start)
        if match is not None:
            yield match
            end = match.end()
