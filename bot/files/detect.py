"""What a file is, from its first bytes (and its name when the bytes leave it open).

Admins attach all sorts: a HAR (JSON with ``log.entries``, maybe with a byte-order mark or in UTF-16),
an export of provisioning or System Log events (a JSON array, a Graph page ``{"value": [...]}``, an
Okta event hook, JSON Lines, CSV), but also screenshots, zips, PDFs, spreadsheets and cut-off files.
:func:`sniff` names the kind, or the reason it refuses the file (whose words, what the file is and what
to send instead, are entries of bot/knowledge/data/file_checks.toml).
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

import ijson

from bot.diagnostics.text import sniff_codec
from bot.files.saml_file import looks_like_saml

__all__ = ["Sniffed", "sniff", "HEAD_BYTES"]

HEAD_BYTES = 64 * 1024


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image (a screenshot?)"),
    (b"\xff\xd8\xff", "a JPEG image (a screenshot?)"),
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (a WebP image or a video?)"),
    (b"BM", None),  # a bitmap only when the name says so too (plenty of text starts with "BM")
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"), (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office document"),
    (b"SQLite format 3", "a SQLite database"),
)


@dataclass(frozen=True)
class Sniffed:
    """``kind``: har, json (an array or a page of records), jsonl, csv, saml (a SAML Response as XML or
    base64), or ``refused``. ``encoding`` is the
    codec to read text with. A refusal names its ``reason`` (the entry of file_checks.toml that says what
    the file is and what to send instead), the ``values`` its words need, and the how-to that follows them
    (``file-howto-har`` or ``file-howto-export``), if any."""

    kind: str
    encoding: str = "utf-8"
    reason: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    howto: str = ""


def sniff(head: bytes, name: str = "", *, size: int | None = None) -> Sniffed:
    """The kind of a file whose first bytes are ``head`` (up to :data:`HEAD_BYTES`)."""
    lower = name.lower()
    if not head.strip(b" \t\r\n\x00"):
        return _refuse("file-refused-empty")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            if what is None and not lower.endswith(".bmp"):
                continue
            return _binary(what or "a bitmap image", lower)
    encoding = sniff_codec(head)
    if b"\x00" in head and not encoding.startswith("utf-16"):
        return _refuse("file-refused-binary", howto="file-howto-har")
    text = _decode(head, encoding)
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return _object_kind(stripped, encoding, lower)
    if stripped.startswith("["):
        return Sniffed("json", encoding)
    if looks_like_saml(stripped):
        return Sniffed("saml", encoding)
    if stripped[:15].lower().startswith(("<!doctype html", "<html")):
        return _refuse("file-refused-html", howto="file-howto-har")
    if stripped.startswith(("HTTP/1", "HTTP/2", "GET ", "POST ")):
        return _refuse("file-refused-http-exchange")
    if stripped.startswith("<"):
        return _refuse("file-refused-xml")
    if _looks_csv(stripped):
        return Sniffed("csv", encoding)
    return _refuse("file-refused-plain-text", howto="file-howto-export")


def _decode(head: bytes, encoding: str) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(head, final=False)


def _object_kind(text: str, encoding: str, lower: str) -> Sniffed:
    """A top-level object: a HAR (``log``), a bare HAR entry, a Graph page (``value``), an Okta event hook
    (``data.events``), a single event, or JSON Lines (one object per line)."""
    first_line, _, rest = text.partition("\n")
    if rest.lstrip().startswith("{") and _complete(first_line):
        return Sniffed("jsonl", encoding)
    keys = top_keys(text)
    if "log" in keys:
        return Sniffed("har", encoding)
    if {"request", "response"} <= keys and ("startedDateTime" in keys or "timings" in keys):
        return _refuse("file-refused-har-entry", howto="file-howto-har")
    return Sniffed("json", encoding)


def _complete(line: str) -> bool:
    import json

    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def top_keys(text: str) -> set[str]:
    """The keys of the top-level object seen in ``text`` (which may stop anywhere)."""
    keys: set[str] = set()
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(text.encode("utf-8"))):
            if event == "map_key" and prefix == "":
                keys.add(value)
    except (ijson.JSONError, ijson.IncompleteJSONError, ValueError):
        pass
    return keys


def _looks_csv(text: str) -> bool:
    header = text.split("\n", 1)[0]
    return header.count(",") >= 2 or header.count("\t") >= 2 or header.count(";") >= 2


def _binary(what: str, lower: str) -> Sniffed:
    """A binary format recognised by its first bytes: ``what`` names it, the reason says what to send."""
    if "image" in what or "WebP" in what:
        return _refuse("file-refused-image", howto="file-howto-har", what=what)
    if "zip" in what and lower.endswith((".xlsx", ".xlsm")):
        return _refuse("file-refused-workbook", what=what)
    if "zip" in what or "gzip" in what or "archive" in what:
        return _refuse("file-refused-archive", what=what)
    if "Office" in what:
        return _refuse("file-refused-office", what=what)
    return _refuse("file-refused-other-format", howto="file-howto-export", what=what)


def _refuse(reason: str, *, howto: str = "", **values: str) -> Sniffed:
    return Sniffed("refused", reason=reason, values=values, howto=howto)
