"""Structured pastes: SCIM and Okta error bodies, OAuth error responses, provisioning
and sign-in log entries, Okta System Log events.

Each reader takes an already-parsed JSON object and returns the findings it can
build plus the kind of thing it recognised, or ``None`` when the object is not
its kind. Keys are matched case-insensitively and through one level of nesting
flattening (``outcome.reason``, ``outcome_reason_s``, ``outcomeReason``), because
the same event reaches people through the API, SIEM exports and portal downloads.

A log event of a type we have no notes on still gets an answer: whether it
succeeded (so it is not the failure being chased) or failed, with its reason
(``log-event-succeeded`` / ``log-event-failed``).

Specs: RFC 7644 §3.12 (SCIM error response), RFC 6749 §5.2 (OAuth error
response), Microsoft Graph provisioningObjectSummary, Okta LogEvent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable, Mapping  # not typing's: its isinstance check runs in Python
from typing import Any

from bot.diagnostics.explain import check_finding, finding_from_entry
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.text import cut
from bot.knowledge import KnowledgeBase

SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:error"
_STATUS_IN_TEXT = re.compile(r"(?i)\b(?:status(?: code)?|http)\D{0,12}([1-5]\d\d)\b")
_MAX_FACT = 300
# Okta LogEvent outcome.result values (SUCCESS, FAILURE, SKIPPED, ALLOW, DENY, CHALLENGE, UNKNOWN).
_OKTA_GOOD_OUTCOMES = frozenset({"SUCCESS", "ALLOW"})
_OKTA_BAD_OUTCOMES = frozenset({"FAILURE", "DENY"})


@dataclass
class Reading:
    """What one reader made of one object."""

    kind: str
    findings: list[Finding] = field(default_factory=list)
    # Free text inside the object (reasons, messages) that the text scanners should also read.
    texts: list[str] = field(default_factory=list)


# Log Analytics column suffixes: _s string, _d number, _b boolean, _g GUID, _t date-time.
_SIEM_SUFFIX = re.compile(r"_[sdbgt]$")


def flatten(obj: Any, prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``, keys lower-cased, SIEM suffixes (``_s``, ``_d``) dropped."""
    out: dict[str, Any] = {}
    if not isinstance(obj, Mapping) or depth > 6:
        return out
    for key, value in obj.items():
        name = _SIEM_SUFFIX.sub("", str(key)).lower().replace("_", ".")
        path = f"{prefix}.{name}" if prefix else name
        if isinstance(value, Mapping):
            out.update(flatten(value, path, depth + 1))
        else:
            out[path] = value
    return out


def _first(flat: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        value = flat.get(name)
        if value not in (None, "", "null"):
            return str(value)
    return None


def _fact(value: Any) -> str:
    return cut(str(value), _MAX_FACT)


def _scim_context_status(kb: KnowledgeBase, status: str | None, facts: dict[str, str]) -> list[Finding]:
    if not status:
        return []
    entry = kb.lookup_code("http", status, context="scim")
    return [finding_from_entry(entry, facts=facts)] if entry else []


def read_scim_error(obj: Mapping[str, Any], kb: KnowledgeBase, flat: Mapping[str, Any] | None = None) -> Reading | None:
    """RFC 7644 §3.12: ``{"schemas": [...:Error], "scimType": ..., "detail": ..., "status": "400"}``."""
    flat = flatten(obj) if flat is None else flat
    schemas = obj.get("schemas") if isinstance(obj.get("schemas"), list) else []
    is_scim = any(str(s).lower() == SCIM_ERROR_SCHEMA for s in schemas)
    if not is_scim and not ("scimtype" in flat and "status" in flat):
        return None
    status = _first(flat, "status")
    scim_type = _first(flat, "scimtype")
    facts = {k: _fact(v) for k, v in (("status", status), ("scimType", scim_type),
                                       ("detail", _first(flat, "detail"))) if v}
    reading = Reading(kind="scim_error_body", texts=[facts.get("detail", "")])
    if scim_type:
        entry = kb.lookup_code("scim_type", scim_type)
        if entry:
            reading.findings.append(finding_from_entry(entry, facts=facts))
    reading.findings += _scim_context_status(kb, status, facts)
    return reading


def read_okta_error(obj: Mapping[str, Any], kb: KnowledgeBase, flat: Mapping[str, Any] | None = None) -> Reading | None:
    """Okta's API error body: ``errorCode`` (E0000…), ``errorSummary``, ``errorCauses``, ``errorId``."""
    code = obj.get("errorCode")
    if not isinstance(code, str) or not re.fullmatch(r"(?i)E\d{7}", code.strip()):
        return None
    causes = obj.get("errorCauses") if isinstance(obj.get("errorCauses"), list) else []
    cause_text = "; ".join(str(c.get("errorSummary", c)) for c in causes if isinstance(c, Mapping))
    facts = {k: _fact(v) for k, v in (("errorCode", code), ("errorSummary", obj.get("errorSummary")),
                                       ("errorCauses", cause_text), ("errorId", obj.get("errorId"))) if v}
    entry = kb.lookup_code("okta", code) or kb.unknown_okta(code)
    return Reading(kind="okta_error_body", findings=[finding_from_entry(entry, facts=facts)],
                   texts=[str(obj.get("errorSummary", "")), cause_text])


def read_oauth_error(obj: Mapping[str, Any], kb: KnowledgeBase,
                     flat: Mapping[str, Any] | None = None) -> Reading | None:
    """RFC 6749 §5.2 token-endpoint error, as Entra returns it (``error_codes`` carries AADSTS numbers)."""
    error = obj.get("error")
    if not isinstance(error, str) or "error_description" not in obj and "error_codes" not in obj:
        return None
    facts = {"error": _fact(error)}
    if obj.get("correlation_id"):
        facts["correlation_id"] = _fact(obj["correlation_id"])
    reading = Reading(kind="oauth_error_response", texts=[str(obj.get("error_description", ""))])
    codes = obj.get("error_codes") if isinstance(obj.get("error_codes"), list) else []
    for code in codes:
        if str(code).isdigit():
            entry = kb.lookup_code("aadsts", str(code)) or kb.unknown_aadsts(str(code))
            reading.findings.append(finding_from_entry(entry, facts=facts))
    oauth = kb.lookup_code("oauth", error)
    if oauth:
        reading.findings.append(finding_from_entry(oauth, facts=facts))
    return reading


def read_entra_provisioning(obj: Mapping[str, Any], kb: KnowledgeBase,
                            flat: Mapping[str, Any] | None = None) -> Reading | None:
    """An Entra provisioning-log entry (Graph ``provisioningObjectSummary`` or a portal/Log Analytics export)."""
    flat = flatten(obj) if flat is None else flat
    code = _first(flat, "provisioningstatusinfo.errorinformation.errorcode", "statusinfo.errorinformation.errorcode",
                  "errorcode", "properties.provisioningstatusinfo.errorinformation.errorcode")
    action = _first(flat, "provisioningaction", "properties.provisioningaction", "action")
    status = _first(flat, "provisioningstatusinfo.status", "statusinfo.status", "status",
                    "properties.provisioningstatusinfo.status")
    if not (action and ("provisioningstatusinfo.status" in flat or "jobid" in flat or "cycleid" in flat)):
        return None
    reason = _first(flat, "provisioningstatusinfo.errorinformation.reason", "statusinfo.errorinformation.reason",
                    "properties.provisioningstatusinfo.errorinformation.reason") or ""
    identity = _first(flat, "sourceidentity.displayname", "targetidentity.displayname") or ""
    facts = {k: _fact(v) for k, v in (("action", action), ("status", status), ("errorCode", code),
                                       ("identity", identity)) if v}
    http = _STATUS_IN_TEXT.search(reason)
    if http:
        facts["http_status"] = http.group(1)
    reading = Reading(kind="entra_provisioning_log", texts=[reason])
    if code:
        entry = kb.lookup_code("entra_provisioning", code)
        if entry:
            reading.findings.append(finding_from_entry(entry, facts=facts))
    if http:
        reading.findings += _scim_context_status(kb, http.group(1), facts)
    return reading


def read_entra_signin(obj: Mapping[str, Any], kb: KnowledgeBase,
                      flat: Mapping[str, Any] | None = None) -> Reading | None:
    """An Entra sign-in log record: ``status.errorCode`` (Graph) or ``properties.status.errorCode`` / ``ResultType``."""
    flat = flatten(obj) if flat is None else flat
    code = _first(flat, "status.errorcode", "properties.status.errorcode", "resulttype")
    if code is None or not code.isdigit():
        return None
    if not any(k in flat for k in ("status.errorcode", "properties.status.errorcode", "category", "createddatetime")):
        return None
    facts = {k: _fact(v) for k, v in (
        ("errorCode", code),
        ("app", _first(flat, "appdisplayname", "properties.appdisplayname", "properties.serviceprincipalname")),
        ("user", _first(flat, "userprincipalname", "properties.userprincipalname")),
        ("failureReason", _first(flat, "status.failurereason", "properties.status.failurereason", "resultdescription")),
    ) if v}
    if code == "0":
        ok = event_finding("Entra sign-in (error code 0)", "SUCCESS", facts)
        return Reading(kind="entra_signin_log", findings=[ok])
    entry = kb.lookup_code("aadsts", code) or kb.unknown_aadsts(code)
    return Reading(kind="entra_signin_log", findings=[finding_from_entry(entry, facts=facts)],
                   texts=[facts.get("failureReason", "")])


def read_okta_event(obj: Mapping[str, Any], kb: KnowledgeBase, flat: Mapping[str, Any] | None = None) -> Reading | None:
    """An Okta System Log ``LogEvent`` (camelCase, lower-cased, or SIEM-flattened keys)."""
    flat = flatten(obj) if flat is None else flat
    event_type = _first(flat, "eventtype")
    if not event_type or "." not in event_type:
        return None
    result = _first(flat, "outcome.result", "outcomeresult")
    reason = _first(flat, "outcome.reason", "outcomereason") or ""
    message = _first(flat, "displaymessage") or ""
    facts = {k: _fact(v) for k, v in (("eventType", event_type), ("outcome", result), ("reason", reason),
                                       ("actor", _first(flat, "actor.alternateid"))) if v}
    reading = Reading(kind="okta_system_log", texts=[reason, message])
    outcome = (result or "").upper()
    entry = kb.lookup_code("okta_event", event_type)
    if entry:
        severity = None
        if outcome in _OKTA_GOOD_OUTCOMES:
            severity = "ok"
        elif outcome in _OKTA_BAD_OUTCOMES and entry.severity == "info":
            severity = "warn"  # an informational event type that failed is worth a look
        reading.findings.append(finding_from_entry(entry, facts=facts, severity=severity))
    elif outcome in _OKTA_GOOD_OUTCOMES or outcome in _OKTA_BAD_OUTCOMES:
        reading.findings.append(event_finding(f"Okta System Log event {event_type}", outcome, facts))
    return reading


def event_finding(what: str, outcome: str, facts: Mapping[str, str]) -> Finding:
    """What to say about a log event we have no notes on: whether it succeeded, and where to go next.

    ``what`` names the event ("Okta System Log event user.session.start"); ``outcome`` is the event's
    own word (SUCCESS, ALLOW, FAILURE, DENY).
    """
    good = outcome.upper() in _OKTA_GOOD_OUTCOMES
    reason = facts.get("reason") or facts.get("failureReason") or ""
    values = {"event": what, "outcome": outcome.upper(), "reason_shown": reason[:120]}
    if good:
        return check_finding("log-event-succeeded", dict(facts), severity=Severity.OK, values=values)
    return check_finding("log-event-failed", dict(facts), values=values)


READERS: tuple[Callable[..., Reading | None], ...] = (
    read_scim_error, read_okta_error, read_oauth_error, read_entra_provisioning, read_entra_signin, read_okta_event,
)


def read_objects(objects: Iterable[Mapping[str, Any]], kb: KnowledgeBase) -> list[Reading]:
    """Run every reader on every object; the first reader that recognises an object wins."""
    readings: list[Reading] = []
    for obj in objects:
        flat = flatten(obj)
        for reader in READERS:
            reading = reader(obj, kb, flat)
            if reading is not None:
                readings.append(reading)
                break
    return readings


def json_objects(value: Any, limit: int = 200) -> list[Mapping[str, Any]]:
    """The objects worth reading in parsed JSON: the value itself, list items, Graph's ``value`` array."""
    if isinstance(value, list):
        return [v for v in value[:limit] if isinstance(v, Mapping)]
    if isinstance(value, Mapping):
        inner = value.get("value")
        if isinstance(inner, list):
            return [v for v in inner[:limit] if isinstance(v, Mapping)]
        event = value.get("event")  # Okta event hooks and SIEM test wrappers
        if isinstance(event, Mapping):
            return [event]
        data = value.get("data")
        if isinstance(data, Mapping) and isinstance(data.get("events"), list):
            return [v for v in data["events"][:limit] if isinstance(v, Mapping)]
        return [value]
    return []
