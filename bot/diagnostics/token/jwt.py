"""A JWT (RFC 7519): three base64url parts joined by dots (RFC 7515 §7.1), or five for an encrypted one.

The header and the claims are decoded **without verifying the signature** (we hold no key, and
verification is the server's job). This module checks the shape: the number of parts, their
base64url and their JSON; ``claims`` reads what they say.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding
from bot.diagnostics.token.claims import claim_findings, decoded_finding, header_findings
from bot.diagnostics.token.expiry import from_issued, issued, unknown_expiry

_B64URL = re.compile(r"[A-Za-z0-9_\-]+")  # the base64url alphabet, checked in one C-level pass
_NAMES = ("header", "payload", "signature")


def b64url_decode(part: str) -> bytes | None:
    """The bytes of one base64url part (padding tolerated); None when it is not base64url."""
    body = part.rstrip("=")
    if not body or not _B64URL.fullmatch(body) or len(body) % 4 == 1:
        return None
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None


def json_object(data: bytes) -> tuple[dict[str, Any] | None, str]:
    """The JSON object in ``data``, or None and what is wrong with it ("is not JSON", ...)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, "is not UTF-8 text"
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None, "is not JSON"
    if not isinstance(value, dict):
        return None, "is JSON but not an object"
    return value, ""


def looks_like_jwt(token: str, parts: list[str]) -> bool:
    """A JWT starts with 'ey' (base64 of '{"'), or has 3 or 5 parts and a JSON object first."""
    return (token.startswith("ey") and "." in token) or (
        len(parts) in (3, 5) and json_object(b64url_decode(parts[0]) or b"")[0] is not None
    )


def check_jwt(
    token: str,
    parts: list[str],
    now: datetime,
    issued_at: date | datetime | None,
    lifetime_days: int,
    base_facts: Mapping[str, str],
) -> list[Finding]:
    facts = dict(base_facts)
    if len(parts) == 5:
        return _encrypted(now, issued_at, lifetime_days, facts)
    if len(parts) != 3:
        return [_malformed(parts, facts)]
    decoded, findings = _decode_parts(parts, facts)
    header, payload, not_json = _json_parts(decoded)
    if not_json:
        findings.append(_not_json(not_json, facts))
    if header is not None:
        findings.extend(header_findings(header, parts[2], facts))
    if header is not None or payload is not None:
        findings.append(decoded_finding(header or {}, payload or {}, facts))
    if payload is None:
        start = issued(issued_at)
        if start is not None:
            findings.extend(from_issued(start, now, lifetime_days, facts, "the generation date you gave"))
        return findings
    findings.extend(claim_findings(payload, now, issued_at, lifetime_days, facts))
    return findings


def _encrypted(now: datetime, issued_at: date | datetime | None, lifetime_days: int,
               facts: dict[str, str]) -> list[Finding]:
    """A JWE: nothing can be read, so the expiry is the generation date's band alone."""
    findings = [
        check_finding("token-jwe", dict(facts))
    ]
    start = issued(issued_at)
    findings.append(
        unknown_expiry(facts)
        if start is None
        else from_issued(start, now, lifetime_days, facts, "the generation date you gave")[-1]
    )
    return findings


def _malformed(parts: list[str], facts: dict[str, str]) -> Finding:
    return check_finding("token-jwt-malformed", dict(facts), values={"count": str(len(parts))})


def _decode_parts(parts: list[str], facts: dict[str, str]) -> tuple[dict[str, bytes | None], list[Finding]]:
    """Each part's bytes (None when it is not base64url; an empty signature is b""), and the findings
    for damaged or padded parts."""
    decoded: dict[str, bytes | None] = {}
    bad_b64: list[str] = []
    padded: list[str] = []
    for name, part in zip(_NAMES, parts):
        if part.endswith("="):
            padded.append(name)
        if name == "signature" and part == "":
            decoded[name] = b""
            continue
        decoded[name] = b64url_decode(part)
        if decoded[name] is None:
            bad_b64.append(name)
    findings: list[Finding] = []
    if bad_b64:
        findings.append(_bad_base64(bad_b64, facts))
    if padded:
        findings.append(_padding(padded, facts))
    return decoded, findings


def _bad_base64(bad_b64: list[str], facts: dict[str, str]) -> Finding:
    return check_finding("token-jwt-bad-base64", {**facts, "parts": ", ".join(bad_b64)})


def _padding(padded: list[str], facts: dict[str, str]) -> Finding:
    return check_finding("token-jwt-padding", {**facts, "parts": ", ".join(padded)})


def _json_parts(decoded: Mapping[str, bytes | None]) -> tuple[dict[str, Any] | None, dict[str, Any] | None, list[str]]:
    """The header and the claims as JSON objects (None when unreadable), and what is wrong with each."""
    header: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None
    not_json: list[str] = []
    for name in ("header", "payload"):
        data = decoded.get(name)
        if data is None:
            continue
        obj, why = json_object(data)
        if obj is None:
            not_json.append(f"the {name} {why}")
        elif name == "header":
            header = obj
        else:
            payload = obj
    return header, payload, not_json


def _not_json(not_json: list[str], facts: dict[str, str]) -> Finding:
    text = "; ".join(not_json)
    return check_finding("token-jwt-not-json", dict(facts), values={"problem": text[:1].upper() + text[1:]})
