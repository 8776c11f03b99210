"""Decode one pasted value to the XML of a SAML message, or say why it cannot be.

The value may be the XML itself (maybe inside a longer paste or the IdP's auto-post HTML form),
or a ``SAMLResponse`` (or ``SAMLRequest``) value: base64 (the HTTP-POST binding, Bindings §3.5.4)
or base64 of raw DEFLATE (the HTTP-Redirect binding, §3.4.4.1, which also URL-encodes it into a
query string), maybe with its '+' signs turned into spaces by form decoding, the XML inside in
UTF-8 or UTF-16. Inflating stops at a cap, so a deflate bomb is refused, not expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding
from bot.diagnostics.saml.b64 import b64_bytes, b64_clean, bytes_to_text, inflate, starts_like_xml, too_large
from bot.diagnostics.saml.find import b64_candidates, find_saml_responses, xml_fragments
from bot.diagnostics.saml.shared import DTD_RE, FIELD_PREFIX_RE, MAX_XML, present
from bot.diagnostics.text import sniff_codec

_XML_HEAD_RE = re.compile(r"^\ufeff?\s*<")


@dataclass
class Decoded:
    """The XML found (and how it was encoded), or the finding that says why there is none.

    ``others`` counts the further Responses in the same paste, which are not checked.
    """

    xml: str | None = None
    encoding: str = ""
    problem: Finding | None = None
    others: int = 0


def decode(text: str) -> Decoded:
    """The first SAML message in ``text``, as XML (a Response, or what a ``SAMLRequest=`` field holds)."""
    stripped = text.strip().strip("\"'`")
    if _XML_HEAD_RE.match(stripped):
        return _from_xml(stripped)
    value = _form_value(stripped)
    for attempt in _attempts(value):
        decoded = _from_base64(attempt)
        if decoded is not None:
            return decoded
    found = find_saml_responses(text)
    if found:
        inner = decode(found[0]) if found[0] != text else Decoded()
        if inner.xml is not None or inner.problem is not None:  # the problem: it inflates too far
            inner.others = len(found) - 1
            return inner
    if b64_bytes(value) is not None or (len("".join(value.split())) >= 40 and b64_clean(value) is not None):
        return Decoded(problem=_undecodable())
    return Decoded(problem=_not_found())


def _from_xml(stripped: str) -> Decoded:
    if DTD_RE.search(stripped):
        return Decoded(xml=stripped, encoding="XML")  # kept whole: the parser refuses its DTD
    fragments = xml_fragments(stripped)
    if fragments:
        return Decoded(xml=fragments[0][1], encoding="XML", others=len(fragments) - 1)
    encoded = b64_candidates(stripped)  # e.g. the IdP's auto-post HTML form, with the value inside
    if encoded:
        inner = decode(encoded[0][1])
        if inner.xml is not None or inner.problem is not None:
            inner.others = len(encoded) - 1
            return inner
    return Decoded(xml=stripped, encoding="XML")


def _form_value(stripped: str) -> str:
    """The value of a ``SAMLResponse=...`` or ``SAMLRequest=...`` field (up to the next '&'), or the text
    as it is."""
    value = stripped
    field = FIELD_PREFIX_RE.match(value)
    if field is not None and value[: field.end()].lower().startswith(("samlresponse", "samlrequest")):
        value = value[field.end():]
    return value.split("&", 1)[0]


def _attempts(value: str) -> list[str]:
    """The readings of ``value`` to try in turn; the last one is always ``value`` itself."""
    attempts = [value]
    inner = value.strip()
    if " " in inner and "+" not in inner and "\n" not in inner:
        attempts.insert(0, inner.replace(" ", "+"))  # form decoding turned each '+' into a space
    return attempts


def _from_base64(value: str) -> Decoded | None:
    data = b64_bytes(value)
    if data is None:
        return None
    if starts_like_xml(data):
        return Decoded(xml=bytes_to_text(data), encoding=_label("base64", data))
    inflated = inflate(data)
    if inflated is None:
        return None
    if too_large(inflated):
        return Decoded(problem=_inflates_too_far(len(data)))
    if not starts_like_xml(inflated):
        return None
    return Decoded(xml=bytes_to_text(inflated), encoding=_label("base64 + DEFLATE (HTTP-Redirect binding)", inflated))


def _label(how: str, data: bytes) -> str:
    """How the value was encoded, as the all-clear reports it."""
    return how + ", UTF-16" if sniff_codec(data).startswith("utf-16") else how


def _inflates_too_far(compressed: int) -> Finding:
    return check_finding(
        "saml-inflates-too-far",
        present({"compressed_bytes": str(compressed), "inflated_at_least": str(MAX_XML + 1)}),
        values={"compressed_shown": f"{compressed:,}", "cap_shown": f"{MAX_XML:,}"},
    )


def _undecodable() -> Finding:
    return check_finding("saml-undecodable")


def _not_found() -> Finding:
    return check_finding("saml-not-found")
