"""Find SAML messages pasted in free text: as XML, or as a ``SAMLResponse``/``SAMLRequest`` value.

A value is base64 of the XML (the HTTP-POST binding) or of its raw DEFLATE (the HTTP-Redirect
binding, where it sits URL-encoded in the query string of a URL), the XML in UTF-8 or UTF-16.
Both scans are linear in the size of the text: the XML one is a single pass over the Response
tags, and the base64 one reads each run of characters once and decodes each candidate at most
three times, inflating at most a capped amount each time.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from bot.diagnostics.saml.b64 import b64_bytes, b64_clean, inflated_head, payload_text, starts_like_xml
from bot.diagnostics.saml.shared import DTD_RE, FIELD_PREFIX_RE, MAX_TEXT, MAX_XML, NS_PROTOCOL
from bot.diagnostics.text import as_text

MAX_FOUND = 10
_MIN_B64_TOKEN = 16
_MIN_DEFLATED = 64  # the shortest SAML message deflates to a few hundred base64 characters
# The form fields (and query parameters) that carry a SAML message, URL-encoded '=' or not.
_FIELD_NAMES = ("samlresponse=", "samlresponse%3d", "samlrequest=", "samlrequest%3d")

# A run of characters a base64 (or URL-encoded base64) value is made of; "=" joins a form field name.
_TOKEN_RE = re.compile(r"[A-Za-z0-9+/=%_\-]+")
# An opening or closing Response tag, any prefix; the namespace is checked separately.
_RESPONSE_TAG_RE = re.compile(r"<(/?)(?:([A-Za-z_][\w.\-]{0,63}):)?Response(?=[\s/>])")


def find_saml_responses(text: Any) -> list[str]:
    """SAML Responses found in ``text``, in the order they appear (at most 10).

    Two shapes are recognised: a form value or query parameter (base64, maybe
    deflated as the redirect binding sends it, maybe URL-encoded, maybe after
    ``SAMLResponse=``, maybe wrapped over lines, the XML inside in UTF-8 or
    UTF-16), returned as clean base64; and XML whose root is a ``Response`` in
    the SAML 2.0 protocol namespace (``<samlp:Response``, ``<saml2p:Response`` or
    any other prefix), returned as that element's text. A value announced by
    ``SAMLRequest=`` or ``SAMLResponse=`` is returned whatever SAML protocol
    message it holds, so the check can say what it is. All can be passed to
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

    Only a run of at least ``_MIN_B64_TOKEN`` characters can open a value, so the scan jumps from one
    such run to the next (``_LONG_TOKEN_RE``) and reads the shorter runs only where a value continues:
    the words of ordinary prose are never split out one by one.
    """
    found: list[tuple[int, str]] = []
    pos = 0
    while len(found) < MAX_FOUND:
        m = long_token(text, pos)
        if m is None:
            break
        pos = m.end()
        start = _value_start(m.group(0))
        if start is None:
            continue
        first, named = start
        run = _run(text, m)
        value = _best_decoding([first] + [token.group(0) for token in run], named)
        if value is not None:
            found.append((m.start(), value))
        if run:
            pos = run[-1].end()
    return found


# A whole run of ``_TOKEN_RE`` characters long enough to open a value (not the tail of a longer run).
_LONG_TOKEN_RE = re.compile(r"(?<![A-Za-z0-9+/=%_\-])[A-Za-z0-9+/=%_\-]{" + str(_MIN_B64_TOKEN) + ",}")
# The same run with the character before it: a pattern that opens with a character class lets the regex
# engine skip to the next place it could start, which the look-behind above keeps it from doing (it is
# tried at every character of every run).
_AFTER_BREAK_RE = re.compile(r"[^A-Za-z0-9+/=%_\-][A-Za-z0-9+/=%_\-]{" + str(_MIN_B64_TOKEN) + "}")


def long_token(text: str, pos: int = 0) -> re.Match[str] | None:
    """``_LONG_TOKEN_RE.search(text, pos)``, found faster: the first run that starts at ``pos`` or later (at the
    text's start, or after a character no run holds), matched there by ``_LONG_TOKEN_RE`` itself."""
    if pos == 0:
        at_start = _LONG_TOKEN_RE.match(text)
        if at_start is not None:
            return at_start
    before = _AFTER_BREAK_RE.search(text, max(pos - 1, 0))
    return None if before is None else _LONG_TOKEN_RE.match(text, before.start() + 1)


def _run(text: str, opening: re.Match[str]) -> list[re.Match[str]]:
    """The runs after ``opening`` that continue its value (lines wrapped by white space): each follows
    a long, unpadded run with nothing but white space between them."""
    run: list[re.Match[str]] = []
    prev = opening
    while len(prev.group(0)) >= _MIN_B64_TOKEN and not prev.group(0).endswith(("=", "%3D", "%3d")):
        following = _TOKEN_RE.search(text, prev.end())
        if following is None or not text[prev.end():following.start()].isspace():
            break
        run.append(following)
        prev = following
    return run


def _value_start(token: str) -> tuple[str, bool] | None:
    """The base64 in ``token`` if a SAML value starts there, and whether a field name announced it.

    A value starts where its first bytes read as '<' (UTF-8 or UTF-16), where they inflate to '<'
    (the HTTP-Redirect binding), or after ``SAMLResponse=`` or ``SAMLRequest=``.
    """
    if len(token) < _MIN_B64_TOKEN:
        return None
    body = token
    field = FIELD_PREFIX_RE.match(token)
    if field is not None and len(token) - field.end() >= _MIN_B64_TOKEN:
        body = token[field.end():]
    named = token.lower().startswith(_FIELD_NAMES)
    if named and field is not None:
        return token[field.end():], True
    if _head_is_xml(body):
        return body, False
    return None


def _head_is_xml(body: str) -> bool:
    """True when the start of ``body`` decodes to '<', directly or, for a long value, once inflated."""
    head = _head_bytes(body, 16)
    if head is not None and starts_like_xml(head):
        return True
    if len(body) < _MIN_DEFLATED:
        return False
    head = _head_bytes(body, 684)  # 513 bytes: more than a DEFLATE block header and its code tables need
    return head is not None and starts_like_xml(inflated_head(head))


def _head_bytes(body: str, chars: int) -> bytes | None:
    """The bytes the first ``chars`` base64 characters of ``body`` decode to (URL-decoded first)."""
    raw = body[: chars * 3]
    head = unquote(raw) if "%" in raw else raw
    return b64_bytes(head[:chars])


def _best_decoding(pieces: list[str], named: bool) -> str | None:
    """The cleaned value of the whole run, or of it without the last one or two pieces (words after the
    value): the first that ends like a complete XML document, else the longest that holds a SAML message.

    A SAML message is a Response in the protocol namespace; after a ``SAMLRequest=`` or ``SAMLResponse=``
    field name, any element in that namespace (the check then says what it is instead). A value that
    inflates past the cap is taken as it is: dropping pieces cannot make it smaller, and the check
    refuses it as too large.
    """
    fallback: str | None = None
    for drop in range(min(3, len(pieces))):
        value = "".join(pieces[: len(pieces) - drop])
        data = b64_bytes(value)
        xml = payload_text(data) if data is not None else None
        if xml is None or NS_PROTOCOL not in xml or not (named or _RESPONSE_TAG_RE.search(xml)):
            continue
        if xml.rstrip().endswith(">") or len(xml) > MAX_XML:
            return b64_clean(value) or value
        fallback = fallback or b64_clean(value) or value
    return fallback
