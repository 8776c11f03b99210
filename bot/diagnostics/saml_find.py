"""Find SAML Responses pasted in free text: as XML, or as a ``SAMLResponse`` form value (base64).

Both scans are linear in the size of the text: the XML one is a single pass over the Response
tags, and the base64 one reads each run of characters once and decodes each candidate at most
three times.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from bot.diagnostics.saml_base64 import b64_bytes, b64_clean, payload_text, starts_like_xml
from bot.diagnostics.saml_shared import DTD_RE, FIELD_PREFIX_RE, MAX_TEXT, NS_PROTOCOL
from bot.diagnostics.text import as_text

MAX_FOUND = 10
_MIN_B64_TOKEN = 16

# A run of characters a base64 (or URL-encoded base64) value is made of; "=" joins a form field name.
_TOKEN_RE = re.compile(r"[A-Za-z0-9+/=%_\-]+")
# An opening or closing Response tag, any prefix; the namespace is checked separately.
_RESPONSE_TAG_RE = re.compile(r"<(/?)(?:([A-Za-z_][\w.\-]{0,63}):)?Response(?=[\s/>])")


def find_saml_responses(text: Any) -> list[str]:
    """SAML Responses found in ``text``, in the order they appear (at most 10).

    Two shapes are recognised: a ``SAMLResponse`` form value (base64, maybe
    URL-encoded, maybe after ``SAMLResponse=``, maybe wrapped over lines),
    returned as clean base64; and XML whose root is a ``Response`` in the
    SAML 2.0 protocol namespace (``<samlp:Response``, ``<saml2p:Response`` or any
    other prefix), returned as that element's text. Both can be passed to
    :func:`check_saml_response`. Linear-time; never raises.
    """
    try:
        raw = as_text(text)[:MAX_TEXT]
        hits = xml_fragments(raw) + b64_candidates(raw)
    except Exception:
        return []
    hits.sort(key=lambda hit: hit[0])
    out: list[str] = []
    for _offset, value in hits:
        if value not in out:
            out.append(value)
    return out[:MAX_FOUND]


# ------------------------------------------------------------------ written out as XML


def xml_fragments(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each top-level SAML protocol ``Response`` element written out as XML.

    A document type declaration before a Response belongs to it: it is kept, so the check can
    refuse it.
    """
    dtds = [m.start() for m in DTD_RE.finditer(text)]
    out: list[tuple[int, str]] = []
    previous_end = 0
    for offset, fragment in _response_elements(text):
        end = offset + len(fragment)
        before = [p for p in dtds if previous_end <= p < offset]
        if before:
            offset = before[0]
            fragment = text[offset:end]
        previous_end = end
        if NS_PROTOCOL in fragment:
            out.append((offset, fragment))
    return out


def _response_elements(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each outermost ``Response`` element, whatever its namespace.

    One pass over the opening and closing tags, counting depth per prefix, so
    a Response nested in another (as in a signature-wrapping attack) stays
    inside its outer one. An unterminated Response runs to the end of the text
    (the check then says the XML is cut short).
    """
    found: list[tuple[int, str]] = []
    start: int | None = None
    prefix = ""
    depth = 0
    for match in _RESPONSE_TAG_RE.finditer(text):
        closing, tag_prefix = match.group(1) == "/", match.group(2) or ""
        if start is None:
            if closing:
                continue
            start, prefix, depth = match.start(), tag_prefix, 1
        elif tag_prefix == prefix:
            depth += -1 if closing else 1
        if start is not None and depth == 0:
            end = text.find(">", match.end())
            end = len(text) if end == -1 else end + 1
            found.append((start, text[start:end]))
            start = None
            if len(found) >= MAX_FOUND:
                break
    if start is not None and len(found) < MAX_FOUND:
        found.append((start, text[start:]))
    return found


# ------------------------------------------------------------------ a base64 form value


def b64_candidates(text: str) -> list[tuple[int, str]]:
    """(offset, cleaned base64) of each SAMLResponse-looking base64 value in ``text``.

    Values may be wrapped over lines: runs separated only by white space are
    read as one value while each line but the last is long and unpadded. Each
    run takes part in at most one candidate, and each candidate is decoded at
    most three times, so the scan stays linear in the size of the text.
    """
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN_RE.finditer(text)]
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(tokens) and len(found) < MAX_FOUND:
        first = _value_start(tokens[i][2])
        if first is None:
            i += 1
            continue
        last = _run_end(text, tokens, i)
        value = _best_decoding([first] + [token for _start, _end, token in tokens[i + 1:last + 1]])
        if value is not None:
            found.append((tokens[i][0], value))
        i = last + 1
    return found


def _value_start(token: str) -> str | None:
    """The base64 in ``token`` if a value starts there: it decodes to '<', or follows ``SAMLResponse=``."""
    if len(token) < _MIN_B64_TOKEN:
        return None
    first = _starts_with_lt(token)
    if first is None and token.lower().startswith(("samlresponse=", "samlresponse%3d")):
        first = token[FIELD_PREFIX_RE.match(token).end():]  # type: ignore[union-attr]
    return first


def _starts_with_lt(token: str) -> str | None:
    """The base64 part of ``token`` when its first bytes decode to '<' (after a BOM or white space)."""
    body = token
    field = FIELD_PREFIX_RE.match(token)
    if field is not None and len(token) - field.end() >= _MIN_B64_TOKEN:
        body = token[field.end():]
    head = b64_bytes(body[:16] if "%" not in body[:16] else unquote(body[:40])[:16])
    if head is not None and starts_like_xml(head):
        return body
    return None


def _run_end(text: str, tokens: list[tuple[int, int, str]], i: int) -> int:
    """The index of the last token of the value starting at token ``i`` (lines wrapped by white space)."""
    j = i
    while j + 1 < len(tokens):
        prev = tokens[j][2]
        if len(prev) < _MIN_B64_TOKEN or prev.endswith(("=", "%3D", "%3d")):
            break
        if not text[tokens[j][1]:tokens[j + 1][0]].isspace():
            break
        j += 1
    return j


def _best_decoding(pieces: list[str]) -> str | None:
    """The cleaned value of the whole run, or of it without the last one or two pieces (words after the
    value): the first that ends like a complete XML document, else the longest that holds a Response."""
    fallback: str | None = None
    for drop in range(min(3, len(pieces))):
        value = "".join(pieces[: len(pieces) - drop])
        data = b64_bytes(value)
        xml = payload_text(data) if data is not None else None
        if xml is None or NS_PROTOCOL not in xml or not _RESPONSE_TAG_RE.search(xml):
            continue
        if xml.rstrip().endswith(">"):
            return b64_clean(value) or value
        fallback = fallback or b64_clean(value) or value
    return fallback
