"""Field readers for HAR entries (HAR 1.2): form bodies, an ID token's nonce, server clocks, times and
numbers. Pure functions of one value each; ``bot.files.har_read`` calls them per entry."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl

from bot.redaction import fingerprint

__all__ = ["form_fields", "jwt_nonce_fp", "clock_offset", "har_time", "as_int"]


def form_fields(post: Any) -> list[tuple[str, str]]:
    """A form post's fields: HAR's ``params`` when the tool filled them, else the urlencoded ``text``."""
    if not isinstance(post, dict):
        return []
    params = post.get("params")
    if isinstance(params, list) and params:
        return [(str(p.get("name") or ""), str(p.get("value") or "")) for p in params if isinstance(p, dict)]
    mime = str(post.get("mimeType") or "").lower()
    text = str(post.get("text") or "")
    if "x-www-form-urlencoded" in mime or (not mime and "=" in text and "{" not in text[:1]):
        return parse_qsl(text, keep_blank_values=True)
    if "json" in mime and text[:1] == "{":
        try:
            body = json.loads(text)
        except ValueError:
            return []
        return [(str(k), str(v)) for k, v in body.items() if isinstance(v, (str, int, float))] if isinstance(body, dict) else []
    return []


def jwt_nonce_fp(token: str) -> str:
    """The fingerprint of an ID token's ``nonce`` claim (read, not verified), or ''."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return ""
    nonce = claims.get("nonce") if isinstance(claims, dict) else None
    return fingerprint(str(nonce)) if nonce else ""


def clock_offset(started: datetime | None, date: str | None) -> float | None:
    """The answering server's ``Date`` header minus the browser's start time, in seconds."""
    if not started or not date:
        return None
    try:
        server = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return None
    if server.tzinfo is None:
        server = server.replace(tzinfo=timezone.utc)
    return (server - started).total_seconds()


def har_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
