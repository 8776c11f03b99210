"""*Track this certificate*: a SAML metadata check's signing certificates become tracked credentials
without typing dates.

The button is this feature's contribution to other features' reports (``hooks.report_actions``): the
live SAML check draws it without knowing who answers. Its value carries only what the metadata made
public (the expiry date, the fingerprint, the entity's host), never a secret; a click opens the track
form filled in, and tracking itself goes through the usual form and its admin check.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.models.blocks import ButtonElement

from bot.redaction import SafeReport
from handlers.credentials.ids import CredentialIds
from handlers.credentials.views import track_modal
from handlers.shared.limits import clip

_CERTIFICATE_CODES = ("saml-metadata-signing-cert",)
_MAX_BUTTONS = 2


def track_certificate_buttons(report: SafeReport) -> list[ButtonElement]:
    """A button for each signing certificate still valid (at most two: a rollover publishes two)."""
    buttons: list[ButtonElement] = []
    for finding in report.findings:
        facts = finding.facts
        if finding.code not in _CERTIFICATE_CODES or not facts.get("expires_at"):
            continue
        if facts.get("days_left", "1").lstrip("-").isdigit() and int(facts.get("days_left", "1")) <= 0:
            continue
        value = json.dumps({"expires": facts["expires_at"][:10], "fp": facts.get("fingerprint", "")[:8],
                            "entity": _host(facts.get("entity_id", ""))})
        buttons.append(ButtonElement(text=clip(f"Track certificate {facts.get('fingerprint', '')[:8]}", 75),
                                     action_id=f"{CredentialIds.TRACK_CERTIFICATE}.{len(buttons)}", value=value[:2000]))
        if len(buttons) == _MAX_BUTTONS:
            break
    return buttons


def _host(entity_id: str) -> str:
    host = urlsplit(entity_id).hostname if "://" in entity_id else ""
    return clip(host or entity_id, 40)


def prefill(value: str) -> dict[str, Any]:
    """The track form's pre-filled fields from a button's value; empty when the value is not ours."""
    try:
        data = json.loads(value)
        expires = date.fromisoformat(str(data.get("expires", "")))
    except (ValueError, TypeError, AttributeError):
        return {}
    label = f"SAML signing certificate {data.get('entity') or ''} {data.get('fp') or ''}".split()
    return {"label": clip(" ".join(label), 80), "kind": "saml-cert", "expires": expires}


def on_track_certificate(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    action = (body.get("actions") or [{}])[0]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    client.views_open(trigger_id=body["trigger_id"], view=track_modal(channel, **prefill(str(action.get("value", "")))))
