"""What a file is, from its first bytes (and its name when the bytes leave it open).

Admins attach all sorts: a HAR (JSON with ``log.entries``, maybe with a byte-order mark or in UTF-16),
an export of provisioning or System Log events (a JSON array, a Graph page ``{"value": [...]}``, an
Okta event hook, JSON Lines, CSV), but also screenshots, zips, PDFs, spreadsheets and cut-off files.
:func:`sniff` names the kind, or says what the file is and what to send instead.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass

import ijson

from bot.diagnostics.text import sniff_codec
from bot.files.saml_file import looks_like_saml

__all__ = ["Sniffed", "sniff", "HEAD_BYTES"]

HEAD_BYTES = 64 * 1024

HAR_HOWTO = ("Capture it again: open the browser's developer tools (F12) on the Network tab, tick *Preserve "
             "log*, reproduce the sign-in from the start, then right-click the list and choose *Save all as HAR "
             "with content*.")
EXPORT_HOWTO = ("In Entra: *Enterprise apps → your app → Provisioning logs → Download* (CSV or JSON). In Okta: "
                "*Reports → System Log*, filter, then *Download CSV*; or the System Log API's JSON.")

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
    codec to read text with. For a refusal, ``what`` says what the file is and ``next_step`` what to send."""

    kind: str
    encoding: str = "utf-8"
    what: str = ""
    next_step: str = ""


def sniff(head: bytes, name: str = "", *, size: int | None = None) -> Sniffed:
    """The kind of a file whose first bytes are ``head`` (up to :data:`HEAD_BYTES`)."""
    lower = name.lower()
    if not head.strip(b" \t\r\n\x00"):
        return _refuse("an empty file", "The file has no content: save or export it again and attach the new file.")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            if what is None and not lower.endswith(".bmp"):
                continue
            return _refuse(what or "a bitmap image", _binary_next_step(what or "", lower))
    encoding = sniff_codec(head)
    if b"\x00" in head and not encoding.startswith("utf-16"):
        return _refuse("a binary file", f"I read text files only: a HAR (.har), or a CSV, JSON or JSON Lines export. "
                                        f"{HAR_HOWTO}")
    text = _decode(head, encoding)
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return _object_kind(stripped, encoding, lower)
    if stripped.startswith("["):
        return Sniffed("json", encoding)
    if looks_like_saml(stripped):
        return Sniffed("saml", encoding)
    if stripped[:15].lower().startswith(("<!doctype html", "<html")):
        return _refuse("a saved web page (HTML)", "Send the HAR of the sign-in instead of the page itself. " + HAR_HOWTO)
    if stripped.startswith(("HTTP/1", "HTTP/2", "GET ", "POST ")):
        return _refuse("a raw HTTP exchange (headers and body as text)",
                       "Save only the JSON body (from the first { or [) as a .json file and send that.")
    if stripped.startswith("<"):
        return _refuse("an XML document but not a SAML Response", "SAML metadata is checked with `sso-bot check saml "
                                                                   "URL` (or /sso check saml); here I read SAML "
                                                                   "Responses, HARs and log exports.")
    if _looks_csv(stripped):
        return Sniffed("csv", encoding)
    return _refuse("plain text I cannot place", "Paste a single error or log line into `sso-bot diagnose` "
                                                 "instead, or send a HAR or a CSV/JSON export. " + EXPORT_HOWTO)


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
        return _refuse("a single HAR entry, not a whole capture",
                       "Export the whole capture (it starts with {\"log\": ...}): " + HAR_HOWTO)
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


def _binary_next_step(what: str, lower: str) -> str:
    if "image" in what or "WebP" in what:
        return ("A screenshot shows what the page said, not what happened: send the HAR of the sign-in "
                "(and paste the error text into `sso-bot diagnose`). " + HAR_HOWTO)
    if "zip" in what and lower.endswith((".xlsx", ".xlsm")):
        return "That is an Excel workbook: save it as CSV (File → Save As → CSV UTF-8) and send the CSV."
    if "zip" in what or "gzip" in what or "archive" in what:
        return "Unpack it and send the .har, .csv or .json file inside (one file at a time)."
    if "Office" in what:
        return "Save the sheet as CSV (File → Save As → CSV UTF-8) and send the CSV."
    return "I read HAR captures and CSV, JSON or JSON Lines log exports. " + EXPORT_HOWTO


def _refuse(what: str, next_step: str) -> Sniffed:
    return Sniffed("refused", what=what, next_step=next_step)
