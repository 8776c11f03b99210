"""A faster way through a well-formed HAR: find each entry's request, URL and status in the raw text, and
build (``json``) only the entries that can belong to a sign-in; the others are counted and their host noted.

Why it is safe to read keys out of raw JSON text: inside a JSON string every ``"`` is escaped, so an
unescaped ``"request": {`` or ``"status": 302`` can only be a real key. Each entry holds exactly one
``"request"`` key (HAR 1.2), so the text from one request key to the next holds that entry's request and
response: its first ``"url"`` is the request's URL, the first ``"status"`` after ``"response": {`` its
status. An entry worth building is then parsed from its opening brace, found by trying the braces that
open an array element before its request key until one parses into an object with a request and a
response (a brace inside a string can never parse into an object with keys, for the same reason).

The file is read in chunks (a few MiB in memory, whatever its size). Anything unexpected (an entry that
does not parse, no entries at all, a file cut off) raises :class:`Fallback`, and the caller reads the file
again with the streaming parser, whose messages about broken files stay the reference.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import IO, Callable

__all__ = ["scan", "Fallback", "Sighting"]

CHUNK = 1024 * 1024  # 1 MiB: entries are a few KiB, so a chunk holds hundreds; the peak stays a few MiB
_NUMBER = re.compile(r"-?\d+(?=\s*[,}\s])")
_SPACE = " \t\r\n"
_ELEMENT = re.compile(r"[\[,]\s*\{")
_DECODER = json.JSONDecoder()
_scan_string = json.decoder.scanstring


class Fallback(Exception):
    """The quick reading cannot vouch for this file: read it with the streaming parser instead."""


class Sighting:
    """What the raw text says about one entry before it is built: its URL, status and whether it posts."""

    __slots__ = ("url", "status", "posts")

    def __init__(self, url: str | None, status: int | None, posts: bool) -> None:
        self.url, self.status, self.posts = url, status, posts


def scan(stream: IO[bytes], wanted: Callable[[Sighting], bool], take: Callable[[dict | None, Sighting], None]) -> int:
    """Call ``take(entry, sighting)`` for every entry in order: ``entry`` is the parsed entry when ``wanted``
    says so, else None. Returns the number of entries; raises :class:`Fallback` when unsure."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    text, offset, count = "", 0, 0
    while True:
        chunk = stream.read(CHUNK)
        done = not chunk
        try:
            text += decoder.decode(chunk, final=done)
        except UnicodeDecodeError as error:
            raise Fallback("not UTF-8") from error
        found = _requests(text, offset)  # (where the key's name starts, where its object's brace is)
        keys = [brace for _name, brace in found]
        last = len(keys) if done else len(keys) - 1  # the last entry may go on in the next chunk
        for n in range(max(0, last)):
            region_end = keys[n + 1] if n + 1 < len(keys) else len(text)
            sighting = _sighting(text, keys[n], region_end)
            final = done and n == last - 1
            entry, end = _entry(text, keys[n]) if final or wanted(sighting) else (None, 0)
            if final:
                _check_ending(text, end)  # the last entry, and what follows it, whole: not a cut-off file
            take(entry if wanted(sighting) else None, sighting)
            count += 1
        if done:
            break
        if last > 0:  # keep from just after the last handled request key: the pending entry starts there
            cut = keys[last - 1] + 1
            text, offset = text[cut:], found[last][0] - cut
        elif found:
            offset = found[0][0]
        else:
            offset = max(0, len(text) - 64)  # a key may straddle two chunks
    if count == 0:
        raise Fallback("no entries")
    return count


def _value_at(text: str, name: str, start: int, end: int) -> int:
    """Where the value of the first real key ``name`` (written with its quotes) between ``start`` and ``end``
    begins, or -1. A key is real when no backslash escapes its opening quote and a colon follows it."""
    while True:
        at = text.find(name, start, end)
        if at < 0:
            return -1
        after = at + len(name)
        if at == 0 or text[at - 1] != "\\":
            while after < end and text[after] in _SPACE:
                after += 1
            if after < end and text[after] == ":":
                after += 1
                while after < end and text[after] in _SPACE:
                    after += 1
                return after
        start = at + 1


def _requests(text: str, start: int) -> list[tuple[int, int]]:
    found, end = [], len(text)
    while True:
        value = _value_at(text, '"request"', start, end)
        if value < 0:
            return found
        if value < end and text[value] == "{":
            found.append((text.rfind('"request"', start, value), value))
        start = value


def _sighting(text: str, key: int, end: int) -> Sighting:
    url = None
    at = _value_at(text, '"url"', key, end)
    if at >= 0 and text.startswith('"', at):
        try:
            url, _ = _scan_string(text, at + 1)
        except ValueError:
            url = None
    status = None
    response = _value_at(text, '"response"', key, end)
    if response >= 0:
        at = _value_at(text, '"status"', response, end)
        number = _NUMBER.match(text, at) if at >= 0 else None
        status = int(number.group(0)) if number is not None else None
    request_end = response if response >= 0 else end
    return Sighting(url, status, _value_at(text, '"postData"', key, request_end) >= 0)


def _entry(text: str, key: int) -> tuple[dict, int]:
    """The entry whose request object opens at ``key``, and where it ends: the nearest array element before
    it that parses into an object holding that request and a response."""
    tried: set[int] = set()
    for reach in (4_096, 65_536, 1 << 20, key):  # most entries start a few hundred characters before
        low = max(0, key - reach)
        for match in reversed(list(_ELEMENT.finditer(text, low, key))):
            start = match.end() - 1
            if start in tried:
                continue
            tried.add(start)
            try:
                value, end = _DECODER.raw_decode(text, start)
            except ValueError:
                continue
            if isinstance(value, dict) and end > key and isinstance(value.get("request"), dict) \
                    and "response" in value:
                return value, end
        if low == 0:
            break
    raise Fallback("an entry that does not parse")


def _check_ending(text: str, end: int) -> None:
    """After the last entry: the end of ``entries``, maybe more of ``log`` (its ``pages``, a comment), the end
    of ``log`` and of the file; anything else (a file cut off, or not a HAR) goes to the streaming parser."""
    rest = text[end:].lstrip(_SPACE)
    if not rest.startswith("]"):
        raise Fallback("entries do not end")
    rest = rest[1:].lstrip(_SPACE)
    for _closing in ("log", "root"):
        if rest.startswith(","):
            try:
                _more, stop = _DECODER.raw_decode("{" + rest[1:])
            except ValueError as error:
                raise Fallback("the end of the file is not whole") from error
            rest = rest[stop:].lstrip(_SPACE)  # "{" added one character, the "," it replaced took one
        elif rest.startswith("}"):
            rest = rest[1:].lstrip(_SPACE)
        else:
            raise Fallback("the end of the file is not whole")
    if rest:
        raise Fallback("something follows the capture")
