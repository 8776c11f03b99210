"""The opt-in daily live check of tracked SCIM tokens: keep a token sealed, check it each night, and post
the 401-recovery steps at once when the endpoint rejects a token that has not reached its expiry date.

Two use cases, shared by Slack and whatever else drives them:

* :func:`keep_for_daily_check`: seal a token (``bot.live.vault``) for one tracked SCIM credential of the
  team; the row belongs to that credential's current generation (a renewal or removal deletes it).
* :func:`run_daily_checks`: the scheduler job. For each check due, open the token, replay the IdP's
  read-only requests (``bot.live.run.run_scim_check``, the SSRF guard included), judge the night
  (``bot.live.daily``), record it, and for a rejected, unexpired token claim the alert (once per
  generation) and post it to the credential's channel. The token exists in clear only in this function's
  frame, for the length of the requests.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.live.daily import judge_probe
from bot.live.policy import ProbePolicy
from bot.live.run import IDPS, LiveInputError, run_scim_check
from bot.live.vault import Vault, VaultError, row_context
from bot.redaction import SafeReport
from services.credentials import Tracked
from services.ports import Audit, SlackPoster
from storage import Database
from storage.credentials import get_credential
from storage.probes import claim_alert, keep_probe_secret, probes_due, record_probe, release_alert

log = logging.getLogger("sso_bot.probes")

__all__ = ["ProbeMessages", "KeepResult", "keep_for_daily_check", "run_daily_checks", "DailyRun"]


class ProbeMessages(Protocol):
    """The alert the daily check posts, as ``chat.postMessage`` arguments (drawn by handlers/live)."""

    def rejected(self, cred: Tracked, report: SafeReport, now: datetime) -> dict[str, Any]: ...


@dataclass(frozen=True)
class KeepResult:
    """Whether the token was kept; ``reason`` says why not, in words for the user. ``label`` and
    ``channel_id`` name the credential and where its alert would post (each surface words it)."""

    kept: bool
    reason: str = ""
    label: str = ""
    channel_id: str = ""


def keep_for_daily_check(db: Database, vault: Vault, audit: Audit, *, team_id: str, user_id: str, credential_id: int,
                         base_url: str, token: str, now: datetime) -> KeepResult:
    """Seal ``token`` for the tracked SCIM credential ``credential_id`` of ``team_id`` (the first check runs
    at once). Refused for another team's credential, one that is not a SCIM token, or one renewed meanwhile."""
    row = get_credential(db, credential_id)
    if row is None or row.team_id != team_id or not row.active or row.kind != "scim-token":
        return KeepResult(False, "that tracked SCIM token is no longer tracked in this workspace")
    sealed = vault.seal(token, context=row_context(row.team_id, credential_id, row.generation))
    kept = keep_probe_secret(db, credential_id=credential_id, generation=row.generation, key_id=vault.key_id,
                             sealed_token=sealed, base_url=base_url, now=now, first_probe_at=now)
    if kept is None:
        return KeepResult(False, "that credential was renewed or removed meanwhile; nothing was kept")
    audit.record(team_id=team_id, user_id=user_id, action="probe.keep", input_kinds=("scim_token",), outcome="ok",
                 detail=f"credential={credential_id}")
    return KeepResult(True, label=row.label, channel_id=row.channel_id)


@dataclass
class DailyRun:
    checked: int = 0
    alerts: int = 0
    broken: int = 0


def run_daily_checks(db: Database, vault: Vault | None, poster: SlackPoster, messages: ProbeMessages, *,
                     now: datetime, policy: ProbePolicy, limit: int = 20) -> DailyRun:
    """One tick of the daily check (see the module docstring). Without a key, nothing is due to us."""
    result = DailyRun()
    if vault is None:
        return result
    for due in probes_due(db, now, limit):
        probe, row = due.probe, due.credential
        report = _check(vault, probe, row, policy, now)
        result.checked += 1
        if report is None:
            result.broken += 1
            record_probe(db, probe.id, generation=probe.generation, now=now, outcome="broken",
                         code="probe-key-changed", failures=0, next_probe_at=None)
            continue
        codes = [f.code for f in report.findings]
        verdict = judge_probe(codes, failed=report.failed, expires_at=row.expires_at, now=now,
                              previous_failures=probe.failures)
        record_probe(db, probe.id, generation=probe.generation, now=now, outcome=verdict.outcome, code=verdict.code,
                     failures=verdict.failures, next_probe_at=verdict.next_probe_at)
        if verdict.alert and claim_alert(db, probe.id, generation=probe.generation):
            posted = poster.post(row.channel_id, messages.rejected(Tracked.of(row), report, now))
            if posted.ok:
                result.alerts += 1
            else:  # not lost: the next night finds the token still rejected and posts again
                release_alert(db, probe.id, generation=probe.generation)
                log.warning("could not post the daily check's alert for credential %s: %s", row.id, posted.error)
    return result


def _check(vault: Vault, probe, row, policy: ProbePolicy, now: datetime) -> SafeReport | None:
    """The night's report, or None when the token cannot be opened (the key changed: it must be kept again)."""
    if probe.key_id != vault.key_id:
        log.warning("daily check of credential %s skipped: its token was sealed under another key", row.id)
        return None
    try:
        token = vault.open(probe.sealed_token, context=row_context(row.team_id, row.id, probe.generation))
    except VaultError:
        log.warning("daily check of credential %s skipped: its sealed token does not open", row.id)
        return None
    try:
        return run_scim_check(probe.base_url, token, idp=row.idp if row.idp in IDPS else "entra", policy=policy,
                              now=now)
    except LiveInputError:
        return None
    finally:
        del token
