"""From a SAMLResponse form value to XML text: lenient base64, raw DEFLATE, byte-order marks.

Values arrive URL-encoded, wrapped over lines, in base64url or with their padding lost in a copy;
all of those are accepted. Inflating is capped, so a small value cannot expand into a huge one.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from urllib.parse import unquote

from bot.diagnostics.saml_shared import MAX_XML

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
    """True when ``data`` begins with '<', after a UTF-8 or UTF-16 byte-order mark and white space."""
    head = data[:64]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[2:].replace(b"\x00", b"").lstrip().startswith(b"<")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip().startswith(b"<")


def bytes_to_text(data: bytes) -> str:
    """Decoded XML bytes as text: UTF-16 when its mark says so, else UTF-8; never raises."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    return data.decode("utf-8", errors="replace")


def inflate(data: bytes) -> bytes | None:
    """Raw DEFLATE (the HTTP-Redirect binding, Bindings §3.4.4.1), with a cap against decompression bombs."""
    try:
        inflater = zlib.decompressobj(-15)
        out = inflater.decompress(data, MAX_XML)
    except zlib.error:
        return None
    if inflater.unconsumed_tail or not out:
        return None
    return out


def payload_text(data: bytes) -> str | None:
    """The XML text inside decoded base64 bytes (inflating them if needed), or None."""
    if starts_like_xml(data):
        return bytes_to_text(data[: MAX_XML * 2])
    inflated = inflate(data)
    if inflated is not None and starts_like_xml(inflated):
        return bytes_to_text(inflated)
    return None
