"""From a SAMLResponse (or SAMLRequest) value to XML text: lenient base64, raw DEFLATE, UTF-16.

Values arrive URL-encoded, wrapped over lines, in base64url or with their padding lost in a copy;
all of those are accepted. The bytes may be raw DEFLATE (the HTTP-Redirect binding, Bindings
§3.4.4.1) and the text in them UTF-8 or UTF-16, with or without a byte-order mark. Inflating is
capped, so a small value cannot expand into a huge one.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from urllib.parse import unquote

from bot.diagnostics.saml.shared import MAX_XML
from bot.diagnostics.text import decode_bytes

_B64_CLEAN_RE = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


def b64_clean(value: str) -> str | None:
    """``value`` as plain base64 (URL-decoded, whitespace removed, padded), or None if it is not."""
    value = "".join(value.split())
    if "%" in value:
        value = unquote(value)
    if "-" in value or "_" in value:
        value = value.replace("-", "+").replace("_", "/")
    value = value.rstrip("=")
    if not value or not _B64_CLEAN_RE.match(value) or len(value) % 4 == 1:
        return None
    return value + "=" * (-len(value) % 4)


def b64_bytes(value: str) -> bytes | None:
    """The bytes ``value`` decodes to, read as leniently as :func:`b64_clean`; None if it is not base64."""
    cleaned = b64_clean(value)
    if cleaned is None:
        return None
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        return None


def starts_like_xml(data: bytes) -> bool:
    """True when ``data`` begins with '<' (after white space) once read as text: UTF-8, or UTF-16 with
    or without its byte-order mark."""
    return decode_bytes(data[:64]).lstrip().startswith("<")


def bytes_to_text(data: bytes) -> str:
    """Decoded XML bytes as text: UTF-16 when its mark or its zero bytes say so, else UTF-8; never raises."""
    return decode_bytes(data)


def inflate(data: bytes) -> bytes | None:
    """Raw DEFLATE (the HTTP-Redirect binding, Bindings §3.4.4.1), or None when ``data`` is not that.

    Inflating stops at ``MAX_XML + 1`` bytes, so a decompression bomb costs no more memory or time than
    a large real message; a result longer than ``MAX_XML`` means "too large", and the caller says so.
    A stream cut short gives what it holds (the XML check then says the value was cut short).
    """
    try:
        inflater = zlib.decompressobj(-15)
        out = inflater.decompress(data, MAX_XML + 1)
    except zlib.error:
        return None
    return out or None


def inflated_head(data: bytes) -> bytes:
    """The first bytes the start of ``data`` inflates to ('' when it is not raw DEFLATE): enough to tell
    whether a value is a deflated XML message without inflating all of it."""
    try:
        return zlib.decompressobj(-15).decompress(data[:512], 64)
    except zlib.error:
        return b""


def payload_text(data: bytes) -> str | None:
    """The XML text inside decoded base64 bytes (inflating them if needed), or None.

    Text from a value that inflates past the cap is returned cut at the cap: enough to see what the
    message is, after which the check refuses it as too large.
    """
    if starts_like_xml(data):
        return bytes_to_text(data[: MAX_XML * 2])
    inflated = inflate(data)
    if inflated is not None and starts_like_xml(inflated):
        return bytes_to_text(inflated)
    return None


def too_large(inflated: bytes) -> bool:
    """True when inflating stopped at the cap (see :func:`inflate`)."""
    return len(inflated) > MAX_XML
