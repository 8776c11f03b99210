"""Read a SAML 2.0 Response the way a service provider would, and say what it would refuse.

An admin usually gets the Response from a browser trace: the ``SAMLResponse``
field of the form the IdP posts to the SP's Assertion Consumer Service (base64,
often URL-encoded and wrapped over lines; SAML Bindings §3.5.4), or the decoded
XML from a SAML tracer. :func:`find_saml_responses` finds either in free text;
:func:`check_saml_response` decodes and parses one and checks, against SAML 2.0
Core and the Web Browser SSO profile:

* the top-level ``<samlp:Status>`` (Core §3.2.2.1-§3.2.2.3): anything but
  ``Success`` is the IdP refusing, with a second-level code and a message;
* the ``Destination`` of the Response (Core §3.2.2; Bindings §3.5.5.2 requires
  it on a signed POST) and its ``Issuer`` against the assertion's (Core §2.3.3);
* how many assertions there are and where (Profiles §4.1.4.2 expects one;
  extra or nested ones, duplicate IDs and signatures that reference another
  element are the signs of XML signature wrapping; Core §5.4.2 has a signature
  reference the ID of the element that carries it);
* whether the Response or the assertion carries a ``<ds:Signature>`` (Core §5).
  The signature is *not* verified here: there is no IdP certificate to verify
  it with;
* ``<saml:Conditions>`` (Core §2.5.1): ``NotBefore``/``NotOnOrAfter`` against
  ``now`` (Core §2.5.1.2), and the ``<AudienceRestriction>`` (Core §2.5.1.4);
* the bearer ``<SubjectConfirmationData>`` (Core §2.4.1.2; Profiles §4.1.4.2):
  ``Recipient``, ``NotOnOrAfter`` and ``InResponseTo``;
* the ``<NameID>`` and its format (Core §2.2.3, §8.3), and the attributes
  (Core §2.7.3) an SP needs to create users just in time: given name, surname
  and email (the vendor guide, section 1.11).

The XML is parsed with ``xml.etree.ElementTree`` only after any document type
declaration has been refused: a DTD is how XXE and "billion laughs" payloads
get in, and no IdP sends one. Findings never repeat a signature value, a
digest or a certificate; the NameID and attribute *names* may appear, attribute
values do not. Pure functions: no network; the clock only when ``now`` is
omitted. Never raises.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
import xml.etree.ElementTree as ET
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable
from urllib.parse import unquote

from bot.diagnostics.redirect import diverge_at
from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.text import as_text, is_invisible

__all__ = ["check_saml_response", "find_saml_responses", "NS_PROTOCOL", "NS_ASSERTION"]

SUBJECT = "SAML response"

NS_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
NS_ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion"
NS_DSIG = "http://www.w3.org/2000/09/xmldsig#"
_P = "{" + NS_PROTOCOL + "}"
_A = "{" + NS_ASSERTION + "}"
_DS = "{" + NS_DSIG + "}"

_STATUS_PREFIX = "urn:oasis:names:tc:SAML:2.0:status:"
_SUCCESS = _STATUS_PREFIX + "Success"
_BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
_UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
_EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
_TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"

REF_CORE = "https://docs.oasis-open.org/security/saml/v2.0/saml-core-2.0-os.pdf"
REF_PROFILES = "https://docs.oasis-open.org/security/saml/v2.0/saml-profiles-2.0-os.pdf"
REF_BINDINGS = "https://docs.oasis-open.org/security/saml/v2.0/saml-bindings-2.0-os.pdf"
REF_ENTRA_SAML = "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/add-application-portal-setup-sso"
REF_ENTRA_CLAIMS = "https://learn.microsoft.com/en-us/entra/identity-platform/saml-claims-customization"
REF_OKTA_SAML = "https://help.okta.com/en-us/content/topics/apps/apps_app_integration_wizard_saml.htm"

_MAX_TEXT = 2_000_000  # characters of input looked at
_MAX_XML = 1_000_000  # characters of XML parsed (after base64 / inflate)
_MAX_FOUND = 10
_MIN_B64_TOKEN = 16
_FACT = 200

# Where the SP side of SAML is configured at each IdP.
_WHERE_BASIC = (
    "Entra admin center → Entra ID → Enterprise apps → <app> → Single sign-on → Basic SAML Configuration "
    "(Identifier (Entity ID) and Reply URL (Assertion Consumer Service URL)).",
    "Okta Admin Console → Applications → Applications → <app> → General → SAML Settings → Edit "
    "(Single sign-on URL and Audience URI (SP Entity ID)).",
)
_WHERE_CLAIMS = (
    "Entra admin center → Entra ID → Enterprise apps → <app> → Single sign-on → Attributes & Claims.",
    "Okta Admin Console → Applications → Applications → <app> → General → SAML Settings → Edit → "
    "Attribute Statements.",
)
_WHERE_NAMEID = (
    "Entra admin center → Entra ID → Enterprise apps → <app> → Single sign-on → Attributes & Claims → "
    "Unique User Identifier (Name ID).",
    "Okta Admin Console → Applications → Applications → <app> → General → SAML Settings → Edit → "
    "Name ID format and Application username.",
)
_WHERE_SIGNING = (
    "Entra admin center → Entra ID → Enterprise apps → <app> → Single sign-on → SAML Certificates → "
    "Signing Option (sign the response, the assertion, or both).",
    "Okta Admin Console → Applications → Applications → <app> → General → SAML Settings → Edit → "
    "Show Advanced Settings → Response and Assertion Signature.",
)
_WHERE_LOGS = (
    "Entra admin center → Entra ID → Monitoring & health → Sign-in logs → the failed sign-in.",
    "Okta Admin Console → Reports → System Log (search for the user or the app).",
)

# ------------------------------------------------------------------ small helpers


def _shown(ch: str) -> bool:
    """False for characters a finding should not carry: invisible ones and lone surrogates."""
    return not (is_invisible(ch) or unicodedata.category(ch) == "Cs")


def _clip(text: str | None, limit: int = _FACT) -> str:
    """One line, no control or invisible characters, at most ``limit`` characters."""
    if not text:
        return ""
    shown = "".join(ch if _shown(ch) else " " for ch in text[: limit * 2 + 1])
    shown = " ".join(shown.split())
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _short(uri: str) -> str:
    """The last part of a URN or URI: ``...:status:Responder`` -> ``Responder``."""
    uri = uri.strip()
    for sep in (":", "/", "#"):
        if sep in uri:
            uri = uri.rsplit(sep, 1)[-1] or uri
    return uri


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return "?"
    return tag.rsplit("}", 1)[-1]


def _text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _fmt(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _span(delta: timedelta) -> str:
    """How long, in at most two units: '4 minutes 10 seconds', '3 days 2 hours', '12 years'."""
    seconds = int(abs(delta.total_seconds()))
    units = (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
    parts: list[str] = []
    for name, size in units:
        if seconds >= size or (name == "second" and not parts):
            count, seconds = divmod(seconds, size)
            parts.append(f"{count} {name}{'s' if count != 1 else ''}")
            if len(parts) == 2 or name == "year":
                break
        elif parts:
            break
    return " ".join(parts)


# xs:dateTime as SAML uses it (Core §1.3.3: UTC, usually with a Z).
_DATETIME_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,12}))?(Z|[+-]\d{2}:?\d{2})?\s*$"
)


def _parse_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    match = _DATETIME_RE.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), min(int(second), 59),
                          int((fraction or "0")[:6].ljust(6, "0")), tzinfo=timezone.utc)
        if zone and zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    except (ValueError, OverflowError):
        return None
    return moment


def _f(code: str, severity: Severity, title: str, detail: str, *, fix: Iterable[str] = (),
       refs: Iterable[str] = (REF_CORE,), facts: dict[str, str] | None = None) -> Finding:
    return Finding(code=code, severity=severity, title=title, detail=detail, fix=tuple(fix), refs=tuple(refs),
                   facts={k: v for k, v in (facts or {}).items() if v})


# ------------------------------------------------------------------ finding SAML in text

# A run of characters a base64 (or URL-encoded base64) value is made of; "=" joins a form field name.
_TOKEN_RE = re.compile(r"[A-Za-z0-9+/=%_\-]+")
_FIELD_PREFIX_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,40}(?:=|%3[Dd])")
_B64_CLEAN_RE = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
# An opening or closing Response tag, any prefix; the namespace is checked separately.
_RESPONSE_TAG_RE = re.compile(r"<(/?)(?:([A-Za-z_][\w.\-]{0,63}):)?Response(?=[\s/>])")
_XML_HEAD_RE = re.compile(r"^\ufeff?\s*<")
_XML_DECL_RE = re.compile(r"^\ufeff?\s*<\?xml\b[^<>]{0,300}\?>")
_DTD_RE = re.compile(r"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)


def _xml_fragments(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each top-level SAML protocol ``Response`` element written out as XML.

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
            if len(found) >= _MAX_FOUND:
                break
    if start is not None and len(found) < _MAX_FOUND:
        found.append((start, text[start:]))
    # A document type declaration before a Response belongs to it: keep it, so the check can refuse it.
    dtds = [m.start() for m in _DTD_RE.finditer(text)]
    out: list[tuple[int, str]] = []
    previous_end = 0
    for offset, fragment in found:
        end = offset + len(fragment)
        before = [p for p in dtds if previous_end <= p < offset]
        if before:
            offset = before[0]
            fragment = text[offset:end]
        previous_end = end
        if NS_PROTOCOL in fragment:
            out.append((offset, fragment))
    return out


def _b64_clean(value: str) -> str | None:
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


def _b64_bytes(value: str) -> bytes | None:
    cleaned = _b64_clean(value)
    if cleaned is None:
        return None
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        return None


def _starts_like_xml(data: bytes) -> bool:
    head = data[:64]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[2:].replace(b"\x00", b"").lstrip().startswith(b"<")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip().startswith(b"<")


def _bytes_to_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    return data.decode("utf-8", errors="replace")


def _inflate(data: bytes) -> bytes | None:
    """Raw DEFLATE (the HTTP-Redirect binding, Bindings §3.4.4.1), with a cap against decompression bombs."""
    try:
        inflater = zlib.decompressobj(-15)
        out = inflater.decompress(data, _MAX_XML)
    except zlib.error:
        return None
    if inflater.unconsumed_tail or not out:
        return None
    return out


def _starts_with_lt(token: str) -> str | None:
    """The base64 part of ``token`` when its first bytes decode to '<' (after a BOM or white space)."""
    body = token
    field = _FIELD_PREFIX_RE.match(token)
    if field is not None and len(token) - field.end() >= _MIN_B64_TOKEN:
        body = token[field.end():]
    head = _b64_bytes(body[:16] if "%" not in body[:16] else unquote(body[:40])[:16])
    if head is not None and _starts_like_xml(head):
        return body
    return None


def _b64_candidates(text: str) -> list[tuple[int, str]]:
    """(offset, cleaned base64) of each SAMLResponse-looking base64 value in ``text``.

    Values may be wrapped over lines: runs separated only by white space are
    read as one value while each line but the last is long and unpadded. Each
    run takes part in at most one candidate, and each candidate is decoded at
    most three times, so the scan stays linear in the size of the text.
    """
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN_RE.finditer(text)]
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(tokens) and len(found) < _MAX_FOUND:
        start, _end, token = tokens[i]
        explicit = token.lower().startswith(("samlresponse=", "samlresponse%3d"))
        if len(token) < _MIN_B64_TOKEN:
            i += 1
            continue
        first = _starts_with_lt(token)
        if first is None and explicit:
            first = token[_FIELD_PREFIX_RE.match(token).end():]  # type: ignore[union-attr]
        if first is None:
            i += 1
            continue
        pieces = [first]
        j = i
        while j + 1 < len(tokens):
            prev = tokens[j][2]
            if len(prev) < _MIN_B64_TOKEN or prev.endswith(("=", "%3D", "%3d")):
                break
            gap = text[tokens[j][1]:tokens[j + 1][0]]
            if not gap.isspace():
                break
            j += 1
            pieces.append(tokens[j][2])
        # Try the whole run, then without the last one or two pieces (words after the value);
        # prefer a decoding that ends like a complete XML document.
        fallback: str | None = None
        for drop in range(min(3, len(pieces))):
            value = "".join(pieces[: len(pieces) - drop])
            data = _b64_bytes(value)
            xml = _payload_text(data) if data is not None else None
            if xml is None or NS_PROTOCOL not in xml or not _RESPONSE_TAG_RE.search(xml):
                continue
            if xml.rstrip().endswith(">"):
                fallback = _b64_clean(value) or value
                break
            fallback = fallback or _b64_clean(value) or value
        if fallback is not None:
            found.append((start, fallback))
        i = j + 1
    return found


def _payload_text(data: bytes) -> str | None:
    """The XML text inside decoded base64 bytes (inflating them if needed), or None."""
    if _starts_like_xml(data):
        return _bytes_to_text(data[: _MAX_XML * 2])
    inflated = _inflate(data)
    if inflated is not None and _starts_like_xml(inflated):
        return _bytes_to_text(inflated)
    return None


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
        raw = as_text(text)[:_MAX_TEXT]
        hits = _xml_fragments(raw) + _b64_candidates(raw)
    except Exception:
        return []
    hits.sort(key=lambda hit: hit[0])
    out: list[str] = []
    for _offset, value in hits:
        if value not in out:
            out.append(value)
    return out[:_MAX_FOUND]


# ------------------------------------------------------------------ decoding one value


@dataclass
class _Decoded:
    xml: str | None = None
    encoding: str = ""
    problem: Finding | None = None
    others: int = 0


def _decode(text: str) -> _Decoded:
    stripped = text.strip().strip("\"'`")
    if _XML_HEAD_RE.match(stripped):
        if _DTD_RE.search(stripped):
            return _Decoded(xml=stripped, encoding="XML")  # refused by _parse, never expanded
        fragments = _xml_fragments(stripped)
        if fragments:
            return _Decoded(xml=fragments[0][1], encoding="XML", others=len(fragments) - 1)
        encoded = _b64_candidates(stripped)  # e.g. the IdP's auto-post HTML form, with the value inside
        if encoded:
            inner = _decode(encoded[0][1])
            if inner.xml is not None:
                inner.others = len(encoded) - 1
                return inner
        return _Decoded(xml=stripped, encoding="XML")
    value = stripped
    field = _FIELD_PREFIX_RE.match(value)
    if field is not None and value[: field.end()].lower().startswith("samlresponse"):
        value = value[field.end():]
    value = value.split("&", 1)[0]
    attempts = [value]
    inner = value.strip()
    if " " in inner and "+" not in inner and "\n" not in inner:
        attempts.insert(0, inner.replace(" ", "+"))  # form decoding turned each '+' into a space
    data: bytes | None = None
    for attempt in attempts:
        data = _b64_bytes(attempt)
        if data is None:
            continue
        if _starts_like_xml(data):
            return _Decoded(xml=_bytes_to_text(data), encoding="base64")
        inflated = _inflate(data)
        if inflated is not None and _starts_like_xml(inflated):
            return _Decoded(xml=_bytes_to_text(inflated), encoding="base64 + DEFLATE")
    found = find_saml_responses(text)
    if found:
        inner = _decode(found[0]) if found[0] != text else _Decoded()
        if inner.xml is not None:
            inner.others = len(found) - 1
            return inner
    if data is not None or (len("".join(value.split())) >= 40 and _b64_clean(value) is not None):
        return _Decoded(problem=_f(
            "saml-undecodable", Severity.WARN,
            "This looks like a SAMLResponse value, but it does not decode to XML",
            "The text is base64-shaped, yet decoding it (and inflating it, for the redirect binding) gives no "
            "XML. The value was most likely cut short or altered while copying: a browser trace or a log line "
            "may truncate long form fields.",
            fix=("Copy the whole SAMLResponse value again, e.g. from the browser's developer tools (Network → "
                 "the POST to the SP's ACS URL → Payload) or a SAML tracer extension, and paste all of it.",),
            refs=(REF_BINDINGS,),
        ))
    return _Decoded(problem=_f(
        "saml-not-found", Severity.INFO,
        "No SAML response found",
        "I looked for a SAMLResponse form value (base64) or the XML of a <samlp:Response> and found neither.",
        fix=("Paste the SAMLResponse value from the POST to the SP's Assertion Consumer Service URL (browser "
             "developer tools → Network, or a SAML tracer), or the decoded XML.",),
        refs=(REF_BINDINGS,),
    ))


def _parse(xml: str) -> tuple[ET.Element | None, Finding | None]:
    """Parse ``xml`` safely: refuse any DTD first, drop the XML declaration, feed text (not bytes)."""
    dtd = _DTD_RE.search(xml)
    if dtd is not None:
        return None, _f(
            "saml-dtd-refused", Severity.FAIL,
            f"Refused: the XML declares a <!{dtd.group(1).upper()}>",
            "A document type declaration can define entities, which is how XML external entity (XXE) and "
            "entity-expansion (\"billion laughs\") attacks work. No IdP puts one in a SAML message, so the XML "
            "was not parsed at all and nothing in it was expanded. A service provider should refuse it too.",
            fix=("If this came from your IdP, treat it as tampering and investigate where the response came from.",
                 "Check that the SP's SAML library rejects DTDs (most current ones do)."),
            refs=("https://owasp.org/www-community/vulnerabilities/XML_External_Entity_(XXE)_Processing", REF_CORE),
            facts={"declaration": dtd.group(1).upper(), "offset": str(dtd.start())},
        )
    body = _XML_DECL_RE.sub("", xml, count=1).lstrip("\ufeff")
    if len(body) > _MAX_XML:
        return None, _f(
            "saml-xml-invalid", Severity.FAIL,
            "The XML is too large to be a SAML response",
            f"It has {len(body):,} characters once decoded; real responses are a few kilobytes to a few hundred. "
            "It was not parsed.",
            facts={"characters": str(len(body))},
        )
    try:
        return ET.fromstring(body), None
    except ET.ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        message = _clip(str(error).split(":", 1)[0], 80)
        last_line = body.count("\n") + 1
        cut = message in ("no element found", "unclosed token") or (
            line >= last_line and column >= len(body.rsplit("\n", 1)[-1]) - 1)
        detail = f"The XML parser stopped at line {line}, column {column}: {message}."
        if cut:
            detail += " The text ends before the XML does, so the value was probably cut short while copying."
        return None, _f(
            "saml-xml-invalid", Severity.FAIL,
            "The SAML response is not well-formed XML",
            detail + " An SP cannot read it either.",
            fix=("Copy the whole SAMLResponse value again (browser developer tools or a SAML tracer) and paste "
                 "all of it.",),
            facts={"error": message, "line": str(line), "column": str(column)},
        )


# ------------------------------------------------------------------ the check


def check_saml_response(
    value: Any,
    *,
    now: datetime | None = None,
    expected_audience: str | None = None,
    expected_destination: str | None = None,
) -> Report:
    """Check a SAML 2.0 Response (a ``SAMLResponse`` form value or its XML) as an SP would.

    ``now`` is the clock for the validity windows of ``<Conditions>`` (SAML
    Core §2.5.1) and of the bearer ``<SubjectConfirmationData>`` (Core
    §2.4.1.2); naive values are taken as UTC and the real clock is used only
    when it is omitted. ``expected_audience`` is the SP's entity ID (compared
    with every ``<Audience>``, Core §2.5.1.4) and ``expected_destination`` its
    ACS URL (compared with the Response's ``Destination``, Core §3.2.2, and the
    confirmation's ``Recipient``). Only the first Response in ``value`` is
    checked. The signature is looked for, never verified. Never raises.
    """
    try:
        clock = _aware(now) if isinstance(now, datetime) else datetime.now(timezone.utc)
        findings = _check(as_text(value)[:_MAX_TEXT], clock, _optional(expected_audience),
                          _optional(expected_destination))
    except Exception:
        findings = [
            _f("saml-unreadable", Severity.INFO, "This SAML response could not be analysed",
               "Something in the pasted value stopped the check.",
               fix=("Paste only the SAMLResponse value, or the XML of the Response, on its own.",))
        ]
    return Report(subject=SUBJECT, findings=tuple(findings), inputs=("saml_response",))


def _optional(value: Any) -> str | None:
    text = as_text(value).strip()
    return text or None


def _check(text: str, now: datetime, audience: str | None, destination: str | None) -> list[Finding]:
    decoded = _decode(text)
    if decoded.problem is not None:
        return [decoded.problem]
    root, problem = _parse(decoded.xml or "")
    if problem is not None:
        return [problem]
    assert root is not None
    if root.tag != _P + "Response":
        namespace = root.tag[1:].split("}", 1)[0] if isinstance(root.tag, str) and root.tag.startswith("{") else ""
        what = {
            "AuthnRequest": "the SP's sign-in request (SAMLRequest), not the IdP's answer",
            "LogoutRequest": "a logout request",
            "LogoutResponse": "a logout response",
            "Assertion": "a bare assertion, without the Response around it",
            "EntityDescriptor": "metadata, not a response",
        }.get(_local(root.tag), "not a SAML 2.0 Response")
        return [_f(
            "saml-not-a-response", Severity.INFO,
            f"This XML is a <{_clip(_local(root.tag), 60)}>: {what}",
            "The check reads a <samlp:Response> in the SAML 2.0 protocol namespace (Core §3.2.2), the message the "
            "IdP posts to the SP's Assertion Consumer Service URL.",
            fix=("Paste the SAMLResponse field of the POST to the SP's ACS URL (not the SAMLRequest).",),
            facts={"root_element": _clip(_local(root.tag), 60), "namespace": _clip(namespace, 120)},
        )]
    return _Analysis(root, now, audience, destination, decoded).run()


class _Analysis:
    """One pass over a parsed Response; each method adds the findings of one part of the message."""

    def __init__(self, root: ET.Element, now: datetime, audience: str | None, destination: str | None,
                 decoded: _Decoded) -> None:
        self.root = root
        self.now = now
        self.expected_audience = audience
        self.expected_destination = destination
        self.decoded = decoded
        self.findings: list[Finding] = []
        self.parents: dict[ET.Element, ET.Element] = {}
        for parent in root.iter():
            for child in parent:
                self.parents[child] = parent
        self.assertions = list(root.iter(_A + "Assertion"))
        self.encrypted = list(root.iter(_A + "EncryptedAssertion"))
        direct = root.findall(_A + "Assertion")
        self.assertion = direct[0] if direct else (self.assertions[0] if self.assertions else None)
        self.response_issuer = _text(root.find(_A + "Issuer"))
        self.dest_attr = root.get("Destination")
        self.audiences: list[str] = []
        self.summary: dict[str, str] = {"encoding": decoded.encoding}
        if decoded.others:
            self.summary["other_responses_in_paste"] = str(decoded.others)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def run(self) -> list[Finding]:
        if not self.status():
            return self.findings
        self.destination()
        self.structure()
        self.signatures()
        if self.assertion is not None:
            self.issuers()
            self.conditions()
            self.subject()
            self.attributes()
        self.ok_summary()
        return self.findings

    # -- §3.2.2 Status --------------------------------------------------------

    def status(self) -> bool:
        """Core §3.2.2.1-§3.2.2.3. False when the IdP refused (nothing else is worth checking)."""
        status = self.root.find(_P + "Status")
        code = status.find(_P + "StatusCode") if status is not None else None
        top = (code.get("Value") or "").strip() if code is not None else ""
        if not top:
            self.add(_f(
                "saml-status-missing", Severity.FAIL,
                "The response has no <samlp:Status>",
                "Every SAML response must carry a Status with a top-level StatusCode (Core §3.2.2). Without it "
                "the SP cannot tell success from failure and rejects the message.",
                fix=("Check whether something between the IdP and the SP rewrites the response (a proxy, a "
                     "custom IdP plug-in), and capture it again straight from the browser.",),
            ))
            return True
        if top == _SUCCESS:
            return True
        sub_el = code.find(_P + "StatusCode") if code is not None else None
        sub = (sub_el.get("Value") or "").strip() if sub_el is not None else ""
        message = _text(status.find(_P + "StatusMessage")) if status is not None else ""
        meaning = {
            "Requester": "the IdP blames the request it received from the SP",
            "Responder": "the IdP could not complete the sign-in on its side",
            "VersionMismatch": "the IdP does not accept the SAML version of the request",
        }.get(_short(top), "the IdP did not sign the user in")
        hints = {
            "AuthnFailed": "the user could not be authenticated (wrong password, MFA not completed, account "
                           "locked or disabled).",
            "InvalidNameIDPolicy": "the SP asked for a NameID format the IdP is not configured to send; align "
                                   "the NameIDPolicy of the SP with the Name ID format at the IdP.",
            "NoPassive": "the SP asked for a silent sign-in (IsPassive) but the user has to interact.",
            "RequestDenied": "the IdP refused on purpose, often because the user is not assigned to the app or "
                             "a policy blocks them.",
            "UnknownPrincipal": "the IdP does not know this user, or the user is not assigned to the app.",
            "NoAuthnContext": "the SP demanded an authentication context (e.g. a stronger method) the IdP "
                              "cannot satisfy.",
            "RequestUnsupported": "the IdP does not support something in the request.",
        }
        detail = f"The top-level status is {_short(top)}: {meaning}."
        if sub:
            detail += f" The second-level code is {_short(sub)}"
            hint = hints.get(_short(sub))
            detail += f": {hint}" if hint else "."
        if message:
            detail += f" The IdP's message: \"{_clip(message, 300)}\"."
        detail += (" An error response carries no assertion (Profiles §4.1.4.2), so there is nothing else to "
                   "check; the IdP's sign-in log has the reason.")
        self.add(_f(
            "saml-status-not-success", Severity.FAIL,
            f"The IdP answered {_short(top)}{' / ' + _short(sub) if sub else ''}, not Success",
            detail,
            fix=("Find this sign-in in the IdP's log for the exact reason: " + " Or: ".join(_WHERE_LOGS),
                 "Check that the user is assigned to the app and that the SP's entity ID and ACS URL match the "
                 "IdP's configuration: " + " Or: ".join(_WHERE_BASIC)),
            refs=(REF_CORE, REF_PROFILES),
            facts={"status": _short(top), "status_uri": _clip(top), "sub_status": _short(sub) if sub else "",
                   "status_message": _clip(message, 300), "issuer": _clip(self.response_issuer)},
        ))
        return False

    # -- §3.2.2 Destination ---------------------------------------------------

    def destination(self) -> None:
        dest = self.dest_attr
        if dest is None:
            self.add(_f(
                "saml-destination-missing", Severity.WARN,
                "The response has no Destination",
                "Destination names the URL the IdP meant the response for (Core §3.2.2). It is optional in "
                "general, but a signed response sent with HTTP-POST must carry it (Bindings §3.5.5.2), and many "
                "SPs refuse a response without it.",
                fix=("Make sure the IdP knows the SP's ACS URL (Reply URL / Single sign-on URL): "
                     + " Or: ".join(_WHERE_BASIC),),
                refs=(REF_CORE, REF_BINDINGS),
            ))
            return
        if not dest.strip():
            self.add(_f(
                "saml-destination-empty", Severity.FAIL,
                "The response's Destination is empty",
                "Destination=\"\" names no URL, so an SP that checks it (as Bindings §3.5.5.2 requires for signed "
                "POSTs) cannot match it with its own ACS URL and rejects the response.",
                fix=("Set the SP's ACS URL at the IdP: " + " Or: ".join(_WHERE_BASIC),),
                refs=(REF_CORE, REF_BINDINGS),
            ))
            return
        self.summary["destination"] = _clip(dest.strip())
        expected = self.expected_destination
        if expected is not None and dest.strip() != expected:
            position = diverge_at(expected, dest.strip())
            self.add(_f(
                "saml-destination-mismatch", Severity.FAIL,
                "The Destination is not the SP's ACS URL",
                f"The response is addressed to {_clip(dest.strip(), 160)}, but the SP expects {_clip(expected, 160)}"
                f" (they differ from character {position}). The SP compares the two as strings and refuses a "
                "response meant for another URL; scheme, host, path, case and a trailing slash all count.",
                fix=("Make the ACS URL at the IdP identical to the SP's: " + " Or: ".join(_WHERE_BASIC),),
                refs=(REF_CORE, REF_BINDINGS, REF_ENTRA_SAML, REF_OKTA_SAML),
                facts={"destination": _clip(dest.strip()), "expected": _clip(expected),
                       "diverge_at": str(position or "")},
            ))

    # -- assertions: how many, where, duplicate IDs ---------------------------

    def structure(self) -> None:
        total = len(self.assertions) + len(self.encrypted)
        if total == 0:
            self.add(_f(
                "saml-assertion-missing", Severity.FAIL,
                "The response says Success but holds no assertion",
                "A successful response to a sign-in carries one assertion (plain or encrypted) about the user "
                "(Profiles §4.1.4.2). This one has none, so there is nobody to sign in.",
                fix=("Capture the response again; if it is still empty, look at the IdP's sign-in log and the "
                     "app's SAML configuration: " + " Or: ".join(_WHERE_BASIC),),
                refs=(REF_PROFILES,),
            ))
        if total > 1:
            ids = [a.get("ID") or "(no ID)" for a in self.assertions + self.encrypted]
            self.add(_f(
                "saml-multiple-assertions", Severity.FAIL,
                f"The response holds {total} assertions",
                "IdPs send one assertion per sign-in. More than one is what an XML signature-wrapping attack "
                "looks like: a forged assertion is added next to (or around) the signed one, hoping the SP checks "
                "the signature of one and reads the user from the other. Many SPs refuse such a response outright.",
                fix=("Do not trust this response. Find out where it came from (a proxy or plug-in that rewrites "
                     "responses, or someone testing the SP).",
                     "Make sure the SP's SAML library rejects responses with more than one assertion."),
                refs=(REF_PROFILES, REF_CORE),
                facts={"count": str(total), "assertion_ids": _clip(", ".join(ids), 300)},
            ))
        misplaced = [el for el in self.assertions + self.encrypted if self.parents.get(el) is not self.root]
        misplaced += [el for el in self.root.iter(_P + "Response") if el is not self.root]
        if misplaced:
            paths = [self._path(el) for el in misplaced[:5]]
            self.add(_f(
                "saml-misplaced-element",
                Severity.FAIL,
                "An assertion or response is hidden inside another element",
                "Assertions belong directly under the Response, and a Response is never nested in another. Found: "
                + "; ".join(paths) + ". Moving a signed element somewhere the SP does not look is how signature "
                "wrapping works.",
                fix=("Treat this response as forged or corrupted; capture a fresh one straight from the IdP.",),
                refs=(REF_CORE,),
                facts={"where": _clip("; ".join(paths), 300)},
            ))
        counts = Counter(el.get("ID") for el in self.root.iter() if el.get("ID"))
        duplicates = sorted(str(i) for i, n in counts.items() if n > 1)
        if duplicates:
            self.add(_f(
                "saml-duplicate-ids",
                Severity.FAIL,
                "Two elements share the same ID",
                f"{_clip(', '.join(duplicates), 200)} {'appears' if len(duplicates) == 1 else 'each appear'} more "
                "than once. A signature points at its element by "
                "ID, so with duplicates the SP may verify one copy and use another: a classic signature-wrapping "
                "trick. IDs must be unique within the document (Core §1.3.4).",
                fix=("Do not trust this response; capture a fresh one straight from the IdP.",),
                refs=(REF_CORE,),
                facts={"ids": _clip(", ".join(duplicates), 300)},
            ))

    def _path(self, element: ET.Element) -> str:
        parts = [_local(element.tag)]
        node = element
        while node in self.parents and len(parts) < 12:
            node = self.parents[node]
            parts.append(_local(node.tag))
        return "/".join(reversed(parts))

    # -- Core §5 signatures ---------------------------------------------------

    def signatures(self) -> None:
        signed: list[str] = []
        if self.root.find(_DS + "Signature") is not None:
            signed.append("response")
        if self.assertion is not None and self.assertion.find(_DS + "Signature") is not None:
            signed.append("assertion")
        self.summary["signed"] = " and ".join(signed) if signed else ""
        encrypted_only = self.assertion is None and bool(self.encrypted)
        if not signed and not encrypted_only:
            self.add(_f(
                "saml-unsigned", Severity.FAIL,
                "Neither the response nor the assertion is signed",
                "There is no <ds:Signature> directly in the Response or in its assertion, so nothing shows the "
                "IdP issued it: anyone could have written it. SPs require a signature on the response, the "
                "assertion or both (Core §5; Profiles §4.1.4.2), and reject this one.",
                fix=("Turn signing on at the IdP: " + " Or: ".join(_WHERE_SIGNING),
                     "If the IdP does sign, something in between stripped the signature: capture the response "
                     "straight from the browser."),
                refs=(REF_CORE, REF_PROFILES),
            ))
        wrong: list[str] = []
        for element in [*self.root.iter(_P + "Response"), *self.assertions]:
            signature = element.find(_DS + "Signature")
            if signature is None:
                continue
            own = element.get("ID") or ""
            for reference in signature.iter(_DS + "Reference"):
                uri = reference.get("URI")
                if uri == "#" + own or (uri == "" and element is self.root):
                    continue
                wrong.append(f"the {_local(element.tag)} {_clip(own, 60) or '(no ID)'} signs {_clip(uri, 60) or '(nothing)'}")
        if wrong:
            unique = list(dict.fromkeys(wrong))
            self.add(_f(
                "saml-signature-reference-mismatch", Severity.FAIL,
                "A signature points at a different element than the one carrying it",
                "A SAML signature must reference the ID of the element it sits in (Core §5.4.2). Here "
                + "; ".join(unique[:4]) + ". The signed content is then not the content the SP reads, which is "
                "a signature-wrapping pattern (or a copy-paste of a signature between messages).",
                fix=("Do not trust this response; capture a fresh one straight from the IdP.",),
                refs=(REF_CORE,),
                facts={"references": _clip("; ".join(unique), 300)},
            ))
        if encrypted_only:
            self.add(_f(
                "saml-assertion-encrypted", Severity.INFO,
                "The assertion is encrypted",
                "Only the SP, with its private key, can read an <EncryptedAssertion> (Core §2.3.4), so its "
                "conditions, subject, attributes and signature were not checked here. If the SP says it cannot "
                "decrypt it, the IdP holds the wrong encryption certificate for this SP.",
                fix=("To check the content, turn assertion encryption off for a test, or take the decrypted "
                     "assertion from the SP's debug log.",
                     "Entra: Enterprise apps → <app> → Single sign-on → Token encryption. Okta: General → SAML "
                     "Settings → Edit → Show Advanced Settings → Assertion Encryption."),
                refs=(REF_CORE,),
            ))

    # -- §2.3.3 Issuer ----------------------------------------------------------

    def issuers(self) -> None:
        assert self.assertion is not None
        issuer = _text(self.assertion.find(_A + "Issuer"))
        self.summary["issuer"] = _clip(issuer or self.response_issuer)
        if not issuer:
            self.add(_f(
                "saml-assertion-issuer-missing", Severity.FAIL,
                "The assertion has no Issuer",
                "Every assertion names the IdP that issued it (Core §2.3.3); the SP uses it to pick the IdP's "
                "certificate and settings. Without it the SP rejects the assertion.",
                fix=("Check the IdP's SAML configuration (Issuer / IdP entity ID) and capture the response again.",),
            ))
        elif self.response_issuer and issuer != self.response_issuer:
            self.add(_f(
                "saml-issuer-mismatch", Severity.FAIL,
                "The response and the assertion name different issuers",
                f"The Response says {_clip(self.response_issuer, 120)} and the assertion says {_clip(issuer, 120)}. "
                "Both must be the IdP's entity ID, the one the SP has in its IdP settings, or the SP rejects the "
                "message. A mismatch usually means two IdP configurations (or tenants) got mixed up.",
                fix=("Compare both with the IdP entity ID configured at the SP (Entra: Microsoft Entra Identifier "
                     "on the app's Single sign-on page; Okta: Issuer / Identity Provider Issuer in the app's Sign On "
                     "tab), and correct the SP or the IdP.",),
                facts={"response_issuer": _clip(self.response_issuer), "assertion_issuer": _clip(issuer)},
            ))

    # -- §2.5.1 Conditions ------------------------------------------------------

    def conditions(self) -> None:
        assert self.assertion is not None
        conditions = self.assertion.find(_A + "Conditions")
        if conditions is None:
            self.add(_f(
                "saml-conditions-missing", Severity.WARN,
                "The assertion has no <Conditions>",
                "Conditions carry the validity window and the audience (Core §2.5.1). Without them the "
                "assertion never expires and is not limited to this SP; SPs that require an audience refuse it.",
                fix=("Check the SP's entity ID is set at the IdP (it becomes the Audience): "
                     + " Or: ".join(_WHERE_BASIC),),
            ))
            return
        not_before_raw, not_after_raw = conditions.get("NotBefore"), conditions.get("NotOnOrAfter")
        not_before, not_after = _parse_time(not_before_raw), _parse_time(not_after_raw)
        self._bad_times((("Conditions NotBefore", not_before_raw, not_before),
                         ("Conditions NotOnOrAfter", not_after_raw, not_after)))
        if not_before is not None:
            self.summary["not_before"] = _fmt(not_before)
            if not_before > self.now:
                ahead = not_before - self.now
                self.add(_f(
                    "saml-not-yet-valid", Severity.FAIL,
                    f"SAML response is not yet valid: it starts {_span(ahead)} from now",
                    f"Conditions NotBefore is {_fmt(not_before)}, later than the time of this check "
                    f"({_fmt(self.now)}). The SP refuses an assertion before NotBefore (Core §2.5.1.2). This is "
                    "almost always clock skew: the IdP's clock is ahead, or the SP's is behind. Many SPs allow a "
                    "few minutes of skew; a larger gap fails every sign-in.",
                    fix=("Synchronise the SP server's clock (NTP); Entra's and Okta's clocks are reliable.",
                         "If the SP has a clock-skew allowance, a couple of minutes is reasonable; do not use it to "
                         "hide a wrong clock."),
                    facts={"not_before": _fmt(not_before), "now": _fmt(self.now), "ahead_by": _span(ahead)},
                ))
        if not_after is not None:
            self.summary["not_on_or_after"] = _fmt(not_after)
            if not_after <= self.now:
                ago = self.now - not_after
                self.add(_f(
                    "saml-expired", Severity.FAIL,
                    f"SAML response expired {_span(ago)} ago",
                    f"Conditions NotOnOrAfter is {_fmt(not_after)}, before the time of this check ({_fmt(self.now)})"
                    ". The SP refuses the assertion from that moment on (Core §2.5.1.2). A response captured "
                    "earlier and checked now is expected to have expired; if it failed at sign-in time, the SP's "
                    "clock is ahead, the IdP's is behind, or the response was replayed.",
                    fix=("Check the SP server's clock (NTP).",
                         "If the response was captured earlier, re-run the check with the time it was captured."),
                    facts={"not_on_or_after": _fmt(not_after), "now": _fmt(self.now), "expired_ago": _span(ago)},
                ))
        audiences = [_text(a) for r in conditions.findall(_A + "AudienceRestriction")
                     for a in r.findall(_A + "Audience")]
        self.audiences = [a for a in audiences if a]
        if not self.audiences:
            self.add(_f(
                "saml-audience-missing", Severity.WARN,
                "The assertion names no Audience",
                "The <AudienceRestriction> says which SP the assertion is for (Core §2.5.1.4), and the Web SSO "
                "profile requires the SP's entity ID in it (Profiles §4.1.4.2). Without it most SPs refuse the "
                "assertion, and any SP could accept it.",
                fix=("Set the SP's entity ID at the IdP: " + " Or: ".join(_WHERE_BASIC),),
                refs=(REF_CORE, REF_PROFILES),
            ))
            return
        self.summary["audience"] = _clip(", ".join(self.audiences))
        expected = self.expected_audience
        if expected is not None and expected not in self.audiences:
            self.add(_f(
                "saml-audience-mismatch", Severity.FAIL,
                "The assertion is for a different audience",
                f"The Audience is {_clip(', '.join(self.audiences), 200)}, but the SP's entity ID is "
                f"{_clip(expected, 160)}. The SP only accepts assertions addressed to itself (Core §2.5.1.4), "
                "compared as exact strings. (Entra reports the same mismatch at sign-in as AADSTS700016 when the "
                "request names an unknown identifier.)",
                fix=("Make the Identifier (Entity ID) / Audience URI at the IdP identical to the SP's entity ID: "
                     + " Or: ".join(_WHERE_BASIC),),
                refs=(REF_CORE, REF_PROFILES, REF_ENTRA_SAML, REF_OKTA_SAML),
                facts={"audience": _clip(", ".join(self.audiences)), "expected": _clip(expected)},
            ))

    def _bad_times(self, items: Iterable[tuple[str, str | None, datetime | None]]) -> None:
        bad = [f"{name}={_clip(raw, 40)!r}" for name, raw, parsed in items if raw is not None and parsed is None]
        if bad:
            self.add(_f(
                "saml-bad-timestamp", Severity.WARN,
                "A time in the assertion cannot be read",
                f"{'; '.join(bad)}. SAML times are xs:dateTime values in UTC, like 2026-01-31T09:30:00Z "
                "(Core §1.3.3). An SP that cannot read a time usually rejects the assertion.",
                fix=("Check for a custom IdP or a proxy that rewrites the response; capture it again straight "
                     "from the browser.",),
                facts={"values": _clip("; ".join(bad), 300)},
            ))

    # -- §2.4 Subject: NameID and SubjectConfirmation ---------------------------

    def subject(self) -> None:
        assert self.assertion is not None
        subject = self.assertion.find(_A + "Subject")
        self._name_id(subject)
        confirmations = subject.findall(_A + "SubjectConfirmation") if subject is not None else []
        bearer = [c for c in confirmations if (c.get("Method") or "").strip() == _BEARER]
        if not bearer:
            methods = ", ".join(_short(c.get("Method") or "?") for c in confirmations) or "none"
            self.add(_f(
                "saml-subject-confirmation-missing", Severity.FAIL,
                "No bearer SubjectConfirmation",
                f"Browser sign-in needs a SubjectConfirmation with Method "
                f"urn:oasis:names:tc:SAML:2.0:cm:bearer (Profiles §4.1.4.2); found: {_clip(methods, 80)}. "
                "Without it the SP has no proof the browser that posted the assertion may use it.",
                fix=("Check the IdP's SAML app type and settings; a standard SAML app at Entra or Okta sends a "
                     "bearer confirmation.",),
                refs=(REF_PROFILES, REF_CORE),
                facts={"methods": _clip(methods, 120)},
            ))
            return
        data = bearer[0].find(_A + "SubjectConfirmationData")
        attrs = data.attrib if data is not None else {}
        recipient = (attrs.get("Recipient") or "").strip()
        scd_after_raw = attrs.get("NotOnOrAfter")
        scd_irt = (attrs.get("InResponseTo") or "").strip()
        response_irt = (self.root.get("InResponseTo") or "").strip()
        missing = [name for name, value in (("Recipient", recipient), ("NotOnOrAfter", scd_after_raw)) if not value]
        if response_irt and not scd_irt:
            missing.append("InResponseTo")
        if missing:
            self.add(_f(
                "saml-subject-confirmation-incomplete", Severity.WARN,
                f"The bearer confirmation lacks {', '.join(missing)}",
                "For browser sign-in the <SubjectConfirmationData> must give the Recipient (the ACS URL), a "
                "NotOnOrAfter time and, when the SP sent a request, its InResponseTo (Core §2.4.1.2; Profiles "
                "§4.1.4.2). Strict SPs refuse an assertion without them.",
                fix=("Check the ACS URL (Reply URL / Single sign-on URL) is set at the IdP: "
                     + " Or: ".join(_WHERE_BASIC),),
                refs=(REF_CORE, REF_PROFILES),
                facts={"missing": ", ".join(missing)},
            ))
        if not response_irt and not scd_irt:
            self.add(_f(
                "saml-idp-initiated", Severity.INFO,
                "IdP-initiated sign-in (no InResponseTo)",
                "Neither the Response nor its confirmation answers a request, so the sign-in started at the IdP "
                "(a tile in My Apps or the Okta dashboard), not at the SP. SPs that accept only SP-initiated "
                "sign-in refuse it; others accept it.",
                fix=("If the SP rejects IdP-initiated sign-in, start from the SP's login page, or enable "
                     "IdP-initiated SSO in the SP.",),
                refs=(REF_PROFILES,),
            ))
        elif response_irt and scd_irt and response_irt != scd_irt:
            self.add(_f(
                "saml-inresponseto-mismatch", Severity.FAIL,
                "InResponseTo differs between the response and the confirmation",
                f"The Response answers request {_clip(response_irt, 80)} but the confirmation names "
                f"{_clip(scd_irt, 80)}. Both must be the ID of the SP's AuthnRequest (Core §2.4.1.2, §3.2.2); "
                "the SP refuses an assertion that answers a request it did not send.",
                fix=("Capture a fresh sign-in from the SP's login page; if it repeats, the IdP or a proxy is "
                     "mixing up requests (e.g. responses cached or replayed).",),
                refs=(REF_CORE, REF_PROFILES),
                facts={"response_in_response_to": _clip(response_irt), "confirmation_in_response_to": _clip(scd_irt)},
            ))
        elif scd_irt and not response_irt:
            self.add(_f(
                "saml-inresponseto-mismatch", Severity.FAIL,
                "Only the confirmation names a request",
                f"The confirmation says it answers request {_clip(scd_irt, 80)}, but the Response has no "
                "InResponseTo. The two must agree (Core §2.4.1.2, §3.2.2).",
                fix=("Capture a fresh sign-in from the SP's login page and check again.",),
                refs=(REF_CORE, REF_PROFILES),
                facts={"confirmation_in_response_to": _clip(scd_irt)},
            ))
        target = self.expected_destination or (self.dest_attr or "").strip()
        if recipient and target and recipient != target:
            which = "the SP's ACS URL" if self.expected_destination else "the response's Destination"
            self.add(_f(
                "saml-recipient-mismatch", Severity.FAIL,
                f"The confirmation's Recipient is not {which}",
                f"Recipient is {_clip(recipient, 160)} but {which} is {_clip(target, 160)} (they differ from "
                f"character {diverge_at(target, recipient)}). The SP checks that the Recipient is its own ACS URL "
                "(Profiles §4.1.4.3) and refuses the assertion otherwise.",
                fix=("Make the ACS URL at the IdP identical to the SP's: " + " Or: ".join(_WHERE_BASIC),),
                refs=(REF_PROFILES, REF_CORE),
                facts={"recipient": _clip(recipient), "expected": _clip(target)},
            ))
        scd_after = _parse_time(scd_after_raw)
        self._bad_times((("SubjectConfirmationData NotOnOrAfter", scd_after_raw, scd_after),))
        if scd_after is not None and scd_after <= self.now:
            ago = self.now - scd_after
            self.add(_f(
                "saml-subject-confirmation-expired", Severity.FAIL,
                f"The bearer confirmation expired {_span(ago)} ago",
                f"SubjectConfirmationData NotOnOrAfter is {_fmt(scd_after)}, before the time of this check "
                f"({_fmt(self.now)}). This window is usually only minutes long: the browser must deliver the "
                "assertion before it closes (Core §2.4.1.2). If this fails at sign-in time, look at the SP's "
                "clock, or at a slow or replayed post.",
                fix=("Check the SP server's clock (NTP).",
                     "If the response was captured earlier, re-run the check with the time it was captured."),
                refs=(REF_CORE, REF_PROFILES),
                facts={"not_on_or_after": _fmt(scd_after), "now": _fmt(self.now), "expired_ago": _span(ago)},
            ))

    def _name_id(self, subject: ET.Element | None) -> None:
        name_id = subject.find(_A + "NameID") if subject is not None else None
        encrypted = subject.find(_A + "EncryptedID") if subject is not None else None
        if name_id is None and encrypted is not None:
            self.summary["nameid_format"] = "encrypted"
            self.add(_f(
                "saml-nameid-format", Severity.INFO,
                "The NameID is encrypted",
                "The subject is an <EncryptedID> (Core §2.2.4): only the SP can read which user this is.",
                facts={"nameid_format": "encrypted"},
            ))
            return
        value = _text(name_id)
        if name_id is None or not value:
            self.add(_f(
                "saml-nameid-missing", Severity.FAIL,
                "The assertion does not say who the user is" if name_id is None else "The NameID is empty",
                "The <Subject> has no usable <NameID> (Core §2.4.1, §2.2.3). The SP keys the user on it (or on "
                "an attribute it is told to use) and refuses or cannot match a sign-in without it. At the IdP "
                "this usually means the source attribute for the Name ID is empty for this user.",
                fix=("Check which user attribute feeds the Name ID, and that this user has a value: "
                     + " Or: ".join(_WHERE_NAMEID),),
            ))
            return
        fmt = (name_id.get("Format") or "").strip() or _UNSPECIFIED
        qualifier = (name_id.get("SPNameQualifier") or "").strip()
        self.summary["nameid_format"] = _short(fmt)
        self.add(_f(
            "saml-nameid-format", Severity.INFO,
            f"NameID: {_clip(value, 80)} ({_short(fmt)})",
            f"The user is identified as {_clip(value, 120)} with NameID format {_clip(fmt, 120)} (Core §8.3). The SP "
            "must expect this format and match the value to its user (usually the email address).",
            facts={"nameid": _clip(value, 160), "nameid_format": _clip(fmt),
                   "sp_name_qualifier": _clip(qualifier)},
        ))
        if fmt == _TRANSIENT:
            self.add(_f(
                "saml-nameid-transient", Severity.WARN,
                "The NameID is transient",
                "A transient NameID is a new random value at every sign-in (Core §8.3.8). The SP cannot use it to "
                "recognise a returning user: JIT provisioning creates a new account each time, or an existing "
                "account is never matched, unless the SP keys users on an attribute such as email instead.",
                fix=("Send a stable identifier instead: the email address (emailAddress format) or a persistent "
                     "ID: " + " Or: ".join(_WHERE_NAMEID),),
                facts={"nameid_format": _short(fmt)},
            ))
        elif fmt == _EMAIL_FORMAT and "@" not in value:
            self.add(_f(
                "saml-nameid-not-email", Severity.WARN,
                "The NameID claims to be an email address but is not one",
                f"The format is emailAddress but the value {_clip(value, 80)} has no '@'. An SP that matches users "
                "by email will not find this user (or will create a wrong one). Usually the IdP maps the Name ID "
                "to an ID attribute while declaring the email format.",
                fix=("Map the Name ID to the user's email (e.g. user.mail in Entra, Email in Okta), or declare the "
                     "format the value really has: " + " Or: ".join(_WHERE_NAMEID),),
                facts={"nameid": _clip(value, 160)},
            ))
        if qualifier and self._audience_list() and qualifier not in self._audience_list():
            self.add(_f(
                "saml-nameid-spnamequalifier", Severity.WARN,
                "The NameID is qualified for a different SP",
                f"SPNameQualifier is {_clip(qualifier, 120)}, but the assertion's audience is "
                f"{_clip(', '.join(self._audience_list()), 160)}. The qualifier names the SP the identifier was "
                "issued for (Core §2.2.2); strict SPs refuse a NameID issued for another SP.",
                fix=("Check the SP entity ID configured at the IdP: " + " Or: ".join(_WHERE_BASIC),),
                facts={"sp_name_qualifier": _clip(qualifier), "audience": _clip(", ".join(self._audience_list()))},
            ))

    def _audience_list(self) -> list[str]:
        if self.expected_audience is not None:
            return [self.expected_audience]
        return self.audiences

    # -- §2.7.3 attributes ------------------------------------------------------

    def attributes(self) -> None:
        assert self.assertion is not None
        names: list[str] = []
        kinds: set[str] = set()
        for statement in self.assertion.findall(_A + "AttributeStatement"):
            for attribute in statement.findall(_A + "Attribute"):
                name = (attribute.get("Name") or "").strip()
                friendly = (attribute.get("FriendlyName") or "").strip()
                if name and name not in names:
                    names.append(name)
                for candidate in (name, friendly):
                    kind = _attribute_kind(candidate)
                    if kind:
                        kinds.add(kind)
        if not names:
            self.add(_f(
                "saml-attributes-missing", Severity.WARN,
                "The assertion carries no attributes",
                "There is no <AttributeStatement> (Core §2.7.3). Sign-in can still work for existing users, but "
                "creating users just in time needs first name, last name and email (vendor guide 1.11): without "
                "them JIT fails or leaves the profile incomplete.",
                fix=("Add claims for first name, last name and email: " + " Or: ".join(_WHERE_CLAIMS),),
                refs=(REF_CORE, REF_ENTRA_CLAIMS, REF_OKTA_SAML),
            ))
            return
        shown = ", ".join(_clip(n, 100) for n in names[:25]) + (f" and {len(names) - 25} more" if len(names) > 25
                                                               else "")
        self.add(_f(
            "saml-attributes", Severity.INFO,
            f"{len(names)} attribute{'s' if len(names) != 1 else ''} sent",
            f"Attribute names: {shown}. (Values are not shown.)",
            facts={"attributes": _clip(shown, 1000), "count": str(len(names))},
        ))
        labels = {"given": "first name", "surname": "last name", "email": "email"}
        if not kinds:
            self.add(_f(
                "saml-jit-attributes-missing", Severity.WARN,
                "None of the usual first name, last name or email attributes",
                "Creating users just in time needs first name, last name and email (vendor guide 1.11), and none "
                "of the usual names for them (givenName/firstName, sn/surname/lastName, mail/email/emailaddress, "
                "or their claim URIs and OIDs) appears. Expect JIT to fail or profiles to stay incomplete, unless "
                "the SP was told to read other names.",
                fix=("Add claims for first name, last name and email with the names the SP expects: "
                     + " Or: ".join(_WHERE_CLAIMS),),
                refs=(REF_ENTRA_CLAIMS, REF_OKTA_SAML),
                facts={"attributes": _clip(shown, 1000)},
            ))
        elif len(kinds) < 3:
            lacking = [labels[k] for k in ("given", "surname", "email") if k not in kinds]
            note = ""
            if "email" not in kinds and "@" in _text(self.assertion.find(f"{_A}Subject/{_A}NameID")):
                note = " The NameID is an email address, which some SPs use in place of an email attribute."
            self.add(_f(
                "saml-jit-attributes-partial", Severity.INFO,
                f"No attribute for {' or '.join(lacking)}",
                f"JIT user creation needs first name, last name and email (vendor guide 1.11); the assertion has "
                f"no attribute that looks like {' or '.join(lacking)}.{note}",
                fix=("If new users end up with incomplete profiles, add the missing claims: "
                     + " Or: ".join(_WHERE_CLAIMS),),
                refs=(REF_ENTRA_CLAIMS, REF_OKTA_SAML),
                facts={"missing": ", ".join(lacking)},
            ))

    # -- the all-clear ---------------------------------------------------------

    def ok_summary(self) -> None:
        if any(f.severity in (Severity.WARN, Severity.FAIL) for f in self.findings):
            return
        facts = dict(self.summary)
        facts.setdefault("issuer", _clip(self.response_issuer))
        facts["checked_at"] = _fmt(self.now)
        window = ""
        if "not_before" in facts or "not_on_or_after" in facts:
            window = (f" It is valid from {facts.get('not_before', '(no start)')} until "
                      f"{facts.get('not_on_or_after', '(no end)')}.")
        issuer = facts.get("issuer") or "(none)"
        if self.assertion is None:
            detail = (f"Issuer {issuer}. Checked: status, destination and the envelope around the encrypted "
                      "assertion (one assertion, unique IDs). The assertion itself (audience, validity window, "
                      "NameID, attributes, signature) is encrypted for the SP and could not be read here.")
        else:
            detail = (f"Issuer {issuer}, audience {facts.get('audience') or '(none)'}, NameID format "
                      f"{facts.get('nameid_format') or '(none)'}, signed: {facts.get('signed') or 'no'}.{window} "
                      "Checked: status, one assertion in its place, unique IDs, signature placement and references, "
                      "validity window, audience, recipient and destination.")
        self.findings.insert(0, _f(
            "saml-ok", Severity.OK,
            "The SAML response looks right",
            detail + " The signature itself was not verified: that needs the IdP's certificate, which only the SP "
            "has.",
            refs=(REF_CORE, REF_PROFILES),
            facts=facts,
        ))


_GIVEN = {"givenname", "firstname", "fname", "first", "given", "forename"}
_SURNAME = {"sn", "surname", "lastname", "familyname", "lname", "last", "family"}
_EMAIL = {"mail", "email", "emailaddress", "emailaddr", "mailaddress", "primaryemail", "useremail"}
_OIDS = {"2.5.4.42": "given", "2.5.4.4": "surname", "0.9.2342.19200300.100.1.3": "email"}


def _attribute_kind(name: str) -> str | None:
    """'given', 'surname' or 'email' for the usual spellings of those attributes (names, claim URIs, OIDs)."""
    if not name:
        return None
    lowered = name.strip().lower()
    if lowered.startswith("urn:oid:"):
        return _OIDS.get(lowered[8:])
    tail = re.split(r"[/:#]", lowered)[-1]
    for candidate in (tail, tail.rsplit(".", 1)[-1]):
        key = re.sub(r"[\s_\-.]", "", candidate)
        if key in _GIVEN:
            return "given"
        if key in _SURNAME:
            return "surname"
        if key in _EMAIL:
            return "email"
    return None
