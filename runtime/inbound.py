"""From the verified bytes of a request to the body Bolt dispatches: decode, parse once, check the shape.

Runs after the signature check and before Bolt, so a signed request Slack would never send (an empty
``actions`` list, a view without a ``type``, an id that is a number, JSON nested 50,000 levels deep)
gets a 400 and one log line instead of a traceback from deep inside Bolt or a listener. An event
callback that fails the check is answered 200 all the same: Slack retries an event that gets an
error, and a malformed one would fail again.

Bolt is handed the very dict that was checked, so there is no second parser to disagree with the
first (Bolt's own form parser reads a slash command whose text contains the word "payload" as an
empty body, and keeps the last of two repeated fields where ``parse_qs`` keeps the first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from pydantic import BaseModel, ValidationError

from runtime import shapes
from handlers.shared.payload import MAX_JSON_DEPTH, deeper_than, json_object

# A slash command has about fifteen fields, an interaction one; a form with hundreds is not from Slack.
_MAX_FORM_FIELDS = 64
_PLAIN = re.compile(r"[A-Za-z0-9_.\-]{1,40}")


class Refused(Exception):
    """The request is not one Slack sends: answer ``status`` and log ``reason`` (which echoes no input)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Inbound:
    """A checked request: what kind it is, and the parsed body for Bolt."""

    kind: str
    body: dict[str, Any]


def read_request(raw: bytes, content_type: str) -> Inbound:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "body is not UTF-8") from None
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json":
        return _envelope(_object(text, "JSON body"))
    if media == "application/x-www-form-urlencoded":
        return _form(text)
    raise Refused(400, "content type is neither JSON nor a form")


def read_socket_mode(envelope_type: str, payload: object) -> Inbound:
    """The same check for a Socket Mode envelope's payload, which Slack sends already parsed.
    (Socket Mode has no statuses: whatever is refused is acknowledged and dropped.)"""
    if not isinstance(payload, dict) or deeper_than(payload, MAX_JSON_DEPTH):
        raise Refused(400, f"{_name(envelope_type)} payload is not a JSON object of a sane depth")
    if envelope_type == "slash_commands":
        return Inbound("slash_command", _checked(shapes.SlashCommand, payload, "slash command"))
    if envelope_type == "interactive":
        return _interaction(payload)
    if envelope_type == "events_api":
        return _envelope(payload)
    raise Refused(400, f"sso-bot takes no {_name(envelope_type)} envelopes")


def _form(text: str) -> Inbound:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=_MAX_FORM_FIELDS)
    except ValueError:
        raise Refused(400, f"form body has more than {_MAX_FORM_FIELDS} fields") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise Refused(400, "form body repeats a field")
    if "payload" in fields:
        return _interaction(_object(fields["payload"], "payload field"))
    if "command" in fields:
        return Inbound("slash_command", _checked(shapes.SlashCommand, fields, "slash command"))
    if "ssl_check" in fields:
        return Inbound("ssl_check", _checked(shapes.SslCheck, fields, "ssl_check"))
    raise Refused(400, "form body has neither a command nor a payload")


def _interaction(payload: dict[str, Any]) -> Inbound:
    kind = payload.get("type")
    shape = shapes.INTERACTIONS.get(kind) if isinstance(kind, str) else None
    if shape is None:
        raise Refused(400, f"sso-bot takes no {_name(kind)} interactions")
    return Inbound(kind, _checked(shape, payload, kind))


def _envelope(body: dict[str, Any]) -> Inbound:
    kind = body.get("type")
    shape = shapes.ENVELOPES.get(kind) if isinstance(kind, str) else None
    if shape is None:
        raise Refused(400, f"JSON body of type {_name(kind)} is not an Events API envelope")
    if kind != "event_callback":
        return Inbound(kind, _checked(shape, body, kind))
    try:  # answered 200 when refused: Slack would only send it again
        _checked(shape, body, "event_callback")
        event = body["event"]
        _checked(shapes.EVENTS.get(event["type"], shapes.Event), event, f"{_name(event['type'])} event")
    except Refused as refused:
        raise Refused(200, refused.reason) from None
    return Inbound(kind, body)


def _object(text: str, what: str) -> dict[str, Any]:
    try:
        return json_object(text)
    except ValueError as problem:
        raise Refused(400, f"{what} {problem}") from None


def _checked(shape: type[BaseModel], body: dict[str, Any], what: str) -> dict[str, Any]:
    """``body`` itself when it has ``shape`` (strict: nothing is converted), else Refused."""
    try:
        shape.model_validate(body)
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False)[0]
        where = ".".join(_name(part) for part in first["loc"]) or "body"
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise Refused(400, f"{what}: {where}: {first['msg']}{more}") from None
    return body


def _name(value: object) -> str:
    """A field name or type worth printing in a log line: short and plain, never a pasted value."""
    if value is None:
        return "(none)"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return str(value) if isinstance(value, str) and _PLAIN.fullmatch(value) else "(unprintable)"
