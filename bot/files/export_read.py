"""Records out of an export file: a JSON array, a Graph page, an Okta event hook, JSON Lines or CSV.

JSON is read incrementally (ijson), one record at a time, so a large download never sits in memory
whole; CSV and JSON Lines are read a line at a time. A record comes out as a dict, nested for JSON
and flat (one key per column) for CSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import IO, Any, Iterator

import ijson

from bot.files.detect import top_keys

__all__ = ["records", "ExportUnreadable", "Utf8Reader", "text_stream"]

csv.field_size_limit(1 << 20)


class ExportUnreadable(ValueError):
    """The export could not be read: ``reason`` is the file_checks.toml entry that says why and what to send,
    ``values`` the words it needs, ``howto`` the how-to entry that follows."""

    def __init__(self, reason: str, values: Mapping[str, str] | None = None, howto: str = "") -> None:
        super().__init__(reason)
        self.reason, self.values, self.howto = reason, dict(values or {}), howto


def records(stream: IO[bytes], kind: str, encoding: str, head: bytes) -> Iterator[dict]:
    """Every record in the file, unwrapped (``bot.files.export_fields`` reads their fields)."""
    if kind == "csv":
        yield from _csv(stream, encoding)
    elif kind == "jsonl":
        yield from _jsonl(stream, encoding)
    else:
        yield from _json(stream, encoding, head)


def text_stream(stream: IO[bytes], encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")


def _csv(stream: IO[bytes], encoding: str) -> Iterator[dict]:
    text = text_stream(stream, encoding)
    first = text.readline()
    delimiter = max(",\t;", key=first.count)
    header = next(csv.reader([first], delimiter=delimiter), [])
    header = [h.strip().lstrip("\ufeff") for h in header]
    for row in csv.reader(text, delimiter=delimiter):
        if row:
            yield dict(zip(header, row))


def _jsonl(stream: IO[bytes], encoding: str) -> Iterator[dict]:
    for line in text_stream(stream, encoding):
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a cut-off last line; counted as unread by the caller's totals
        if isinstance(record, dict):
            yield record


def _json(stream: IO[bytes], encoding: str, head: bytes) -> Iterator[dict]:
    if not encoding.startswith("utf-8"):  # ijson reads UTF-8 bytes: re-encode a UTF-16 download on the fly
        stream = Utf8Reader(text_stream(stream, encoding))
    elif encoding == "utf-8-sig":
        stream.read(3)
    text = head.decode(encoding, "replace").lstrip("\ufeff \t\r\n")
    prefix = "item"
    if text.startswith("{"):
        keys = top_keys(text)
        prefix = "value.item" if "value" in keys else "data.events.item" if "data" in keys else ""
    try:
        if prefix == "":
            for record in ijson.items(stream, "", use_float=True):
                if isinstance(record, dict):
                    yield record
            return
        for record in ijson.items(stream, prefix, use_float=True, buf_size=256 * 1024):
            if isinstance(record, dict):
                yield record
    except ijson.IncompleteJSONError:
        return  # a cut-off download: what was read stands, the caller says it was cut
    except ijson.JSONError as error:
        raise ExportUnreadable("file-refused-json-invalid") from error


class Utf8Reader(io.RawIOBase):
    """A text stream read back as UTF-8 bytes."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text
        self._pending = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._pending) < size:
            chunk = self._text.read(65536)
            if not chunk:
                break
            self._pending += chunk.encode("utf-8")
        if size < 0:
            out, self._pending = self._pending, b""
        else:
            out, self._pending = self._pending[:size], self._pending[size:]
        return out

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
