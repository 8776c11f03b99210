"""One event out of any export record: when, who, which app, what happened and whether it failed.

Field names differ by where the export came from, and this module knows four families:

* Entra provisioning logs: Graph's ``provisioningObjectSummary`` (``GET /auditLogs/provisioning``, and
  the portal's JSON download, which uses the same names), the diagnostic-settings ``ProvisioningLogs``
  record (``properties`` holds the same object), and the portal's CSV download (one column per field);
* Entra sign-in logs (Graph ``signIn``, diagnostic-settings ``SignInLogs``): ``status.errorCode`` is the
  AADSTS number;
* Okta System Log ``LogEvent`` (API JSON, event hooks, keys in any letter case) and the CSV download
  or SIEM copies with flattened names (``outcome.result``, ``outcome_result_s``).

A CSV exported from a Log Analytics query of the ``AADProvisioningLogs`` or ``SigninLogs`` table uses the
table's column names (documented by Microsoft) and holds the nested fields as JSON text, which is read.
The portal's own CSV download (``ProvisioningLogs.csv``, one of three files joined by change ID) and
Okta's System Log CSV are matched by the field names their columns show; no published sample of either
was found to check the exact headers against, hence the loose matching below.

Names are compared without case or punctuation, so ``provisioningStatusInfo.errorInformation.errorCode``,
``ProvisioningStatusInfo_errorInformation_errorCode`` and a column called ``Error Code`` all match.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

__all__ = ["Event", "event_of", "FAILED", "SKIPPED", "OK"]

FAILED, SKIPPED, OK = "failed", "skipped", "ok"
_SIEM_SUFFIX = re.compile(r"_[sdtbg]$")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class Event:
    source: str  # "entra-provisioning" | "entra-sign-in" | "okta"
    outcome: str  # FAILED | SKIPPED | OK
    when: datetime | None
    user: str
    app: str
    code: str
    reason: str
    action: str


_NORMED: dict[str, str] = {}


def _norm(key: str) -> str:
    """``key`` without case, punctuation or a SIEM type suffix (cached: exports repeat their keys)."""
    normed = _NORMED.get(key)
    if normed is None:
        normed = _NOT_ALNUM.sub("", _SIEM_SUFFIX.sub("", key).lower())
        if len(_NORMED) < 50_000:
            _NORMED[key] = normed
    return normed


class _Fields:
    """Case- and punctuation-blind access to a nested or flat record."""

    def __init__(self, record: dict) -> None:
        self.record = record
        self._flat: dict[str, Any] | None = None
        self._nested = any(isinstance(v, (dict, list)) for v in record.values())
        self._maps: dict[int, dict[str, Any]] = {}  # id(dict) -> its items by normalised key, built on a miss
        self._json: dict[str, dict | None] | None = None  # a flat record's JSON-text columns, parsed on demand
        self._has_json: bool | None = None

    def get(self, *paths: str) -> Any:
        if not self._nested:
            if self._has_json is None:
                self._has_json = any(_json_text(v) for v in self.record.values())
            if self._has_json:  # the paths in their order, each tried as a column and inside a JSON column
                return next((v for v in map(self._flat_or_json, paths) if v not in (None, "")), None)
            for column in _columns_for(tuple(self.record), paths):
                value = self.record[column]
                if value not in (None, ""):
                    return value
            return None
        for path in paths:
            value = self._walk(path)
            if value not in (None, ""):
                return value
        return None

    def _flat_or_json(self, path: str) -> Any:
        """``path`` as a column, or as a dotted path into a column that holds a JSON object as text: Log
        Analytics writes the nested fields of its ``AADProvisioningLogs`` and ``SigninLogs`` tables that way
        (``SourceIdentity``, ``ProvisioningStatusInfo``, ``Status``) in a CSV export of a query."""
        for column in _columns_for(tuple(self.record), (path,)):
            value = self.record[column]
            if value not in (None, "") and not _json_text(value):
                return value
        head, dot, rest = path.partition(".")
        if dot:
            for column in _columns_for(tuple(self.record), (head,)):
                inner = self._parsed(column)
                if inner is not None:
                    return _Fields(inner).get(rest)
        return None

    def _parsed(self, column: str) -> dict | None:
        if self._json is None:
            self._json = {}
        if column not in self._json:
            value = self.record.get(column)
            try:
                parsed = json.loads(value) if _json_text(value) else None
            except ValueError:
                parsed = None
            self._json[column] = parsed if isinstance(parsed, dict) else None
        return self._json[column]

    def _walk(self, path: str) -> Any:
        if not self._nested:  # a CSV row or a SIEM's flattened copy: one look-up by normalised name
            return self._flat_index().get(_norm(path))
        node: Any = self.record
        for part in path.split("."):
            if isinstance(node, list):
                node = node[0] if node else None
            if not isinstance(node, dict):
                node = None
                break
            value = node.get(part)
            if value is None:
                normalised = self._maps.get(id(node))
                if normalised is None:
                    normalised = self._maps[id(node)] = {_norm(k): v for k, v in node.items()}
                value = normalised.get(_norm(part))
            node = value
        return node

    def _flat_index(self) -> dict[str, Any]:
        if self._flat is None:
            self._flat = {_norm(k): v for k, v in self.record.items() if not isinstance(v, (dict, list))}
        return self._flat


def _json_text(value: Any) -> bool:
    return isinstance(value, str) and value[:1] == "{" and value[-1:] == "}"


_COLUMNS: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}


def _columns_for(header: tuple[str, ...], paths: tuple[str, ...]) -> tuple[str, ...]:
    """The columns of a flat record that ``paths`` name, in the order asked (cached: every row of a CSV
    has the same header)."""
    key = (header, paths)
    found = _COLUMNS.get(key)
    if found is None:
        by_name = {}
        for column in header:
            by_name.setdefault(_norm(column), column)
        found = tuple(by_name[_norm(p)] for p in paths if _norm(p) in by_name)
        if len(_COLUMNS) < 10_000:
            _COLUMNS[key] = found
    return found


def unwrap(record: dict) -> dict:
    """The event inside a wrapper: a diagnostic-settings record's ``properties`` (its top-level time and
    result kept), a test or SIEM envelope's ``event``."""
    inner = record.get("event")
    if isinstance(inner, dict) and len(record) <= 4:
        record = inner
    props = record.get("properties")
    if isinstance(props, dict) and ("category" in record or "operationName" in record):
        merged = dict(props)
        for key in ("time", "resultType", "resultSignature", "resultDescription", "category"):
            if key in record and key not in merged:
                merged[key] = record[key]
        return merged
    return record


def event_of(record: dict) -> Event | None:
    """The event in ``record``, or None when it is none of the known kinds."""
    record = unwrap(record)
    fields = _Fields(record)
    if "provisioningStatusInfo" in record or "provisioningAction" in record:  # Graph's names, the common case
        return _entra_provisioning(fields)
    if fields.get("eventType", "event type", "legacyEventType") is not None:
        if fields.get("outcome.result", "outcome result", "published") is None:
            return None  # Okta's catalogue of event types, not events
        return _okta(fields)
    if fields.get("provisioningAction", "jobId", "cycleId", "provisioningStatusInfo.status", "job id",
                  "cycle id") is not None:
        return _entra_provisioning(fields)
    if fields.get("status.errorCode", "userPrincipalName", "sign-in error code") is not None and \
            fields.get("createdDateTime", "time", "date", "date (utc)") is not None:
        return _entra_sign_in(fields)
    return None


def _entra_provisioning(f: _Fields) -> Event:
    status = str(f.get("provisioningStatusInfo.status", "statusInfo.status", "status", "resultType") or "").lower()
    outcome = FAILED if status in ("failure", "failed", "error") else SKIPPED if status == "skipped" else OK
    code = f.get("provisioningStatusInfo.errorInformation.errorCode", "statusInfo.errorInformation.errorCode",
                 "error code", "errorCode", "resultSignature")
    reason = f.get("provisioningStatusInfo.errorInformation.reason", "statusInfo.errorInformation.reason",
                   "error reason", "reason", "failure reason", "resultDescription", "statusInfo.reason",
                   "provisioningStatusInfo.errorInformation.additionalDetails")
    user = f.get("sourceIdentity.details.UserPrincipalName", "targetIdentity.details.UserPrincipalName",
                 "sourceIdentity.details.userPrincipalName", "source identity user principal name",
                 "sourceIdentity.displayName", "targetIdentity.displayName", "source identity",
                 "source identity name", "target identity", "sourceIdentity.id")
    app = f.get("servicePrincipal.displayName", "servicePrincipal.Name", "targetSystem.displayName",
                "targetSystem.Name", "service principal name", "target system", "application")
    when = f.get("activityDateTime", "time", "date", "date (utc)", "activity date", "timeGenerated",
                 "TimeGenerated [UTC]")
    return Event("entra-provisioning", outcome, _time(when), _s(user), _s(app), _s(code), _s(reason),
                 _s(f.get("provisioningAction", "action")))


def _entra_sign_in(f: _Fields) -> Event:
    code = _s(f.get("status.errorCode", "resultSignature", "sign-in error code", "error code"))
    outcome = OK if code in ("", "0", "0.0", "None", "SUCCESS") else FAILED
    if code.endswith(".0"):
        code = code[:-2]
    reason = f.get("status.failureReason", "failure reason", "resultDescription", "status.additionalDetails")
    return Event("entra-sign-in", outcome, _time(f.get("createdDateTime", "time", "date", "date (utc)", "TimeGenerated",
                                                       "TimeGenerated [UTC]")),
                 _s(f.get("userPrincipalName", "user principal name", "username", "user")),
                 _s(f.get("appDisplayName", "application", "app display name")), code, _s(reason),
                 _s(f.get("clientAppUsed", "operationName")))


def _okta(f: _Fields) -> Event:
    result = _s(f.get("outcome.result", "outcome result", "result")).upper()
    outcome = FAILED if result in ("FAILURE", "DENY", "ERROR") else SKIPPED if result == "SKIPPED" else OK
    actor_type = _s(f.get("actor.type", "actor type"))
    user = f.get("actor.alternateId", "actor alternate id", "actor.alternate_id") if actor_type in ("", "User") else None
    if user is None:
        user = _okta_target_user(f)
    app = _okta_app(f)
    reason = f.get("outcome.reason", "outcome reason", "reason")
    return Event("okta", outcome, _time(f.get("published", "time", "date")), _s(user), _s(app),
                 _s(reason), _s(f.get("displayMessage", "display message", "displaymessage")),
                 _s(f.get("eventType", "event type", "legacyEventType")))


def _okta_target_user(f: _Fields) -> Any:
    targets = f.get("target")
    if isinstance(targets, list):
        for target in targets:
            if isinstance(target, dict) and str(target.get("type", "")).lower() in ("user", "appuser"):
                return target.get("alternateId") or target.get("displayName")
    return f.get("target.alternateId", "target alternate id", "actor.alternateId", "actor alternate id")


def _okta_app(f: _Fields) -> Any:
    targets = f.get("target")
    if isinstance(targets, list):
        for target in targets:
            if isinstance(target, dict) and str(target.get("type", "")).lower() == "appinstance":
                return target.get("displayName") or target.get("alternateId")
    return None


def _s(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())[:1000]


def _time(value: Any) -> datetime | None:
    """An event's time: ISO 8601 as the APIs write it (Python 3.11 reads 'Z' and Entra's 7 fractional digits),
    or the portal's US-style local rendering; a time without a zone is taken as UTC."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
        for pattern in ("%m/%d/%Y, %I:%M:%S.%f %p", "%m/%d/%Y, %I:%M:%S %p", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M:%S"):
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        if moment is None:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
